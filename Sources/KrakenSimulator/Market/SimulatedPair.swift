/// A trading pair the simulator makes a market in, with every name Kraken uses for it and the
/// precisions its books are written with.
public struct SimulatedPair: Sendable, Equatable {
    /// v2 name, `BTC/USD`.
    public var symbol: String
    /// v1 name (REST `wsname`), `XBT/USD`.
    public var v1Name: String
    /// REST AssetPairs key, `XXBTZUSD`.
    public var restKey: String
    public var base: String
    public var quote: String
    /// `price_precision` / `pair_decimals`.
    public var priceScale: UInt8
    /// `qty_precision` / `lot_decimals`.
    public var quantityScale: UInt8
    /// Starting mid price as a mantissa at `priceScale`.
    public var initialMid: Int64

    public init(
        symbol: String, v1Name: String, restKey: String, base: String, quote: String, priceScale: UInt8,
        quantityScale: UInt8, initialMid: Int64
    ) {
        self.symbol = symbol
        self.v1Name = v1Name
        self.restKey = restKey
        self.base = base
        self.quote = quote
        self.priceScale = priceScale
        self.quantityScale = quantityScale
        self.initialMid = initialMid
    }

    /// Pairs named like Kraken's, with their real precisions.
    public static let defaults: [SimulatedPair] = [
        SimulatedPair(symbol: "BTC/USD", v1Name: "XBT/USD", restKey: "XXBTZUSD", base: "BTC", quote: "USD",
                      priceScale: 1, quantityScale: 8, initialMid: 652_500),
        SimulatedPair(symbol: "ETH/USD", v1Name: "ETH/USD", restKey: "XETHZUSD", base: "ETH", quote: "USD",
                      priceScale: 2, quantityScale: 8, initialMid: 345_000),
        SimulatedPair(symbol: "DOGE/USD", v1Name: "XDG/USD", restKey: "XDGUSD", base: "DOGE", quote: "USD",
                      priceScale: 7, quantityScale: 8, initialMid: 1_650_000),
        SimulatedPair(symbol: "MATIC/USD", v1Name: "MATIC/USD", restKey: "MATICUSD", base: "MATIC", quote: "USD",
                      priceScale: 4, quantityScale: 8, initialMid: 5_666),
    ]
}
