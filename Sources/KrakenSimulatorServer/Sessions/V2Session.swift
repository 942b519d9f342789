import KrakenSimulator
import KrakenWire

/// One client connection on a v2 endpoint (`/v2`): answers requests, keeps the client's
/// subscriptions (a `BookView` per subscribed book) and writes what changed after each market
/// tick. Lives on the exchange's event loop.
final class V2Session: ClientSession {
    private let exchange: Exchange
    let output: SessionOutput
    private var books: [String: BookView] = [:]
    private var tradeSymbols: Set<String> = []
    private var tickerSymbols: Set<String> = []
    /// Subscribed candle intervals per symbol.
    private var candleIntervals: [String: Set<Int>] = [:]
    private var executions: PrivateSequencer?
    private var balances: PrivateSequencer?

    init(exchange: Exchange, endpoint: Endpoint) {
        self.exchange = exchange
        output = SessionOutput(endpoint: endpoint, connectionID: exchange.nextConnection(), counters: exchange.counters)
    }

    var isV1: Bool { false }
    var hasSubscriptions: Bool {
        !books.isEmpty || !tradeSymbols.isEmpty || !tickerSymbols.isEmpty || !candleIntervals.isEmpty || executions != nil
            || balances != nil
    }

    /// The first frame of every connection: the system status.
    func greet() {
        output.send(V2Frames.status(system: exchange.systemStatus, connectionID: output.connectionID))
    }

    private func reply(_ bytes: [UInt8]) { output.send(bytes, kind: .data) }

    func handle(text: [UInt8]) {
        let received = UnixClock.nanoseconds()
        let request: ClientRequest
        do {
            request = try text.withUnsafeBytes { bytes throws(WireError) in try ClientRequest(frame: bytes) }
        } catch {
            exchange.counters.add("ws_requests_malformed")
            reply(V2Responses.error(method: "", message: "EGeneral:Invalid arguments", symbol: nil, requestID: nil,
                                    timeInNs: received, timeOutNs: UnixClock.nanoseconds()))
            return
        }
        if exchange.takeRateLimit() {
            let method: String = switch request {
            case .v2Subscription(let isSubscribe, _, _): isSubscribe ? "subscribe" : "unsubscribe"
            case .v2Ping: "ping"
            case .v2Other(let method, _): method
            default: ""
            }
            reply(V2Responses.error(method: method, message: "Exceeded msg rate", symbol: nil, requestID: nil,
                                    timeInNs: received, timeOutNs: UnixClock.nanoseconds()))
            output.close(clean: false)
            return
        }
        switch request {
        case .v2Ping(let requestID):
            reply(V2Responses.pong(requestID: requestID, timeInNs: received, timeOutNs: UnixClock.nanoseconds()))
        case .v2Other(let method, let requestID):
            reply(V2Responses.error(method: method, message: "Method not found", symbol: nil, requestID: requestID,
                                    timeInNs: received, timeOutNs: UnixClock.nanoseconds()))
        case .v2Subscription(let isSubscribe, let params, let requestID):
            subscription(isSubscribe: isSubscribe, params, requestID: requestID, received: received)
        case .v1Subscription, .v1Ping, .v1Other:
            reply(V2Responses.error(method: "", message: "EGeneral:Invalid arguments", symbol: nil, requestID: nil,
                                    timeInNs: received, timeOutNs: UnixClock.nanoseconds()))
        }
    }

