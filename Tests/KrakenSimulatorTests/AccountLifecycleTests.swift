import KrakenSimulator
import Testing

@Suite("simulated account: order lifecycle")
struct AccountLifecycleTests {
    typealias F = AccountFixture

    @Test("a limit order that does not cross rests: pending_new then new, its cost and taker fee held")
    func limitOrderRests() throws {
        var account = SimulatedAccount(seed: 1)
        let order = try account.place(
            .limit("BTC/USD", .buy, quantity: 500_000, price: 265_000, clientOrderID: "mine-1", userref: 42), top: F.top,
            nowNs: F.start)
        #expect(F.executions(account).map(\.execType) == [.pendingNew, .new])
        #expect(F.executions(account).map(\.order.status) == [.pendingNew, .new])
        #expect(F.executions(account).allSatisfy { $0.timestampNs == F.start && $0.order.id == order.id })
        #expect(order.status == .new)
        #expect(order.id.count == 19 && order.id.hasPrefix("O") && Array(order.id)[6] == "-" && Array(order.id)[12] == "-")
        #expect(order.clientOrderID == "mine-1" && order.userref == 42 && order.timeInForce == "GTC")
        #expect(account.openOrders.map(\.id) == [order.id])
        #expect(F.ledger(account).isEmpty)
        #expect(account.balance(of: "USD")?.amount == F.startingUSD)
        // 0.005 × 26 500.0 = 132.5000; taker fee 0.3445; plus 8 units of slack.
        #expect(account.available(of: "USD") == F.startingUSD - 1_325_000 - 3_445 - 8)
    }

    @Test("a resting sell fills in part, then in full: exact cumulative quantity, cost, fees, average price, balances")
    func partialThenFull() throws {
        var account = SimulatedAccount(seed: 2)
        let order = try account.place(.limit("BTC/USD", .sell, quantity: 500_000, price: 265_999), top: F.top, nowNs: F.start)
        #expect(account.available(of: "BTC") == F.startingBTC - 50_000_000)

        let partial = try account.fillResting(orderID: order.id, quantity: 200_000, nowNs: F.start + F.second)
        #expect(partial.status == .partiallyFilled)
        #expect(partial.filledQuantity == 200_000)
        #expect(partial.cumulativeCost == 531_998)  // 0.002 × 26 599.9 = 53.1998
        #expect(partial.fees == 852)  // maker 0.16%: 0.08511968 → 0.0852
        #expect(partial.averagePrice == 265_999)
        #expect(account.available(of: "BTC") == F.startingBTC - 50_000_000)

        let full = try account.fillResting(orderID: order.id, quantity: 300_000, nowNs: F.start + 2 * F.second)
        #expect(full.status == .filled)
        #expect(full.filledQuantity == 500_000)
        #expect(full.cumulativeCost == 1_329_995)  // 132.9995
        #expect(full.fees == 852 + 1_277)  // 0.12767952 → 0.1277
        #expect(full.averagePrice == 265_999)
        #expect(full.closeTimeNs == F.start + 2 * F.second)
        #expect(account.openOrders.isEmpty && account.closedOrders.map(\.id) == [order.id])

        let events = F.executions(account)
        #expect(events.map(\.execType) == [.pendingNew, .new, .trade, .trade, .filled])
        #expect(events.map(\.order.status) == [.pendingNew, .new, .partiallyFilled, .filled, .filled])
        let fills = events.compactMap(\.fill)
        #expect(fills.map(\.quantity) == [200_000, 300_000])
        #expect(fills.map(\.cost) == [531_998, 797_997])
        #expect(fills.allSatisfy { $0.isMaker && $0.price == 265_999 })
        #expect(fills.map(\.tradeID) == [100_000_001, 100_000_002])
        #expect(full.tradeIDs == fills.map(\.execID))

        #expect(account.balance(of: "BTC")?.amount == F.startingBTC - 50_000_000)
        #expect(account.balance(of: "USD")?.amount == F.startingUSD + 1_329_995 - 2_129)
        let ledger = F.ledger(account)
        #expect(ledger.map(\.asset) == ["BTC", "USD", "BTC", "USD"])
        #expect(ledger.map(\.amount) == [-20_000_000, 531_998, -30_000_000, 797_997])
        #expect(ledger.map(\.fee) == [0, 852, 0, 1_277])
        #expect(ledger.map(\.refID) == [fills[0].execID, fills[0].execID, fills[1].execID, fills[1].execID])
        #expect(ledger.last?.balance == account.balance(of: "USD")?.amount)
        #expect(account.available(of: "BTC") == account.balance(of: "BTC")?.amount)
    }

