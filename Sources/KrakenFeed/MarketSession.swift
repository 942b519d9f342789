import BusPublishing
import KrakenWire
import MarketFlow
import NIOCore
import OrderBook
import SessionLifecycle
import WebSocketTransport
import WireFormat

/// The public v2 market-data protocol on one `FeedConnection`: instrument precisions first,
/// then one exact book per symbol plus trades, tickers and candles. Confined to the
/// connection's event loop, so each frame goes socket → parse → book → encode → bus outbox
/// inside one `channelRead`, with no task or thread hop and no lock but the outbox's.
final class MarketSession: FeedConnectionDelegate, FeedSession {
    let configuration: MarketFeedConfiguration
    let link: FeedConnection
    private let publisher: BusPublisher

    private(set) var instruments = InstrumentRegistry()
    private(set) var books: [String: BookKeeper] = [:]
    /// Pairs in the order they were configured or added, each with its channels.
    private var symbols: [String]
    private var channels: [String: SymbolChannels] = [:]
    private var topics: [String: SymbolTopics] = [:]
    /// When each symbol's `top:` view was last published.
    private var topSentNs: [String: Int64] = [:]
    private var parser = V2FrameParser()
    private var subscribedOnce = false

    init(configuration: MarketFeedConfiguration, publisher: BusPublisher, eventLoop: any EventLoop, seed: UInt64) throws {
        self.configuration = configuration
        self.publisher = publisher
        symbols = []
        for symbol in configuration.symbols where channels[symbol] == nil {
            symbols.append(symbol)
            channels[symbol] = configuration.defaultChannels
        }
        link = try FeedConnection(name: configuration.name, settings: configuration.connection, publisher: publisher,
                                  eventLoop: eventLoop, seed: seed)
        link.delegate = self
    }

    func start() { link.start() }
    func stop() { link.stop() }

    // MARK: connection events

    func feedConnectionOpened() {
        parser = V2FrameParser()
        subscribedOnce = false
        link.send(V2Subscription(channel: .instrument, snapshot: true))
    }

    func feedConnectionClosed(reason: WebSocketCloseReason) {
        invalidateBooks(reason: .reconnect, detail: "connection ended: \(reason)")
    }

    func feedConnectionSuspectsQuiet(_ key: SubscriptionKey) {
        // Heartbeats arrive but this book has been quiet: verify it with a fresh snapshot. Quiet
        // trade or ticker streams are a quiet market and only counted.
        guard key.channel == V2Channel.book.name else { return }
        link.log.write(kind: "book_quiet", "\(key.symbol) quiet; resubscribing for a fresh snapshot", nowNs: UnixTime.nanoseconds())
        resubscribeBook(key.symbol)
    }

    func feedConnection(received bytes: UnsafeRawBufferPointer, nowNs now: Int64) {
        guard let message = link.parse(bytes, with: &parser, nowNs: now) else { return }
        switch message {
        case .book(let book): handle(book, receivedNs: now)
        case .trade(let trades): handle(trades, receivedNs: now)
        case .heartbeat: link.counters.heartbeats += 1
        case .ticker(let ticker): handle(ticker, receivedNs: now)
        case .ohlc(let candles): handle(candles, receivedNs: now)
        case .status(let status):
            link.counters.statusEvents += 1
            publish(MarketEvents.exchangeStatus(status, feed: configuration.name), on: .exchangeStatus, exchangeNs: 0, receivedNs: now)
        case .instrument(let instrument): handle(instrument, receivedNs: now)
        case .response(let response): handle(response)
        case .level3, .executions, .balances:
            link.counters.unexpectedMessages += 1
        }
    }

    // MARK: messages

    private func handle(_ message: V2BookMessage, receivedNs: Int64) {
        guard let topic = topics[message.symbol]?.book, let outcome = books[message.symbol]?.apply(message) else {
            link.counters.unexpectedMessages += 1
            return
        }
        let exchangeNs = message.timestampNs ?? 0
        link.dataReceived(SubscriptionKey(channel: V2Channel.book.name, symbol: message.symbol), nowNs: receivedNs)
        switch outcome {
        case .update(let update):
            link.counters.bookUpdates += 1
            let sequence = publish(update, on: topic, exchangeNs: exchangeNs, receivedNs: receivedNs)
            if configuration.bookTop != nil { publishTop(message.symbol, bookSequence: sequence, receivedNs: receivedNs, force: false) }
        case .snapshot(let snapshot):
            link.counters.bookSnapshots += 1
            let sequence = publish(snapshot, on: topic, exchangeNs: exchangeNs, receivedNs: receivedNs, flags: .snapshot)
            if configuration.bookTop != nil { publishTop(message.symbol, bookSequence: sequence, receivedNs: receivedNs, force: true) }
        case .checksumMismatch(let reset), .invalidLevel(let reset):
            link.counters.checksumFailures += 1
            link.counters.bookResets += 1
            link.log.write(kind: "checksum_mismatch",
                           "\(message.symbol): expected \(reset.expectedChecksum), computed \(reset.computedChecksum); resubscribing",
                           nowNs: receivedNs)
            publish(reset, on: topic, exchangeNs: exchangeNs, receivedNs: receivedNs)
            resubscribeBook(message.symbol)
        case .ignored:
            link.counters.bookUpdatesIgnored += 1
        }
    }

