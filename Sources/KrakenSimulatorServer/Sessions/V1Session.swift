import KrakenSimulator
import KrakenWire

/// One client connection on a v1 endpoint (`/`): Kraken's array frames with channel ids, book
/// checksums in updates only, the republish flag and split asks/bids objects. Lives on the
/// exchange's event loop.
final class V1Session: ClientSession {
    /// A public subscription: its channel id is unique per connection, like Kraken's.
    private struct BookSubscription {
        var channelID: Int
        var view: BookView
    }

    private let exchange: Exchange
    let output: SessionOutput
    private var books: [String: BookSubscription] = [:]
    /// Channel ids of the non-book public subscriptions: channel name (`trade`, `ticker`,
    /// `spread`, `ohlc-5`, …) → symbol → id.
    private var channels: [String: [String: Int]] = [:]
    /// The last spread sent per symbol: a spread goes out only when the top of book changed.
    private var lastSpreads: [String: Spread] = [:]
    private var openOrders: PrivateSequencer?
    private var ownTrades: PrivateSequencer?
    private var nextChannelID = 1_000

    init(exchange: Exchange, endpoint: Endpoint) {
        self.exchange = exchange
        output = SessionOutput(endpoint: endpoint, connectionID: exchange.nextConnection(), counters: exchange.counters)
    }

    var isV1: Bool { true }
    var hasSubscriptions: Bool {
        !books.isEmpty || channels.values.contains { !$0.isEmpty } || openOrders != nil || ownTrades != nil
    }

    /// The first frame of every connection: the system status.
    func greet() {
        output.send(V1Frames.systemStatus(status: exchange.systemStatus, connectionID: output.connectionID))
    }

    private func reply(_ bytes: [UInt8]) { output.send(bytes) }

    func handle(text: [UInt8]) {
        let request: ClientRequest
        do {
            request = try text.withUnsafeBytes { bytes throws(WireError) in try ClientRequest(frame: bytes) }
        } catch {
            exchange.counters.add("ws_requests_malformed")
            reply(V1Responses.error(message: "Malformed request", requestID: nil))
            return
        }
        if exchange.takeRateLimit() {
            reply(V1Responses.error(message: "Exceeded msg rate", requestID: request.requestID))
            output.close(clean: false)
            return
        }
        switch request {
        case .v1Ping(let requestID): reply(V1Responses.pong(requestID: requestID))
        case .v1Other(_, let requestID): reply(V1Responses.error(message: "Event(s) not found", requestID: requestID))
        case .v1Subscription(let isSubscribe, let params, let requestID): subscription(isSubscribe: isSubscribe, params, requestID: requestID)
        case .v2Subscription, .v2Ping, .v2Other: reply(V1Responses.error(message: "Malformed request", requestID: nil))
        }
    }

