import KrakenSimulator
import Testing

@Suite("simulated account: seeded lifecycle generator")
struct AccountRandomRunTests {
    typealias F = AccountFixture

    @Test("the same seed gives the same events; another seed, others")
    func determinism() {
        let first = F.randomRun(seed: 42, steps: 800).0
        let second = F.randomRun(seed: 42, steps: 800).0
        #expect(first.events.count > 100)
        #expect(first.events == second.events)
        #expect(first.allOrders == second.allOrders)
        #expect(first.balances == second.balances)
        #expect(F.randomRun(seed: 43, steps: 800).0.events != first.events)
    }

    @Test("5 000 steps over the default pairs: funds never negative, fills within orders, ids unique, events replay to the final state")
    func longRun() throws {
        var account = SimulatedAccount(seed: 2024)
        var markets = SimulatedPair.defaults.map { PairMarket(pair: $0, seed: 99) }
        for step in 0..<5_000 {
            for index in markets.indices { for _ in 0..<4 { _ = markets[index].step() } }
            account.step(markets: markets, nowNs: F.start + Int64(step) * F.second / 10)
            for balance in account.balances {
                guard balance.amount >= 0, account.available(of: balance.asset) >= 0 else {
                    Issue.record("step \(step): \(balance.asset) balance \(balance.amount), available \(account.available(of: balance.asset))")
                    return
                }
            }
        }

        let executions = F.executions(account)
        let fills = executions.compactMap(\.fill)
        // The generator exercised every path.
        #expect(fills.count > 500)
        #expect(executions.contains { $0.execType == .trade && $0.order.status == .partiallyFilled })
        #expect(fills.contains { $0.isMaker } && fills.contains { !$0.isMaker })
        #expect(executions.contains { $0.execType == .canceled })
        #expect(executions.contains { $0.execType == .expired })
        #expect(executions.contains { $0.order.type == .market })
        #expect(executions.contains { $0.order.clientOrderID != nil } && executions.contains { $0.order.userref != nil })
        #expect(Set(executions.map(\.order.pair.symbol)).count == SimulatedPair.defaults.count)

        // Identifiers never repeat.
        #expect(Set(fills.map(\.execID)).count == fills.count)
        let ledger = F.ledger(account)
        #expect(Set(ledger.map(\.ledgerID)).count == ledger.count)
        #expect(Set(account.allOrders.map(\.id)).count == account.allOrders.count)
        for symbol in Set(executions.map(\.order.pair.symbol)) {
            let ids = executions.filter { $0.order.pair.symbol == symbol }.compactMap(\.fill?.tradeID)
            #expect(ids == Array(100_000_001..<(100_000_001 + UInt64(ids.count))))
        }

        // Every event is within its order, and the events replay to each order's final state.
        var replayed: [String: SimulatedOrder] = [:]
        var lifecycle: [String: [ExecutionEvent.ExecType]] = [:]
        for event in executions {
            let order = event.order
            #expect(order.filledQuantity >= 0 && order.filledQuantity <= order.quantity)
            if let previous = replayed[order.id] {
                // Nothing follows a close but the `filled` report right after the last fill.
                #expect(previous.status.isOpen || (event.execType == .filled && previous.status == .filled && event.fill == nil))
                let fill = event.fill
                #expect(order.filledQuantity == previous.filledQuantity + (fill?.quantity ?? 0))
                #expect(order.cumulativeCost == previous.cumulativeCost + (fill?.cost ?? 0))
                #expect(order.fees == previous.fees + (fill?.fee ?? 0))
                #expect(order.tradeIDs == previous.tradeIDs + (fill.map { [$0.execID] } ?? []))
            } else {
                #expect(event.execType == .pendingNew && order.filledQuantity == 0)
            }
            if let fill = event.fill {
                #expect(fill.quantity > 0)
                if let limit = order.limitPrice {
                    #expect(order.side == .buy ? fill.price <= limit : fill.price >= limit, "never worse than the limit")
                }
            }
            replayed[order.id] = order
            lifecycle[order.id, default: []].append(event.execType)
        }
        for order in account.allOrders {
            #expect(replayed[order.id] == order)
            let types = try #require(lifecycle[order.id])
            #expect(Array(types.prefix(2)) == [.pendingNew, .new])
            let closing: ExecutionEvent.ExecType? =
                switch order.status {
                case .filled: .filled
                case .canceled: .canceled
                case .expired: .expired
                default: nil
                }
            #expect(types.last == closing ?? (order.filledQuantity > 0 ? .trade : .new))
            #expect(types.filter { $0 == .trade }.count == order.tradeIDs.count)
            if order.status == .filled { #expect(order.filledQuantity == order.quantity) }
        }
        let stillOpen = account.openOrders.allSatisfy { $0.status.isOpen }
        #expect(stillOpen)

        // Ledger entries replay the balances from the start.
        let start = SimulatedAccount(seed: 2024)
        var balances = Dictionary(uniqueKeysWithValues: start.balances.map { ($0.asset, $0.amount) })
        for entry in ledger {
            balances[entry.asset, default: 0] += entry.amount - entry.fee
            #expect(balances[entry.asset] == entry.balance)
        }
        #expect(balances == Dictionary(uniqueKeysWithValues: account.balances.map { ($0.asset, $0.amount) }))
        #expect(ledger.count == 2 * fills.count)
    }
}
