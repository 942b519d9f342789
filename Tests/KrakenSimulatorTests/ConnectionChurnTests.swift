import KrakenSimulatorServer
import KrakenWire
import NIOCore
import NIOPosix
import Synchronization
import Testing
import WebSocketTransport

// Connections that end while (or right after) the WebSocket upgrade is in flight. A feed stopped
// ~30 ms after connecting once took the whole test process down with a NIO fatal error: its
// close frame was written into a pipeline that was still HTTP (the 101 had not arrived), and
// NIO's HTTP request encoder cannot take a WebSocket frame. These tests end connections at every
// point of the handshake, on both sides, and check that nothing crashes, every connection is
// reported closed exactly once, and the simulator keeps serving.

/// Where a client gives up on its connection.
private enum ClientStage: CaseIterable {
    /// In the same loop turn as `connect`, before TCP is even up.
    case immediately
    /// After a random delay of up to 2 ms: before, during or after the upgrade.
    case randomDelay
    /// `send` and `ping` before the upgrade (must be dropped), then close after a random delay.
    case sendEarlyThenClose
    /// As soon as the upgrade completed.
    case onOpen
    /// On the first frame the server sent.
    case onFirstFrame
    /// `abort` (no close frame) after a random delay.
    case abortAfterRandomDelay
}

/// What a churned connection reported.
private struct ClientOutcome: Sendable {
    var closes: [WebSocketCloseReason]
    var opensAfterClose: Int
}

private struct Timeout: Error, CustomStringConvertible {
    var description: String
}

/// The delegate of one churned `WebSocketConnection`; confined to the connection's loop.
private final class ChurnDelegate: WebSocketConnectionDelegate {
    let stage: ClientStage
    let done: EventLoopPromise<ClientOutcome>
    var connection: WebSocketConnection?
    private var outcome = ClientOutcome(closes: [], opensAfterClose: 0)
    private var reported = false

    init(stage: ClientStage, done: EventLoopPromise<ClientOutcome>) {
        self.stage = stage
        self.done = done
    }

    func connectionOpened(_ connection: WebSocketConnection) {
        if !outcome.closes.isEmpty { outcome.opensAfterClose += 1 }
        if stage == .onOpen { connection.close() }
    }

    func connection(_ connection: WebSocketConnection, received message: ByteBuffer) {
        if stage == .onFirstFrame { connection.close() }
    }

    func connectionReceivedPong(_ connection: WebSocketConnection) {}

    func connection(_ connection: WebSocketConnection, closed reason: WebSocketCloseReason) {
        outcome.closes.append(reason)
        // Report a little later so a second `closed` or a late `opened` would still be seen.
        let loop = connection.eventLoop
        loop.assumeIsolated().scheduleTask(in: .milliseconds(20)) { self.report() }
    }

    func report() {
        guard !reported else { return }
        reported = true
        done.succeed(outcome)
    }
}

/// Accepts TCP connections and never answers: an upgrade request sent to it stays pending.
private final class SilentServer: Sendable {
    let channel: any Channel
    private let accepted = Mutex(0)
    private let closed = Mutex(0)

    var acceptedCount: Int { accepted.withLock { $0 } }
    var closedCount: Int { closed.withLock { $0 } }

    private init(channel: any Channel) { self.channel = channel }

    static func start() async throws -> (SilentServer, Int) {
        let box = Box()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                box.server.withLock { $0 }?.accept(child)
                return child.eventLoop.makeSucceededVoidFuture()
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = SilentServer(channel: channel)
        box.server.withLock { $0 = server }
        return (server, channel.localAddress?.port ?? 0)
    }

    private func accept(_ child: any Channel) {
        accepted.withLock { $0 += 1 }
        child.closeFuture.whenComplete { [self] _ in closed.withLock { $0 += 1 } }
    }

    private final class Box: Sendable {
        let server = Mutex<SilentServer?>(nil)
    }
}

/// Polls `condition` every 10 ms for up to `seconds`.
private func waitUntil(seconds: Double = 20, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}

