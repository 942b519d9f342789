import FixedPoint
import Foundation
import KrakenREST
import Testing

/// Kraken's documented examples (krakenfx/api-specs, spot-rest/openapi_v3.yaml), written as the
/// JSON Kraken sends: the documentation prints `refid` as Python's `None` and leaves trailing
/// commas, which a real response never has.
@Suite("Kraken REST orders: OpenOrders and QueryOrders")
struct RESTOrderTests {
    static let openOrdersExample = Data(#"""
        {"error":[],"result":{"open":{
          "OQCLML-BW3P3-BUCMWZ":{"refid":null,"userref":0,"status":"open","opentm":1688666559.8974,"starttm":0,"expiretm":0,
            "descr":{"pair":"XBTUSD","type":"buy","ordertype":"limit","price":"30010.0","price2":"0","leverage":"none",
                     "order":"buy 1.25000000 XBTUSD @ limit 30010.0","close":""},
            "vol":"1.25000000","vol_exec":"0.37500000","cost":"11253.7","fee":"0.00000","price":"30010.0",
            "stopprice":"0.00000","limitprice":"0.00000","misc":"","oflags":"fciq","trades":["TCCCTY-WE2O6-P3NB37"]},
          "OB5VMB-B4U2U-DK2WRW":{"refid":null,"userref":45326,"status":"open","opentm":1688665899.5699,"starttm":0,"expiretm":0,
            "descr":{"pair":"XBTUSD","type":"buy","ordertype":"limit","price":"14500.0","price2":"0","leverage":"5:1",
                     "order":"buy 0.27500000 XBTUSD @ limit 14500.0 with 5:1 leverage","close":""},
            "vol":"0.27500000","vol_exec":"0.00000000","cost":"0.00000","fee":"0.00000","price":"0.00000",
            "stopprice":"0.00000","limitprice":"0.00000","misc":"","oflags":"fciq"}
        }}}
        """#.utf8)

    static let queryOrdersExample = Data(#"""
        {"error":[],"result":{
          "OBCMZD-JIEE7-77TH3F":{"refid":null,"userref":0,"status":"closed","reason":null,"opentm":1688665496.7808,
            "closetm":1688665499.1922,"starttm":0,"expiretm":0,
            "descr":{"pair":"XBTUSD","type":"buy","ordertype":"stop-loss-limit","price":"27500.0","price2":"0","leverage":"none",
                     "order":"buy 1.25000000 XBTUSD @ limit 27500.0","close":""},
            "vol":"1.25000000","vol_exec":"1.25000000","cost":"27526.2","fee":"26.2","price":"27500.0","stopprice":"0.00000",
            "limitprice":"0.00000","misc":"","oflags":"fciq","trigger":"index","trades":["TZX2WP-XSEOP-FP7WYR"]},
          "OMMDB2-FSB6Z-7W3HPO":{"refid":null,"userref":0,"status":"closed","reason":null,"opentm":1688592012.2317,
            "closetm":1688592012.2335,"starttm":0,"expiretm":0,
            "descr":{"pair":"XBTUSD","type":"sell","ordertype":"market","price":"0","price2":"0","leverage":"none",
                     "order":"sell 0.25000000 XBTUSD @ market","close":""},
            "vol":"0.25000000","vol_exec":"0.25000000","cost":"7500.0","fee":"7.5","price":"30000.0","stopprice":"0.00000",
            "limitprice":"0.00000","misc":"","oflags":"fcib","trades":["TJUW2K-FLX2N-AR2FLU"]}
        }}
        """#.utf8)

    private func decimal(_ text: String) throws -> FixedDecimal { try FixedDecimal(text) }

    @Test("OpenOrders: the documented example, every field exact, ordered by open time")
    func openOrdersExample() throws {
        let orders = try RESTOrder.parseOpenOrders(responseBody: Self.openOrdersExample)
        #expect(orders.map(\.orderID) == ["OB5VMB-B4U2U-DK2WRW", "OQCLML-BW3P3-BUCMWZ"])
        let first = orders[1]
        #expect(first.refID == nil)
        #expect(first.userref == 0)
        #expect(first.status == .open)
        #expect(first.openTimeNs == 1_688_666_559_897_400_000)
        #expect(first.closeTimeNs == nil && first.startTimeNs == nil && first.expireTimeNs == nil)
        #expect(first.description.pair == "XBTUSD")
        #expect(first.description.side == .buy)
        #expect(first.description.orderType == "limit")
        #expect(first.description.price == (try decimal("30010.0")))
        #expect(first.description.price2 == (try decimal("0")))
        #expect(first.description.leverage == "none")
        #expect(first.description.order == "buy 1.25000000 XBTUSD @ limit 30010.0")
        #expect(first.volume == (try decimal("1.25000000")))
        #expect(first.volumeExecuted == (try decimal("0.37500000")))
        #expect(first.cost == (try decimal("11253.7")))
        #expect(first.fee == (try decimal("0.00000")))
        #expect(first.averagePrice == (try decimal("30010.0")))
        #expect(first.stopPrice == (try decimal("0.00000")))
        #expect(first.orderFlags == ["fciq"])
        #expect(first.tradeIDs == ["TCCCTY-WE2O6-P3NB37"])
        let second = orders[0]
        #expect(second.userref == 45326)
        #expect(second.openTimeNs == 1_688_665_899_569_900_000)
        #expect(second.description.leverage == "5:1")
        #expect(second.averagePrice == (try decimal("0.00000")))
        #expect(second.tradeIDs.isEmpty)
    }

    @Test("QueryOrders: the documented example, closed orders with close times, trigger and trades")
    func queryOrdersExample() throws {
        let orders = try RESTOrder.parseQueryOrders(responseBody: Self.queryOrdersExample)
        #expect(orders.map(\.orderID) == ["OMMDB2-FSB6Z-7W3HPO", "OBCMZD-JIEE7-77TH3F"])
        let market = orders[0]
        #expect(market.status == .closed)
        #expect(market.reason == nil)
        #expect(market.openTimeNs == 1_688_592_012_231_700_000)
        #expect(market.closeTimeNs == 1_688_592_012_233_500_000)
        #expect(market.description.side == .sell)
        #expect(market.description.orderType == "market")
        #expect(market.description.price == (try decimal("0")))
        #expect(market.volumeExecuted == (try decimal("0.25000000")))
        #expect(market.cost == (try decimal("7500.0")))
        #expect(market.fee == (try decimal("7.5")))
        #expect(market.averagePrice == (try decimal("30000.0")))
        #expect(market.orderFlags == ["fcib"])
        #expect(market.tradeIDs == ["TJUW2K-FLX2N-AR2FLU"])
        let stop = orders[1]
        #expect(stop.description.orderType == "stop-loss-limit")
        #expect(stop.cost == (try decimal("27526.2")))
        #expect(stop.fee == (try decimal("26.2")))
        #expect(stop.trigger == "index")
        #expect(stop.closeTimeNs == 1_688_665_499_192_200_000)
    }

    @Test("times keep every digit up to nanoseconds; strings and numbers both read exactly")
    func exactNumbers() throws {
        let body = Data(#"""
            {"error":[],"result":{"O1":{"status":"canceled","reason":"User requested","opentm":1688666559.123456789,
              "closetm":1688666560.5,"expiretm":1688667000,"userref":null,"cl_ord_id":"sim-7",
              "descr":{"pair":"XDGUSD","type":"sell","ordertype":"limit","price":"0.1650000"},
              "vol":"100.00000000","vol_exec":"0.00000000","cost":"0.00000","fee":"0.00000","price":"0.00000"}}}
            """#.utf8)
        let order = try #require(try RESTOrder.parseQueryOrders(responseBody: body).first)
        #expect(order.openTimeNs == 1_688_666_559_123_456_789)
        #expect(order.closeTimeNs == 1_688_666_560_500_000_000)
        #expect(order.expireTimeNs == 1_688_667_000_000_000_000)
        #expect(order.status == .canceled)
        #expect(order.reason == "User requested")
        #expect(order.userref == nil)
        #expect(order.clientOrderID == "sim-7")
        #expect(order.description.price == FixedDecimal(mantissa: 1_650_000, scale: 7))
        #expect(order.description.leverage == "none")
        #expect(order.orderFlags.isEmpty)
    }

    @Test("errors in the envelope and bodies that are not orders are typed errors")
    func errors() {
        #expect(throws: KrakenRESTError.invalidNonce) {
            try RESTOrder.parseOpenOrders(responseBody: Data(#"{"error":["EAPI:Invalid nonce"]}"#.utf8))
        }
        #expect(throws: KrakenRESTError.other("EOrder:Invalid order")) {
            try RESTOrder.parseQueryOrders(responseBody: Data(#"{"error":["EOrder:Invalid order"]}"#.utf8))
        }
        let badSide = Data(#"""
            {"error":[],"result":{"O1":{"status":"open","opentm":1,"descr":{"pair":"XBTUSD","type":"hold","ordertype":"limit",
             "price":"1"},"vol":"1","vol_exec":"0","cost":"0","fee":"0","price":"0"}}}
            """#.utf8)
        #expect(throws: KrakenRESTError.malformedResponse("O1: descr.type \"hold\"")) {
            try RESTOrder.parseQueryOrders(responseBody: badSide)
        }
        let notANumber = Data(#"{"error":[],"result":{"open":{"O1":{"status":"open","opentm":"soon"}}}}"#.utf8)
        #expect {
            try RESTOrder.parseOpenOrders(responseBody: notANumber)
        } throws: { error in
            guard case .malformedResponse = error as? KrakenRESTError else { return false }
            return true
        }
    }
}