    private func handle(_ message: V2TradeMessage, receivedNs: Int64) {
        for trade in message.trades {
            guard let topic = topics[trade.symbol]?.trade else {
                link.counters.unexpectedMessages += 1
                continue
            }
            link.counters.trades += 1
            publish(MarketEvents.trade(trade, fromSnapshot: message.kind == .snapshot), on: topic, exchangeNs: trade.timestampNs,
                    receivedNs: receivedNs, flags: message.kind == .snapshot ? .snapshot : [])
        }
    }

    private func handle(_ message: V2TickerMessage, receivedNs: Int64) {
        guard let topic = topics[message.ticker.symbol]?.ticker else {
            link.counters.unexpectedMessages += 1
            return
        }
        link.counters.tickers += 1
        publish(MarketEvents.ticker(message.ticker, receivedNs: receivedNs), on: topic, exchangeNs: message.ticker.timestampNs ?? 0,
                receivedNs: receivedNs)
    }

    private func handle(_ message: V2OHLCMessage, receivedNs: Int64) {
        for candle in message.candles {
            guard let topic = topics[candle.symbol]?.ohlc[candle.interval] else {
                link.counters.unexpectedMessages += 1
                continue
            }
            link.counters.candles += 1
            publish(MarketEvents.candle(candle, receivedNs: receivedNs), on: topic, exchangeNs: candle.timestampNs ?? 0,
                    receivedNs: receivedNs)
        }
    }

    private func handle(_ message: V2InstrumentMessage, receivedNs: Int64) {
        for symbol in instruments.record(message) {
            link.log.write(kind: "instrument_rejected", "\(symbol): precision outside 0…18", nowNs: receivedNs)
        }
        for pair in message.pairs where channels[pair.symbol] != nil {
            if let topic = try? Topic.instrument(pair.symbol) {
                publish(MarketEvents.instrument(pair), on: topic, exchangeNs: 0, receivedNs: receivedNs,
                        flags: message.kind == .snapshot ? .snapshot : [])
            }
        }
        guard message.kind == .snapshot, !subscribedOnce else { return }
        subscribedOnce = true
        link.handshakeCompleted()
        subscribeAll()
    }

    private func handle(_ response: V2Response) {
        switch response.method {
        case .pong:
            link.counters.pongs += 1
        case .subscribe, .unsubscribe:
            var channel = ""
            var symbol = response.symbol ?? ""
            if case .subscription(let result) = response.result {
                channel = result.channel
                symbol = result.symbol ?? symbol
            }
            if response.success == true {
                if response.method == .subscribe { link.acknowledged(SubscriptionKey(channel: channel, symbol: symbol)) }
            } else {
                link.counters.subscribeErrors += 1
                let error = response.error ?? "unknown error"
                if error.contains("Exceeded msg rate") { link.counters.rateLimited += 1 }
                link.log.write(kind: "subscribe_error", "\(symbol.isEmpty ? "-" : symbol): \(error)", nowNs: UnixTime.nanoseconds())
                // Kraken names the symbol of a failed subscription; whatever it was, it will not ack.
                link.refused { $0.symbol == symbol && (channel.isEmpty || $0.channel == channel) }
            }
            link.becomeActiveIfSettled(detail: "subscribed")
        default:
            link.counters.unexpectedMessages += 1
        }
    }

    // MARK: runtime pairs and channels

    /// Adds pairs with the configured channels while running: subscribed at once when
    /// connected (after the instrument snapshot), otherwise on the next connect. Pairs Kraken
    /// does not list are refused.
    func add(symbols added: [String]) -> PairChange {
        var change = PairChange()
        for symbol in added where channels[symbol] == nil {
            if let refusal = include(symbol, with: configuration.defaultChannels) {
                change.refused[symbol] = refusal
            } else {
                change.changed.append(symbol)
            }
        }
        return change
    }

