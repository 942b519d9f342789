import FixedPoint

/// A trading pair the simulator makes a market in, with every name Kraken uses for it, its
/// precisions, and how many decimals Kraken writes its v1 strings with.
///
/// The market moves in steps of the pair's precision (`priceScale`, `quantityScale`: v2's
/// `price_precision`/`qty_precision`, REST's `pair_decimals`/`lot_decimals`). Kraken's v1
/// strings are written with more decimals than that for most pairs (`"5541.30000"` for XBT/USD,
/// whose `pair_decimals` is 1), and v1 checksums cover those strings as written, so the v1
/// decimals are their own setting (`v1Decimals`).
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
    /// Fraction digits of v1 price and volume strings (never fewer than the precisions).
    public var v1Decimals: Decimals

    /// How many fraction digits numbers are written with.
    public struct Decimals: Sendable, Equatable {
        public var price: UInt8
        public var quantity: UInt8
        /// Written with this many more digits: every number whose mantissa is a multiple of 3
        /// (0: none). Not something live Kraken was seen doing — a switch that makes one book's
        /// levels carry different decimals, so a client's per-level digits are exercised end to
        /// end. A function of the value, so a level keeps its text until it changes.
        public var extraForSome: UInt8

        public init(price: UInt8, quantity: UInt8, extraForSome: UInt8 = 0) {
            self.price = price
            self.quantity = quantity
            self.extraForSome = extraForSome
        }

        public func price(for mantissa: Int64) -> UInt8 { price + extra(for: mantissa) }
        public func quantity(for mantissa: Int64) -> UInt8 { quantity + extra(for: mantissa) }

        private func extra(for mantissa: Int64) -> UInt8 { extraForSome > 0 && mantissa % 3 == 0 ? extraForSome : 0 }
    }

    /// The pair's own precisions (v2 `instrument`, REST AssetPairs).
    public var precision: Decimals { Decimals(price: priceScale, quantity: quantityScale) }

    public init(
        symbol: String, v1Name: String, restKey: String, base: String, quote: String, priceScale: UInt8,
        quantityScale: UInt8, initialMid: Int64, v1Decimals: Decimals? = nil
    ) {
        self.symbol = symbol
        self.v1Name = v1Name
        self.restKey = restKey
        self.base = base
        self.quote = quote
        self.priceScale = priceScale
        self.quantityScale = quantityScale
        self.initialMid = initialMid
        self.v1Decimals = v1Decimals ?? Decimals(price: priceScale, quantity: quantityScale)
    }

    /// A price mantissa (at `priceScale`) written with `decimals.price` fraction digits.
    public func text(price: Int64, decimals: Decimals) -> String {
        Self.text(price, scale: priceScale, decimals: decimals.price(for: price))
    }

    /// A quantity mantissa (at `quantityScale`) written with `decimals.quantity` fraction digits.
    public func text(quantity: Int64, decimals: Decimals) -> String {
        Self.text(quantity, scale: quantityScale, decimals: decimals.quantity(for: quantity))
    }

    /// Pads with zeros to `decimals` (which is never below `scale` for a valid pair).
    static func text(_ mantissa: Int64, scale: UInt8, decimals: UInt8) -> String {
        guard decimals > scale else { return FixedDecimal.text(mantissa: mantissa, scale: Int(scale)) }
        return FixedDecimal.text(mantissa: mantissa * PairMarket.power(Int(decimals - scale)), scale: Int(decimals))
    }

    /// The same pair with its v1 strings written at its precisions (AssetPairs' decimals), as
    /// this simulator did before it followed live Kraken: for reproducing old captures.
    public var withV1DecimalsAtPrecision: SimulatedPair {
        var pair = self
        pair.v1Decimals = precision
        return pair
    }

    /// Pairs named like Kraken's, with their real precisions. Their v1 strings are written like
    /// live Kraken's: XBT/USD prices with five decimals (Kraken's own v1 examples,
    /// `"5541.30000"`, `pair_decimals` 1), most pairs with more decimals than AssetPairs says,
    /// one pair (MATIC/USD) with exactly AssetPairs' decimals.
    public static let defaults: [SimulatedPair] = [
        SimulatedPair(symbol: "BTC/USD", v1Name: "XBT/USD", restKey: "XXBTZUSD", base: "BTC", quote: "USD",
                      priceScale: 1, quantityScale: 8, initialMid: 652_500, v1Decimals: Decimals(price: 5, quantity: 8)),
        SimulatedPair(symbol: "ETH/USD", v1Name: "ETH/USD", restKey: "XETHZUSD", base: "ETH", quote: "USD",
                      priceScale: 2, quantityScale: 8, initialMid: 345_000, v1Decimals: Decimals(price: 5, quantity: 8)),
        SimulatedPair(symbol: "DOGE/USD", v1Name: "XDG/USD", restKey: "XDGUSD", base: "DOGE", quote: "USD",
                      priceScale: 7, quantityScale: 8, initialMid: 1_650_000, v1Decimals: Decimals(price: 9, quantity: 8)),
        SimulatedPair(symbol: "MATIC/USD", v1Name: "MATIC/USD", restKey: "MATICUSD", base: "MATIC", quote: "USD",
                      priceScale: 4, quantityScale: 8, initialMid: 5_666),
    ]
}