    private func subscription(isSubscribe: Bool, _ params: ClientRequest.V1Params, requestID: UInt64?) {
        let subscription = V1Responses.Subscription(
            name: params.name, depth: params.name == "book" ? (params.depth ?? 10) : nil,
            interval: params.name == "ohlc" ? (params.interval ?? 1) : nil)
        func fail(_ message: String, pair: String?) {
            reply(V1Responses.subscriptionError(message: message, pair: pair, subscription: subscription, requestID: requestID))
        }
        func acknowledge(channelID: Int?, pair: String?) {
            reply(V1Responses.subscriptionStatus(status: isSubscribe ? "subscribed" : "unsubscribed", channelID: channelID,
                                                 pair: pair, subscription: subscription, requestID: requestID))
        }
        switch params.name {
        case "book", "trade", "ticker", "spread": break
        case "ohlc":
            guard MarketStatistics.isSupported(interval: params.interval ?? 1) else {
                fail("Subscription ohlc interval not supported", pair: nil)
                return
            }
        case "openOrders", "ownTrades":
            privateSubscription(isSubscribe: isSubscribe, params, fail: { fail($0, pair: nil) }, acknowledge: { acknowledge(channelID: nil, pair: nil) })
            return
        default:
            fail("Subscription name invalid", pair: nil)
            return
        }
        guard let pairs = params.pairs, !pairs.isEmpty else { fail("Pair field must be an array", pair: nil); return }
        let depth = params.depth ?? 10
        if params.name == "book", !KrakenLimits.bookDepths.contains(depth) {
            for pair in pairs { fail("Subscription depth not supported", pair: pair) }
            return
        }
        for name in pairs {
            guard let market = exchange.market(v1Name: name) else { fail("Currency pair not supported \(name)", pair: name); continue }
            let pair = market.pair
            if params.name == "book" {
                if isSubscribe {
                    guard books[pair.symbol] == nil else { fail("Already subscribed", pair: name); continue }
                    let channelID = allocateChannelID()
                    acknowledge(channelID: channelID, pair: name)
                    var view = BookView(depth: depth)
                    let snapshot = view.snapshot(of: market)
                    reply(V1Frames.bookSnapshot(channelID: channelID, pair: pair, depth: depth, bids: snapshot.bids,
                                                asks: snapshot.asks, timestampNs: UnixClock.nanoseconds()))
                    books[pair.symbol] = BookSubscription(channelID: channelID, view: view)
                } else {
                    guard let removed = books.removeValue(forKey: pair.symbol) else { fail("Subscription Not Found", pair: name); continue }
                    acknowledge(channelID: removed.channelID, pair: name)
                }
            } else if isSubscribe {
                let channelName = subscription.channelName
                guard channels[channelName]?[pair.symbol] == nil else { fail("Already subscribed", pair: name); continue }
                let channelID = allocateChannelID()
                channels[channelName, default: [:]][pair.symbol] = channelID
                acknowledge(channelID: channelID, pair: name)
                sendCurrent(channelName, channelID: channelID, market: market)
            } else {
                guard let removed = channels[subscription.channelName]?.removeValue(forKey: pair.symbol) else {
                    fail("Subscription Not Found", pair: name)
                    continue
                }
                acknowledge(channelID: removed, pair: name)
            }
        }
    }

    /// What Kraken sends right after subscribing: the current ticker, last candle or spread.
    private func sendCurrent(_ channelName: String, channelID: Int, market: PairMarket) {
        guard let statistics = exchange.statistics[market.pair.symbol] else { return }
        let now = UnixClock.nanoseconds()
        switch channelName {
        case "ticker": reply(V1Frames.ticker(channelID: channelID, pair: market.pair, statistics.ticker(of: market, nowNs: now)))
        case "spread":
            let spread = statistics.spread(of: market, timestampNs: now)
            lastSpreads[market.pair.symbol] = spread
            reply(V1Frames.spread(channelID: channelID, pair: market.pair, spread))
        default:
            if let interval = Self.interval(of: channelName), let candle = statistics.candle(interval: interval) {
                reply(V1Frames.ohlc(channelID: channelID, pair: market.pair, candle))
            }
        }
    }

    /// `ohlc-5` → 5.
    private static func interval(of channelName: String) -> Int? {
        channelName.hasPrefix("ohlc-") ? Int(channelName.dropFirst(5)) : nil
    }

    private func allocateChannelID() -> Int {
        nextChannelID += 1
        return nextChannelID
    }

