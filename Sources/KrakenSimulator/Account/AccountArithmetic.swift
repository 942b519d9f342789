import SeededRandom

/// Exact money arithmetic for the account: products and rates in Int128, rounded once, by a
/// stated rule, to the scale the result is kept at. Never Double.
enum AccountArithmetic {
    static func power(_ exponent: Int) -> Int128 {
        (0..<exponent).reduce(Int128(1)) { value, _ in value * 10 }
    }

    /// `value × 10^-from` at scale `to`, half up (ties away from zero; values are never negative).
    static func roundHalfUp(_ value: Int128, from: Int, to: Int) -> Int64 {
        if to >= from { return Int64(value * power(to - from)) }
        let divisor = power(from - to)
        return Int64((2 * value + divisor) / (2 * divisor))
    }

    /// As `roundHalfUp`, but any dropped digit rounds up (fees and holds never fall short).
    static func roundUp(_ value: Int128, from: Int, to: Int) -> Int64 {
        if to >= from { return Int64(value * power(to - from)) }
        let divisor = power(from - to)
        return Int64((value + divisor - 1) / divisor)
    }

    /// quantity × price (both mantissas of `pair`) at `scale`, half up.
    static func cost(quantity: Int64, price: Int64, pair: SimulatedPair, scale: UInt8) -> Int64 {
        roundHalfUp(Int128(quantity) * Int128(price), from: Int(pair.quantityScale + pair.priceScale), to: Int(scale))
    }

    /// `basisPoints` of `cost`, rounded up at the cost's own scale.
    static func fee(cost: Int64, basisPoints: Int64) -> Int64 {
        Int64((Int128(cost) * Int128(basisPoints) + 9_999) / 10_000)
    }

    /// Rewrites a mantissa at a wider scale (base quantities into the asset's balance scale).
    static func widen(_ mantissa: Int64, from: UInt8, to: UInt8) -> Int64 {
        Int64(Int128(mantissa) * power(Int(to) - Int(from)))
    }
}

/// The scales the account keeps each asset at: Kraken's asset decimals (fiat 4, Dogecoin 8,
/// other crypto 10), widened if a pair's quantities need more.
enum AssetScales {
    static func krakenDecimals(of asset: String) -> UInt8 {
        switch asset {
        case "USD", "EUR", "GBP", "CAD", "JPY", "CHF", "AUD": 4
        case "DOGE": 8
        default: 10
        }
    }

    /// Every asset of `pairs` once (base before quote, in pair order) with its scale.
    static func assets(of pairs: [SimulatedPair]) -> [(asset: String, scale: UInt8)] {
        var result: [(asset: String, scale: UInt8)] = []
        func note(_ asset: String, needs scale: UInt8) {
            if let index = result.firstIndex(where: { $0.asset == asset }) {
                result[index].scale = max(result[index].scale, scale)
            } else {
                result.append((asset, max(krakenDecimals(of: asset), scale)))
            }
        }
        for pair in pairs {
            note(pair.base, needs: pair.quantityScale)
            note(pair.quote, needs: 0)
        }
        return result
    }

    /// Starting balances in whole units: 10 BTC, 100 ETH, 100 000 USD, …
    static func defaultStartingUnits(of asset: String) -> Int64 {
        switch asset {
        case "BTC": 10
        case "ETH": 100
        case "USD", "EUR", "GBP", "CAD", "CHF", "AUD": 100_000
        case "JPY": 10_000_000
        case "DOGE": 1_000_000
        default: 100_000
        }
    }
}

/// Kraken-style identifiers drawn from the account's seeded generator: a type letter, then
/// 5 + 5 + 6 characters in three dash-separated groups (`OQCLML-BW3P3-BUCMWZ`).
enum KrakenIDs {
    /// Upper-case letters and digits 2–9 (no 0/1, which read like O/I).
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ23456789".utf8)

    static func make(prefix: Character, using random: inout SplitMix64) -> String {
        var bytes = Array(String(prefix).utf8)
        for index in 0..<16 {
            if index == 5 || index == 10 { bytes.append(UInt8(ascii: "-")) }
            bytes.append(alphabet[Int(random.next() % UInt64(alphabet.count))])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