    @Test("a market order fills at once as taker at the best price (Kraken's 0.005 @ 26 599.9 example: fee 0.3458)")
    func marketOrder() throws {
        var account = SimulatedAccount(seed: 3)
        let order = try account.place(
            .market("BTC/USD", .sell, quantity: 500_000, userref: 3), top: TopOfBook(bid: 265_999, ask: 266_000), nowNs: F.start)
        #expect(order.status == .filled && order.limitPrice == nil && order.type == .market)
        #expect(account.events.map { $0.execution?.execType } == [.pendingNew, .new, .trade, nil, nil, .filled])
        let fill = try #require(F.executions(account).compactMap(\.fill).first)
        #expect(fill.price == 265_999 && fill.cost == 1_329_995 && fill.fee == 3_458 && !fill.isMaker)
        #expect(account.balance(of: "USD")?.amount == F.startingUSD + 1_329_995 - 3_458)
        #expect(account.balance(of: "BTC")?.amount == F.startingBTC - 50_000_000)
    }

    @Test("a limit order that already crosses fills at once, as taker, at the better book price")
    func marketableLimit() throws {
        var account = SimulatedAccount(seed: 4)
        let order = try account.place(.limit("BTC/USD", .buy, quantity: 100_000_000, price: 270_000), top: F.top, nowNs: F.start)
        #expect(order.status == .filled && order.averagePrice == 266_000)
        let fill = try #require(F.executions(account).compactMap(\.fill).first)
        #expect(fill.price == 266_000 && !fill.isMaker && fill.cost == 266_000_000)
        #expect(fill.fee == 691_600)  // 26 600.0 × 0.26% = 69.16
        #expect(account.balance(of: "USD")?.amount == F.startingUSD - 266_000_000 - 691_600)
        #expect(account.balance(of: "BTC")?.amount == F.startingBTC + 10_000_000_000)
        #expect(account.available(of: "USD") == account.balance(of: "USD")?.amount)
    }

