import FeedOutput
import KrakenWire
import NIOCore
import NIOSSL
import SeededRandom
import SessionLifecycle
import TransportTLS
import WebSocketTransport
import WireFormat

/// What a feed (market or account) adds to a connection: its protocol. An actor running on the
/// connection's event loop. It owns its `FeedConnection` and is the WebSocket's delegate: each
/// socket event enters it (`assumeIsolated`, checked, never a hop) and goes on to the connection
/// inside its isolation, which calls these back inline.
protocol FeedConnectionDelegate: Actor, WebSocketConnectionDelegate {
    /// The loop the actor runs on (its executor).
    nonisolated var eventLoop: any EventLoop { get }
    /// The connection this actor speaks its protocol on.
    var link: FeedConnection<Self> { get }
    /// The WebSocket is open: start the feed's handshake (subscriptions, token, …).
    func feedConnectionOpened()
    /// One complete message.
    func feedConnection(received bytes: UnsafeRawBufferPointer, nowNs: Int64)
    /// The connection ended; a reconnect is already scheduled (unless stopping).
    func feedConnectionClosed(reason: WebSocketCloseReason)
    /// A subscription acknowledged long ago has been quiet while heartbeats still come.
    func feedConnectionSuspectsQuiet(_ key: SubscriptionKey)
    /// The connection moved to another lifecycle state (the session publishes it).
    func feedConnection(changed change: ConnectionStateChange)
}

/// The part every Kraken connection shares, whatever it carries: the lifecycle state machine
/// (published on `conn:<feed>:`), endpoint failover behind circuit breakers, reconnects with
/// full-jitter backoff, connect and handshake deadlines, pings whose answers are required,
/// liveness (connection silence, unanswered pings and requests, quiet subscriptions) and paced
/// requests.
///
/// Part of its owner's state (not Sendable), used only inside the owner's isolation: the owner,
/// a session actor, calls it, and every way in from NIO — socket events and timers, on the loop
/// the owner runs on — enters the owner first.
final class FeedConnection<Owner: FeedConnectionDelegate> {
    let name: String
    let settings: ConnectionSettings
    /// Decides only the application ping's shape; the session speaks the rest of the protocol.
    let protocolVersion: ProtocolVersion
    let eventLoop: any EventLoop
    /// The session this connection belongs to (set when it starts).
    weak var owner: Owner?
    var counters = FeedCounters()
    var log: FeedLog
    private(set) var lifecycle: ConnectionLifecycle
    private(set) var endpoints: EndpointRotation
    private(set) var endpointIndex = 0
    private(set) var lastFrameNs: Int64 = 0
    /// Subscriptions suspected quiet while heartbeats come, until their data flows again.
    private var quietSuspects: [SubscriptionKey: Int64] = [:]

    private let tls: NIOSSLContext?
    private var connection: WebSocketConnection?
    private var backoff: ReconnectBackoff
    private var random: SplitMix64
    private var liveness: LivenessMonitor
    private var pacer: RequestPacer
    private var outgoing: [[UInt8]] = []
    private var pendingAcks: Set<SubscriptionKey> = []
    private var acknowledgedKeys: Set<SubscriptionKey> = []
    private var refusedKeys: Set<SubscriptionKey> = []
    /// When Kraken last answered an application ping (0: never). Kraken answers in order on
    /// the same stream, so everything it sent before then has arrived: a stream that stalls
    /// stops answering, and this stops moving.
    private(set) var lastApplicationPongNs: Int64 = 0
    private var drainTimer: Scheduled<Void>?
    private var handshakeTimer: Scheduled<Void>?
    private var reconnectTimer: Scheduled<Void>?
    private var livenessTimer: Scheduled<Void>?
    private var activeSinceNs: Int64?
    /// The endpoint whose last attempt failed (never became active), if any.
    private var lastFailedIndex: Int?
    private var lastPingNs: Int64 = 0
    private var requestID: UInt64 = 0
    private var pingID: UInt64 = 1 << 40
    private var stopping = false

    var state: ConnectionState { lifecycle.state }
    var isOpen: Bool { connection != nil }

