import KrakenREST
import KrakenWire

/// The precisions of every known pair, from Kraken's v2 `instrument` channel or (v1, which has
/// no such channel) REST AssetPairs' `pair_decimals`/`lot_decimals`. v2 books and numbers are
/// padded to these precisions (Kraken's v2 checksum covers numbers printed at them). v1 books
/// are not: AssetPairs' decimals are order-entry precisions, and v1 book strings often carry
/// more decimals, which Kraken's v1 checksum covers as sent (docs/wire-format.md).
public struct InstrumentRegistry: Sendable {
    /// What the bridge needs to keep one pair's book exact.
    public struct Precision: Sendable, Equatable {
        public var priceScale: UInt8
        public var quantityScale: UInt8

        public init(priceScale: UInt8, quantityScale: UInt8) {
            self.priceScale = priceScale
            self.quantityScale = quantityScale
        }
    }

    private(set) var precisions: [String: Precision] = [:]
    /// The instrument records as received, for republishing.
    public private(set) var pairs: [String: V2Pair] = [:]

    public init() {}

    public subscript(symbol: String) -> Precision? { precisions[symbol] }

    public var symbols: [String] { precisions.keys.sorted() }

    public mutating func set(_ precision: Precision, for symbol: String) { precisions[symbol] = precision }

    /// Records every pair of an instrument snapshot or update. Precisions outside 0…18 (which
    /// an Int64 mantissa cannot hold) are skipped and returned so they can be counted.
    @discardableResult
    public mutating func record(_ message: V2InstrumentMessage) -> [String] {
        var rejected: [String] = []
        for pair in message.pairs {
            guard (0...18).contains(pair.pricePrecision), (0...18).contains(pair.quantityPrecision) else {
                rejected.append(pair.symbol)
                continue
            }
            precisions[pair.symbol] = Precision(priceScale: UInt8(pair.pricePrecision), quantityScale: UInt8(pair.quantityPrecision))
            pairs[pair.symbol] = pair
        }
        return rejected
    }

    /// Records every pair of a REST AssetPairs answer under its v2 symbol; like `record(_:)`
    /// for an instrument message, precisions outside 0…18 are skipped and returned.
    @discardableResult
    public mutating func record(_ assetPairs: [AssetPair]) -> [String] {
        var rejected: [String] = []
        for pair in assetPairs {
            guard pair.pairDecimals <= 18, pair.lotDecimals <= 18 else {
                rejected.append(pair.symbol)
                continue
            }
            precisions[pair.symbol] = Precision(priceScale: pair.pairDecimals, quantityScale: pair.lotDecimals)
        }
        return rejected
    }
}
