import KrakenREST
import KrakenWire
import MarketFlow
import NIOCore
import SessionLifecycle
import WireFormat

/// Kraken's public WebSocket v1 on a market session. v1 has no instrument channel, so on every
/// connect REST AssetPairs gives each pair's v1 name and precisions before anything is
/// subscribed. Requests name pairs the v1 way (`XBT/USD`); each message's pair is mapped back
/// to its v2 symbol before it reaches the shared publishing pieces, so no v1 name reaches the
/// bus. Books are verified with v1's checksum, which only updates carry.
extension MarketSession {
    /// Reads AssetPairs off the loop; the answer comes back once per connect, not per message.
    func openV1() {
        v1Parser = V1FrameParser()
        guard let rest else { return }
        link.counters.assetPairsFetches += 1
        let generation = connectGeneration
        call { try await rest.assetPairs() } then: { session, result in session.assetPairsArrived(result, generation: generation) }
    }

    private func assetPairsArrived(_ result: Result<[AssetPair], any Error>, generation: Int) {
        guard generation == connectGeneration, link.isOpen else { return }
        let now = UnixTime.nanoseconds()
        switch result {
        case .success(let pairs):
            symbolMap = SymbolMap(pairs: pairs)
            for symbol in instruments.record(pairs) {
                link.log.write(kind: "instrument_rejected", "\(symbol): precision outside 0…18")
            }
            for pair in pairs where channels[pair.symbol] != nil {
                publishInstrument(MarketEvents.instrument(pair), snapshot: true, receivedNs: now)
            }
            instrumentsKnown()
        case .failure(let error):
            link.counters.restFailures += 1
            link.abort(kind: "asset_pairs_failed", "AssetPairs: \(error); reconnecting")
        }
    }

    func receiveV1(_ bytes: UnsafeRawBufferPointer, nowNs now: Int64) {
        guard let message = link.parse(bytes, nowNs: now, { frame throws(WireError) in try v1Parser.parse(frame) }) else { return }
        switch message {
        case .book(let book):
            guard let symbol = symbolMap?.symbol(forWebSocketName: book.pair), let topic = bookTopic(of: symbol),
                  let outcome = books.mutateValue(forKey: symbol, { $0.applyAtOwnDepth(book) }) ?? nil
            else {
                link.counters.unexpectedMessages += 1
                return
            }
            publishBook(outcome, symbol: symbol, topic: topic, exchangeNs: Self.exchangeTime(of: book), receivedNs: now)
        case .trade(let message):
            guard let symbol = symbol(of: message.pair) else { return }
            for trade in message.trades {
                publishTrade(MarketEvents.trade(trade, symbol: symbol), exchangeNs: trade.timestampNs, receivedNs: now)
            }
        case .heartbeat:
            link.counters.heartbeats += 1
        case .ticker(let ticker):
            guard let symbol = symbol(of: ticker.pair) else { return }
            publishTicker(MarketEvents.ticker(ticker, symbol: symbol, receivedNs: now), exchangeNs: 0, receivedNs: now)
        case .ohlc(let candle):
            guard let symbol = symbol(of: candle.pair) else { return }
            publishCandle(MarketEvents.candle(candle, symbol: symbol, receivedNs: now), exchangeNs: candle.endTimeNs, receivedNs: now)
        case .systemStatus(let status):
            publishStatus(MarketEvents.exchangeStatus(status, feed: configuration.name), receivedNs: now)
        case .subscriptionStatus(let status):
            handle(status)
        case .pong:
            link.pongReceived()
        case .error(let text, _):
            // Not tied to a subscription (`Malformed request`, `Exceeded msg rate`): counted and
            // logged; anything it left unanswered is caught by the ack deadline.
            link.counters.subscribeErrors += 1
            if text.contains("Exceeded msg rate") { link.counters.rateLimited += 1 }
            link.log.write(kind: "request_error", text)
        case .spread, .ownTrades, .openOrders:
            link.counters.unexpectedMessages += 1
        }
    }

    /// v1's `subscriptionStatus`, one per pair, in v2's terms: the channel by its subscription
    /// name (`book`, not `book-10`), the pair by its v2 symbol.
    private func handle(_ status: V1SubscriptionStatus) {
        let channel = status.subscription?.name ?? status.channelName.map { String($0.prefix { $0 != "-" }) } ?? ""
        let symbol = status.pair.map { symbolMap?.symbol(forWebSocketName: $0) ?? SymbolMap.v2Symbol(fromV1: $0) } ?? ""
        switch status.status {
        case .subscribed: subscriptionAnswered(subscribe: true, channel: channel, symbol: symbol, error: nil)
        case .unsubscribed: subscriptionAnswered(subscribe: false, channel: channel, symbol: symbol, error: nil)
        case .error: subscriptionAnswered(subscribe: true, channel: channel, symbol: symbol, error: status.errorMessage ?? "unknown error")
        case .ok: link.counters.unexpectedMessages += 1
        }
    }

    /// A v1 subscribe or unsubscribe with the pairs' v1 names. A symbol AssetPairs no longer
    /// lists cannot be named: it is logged and not awaited (rather than waited for until the
    /// ack deadline replaces the connection).
    func sendV1(_ request: ChannelRequest, _ batch: [String], unsubscribe: Bool) {
        var pairs: [String] = []
        for symbol in batch {
            if let name = symbolMap?.webSocketName(for: symbol) {
                pairs.append(name)
            } else {
                link.counters.subscribeErrors += 1
                link.log.write(kind: "unknown_symbol", "\(symbol) has no v1 name in AssetPairs")
                link.forget(SubscriptionKey(channel: request.channel.name, symbol: symbol))
            }
        }
        guard let name = V1Subscription.Name(rawValue: request.channel.name), !pairs.isEmpty else { return }
        link.send(V1Subscription(name: name, pairs: pairs, depth: request.depth, interval: request.interval), unsubscribe: unsubscribe)
    }

    /// The v2 symbol of a v1 pair name this feed keeps; anything else is counted.
    private func symbol(of pair: String) -> String? {
        guard let symbol = symbolMap?.symbol(forWebSocketName: pair) else {
            link.counters.unexpectedMessages += 1
            return nil
        }
        return symbol
    }

    /// The newest level time of a v1 book message: a republished level (`r`) keeps its old time.
    private static func exchangeTime(of book: V1BookMessage) -> Int64 {
        var latest: Int64 = 0
        for level in book.bids where !level.isRepublished { latest = max(latest, level.timestampNs) }
        for level in book.asks where !level.isRepublished { latest = max(latest, level.timestampNs) }
        return latest
    }
}

extension BookKeeper {
    /// v1 names the depth in the channel: a message of another depth is an old subscription's
    /// (nil). Checked inside the keeper: reading `depth` through the dictionary first would
    /// copy the whole keeper on every message.
    mutating func applyAtOwnDepth(_ message: V1BookMessage) -> Outcome? {
        message.depth == depth ? apply(message) : nil
    }
}