    private func subscription(isSubscribe: Bool, _ params: ClientRequest.V2Params, requestID: UInt64?, received: Int64) {
        let method = isSubscribe ? "subscribe" : "unsubscribe"
        func fail(_ message: String, symbol: String?) {
            reply(V2Responses.error(method: method, message: message, symbol: symbol, requestID: requestID,
                                    timeInNs: received, timeOutNs: UnixClock.nanoseconds()))
        }
        func acknowledge(channel: String, symbol: String?, depth: Int?, snapshot: Bool?) {
            reply(V2Responses.subscribed(method: method, channel: channel, symbol: symbol, depth: depth, snapshot: snapshot,
                                         requestID: requestID, timeInNs: received, timeOutNs: UnixClock.nanoseconds()))
        }
        switch params.channel {
        case "book", "trade", "ticker": break
        case "ohlc":
            guard MarketStatistics.isSupported(interval: params.interval ?? 1) else {
                fail("Subscription ohlc interval not supported", symbol: nil)
                return
            }
        case "instrument":
            acknowledge(channel: "instrument", symbol: nil, depth: nil, snapshot: isSubscribe ? (params.snapshot ?? true) : nil)
            if isSubscribe, params.snapshot ?? true { reply(V2Frames.instrument(pairs: exchange.pairs)) }
            return
        case "executions", "balances":
            privateSubscription(isSubscribe: isSubscribe, params, fail: fail, acknowledge: acknowledge)
            return
        default:
            fail("Channel not supported \(params.channel)", symbol: nil)
            return
        }
        let depth = params.depth ?? 10
        if params.channel == "book", !KrakenLimits.bookDepths.contains(depth) {
            fail("Subscription depth not supported", symbol: nil)
            return
        }
        for symbol in params.symbols {
            guard let market = exchange.market(symbol) else {
                fail("Currency pair not supported \(symbol)", symbol: symbol)
                continue
            }
            let pair = market.pair
            if params.channel == "book" {
                if isSubscribe {
                    guard books[symbol] == nil else { fail("Already subscribed", symbol: symbol); continue }
                    acknowledge(channel: "book", symbol: symbol, depth: depth, snapshot: params.snapshot ?? true)
                    var view = BookView(depth: depth)
                    let snapshot = view.snapshot(of: market)
                    if params.snapshot ?? true {
                        reply(V2Frames.book(snapshot: true, pair: pair, bids: snapshot.bids.map { ($0.price, $0.quantity) },
                                            asks: snapshot.asks.map { ($0.price, $0.quantity) }, checksum: view.checksum(pair: pair, decimals: pair.precision),
                                            timestampNs: UnixClock.nanoseconds()))
                    }
                    books[symbol] = view
                } else {
                    guard books.removeValue(forKey: symbol) != nil else { fail("Subscription Not Found", symbol: symbol); continue }
                    acknowledge(channel: "book", symbol: symbol, depth: depth, snapshot: nil)
                }
            } else if params.channel == "ticker" || params.channel == "ohlc" {
                candleOrTicker(isSubscribe: isSubscribe, params, market: market, fail: { fail($0, symbol: symbol) },
                               acknowledge: { acknowledge(channel: params.channel, symbol: symbol, depth: nil, snapshot: $0) })
            } else {
                let changed = isSubscribe ? tradeSymbols.insert(symbol).inserted : tradeSymbols.remove(symbol) != nil
                guard changed else { fail(isSubscribe ? "Already subscribed" : "Subscription Not Found", symbol: symbol); continue }
                acknowledge(channel: "trade", symbol: symbol, depth: nil, snapshot: isSubscribe ? (params.snapshot ?? false) : nil)
            }
        }
    }

    private func candleOrTicker(
        isSubscribe: Bool, _ params: ClientRequest.V2Params, market: PairMarket, fail: (String) -> Void, acknowledge: (Bool?) -> Void
    ) {
        let symbol = market.pair.symbol
        let interval = params.interval ?? 1
        let changed: Bool = if params.channel == "ticker" {
            isSubscribe ? tickerSymbols.insert(symbol).inserted : tickerSymbols.remove(symbol) != nil
        } else {
            isSubscribe ? candleIntervals[symbol, default: []].insert(interval).inserted : candleIntervals[symbol]?.remove(interval) != nil
        }
        if candleIntervals[symbol]?.isEmpty == true { candleIntervals[symbol] = nil }
        guard changed else { fail(isSubscribe ? "Already subscribed" : "Subscription Not Found"); return }
        let snapshot = isSubscribe ? (params.snapshot ?? true) : nil
        acknowledge(snapshot)
        guard snapshot == true, let statistics = exchange.statistics[symbol] else { return }
        let now = UnixClock.nanoseconds()
        reply(params.channel == "ticker"
            ? V2Frames.ticker(snapshot: true, pair: market.pair, statistics.ticker(of: market, nowNs: now), timestampNs: now)
            : V2Frames.ohlc(snapshot: true, pair: market.pair, statistics.candles(interval: interval), timestampNs: now))
    }

