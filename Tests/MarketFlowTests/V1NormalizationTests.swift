import FixedPoint
import Foundation
import KrakenREST
import KrakenWire
import MarketFlow
import Testing
import WireFormat

/// v1 messages and AssetPairs entries become the payloads v2 gives, under the v2 symbol.
@Suite struct V1NormalizationTests {
    private static func parse(_ frame: String) throws -> V1Message {
        try Array(frame.utf8).withUnsafeBytes { bytes throws(WireError) in try V1Message(frame: bytes) }
    }

    private static func decimal(_ text: String) -> KBDecimal { KBDecimal(try! FixedDecimal(text)) }

    private struct Unexpected: Error {}

    @Test func aV1TickerGivesV2sFieldsWithChangeDerivedExactlyFromThe24HourOpen() throws {
        guard case .ticker(let ticker) = try Self.parse("""
            [0,{"a":["5525.40000",1,"1.000"],"b":["5525.10000",1,"1.500"],"c":["5525.10000","0.00398963"],
            "v":["2634.11501494","3591.17907851"],"p":["5631.44067","5653.78939"],"t":[11493,16267],
            "l":["5505.00000","5505.00000"],"h":["5783.00000","5783.00000"],"o":["5760.70000","5763.40000"]},"ticker","XBT/USD"]
            """) else { throw Unexpected() }
        let message = MarketEvents.ticker(ticker, symbol: "BTC/USD", receivedNs: 42)
        #expect(message.symbol == "BTC/USD")
        #expect(message.bid == Self.decimal("5525.10000"))
        #expect(message.bidQty == Self.decimal("1.500"))
        #expect(message.ask == Self.decimal("5525.40000"))
        #expect(message.askQty == Self.decimal("1.000"))
        #expect(message.last == Self.decimal("5525.10000"))
        #expect(message.volume == Self.decimal("3591.17907851"))
        #expect(message.vwap == Self.decimal("5653.78939"))
        #expect(message.low == Self.decimal("5505.00000"))
        #expect(message.high == Self.decimal("5783.00000"))
        // 5525.1 − 5763.4 = −238.3, which is −4.1347…% of the open: −4.13 at v2's two decimals.
        #expect(message.change == Self.decimal("-238.30000"))
        #expect(message.changePct == Self.decimal("-4.13"))
        #expect(message.trades24H == 16_267)
        #expect(message.timestampNs == 42, "v1 tickers carry no time: the receive time stands in, as for v2 without one")
    }

    @Test func aV1TickerOfAPairThatHasNotTradedHasNoTradeFieldsLikeV2() throws {
        guard case .ticker(let ticker) = try Self.parse("""
            [0,{"a":["10.00","1","1.00000000"],"b":["9.00","2","2.00000000"],"c":["0.00","0.00000000"],
            "v":["0.00000000","0.00000000"],"p":["0.00","0.00"],"t":[0,0],"l":["0.00","0.00"],"h":["0.00","0.00"],
            "o":["0.00","0.00"]},"ticker","ETH/USD"]
            """) else { throw Unexpected() }
        let message = MarketEvents.ticker(ticker, symbol: "ETH/USD", receivedNs: 1)
        #expect(message.bid == Self.decimal("9.00"))
        #expect(message.volume == Self.decimal("0.00000000"))
        #expect(!message.hasLast && !message.hasVwap && !message.hasLow && !message.hasHigh && !message.hasChange && !message.hasChangePct)
    }

