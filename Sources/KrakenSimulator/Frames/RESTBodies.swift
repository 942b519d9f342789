import FixedPoint

/// Kraken REST response bodies for the public calls the bridge makes: `AssetPairs` and `Depth`,
/// in Kraken's envelope `{"error":[],"result":{…}}` with the documented key order.
public enum RESTBodies {
    /// `{"error":["EQuery:Unknown asset pair"]}` and the like.
    public static func error(_ message: String) -> [UInt8] {
        var writer = FrameWriter()
        writer.raw(#"{"error":["#)
        writer.string(message)
        writer.raw("]}")
        return writer.bytes
    }

    /// `GET /0/public/AssetPairs[?pair=…]`: the pairs, keyed and sorted by REST key. `filter`
    /// holds the `pair` list in any of Kraken's spellings (`XBTUSD`, `XXBTZUSD`, `XBT/USD`,
    /// `BTC/USD`; any case); one unknown name makes the whole answer Kraken's error.
    public static func assetPairs(_ pairs: [SimulatedPair], filter: [String]? = nil) -> [UInt8] {
        var selected = pairs.map(PairReference.init)
        if let filter, !filter.isEmpty {
            var chosen: [PairReference] = []
            for name in filter {
                guard let match = selected.first(where: { $0.isNamed(name) }) else { return error("EQuery:Unknown asset pair") }
                if !chosen.contains(match) { chosen.append(match) }
            }
            selected = chosen
        }
        var writer = FrameWriter(capacity: 64 + 900 * selected.count)
        writer.raw(#"{"error":[],"result":{"#)
        writer.list(selected.sorted { $0.pair.restKey < $1.pair.restKey }) { writer, reference in
            assetPair(reference, into: &writer)
        }
        writer.raw("}}")
        return writer.bytes
    }

    private static func assetPair(_ reference: PairReference, into writer: inout FrameWriter) {
        let pair = reference.pair
        writer.string(pair.restKey)
        writer.raw(#":{"altname":"#)
        writer.string(reference.altname)
        writer.raw(#","wsname":"#)
        writer.string(pair.v1Name)
        writer.raw(#","aclass_base":"currency","base":"#)
        writer.string(reference.restBase)
        writer.raw(#","aclass_quote":"currency","quote":"#)
        writer.string(reference.restQuote)
        writer.raw(#","lot":"unit","cost_decimals":"#)
        writer.integer(reference.costDecimals)
        writer.raw(#","pair_decimals":"#)
        writer.integer(pair.priceScale)
        writer.raw(#","lot_decimals":"#)
        writer.integer(pair.quantityScale)
        writer.raw(#","lot_multiplier":1,"leverage_buy":[],"leverage_sell":[],"fees":["#)
        feeSchedule(takerFees, into: &writer)
        writer.raw(#"],"fees_maker":["#)
        feeSchedule(makerFees, into: &writer)
        writer.raw(#"],"fee_volume_currency":"ZUSD","margin_call":80,"margin_stop":40,"ordermin":"#)
        writer.string(reference.orderMinimum.description)
        writer.raw(#","costmin":"#)
        writer.string(reference.costMinimum.description)
        writer.raw(#","tick_size":"#)
        writer.string(reference.tickSize.description)
        writer.raw(#","status":"online"}"#)
    }

    /// Kraken's spot fee tiers: 30-day USD volume and fee in percent.
    static let takerFees: [(volume: Int, percent: FixedDecimal)] = [
        (0, .init(mantissa: 40, scale: 2)), (10_000, .init(mantissa: 35, scale: 2)), (50_000, .init(mantissa: 24, scale: 2)),
        (100_000, .init(mantissa: 22, scale: 2)), (250_000, .init(mantissa: 20, scale: 2)),
        (500_000, .init(mantissa: 18, scale: 2)), (1_000_000, .init(mantissa: 16, scale: 2)),
        (2_500_000, .init(mantissa: 14, scale: 2)), (5_000_000, .init(mantissa: 12, scale: 2)),
        (10_000_000, .init(mantissa: 10, scale: 2)),
    ]
    static let makerFees: [(volume: Int, percent: FixedDecimal)] = [
        (0, .init(mantissa: 25, scale: 2)), (10_000, .init(mantissa: 20, scale: 2)), (50_000, .init(mantissa: 14, scale: 2)),
        (100_000, .init(mantissa: 12, scale: 2)), (250_000, .init(mantissa: 10, scale: 2)),
        (500_000, .init(mantissa: 8, scale: 2)), (1_000_000, .init(mantissa: 6, scale: 2)),
        (2_500_000, .init(mantissa: 4, scale: 2)), (5_000_000, .init(mantissa: 2, scale: 2)),
        (10_000_000, .init(mantissa: 0, scale: 2)),
    ]

    private static func feeSchedule(_ tiers: [(volume: Int, percent: FixedDecimal)], into writer: inout FrameWriter) {
        writer.list(tiers) { writer, tier in
            writer.raw("[")
            writer.integer(tier.volume)
            writer.raw(",")
            writer.referenceNumber(tier.percent)
            writer.raw("]")
        }
    }

    /// `GET /0/public/Depth?pair=…&count=…`: the top `count` levels per side (Kraken accepts
    /// 1…500; other counts are clamped), `[price, volume, timestamp]` with price and volume at
    /// the pair's decimals and the time as whole Unix seconds (the simulator does not keep
    /// per-level times, so every level carries `timestampNs`).
    public static func depth(_ market: PairMarket, count: Int = 100, timestampNs: Int64) -> [UInt8] {
        let levels = min(max(count, 1), 500)
        let pair = market.pair
        let seconds = timestampNs >= 0 ? timestampNs / 1_000_000_000 : (timestampNs - 999_999_999) / 1_000_000_000
        func side(_ side: ArraySlice<MarketLevel>, into writer: inout FrameWriter) {
            writer.list(Array(side)) { writer, level in
                writer.raw("[")
                writer.quotedDecimal(mantissa: level.price, scale: pair.priceScale)
                writer.raw(",")
                writer.quotedDecimal(mantissa: level.quantity, scale: pair.quantityScale)
                writer.raw(",")
                writer.integer(seconds)
                writer.raw("]")
            }
        }
        var writer = FrameWriter(capacity: 96 + 48 * 2 * levels)
        writer.raw(#"{"error":[],"result":{"#)
        writer.string(pair.restKey)
        writer.raw(#":{"asks":["#)
        side(market.asks.prefix(levels), into: &writer)
        writer.raw(#"],"bids":["#)
        side(market.bids.prefix(levels), into: &writer)
        writer.raw("]}}}")
        return writer.bytes
    }
}

extension PairReference {
    /// Whether `name` is one of this pair's names, in any case.
    func isNamed(_ name: String) -> Bool {
        let wanted = name.uppercased()
        return [pair.restKey, altname, pair.v1Name, pair.symbol].contains { $0.uppercased() == wanted }
    }
}
