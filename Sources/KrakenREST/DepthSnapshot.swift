import FixedPoint
import Foundation

/// One pair's order book from `GET /0/public/Depth`: a sanity check for the WebSocket book
/// (REST has no sequence, so it cannot be stitched to a stream).
public struct DepthSnapshot: Sendable, Equatable {
    /// `[price, volume, timestamp]`: exact decimals as sent, the time in whole Unix seconds.
    public struct Level: Sendable, Equatable {
        public var price: FixedDecimal
        public var volume: FixedDecimal
        public var timestampSeconds: Int64

        public init(price: FixedDecimal, volume: FixedDecimal, timestampSeconds: Int64) {
            self.price = price
            self.volume = volume
            self.timestampSeconds = timestampSeconds
        }
    }

    /// The REST result key, e.g. `XXBTZUSD`.
    public var restKey: String
    /// Best first: asks ascending, bids descending, as Kraken sends them.
    public var asks: [Level]
    public var bids: [Level]

    public init(restKey: String, asks: [Level], bids: [Level]) {
        self.restKey = restKey
        self.asks = asks
        self.bids = bids
    }

    /// Parses the whole Depth response: one book per result key, sorted by key.
    public static func parse(responseBody: Data) throws(KrakenRESTError) -> [DepthSnapshot] {
        struct Book: Decodable {
            var asks: [RawLevel]
            var bids: [RawLevel]
        }
        let result = try RESTEnvelope.result([String: Book].self, from: responseBody)
        var books: [DepthSnapshot] = []
        for (key, book) in result.sorted(by: { $0.key < $1.key }) {
            func levels(_ raw: [RawLevel], side: String) throws(KrakenRESTError) -> [Level] {
                var levels: [Level] = []
                levels.reserveCapacity(raw.count)
                for (index, level) in raw.enumerated() {
                    guard let price = try? FixedDecimal(level.price), let volume = try? FixedDecimal(level.volume) else {
                        throw .malformedResponse("\(key) \(side)[\(index)]: not a decimal")
                    }
                    levels.append(Level(price: price, volume: volume, timestampSeconds: level.timestamp))
                }
                return levels
            }
            books.append(DepthSnapshot(restKey: key, asks: try levels(book.asks, side: "asks"), bids: try levels(book.bids, side: "bids")))
        }
        return books
    }

    /// A level as decoded: the decimals stay text until `FixedDecimal` reads them exactly.
    private struct RawLevel: Decodable {
        var price: String
        var volume: String
        var timestamp: Int64

        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            price = try container.decode(String.self)
            volume = try container.decode(String.self)
            timestamp = try container.decode(Int64.self)
        }
    }
}
