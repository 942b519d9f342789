import FixedPoint
import KrakenWire
import MarketFlow
import Testing

/// v2 numbers reach the bus at the pair's precision whatever JSON form Kraken used.
@Suite struct V2DigitsTests {
    static let btc = InstrumentRegistry.Precision(priceScale: 1, quantityScale: 8)

    @Test(arguments: [("27005", "27005.0"), ("27005.0", "27005.0"), ("27005.25", "27005.25")])
    func aTradePriceIsPaddedToThePricePrecisionAndNeverRounded(wire: String, published: String) throws {
        let trade = KrakenTrade(symbol: "BTC/USD", side: .buy, price: try FixedDecimal(wire), quantity: try FixedDecimal("5.1e-05"),
                                orderType: .limit, tradeID: 1, timestampNs: 0)
        let padded = V2Digits.trade(trade, Self.btc)
        #expect(padded.price.description == published)
        #expect(padded.quantity.description == "0.00005100")
    }

    @Test func aCandleAndATickerArePaddedPricesToPriceAndVolumesToQuantityPrecision() throws {
        let candle = V2Candle(symbol: "BTC/USD", open: try FixedDecimal("27000"), high: try FixedDecimal("27010.5"),
                              low: try FixedDecimal("26990"), close: try FixedDecimal("26990.0"), vwap: try FixedDecimal("26995.8"),
                              volume: try FixedDecimal("1.75"), trades: 3, intervalBeginNs: 0, interval: 5, timestampNs: nil)
        let padded = V2Digits.candle(candle, Self.btc)
        #expect([padded.open, padded.high, padded.low, padded.close, padded.vwap].map(\.description)
            == ["27000.0", "27010.5", "26990.0", "26990.0", "26995.8"])
        #expect(padded.volume.description == "1.75000000")

        var ticker = V2Ticker(symbol: "BTC/USD", bid: try FixedDecimal("26999"), bidQuantity: try FixedDecimal("740"),
                              ask: try FixedDecimal("27000.1"), askQuantity: try FixedDecimal("1361.44813783"), volume: try FixedDecimal("1.85"))
        ticker.changePercent = try FixedDecimal("0.02")
        let paddedTicker = V2Digits.ticker(ticker, Self.btc)
        #expect(paddedTicker.bid.description == "26999.0")
        #expect(paddedTicker.bidQuantity.description == "740.00000000")
        #expect(paddedTicker.askQuantity.description == "1361.44813783")
        #expect(paddedTicker.volume?.description == "1.85000000")
        #expect(paddedTicker.changePercent?.description == "0.02", "a percentage keeps its own digits")
    }
}