    init(
        name: String, settings: ConnectionSettings, protocolVersion: ProtocolVersion, eventLoop: any EventLoop, seed: UInt64
    ) throws {
        self.name = name
        self.settings = settings
        self.protocolVersion = protocolVersion
        self.eventLoop = eventLoop
        let now = UnixTime.nanoseconds()
        lifecycle = ConnectionLifecycle(nowNs: now)
        // Backoff grows only across attempts that never became active: a connection that was
        // subscribed and then dropped gets a fast first retry again.
        backoff = ReconnectBackoff(baseNs: settings.backoffBase.nanoseconds, capNs: settings.backoffCap.nanoseconds, healthyResetNs: 0)
        endpoints = EndpointRotation(urls: settings.endpoints.map(\.description))
        liveness = LivenessMonitor(nowNs: now)
        pacer = RequestPacer(burst: settings.requestBurst, refillIntervalNs: settings.requestInterval.nanoseconds)
        random = SplitMix64(seed: seed)
        log = FeedLog(feed: name)
        tls = settings.endpoints.contains(where: \.secure) ? try ClientTLS.context(trustingCAFile: settings.trustedCAFile) : nil
    }

    // MARK: lifecycle

    func start() {
        eventLoop.preconditionInEventLoop()
        scheduleLivenessCheck()
        connect()
    }

    func stop() {
        stopping = true
        for timer in [livenessTimer, handshakeTimer, reconnectTimer, drainTimer] { timer?.cancel() }
        transition(to: .shuttingDown, detail: "stopping")
        connection?.close()
        connection = nil
        transition(to: .disconnected, detail: "stopped")
    }

    /// Drops the connection (it is presumed dead or unusable); the usual reconnect follows.
    func abort(kind: String, _ detail: String) {
        log.write(kind: kind, detail)
        connection?.abort()
    }

    private func connect() {
        guard !stopping, let owner else { return }
        let now = UnixTime.nanoseconds()
        switch endpoints.next(nowNs: now, after: lastFailedIndex) {
        case .connect(let index, _):
            endpointIndex = index
        case .waitUntil(let untilNs):
            // Every endpoint's breaker is open: wait for the first to allow a trial.
            reconnectTimer = schedule(in: .nanoseconds(max(untilNs - now, 1_000_000))) { owner in owner.link.connect() }
            return
        case .awaitTrial:
            reconnectTimer = schedule(in: .milliseconds(100)) { owner in owner.link.connect() }
            return
        }
        let endpoint = settings.endpoints[endpointIndex]
        log.connecting(to: endpoint.description, attempt: lifecycle.attempt + 1)
        transition(to: .connecting, detail: endpoint.description)
        counters.connects += 1
        pendingAcks = []
        acknowledgedKeys = []
        refusedKeys = []
        outgoing = []
        drainTimer?.cancel()
        drainTimer = nil
        lastFrameNs = now
        liveness = LivenessMonitor(
            nowNs: now, connectionSilenceNs: settings.staleAfter.nanoseconds,
            unsubscribedSilenceNs: settings.handshakeTimeout.nanoseconds + settings.staleAfter.nanoseconds,
            ackDeadlineNs: settings.ackDeadline.nanoseconds, dataQuietNs: settings.quietAfter.nanoseconds,
            pongDeadlineNs: settings.pongDeadline.nanoseconds)
        quietSuspects = [:]
        lastPingNs = 0
        connection = WebSocketConnection.connect(
            host: endpoint.host, port: endpoint.port, path: endpoint.path, tls: endpoint.secure ? tls : nil,
            maxFrameSize: settings.maxFrameSize, connectTimeout: settings.connectTimeout, on: eventLoop, delegate: owner)
        handshakeTimer?.cancel()
        handshakeTimer = schedule(in: settings.handshakeTimeout) { owner in
            let link = owner.link
            guard link.state == .connecting || link.state == .connected || link.state == .authenticated else { return }
            link.counters.handshakeTimeouts += 1
            link.abort(kind: "handshake_timeout", "the feed did not complete its handshake within the deadline")
        }
    }

    /// The feed got what it waits for first (instrument snapshot, token): stop the handshake deadline.
    func handshakeCompleted() { handshakeTimer?.cancel() }

    // MARK: from the socket (the owner entered; see the FeedConnectionDelegate extension)

    func opened(_ id: ObjectIdentifier, owner: isolated Owner) {
        guard isCurrent(id) else { return }
        transition(to: .connected, detail: "upgraded")
        owner.feedConnectionOpened()
    }