/// Connects a `WebSocketConnection` to `port`, gives up on it at `stage`, and returns what its
/// delegate heard.
private func churn(port: Int, path: String, stage: ClientStage) async throws -> ClientOutcome {
    let loop = MultiThreadedEventLoopGroup.singleton.next()
    let delayMicros = Int64.random(in: 0...2_000)
    return try await loop.flatSubmit { () -> EventLoopFuture<ClientOutcome> in
        let done = loop.makePromise(of: ClientOutcome.self)
        let delegate = ChurnDelegate(stage: stage, done: done)
        let connection = WebSocketConnection.connect(
            host: "127.0.0.1", port: port, path: path, tls: nil, maxFrameSize: 1 << 20, connectTimeout: .seconds(5),
            on: loop, delegate: delegate)
        delegate.connection = connection
        let isolated = loop.assumeIsolated()
        switch stage {
        case .immediately:
            connection.close()
        case .randomDelay:
            isolated.scheduleTask(in: .microseconds(delayMicros)) { connection.close() }
        case .sendEarlyThenClose:
            connection.send(text: Array(#"{"method":"ping","req_id":1}"#.utf8))
            connection.ping()
            isolated.scheduleTask(in: .microseconds(delayMicros)) {
                connection.send(text: Array(#"{"method":"ping","req_id":2}"#.utf8))
                connection.ping()
                connection.close()
            }
        case .abortAfterRandomDelay:
            isolated.scheduleTask(in: .microseconds(delayMicros)) { connection.abort() }
        case .onOpen, .onFirstFrame:
            break
        }
        // A connection that hears nothing at all fails the test instead of hanging it.
        isolated.scheduleTask(in: .seconds(10)) {
            done.fail(Timeout(description: "\(stage): no close reported within 10 s"))
        }
        return done.futureResult.assumeIsolated().map { outcome in
            _ = delegate  // the connection holds its delegate weakly: keep it alive until done
            _ = connection
            return outcome
        }.nonisolated()
    }.get()
}

/// Raw TCP client points at which the simulator's side of the handshake is interrupted.
private enum RawStage: CaseIterable {
    case tcpOnly
    case requestThenClose
    case requestAndCloseFrame
    case requestAndCloseFrameHalfClosed
    case requestThenCloseFrameAfterRandomDelay
    case after101CloseFrame
    case after101Drop
    case afterFirstFrameCloseFrame
}

/// Collects what the server sends and tells when the 101 head and a first frame have arrived.
private final class RawCollector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let head: EventLoopPromise<Void>
    private let frame: EventLoopPromise<Void>
    private var received: [UInt8] = []

    init(head: EventLoopPromise<Void>, frame: EventLoopPromise<Void>) {
        self.head = head
        self.frame = frame
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received += buffer.readBytes(length: buffer.readableBytes) ?? []
        guard let end = Self.headEnd(received) else { return }
        head.succeed()
        if received.count > end { frame.succeed() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        head.fail(ChannelError.eof)
        frame.fail(ChannelError.eof)
        context.fireChannelInactive()
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        let marker: [UInt8] = Array("\r\n\r\n".utf8)
        guard bytes.count >= marker.count else { return nil }
        for index in 0...(bytes.count - marker.count) where Array(bytes[index..<index + marker.count]) == marker {
            return index + marker.count
        }
        return nil
    }
}

/// A masked close frame (1000), as a client must send it.
private let maskedCloseFrame: [UInt8] = [0x88, 0x82, 0x01, 0x02, 0x03, 0x04, 0x03 ^ 0x01, 0xE8 ^ 0x02]

private func upgradeRequest(path: String) -> [UInt8] {
    Array(("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").utf8)
}

/// Speaks the handshake byte by byte over plain TCP and breaks it off at `stage`.
private func rawChurn(port: Int, path: String, stage: RawStage) async throws {
    let loop = MultiThreadedEventLoopGroup.singleton.next()
    let head = loop.makePromise(of: Void.self)
    let frame = loop.makePromise(of: Void.self)
    let channel = try await ClientBootstrap(group: loop)
        .channelOption(.socketOption(.tcp_nodelay), value: 1)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(RawCollector(head: head, frame: frame))
            }
        }
        .connect(host: "127.0.0.1", port: port).get()
    // Neither wait may hang the test: give up after 10 s (the checks below then fail).
    let watchdog = loop.scheduleTask(in: .seconds(10)) {
        head.fail(Timeout(description: "no 101"))
        frame.fail(Timeout(description: "no frame"))
    }
    func write(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
    }
    switch stage {
    case .tcpOnly:
        break
    case .requestThenClose:
        try await write(upgradeRequest(path: path))
    case .requestAndCloseFrame:
        try await write(upgradeRequest(path: path) + maskedCloseFrame)
    case .requestAndCloseFrameHalfClosed:
        try await write(upgradeRequest(path: path) + maskedCloseFrame)
        try? await channel.close(mode: .output)
        // The server answers the close frame and closes its side.
        try? await channel.closeFuture.get()
    case .requestThenCloseFrameAfterRandomDelay:
        try await write(upgradeRequest(path: path))
        try await Task.sleep(for: .microseconds(Int.random(in: 0...2_000)))
        try? await write(maskedCloseFrame)
    case .after101CloseFrame:
        try await write(upgradeRequest(path: path))
        try await head.futureResult.get()
        try await write(maskedCloseFrame)
    case .after101Drop:
        try await write(upgradeRequest(path: path))
        try await head.futureResult.get()
    case .afterFirstFrameCloseFrame:
        try await write(upgradeRequest(path: path))
        try await frame.futureResult.get()
        try await write(maskedCloseFrame)
    }
    try? await channel.close()
    try? await channel.closeFuture.get()
    watchdog.cancel()
    // Leave no promise unfulfilled (NIO's debug build treats a leaked promise as fatal).
    head.fail(ChannelError.alreadyClosed)
    frame.fail(ChannelError.alreadyClosed)
}

@Suite("connections ending during the WebSocket upgrade")
struct ConnectionChurnTests {
    @Test("a client closed while its upgrade request is unanswered drops TCP and reports one close")
    func closeBeforeTheUpgradeAnswer() async throws {
        let (server, port) = try await SilentServer.start()
        defer { server.channel.close(promise: nil) }
        for stage in [ClientStage.randomDelay, .sendEarlyThenClose, .abortAfterRandomDelay] {
            let before = server.acceptedCount
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let done = loop.makePromise(of: ClientOutcome.self)
            // Connect, and close only once the server holds the TCP connection (the request is
            // sent, the 101 never comes): the moment the crash happened.
            let connection = try await loop.submit { () -> NIOLoopBound<(WebSocketConnection, ChurnDelegate)> in
                let delegate = ChurnDelegate(stage: .onOpen, done: done)
                let connection = WebSocketConnection.connect(
                    host: "127.0.0.1", port: port, path: "/v2", tls: nil, maxFrameSize: 1 << 20,
                    connectTimeout: .seconds(5), on: loop, delegate: delegate)
                return NIOLoopBound((connection, delegate), eventLoop: loop)
            }.get()
            #expect(await waitUntil { server.acceptedCount > before })
            try await Task.sleep(for: .milliseconds(20))
            try await loop.submit {
                let (connection, delegate) = connection.value
                switch stage {
                case .abortAfterRandomDelay: connection.abort()
                case .sendEarlyThenClose:
                    connection.send(text: Array("{}".utf8))
                    connection.ping()
                    connection.close()
                default: connection.close()
                }
                loop.assumeIsolated().scheduleTask(in: .milliseconds(50)) { delegate.report() }
                loop.assumeIsolated().scheduleTask(in: .seconds(10)) { done.fail(Timeout(description: "\(stage): no report")) }
            }.get()
            let outcome = try await done.futureResult.get()
            #expect(outcome.closes == [.closedLocally], "\(stage)")
            #expect(outcome.opensAfterClose == 0)
            #expect(await waitUntil { server.closedCount == server.acceptedCount }, "\(stage): TCP not closed")
        }
    }

    @Test("a client closing at random points of the handshake never crashes and reports exactly one close (240 connections)")
    func clientChurn() async throws {
        try await SimulatorHarness.run { harness in
            for round in 0..<40 {
                for stage in ClientStage.allCases {
                    let path = round.isMultiple(of: 2) ? "/v2" : "/"
                    let outcome = try await churn(port: harness.server.ports.public, path: path, stage: stage)
                    #expect(outcome.closes.count == 1, "\(stage): \(outcome.closes)")
                    #expect(outcome.opensAfterClose == 0, "\(stage)")
                }
            }
            // Still serving, and every session the churn opened was closed again.
            try await harness.session { reader in
                guard case .status = try await reader.nextV2() else { throw Failure("first message not status") }
            }
            let settled = try await waitUntil {
                try await harness.counter("connections_opened") == harness.counter("connections_closed")
            }
            #expect(settled, "sessions left registered after their connections closed")
        }
    }

    @Test("the simulator survives clients that break off the handshake at every point (320 raw connections)")
    func serverChurn() async throws {
        try await SimulatorHarness.run { harness in
            for round in 0..<40 {
                for stage in RawStage.allCases {
                    try await rawChurn(port: harness.server.ports.public, path: round.isMultiple(of: 2) ? "/v2" : "/", stage: stage)
                }
            }
            let settled = try await waitUntil {
                try await harness.counter("connections_opened") == harness.counter("connections_closed")
            }
            #expect(settled, "sessions left registered after their connections closed")
            try await harness.session { reader in
                guard case .status = try await reader.nextV2() else { throw Failure("first message not status") }
            }
            try await harness.session(path: "/") { reader in
                _ = try await reader.nextText()
            }
        }
    }
}
