import FixedPoint
import Foundation
import KrakenREST
import KrakenSimulator
import OrderBook
import Testing

@Suite("REST AssetPairs and Depth bodies, read by KrakenREST")
struct MarketChannelRESTTests {
    @Test("AssetPairs: every configured pair with Kraken's names and decimals")
    func assetPairs() throws {
        let body = RESTBodies.assetPairs(SimulatedPair.defaults)
        let parsed = try AssetPair.parse(responseBody: Data(body))
        #expect(parsed.map(\.restKey) == ["MATICUSD", "XDGUSD", "XETHZUSD", "XXBTZUSD"])
        for pair in SimulatedPair.defaults {
            let asset = try #require(parsed.first { $0.restKey == pair.restKey })
            #expect(asset.wsname == pair.v1Name)
            #expect(asset.symbol == pair.symbol)
            #expect(asset.altname == pair.v1Name.replacingOccurrences(of: "/", with: ""))
            #expect(asset.pairDecimals == pair.priceScale)
            #expect(asset.lotDecimals == pair.quantityScale)
            #expect(asset.costDecimals == 5)
            #expect(asset.tickSize == FixedDecimal(mantissa: 1, scale: pair.priceScale))
            #expect(asset.costMin == FixedDecimal(mantissa: 5, scale: 1))
            #expect(asset.status == "online")
        }
        let btc = try #require(parsed.first { $0.restKey == "XXBTZUSD" })
        #expect((btc.altname, btc.base, btc.quote) == ("XBTUSD", "XXBT", "ZUSD"))
        #expect(btc.orderMin == FixedDecimal(mantissa: 1, scale: 4))
        let doge = try #require(parsed.first { $0.restKey == "XDGUSD" })
        #expect((doge.altname, doge.base, doge.quote) == ("XDGUSD", "XXDG", "ZUSD"))
        #expect(parsed.first { $0.restKey == "MATICUSD" }?.base == "MATIC", "new codes keep their own id")
        let map = SymbolMap(pairs: parsed)
        #expect(map.symbol(for: "XBT/USD") == "BTC/USD")
        #expect(map.symbol(for: "XDGUSD") == "DOGE/USD")
    }

    @Test("AssetPairs: the body opens the way Kraken's documented example does")
    func assetPairsKeyOrder() {
        let text = String(decoding: RESTBodies.assetPairs(SimulatedPair.defaults, filter: ["XBTUSD"]), as: UTF8.self)
        #expect(text.hasPrefix(#"""
            {"error":[],"result":{"XXBTZUSD":{"altname":"XBTUSD","wsname":"XBT/USD","aclass_base":"currency","base":"XXBT","aclass_quote":"currency","quote":"ZUSD","lot":"unit","cost_decimals":5,"pair_decimals":1,"lot_decimals":8,"lot_multiplier":1,"leverage_buy":[],"leverage_sell":[],"fees":[[0,0.4],[10000,0.35],
            """#))
        #expect(text.hasSuffix(#""ordermin":"0.0001","costmin":"0.5","tick_size":"0.1","status":"online"}}}"#))
    }

    @Test("AssetPairs ?pair=: any of Kraken's spellings selects; an unknown one is Kraken's error")
    func assetPairsFilter() throws {
        let pairs = SimulatedPair.defaults
        let chosen = try AssetPair.parse(responseBody: Data(RESTBodies.assetPairs(pairs, filter: ["eth/usd", "XXBTZUSD", "DOGE/USD", "XBTUSD"])))
        #expect(chosen.map(\.restKey) == ["XDGUSD", "XETHZUSD", "XXBTZUSD"])
        #expect(try AssetPair.parse(responseBody: Data(RESTBodies.assetPairs(pairs, filter: []))).count == pairs.count)
        #expect(throws: KrakenRESTError.other("EQuery:Unknown asset pair")) {
            try AssetPair.parse(responseBody: Data(RESTBodies.assetPairs(pairs, filter: ["XBTUSD", "NOPEUSD"])))
        }
    }

    @Test("Depth: parses into exactly the market's top levels, with the pair's digits", arguments: [1, 10, 100, 500])
    func depth(count: Int) throws {
        for pair in SimulatedPair.defaults {
            var market = PairMarket(pair: pair, seed: 17)
            for _ in 0..<300 { _ = market.step() }
            let body = RESTBodies.depth(market, count: count, timestampNs: 1_688_671_659_987_000_000)
            let books = try DepthSnapshot.parse(responseBody: Data(body))
            #expect(books.map(\.restKey) == [pair.restKey])
            let book = try #require(books.first)
            func expected(_ levels: ArraySlice<MarketLevel>) -> [DepthSnapshot.Level] {
                levels.map {
                    DepthSnapshot.Level(
                        price: FixedDecimal(mantissa: $0.price, scale: pair.priceScale),
                        volume: FixedDecimal(mantissa: $0.quantity, scale: pair.quantityScale), timestampSeconds: 1_688_671_659)
                }
            }
            #expect(book.asks == expected(market.asks.prefix(count)))
            #expect(book.bids == expected(market.bids.prefix(count)))
        }
    }

    @Test("Depth: count is clamped to Kraken's 1…500")
    func depthCount() throws {
        let market = PairMarket(pair: HandTape.pair, seed: 2)
        let many = try DepthSnapshot.parse(responseBody: Data(RESTBodies.depth(market, count: 5_000, timestampNs: 0)))
        #expect(many.first?.asks.count == 500 && many.first?.bids.count == 500)
        let none = try DepthSnapshot.parse(responseBody: Data(RESTBodies.depth(market, count: 0, timestampNs: 0)))
        #expect(none.first?.asks.count == 1 && none.first?.bids.count == 1)
    }
}
