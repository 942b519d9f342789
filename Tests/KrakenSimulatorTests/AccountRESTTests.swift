import FixedPoint
import Foundation
import KrakenREST
import KrakenSimulator
import Testing

/// The value of a parsed decimal at `scale` (it must fit exactly).
private func restMantissa(_ value: FixedDecimal, _ scale: UInt8) throws -> Int64 {
    try #require(value.rescaled(to: scale)).mantissa
}

@Suite("simulated account: REST views agree")
struct AccountRESTTests {
    typealias F = AccountFixture

    @Test("REST OpenOrders and QueryOrders bodies parse with KrakenREST into the account's orders")
    func restAgrees() throws {
        let (account, _) = F.randomRun(seed: 91, steps: 1_200)
        let open = try RESTOrder.parseOpenOrders(responseBody: Data(PrivateRESTBodies.openOrders(account)))
        #expect(Set(open.map(\.orderID)) == Set(account.openOrders.map(\.id)))
        #expect(!open.isEmpty)
        for parsed in open { try check(parsed, try #require(account.order(id: parsed.orderID)), trades: false) }

        let all = account.allOrders
        #expect(all.contains { $0.status == .canceled } && all.contains { $0.status == .expired } && all.contains { $0.status == .filled })
        for start in stride(from: 0, to: all.count, by: PrivateRESTBodies.maximumQueryIDs) {
            let ids = all[start..<min(start + PrivateRESTBodies.maximumQueryIDs, all.count)].map(\.id)
            let body = PrivateRESTBodies.queryOrders(account, ids: ids, includeTrades: true)
            let parsed = try RESTOrder.parseQueryOrders(responseBody: Data(body))
            #expect(Set(parsed.map(\.orderID)) == Set(ids))
            for order in parsed { try check(order, try #require(account.order(id: order.orderID)), trades: true) }
        }

        let withUserref = try #require(account.openOrders.first { $0.userref != nil }?.userref)
        let filtered = try RESTOrder.parseOpenOrders(responseBody: Data(PrivateRESTBodies.openOrders(account, userref: withUserref)))
        #expect(Set(filtered.map(\.orderID)) == Set(account.openOrders.filter { $0.userref == withUserref }.map(\.id)))
        let unknown = try RESTOrder.parseQueryOrders(responseBody: Data(PrivateRESTBodies.queryOrders(account, ids: ["OAAAAA-AAAAA-AAAAAA"])))
        #expect(unknown.isEmpty)
        let tooMany = PrivateRESTBodies.queryOrders(account, ids: all.prefix(51).map(\.id))
        #expect(throws: KrakenRESTError.invalidArguments("EGeneral:Invalid arguments")) {
            try RESTOrder.parseQueryOrders(responseBody: Data(tooMany))
        }
    }

    private func check(_ parsed: RESTOrder, _ order: SimulatedOrder, trades: Bool) throws {
        let pair = order.pair
        let status: RESTOrder.Status =
            switch order.status {
            case .pendingNew: .pending
            case .new, .partiallyFilled: .open
            case .filled: .closed
            case .canceled: .canceled
            case .expired: .expired
            }
        #expect(parsed.status == status)
        #expect(parsed.userref == order.userref && parsed.clientOrderID == order.clientOrderID && parsed.refID == nil)
        #expect(parsed.reason == order.closeReason)
        #expect(parsed.openTimeNs == Words.restTime(order.openTimeNs))
        #expect(parsed.closeTimeNs == order.closeTimeNs.map(Words.restTime))
        #expect(parsed.expireTimeNs == order.expireTimeNs.map(Words.restTime))
        #expect(parsed.startTimeNs == nil)
        #expect(parsed.description.pair == pair.v1Name.replacingOccurrences(of: "/", with: ""))
        #expect(parsed.description.side == (order.side == .buy ? .buy : .sell))
        #expect(parsed.description.orderType == (order.type == .limit ? "limit" : "market"))
        #expect(equals(parsed.description.price, order.limitPrice ?? 0, pair.priceScale))
        #expect(parsed.volume == FixedDecimal(mantissa: order.quantity, scale: pair.quantityScale))
        #expect(parsed.volumeExecuted == FixedDecimal(mantissa: order.filledQuantity, scale: pair.quantityScale))
        #expect(try restMantissa(parsed.cost, order.quoteScale) == order.cumulativeCost)
        #expect(try restMantissa(parsed.fee, order.quoteScale) == order.fees)
        #expect(equals(parsed.averagePrice, order.averagePrice, pair.priceScale))
        #expect(parsed.orderFlags == ["fciq"])
        #expect(parsed.tradeIDs == (trades ? order.tradeIDs : []))
    }
}
