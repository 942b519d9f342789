import FixedPoint
import KrakenSimulator
import KrakenWire
import Testing

/// What each frame must say about an account event, field by field (absent fields included:
/// a `new` report that carried a quantity would be as wrong as one that lost it).
enum FrameChecks {
    /// A scripted account that goes through every event kind on three pairs of different scales.
    static func scriptedAccount() throws -> SimulatedAccount {
        typealias F = AccountFixture
        var account = SimulatedAccount(seed: 21)
        let day = F.start
        let resting = try account.place(
            .limit("BTC/USD", .buy, quantity: 750_000, price: 265_000, clientOrderID: "sim-buy", userref: 17,
                   expireTimeNs: day + 3_600 * F.second), top: F.top, nowNs: day)
        try account.fillResting(orderID: resting.id, quantity: 250_000, nowNs: day + 1_500_123)
        try account.fillResting(orderID: resting.id, quantity: 500_000, nowNs: day + 2 * F.second)
        let canceled = try account.place(.limit("ETH/USD", .sell, quantity: 120_000_000, price: 350_000), top: TopOfBook(bid: 344_900, ask: 345_000), nowNs: day + 3 * F.second)
        try account.fillResting(orderID: canceled.id, quantity: 20_000_000, nowNs: day + 4 * F.second)
        try account.cancel(orderID: canceled.id, nowNs: day + 5 * F.second)
        try account.place(
            .limit("DOGE/USD", .sell, quantity: 5_000_000_000, price: 1_700_000, userref: -4, expireTimeNs: day + 6 * F.second),
            top: TopOfBook(bid: 1_649_990, ask: 1_650_010), nowNs: day + 5 * F.second)
        account.expireOrders(nowNs: day + 6 * F.second)
        try account.place(.market("ETH/USD", .buy, quantity: 33_333_333, clientOrderID: "sim-mkt"), top: TopOfBook(bid: 344_900, ask: 345_010), nowNs: day + 7 * F.second)
        try account.place(.limit("DOGE/USD", .buy, quantity: 12_345_678_901, price: 1_660_000), top: TopOfBook(bid: 1_649_990, ask: 1_650_010), nowNs: day + 8 * F.second)
        try account.place(.limit("BTC/USD", .sell, quantity: 1_000_000, price: 270_000, userref: 5), top: F.top, nowNs: day + 9 * F.second)
        let partly = try account.place(
            .limit("BTC/USD", .buy, quantity: 200_000, price: 260_000, clientOrderID: "sim-part"), top: F.top, nowNs: day + 10 * F.second)
        try account.fillResting(orderID: partly.id, quantity: 50_000, nowNs: day + 11 * F.second)
        return account
    }

    static func micros(_ nanoseconds: Int64) -> Int64 { nanoseconds / 1_000 * 1_000 }