    func closed(_ id: ObjectIdentifier, reason: WebSocketCloseReason, owner: isolated Owner) {
        guard isCurrent(id) else { return }
        self.connection = nil
        handshakeTimer?.cancel()
        switch reason {
        case .frameTooLarge: counters.oversizedFrames += 1
        case .protocolError: counters.protocolErrors += 1
        case .connectFailed: counters.connectFailures += 1
        case .closedByServer, .closedLocally, .connectionLost: break
        }
        guard !stopping else { return }
        let now = UnixTime.nanoseconds()
        log.write(kind: "disconnected", "\(reason) (state \(state.rawValue))")
        if let activeSinceNs {
            backoff.resetIfHealthy(activeSinceNs: activeSinceNs, nowNs: now)
            lastFailedIndex = nil
        } else {
            endpoints.recordFailure(index: endpointIndex, nowNs: now)
            lastFailedIndex = endpointIndex
        }
        activeSinceNs = nil
        let delay = backoff.nextDelayNs(using: &random)
        counters.reconnections += 1
        transition(to: .reconnecting, detail: "\(reason); retry in \(delay / 1_000_000) ms")
        owner.feedConnectionClosed(reason: reason)
        reconnectTimer = schedule(in: .nanoseconds(delay)) { owner in owner.link.connect() }
    }

    func webSocketPongReceived(_ id: ObjectIdentifier) {
        guard isCurrent(id) else { return }
        lastFrameNs = UnixTime.nanoseconds()
        liveness.pongReceived(.webSocket, nowNs: lastFrameNs)
    }

    /// The hot path: one message, handed to the owner inline.
    func received(_ message: ByteBuffer, owner: isolated Owner) {
        let now = UnixTime.nanoseconds()
        lastFrameNs = now
        liveness.frameReceived(nowNs: now)
        counters.frames += 1
        message.withUnsafeReadableBytes { owner.feedConnection(received: $0, nowNs: now) }
    }

    private func isCurrent(_ id: ObjectIdentifier) -> Bool { connection.map(ObjectIdentifier.init) == id }

    /// A timer on the owner's loop whose body runs inside the owner; nil without an owner (the
    /// connection never started).
    private func schedule(in delay: TimeAmount, _ body: @escaping @Sendable (isolated Owner) -> Void) -> Scheduled<Void>? {
        owner?.schedule(in: delay, body)
    }

    /// Kraken answered an application ping (v2 `pong` response, v1 `pong` event).
    func pongReceived() {
        counters.pongs += 1
        lastApplicationPongNs = UnixTime.nanoseconds()
        liveness.pongReceived(.application, nowNs: lastApplicationPongNs)
    }

    /// Why this open connection is suspected of being stuck, for health (nil: it is not): a
    /// ping unanswered for half the deadline, or a subscription quiet while heartbeats come.
    func suspicion(nowNs: Int64) -> String? {
        guard connection != nil, state == .active || state == .subscribing else { return nil }
        for kind in PingKind.allCases {
            if let waitingNs = liveness.pingWaitNs(kind, nowNs: nowNs), waitingNs > settings.pongDeadline.nanoseconds / 2 {
                return "\(kind.rawValue) ping unanswered for \(waitingNs / 1_000_000) ms"
            }
        }
        guard let (key, sinceNs) = quietSuspects.min(by: { $0.value < $1.value }) else { return nil }
        return "\(key) quiet for \((nowNs - sinceNs) / 1_000_000_000) s while heartbeats arrive; verifying"
    }

    // MARK: states

    func transition(to next: ConnectionState, detail: String) {
        let now = UnixTime.nanoseconds()
        let previous = state
        do {
            try lifecycle.transition(to: next, nowNs: now, detail: detail)
        } catch {
            counters.illegalTransitions += 1
            log.write(kind: "illegal_transition", "\(error)")
            return
        }
        let change = ConnectionStateChange(
            feed: name, endpoint: settings.endpoints[endpointIndex].description, state: next, previous: previous, detail: detail,
            attempt: lifecycle.attempt, atNs: now)
        // Called from the owner's isolation (its methods, or a way in that entered it); rare.
        owner?.assumeIsolated { $0.feedConnection(changed: change) }
    }

    /// Subscribing → active once nothing awaits an ack.
    func becomeActiveIfSettled(detail: String) {
        guard state == .subscribing, pendingAcks.isEmpty else { return }
        activeSinceNs = UnixTime.nanoseconds()
        endpoints.recordSuccess(index: endpointIndex)
        transition(to: .active, detail: detail)
    }