    @Test func aV1CandleStartsOneIntervalBeforeItsEnd() throws {
        guard case .ohlc(let candle) = try Self.parse("""
            [42,["1542057314.748456","1542057600.000000","3586.70000","3586.80000","3586.60000","3586.60000","3586.68894",
            "0.03373000",2],"ohlc-5","XBT/USD"]
            """) else { throw Unexpected() }
        let message = MarketEvents.candle(candle, symbol: "BTC/USD", receivedNs: 1)
        #expect(message.symbol == "BTC/USD")
        #expect(message.intervalMinutes == 5)
        #expect(message.intervalBeginNs == 1_542_057_300_000_000_000)
        #expect(message.timestampNs == 1_542_057_600_000_000_000)
        #expect(message.open == Self.decimal("3586.70000"))
        #expect(message.high == Self.decimal("3586.80000"))
        #expect(message.close == Self.decimal("3586.60000"))
        #expect(message.vwap == Self.decimal("3586.68894"))
        #expect(message.volume == Self.decimal("0.03373000"))
        #expect(message.trades == 2)
    }

    @Test func aV1TradeHasNoIdAndNamesThePairTheV2Way() throws {
        guard case .trade(let trades) = try Self.parse("""
            [0,[["5541.20000","0.15850568","1534614057.321597","s","l",""],["6060.00000","0.02455000","1534614057.324998","b","m",""]],
            "trade","XBT/USD"]
            """) else { throw Unexpected() }
        let messages = trades.trades.map { MarketEvents.trade($0, symbol: "BTC/USD") }
        #expect(messages.map(\.symbol) == ["BTC/USD", "BTC/USD"])
        #expect(messages.map(\.tradeID) == [0, 0])
        #expect(messages.map(\.side) == [.sell, .buy])
        #expect(messages.map(\.ordType) == [.limit, .market])
        #expect(messages[0].price == Self.decimal("5541.20000"))
        #expect(messages[0].qty == Self.decimal("0.15850568"))
        #expect(messages[0].timestampNs == 1_534_614_057_321_597_000)
        #expect(messages.allSatisfy { !$0.fromSnapshot })
    }

    @Test func aV1SystemStatusIsTheExchangeStatusWithApiVersionV1() throws {
        guard case .systemStatus(let status) = try Self.parse("""
            {"connectionID":18239578009413566319,"event":"systemStatus","status":"cancel_only","version":"1.9.1"}
            """) else { throw Unexpected() }
        let message = MarketEvents.exchangeStatus(status, feed: "public")
        #expect(message.system == .cancelOnly)
        #expect(message.rawSystem == "cancel_only")
        #expect(message.apiVersion == "v1")
        #expect(message.connectionID == 18_239_578_009_413_566_319)
        #expect(message.version == "1.9.1")
        #expect(message.feed == "public")
    }

    @Test func anAssetPairIsTheInstrumentOfItsV2SymbolWithItsV1AndRESTNames() throws {
        let body = #"""
            {"error":[],"result":{"XXBTZUSD":{"altname":"XBTUSD","wsname":"XBT/USD","base":"XXBT","quote":"ZUSD",
            "pair_decimals":1,"lot_decimals":8,"cost_decimals":5,"ordermin":"0.00005","costmin":"0.5","tick_size":"0.1",
            "status":"online"}}}
            """#
        let pair = try #require(try AssetPair.parse(responseBody: Data(body.utf8)).first)
        var registry = InstrumentRegistry()
        #expect(registry.record([pair]) == [])
        #expect(registry["BTC/USD"] == InstrumentRegistry.Precision(priceScale: 1, quantityScale: 8))
        let message = MarketEvents.instrument(pair)
        #expect(message.symbol == "BTC/USD")
        #expect(message.base == "BTC")
        #expect(message.quote == "USD")
        #expect(message.status == "online")
        #expect(message.pricePrecision == 1)
        #expect(message.qtyPrecision == 8)
        #expect(message.priceIncrement == Self.decimal("0.1"))
        #expect(message.qtyIncrement == Self.decimal("0.00000001"))
        #expect(message.qtyMin == Self.decimal("0.00005"))
        #expect(message.costMin == Self.decimal("0.5"))
        #expect(message.v1Name == "XBT/USD")
        #expect(message.restName == "XXBTZUSD")
    }
}
