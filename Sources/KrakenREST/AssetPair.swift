import FixedPoint
import Foundation

/// One tradable pair from `GET /0/public/AssetPairs`, with the precisions books need.
public struct AssetPair: Sendable, Equatable {
    /// The REST result key, e.g. `XXBTZUSD`.
    public var restKey: String
    /// `XBTUSD`.
    public var altname: String
    /// The v1 WebSocket name, e.g. `XBT/USD`.
    public var wsname: String
    /// REST asset ids, e.g. `XXBT`, `ZUSD`.
    public var base: String
    public var quote: String
    /// Price decimals (v1 book strings carry exactly these).
    public var pairDecimals: UInt8
    /// Volume decimals.
    public var lotDecimals: UInt8
    public var costDecimals: UInt8
    public var orderMin: FixedDecimal?
    public var costMin: FixedDecimal?
    public var tickSize: FixedDecimal?
    public var status: String?

    /// The v2 symbol (`BTC/USD`) derived from the v1 name.
    public var symbol: String { SymbolMap.v2Symbol(fromV1: wsname) }

    /// Parses the whole AssetPairs response (pairs without a `wsname`, such as dark-pool
    /// `.d` pairs, have no WebSocket feed and are left out).
    public static func parse(responseBody: Data) throws(KrakenRESTError) -> [AssetPair] {
        struct Raw: Decodable {
            var altname: String
            var wsname: String?
            var base: String
            var quote: String
            var pair_decimals: Int
            var lot_decimals: Int
            var cost_decimals: Int?
            var ordermin: String?
            var costmin: String?
            var tick_size: String?
            var status: String?
        }
        let result = try RESTEnvelope.result([String: Raw].self, from: responseBody)
        var pairs: [AssetPair] = []
        for (key, raw) in result.sorted(by: { $0.key < $1.key }) {
            guard let wsname = raw.wsname else { continue }
            guard let pairDecimals = UInt8(exactly: raw.pair_decimals), pairDecimals <= FixedDecimal.maxScale,
                  let lotDecimals = UInt8(exactly: raw.lot_decimals), lotDecimals <= FixedDecimal.maxScale
            else { throw .malformedResponse("\(key): decimals out of range") }
            pairs.append(AssetPair(
                restKey: key, altname: raw.altname, wsname: wsname, base: raw.base, quote: raw.quote,
                pairDecimals: pairDecimals, lotDecimals: lotDecimals, costDecimals: UInt8(clamping: raw.cost_decimals ?? 0),
                orderMin: raw.ordermin.flatMap { try? FixedDecimal($0) }, costMin: raw.costmin.flatMap { try? FixedDecimal($0) },
                tickSize: raw.tick_size.flatMap { try? FixedDecimal($0) }, status: raw.status))
        }
        return pairs
    }
}