    // MARK: requests and acks

    /// Queues a v2 subscribe (or unsubscribe) request with the connection's next request id;
    /// a request Kraken would refuse is counted and logged instead.
    func send(_ subscription: V2Subscription, unsubscribe: Bool = false) {
        sendRequest { id throws(RequestError) in
            unsubscribe ? try V2Request.unsubscribe(subscription, requestID: id) : try V2Request.subscribe(subscription, requestID: id)
        }
    }

    /// The same for a v1 subscription (pairs already in their v1 names).
    func send(_ subscription: V1Subscription, unsubscribe: Bool = false) {
        sendRequest { id throws(RequestError) in
            unsubscribe ? try V1Request.unsubscribe(subscription, requestID: id) : try V1Request.subscribe(subscription, requestID: id)
        }
    }

    private func sendRequest(_ encode: (UInt64) throws(RequestError) -> [UInt8]) {
        requestID += 1
        do {
            send(try encode(requestID))
        } catch {
            counters.subscribeErrors += 1
            log.write(kind: "invalid_request", "\(error)")
        }
    }

    /// Parses one frame with `decode` (either version's parser); a frame that does not parse
    /// is counted by kind, logged at a bounded rate and answered with nil (the session goes on).
    func parse<Message>(
        _ bytes: UnsafeRawBufferPointer, nowNs: Int64, _ decode: (UnsafeRawBufferPointer) throws(WireError) -> Message
    ) -> Message? {
        do {
            return try decode(bytes)
        } catch {
            counters.countMalformed(error)
            log.write(kind: "malformed_frame", "\(error) (\(bytes.count) bytes)")
            return nil
        }
    }

    /// Queues a request; the pacer lets it out now or when a token frees up.
    func send(_ request: [UInt8]) {
        outgoing.append(request)
        drainOutgoing()
    }

    func expectAck(_ key: SubscriptionKey) {
        pendingAcks.insert(key)
        refusedKeys.remove(key)
        liveness.subscriptionRequested(key, nowNs: UnixTime.nanoseconds())
    }

    func isAwaitingAck(_ key: SubscriptionKey) -> Bool { pendingAcks.contains(key) }

    /// Where a subscription stands on this connection (nil: never requested on it).
    func subscriptionState(_ key: SubscriptionKey) -> SubscriptionState? {
        if pendingAcks.contains(key) { return .pending }
        if acknowledgedKeys.contains(key) { return .active }
        return refusedKeys.contains(key) ? .refused : nil
    }

    /// An ack for a subscription the feed no longer waits for (dropped before Kraken answered)
    /// is ignored, so a removed pair's channel is not watched again.
    func acknowledged(_ key: SubscriptionKey) {
        guard pendingAcks.remove(key) != nil else { return }
        acknowledgedKeys.insert(key)
        liveness.subscriptionAcknowledged(key, nowNs: UnixTime.nanoseconds())
    }

    /// Kraken refused the subscriptions matching `matches`: they will not ack.
    func refused(where matches: (SubscriptionKey) -> Bool) {
        for key in pendingAcks where matches(key) {
            pendingAcks.remove(key)
            refusedKeys.insert(key)
            liveness.subscriptionRemoved(key)
        }
    }

    func dataReceived(_ key: SubscriptionKey, nowNs: Int64) {
        liveness.dataReceived(key, nowNs: nowNs)
        if !quietSuspects.isEmpty { quietSuspects[key] = nil }
    }

    /// The feed dropped this subscription: it is neither awaited nor watched any more.
    func forget(_ key: SubscriptionKey) {
        pendingAcks.remove(key)
        acknowledgedKeys.remove(key)
        refusedKeys.remove(key)
        quietSuspects[key] = nil
        liveness.subscriptionRemoved(key)
    }

    private func drainOutgoing() {
        guard drainTimer == nil else { return }
        while !outgoing.isEmpty, let connection {
            let now = UnixTime.nanoseconds()
            if let readyNs = pacer.take(nowNs: now) {
                counters.pacedRequests += 1
                drainTimer = schedule(in: .nanoseconds(max(readyNs - now, 0))) { owner in
                    owner.link.drainTimer = nil
                    owner.link.drainOutgoing()
                }
                return
            }
            connection.send(text: outgoing.removeFirst())
        }
    }

    // MARK: liveness

