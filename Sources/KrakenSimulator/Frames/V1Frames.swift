
/// Kraken API v1 frames: arrays `[channelID, payload…, channelName, pair]`, decimals as
/// strings at the pair's precision, times as epoch seconds with microseconds.
public enum V1Frames {
    public static let heartbeat = Array(#"{"event":"heartbeat"}"#.utf8)

    public static func systemStatus(status: String, connectionID: UInt64, version: String = "1.9.1") -> [UInt8] {
        var writer = FrameWriter()
        writer.raw(#"{"connectionID":"#)
        writer.integer(connectionID)
        writer.raw(#","event":"systemStatus","status":"#)
        writer.string(status)
        writer.raw(#","version":"#)
        writer.string(version)
        writer.raw("}")
        return writer.bytes
    }

    /// The snapshot: `{"as":[…],"bs":[…]}`, no checksum.
    public static func bookSnapshot(
        channelID: Int, pair: SimulatedPair, depth: Int, bids: [MarketLevel], asks: [MarketLevel], timestampNs: Int64
    ) -> [UInt8] {
        var writer = FrameWriter(capacity: 128 + 64 * (bids.count + asks.count))
        writer.raw("[")
        writer.integer(channelID)
        writer.raw(#",{"as":["#)
        levels(asks.map { BookView.Change(price: $0.price, quantity: $0.quantity, isRepublished: false) }, pair: pair, timestampNs: timestampNs, into: &writer)
        writer.raw(#"],"bs":["#)
        levels(bids.map { BookView.Change(price: $0.price, quantity: $0.quantity, isRepublished: false) }, pair: pair, timestampNs: timestampNs, into: &writer)
        writer.raw("]},")
        trailer(pair: pair, channel: "book-\(depth)", into: &writer)
        return writer.bytes
    }

    /// An update. With changes on both sides Kraken sends `{"a":[…]},{"b":[…],"c":"…"}`
    /// (two objects); `splitSides: false` puts both in one object, which clients must accept too.
    public static func bookUpdate(
        channelID: Int, pair: SimulatedPair, depth: Int, bids: [BookView.Change], asks: [BookView.Change], checksum: UInt32,
        timestampNs: Int64, splitSides: Bool = true
    ) -> [UInt8] {
        var writer = FrameWriter(capacity: 128 + 64 * (bids.count + asks.count))
        writer.raw("[")
        writer.integer(channelID)
        writer.raw(",{")
        var needsComma = false
        if !asks.isEmpty {
            writer.raw(#""a":["#)
            levels(asks, pair: pair, timestampNs: timestampNs, into: &writer)
            writer.raw("]")
            needsComma = true
        }
        if !bids.isEmpty {
            if needsComma { writer.raw(splitSides ? "},{" : ",") }
            writer.raw(#""b":["#)
            levels(bids, pair: pair, timestampNs: timestampNs, into: &writer)
            writer.raw("]")
        }
        writer.raw(#","c":""#)
        writer.integer(checksum)
        writer.raw(#""},"#)
        trailer(pair: pair, channel: "book-\(depth)", into: &writer)
        return writer.bytes
    }

    private static func levels(_ levels: [BookView.Change], pair: SimulatedPair, timestampNs: Int64, into writer: inout FrameWriter) {
        writer.list(levels) { writer, level in
            writer.raw("[")
            writer.quotedText(pair.text(price: level.price, decimals: pair.v1Decimals))
            writer.raw(",")
            writer.quotedText(pair.text(quantity: level.quantity, decimals: pair.v1Decimals))
            writer.raw(",")
            writer.epochSeconds(nanoseconds: timestampNs)
            if level.isRepublished { writer.raw(#","r""#) }
            writer.raw("]")
        }
    }

    /// `[["price","volume","time","s","l",""],…]`
    public static func trades(channelID: Int, pair: SimulatedPair, _ trades: [PairMarket.Trade], timestampNs: Int64) -> [UInt8] {
        var writer = FrameWriter(capacity: 64 + 96 * trades.count)
        writer.raw("[")
        writer.integer(channelID)
        writer.raw(",[")
        writer.list(trades) { writer, trade in
            writer.raw("[")
            writer.quotedText(pair.text(price: trade.price, decimals: pair.v1Decimals))
            writer.raw(",")
            writer.quotedText(pair.text(quantity: trade.quantity, decimals: pair.v1Decimals))
            writer.raw(",")
            writer.epochSeconds(nanoseconds: timestampNs)
            writer.raw(trade.takerBuys ? #","b""# : #","s""#)
            writer.raw(trade.isMarketOrder ? #","m",""]"# : #","l",""]"#)
        }
        writer.raw("],")
        trailer(pair: pair, channel: "trade", into: &writer)
        return writer.bytes
    }

    private static func trailer(pair: SimulatedPair, channel: String, into writer: inout FrameWriter) {
        writer.string(channel)
        writer.raw(",")
        writer.string(pair.v1Name)
        writer.raw("]")
    }
}
