import FeedOutput
import KrakenREST
import KrakenWire
import MarketFlow
import NIOCore
import OrderBook
import SessionLifecycle
import TransportTLS
import WebSocketTransport
import WireFormat

/// Kraken's public market-data protocol on one `FeedConnection`, v2 or v1: pair precisions
/// first (v2's `instrument` channel, v1's REST AssetPairs), then one exact book per symbol plus
/// trades, tickers and candles. `MarketSession+V2` and `+V1` read each version's frames and
/// write its requests; what either says ends in the shared pieces here, so both publish the
/// same payloads on the same topics. An actor whose executor is the connection's event loop:
/// each frame goes socket → parse → book → encode → bus outbox inside one `channelRead`, with
/// no task or thread hop and no lock but the outbox's.
actor MarketSession: FeedSession {
    let configuration: MarketFeedConfiguration
    nonisolated let eventLoop: any EventLoop
    /// The loop as an executor, held: for a loop that is not its own executor NIO makes a
    /// wrapper, which an unowned reference alone would let go.
    private nonisolated let executor: any SerialExecutor
    let link: FeedConnection<MarketSession>
    var tasks = SessionTasks()
    let publisher: any BusSink
    /// Where the connection's state changes go: `conn:<feed>:`.
    let connectionTopic: Topic
    /// v1 only: where AssetPairs is read on every connect.
    let rest: PublicRESTClient?

    // State below is the session's alone; the extensions in the other MarketSession files
    // share it, all on the event loop.
    var instruments = InstrumentRegistry()
    var books: [String: BookKeeper] = [:]
    /// Pairs in the order they were configured or added, each with its channels.
    var symbols: [String]
    var channels: [String: SymbolChannels] = [:]
    var topics: [String: SymbolTopics] = [:]
    /// When each symbol's `top:` view was last published, and the trailing publish due after a
    /// rate-limited change.
    var topSentNs: [String: Int64] = [:]
    var topTrailers: [String: Scheduled<Void>] = [:]
    /// The generation each dropped book had reached, so a book that comes back on the same
    /// topic continues from it (generations never go backwards on a topic).
    var retiredGenerations: [Topic: UInt64] = [:]
    var parser = V2FrameParser()
    var v1Parser = V1FrameParser()
    /// v1: Kraken's names of every pair, from this connection's AssetPairs.
    var symbolMap: SymbolMap?
    /// The precisions are known and the first subscriptions went out on this connection.
    var subscribedOnce = false
    /// Pairs the feed wants but cannot have, with the reason (not in Kraken's instrument
    /// list, or Kraken's own refusal); health reports each until Kraken acknowledges the pair.
    var unavailable: [String: String] = [:]
    /// Bumped on every connect, so a REST answer that arrives after its connection died is dropped.
    var connectGeneration = 0

    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    init(configuration: MarketFeedConfiguration, publisher: any BusSink, eventLoop: any EventLoop, seed: UInt64) throws {
        self.configuration = configuration
        self.eventLoop = eventLoop
        executor = eventLoop.executor
        self.publisher = publisher
        symbols = []
        for symbol in configuration.symbols where channels[symbol] == nil {
            symbols.append(symbol)
            channels[symbol] = configuration.defaultChannels
        }
        if configuration.protocolVersion == .v1 {
            let tls = configuration.rest.secure ? try ClientTLS.context(trustingCAFile: configuration.connection.trustedCAFile) : nil
            rest = PublicRESTClient(endpoint: configuration.rest, tls: tls, timeout: configuration.restTimeout)
        } else {
            rest = nil
        }
        connectionTopic = try Topic.connection(configuration.name)
        link = try FeedConnection(name: configuration.name, settings: configuration.connection,
                                  protocolVersion: configuration.protocolVersion, eventLoop: eventLoop, seed: seed)
    }

    func start() {
        link.owner = self
        link.start()
    }

    func stop() {
        tasks.cancelAll()
        for trailer in topTrailers.values { trailer.cancel() }
        topTrailers = [:]
        link.stop()
    }

    // MARK: connection events

    func feedConnectionOpened() {
        subscribedOnce = false
        connectGeneration += 1
        switch configuration.protocolVersion {
        case .v2: openV2()
        case .v1: openV1()
        }
    }

    func feedConnectionClosed(reason: WebSocketCloseReason) {
        invalidateBooks(reason: .reconnect, detail: "connection ended: \(reason)")
    }

    func feedConnection(changed change: ConnectionStateChange) {
        publish(change, on: connectionTopic, to: publisher)
    }

    func feedConnectionSuspectsQuiet(_ key: SubscriptionKey) {
        // Heartbeats arrive but this book has been quiet: verify it with a fresh snapshot. Quiet
        // trade or ticker streams are a quiet market and only counted.
        guard key.channel == V2Channel.book.name else { return }
        link.log.write(kind: "book_quiet", "\(key.symbol) quiet; resubscribing for a fresh snapshot")
        resubscribeBook(key.symbol)
    }

    func feedConnection(received bytes: UnsafeRawBufferPointer, nowNs now: Int64) {
        switch configuration.protocolVersion {
        case .v2: receiveV2(bytes, nowNs: now)
        case .v1: receiveV1(bytes, nowNs: now)
        }
    }

    // MARK: what either version's messages come to

    /// Publishes what the symbol's keeper made of one book message: the verified delta or
    /// snapshot, or on a failed checksum the reset alone, then resubscribes only that symbol.
    func publishBook(_ outcome: BookKeeper.Outcome, symbol: String, topic: Topic, exchangeNs: Int64, receivedNs: Int64) {
        link.dataReceived(SubscriptionKey(channel: V2Channel.book.name, symbol: symbol), nowNs: receivedNs)
        switch outcome {
        case .update(let update):
            link.counters.bookUpdates += 1
            let sequence = publish(update, on: topic, exchangeNs: exchangeNs, receivedNs: receivedNs)
            if configuration.bookTop != nil { publishTop(symbol, bookSequence: sequence, receivedNs: receivedNs, force: false) }
        case .snapshot(let snapshot):
            link.counters.bookSnapshots += 1
            let sequence = publish(snapshot, on: topic, exchangeNs: exchangeNs, receivedNs: receivedNs, flags: .snapshot)
            if configuration.bookTop != nil { publishTop(symbol, bookSequence: sequence, receivedNs: receivedNs, force: true) }
        case .checksumMismatch(let reset), .invalidLevel(let reset):
            link.counters.checksumFailures += 1
            link.counters.checksumFailuresBySymbol[symbol, default: 0] += 1
            let line = Self.resetLogLine(outcome, reset, symbol: symbol)
            link.log.write(kind: line.kind, line.text)
            publishReset(reset, symbol: symbol, exchangeNs: exchangeNs, receivedNs: receivedNs)
            resubscribeBook(symbol)
        case .ignored:
            link.counters.bookUpdatesIgnored += 1
        }
    }

    /// A failed book's log line: a checksum mismatch names both checksums; a refused level says
    /// why (its checksums say nothing: the book was not checked).
    static func resetLogLine(_ outcome: BookKeeper.Outcome, _ reset: KBBookReset, symbol: String) -> (kind: String, text: String) {
        if case .invalidLevel = outcome { return ("invalid_level", "\(symbol): \(reset.detail); resubscribing") }
        return ("checksum_mismatch", "\(symbol): expected \(reset.expectedChecksum), computed \(reset.computedChecksum); resubscribing")
    }

    func publishTrade(_ trade: KBTrade, exchangeNs: Int64, receivedNs: Int64) {
        guard let topic = topics[trade.symbol]?.trade else {
            link.counters.unexpectedMessages += 1
            return
        }
        link.counters.trades += 1
        publish(trade, on: topic, exchangeNs: exchangeNs, receivedNs: receivedNs, flags: trade.fromSnapshot ? .snapshot : [])
    }

    func publishTicker(_ ticker: KBTicker, exchangeNs: Int64, receivedNs: Int64) {
        guard let topic = topics[ticker.symbol]?.ticker else {
            link.counters.unexpectedMessages += 1
            return
        }
        link.counters.tickers += 1
        publish(ticker, on: topic, exchangeNs: exchangeNs, receivedNs: receivedNs)
    }

    func publishCandle(_ candle: KBOhlc, exchangeNs: Int64, receivedNs: Int64) {
        guard let topic = topics[candle.symbol]?.ohlc[Int(candle.intervalMinutes)] else {
            link.counters.unexpectedMessages += 1
            return
        }
        link.counters.candles += 1
        publish(candle, on: topic, exchangeNs: exchangeNs, receivedNs: receivedNs)
    }

    func publishStatus(_ status: KBExchangeStatus, receivedNs: Int64) {
        link.counters.statusEvents += 1
        publish(status, on: .exchangeStatus, exchangeNs: 0, receivedNs: receivedNs)
    }

    /// Reference data of a pair the feed keeps (`instrument:SYMBOL:`); others are not published.
    func publishInstrument(_ instrument: KBInstrument, snapshot: Bool, receivedNs: Int64) {
        guard channels[instrument.symbol] != nil, let topic = try? Topic.instrument(instrument.symbol) else { return }
        publish(instrument, on: topic, exchangeNs: 0, receivedNs: receivedNs, flags: snapshot ? .snapshot : [])
    }

    /// Every pair's precision is known on this connection: the handshake is over; subscribe.
    func instrumentsKnown() {
        guard !subscribedOnce else { return }
        subscribedOnce = true
        link.handshakeCompleted()
        subscribeAll()
    }

    /// Kraken's answer to one subscribe or unsubscribe of one symbol's channel (a v2 channel
    /// name: `book`, `trade`, …). A refusal is counted and logged, and what it refused is no
    /// longer awaited.
    func subscriptionAnswered(subscribe: Bool, channel: String, symbol: String, error: String?) {
        if let error {
            link.counters.subscribeErrors += 1
            if error.contains("Exceeded msg rate") { link.counters.rateLimited += 1 }
            link.log.write(kind: "subscribe_error", "\(symbol.isEmpty ? "-" : symbol): \(error)")
            // Kraken names the symbol of a failed subscription; whatever it was, it will not ack.
            // A failed unsubscribe refuses nothing: a new subscription of the key may be waiting.
            if subscribe {
                link.refused { $0.symbol == symbol && (channel.isEmpty || $0.channel == channel) }
                if channels[symbol] != nil { unavailable[symbol] = "Kraken refused \(channel.isEmpty ? "it" : channel): \(error)" }
            }
        } else if subscribe {
            link.acknowledged(SubscriptionKey(channel: channel, symbol: symbol))
            unavailable[symbol] = nil
        }
        link.becomeActiveIfSettled(detail: "subscribed")
    }

    // MARK: subscriptions

    private func subscribeAll() {
        link.transition(to: .subscribing, detail: "\(symbols.count) symbols")
        var known: [(String, [ChannelRequest])] = []
        for symbol in symbols {
            guard instruments[symbol] != nil else {
                link.counters.subscribeErrors += 1
                link.log.write(kind: "unknown_symbol", "\(symbol) is not in Kraken's instrument list")
                unavailable[symbol] = "not in Kraken's instrument list"
                continue
            }
            guard prepareIfKnown(symbol), let wanted = channels[symbol] else { continue }
            known.append((symbol, wanted.requests))
        }
        requestAll(known)
        link.becomeActiveIfSettled(detail: known.isEmpty ? "nothing to subscribe" : "subscribed")
    }

    /// Subscribes each symbol's requests, the same request for many symbols batched together.
    func requestAll(_ symbols: [(String, [ChannelRequest])]) {
        for (request, members) in ChannelRequest.grouped(symbols.map { (symbol: $0.0, requests: $0.1) }) {
            for batch in SubscriptionBatching.batches(members, maxSymbols: configuration.symbolsPerRequest) {
                self.request(request, batch)
            }
        }
    }

    private func request(_ request: ChannelRequest, _ batch: [String]) {
        for symbol in batch { link.expectAck(SubscriptionKey(channel: request.channel.name, symbol: symbol)) }
        send(request, batch)
    }

    /// One subscribe (with a snapshot) or unsubscribe request in the connection's protocol.
    func send(_ request: ChannelRequest, _ batch: [String], unsubscribe: Bool = false) {
        switch configuration.protocolVersion {
        case .v2:
            link.send(V2Subscription(channel: request.channel, symbols: batch, depth: request.depth, interval: request.interval,
                                     snapshot: unsubscribe ? nil : true), unsubscribe: unsubscribe)
        case .v1:
            sendV1(request, batch, unsubscribe: unsubscribe)
        }
    }

    /// Sets up a symbol's topics and book from its channels (once its precision is known);
    /// false when unknown or its name cannot be a topic (counted).
    func prepareIfKnown(_ symbol: String) -> Bool {
        guard let precision = instruments[symbol], let wanted = channels[symbol] else { return false }
        do {
            topics[symbol] = try SymbolTopics(symbol: symbol, channels: wanted, topLevels: configuration.bookTop?.levels)
        } catch {
            link.counters.subscribeErrors += 1
            link.log.write(kind: "invalid_symbol", "\(symbol): \(error)")
            return false
        }
        if let depth = wanted.bookDepth, books[symbol]?.depth != depth, let topic = topics[symbol]?.book {
            // v2 numbers are padded to the instrument's precision; v1 strings keep the digits
            // they arrived with (AssetPairs' decimals do not describe them).
            let digits: L2Book.Digits = switch configuration.protocolVersion {
            case .v2: .instrument(priceScale: precision.priceScale, quantityScale: precision.quantityScale)
            case .v1: .asReceived
            }
            books[symbol] = BookKeeper(symbol: symbol, depth: depth, digits: digits, continuingAfter: retiredGenerations[topic] ?? 0)
        }
        return true
    }

    /// Only this symbol's book is resynchronised: unsubscribe then subscribe with a snapshot.
    private func resubscribeBook(_ symbol: String) {
        guard let depth = channels[symbol]?.bookDepth else { return }
        let book = ChannelRequest(channel: .book, depth: depth)
        send(book, [symbol], unsubscribe: true)
        request(book, [symbol])
    }

    /// Publishes the symbol's best-N view when its interval has passed (or `force`). A change
    /// held back by the rate limit still goes out, at the end of the interval.
    private func publishTop(_ symbol: String, bookSequence: UInt64?, receivedNs: Int64, force: Bool) {
        guard let settings = configuration.bookTop, let bookSequence, let topic = topics[symbol]?.top else { return }
        if !force, let last = topSentNs[symbol], receivedNs - last < settings.minimumIntervalNs {
            guard topTrailers[symbol] == nil else { return }
            topTrailers[symbol] = schedule(in: .nanoseconds(last + settings.minimumIntervalNs - receivedNs)) { session in
                guard let bookTopic = session.topics[symbol]?.book else { return }
                session.topTrailers[symbol] = nil
                session.publishTop(symbol, bookSequence: session.publisher.currentSequence(of: bookTopic), receivedNs: UnixTime.nanoseconds(),
                                   force: true)
            }
            return
        }
        guard let top = books[symbol]?.top(levels: settings.levels, bookSequence: bookSequence) else { return }
        topTrailers.removeValue(forKey: symbol)?.cancel()
        topSentNs[symbol] = receivedNs
        publish(top, on: topic, exchangeNs: 0, receivedNs: receivedNs)
    }

    /// A book is no longer exact: its reset goes out on the book topic, and an empty view of the
    /// new generation on `top:`, so a top-only consumer never keeps stale prices.
    func publishReset(_ reset: KBBookReset, symbol: String, exchangeNs: Int64 = 0, receivedNs: Int64 = UnixTime.nanoseconds()) {
        link.counters.bookResets += 1
        link.counters.bookResetsBySymbol[symbol, default: 0] += 1
        guard let bookTopic = topics[symbol]?.book else { return }
        let sequence = publish(reset, on: bookTopic, exchangeNs: exchangeNs, receivedNs: receivedNs)
        topTrailers.removeValue(forKey: symbol)?.cancel()
        guard let topic = topics[symbol]?.top, let settings = configuration.bookTop, let sequence else { return }
        var empty = KBBookTop()
        empty.symbol = symbol
        empty.levels = UInt32(settings.levels)
        empty.generation = reset.generation
        empty.bookSequence = sequence
        publish(empty, on: topic, exchangeNs: 0, receivedNs: receivedNs)
    }

    private func invalidateBooks(reason: KBBookResetReason, detail: String) {
        for symbol in books.keys.sorted() {
            guard let reset = books[symbol]?.invalidate(reason: reason, detail: detail) else { continue }
            publishReset(reset, symbol: symbol)
        }
    }

    @discardableResult
    func publish<M: BusPayloadMessage>(
        _ message: M, on topic: Topic, exchangeNs: Int64, receivedNs: Int64, flags: FrameFlags = []
    ) -> UInt64? {
        let sequence = publisher.publish(
            message, on: topic, to: .market, exchangeTimestampNs: exchangeNs, receivedNs: receivedNs, extraFlags: flags)
        if sequence == nil { link.counters.publishFailures += 1 }
        return sequence
    }

    // MARK: diagnostics

    func diagnostics() -> FeedDiagnostics {
        FeedDiagnostics(
            name: configuration.name, endpoint: configuration.connection.endpoints[link.endpointIndex].description,
            state: link.state, attempt: link.lifecycle.attempt, lastFrameNs: link.lastFrameNs, counters: link.counters,
            circuitBreakers: link.diagnosticsBreakers(),
            books: books.mapValues { FeedDiagnostics.Book(phase: $0.phase, generation: $0.generation, checksum: $0.book.checksum) },
            suspicion: link.suspicion(nowNs: UnixTime.nanoseconds()), unavailablePairs: unavailable)
    }
}
