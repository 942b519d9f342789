import KrakenSimulator
import KrakenWire
import Testing

@Suite("market channels are deterministic")
struct MarketChannelDeterminismTests {
    /// Every market-channel frame and REST body a run produces, in order.
    static func run(seed: UInt64, steps: Int) -> [[UInt8]] {
        var frames: [[UInt8]] = [V2Frames.instrument(pairs: SimulatedPair.defaults), RESTBodies.assetPairs(SimulatedPair.defaults)]
        for (index, pair) in SimulatedPair.defaults.enumerated() {
            var market = PairMarket(pair: pair, seed: seed)
            var statistics = MarketStatistics(pair: pair)
            for step in 0..<steps {
                let now = HandTape.t3 + Int64(step) * 1_300_000_000
                statistics.record(trades: market.step().map { [$0] } ?? [], nowNs: now)
                guard step % 10 == 0 else { continue }
                let ticker = statistics.ticker(of: market, nowNs: now)
                frames.append(V2Frames.ticker(snapshot: false, pair: pair, ticker, timestampNs: now))
                frames.append(V1Frames.ticker(channelID: index, pair: pair, ticker))
                frames.append(V1Frames.spread(channelID: index, pair: pair, statistics.spread(of: market, timestampNs: now)))
                for interval in [1, 5, 1_440] {
                    frames.append(V2Frames.ohlc(snapshot: false, pair: pair, statistics.candles(interval: interval), timestampNs: now))
                    if let candle = statistics.candle(interval: interval) {
                        frames.append(V1Frames.ohlc(channelID: index, pair: pair, candle))
                    }
                }
                frames.append(RESTBodies.depth(market, count: 25, timestampNs: now))
            }
        }
        return frames
    }

    @Test("same seed and steps give byte-identical frames; another seed does not")
    func sameSeedSameFrames() {
        let first = Self.run(seed: 99, steps: 600)
        #expect(first == Self.run(seed: 99, steps: 600))
        #expect(first != Self.run(seed: 100, steps: 600))
    }

    @Test("every frame of a simulated run parses with the bridge's parsers")
    func everyFrameParses() throws {
        var parsed = 0
        for frame in Self.run(seed: 7, steps: 400) where frame.first != UInt8(ascii: "{") || frame.starts(with: Array(#"{"channel""#.utf8)) {
            if frame.first == UInt8(ascii: "[") { _ = try MarketChannelWire.v1(frame) } else { _ = try MarketChannelWire.v2(frame) }
            parsed += 1
        }
        #expect(parsed > 700)
    }
}