    /// Removes pairs while running: unsubscribed, and each live book ends with a reset (reason
    /// operator) so consumers drop it.
    func remove(symbols removed: [String]) -> PairChange {
        var change = PairChange()
        for symbol in removed {
            guard let current = channels[symbol] else {
                change.refused[symbol] = "not subscribed"
                continue
            }
            drop(current, of: symbol, detail: "pair removed")
            change.changed.append(symbol)
        }
        return change
    }

    /// Subscribes channels of pairs while running. A pair not yet kept is added with just these
    /// channels; a book at another depth is replaced (its old topic ends with a reset).
    func subscribe(_ selection: ChannelChange) -> PairChange {
        var change = PairChange()
        for symbol in selection.symbols {
            var wanted = channels[symbol] ?? SymbolChannels()
            for channel in selection.channels {
                switch channel {
                case .book: wanted.bookDepth = selection.depth ?? configuration.bookDepth ?? 10
                case .trade: wanted.trades = true
                case .ticker: wanted.ticker = true
                case .ohlc:
                    if let interval = selection.intervalMinutes, !wanted.ohlcIntervals.contains(interval) {
                        wanted.ohlcIntervals = (wanted.ohlcIntervals + [interval]).sorted()
                    }
                }
            }
            guard let current = channels[symbol] else {
                if let refusal = include(symbol, with: wanted) { change.refused[symbol] = refusal } else { change.changed.append(symbol) }
                continue
            }
            guard wanted != current else { continue }
            if let depth = current.bookDepth, wanted.bookDepth != depth {
                drop(SymbolChannels(bookDepth: depth), of: symbol, detail: "book depth changed")
            }
            let before = channels[symbol] ?? SymbolChannels()
            channels[symbol] = wanted
            guard prepareIfKnown(symbol) else { continue }
            let added = wanted.requests.filter { !before.requests.contains($0) }
            if link.isOpen, subscribedOnce { requestAll([(symbol, added)]) }
            change.changed.append(symbol)
        }
        return change
    }

    /// Unsubscribes channels of pairs while running; a pair left with no channel is removed.
    func unsubscribe(_ selection: ChannelChange) -> PairChange {
        var change = PairChange()
        for symbol in selection.symbols {
            guard let current = channels[symbol] else {
                change.refused[symbol] = "not subscribed"
                continue
            }
            var dropped = SymbolChannels()
            for channel in selection.channels {
                switch channel {
                case .book: dropped.bookDepth = current.bookDepth
                case .trade: dropped.trades = current.trades
                case .ticker: dropped.ticker = current.ticker
                case .ohlc:
                    dropped.ohlcIntervals = selection.intervalMinutes.map { interval in current.ohlcIntervals.filter { $0 == interval } }
                        ?? current.ohlcIntervals
                }
            }
            guard !dropped.isEmpty else {
                change.refused[symbol] = "none of these channels is subscribed"
                continue
            }
            drop(dropped, of: symbol, detail: "unsubscribed")
            change.changed.append(symbol)
        }
        return change
    }

    /// Every pair's channels, in configuration order.
    var subscriptions: [(symbol: String, channels: SymbolChannels)] { symbols.map { ($0, channels[$0]!) } }

    var subscribedSymbols: [String] { symbols }

    /// Whether Kraken has yet to acknowledge this channel of this symbol.
    func awaitingAck(_ channel: V2Channel, symbol: String) -> Bool {
        link.isAwaitingAck(SubscriptionKey(channel: channel.name, symbol: symbol))
    }

    /// The state of every book topic starting with `prefix` at its current
    /// sequence: the whole book when live, its reset while it is being rebuilt.
    func bookStates(prefix: [UInt8]) -> [BusFrame] {
        var states: [BusFrame] = []
        for symbol in symbols {
            guard let keeper = books[symbol], let topic = topics[symbol]?.book, topic.matches(prefix: prefix) else { continue }
            if let snapshot = keeper.currentSnapshot() {
                if let state = publisher.state(snapshot, of: topic) { states.append(state) }
            } else if keeper.generation > 0 || keeper.phase == .resynchronising {
                var reset = KBBookReset()
                reset.symbol = symbol
                reset.depth = UInt32(keeper.depth)
                reset.previousGeneration = keeper.generation
                reset.generation = keeper.generation + 1
                reset.reason = .resubscribe
                reset.detail = "book is being rebuilt"
                if let state = publisher.state(reset, of: topic) { states.append(state) }
            }
        }
        return states
    }