    /// A v2 report against the event it was written from.
    static func check(_ report: V2Execution, against event: ExecutionEvent) {
        let order = event.order
        let pair = order.pair
        #expect(report.execType == Words.execType(event.execType))
        #expect(report.orderID == order.id)
        #expect(report.orderStatus == Words.status(order.status))
        #expect(report.timestampNs == micros(event.timestampNs))
        #expect(report.clientOrderID == order.clientOrderID)
        #expect(report.orderUserref == order.userref)
        let fullOrder = event.execType == .pendingNew
        #expect((report.symbol != nil) == (fullOrder || event.execType == .trade))
        if report.symbol != nil { #expect(report.symbol == pair.symbol) }
        #expect(report.side == ((fullOrder || event.execType == .trade) ? Words.side(order.side) : nil))
        #expect(report.orderType == ((fullOrder || event.execType == .trade) ? Words.orderType(order.type) : nil))
        #expect((report.orderQuantity != nil) == fullOrder)
        if fullOrder {
            #expect(equals(report.orderQuantity, order.quantity, pair.quantityScale))
            #expect(report.timeInForce == order.timeInForce)
            if let limit = order.limitPrice { #expect(equals(report.limitPrice, limit, pair.priceScale)) } else {
                #expect(report.limitPrice == nil)
            }
            #expect(equals(report.cumulativeCost, 0, 0))
        }
        let hasTotals = [.trade, .filled, .canceled, .expired].contains(event.execType)
        #expect((report.cumulativeQuantity != nil) == hasTotals)
        if hasTotals {
            #expect(equals(report.cumulativeQuantity, order.filledQuantity, pair.quantityScale))
            #expect(equals(report.cumulativeCost, order.cumulativeCost, order.quoteScale))
            #expect(equals(report.averagePrice, order.averagePrice, pair.priceScale))
        }
        if let fill = event.fill {
            #expect(report.execID == fill.execID)
            #expect(report.tradeID == fill.tradeID)
            #expect(equals(report.lastQuantity, fill.quantity, pair.quantityScale))
            #expect(equals(report.lastPrice, fill.price, pair.priceScale))
            #expect(equals(report.cost, fill.cost, order.quoteScale))
            #expect(report.liquidity == (fill.isMaker ? .maker : .taker))
            #expect(report.fees.count == 1)
            #expect(report.fees.first?.asset == pair.quote)
            #expect(equals(report.fees.first?.quantity, fill.fee, order.quoteScale))
            #expect(equals(report.feeUSDEquivalent, fill.fee, order.quoteScale))
        } else {
            #expect(report.execID == nil && report.tradeID == nil && report.lastQuantity == nil && report.cost == nil)
            #expect(report.fees.isEmpty && report.liquidity == nil)
            if event.execType != .new { #expect(equals(report.feeUSDEquivalent, order.fees, order.quoteScale)) }
        }
        let closing = event.execType == .canceled || event.execType == .expired
        #expect(report.reason == (closing ? order.closeReason : nil))
    }

    /// A v1 `openOrders` entry against the event it was written from.
    static func check(_ update: V1OrderUpdate, against event: ExecutionEvent) {
        let order = event.order
        let pair = order.pair
        #expect(update.orderID == order.id)
        let statusChange = event.execType != .trade
        #expect(update.status == (statusChange ? Words.v1Status(order.status) : nil))
        #expect(update.clientOrderID == order.clientOrderID)
        #expect(update.userref == order.userref)
        let full = event.execType == .pendingNew
        #expect((update.description != nil) == full)
        #expect((update.volume != nil) == full)
        if full { checkFull(update, order) }
        let totals = [.trade, .filled, .canceled, .expired].contains(event.execType)
        #expect((update.lastUpdatedNs != nil) == totals)
        if totals {
            #expect(update.lastUpdatedNs == micros(event.timestampNs))
            #expect(equals(update.volumeExecuted, order.filledQuantity, pair.quantityScale))
            #expect(equals(update.cost, order.cumulativeCost, order.quoteScale))
            #expect(equals(update.fee, order.fees, order.quoteScale))
            #expect(equals(update.averagePrice, order.averagePrice, pair.priceScale))
        }
        #expect(update.cancelReason == ((event.execType == .canceled || event.execType == .expired) ? order.closeReason : nil))
    }

    /// A full v1 order (snapshot, or the update for a new order).
    static func checkFull(_ update: V1OrderUpdate, _ order: SimulatedOrder) {
        let pair = order.pair
        #expect(update.status == Words.v1Status(order.status))
        #expect(update.description?.pair == pair.v1Name)
        #expect(update.description?.side == Words.side(order.side))
        #expect(update.description?.orderType == Words.orderType(order.type))
        #expect(equals(update.description?.price, order.limitPrice ?? 0, pair.priceScale))
        #expect(update.volume == FixedDecimal(mantissa: order.quantity, scale: pair.quantityScale))
        #expect(update.volumeExecuted == FixedDecimal(mantissa: order.filledQuantity, scale: pair.quantityScale))
        #expect(equals(update.cost, order.cumulativeCost, order.quoteScale))
        #expect(equals(update.fee, order.fees, order.quoteScale))
        #expect(equals(update.averagePrice, order.averagePrice, pair.priceScale))
        #expect(update.openTimeNs == micros(order.openTimeNs))
        #expect(update.timeInForce == order.timeInForce)
        #expect(update.clientOrderID == order.clientOrderID)
        #expect(update.userref == order.userref)
    }

    /// A v1 own trade against its `trade` event.
    static func check(_ trade: V1OwnTrade, against event: ExecutionEvent, isSnapshot: Bool) throws {
        let order = event.order
        let pair = order.pair
        let fill = try #require(event.fill)
        #expect(trade.tradeID == fill.execID)
        #expect(trade.orderID == order.id)
        #expect(trade.pair == pair.v1Name)
        #expect(trade.timeNs == micros(event.timestampNs))
        #expect(trade.side == Words.side(order.side))
        #expect(trade.orderType == Words.orderType(order.type))
        #expect(trade.price == FixedDecimal(mantissa: fill.price, scale: pair.priceScale))
        #expect(trade.volume == FixedDecimal(mantissa: fill.quantity, scale: pair.quantityScale))
        #expect(equals(trade.cost, fill.cost, order.quoteScale))
        #expect(equals(trade.fee, fill.fee, order.quoteScale))
        #expect(trade.cost.scale == 5, "cost with Kraken's 5 decimals")
        #expect(trade.userref == (isSnapshot ? nil : order.userref))
        #expect(trade.clientOrderID == (isSnapshot ? nil : order.clientOrderID))
    }
}
