import FixedPoint
import KrakenSimulator
import KrakenWire
import Testing

@Suite("simulated account: private frames parse into the account's events")
struct AccountFrameTests {
    typealias F = AccountFixture

    @Test("v2 executions: every event of a scripted account, one update each, parses into the event's values")
    func v2ExecutionUpdates() throws {
        let account = try FrameChecks.scriptedAccount()
        let events = F.executions(account)
        #expect(Set(events.map(\.execType)).count == 6, "pending_new, new, trade, filled, canceled, expired")
        for (index, event) in events.enumerated() {
            let message = try Parse.executions(V2Frames.executionsUpdate([event], sequence: UInt64(index + 8)))
            #expect(message.kind == .update)
            #expect(message.sequence == UInt64(index + 8))
            #expect(message.reports.count == 1)
            if let report = message.reports.first { FrameChecks.check(report, against: event) }
        }
    }

    @Test("v2 executions: a seeded run's events, several to a frame, parse into the events' values")
    func v2ExecutionUpdatesOfARun() throws {
        let (account, _) = F.randomRun(seed: 5, steps: 1_500)
        let events = F.executions(account)
        #expect(events.count > 300)
        var sequence: UInt64 = 1
        for start in stride(from: 0, to: events.count, by: 3) {
            let batch = Array(events[start..<min(start + 3, events.count)])
            let message = try Parse.executions(V2Frames.executionsUpdate(batch, sequence: sequence))
            #expect(message.sequence == sequence)
            #expect(message.reports.count == batch.count)
            for (report, event) in zip(message.reports, batch) { FrameChecks.check(report, against: event) }
            sequence += 1
        }
    }

    @Test("v2 executions snapshot: the open orders with their fills so far, then the recent fills")
    func v2ExecutionsSnapshot() throws {
        let account = try FrameChecks.scriptedAccount()
        let open = account.openOrders
        #expect(open.map(\.status) == [.new, .partiallyFilled])
        let fills = account.recentFills()
        let message = try Parse.executions(V2Frames.executionsSnapshot(openOrders: open, trades: fills, sequence: 1))
        #expect(message.kind == .snapshot && message.sequence == 1)
        #expect(message.reports.count == open.count + fills.count)
        for (report, order) in zip(message.reports, open) {
            #expect(report.execType == .new)
            #expect(report.orderID == order.id)
            #expect(report.orderStatus == Words.status(order.status))
            #expect(report.symbol == order.pair.symbol)
            #expect(report.side == Words.side(order.side))
            #expect(equals(report.orderQuantity, order.quantity, order.pair.quantityScale))
            #expect(equals(report.limitPrice, order.limitPrice ?? -1, order.pair.priceScale))
            #expect(equals(report.cumulativeQuantity, order.filledQuantity, order.pair.quantityScale))
            #expect(equals(report.cumulativeCost, order.cumulativeCost, order.quoteScale))
            #expect(equals(report.averagePrice, order.averagePrice, order.pair.priceScale))
            #expect(report.clientOrderID == order.clientOrderID && report.orderUserref == order.userref)
            #expect(report.timestampNs == FrameChecks.micros(order.lastUpdateNs))
        }
        for (report, event) in zip(message.reports.dropFirst(open.count), fills) { FrameChecks.check(report, against: event) }
        let ordersOnly = try Parse.executions(V2Frames.executionsSnapshot(openOrders: open, sequence: 1))
        #expect(ordersOnly.reports.map(\.orderID) == open.map(\.id))
        let empty = try Parse.executions(V2Frames.executionsSnapshot(openOrders: [], sequence: 1))
        #expect(empty.reports.isEmpty)
    }

    @Test("v2 balances: the snapshot and every ledger transaction parse into the account's exact numbers")
    func v2Balances() throws {
        let account = try FrameChecks.scriptedAccount()
        let snapshot = try Parse.balances(V2Frames.balancesSnapshot(account.balances, sequence: 1))
        #expect(snapshot.kind == .snapshot && snapshot.sequence == 1 && snapshot.ledger.isEmpty)
        #expect(snapshot.balances.map(\.asset) == account.balances.map(\.asset))
        for (parsed, balance) in zip(snapshot.balances, account.balances) {
            #expect(equals(parsed.balance, balance.amount, balance.scale))
            #expect(parsed.assetClass == "currency")
            #expect(parsed.wallets.count == 1 && parsed.wallets.first?.type == "spot" && parsed.wallets.first?.id == "main")
            #expect(equals(parsed.wallets.first?.balance, balance.amount, balance.scale))
        }
        let entries = F.ledger(account)
        #expect(entries.count == 2 * F.executions(account).filter { $0.execType == .trade }.count)
        for (index, entry) in entries.enumerated() {
            let message = try Parse.balances(V2Frames.balancesUpdate([entry], sequence: UInt64(index + 2)))
            #expect(message.kind == .update && message.sequence == UInt64(index + 2) && message.balances.isEmpty)
            let parsed = try #require(message.ledger.first)
            #expect(parsed.ledgerID == entry.ledgerID && parsed.refID == entry.refID)
            #expect(parsed.asset == entry.asset && parsed.type == "trade" && parsed.category == "trade")
            #expect(parsed.walletType == "spot" && parsed.walletID == "main" && parsed.assetClass == "currency")
            #expect(parsed.timestampNs == FrameChecks.micros(entry.timestampNs))
            #expect(equals(parsed.amount, entry.amount, entry.scale))
            #expect(equals(parsed.fee, entry.fee, entry.scale))
            #expect(equals(parsed.balance, entry.balance, entry.scale))
        }
    }