    /// Starts keeping `symbol` with `wanted` channels; the refusal reason, or nil when added.
    private func include(_ symbol: String, with wanted: SymbolChannels) -> String? {
        if subscribedOnce {
            guard instruments[symbol] != nil else { return "not in Kraken's instrument list" }
        }
        channels[symbol] = wanted
        if subscribedOnce {
            guard prepareIfKnown(symbol) else {
                channels[symbol] = nil
                return "not usable as a topic"
            }
        }
        symbols.append(symbol)
        if link.isOpen, subscribedOnce { requestAll([(symbol, wanted.requests)]) }
        return nil
    }

    /// Stops `dropped` channels of `symbol`: unsubscribed at Kraken, no longer watched, a live
    /// book ends with a reset (reason operator), and the topics are retired. A symbol left
    /// with no channel is forgotten.
    private func drop(_ dropped: SymbolChannels, of symbol: String, detail: String) {
        guard var remaining = channels[symbol] else { return }
        if link.isOpen, subscribedOnce {
            for request in dropped.requests {
                link.send(V2Subscription(channel: request.channel, symbols: [symbol], depth: request.depth, interval: request.interval),
                          unsubscribe: true)
            }
        }
        var retired: [Topic] = []
        if dropped.bookDepth != nil {
            link.forget(SubscriptionKey(channel: V2Channel.book.name, symbol: symbol))
            if let reset = books[symbol]?.invalidate(reason: .operator, detail: detail), let topic = topics[symbol]?.book {
                link.counters.bookResets += 1
                publish(reset, on: topic, exchangeNs: 0, receivedNs: UnixTime.nanoseconds())
            }
            books[symbol] = nil
            topSentNs[symbol] = nil
            retired += [topics[symbol]?.book, topics[symbol]?.top].compactMap { $0 }
            remaining.bookDepth = nil
        }
        if dropped.trades {
            link.forget(SubscriptionKey(channel: V2Channel.trade.name, symbol: symbol))
            retired += [topics[symbol]?.trade].compactMap { $0 }
            remaining.trades = false
        }
        if dropped.ticker {
            link.forget(SubscriptionKey(channel: V2Channel.ticker.name, symbol: symbol))
            retired += [topics[symbol]?.ticker].compactMap { $0 }
            remaining.ticker = false
        }
        for interval in dropped.ohlcIntervals {
            retired += [topics[symbol]?.ohlc[interval]].compactMap { $0 }
            remaining.ohlcIntervals.removeAll { $0 == interval }
        }
        if remaining.ohlcIntervals.isEmpty { link.forget(SubscriptionKey(channel: V2Channel.ohlc.name, symbol: symbol)) }
        publisher.retire(retired)
        if remaining.isEmpty {
            channels[symbol] = nil
            topics[symbol] = nil
            symbols.removeAll { $0 == symbol }
        } else {
            channels[symbol] = remaining
            _ = prepareIfKnown(symbol)
        }
    }

    // MARK: subscriptions

    private func subscribeAll() {
        link.transition(to: .subscribing, detail: "\(symbols.count) symbols")
        var known: [(String, [ChannelRequest])] = []
        for symbol in symbols {
            guard instruments[symbol] != nil else {
                link.counters.subscribeErrors += 1
                link.log.write(kind: "unknown_symbol", "\(symbol) is not in Kraken's instrument list", nowNs: UnixTime.nanoseconds())
                continue
            }
            guard prepareIfKnown(symbol), let wanted = channels[symbol] else { continue }
            known.append((symbol, wanted.requests))
        }
        requestAll(known)
        link.becomeActiveIfSettled(detail: known.isEmpty ? "nothing to subscribe" : "subscribed")
    }

    /// Subscribes each symbol's requests, the same request for many symbols batched together.
    private func requestAll(_ symbols: [(String, [ChannelRequest])]) {
        for (request, members) in ChannelRequest.grouped(symbols.map { (symbol: $0.0, requests: $0.1) }) {
            for batch in SubscriptionBatching.batches(members, maxSymbols: configuration.symbolsPerRequest) {
                self.request(request.channel, batch, depth: request.depth, interval: request.interval)
            }
        }
    }