    private func scheduleLivenessCheck() {
        livenessTimer = schedule(in: .milliseconds(250)) { owner in
            let link = owner.link
            guard !link.stopping else { return }
            link.checkLiveness(owner: owner)
            link.scheduleLivenessCheck()
        }
    }

    private func checkLiveness(owner: isolated Owner) {
        guard let connection, state != .disconnected, state != .reconnecting else { return }
        let now = UnixTime.nanoseconds()
        for decision in liveness.evaluate(nowNs: now) {
            switch decision {
            case .connectionStale(let silentForNs):
                counters.staleConnections += 1
                abort(kind: "stale", "no frame for \(silentForNs / 1_000_000) ms; reconnecting")
                return
            case .ackOverdue(let key, let waitingForNs):
                // A server that takes frames but does not answer requests is not usable.
                counters.ackTimeouts += 1
                abort(kind: "ack_overdue", "\(key) unanswered for \(waitingForNs / 1_000_000) ms; reconnecting")
                return
            case .dataSuspect(let key, let quietForNs):
                counters.suspectSubscriptions += 1
                if quietSuspects[key] == nil { quietSuspects[key] = now - quietForNs }
                // The feed decides; by default a new quiet period starts.
                liveness.dataReceived(key, nowNs: now)
                owner.feedConnectionSuspectsQuiet(key)
            case .pingUnanswered(let kind, let waitingForNs):
                counters.pongTimeouts += 1
                abort(kind: "ping_unanswered", "\(kind.rawValue) ping unanswered for \(waitingForNs / 1_000_000) ms; reconnecting")
                return
            }
        }
        if state == .active || state == .subscribing, now - lastPingNs > settings.pingInterval.nanoseconds {
            lastPingNs = now
            pingID += 1
            connection.send(text: protocolVersion == .v2 ? V2Request.ping(requestID: pingID) : V1Request.ping(requestID: pingID))
            connection.ping()
            liveness.pingSent(.application, nowNs: now)
            liveness.pingSent(.webSocket, nowNs: now)
        }
    }

    func diagnosticsBreakers() -> [FeedDiagnostics.Breaker] {
        endpoints.endpoints.map { FeedDiagnostics.Breaker(endpoint: $0.url, state: $0.breaker.stateName) }
    }
}

/// The WebSocket's events, entering the owner: each runs on the loop the owner runs on (checked
/// by `assumeIsolated`), and takes only Sendable values in — the message as NIO's buffer, the
/// connection by identity.
extension FeedConnectionDelegate {
    nonisolated func connectionOpened(_ connection: WebSocketConnection) {
        let id = ObjectIdentifier(connection)
        assumeIsolated { $0.link.opened(id, owner: $0) }
    }

    nonisolated func connection(_ connection: WebSocketConnection, received message: ByteBuffer) {
        enter(with: message) { owner, message in owner.link.received(message, owner: owner) }
    }

    nonisolated func connectionReceivedPong(_ connection: WebSocketConnection) {
        let id = ObjectIdentifier(connection)
        assumeIsolated { $0.link.webSocketPongReceived(id) }
    }

    nonisolated func connection(_ connection: WebSocketConnection, closed reason: WebSocketCloseReason) {
        let id = ObjectIdentifier(connection)
        assumeIsolated { $0.link.closed(id, reason: reason, owner: $0) }
    }

    /// `assumeIsolated` for the hot path, one call per Kraken message: the same check (this
    /// thread is the loop the actor's executor runs on, so no job of the actor runs meanwhile)
    /// and the same entry (the isolated function called as a plain one, as the standard library
    /// does). `assumeIsolated` boxes its capturing closure on the heap on every call — measured
    /// in release builds at ~9 % of the ingest benchmark's throughput; `body` here captures
    /// nothing, so entering allocates nothing.
    nonisolated func enter<Value: Sendable>(with value: Value, _ body: @escaping (isolated Self, Value) -> Void) {
        eventLoop.preconditionInEventLoop()
        let entered = unsafeBitCast(body, to: ((Self, Value) -> Void).self)
        entered(self, value)
    }

    /// Runs `body` inside the actor after `delay`: a timer on the actor's own loop, so it enters
    /// without a hop. Nothing runs once the actor is gone.
    nonisolated func schedule(in delay: TimeAmount, _ body: @escaping @Sendable (isolated Self) -> Void) -> Scheduled<Void> {
        eventLoop.scheduleTask(in: delay) { [weak self] in self?.assumeIsolated(body) }
    }
}
