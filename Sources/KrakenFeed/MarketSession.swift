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
    private var symbols: [String]
    private var topics: [String: SymbolTopics] = [:]
    private var parser = V2FrameParser()
    private var subscribedOnce = false

    init(configuration: MarketFeedConfiguration, publisher: BusPublisher, eventLoop: any EventLoop, seed: UInt64) throws {
        self.configuration = configuration
        self.publisher = publisher
        symbols = configuration.symbols
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
            publish(update, on: topic, exchangeNs: exchangeNs, receivedNs: receivedNs)
        case .snapshot(let snapshot):
            link.counters.bookSnapshots += 1
            publish(snapshot, on: topic, exchangeNs: exchangeNs, receivedNs: receivedNs, flags: .snapshot)
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
        for pair in message.pairs where symbols.contains(pair.symbol) {
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

    // MARK: runtime pairs

    /// Adds pairs while running: subscribed at once when connected (after the instrument
    /// snapshot), otherwise on the next connect. Pairs Kraken does not list are refused.
    func add(symbols added: [String]) -> PairChange {
        var change = PairChange()
        var toSubscribe: [String] = []
        for symbol in added where !symbols.contains(symbol) {
            if subscribedOnce {
                guard let precision = instruments[symbol] else {
                    change.refused[symbol] = "not in Kraken's instrument list"
                    continue
                }
                guard prepare(symbol: symbol, precision: precision) else {
                    change.refused[symbol] = "not usable as a topic"
                    continue
                }
                toSubscribe.append(symbol)
            }
            symbols.append(symbol)
            change.changed.append(symbol)
        }
        if link.isOpen, !toSubscribe.isEmpty {
            for batch in SubscriptionBatching.batches(toSubscribe, maxSymbols: configuration.symbolsPerRequest) { subscribe(batch) }
        }
        return change
    }

    /// Removes pairs while running: unsubscribed, and each live book ends with a reset (reason
    /// operator) so consumers drop it.
    func remove(symbols removed: [String]) -> PairChange {
        var change = PairChange()
        let present = removed.filter { symbols.contains($0) }
        for symbol in removed where !symbols.contains(symbol) { change.refused[symbol] = "not subscribed" }
        guard !present.isEmpty else { return change }
        if link.isOpen, subscribedOnce {
            for batch in SubscriptionBatching.batches(present, maxSymbols: configuration.symbolsPerRequest) {
                if let depth = configuration.bookDepth {
                    link.send(V2Subscription(channel: .book, symbols: batch, depth: depth), unsubscribe: true)
                }
                if configuration.trades { link.send(V2Subscription(channel: .trade, symbols: batch), unsubscribe: true) }
                if configuration.tickers { link.send(V2Subscription(channel: .ticker, symbols: batch), unsubscribe: true) }
                for interval in configuration.ohlcIntervals {
                    link.send(V2Subscription(channel: .ohlc, symbols: batch, interval: interval), unsubscribe: true)
                }
            }
        }
        let now = UnixTime.nanoseconds()
        for symbol in present {
            for channel in [V2Channel.book, .trade, .ticker, .ohlc] { link.forget(SubscriptionKey(channel: channel.name, symbol: symbol)) }
            if let reset = books[symbol]?.invalidate(reason: .operator, detail: "pair removed"), let topic = topics[symbol]?.book {
                link.counters.bookResets += 1
                publish(reset, on: topic, exchangeNs: 0, receivedNs: now)
            }
            books[symbol] = nil
            topics[symbol] = nil
            symbols.removeAll { $0 == symbol }
            change.changed.append(symbol)
        }
        return change
    }

    var subscribedSymbols: [String] { symbols }

    // MARK: subscriptions

    private func subscribeAll() {
        link.transition(to: .subscribing, detail: "\(symbols.count) symbols")
        var known: [String] = []
        for symbol in symbols {
            guard let precision = instruments[symbol] else {
                link.counters.subscribeErrors += 1
                link.log.write(kind: "unknown_symbol", "\(symbol) is not in Kraken's instrument list", nowNs: UnixTime.nanoseconds())
                continue
            }
            guard prepare(symbol: symbol, precision: precision) else { continue }
            known.append(symbol)
        }
        for batch in SubscriptionBatching.batches(known, maxSymbols: configuration.symbolsPerRequest) { subscribe(batch) }
        link.becomeActiveIfSettled(detail: known.isEmpty ? "nothing to subscribe" : "subscribed")
    }

    private func subscribe(_ batch: [String]) {
        if let depth = configuration.bookDepth { request(.book, batch, depth: depth) }
        if configuration.trades { request(.trade, batch) }
        if configuration.tickers { request(.ticker, batch) }
        for interval in configuration.ohlcIntervals { request(.ohlc, batch, interval: interval) }
    }

    private func request(_ channel: V2Channel, _ batch: [String], depth: Int? = nil, interval: Int? = nil) {
        for symbol in batch { link.expectAck(SubscriptionKey(channel: channel.name, symbol: symbol)) }
        link.send(V2Subscription(channel: channel, symbols: batch, depth: depth, interval: interval, snapshot: true))
    }

    /// Sets up a symbol's topics and book; false when its name cannot be a topic (counted).
    private func prepare(symbol: String, precision: InstrumentRegistry.Precision) -> Bool {
        do {
            topics[symbol] = try SymbolTopics(symbol: symbol, configuration: configuration)
        } catch {
            link.counters.subscribeErrors += 1
            link.log.write(kind: "invalid_symbol", "\(symbol): \(error)", nowNs: UnixTime.nanoseconds())
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
        link.send(V2Subscription(channel: .book, symbols: [symbol], depth: depth), unsubscribe: true)
        request(.book, [symbol], depth: depth)
    }

    private func invalidateBooks(reason: KBBookResetReason, detail: String) {
        let now = UnixTime.nanoseconds()
        for symbol in books.keys.sorted() {
            guard let reset = books[symbol]?.invalidate(reason: reason, detail: detail), let topic = topics[symbol]?.book else { continue }
            link.counters.bookResets += 1
            publish(reset, on: topic, exchangeNs: 0, receivedNs: now)
        }
    }

    private func publish<M: BusPayloadMessage>(_ message: M, on topic: Topic, exchangeNs: Int64, receivedNs: Int64, flags: FrameFlags = []) {
        if publisher.publish(message, on: topic, exchangeTimestampNs: exchangeNs, receivedNs: receivedNs, extraFlags: flags) == nil {
            link.counters.publishFailures += 1
        }
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
