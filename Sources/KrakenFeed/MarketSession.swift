import BusPublishing
import KrakenWire
import MarketFlow
import NIOCore
import NIOSSL
import OrderBook
import SeededRandom
import SessionLifecycle
import TransportTLS
import WebSocketTransport
import WireFormat

/// One public v2 market-data connection and everything it keeps: the connection's lifecycle,
/// the instrument precisions, one exact book per symbol, the subscriptions. Confined to one
/// event loop — the connection's — so each frame goes socket → parse → book → encode → bus
/// outbox inside one `channelRead`, with no task or thread hop and no lock but the outbox's.
final class MarketSession: WebSocketConnectionDelegate {
    let configuration: MarketFeedConfiguration
    let eventLoop: any EventLoop
    private let publisher: BusPublisher
    private let tls: NIOSSLContext?

    private(set) var lifecycle: ConnectionLifecycle
    private(set) var counters = FeedCounters()
    private(set) var instruments = InstrumentRegistry()
    private(set) var books: [String: BookKeeper] = [:]
    private(set) var endpointIndex = 0
    private(set) var lastFrameNs: Int64 = 0
    private(set) var log: BoundedLog
    private(set) var endpoints: EndpointRotation

    private var symbols: [String]
    private var topics: [String: SymbolTopics] = [:]
    private var connection: WebSocketConnection?
    private var parser = V2FrameParser()
    private var backoff: ReconnectBackoff
    private var random: SplitMix64
    private var requestID: UInt64 = 0
    private var pendingAcks: Set<SubscriptionKey> = []
    private var liveness: LivenessMonitor
    private var pacer: RequestPacer
    private var outgoing: [[UInt8]] = []
    private var drainTimer: Scheduled<Void>?
    private var activeSinceNs: Int64?
    private var subscribedOnce = false
    private var lastPingNs: Int64 = 0
    private var handshakeTimer: Scheduled<Void>?
    private var reconnectTimer: Scheduled<Void>?
    private var livenessTimer: Scheduled<Void>?
    private var stopping = false
    private let connectionTopic: Topic

    var state: ConnectionState { lifecycle.state }

    init(configuration: MarketFeedConfiguration, publisher: BusPublisher, eventLoop: any EventLoop, seed: UInt64) throws {
        self.configuration = configuration
        self.publisher = publisher
        self.eventLoop = eventLoop
        symbols = configuration.symbols
        random = SplitMix64(seed: seed)
        let now = UnixTime.nanoseconds()
        lifecycle = ConnectionLifecycle(nowNs: now)
        // Backoff grows only across attempts that never became active: a connection that was
        // subscribed and then dropped gets a fast first retry again.
        backoff = ReconnectBackoff(baseNs: configuration.backoffBase.nanoseconds, capNs: configuration.backoffCap.nanoseconds,
                                   healthyResetNs: 0)
        endpoints = EndpointRotation(urls: configuration.endpoints.map(\.description))
        liveness = LivenessMonitor(nowNs: now)
        pacer = RequestPacer(burst: configuration.requestBurst, refillIntervalNs: configuration.requestInterval.nanoseconds)
        log = BoundedLog(prefix: "feed \(configuration.name):")
        tls = configuration.endpoints.contains(where: \.secure)
            ? try ClientTLS.context(trustingCAFile: configuration.trustedCAFile) : nil
        connectionTopic = try Topic.connection(configuration.name)
    }

    // MARK: lifecycle

    func start() {
        eventLoop.preconditionInEventLoop()
        scheduleLivenessCheck()
        connect()
    }

    func stop() {
        stopping = true
        livenessTimer?.cancel()
        handshakeTimer?.cancel()
        reconnectTimer?.cancel()
        drainTimer?.cancel()
        transition(to: .shuttingDown, detail: "stopping")
        connection?.close()
        connection = nil
        transition(to: .disconnected, detail: "stopped")
    }