    @Test("v1 openOrders: full orders in the snapshot and for new orders, then only what changed")
    func v1OpenOrders() throws {
        let account = try FrameChecks.scriptedAccount()
        let snapshot = try Parse.openOrders(V1Frames.openOrdersSnapshot(account.openOrders, sequence: 234))
        #expect(snapshot.sequence == 234)
        #expect(snapshot.orders.map(\.orderID) == account.openOrders.map(\.id))
        for (update, order) in zip(snapshot.orders, account.openOrders) { FrameChecks.checkFull(update, order) }
        for (index, event) in F.executions(account).enumerated() {
            let message = try Parse.openOrders(V1Frames.openOrdersUpdate([event], sequence: UInt64(235 + index)))
            #expect(message.sequence == UInt64(235 + index))
            #expect(message.orders.count == 1)
            if let update = message.orders.first { FrameChecks.check(update, against: event) }
        }
    }

    @Test("v1 ownTrades: each fill keyed by its trade id, references in updates only")
    func v1OwnTrades() throws {
        let account = try FrameChecks.scriptedAccount()
        let fills = account.recentFills()
        #expect(fills.count == 6)
        let snapshot = try Parse.ownTrades(V1Frames.ownTrades(fills, snapshot: true, sequence: 2948))
        #expect(snapshot.sequence == 2948 && snapshot.trades.count == fills.count)
        for (trade, event) in zip(snapshot.trades, fills) { try FrameChecks.check(trade, against: event, isSnapshot: true) }
        for event in fills {
            let update = try Parse.ownTrades(V1Frames.ownTrades([event], snapshot: false, sequence: 2949))
            #expect(update.trades.count == 1)
            if let trade = update.trades.first { try FrameChecks.check(trade, against: event, isSnapshot: false) }
        }
    }

    @Test("frames are written as Kraken's examples show them: key order, number forms, sparse new")
    func exactText() throws {
        var account = SimulatedAccount(seed: 30)
        let order = try account.place(.limit("BTC/USD", .sell, quantity: 500_000, price: 265_000, userref: 3), top: TopOfBook(bid: 264_000, ask: 266_000), nowNs: F.start)
        try account.fillResting(orderID: order.id, quantity: 500_000, nowNs: F.start + F.second)
        let events = F.executions(account)
        let new = String(decoding: V2Frames.executionsUpdate([events[1]], sequence: 9), as: UTF8.self)
        #expect(new == #"{"channel":"executions","type":"update","data":[{"timestamp":"2023-11-14T22:13:20.000000Z","order_status":"new","exec_type":"new","order_userref":3,"order_id":"\#(order.id)"}],"sequence":9}"#)
        let pending = String(decoding: V2Frames.executionsUpdate([events[0]], sequence: 8), as: UTF8.self)
        #expect(pending.contains(#""symbol":"BTC/USD","order_qty":0.005,"cum_cost":0,"time_in_force":"GTC","exec_type":"pending_new","side":"sell","order_type":"limit","limit_price_type":"static","limit_price":26500.0,"order_status":"pending_new","fee_usd_equiv":0"#))
        let trade = String(decoding: V2Frames.executionsUpdate([events[2]], sequence: 10), as: UTF8.self)
        #expect(trade.contains(#""last_qty":0.005,"last_price":26500.0,"liquidity_ind":"m","cost":132.5,"order_type":"limit""#))
        #expect(trade.contains(#""order_status":"filled","cum_qty":0.005,"cum_cost":132.5,"avg_price":26500.0,"fee_usd_equiv":0.212,"fees":[{"asset":"USD","qty":0.212}]}],"sequence":10}"#))
        let closed = String(decoding: V1Frames.openOrdersUpdate([events[3]], sequence: 4), as: UTF8.self)
        #expect(closed == #"[[{"\#(order.id)":{"lastupdated":"1700000001.000000","status":"closed","vol_exec":"0.00500000","cost":"132.50000","fee":"0.21200","avg_price":"26500.0","userref":3}}],"openOrders",{"sequence":4}]"#)
    }
}
