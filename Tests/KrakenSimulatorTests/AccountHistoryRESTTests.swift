import FixedPoint
import Foundation
import KrakenREST
import KrakenSimulator
import Testing

@Suite("simulated account: ClosedOrders and TradesHistory pages")
struct AccountHistoryRESTTests {
    typealias F = AccountFixture

    /// Every page of a history answer, read by offset until `count` is reached.
    private func allPages<Item>(_ page: (Int) throws -> (items: [Item], count: Int)) throws -> (items: [Item], counts: Set<Int>, pages: Int) {
        var items: [Item] = []
        var counts: Set<Int> = []
        var pages = 0
        while true {
            let (batch, count) = try page(items.count)
            pages += 1
            counts.insert(count)
            #expect(batch.count <= PrivateRESTHistory.pageSize)
            items += batch
            if batch.isEmpty || items.count >= count { break }
        }
        return (items, counts, pages)
    }

    @Test("ClosedOrders pages hold every closed order once, most recent first, 50 a page, with a constant count")
    func closedOrdersPageThroughEveryClosedOrder() throws {
        let (account, _) = F.randomRun(seed: 91, steps: 1_200)
        let closed = account.closedOrders
        #expect(closed.count > PrivateRESTHistory.pageSize * 2)
        let read = try allPages { offset in
            let page = try RESTOrder.parseClosedOrders(
                responseBody: Data(PrivateRESTHistory.closedOrders(account, window: .init(offset: offset), includeTrades: true)))
            return (page.orders, page.count)
        }
        #expect(read.counts == [closed.count])
        #expect(read.pages == (closed.count + 49) / 50)
        #expect(read.items.map(\.orderID).sorted() == closed.map(\.id).sorted())
        for order in read.items {
            let truth = try #require(account.order(id: order.orderID))
            #expect(order.tradeIDs == truth.tradeIDs)
            #expect(order.volumeExecuted.rescaled(to: truth.pair.quantityScale)?.mantissa == truth.filledQuantity)
        }
        // `start` is exclusive and reads close times: only orders closed after it.
        let middle = try #require(closed.compactMap(\.closeTimeNs).sorted().dropFirst(closed.count / 2).first)
        let later = try RESTOrder.parseClosedOrders(responseBody: Data(PrivateRESTHistory.closedOrders(
            account, window: .init(startNs: middle))))
        #expect(later.count == closed.filter { ($0.closeTimeNs ?? 0) > middle }.count)
    }

    @Test("TradesHistory pages hold every fill once with its exact price, volume, cost and fee")
    func tradesHistoryPagesThroughEveryFill() throws {
        let (account, _) = F.randomRun(seed: 91, steps: 1_200)
        let fills = account.events.compactMap { $0.execution }.filter { $0.execType == .trade && $0.fill != nil }
        #expect(fills.count > PrivateRESTHistory.pageSize)
        let read = try allPages { offset in
            let page = try RESTTrade.parseTradesHistory(responseBody: Data(PrivateRESTHistory.tradesHistory(account, window: .init(offset: offset))))
            return (page.trades, page.count)
        }
        #expect(read.counts == [fills.count])
        #expect(Set(read.items.map(\.tradeID)) == Set(fills.compactMap { $0.fill?.execID }))
        for trade in read.items {
            let event = try #require(fills.first { $0.fill?.execID == trade.tradeID })
            let fill = try #require(event.fill)
            let pair = event.order.pair
            #expect(trade.orderID == event.order.id && trade.pair == pair.restKey)
            #expect(trade.side == (event.order.side == .buy ? .buy : .sell))
            #expect(trade.price.rescaled(to: pair.priceScale)?.mantissa == fill.price)
            #expect(trade.volume.rescaled(to: pair.quantityScale)?.mantissa == fill.quantity)
            #expect(trade.cost.rescaled(to: event.order.quoteScale)?.mantissa == fill.cost)
            #expect(trade.fee.rescaled(to: event.order.quoteScale)?.mantissa == fill.fee)
            #expect(trade.isMaker == fill.isMaker && trade.publicTradeNumber == Int64(fill.tradeID))
            #expect(trade.timeNs == Words.restTime(event.timestampNs))
        }
    }
}
