import KrakenSimulatorServer
import KrakenWire
import Testing

/// Ticker, OHLC, spread and instrument served over the simulator's WebSocket endpoints.
@Suite("simulator market channels")
struct SimulatorMarketChannelTests {
    @Test("v2: instrument snapshot lists every pair; ticker and ohlc send a snapshot, then updates after trades")
    func v2Channels() async throws {
        try await SimulatorHarness.run(tickMilliseconds: 2) { harness in
            try await harness.session { reader in
                try await reader.send(#"{"method":"subscribe","params":{"channel":"instrument"}}"#)
                let instrument = try await reader.nextV2 { message -> V2InstrumentMessage? in
                    if case .instrument(let instrument) = message { return instrument }
                    return nil
                }
                #expect(instrument.kind == .snapshot && instrument.pairs.count == 4)
                try await reader.send(#"{"method":"subscribe","params":{"channel":"ticker","symbol":["ETH/USD"]}}"#)
                try await reader.send(#"{"method":"subscribe","params":{"channel":"ohlc","symbol":["ETH/USD"],"interval":5}}"#)
                var tickers: [MessageKind] = []
                var candles: [MessageKind] = []
                while tickers.count < 3 || candles.count < 3 {
                    switch try await reader.nextV2() {
                    case .ticker(let message):
                        #expect(message.ticker.symbol == "ETH/USD")
                        tickers.append(message.kind)
                    case .ohlc(let message):
                        #expect(message.candles.allSatisfy { $0.symbol == "ETH/USD" && $0.interval == 5 })
                        candles.append(message.kind)
                    default: break
                    }
                }
                #expect(tickers.first == .snapshot && tickers.dropFirst().allSatisfy { $0 == .update })
                #expect(candles.first == .snapshot && candles.dropFirst().allSatisfy { $0 == .update })
                try await reader.send(#"{"method":"subscribe","params":{"channel":"ohlc","symbol":["ETH/USD"],"interval":7}}"#)
                let refused = try await reader.nextResponse()
                #expect(refused.success == false && refused.error == "Subscription ohlc interval not supported")
            }
        }
    }

    @Test("v1: ticker, ohlc-5 and spread arrive on their own channel ids for the pair")
    func v1Channels() async throws {
        try await SimulatorHarness.run(tickMilliseconds: 2) { harness in
            try await harness.session(path: "/") { reader in
                for name in [#""ticker""#, #""spread""#, #""ohlc","interval":5"#] {
                    try await reader.send(#"{"event":"subscribe","pair":["XBT/USD"],"subscription":{"name":\#(name)}}"#)
                }
                var channelNames: Set<String> = []
                while channelNames.count < 3 {
                    let status = try await reader.nextSubscriptionStatus()
                    #expect(status.status == .subscribed && status.pair == "XBT/USD")
                    channelNames.insert(status.channelName ?? "")
                }
                #expect(channelNames == ["ticker", "spread", "ohlc-5"])
                var seen: Set<String> = []
                while seen.count < 3 {
                    switch try await reader.nextV1() {
                    case .ticker(let ticker): #expect(ticker.pair == "XBT/USD"); seen.insert("ticker")
                    case .spread(let spread): #expect(spread.pair == "XBT/USD" && spread.bid < spread.ask); seen.insert("spread")
                    case .ohlc(let candle): #expect(candle.pair == "XBT/USD" && candle.interval == 5); seen.insert("ohlc")
                    default: break
                    }
                }
            }
        }
    }
}
