
/// Kraken API v2 frames, written as Kraken writes them (compact, documented key order,
/// numbers in the JSON forms Kraken sends (`FrameWriter.v2Number`)).
public enum V2Frames {
    public static let heartbeat = Array(#"{"channel":"heartbeat"}"#.utf8)

    public static func status(system: String, connectionID: UInt64, version: String = "2.0.10") -> [UInt8] {
        var writer = FrameWriter()
        writer.raw(#"{"channel":"status","type":"update","data":[{"api_version":"v2","connection_id":"#)
        writer.integer(connectionID)
        writer.raw(#","system":"#)
        writer.string(system)
        writer.raw(#","version":"#)
        writer.string(version)
        writer.raw("}]}")
        return writer.bytes
    }

    /// A book snapshot or update for one symbol.
    public static func book(
        snapshot: Bool, pair: SimulatedPair, bids: [(price: Int64, quantity: Int64)], asks: [(price: Int64, quantity: Int64)],
        checksum: UInt32, timestampNs: Int64
    ) -> [UInt8] {
        var writer = FrameWriter(capacity: 128 + 48 * (bids.count + asks.count))
        writer.raw(snapshot ? #"{"channel":"book","type":"snapshot","data":[{"symbol":"# : #"{"channel":"book","type":"update","data":[{"symbol":"#)
        writer.string(pair.symbol)
        writer.raw(#","bids":["#)
        levels(bids, pair: pair, into: &writer)
        writer.raw(#"],"asks":["#)
        levels(asks, pair: pair, into: &writer)
        writer.raw(#"],"checksum":"#)
        writer.integer(checksum)
        writer.raw(#","timestamp":"#)
        writer.rfc3339(nanoseconds: timestampNs)
        writer.raw("}]}")
        return writer.bytes
    }

    private static func levels(_ levels: [(price: Int64, quantity: Int64)], pair: SimulatedPair, into writer: inout FrameWriter) {
        writer.list(levels) { writer, level in
            writer.raw(#"{"price":"#)
            writer.v2Number(mantissa: level.price, scale: pair.priceScale)
            writer.raw(#","qty":"#)
            writer.v2Number(mantissa: level.quantity, scale: pair.quantityScale)
            writer.raw("}")
        }
    }

    /// Public trades of one symbol.
    public static func trades(snapshot: Bool, pair: SimulatedPair, _ trades: [PairMarket.Trade], timestampNs: Int64) -> [UInt8] {
        var writer = FrameWriter(capacity: 64 + 200 * trades.count)
        writer.raw(snapshot ? #"{"channel":"trade","type":"snapshot","data":["# : #"{"channel":"trade","type":"update","data":["#)
        writer.list(trades) { writer, trade in
            writer.raw(#"{"symbol":"#)
            writer.string(pair.symbol)
            writer.raw(trade.takerBuys ? #","side":"buy","price":"# : #","side":"sell","price":"#)
            writer.v2Number(mantissa: trade.price, scale: pair.priceScale)
            writer.raw(#","qty":"#)
            writer.v2Number(mantissa: trade.quantity, scale: pair.quantityScale)
            writer.raw(trade.isMarketOrder ? #","ord_type":"market","trade_id":"# : #","ord_type":"limit","trade_id":"#)
            writer.integer(trade.tradeID)
            writer.raw(#","timestamp":"#)
            writer.rfc3339(nanoseconds: timestampNs)
            writer.raw("}")
        }
        writer.raw("]}")
        return writer.bytes
    }
}
