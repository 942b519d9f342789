import CZeroMQ
import Synchronization
import ZeroMQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The owner thread's state: every socket of the hub lives here and nowhere else. Created on
/// the thread, never shared (not `Sendable`).
final class HubLoop {
    private let core: HubCore
    private let specs: [HubSocketSpec]
    private var sockets: [ZMQSocket] = []
    private var monitors: [(socket: Int, pair: ZMQSocket)] = []
    /// Socket index → position in `monitors`.
    private var monitorOfSocket: [Int: Int] = [:]
    private var zapHandler: ZMQSocket?
    private var poller = ZMQPoller()
    private var wakeIndex = 0
    private var socketPollIndex: [Int: Int] = [:]
    private var zapPollIndex: Int?
    private var monitorPollIndex: [Int] = []
    /// Per socket with `subscriptionLimits`: what each of its connections holds.
    private var peerSubscriptions: [Int: PeerSubscriptions<ZMQConnectionIdentity>] = [:]
    /// When to hand freed memory back after a peer was cut off for its subscriptions.
    private var trimDue: ContinuousClock.Instant?
    private var pending = OutboundBatch()
    private var replies = OutboundBatch()
    private var tally = HubCounters()
    private var tallyDirty = false
    /// Every socket retains it too, so the context terminates only after the last socket closed.
    private let context: ZMQContext

    static let zapEndpoint = "inproc://zeromq.zap.01"
    static let inboundBurst = 512
    /// While messages keep coming, how often the thread still polls its sockets (inbound
    /// requests, subscriptions, ZAP, monitors) and publishes its counters. A `zmq_poll` costs a
    /// system call plus one `getpid` per socket (libzmq's fork check), which at one poll per
    /// batch was a third of this thread's CPU under load; sending needs no poll.
    static let busyServiceInterval: Duration = .microseconds(500)

    /// Creates and wires every socket; returns the resolved bound endpoints per socket.
    init(core: HubCore) throws(ZMQError) {
        self.core = core
        self.specs = core.configuration.sockets
        self.context = try ZMQContext(ioThreads: core.configuration.ioThreads)
        pending = OutboundBatch(reservingMessages: min(core.configuration.outboxCapacity, 1 << 16))
        tally.connections = Array(repeating: SocketConnectionCounters(), count: specs.count)
        wakeIndex = poller.add(fileDescriptor: core.wake.descriptor)

        // The ZAP handler must be bound before any secured socket accepts a connection.
        if specs.contains(where: { if case .server = $0.curve { true } else { false } }) {
            let zap = try ZMQSocket(context: context, type: .rep)
            try zap.set(.linger, 0)
            try zap.bind(Self.zapEndpoint)
            zapPollIndex = poller.add(zap)
            zapHandler = zap
        }
        for (index, spec) in specs.enumerated() {
            let socket = try ZMQSocket(context: context, type: spec.type)
            sockets.append(socket)
            try spec.settings.apply(to: socket)
            if spec.countsSubscriberOverflows, spec.type == .xpub || spec.type == .pub { try socket.set(.xpubNoDrop, true) }
            if let limits = spec.subscriptionLimits, spec.type == .xpub {
                try socket.set(.xpubVerboser, true)
                peerSubscriptions[index] = PeerSubscriptions(limits: limits)
            }
            switch spec.curve {
            case .server(let secretKey, let zapDomain):
                try socket.set(.curveServer, true)
                try socket.set(.curveSecretKey, secretKey)
                try socket.set(.zapDomain, zapDomain)
            case .client(let serverKey, let keys):
                try socket.set(.curveServerKey, serverKey)
                try socket.set(.curvePublicKey, keys.publicKey)
                try socket.set(.curveSecretKey, keys.secretKey)
            case nil:
                break
            }
            if spec.monitored || peerSubscriptions[index] != nil {
                let endpoint = "inproc://krakenbridge.monitor.\(ObjectIdentifier(core).hashValue).\(index)"
                try socket.startMonitor(endpoint: endpoint)
                let pair = try ZMQSocket(context: context, type: .pair)
                try pair.set(.linger, 0)
                try pair.connect(endpoint)
                monitorPollIndex.append(poller.add(pair))
                monitorOfSocket[index] = monitors.count
                monitors.append((index, pair))
            }
            for topic in spec.subscriptions { try socket.set(.subscribe, topic) }
            if spec.deliversInbound { socketPollIndex[index] = poller.add(socket) }
        }
    }

    /// Binds and connects (after every option, monitor and the ZAP handler are in place).
    func openEndpoints() throws(ZMQError) -> [[String]] {
        var bound: [[String]] = []
        for (index, spec) in specs.enumerated() {
            var endpoints: [String] = []
            for endpoint in spec.binds { endpoints.append(try sockets[index].bind(endpoint)) }
            for endpoint in spec.connects { try sockets[index].connect(endpoint) }
            bound.append(endpoints)
        }
        return bound
    }

