import FixedPoint

/// The reference data Kraken publishes for a pair (REST AssetPairs, v2 `instrument`), derived
/// from a `SimulatedPair` so both endpoints always agree with the books the simulator writes.
public struct PairReference: Sendable, Equatable {
    public var pair: SimulatedPair
    /// REST asset ids with Kraken's legacy prefixes: `XXBT`, `ZUSD`.
    public var restBase: String
    public var restQuote: String
    /// REST `altname`: the v1 name without the slash, `XBTUSD`.
    public var altname: String
    /// `cost_decimals` / `cost_precision`.
    public var costDecimals: UInt8
    /// `ordermin` / `qty_min`: the smallest power of ten of the base worth at least 5 quote
    /// units at the initial price (`0.0001` BTC at 65 250 USD).
    public var orderMinimum: FixedDecimal
    /// `costmin` / `cost_min`.
    public var costMinimum: FixedDecimal
    /// `tick_size` / `price_increment`: one unit of the last price digit.
    public var tickSize: FixedDecimal
    /// `qty_increment`: one unit of the last quantity digit.
    public var quantityIncrement: FixedDecimal

    public init(pair: SimulatedPair) {
        self.pair = pair
        let sides = pair.v1Name.split(separator: "/").map(String.init)
        restBase = Self.restAssetID(v1Code: sides.first ?? pair.base)
        restQuote = Self.restAssetID(v1Code: sides.last ?? pair.quote)
        altname = sides.joined()
        costDecimals = 5
        costMinimum = FixedDecimal(mantissa: 5, scale: 1)
        tickSize = FixedDecimal(mantissa: 1, scale: pair.priceScale)
        quantityIncrement = FixedDecimal(mantissa: 1, scale: pair.quantityScale)
        orderMinimum = Self.orderMinimum(for: pair)
    }

    /// Kraken's legacy REST ids for the assets that have them; newer codes are their own id
    /// (never add or strip X/Z blindly: `XRP` is `XXRP` but `MATIC` is `MATIC`).
    static let legacyAssetIDs = [
        "XBT": "XXBT", "ETH": "XETH", "XDG": "XXDG", "LTC": "XLTC", "XRP": "XXRP", "XLM": "XXLM", "XMR": "XXMR",
        "ETC": "XETC", "ZEC": "XZEC", "REP": "XREP", "MLN": "XMLN",
        "USD": "ZUSD", "EUR": "ZEUR", "GBP": "ZGBP", "CAD": "ZCAD", "JPY": "ZJPY",
    ]

    static func restAssetID(v1Code: String) -> String { legacyAssetIDs[v1Code] ?? v1Code }

    static func orderMinimum(for pair: SimulatedPair) -> FixedDecimal {
        var target: Int128 = 5
        for _ in 0..<(Int(pair.priceScale) + Int(pair.quantityScale)) { target *= 10 }
        var quantity: Int128 = 1
        while quantity * Int128(max(pair.initialMid, 1)) < target, quantity <= Int128(Int64.max) / 10 { quantity *= 10 }
        var minimum = FixedDecimal(mantissa: Int64(quantity), scale: pair.quantityScale)
        while minimum.scale > 0, minimum.mantissa % 10 == 0 {
            minimum = FixedDecimal(mantissa: minimum.mantissa / 10, scale: minimum.scale - 1)
        }
        return minimum
    }
}

/// An asset of the v2 `instrument` channel.
public struct AssetReference: Sendable, Equatable {
    /// The v2 code, `BTC`.
    public var id: String
    /// Decimals Kraken keeps for balances (`precision`), and shows (`precision_display`).
    public var precision: Int
    public var displayPrecision: Int

    /// Kraken's precisions for the assets it lists: fiat 4/2, Dogecoin 8/2, other crypto 10/5.
    public init(id: String) {
        self.id = id
        switch id {
        case "USD", "EUR", "GBP", "CAD", "JPY", "CHF", "AUD": (precision, displayPrecision) = (4, 2)
        case "DOGE": (precision, displayPrecision) = (8, 2)
        default: (precision, displayPrecision) = (10, 5)
        }
    }

    /// Every asset of `pairs` once, in order of first appearance (base before quote).
    public static func assets(of pairs: [SimulatedPair]) -> [AssetReference] {
        var seen: Set<String> = []
        var assets: [AssetReference] = []
        for pair in pairs {
            for id in [pair.base, pair.quote] where seen.insert(id).inserted { assets.append(AssetReference(id: id)) }
        }
        return assets
    }
}