    private func request(_ channel: V2Channel, _ batch: [String], depth: Int? = nil, interval: Int? = nil) {
        for symbol in batch { link.expectAck(SubscriptionKey(channel: channel.name, symbol: symbol)) }
        link.send(V2Subscription(channel: channel, symbols: batch, depth: depth, interval: interval, snapshot: true))
    }

    /// Sets up a symbol's topics and book from its channels (once its precision is known);
    /// false when unknown or its name cannot be a topic (counted).
    private func prepareIfKnown(_ symbol: String) -> Bool {
        guard let precision = instruments[symbol], let wanted = channels[symbol] else { return false }
        do {
            topics[symbol] = try SymbolTopics(symbol: symbol, channels: wanted, topLevels: configuration.bookTop?.levels)
        } catch {
            link.counters.subscribeErrors += 1
            link.log.write(kind: "invalid_symbol", "\(symbol): \(error)", nowNs: UnixTime.nanoseconds())
            return false
        }
        if let depth = wanted.bookDepth, books[symbol]?.depth != depth {
            books[symbol] = BookKeeper(symbol: symbol, depth: depth, precision: precision)
        }
        return true
    }

    /// Only this symbol's book is resynchronised: unsubscribe then subscribe with a snapshot.
    private func resubscribeBook(_ symbol: String) {
        guard let depth = channels[symbol]?.bookDepth else { return }
        link.send(V2Subscription(channel: .book, symbols: [symbol], depth: depth), unsubscribe: true)
        request(.book, [symbol], depth: depth)
    }

    /// Publishes the symbol's best-N view when its interval has passed (or `force`).
    private func publishTop(_ symbol: String, bookSequence: UInt64?, receivedNs: Int64, force: Bool) {
        guard let settings = configuration.bookTop, let bookSequence, let topic = topics[symbol]?.top else { return }
        if !force, let last = topSentNs[symbol], receivedNs - last < settings.minimumIntervalNs { return }
        guard let top = books[symbol]?.top(levels: settings.levels, bookSequence: bookSequence) else { return }
        topSentNs[symbol] = receivedNs
        publish(top, on: topic, exchangeNs: 0, receivedNs: receivedNs)
    }

    private func invalidateBooks(reason: KBBookResetReason, detail: String) {
        let now = UnixTime.nanoseconds()
        for symbol in books.keys.sorted() {
            guard let reset = books[symbol]?.invalidate(reason: reason, detail: detail), let topic = topics[symbol]?.book else { continue }
            link.counters.bookResets += 1
            publish(reset, on: topic, exchangeNs: 0, receivedNs: now)
        }
    }

    @discardableResult
    private func publish<M: BusPayloadMessage>(
        _ message: M, on topic: Topic, exchangeNs: Int64, receivedNs: Int64, flags: FrameFlags = []
    ) -> UInt64? {
        let sequence = publisher.publish(message, on: topic, exchangeTimestampNs: exchangeNs, receivedNs: receivedNs, extraFlags: flags)
        if sequence == nil { link.counters.publishFailures += 1 }
        return sequence
    }

    // MARK: diagnostics

    func diagnostics() -> FeedDiagnostics {
        FeedDiagnostics(
            name: configuration.name, endpoint: configuration.connection.endpoints[link.endpointIndex].description,
            state: link.state, attempt: link.lifecycle.attempt, lastFrameNs: link.lastFrameNs, counters: link.counters,
            circuitBreakers: link.diagnosticsBreakers(),
            books: books.mapValues { FeedDiagnostics.Book(phase: $0.phase, generation: $0.generation, checksum: $0.book.checksum) })
    }
}

/// What a runtime pair change did: the pairs changed, and the ones refused with the reason.
public struct PairChange: Sendable, Equatable {
    public var changed: [String] = []
    public var refused: [String: String] = [:]
}

/// The bus topics of one symbol, built once (topic bytes are reused for every frame).
struct SymbolTopics {
    var book: Topic?
    var top: Topic?
    var trade: Topic?
    var ticker: Topic?
    var ohlc: [Int: Topic] = [:]

    init(symbol: String, channels: SymbolChannels, topLevels: Int?) throws(TopicError) {
        if let depth = channels.bookDepth {
            book = try Topic.book(symbol, depth: depth)
            if let topLevels { top = try Topic.bookTop(symbol, levels: topLevels) }
        }
        if channels.trades { trade = try Topic.trade(symbol) }
        if channels.ticker { ticker = try Topic.ticker(symbol) }
        for interval in channels.ohlcIntervals { ohlc[interval] = try Topic.ohlc(symbol, intervalMinutes: interval) }
    }
}