    /// Runs until the hub is asked to stop. Queued messages taken before the stop are sent;
    /// linger settings bound how long libzmq keeps unsent ones afterwards.
    func run() {
        let clock = ContinuousClock()
        let idleSpin = core.configuration.idleSpin
        var spinUntil = clock.now
        var servicedAt = clock.now
        while true {
            // While spinning the thread never announces sleep, so publishers skip the eventfd.
            let spinning = idleSpin > .zero && clock.now < spinUntil
            let (gotWork, stopping) = core.takeQueued(into: &pending, replies: &replies, announcingSleep: !spinning)
            if gotWork {
                sendAll(&replies, isReply: true)
                sendAll(&pending, isReply: false)
                if idleSpin > .zero { spinUntil = clock.now.advanced(by: idleSpin) }
            }
            if stopping { break }
            if gotWork, clock.now < servicedAt.advanced(by: Self.busyServiceInterval) { continue }
            servicedAt = clock.now
            // Counters are published here, before the thread may sleep in the poll: what was
            // sent, and what the previous pass's servicing counted.
            flushTally()
            do {
                try poller.poll(timeoutMilliseconds: gotWork || spinning ? 0 : 1_000)
            } catch {
                if error.isTerminated { break }
                continue
            }
            if poller.events(at: wakeIndex).contains(.readable) { core.wake.drain() }
            serviceZAP()
            serviceMonitors()
            serviceInbound()
            trimMemoryIfDue()
        }
        flushTally()
    }

    private func sendAll(_ batch: inout OutboundBatch, isReply: Bool) {
        guard !batch.isEmpty else { return }
        for message in batch.messages {
            let socket = sockets[message.socket]
            let countsDrops = specs[message.socket].countsSubscriberOverflows
            var failed = false
            var lossy = false
            if let field = specs[message.socket].sendTimestamp {
                batch.stamp(message, field, nanoseconds: Self.unixNanoseconds())
            }
            batch.forEachFrame(of: message) { frame, more in
                guard !failed else { return }
                do {
                    var sent = try socket.send(frame, more: more, dontWait: true)
                    if !sent, countsDrops, !lossy {
                        // XPUB_NODROP refused: a subscriber is at its high-water mark. Its overflow
                        // is counted; everyone else gets the message through a lossy send.
                        lossy = true
                        tally.connections[message.socket].subscriberOverflows += 1
                        try socket.set(.xpubNoDrop, false)
                        sent = try socket.send(frame, more: more, dontWait: true)
                    }
                    if !sent {
                        failed = true
                        tally.sendWouldBlock += 1
                    }
                } catch {
                    failed = true
                    tally.sendFailed += 1
                    tally.lastSendError = "\(specs[message.socket].name): \(error)"
                }
            }
            if lossy { try? socket.set(.xpubNoDrop, true) }
            if !failed {
                tally.sent += 1
                if isReply { tally.repliesSent += 1 }
            }
        }
        tallyDirty = true
        batch.removeAll()
    }

    /// CLOCK_REALTIME, the clock of every timestamp in a bus header.
    private static func unixNanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    private func serviceInbound() {
        for (index, pollIndex) in socketPollIndex where poller.events(at: pollIndex).contains(.readable) {
            let socket = sockets[index]
            let readsUserID = if case .server = specs[index].curve { true } else { false }
            let limitsPeers = peerSubscriptions[index] != nil
            for _ in 0..<Self.inboundBurst {
                guard let message = try? socket.receiveMessage(dontWait: true, readUserID: readsUserID, readSourceDescriptor: limitsPeers)
                else { break }
                tally.received += 1
                tallyDirty = true
                let id = HubSocketID(index: index)
                let item: HubInbound
                if socket.type == .xpub, let first = message.frames.first, let flag = first.first, flag <= 1 {
                    let topic = Array(first.dropFirst())
                    if limitsPeers, let descriptor = message.sourceDescriptor, let connection = message.sourceConnection,
                       !admit(subscribe: flag == 1, topic: topic, from: connection, on: descriptor, socket: index) {
                        continue
                    }
                    if flag == 1 { tally.connections[index].subscriptions += 1 } else { tally.connections[index].unsubscriptions += 1 }
                    guard specs[index].deliversSubscriptions else { continue }
                    item = .subscription(id, subscribe: flag == 1, topic: topic)
                } else {
                    // A subscriber may send other messages up an XPUB; nothing in a bridge reads them.
                    guard socket.type != .xpub || specs[index].deliversSubscriptions else { continue }
                    item = .message(id, message)
                }
                if case .dropped = core.inboundContinuation.yield(item) { tally.inboundDropped += 1 }
            }
        }
    }