    private func privateSubscription(
        isSubscribe: Bool, _ params: ClientRequest.V2Params, fail: (String, String?) -> Void,
        acknowledge: (String, String?, Int?, Bool?) -> Void
    ) {
        guard output.endpoint == .private else { fail("ESession:Invalid session", nil); return }
        let isExecutions = params.channel == "executions"
        if isSubscribe {
            guard let token = params.token, exchange.tokens.isValid(token, nowNs: UnixClock.nanoseconds()),
                  !exchange.takeTokenRejection()
            else { fail("ESession:Invalid session", nil); return }
            guard (isExecutions ? executions : balances) == nil else { fail("Already subscribed", nil); return }
            acknowledge(params.channel, nil, nil, params.snapshot ?? true)
            var sequencer = PrivateSequencer()
            if params.snapshot ?? true {
                let account = exchange.account
                for frame in sequencer.frames({ sequence in
                    isExecutions
                        ? V2Frames.executionsSnapshot(
                            openOrders: account.openOrders, trades: params.snapTrades == true ? account.recentTrades(50) : [],
                            sequence: sequence)
                        : V2Frames.balancesSnapshot(account.balances, sequence: sequence)
                }) { reply(frame) }
            }
            if isExecutions { executions = sequencer } else { balances = sequencer }
        } else {
            guard (isExecutions ? executions : balances) != nil else { fail("Subscription Not Found", nil); return }
            if isExecutions { executions = nil } else { balances = nil }
            acknowledge(params.channel, nil, nil, nil)
        }
    }

    func marketDidChange(_ market: PairMarket, statistics: MarketStatistics, trades: [PairMarket.Trade], nowNs: Int64) {
        let symbol = market.pair.symbol
        if var view = books[symbol] {
            let changes = view.update(to: market)
            books[symbol] = view
            if !changes.bids.isEmpty || !changes.asks.isEmpty {
                var checksum = view.checksum(pair: market.pair, decimals: market.pair.precision)
                if exchange.takeChecksumCorruption(symbol: symbol) { checksum ^= 0x5A5A_5A5A }
                reply(V2Frames.book(snapshot: false, pair: market.pair, bids: changes.bids.map { ($0.price, $0.quantity) },
                                    asks: changes.asks.map { ($0.price, $0.quantity) }, checksum: checksum,
                                    timestampNs: nowNs))
            }
        }
        if !trades.isEmpty, tradeSymbols.contains(symbol) {
            reply(V2Frames.trades(snapshot: false, pair: market.pair, trades, timestampNs: nowNs))
        }
        guard !trades.isEmpty else { return }
        if tickerSymbols.contains(symbol) {
            reply(V2Frames.ticker(snapshot: false, pair: market.pair, statistics.ticker(of: market, nowNs: nowNs), timestampNs: nowNs))
        }
        for interval in (candleIntervals[symbol] ?? []).sorted() {
            if let candle = statistics.candle(interval: interval) {
                reply(V2Frames.ohlc(snapshot: false, pair: market.pair, [candle], timestampNs: nowNs))
            }
        }
    }

    func statusDidChange(_ status: String) {
        output.send(V2Frames.status(system: status, connectionID: output.connectionID))
    }

    func armSequenceFault(_ fault: Fault.SequenceFault) {
        executions?.arm(fault)
        balances?.arm(fault)
    }

    func accountDidChange(executions events: [ExecutionEvent], ledger: [LedgerEntry]) {
        if !events.isEmpty, var sequencer = executions {
            for frame in sequencer.frames({ V2Frames.executionsUpdate(events, sequence: $0) }) { reply(frame) }
            executions = sequencer
        }
        if !ledger.isEmpty, var sequencer = balances {
            for frame in sequencer.frames({ V2Frames.balancesUpdate(ledger, sequence: $0) }) { reply(frame) }
            balances = sequencer
        }
    }
}
