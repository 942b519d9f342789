import FixedPoint
import KrakenSimulator
import KrakenWire
import Testing

/// What a client knows of one order after reading a private stream.
private struct ClientOrder: Equatable {
    var open: Bool
    var filled: Int64 = 0
    var cost: Int64 = 0
    var fees: Int64 = 0
}

/// One fill as a client read it: quantity, price, cost, fee (mantissas at the pair's scales).
private struct ClientTrade: Equatable {
    var orderID: String
    var quantity: Int64
    var price: Int64
    var cost: Int64
    var fee: Int64
}

/// The value of a parsed decimal at `scale` (it must fit exactly).
private func exactMantissa(_ value: FixedDecimal?, _ scale: UInt8) throws -> Int64 {
    try #require(value?.rescaled(to: scale)).mantissa
}

@Suite("simulated account: v1 and v2 views agree")
struct AccountViewsTests {
    typealias F = AccountFixture

    @Test("a v2 and a v1 client that subscribe mid-run end with the account's open orders, fills and balances")
    func streamsAgree() throws {
        var (account, markets) = F.randomRun(seed: 77, steps: 1_000)
        var v2: [String: ClientOrder] = [:]
        var v1: [String: ClientOrder] = [:]
        var v2Trades: [String: ClientTrade] = [:]
        var v1Trades: [String: ClientTrade] = [:]
        var balances: [String: Int64] = [:]
        func known(_ id: String) -> SimulatedOrder { account.order(id: id)! }

        let snapshot = try Parse.executions(V2Frames.executionsSnapshot(openOrders: account.openOrders, sequence: 1))
        for report in snapshot.reports {
            let order = known(report.orderID)
            v2[report.orderID] = ClientOrder(
                open: true, filled: try exactMantissa(report.cumulativeQuantity, order.pair.quantityScale),
                cost: try exactMantissa(report.cumulativeCost, order.quoteScale),
                fees: try exactMantissa(report.feeUSDEquivalent, order.quoteScale))
        }
        for update in try Parse.openOrders(V1Frames.openOrdersSnapshot(account.openOrders, sequence: 1)).orders {
            let order = known(update.orderID)
            v1[update.orderID] = ClientOrder(
                open: true, filled: try exactMantissa(update.volumeExecuted, order.pair.quantityScale),
                cost: try exactMantissa(update.cost, order.quoteScale), fees: try exactMantissa(update.fee, order.quoteScale))
        }
        for balance in try Parse.balances(V2Frames.balancesSnapshot(account.balances, sequence: 1)).balances {
            balances[balance.asset] = try exactMantissa(balance.balance, account.balance(of: balance.asset)!.scale)
        }
        let subscribedAt = account.events.count

        for step in 1_000..<2_000 {
            for index in markets.indices { for _ in 0..<4 { _ = markets[index].step() } }
            account.step(markets: markets, nowNs: F.start + Int64(step) * F.second / 10)
        }
        for event in account.events(since: subscribedAt) {
            if let entry = event.ledgerEntry {
                let parsed = try #require(try Parse.balances(V2Frames.balancesUpdate([entry], sequence: 2)).ledger.first)
                balances[parsed.asset, default: 0] += try exactMantissa(parsed.amount, entry.scale) - exactMantissa(parsed.fee, entry.scale)
                #expect(balances[parsed.asset] == (try exactMantissa(parsed.balance, entry.scale)))
                continue
            }
            let execution = try #require(event.execution)
            let order = execution.order
            for report in try Parse.executions(V2Frames.executionsUpdate([execution], sequence: 2)).reports {
                var client = v2[report.orderID] ?? ClientOrder(open: true)
                client.open = [.pendingNew, .new, .partiallyFilled].contains(report.orderStatus)
                if let quantity = report.cumulativeQuantity { client.filled = try exactMantissa(quantity, order.pair.quantityScale) }
                if let cost = report.cumulativeCost { client.cost = try exactMantissa(cost, order.quoteScale) }
                if report.execType == .trade, let execID = report.execID {
                    let fee = try exactMantissa(report.fees.first?.quantity, order.quoteScale)
                    client.fees += fee
                    v2Trades[execID] = ClientTrade(
                        orderID: report.orderID, quantity: try exactMantissa(report.lastQuantity, order.pair.quantityScale),
                        price: try exactMantissa(report.lastPrice, order.pair.priceScale),
                        cost: try exactMantissa(report.cost, order.quoteScale), fee: fee)
                }
                v2[report.orderID] = client
            }
            for update in try Parse.openOrders(V1Frames.openOrdersUpdate([execution], sequence: 2)).orders {
                var client = v1[update.orderID] ?? ClientOrder(open: true)
                if let status = update.status { client.open = status == .open || status == .pending }
                if let quantity = update.volumeExecuted { client.filled = try exactMantissa(quantity, order.pair.quantityScale) }
                if let cost = update.cost { client.cost = try exactMantissa(cost, order.quoteScale) }
                if let fee = update.fee { client.fees = try exactMantissa(fee, order.quoteScale) }
                v1[update.orderID] = client
            }
            if execution.execType == .trade {
                for trade in try Parse.ownTrades(V1Frames.ownTrades([execution], snapshot: false, sequence: 2)).trades {
                    v1Trades[trade.tradeID] = ClientTrade(
                        orderID: trade.orderID, quantity: try exactMantissa(trade.volume, order.pair.quantityScale),
                        price: try exactMantissa(trade.price, order.pair.priceScale), cost: try exactMantissa(trade.cost, order.quoteScale),
                        fee: try exactMantissa(trade.fee, order.quoteScale))
                }
            }
        }

        let open = Set(account.openOrders.map(\.id))
        #expect(Set(v2.filter(\.value.open).keys) == open)
        #expect(Set(v1.filter(\.value.open).keys) == open)
        #expect(v1 == v2, "both clients know the same orders in the same state")
        for (id, client) in v2 {
            let order = try #require(account.order(id: id))
            #expect(client == ClientOrder(open: order.status.isOpen, filled: order.filledQuantity, cost: order.cumulativeCost, fees: order.fees))
        }
        let fills = F.executions(account, from: subscribedAt).compactMap { event in event.fill.map { (event.order, $0) } }
        #expect(fills.count > 50)
        #expect(v1Trades == v2Trades)
        #expect(v2Trades.count == fills.count)
        for (order, fill) in fills {
            #expect(v2Trades[fill.execID] == ClientTrade(orderID: order.id, quantity: fill.quantity, price: fill.price, cost: fill.cost, fee: fill.fee))
        }
        #expect(balances == Dictionary(uniqueKeysWithValues: account.balances.map { ($0.asset, $0.amount) }))
    }
}