    @Test("cancel: event canceled with Kraken's reason, fills so far kept, hold released; a second cancel is an unknown order")
    func cancel() throws {
        var account = SimulatedAccount(seed: 5)
        let order = try account.place(.limit("BTC/USD", .buy, quantity: 400_000, price: 265_000), top: F.top, nowNs: F.start)
        try account.fillResting(orderID: order.id, quantity: 100_000, nowNs: F.start + 1)
        let canceled = try account.cancel(orderID: order.id, nowNs: F.start + 2)
        #expect(canceled.status == .canceled && canceled.closeReason == "User requested")
        #expect(canceled.filledQuantity == 100_000 && canceled.closeTimeNs == F.start + 2)
        #expect(F.executions(account).last?.execType == .canceled)
        #expect(account.available(of: "USD") == account.balance(of: "USD")?.amount)
        #expect(throws: AccountError.unknownOrder(order.id)) { try account.cancel(orderID: order.id, nowNs: F.start + 3) }
        #expect(throws: AccountError.unknownOrder("OXXXXX-XXXXX-XXXXXX")) {
            try account.cancel(orderID: "OXXXXX-XXXXX-XXXXXX", nowNs: F.start + 3)
        }
        #expect(throws: AccountError.unknownOrder(order.id)) {
            try account.fillResting(orderID: order.id, quantity: 1, nowNs: F.start + 3)
        }
    }

    @Test("cancelAll closes every open order and counts them")
    func cancelAll() throws {
        var account = SimulatedAccount(seed: 6)
        for price: Int64 in [250_000, 255_000] {
            try account.place(.limit("BTC/USD", .buy, quantity: 100_000, price: price), top: F.top, nowNs: F.start)
        }
        #expect(account.cancelAll(nowNs: F.start + 1) == 2)
        #expect(account.openOrders.isEmpty)
        #expect(F.executions(account).suffix(2).allSatisfy { $0.execType == .canceled })
        #expect(account.cancelAll(nowNs: F.start + 2) == 0)
    }

    @Test("a good-till-date order expires when its time comes, not before")
    func expiry() throws {
        var account = SimulatedAccount(seed: 7)
        let order = try account.place(
            .limit("BTC/USD", .sell, quantity: 100_000, price: 270_000, expireTimeNs: F.start + 10 * F.second), top: F.top,
            nowNs: F.start)
        #expect(order.timeInForce == "GTD")
        account.expireOrders(nowNs: F.start + 9 * F.second)
        #expect(account.openOrders.count == 1)
        account.expireOrders(nowNs: F.start + 10 * F.second)
        let expired = try #require(account.order(id: order.id))
        #expect(expired.status == .expired && expired.closeReason == "Order expired")
        #expect(expired.closeTimeNs == F.start + 10 * F.second)
        #expect(F.executions(account).map(\.execType) == [.pendingNew, .new, .expired])
        #expect(account.available(of: "BTC") == F.startingBTC)
    }

    @Test("refused requests are typed errors with Kraken's messages, and leave no trace")
    func errors() throws {
        var account = SimulatedAccount(seed: 8, startingUnits: ["USD": 1_000, "BTC": 1])
        func refusal(_ request: OrderRequest, top: TopOfBook = F.top) -> AccountError? {
            do {
                try account.place(request, top: top, nowNs: F.start)
                return nil
            } catch {
                return error
            }
        }
        #expect(refusal(.limit("XBT/USD", .buy, quantity: 1, price: 1)) == .unknownPair("XBT/USD"))
        #expect(refusal(.limit("BTC/USD", .buy, quantity: 0, price: 265_000)) == .invalidQuantity)
        #expect(refusal(.market("BTC/USD", .sell, quantity: -5)) == .invalidQuantity)
        #expect(refusal(OrderRequest(symbol: "BTC/USD", side: .buy, type: .limit, quantity: 1)) == .invalidPrice)
        #expect(refusal(.limit("BTC/USD", .buy, quantity: 1, price: 0)) == .invalidPrice)
        #expect(refusal(.market("BTC/USD", .buy, quantity: 1), top: TopOfBook(bid: 0, ask: 0)) == .invalidPrice)
        #expect(refusal(.limit("BTC/USD", .buy, quantity: 5_000_000, price: 265_000)) == .insufficientFunds)
        #expect(refusal(.market("BTC/USD", .sell, quantity: 100_000_001)) == .insufficientFunds)
        #expect(account.events.isEmpty)
        // Holds count: 0.6 BTC rests, so another 0.5 BTC cannot be sold.
        try account.place(.limit("BTC/USD", .sell, quantity: 60_000_000, price: 270_000), top: F.top, nowNs: F.start)
        #expect(refusal(.limit("BTC/USD", .sell, quantity: 50_000_000, price: 270_000)) == .insufficientFunds)
        #expect(throws: AccountError.invalidQuantity) {
            try account.fillResting(orderID: account.openOrders[0].id, quantity: 60_000_001, nowNs: F.start)
        }
        #expect(AccountError.insufficientFunds.krakenMessage == "EOrder:Insufficient funds")
        #expect(AccountError.unknownOrder("O").krakenMessage == "EOrder:Unknown order")
        #expect(AccountError.unknownPair("X").krakenMessage == "EQuery:Unknown asset pair")
    }

    @Test("starting balances: every asset of the pairs, 10 BTC, 100 000 USD, at Kraken's asset decimals")
    func startingBalances() {
        let account = SimulatedAccount(seed: 9)
        #expect(account.balances.map(\.asset) == ["BTC", "USD", "ETH", "DOGE", "MATIC"])
        #expect(account.balances.map(\.scale) == [10, 4, 10, 8, 10])
        #expect(account.balance(of: "BTC")?.amount == F.startingBTC)
        let hundredETH: Int64 = 1_000_000_000_000
        #expect(account.balance(of: "ETH")?.amount == hundredETH)
        #expect(account.balance(of: "USD")?.amount == F.startingUSD)
    }
}