    private func privateSubscription(
        isSubscribe: Bool, _ params: ClientRequest.V1Params, fail: (String) -> Void, acknowledge: () -> Void
    ) {
        guard output.endpoint == .private else { fail("Private data and trading are unavailable on this endpoint"); return }
        let isOpenOrders = params.name == "openOrders"
        if isSubscribe {
            guard let token = params.token, exchange.tokens.isValid(token, nowNs: UnixClock.nanoseconds()),
                  !exchange.takeTokenRejection()
            else { fail("ESession:Invalid session"); return }
            guard (isOpenOrders ? openOrders : ownTrades) == nil else { fail("Already subscribed"); return }
            acknowledge()
            var sequencer = PrivateSequencer()
            let account = exchange.account
            if isOpenOrders || params.snapshot ?? true {
                for frame in sequencer.frames({ sequence in
                    isOpenOrders ? V1Frames.openOrdersSnapshot(account.openOrders, sequence: sequence)
                        : V1Frames.ownTrades(account.recentFills(), snapshot: true, sequence: sequence)
                }) { reply(frame) }
            }
            if isOpenOrders { openOrders = sequencer } else { ownTrades = sequencer }
        } else {
            guard (isOpenOrders ? openOrders : ownTrades) != nil else { fail("Subscription Not Found"); return }
            if isOpenOrders { openOrders = nil } else { ownTrades = nil }
            acknowledge()
        }
    }

    func marketDidChange(_ market: PairMarket, statistics: MarketStatistics, trades marketTrades: [PairMarket.Trade], nowNs: Int64) {
        let symbol = market.pair.symbol
        if var subscription = books[symbol] {
            let changes = subscription.view.update(to: market)
            books[symbol] = subscription
            if !changes.bids.isEmpty || !changes.asks.isEmpty {
                var checksum = subscription.view.checksum(pair: market.pair, decimals: market.pair.v1Decimals)
                if exchange.takeChecksumCorruption(symbol: symbol) { checksum ^= 0x5A5A_5A5A }
                reply(V1Frames.bookUpdate(channelID: subscription.channelID, pair: market.pair, depth: subscription.view.depth,
                                          bids: changes.bids, asks: changes.asks, checksum: checksum, timestampNs: nowNs))
            }
        }
        if let channelID = channels["spread"]?[symbol] {
            let spread = statistics.spread(of: market, timestampNs: nowNs)
            if !(lastSpreads[symbol].map { spread.hasSameTopOfBook(as: $0) } ?? false) {
                reply(V1Frames.spread(channelID: channelID, pair: market.pair, spread))
                lastSpreads[symbol] = spread
            }
        }
        guard !marketTrades.isEmpty else { return }
        if let channelID = channels["trade"]?[symbol] {
            reply(V1Frames.trades(channelID: channelID, pair: market.pair, marketTrades, timestampNs: nowNs))
        }
        if let channelID = channels["ticker"]?[symbol] {
            reply(V1Frames.ticker(channelID: channelID, pair: market.pair, statistics.ticker(of: market, nowNs: nowNs)))
        }
        for (channelName, ids) in channels {
            guard let channelID = ids[symbol], let interval = Self.interval(of: channelName),
                  let candle = statistics.candle(interval: interval) else { continue }
            reply(V1Frames.ohlc(channelID: channelID, pair: market.pair, candle))
        }
    }

    func statusDidChange(_ status: String) {
        output.send(V1Frames.systemStatus(status: status, connectionID: output.connectionID))
    }

    func armSequenceFault(_ fault: Fault.SequenceFault) {
        openOrders?.arm(fault)
        ownTrades?.arm(fault)
    }

    func accountDidChange(executions events: [ExecutionEvent], ledger: [LedgerEntry]) {
        if !events.isEmpty, var sequencer = openOrders {
            for frame in sequencer.frames({ V1Frames.openOrdersUpdate(events, sequence: $0) }) { reply(frame) }
            openOrders = sequencer
        }
        let fills = events.filter { $0.fill != nil }
        if !fills.isEmpty, var sequencer = ownTrades {
            for frame in sequencer.frames({ V1Frames.ownTrades(fills, snapshot: false, sequence: $0) }) { reply(frame) }
            ownTrades = sequencer
        }
    }
}

extension ClientRequest {
    /// The request id the client sent, echoed in answers.
    var requestID: UInt64? {
        switch self {
        case .v2Subscription(_, _, let id), .v2Ping(let id), .v2Other(_, let id), .v1Subscription(_, _, let id), .v1Ping(let id),
            .v1Other(_, let id):
            id
        }
    }
}
