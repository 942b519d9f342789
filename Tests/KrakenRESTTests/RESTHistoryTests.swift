import FixedPoint
import Foundation
import KrakenREST
import Testing

/// ClosedOrders and TradesHistory as Kraken documents them (krakenfx/api-specs), as JSON.
@Suite("Kraken REST history: ClosedOrders and TradesHistory pages")
struct RESTHistoryTests {
    static let closedOrdersExample = Data(#"""
        {"error":[],"result":{"closed":{
          "O37652-RJWRT-IMO74O":{"refid":null,"userref":1,"status":"canceled","reason":"User requested","opentm":1688148493.7708,
            "closetm":1688148610.0482,"starttm":0,"expiretm":0,
            "descr":{"pair":"XBTGBP","type":"buy","ordertype":"stop-loss-limit","price":"23667.0","price2":"0","leverage":"none",
                     "order":"buy 0.00100000 XBTGBP @ limit 23667.0","close":""},
            "vol":"0.00100000","vol_exec":"0.00000000","cost":"0.00000","fee":"0.00000","price":"0.00000","stopprice":"0.00000",
            "limitprice":"0.00000","misc":"","oflags":"fciq","trigger":"index"},
          "O6YDQ5-LOMWU-37YKEE":{"refid":null,"userref":36493663,"status":"canceled","reason":"User requested","opentm":1688148493.7708,
            "closetm":1688148610.0477,"starttm":0,"expiretm":0,
            "descr":{"pair":"XBTEUR","type":"buy","ordertype":"take-profit-limit","price":"27743.0","price2":"0","leverage":"none",
                     "order":"buy 0.00100000 XBTEUR @ limit 27743.0","close":""},
            "vol":"0.00100000","vol_exec":"0.00000000","cost":"0.00000","fee":"0.00000","price":"0.00000","stopprice":"0.00000",
            "limitprice":"0.00000","misc":"","oflags":"fciq","trigger":"index"}
        },"count":2}}
        """#.utf8)

    static let tradesHistoryExample = Data(#"""
        {"error":[],"result":{"trades":{
          "THVRQM-33VKH-UCI7BS":{"ordertxid":"OQCLML-BW3P3-BUCMWZ","postxid":"TKH2SE-M7IF5-CFI7LT","pair":"XXBTZUSD",
            "time":1688667796.8802,"type":"buy","ordertype":"limit","price":"30010.00000","cost":"600.20000","fee":"0.00000",
            "vol":"0.02000000","margin":"0.00000","misc":"","trade_id":40274859,"maker":true},
          "TCWJEG-FL4SZ-3FKGH6":{"ordertxid":"OQCLML-BW3P3-BUCMWZ","postxid":"TKH2SE-M7IF5-CFI7LT","pair":"XXBTZUSD",
            "time":1688667769.6396,"type":"buy","ordertype":"limit","price":"30010.00000","cost":"300.10000","fee":"0.00000",
            "vol":"0.01000000","margin":"0.00000","misc":"","trade_id":39482674,"maker":true}
        },"count":2346}}
        """#.utf8)

    @Test("a ClosedOrders page: its orders with their close times and reasons, and the total count")
    func closedOrdersPage() throws {
        let page = try RESTOrder.parseClosedOrders(responseBody: Self.closedOrdersExample)
        #expect(page.count == 2)
        #expect(page.orders.map(\.orderID) == ["O37652-RJWRT-IMO74O", "O6YDQ5-LOMWU-37YKEE"])
        let first = try #require(page.orders.first)
        #expect(first.status == .canceled && first.reason == "User requested")
        #expect(first.closeTimeNs == 1_688_148_610_048_200_000)
        #expect(first.volume == FixedDecimal(mantissa: 100_000, scale: 8) && first.volumeExecuted.isZero)
    }

    @Test("a TradesHistory page: every trade exact, oldest first, with the total count for paging")
    func tradesHistoryPage() throws {
        let page = try RESTTrade.parseTradesHistory(responseBody: Self.tradesHistoryExample)
        #expect(page.count == 2_346)
        #expect(page.trades == [
            RESTTrade(
                tradeID: "TCWJEG-FL4SZ-3FKGH6", orderID: "OQCLML-BW3P3-BUCMWZ", pair: "XXBTZUSD", timeNs: 1_688_667_769_639_600_000,
                side: .buy, orderType: "limit", price: FixedDecimal(mantissa: 3_001_000_000, scale: 5),
                cost: FixedDecimal(mantissa: 30_010_000, scale: 5), fee: FixedDecimal(mantissa: 0, scale: 5),
                volume: FixedDecimal(mantissa: 1_000_000, scale: 8), publicTradeNumber: 39_482_674, isMaker: true),
            RESTTrade(
                tradeID: "THVRQM-33VKH-UCI7BS", orderID: "OQCLML-BW3P3-BUCMWZ", pair: "XXBTZUSD", timeNs: 1_688_667_796_880_200_000,
                side: .buy, orderType: "limit", price: FixedDecimal(mantissa: 3_001_000_000, scale: 5),
                cost: FixedDecimal(mantissa: 60_020_000, scale: 5), fee: FixedDecimal(mantissa: 0, scale: 5),
                volume: FixedDecimal(mantissa: 2_000_000, scale: 8), publicTradeNumber: 40_274_859, isMaker: true),
        ])
    }

    @Test("an error answer is Kraken's error, a page without count is malformed")
    func failures() {
        #expect(throws: KrakenRESTError.permissionDenied) {
            try RESTTrade.parseTradesHistory(responseBody: Data(#"{"error":["EGeneral:Permission denied"]}"#.utf8))
        }
        #expect(throws: KrakenRESTError.self) {
            try RESTOrder.parseClosedOrders(responseBody: Data(#"{"error":[],"result":{"closed":{}}}"#.utf8))
        }
    }
}