    private func connect() {
        guard !stopping else { return }
        let now = UnixTime.nanoseconds()
        switch endpoints.next(nowNs: now) {
        case .connect(let index, _):
            endpointIndex = index
        case .waitUntil(let untilNs):
            // Every endpoint's breaker is open: wait for the first to allow a trial.
            reconnectTimer = eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(max(untilNs - now, 1_000_000))) {
                [weak self] in self?.connect()
            }
            return
        case .awaitTrial:
            reconnectTimer = eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(100)) { [weak self] in self?.connect() }
            return
        }
        let endpoint = configuration.endpoints[endpointIndex]
        transition(to: .connecting, detail: endpoint.description)
        counters.connects += 1
        parser = V2FrameParser()
        pendingAcks = []
        outgoing = []
        drainTimer?.cancel()
        drainTimer = nil
        subscribedOnce = false
        lastFrameNs = now
        liveness = LivenessMonitor(nowNs: now, connectionSilenceNs: configuration.staleAfter.nanoseconds,
                                   unsubscribedSilenceNs: configuration.handshakeTimeout.nanoseconds + configuration.staleAfter.nanoseconds,
                                   ackDeadlineNs: configuration.ackDeadline.nanoseconds, dataQuietNs: configuration.bookQuietAfter.nanoseconds)
        connection = WebSocketConnection.connect(
            host: endpoint.host, port: endpoint.port, path: endpoint.path, tls: endpoint.secure ? tls : nil,
            maxFrameSize: configuration.maxFrameSize, connectTimeout: configuration.connectTimeout, on: eventLoop, delegate: self)
        handshakeTimer?.cancel()
        handshakeTimer = eventLoop.assumeIsolated().scheduleTask(in: configuration.handshakeTimeout) { [weak self] in
            guard let self, self.state == .connecting || self.state == .connected else { return }
            self.counters.handshakeTimeouts += 1
            self.log.write(kind: "handshake_timeout", "no instrument snapshot within the deadline", nowNs: UnixTime.nanoseconds())
            self.connection?.abort()
        }
    }

    func connectionOpened(_ connection: WebSocketConnection) {
        guard connection === self.connection else { return }
        transition(to: .connected, detail: "upgraded")
        send(V2Subscription(channel: .instrument, snapshot: true))
    }

    func connection(_ connection: WebSocketConnection, closed reason: WebSocketCloseReason) {
        guard connection === self.connection else { return }
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
        log.write(kind: "disconnected", "\(reason) (state \(state.rawValue))", nowNs: now)
        invalidateBooks(reason: .reconnect, detail: "connection ended: \(reason)")
        if let activeSinceNs {
            backoff.resetIfHealthy(activeSinceNs: activeSinceNs, nowNs: now)
        } else {
            endpoints.recordFailure(index: endpointIndex, nowNs: now)
        }
        activeSinceNs = nil
        let delay = backoff.nextDelayNs(using: &random)
        counters.reconnections += 1
        transition(to: .reconnecting, detail: "\(reason); retry in \(delay / 1_000_000) ms")
        reconnectTimer = eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(delay)) { [weak self] in self?.connect() }
    }

    private func scheduleLivenessCheck() {
        livenessTimer = eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(250)) { [weak self] in
            guard let self, !self.stopping else { return }
            self.checkLiveness()
            self.scheduleLivenessCheck()
        }
    }

    private func checkLiveness() {
        guard let connection, state != .disconnected, state != .reconnecting else { return }
        let now = UnixTime.nanoseconds()
        for decision in liveness.evaluate(nowNs: now) {
            switch decision {
            case .connectionStale(let silentForNs):
                counters.staleConnections += 1
                log.write(kind: "stale", "no frame for \(silentForNs / 1_000_000) ms; reconnecting", nowNs: now)
                connection.abort()
                return
            case .ackOverdue(let key, let waitingForNs):
                // A server that takes frames but does not answer requests is not usable.
                counters.ackTimeouts += 1
                log.write(kind: "ack_overdue", "\(key) unanswered for \(waitingForNs / 1_000_000) ms; reconnecting", nowNs: now)
                connection.abort()
                return
            case .dataSuspect(let key, let quietForNs):
                counters.suspectSubscriptions += 1
                if key.channel == V2Channel.book.name {
                    // Heartbeats arrive but this book has been quiet: verify it with a fresh snapshot.
                    log.write(kind: "book_quiet", "\(key.symbol) quiet for \(quietForNs / 1_000_000) ms; resubscribing", nowNs: now)
                    resubscribeBook(key.symbol)
                } else {
                    // A quiet trade or ticker stream is a quiet market; start a new quiet period.
                    liveness.dataReceived(key, nowNs: now)
                }
            }
        }
        if state == .active || state == .subscribing, now - lastPingNs > configuration.pingInterval.nanoseconds {
            lastPingNs = now
            requestID += 1
            connection.send(text: V2Request.ping(requestID: requestID))
            connection.ping()
        }
    }

    private func transition(to next: ConnectionState, detail: String) {
        let now = UnixTime.nanoseconds()
        let previous = state
        do {
            try lifecycle.transition(to: next, nowNs: now, detail: detail)
        } catch {
            counters.illegalTransitions += 1
            log.write(kind: "illegal_transition", "\(error)", nowNs: now)
            return
        }
        var status = KBConnectionStatus()
        status.feed = configuration.name
        status.endpoint = configuration.endpoints[endpointIndex].description
        status.state = next.wireState
        status.previousState = previous.wireState
        status.detail = detail
        status.attempt = UInt32(clamping: lifecycle.attempt)
        publish(status, on: connectionTopic, exchangeNs: 0, receivedNs: now)
    }

    // MARK: frames

    func connectionReceivedPong(_ connection: WebSocketConnection) {
        lastFrameNs = UnixTime.nanoseconds()
        liveness.frameReceived(nowNs: lastFrameNs)
    }

    func connection(_ connection: WebSocketConnection, received bytes: UnsafeRawBufferPointer) {
        let now = UnixTime.nanoseconds()
        lastFrameNs = now
        liveness.frameReceived(nowNs: now)
        counters.frames += 1
        let message: V2Message
        do {
            message = try parser.parse(bytes)
        } catch {
            counters.countMalformed(error)
            log.write(kind: "malformed_frame", "\(error) (\(bytes.count) bytes)", nowNs: now)
            return
        }
        switch message {
        case .book(let book): handle(book, receivedNs: now)
        case .trade(let trades): handle(trades, receivedNs: now)
        case .heartbeat: counters.heartbeats += 1
        case .ticker(let ticker): handle(ticker, receivedNs: now)
        case .ohlc(let candles): handle(candles, receivedNs: now)
        case .status(let status):
            counters.statusEvents += 1
            publish(MarketEvents.exchangeStatus(status, feed: configuration.name), on: .exchangeStatus, exchangeNs: 0, receivedNs: now)
        case .instrument(let instrument): handle(instrument, receivedNs: now)
        case .response(let response): handle(response)
        case .level3, .executions, .balances:
            counters.unexpectedMessages += 1
        }
    }

    private func handle(_ message: V2BookMessage, receivedNs: Int64) {
        guard let topic = topics[message.symbol]?.book, let outcome = books[message.symbol]?.apply(message) else {
            counters.unexpectedMessages += 1
            return
        }
        let exchangeNs = message.timestampNs ?? 0
        liveness.dataReceived(SubscriptionKey(channel: V2Channel.book.name, symbol: message.symbol), nowNs: receivedNs)
        switch outcome {
        case .update(let update):
            counters.bookUpdates += 1
            publish(update, on: topic, exchangeNs: exchangeNs, receivedNs: receivedNs)
        case .snapshot(let snapshot):
            counters.bookSnapshots += 1
            publish(snapshot, on: topic, exchangeNs: exchangeNs, receivedNs: receivedNs, flags: .snapshot)
        case .checksumMismatch(let reset), .invalidLevel(let reset):
            counters.checksumFailures += 1
            counters.bookResets += 1
            log.write(kind: "checksum_mismatch",
                      "\(message.symbol): expected \(reset.expectedChecksum), computed \(reset.computedChecksum); resubscribing",
                      nowNs: receivedNs)
            publish(reset, on: topic, exchangeNs: exchangeNs, receivedNs: receivedNs)
            resubscribeBook(message.symbol)
        case .ignored:
            counters.bookUpdatesIgnored += 1
        }
    }

    private func handle(_ message: V2TradeMessage, receivedNs: Int64) {
        for trade in message.trades {
            guard let topic = topics[trade.symbol]?.trade else {
                counters.unexpectedMessages += 1
                continue
            }
            counters.trades += 1
            publish(MarketEvents.trade(trade, fromSnapshot: message.kind == .snapshot), on: topic, exchangeNs: trade.timestampNs,
                    receivedNs: receivedNs, flags: message.kind == .snapshot ? .snapshot : [])
        }
    }

    private func handle(_ message: V2TickerMessage, receivedNs: Int64) {
        guard let topic = topics[message.ticker.symbol]?.ticker else {
            counters.unexpectedMessages += 1
            return
        }
        counters.tickers += 1
        publish(MarketEvents.ticker(message.ticker, receivedNs: receivedNs), on: topic, exchangeNs: message.ticker.timestampNs ?? 0,
                receivedNs: receivedNs)
    }

    private func handle(_ message: V2OHLCMessage, receivedNs: Int64) {
        for candle in message.candles {
            guard let topic = topics[candle.symbol]?.ohlc[candle.interval] else {
                counters.unexpectedMessages += 1
                continue
            }
            counters.candles += 1
            publish(MarketEvents.candle(candle, receivedNs: receivedNs), on: topic, exchangeNs: candle.timestampNs ?? 0,
                    receivedNs: receivedNs)
        }
    }

    private func handle(_ message: V2InstrumentMessage, receivedNs: Int64) {
        let rejected = instruments.record(message)
        for symbol in rejected {
            log.write(kind: "instrument_rejected", "\(symbol): precision outside 0…18", nowNs: receivedNs)
        }
        for pair in message.pairs where symbols.contains(pair.symbol) {
            if let topic = try? Topic.instrument(pair.symbol) {
                publish(MarketEvents.instrument(pair), on: topic, exchangeNs: 0, receivedNs: receivedNs,
                        flags: message.kind == .snapshot ? .snapshot : [])
            }
        }
        guard message.kind == .snapshot, !subscribedOnce else { return }
        subscribedOnce = true
        handshakeTimer?.cancel()
        subscribeAll()
    }

    private func handle(_ response: V2Response) {
        switch response.method {
        case .pong:
            counters.pongs += 1
        case .subscribe, .unsubscribe:
            let channel: String
            let symbol: String?
            if case .subscription(let result) = response.result {
                channel = result.channel
                symbol = result.symbol
            } else {
                channel = ""
                symbol = response.symbol
            }
            let key = SubscriptionKey(channel: channel, symbol: symbol ?? "")
            let now = UnixTime.nanoseconds()
            if response.success == true {
                if response.method == .subscribe {
                    pendingAcks.remove(key)
                    liveness.subscriptionAcknowledged(key, nowNs: now)
                }
            } else {
                counters.subscribeErrors += 1
                let error = response.error ?? "unknown error"
                if error.contains("Exceeded msg rate") { counters.rateLimited += 1 }
                log.write(kind: "subscribe_error", "\(symbol ?? "-"): \(error)", nowNs: now)
                // Kraken names the symbol of a failed subscription; whatever it was, it will not ack.
                for pending in pendingAcks where pending.symbol == (symbol ?? "") && (channel.isEmpty || pending.channel == channel) {
                    pendingAcks.remove(pending)
                    liveness.subscriptionRemoved(pending)
                }
            }
            if state == .subscribing, pendingAcks.isEmpty { becomeActive(detail: "subscribed") }
        default:
            counters.unexpectedMessages += 1
        }
    }

    // MARK: subscriptions

    private func subscribeAll() {
        transition(to: .subscribing, detail: "\(symbols.count) symbols")
        var known: [String] = []
        for symbol in symbols {
            guard let precision = instruments[symbol] else {
                counters.subscribeErrors += 1
                log.write(kind: "unknown_symbol", "\(symbol) is not in Kraken's instrument list", nowNs: UnixTime.nanoseconds())
                continue
            }
            guard prepare(symbol: symbol, precision: precision) else { continue }
            known.append(symbol)
        }
        for batchStart in stride(from: 0, to: known.count, by: max(1, configuration.symbolsPerRequest)) {
            let batch = Array(known[batchStart..<min(known.count, batchStart + max(1, configuration.symbolsPerRequest))])
            subscribe(batch)
        }
        if pendingAcks.isEmpty { becomeActive(detail: "nothing to subscribe") }
    }

    private func becomeActive(detail: String) {
        activeSinceNs = UnixTime.nanoseconds()
        endpoints.recordSuccess(index: endpointIndex)
        transition(to: .active, detail: detail)
    }

    private func subscribe(_ batch: [String]) {
        if let depth = configuration.bookDepth { request(.book, batch, depth: depth) }
        if configuration.trades { request(.trade, batch) }
        if configuration.tickers { request(.ticker, batch) }
        for interval in configuration.ohlcIntervals { request(.ohlc, batch, interval: interval) }
    }

    private func request(_ channel: V2Channel, _ batch: [String], depth: Int? = nil, interval: Int? = nil) {
        let now = UnixTime.nanoseconds()
        for symbol in batch {
            let key = SubscriptionKey(channel: channel.name, symbol: symbol)
            pendingAcks.insert(key)
            liveness.subscriptionRequested(key, nowNs: now)
        }
        send(V2Subscription(channel: channel, symbols: batch, depth: depth, interval: interval, snapshot: true))
    }

    /// Sets up a symbol's topics and book; false when its name cannot be a topic (counted).
    private func prepare(symbol: String, precision: InstrumentRegistry.Precision) -> Bool {
        do {
            topics[symbol] = try SymbolTopics(symbol: symbol, configuration: configuration)
        } catch {
            counters.subscribeErrors += 1
            log.write(kind: "invalid_symbol", "\(symbol): \(error)", nowNs: UnixTime.nanoseconds())
            return false
        }
        if let depth = configuration.bookDepth, books[symbol] == nil {
            books[symbol] = BookKeeper(symbol: symbol, depth: depth, precision: precision)
        }
        return true
    }

    /// Only this symbol's book is resynchronised: unsubscribe then subscribe with a snapshot.
    private func resubscribeBook(_ symbol: String) {
        guard let depth = configuration.bookDepth else { return }
        send(V2Subscription(channel: .book, symbols: [symbol], depth: depth), unsubscribe: true)
        request(.book, [symbol], depth: depth)
    }

    /// Requests go out through the pacer so hundreds of pairs returning after a reconnect stay
    /// under Kraken's message rate; what must wait is sent when a token frees up.
    private func send(_ subscription: V2Subscription, unsubscribe: Bool = false) {
        requestID += 1
        do {
            outgoing.append(unsubscribe
                ? try V2Request.unsubscribe(subscription, requestID: requestID)
                : try V2Request.subscribe(subscription, requestID: requestID))
        } catch {
            counters.subscribeErrors += 1
            log.write(kind: "invalid_request", "\(error)", nowNs: UnixTime.nanoseconds())
        }
        drainOutgoing()
    }

    private func drainOutgoing() {
        guard drainTimer == nil else { return }
        while !outgoing.isEmpty, let connection {
            let now = UnixTime.nanoseconds()
            if let readyNs = pacer.take(nowNs: now) {
                counters.pacedRequests += 1
                drainTimer = eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(max(readyNs - now, 0))) { [weak self] in
                    self?.drainTimer = nil
                    self?.drainOutgoing()
                }
                return
            }
            connection.send(text: outgoing.removeFirst())
        }
    }

    private func invalidateBooks(reason: KBBookResetReason, detail: String) {
        let now = UnixTime.nanoseconds()
        for symbol in books.keys.sorted() {
            guard let reset = books[symbol]?.invalidate(reason: reason, detail: detail), let topic = topics[symbol]?.book else { continue }
            counters.bookResets += 1
            publish(reset, on: topic, exchangeNs: 0, receivedNs: now)
        }
    }

    private func publish<M: BusPayloadMessage>(_ message: M, on topic: Topic, exchangeNs: Int64, receivedNs: Int64, flags: FrameFlags = []) {
        if publisher.publish(message, on: topic, exchangeTimestampNs: exchangeNs, receivedNs: receivedNs, extraFlags: flags) == nil {
            counters.publishFailures += 1
        }
    }

    // MARK: diagnostics

    func diagnostics() -> FeedDiagnostics {
        FeedDiagnostics(
            name: configuration.name, endpoint: configuration.endpoints[endpointIndex].description,
            state: state, attempt: lifecycle.attempt, lastFrameNs: lastFrameNs, counters: counters,
            circuitBreakers: endpoints.endpoints.map { FeedDiagnostics.Breaker(endpoint: $0.url, state: $0.breaker.stateName) },
            books: books.mapValues { FeedDiagnostics.Book(phase: $0.phase, generation: $0.generation, checksum: $0.book.checksum) })
    }
}

/// The bus topics of one symbol, built once (topic bytes are reused for every frame).
struct SymbolTopics {
    var book: Topic?
    var trade: Topic
    var ticker: Topic
    var ohlc: [Int: Topic] = [:]

    init(symbol: String, configuration: MarketFeedConfiguration) throws(TopicError) {
        book = try configuration.bookDepth.map { depth throws(TopicError) in try Topic.book(symbol, depth: depth) }
        trade = try Topic.trade(symbol)
        ticker = try Topic.ticker(symbol)
        for interval in configuration.ohlcIntervals { ohlc[interval] = try Topic.ohlc(symbol, intervalMinutes: interval) }
    }
}
