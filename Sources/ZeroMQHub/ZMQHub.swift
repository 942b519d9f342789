import Foundation
import ZeroMQ

/// The ZeroMQ layer's front door. One dedicated OS thread owns every socket of the hub and
/// blocks in `zmq_poll` on them plus an eventfd; nothing here ever blocks a caller:
///
/// - `publish` hands a message to a bounded outbox (a short lock, no syscall while the thread
///   is busy); overflow is refused with a reason and counted, never silent.
/// - Received messages (control requests, SUB data, XPUB subscriptions) leave the thread on
///   `inbound`; replies go back through the thread with `reply`.
/// - `shutdown` stops the thread, closes the sockets and terminates the context; linger is
///   bounded on every socket, so it returns promptly even under load.
public final class ZMQHub: Sendable {
    let core: HubCore
    /// The bound endpoints of each socket, wildcards resolved (`tcp://127.0.0.1:*` → port).
    public let boundEndpoints: [[String]]

    /// Messages received on sockets with `deliversInbound`, in arrival order.
    public var inbound: AsyncStream<HubInbound> { core.inbound }
    /// Connection events of monitored sockets (the most recent 1,024 are kept if unread).
    public var monitorEvents: AsyncStream<HubMonitorEvent> { core.monitorEvents }

    private init(core: HubCore, boundEndpoints: [[String]]) {
        self.core = core
        self.boundEndpoints = boundEndpoints
    }

    /// Starts the owner thread, creates the sockets and binds/connects them. Throws the first
    /// libzmq error (for example an endpoint already in use); then no thread is left behind.
    public static func start(_ configuration: HubConfiguration) async throws -> ZMQHub {
        let core = try HubCore(configuration: configuration)
        let endpoints: [[String]] = try await withCheckedThrowingContinuation { continuation in
            let threadName = configuration.threadName
            let thread = Thread {
                Thread.current.name = threadName  // visible in top/ps (Linux applies it on the running thread)
                let loop: HubLoop
                do {
                    loop = try HubLoop(core: core)
                    continuation.resume(returning: try loop.openEndpoints())
                } catch {
                    continuation.resume(throwing: error)
                    core.markStopped()
                    return
                }
                loop.run()
                withExtendedLifetime(loop) {}
                core.markStopped()
            }
            thread.start()
        }
        return ZMQHub(core: core, boundEndpoints: endpoints)
    }

    /// The id of the socket configured at `index`.
    public func socket(_ index: Int) -> HubSocketID { HubSocketID(index: index) }

    /// The id of the socket configured with `name`.
    public func socket(named name: String) -> HubSocketID? {
        core.configuration.sockets.firstIndex { $0.name == name }.map(HubSocketID.init(index:))
    }

    /// The first resolved bound endpoint of a socket.
    public func endpoint(of socket: HubSocketID) -> String? {
        boundEndpoints.indices.contains(socket.index) ? boundEndpoints[socket.index].first : nil
    }

    // MARK: Publishing (any thread, never blocks)

    /// Queues a `[topic][header][payload]` bus message.
    @discardableResult
    public func publish(
        to socket: HubSocketID, topic: UnsafeRawBufferPointer, header: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer
    ) -> PublishOutcome {
        core.enqueue(socket: socket.index, byteCount: topic.count + header.count + payload.count, isReply: false) {
            $0.append(socket: socket.index, topic, header, payload)
        }
    }

    /// Queues a `[topic][header][payload]` bus message whose `payloadCount` payload bytes
    /// `writePayload` writes straight into the outbox (while the outbox is locked: keep it short).
    public func publish(
        to socket: HubSocketID, topic: UnsafeRawBufferPointer, header: UnsafeRawBufferPointer, payloadCount: Int,
        writingPayload writePayload: (UnsafeMutableRawBufferPointer) -> Void
    ) -> PublishOutcome {
        core.enqueue(socket: socket.index, byteCount: topic.count + header.count + payloadCount, isReply: false) {
            $0.append(socket: socket.index, topic, header, payloadCount: payloadCount, writePayload)
        }
    }

    /// Queues a `[topic][header][payload]` bus message.
    @discardableResult
    public func publish(to socket: HubSocketID, topic: [UInt8], header: [UInt8], payload: [UInt8]) -> PublishOutcome {
        topic.withUnsafeBytes { topic in
            header.withUnsafeBytes { header in
                payload.withUnsafeBytes { payload in
                    publish(to: socket, topic: topic, header: header, payload: payload)
                }
            }
        }
    }

    /// Queues a multipart message of any shape.
    @discardableResult
    public func publish(to socket: HubSocketID, frames: [[UInt8]]) -> PublishOutcome {
        let byteCount = frames.reduce(0) { $0 + $1.count }
        return core.enqueue(socket: socket.index, byteCount: byteCount, isReply: false) {
            $0.append(socket: socket.index, frames: frames)
        }
    }

    /// Sends a reply on a ROUTER: `envelope` is every frame of the request up to and including
    /// the empty delimiter (routing id, REQ correlation id, ...), echoed as received. Replies
    /// are never refused for capacity; they fail only once the hub is stopping.
    @discardableResult
    public func reply(on socket: HubSocketID, envelope: [[UInt8]], body: [[UInt8]]) -> PublishOutcome {
        let frames = envelope + body
        return core.enqueue(socket: socket.index, byteCount: frames.reduce(0) { $0 + $1.count }, isReply: true) {
            $0.append(socket: socket.index, frames: frames)
        }
    }

    // MARK: Diagnostics and lifetime

    /// A consistent reading of queue, send, drop, ZAP and connection counters.
    public func counters() -> HubCounters { core.counters() }

    /// Stops the owner thread and waits until every socket is closed and the context is gone.
    public func shutdown() async {
        core.requestStop()
        await core.waitUntilStopped()
    }

    deinit {
        core.requestStop()
    }
}

/// Splits a ROUTER request into its routing envelope (through the empty delimiter) and body.
public enum RouterEnvelope {
    /// nil when there is no empty delimiter frame (a DEALER that did not add one).
    public static func split(_ frames: [[UInt8]]) -> (envelope: [[UInt8]], body: [[UInt8]])? {
        guard let delimiter = frames.firstIndex(where: \.isEmpty), delimiter > 0 else { return nil }
        return (Array(frames[...delimiter]), Array(frames[(delimiter + 1)...]))
    }
}
