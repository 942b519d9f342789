import SeededRandom
import WireFormat

/// A deterministic random-walk market: the same seed and pairs give the same frames.
struct SyntheticMarket {
    private struct PairState {
        /// Price mantissa at `priceScale`, moving one tick at most per step.
        var price: Int64
        var priceScale: UInt32
        var step = 0
        var tradeID: UInt64 = 0
    }

    /// Plausible starting prices and Kraken's price precision for well-known pairs.
    private static let knownPairs: [String: (price: Int64, scale: UInt32)] = [
        "BTC/USD": (650_000, 1), "ETH/USD": (300_000, 2), "XRP/USD": (52_000, 5), "DOGE/USD": (1_200_000, 7),
        "SOL/USD": (15_000, 2), "BTC/USDT": (650_050, 1),
    ]

    private var generator: SplitMix64
    private var states: [String: PairState] = [:]

    init(pairs: [String], seed: UInt64) {
        generator = SplitMix64(seed: seed)
        for pair in pairs {
            let known = Self.knownPairs[pair] ?? (10_000, 2)
            states[pair] = PairState(price: known.price, priceScale: known.scale)
        }
    }

    /// One step of `pair`: a trade, and every fifth step a ticker.
    mutating func step(_ pair: String) -> [(Topic, any BusPayloadMessage)] {
        guard var state = states[pair], let tradeTopic = try? Topic.trade(pair), let tickerTopic = try? Topic.ticker(pair) else {
            return []
        }
        let tick = max(1, state.price / 20_000)
        state.price = max(1, state.price + (Int64(generator.next() % 3) - 1) * tick)
        state.step += 1
        state.tradeID += 1
        var trade = KBTrade()
        trade.symbol = pair
        trade.tradeID = state.tradeID
        trade.price = KBDecimal(mantissa: state.price, scale: state.priceScale)
        trade.qty = KBDecimal(mantissa: Int64(generator.next() % 5_000_000 + 1), scale: 8)
        trade.side = generator.next() % 2 == 0 ? .buy : .sell
        trade.ordType = generator.next() % 4 == 0 ? .market : .limit
        trade.timestampNs = UnixTime.nanoseconds()
        var frames: [(Topic, any BusPayloadMessage)] = [(tradeTopic, trade)]
        if state.step % 5 == 0 {
            var ticker = KBTicker()
            ticker.symbol = pair
            ticker.bid = KBDecimal(mantissa: state.price - tick, scale: state.priceScale)
            ticker.ask = KBDecimal(mantissa: state.price + tick, scale: state.priceScale)
            ticker.bidQty = KBDecimal(mantissa: 150_000_000, scale: 8)
            ticker.askQty = KBDecimal(mantissa: 230_000_000, scale: 8)
            ticker.last = trade.price
            ticker.volume = KBDecimal(mantissa: Int64(state.step) * 1_000_000, scale: 8)
            ticker.timestampNs = trade.timestampNs
            frames.append((tickerTopic, ticker))
        }
        states[pair] = state
        return frames
    }
}