    /// Applies the socket's per-peer limits to one (un)subscription; false when it was refused.
    /// libzmq has already stored it: a refused peer is disconnected (`shutdown` on its
    /// descriptor, which libzmq's I/O thread sees as the peer closing), and the termination
    /// frees every subscription it held. The socket's monitor is read before the first
    /// subscription of a connection is judged and again before a peer is cut off, so the
    /// judgement knows of every connection opened or closed before (descriptors are reused).
    private func admit(
        subscribe: Bool, topic: [UInt8], from connection: ZMQConnectionIdentity, on descriptor: Int32, socket index: Int
    ) -> Bool {
        let monitor = monitorOfSocket[index]
        if let monitor, !peerSubscriptions[index]!.knows(connection, on: descriptor) { drainMonitor(at: monitor) }
        switch peerSubscriptions[index]!.record(subscribe: subscribe, topic: topic, from: descriptor, connection: connection) {
        case .admitted, .fromClosedConnection:
            return true
        case .refused:
            tally.connections[index].subscriptionsRefused += 1
            if let monitor { drainMonitor(at: monitor) }
            if peerSubscriptions[index]!.isOpen(connection, on: descriptor) {
                tally.connections[index].peersRefused += 1
                _ = czmq_shutdown_peer(descriptor)
                // Not pushed back by later refusals: a steady attack must not postpone it forever.
                if trimDue == nil { trimDue = ContinuousClock.now + .seconds(1) }
            }
            return false
        case .fromRefusedPeer:
            if subscribe { tally.connections[index].subscriptionsRefused += 1 }
            return false
        }
    }

    /// After a refused peer's subscriptions are freed, gives the memory back to the system:
    /// libzmq's trie is made of small blocks that malloc would otherwise keep.
    private func trimMemoryIfDue() {
        guard let due = trimDue, ContinuousClock.now >= due else { return }
        trimDue = nil
        _ = czmq_release_free_memory()
    }

    private func serviceZAP() {
        guard let zap = zapHandler, let index = zapPollIndex, poller.events(at: index).contains(.readable) else { return }
        while let request = try? zap.receiveMessage(dontWait: true) {
            let reply: [[UInt8]]
            if let parsed = ZAPRequest(frames: request.frames) {
                let decision = parsed.decide(with: core.configuration.allowlist)
                if case .allow = decision { tally.zapAccepted += 1 } else { tally.zapRejected += 1 }
                reply = parsed.reply(to: decision)
            } else {
                tally.zapRejected += 1
                let requestID = request.frames.count > 1 ? request.frames[1] : []
                reply = [Array("1.0".utf8), requestID, Array("500".utf8), Array("malformed ZAP request".utf8), [], []]
            }
            tallyDirty = true
            _ = try? zap.send(multipart: reply)
        }
    }

    private func serviceMonitors() {
        for position in monitors.indices where poller.events(at: monitorPollIndex[position]).contains(.readable) {
            drainMonitor(at: position)
        }
    }

    private func drainMonitor(at position: Int) {
        let monitor = monitors[position]
        while let message = try? monitor.pair.receiveMessage(dontWait: true) {
            guard let event = ZMQMonitorEvent(frames: message.frames) else { continue }
            record(event, on: monitor.socket)
            core.monitorContinuation.yield(HubMonitorEvent(socket: HubSocketID(index: monitor.socket), event: event))
        }
    }

    private func record(_ event: ZMQMonitorEvent, on socket: Int) {
        tallyDirty = true
        let kind = event.kind
        if !kind.isDisjoint(with: [.accepted, .connected]) { peerSubscriptions[socket]?.opened(Int32(bitPattern: event.value)) }
        if kind.contains(.disconnected) { peerSubscriptions[socket]?.closed(Int32(bitPattern: event.value)) }
        if kind.contains(.connected) { tally.connections[socket].connected += 1 }
        if kind.contains(.accepted) { tally.connections[socket].accepted += 1 }
        if kind.contains(.disconnected) { tally.connections[socket].disconnected += 1 }
        if kind.contains(.handshakeSucceeded) { tally.connections[socket].handshakeSucceeded += 1 }
        if kind.contains(.handshakeFailedAuth) { tally.connections[socket].handshakeFailedAuth += 1 }
        if !kind.isDisjoint(with: [.handshakeFailedProtocol, .handshakeFailedNoDetail]) {
            tally.connections[socket].handshakeFailedOther += 1
        }
    }

    /// Publishes the thread's counters once per loop pass, not per message.
    private func flushTally() {
        guard tallyDirty else { return }
        tallyDirty = false
        let snapshot = tally
        core.threadCounters.withLock { $0 = snapshot }
    }
}
