import FixedPoint
import KrakenSimulator
import KrakenWire
import OrderBook
import Testing

@Suite("simulator WebSocket server (v1 at /)")
struct SimulatorV1Tests {
    @Test("the first message is systemStatus; ping gets pong with the reqid; unknown events get Kraken's error")
    func statusPingAndUnknownEvent() async throws {
        try await SimulatorHarness.run { harness in
            try await harness.session(path: "/") { reader in
                guard case .systemStatus(let status) = try await reader.nextV1() else { throw Failure("first message not systemStatus") }
                #expect(status.status == .online)
                try await reader.send(#"{"event":"ping","reqid":42}"#)
                #expect(try await reader.nextV1() == .pong(requestID: 42))
                try await reader.send(#"{"event":"dance","reqid":7}"#)
                #expect(try await reader.nextV1() == .error(message: "Event(s) not found", requestID: 7))
                try await reader.send("{not json")
                #expect(try await reader.nextV1() == .error(message: "Malformed request", requestID: nil))
            }
        }
    }

    @Test("books: subscriptionStatus per pair with channel names, snapshot without checksum, updates verify")
    func books() async throws {
        try await SimulatorHarness.run { harness in
            try await harness.session(path: "/") { reader in
                try await reader.send(#"{"event":"subscribe","reqid":5,"pair":["XBT/USD","XDG/USD"],"subscription":{"name":"book","depth":25}}"#)
                var statuses: [V1SubscriptionStatus] = []
                var books: [String: L2Book] = [:]
                var verified = 0
                var republished = 0
                while verified < 300 {
                    switch try await reader.nextV1() {
                    case .subscriptionStatus(let status): statuses.append(status)
                    case .book(let message):
                        let pair = try #require(SimulatedPair.defaults.first { $0.v1Name == message.pair })
                        #expect(message.depth == 25)
                        // v1's checksum covers the strings as written: a client keeps their digits.
                        var book = books[message.pair] ?? L2Book(depth: 25, digits: .asReceived)
                        #expect((message.asks + message.bids).allSatisfy {
                            $0.price.scale == pair.v1Decimals.price && $0.volume.scale == pair.v1Decimals.quantity
                        })
                        if message.isSnapshot {
                            #expect(message.checksum == nil)
                            #expect(message.asks.count == 25 && message.bids.count == 25)
                            book.removeAll()
                        }
                        for level in message.asks { book.apply(try book.level(price: level.price, quantity: level.volume), side: .ask) }
                        for level in message.bids { book.apply(try book.level(price: level.price, quantity: level.volume), side: .bid) }
                        republished += (message.asks + message.bids).filter(\.isRepublished).count
                        book.truncate()
                        if let checksum = message.checksum {
                            #expect(book.verify(checksum: checksum) == .match)
                            verified += 1
                        }
                        books[message.pair] = book
                    default: break
                    }
            }
            #expect(statuses.map(\.pair) == ["XBT/USD", "XDG/USD"])
            #expect(statuses.allSatisfy { $0.status == .subscribed && $0.channelName == "book-25" && $0.requestID == 5 })
            #expect(Set(statuses.compactMap(\.channelID)).count == 2)
            #expect(republished > 0, "levels entering the window from deeper carry the v1 republish flag")
            }
        }
    }

    @Test("errors: unknown pair, unsupported depth, invalid name, private channel on the public listener")
    func errors() async throws {
        try await SimulatorHarness.run { harness in
            try await harness.session(path: "/") { reader in
                func nextStatus() async throws -> V1SubscriptionStatus {
                    try await reader.nextV1 { if case .subscriptionStatus(let status) = $0 { status } else { nil } }
            }
            try await reader.send(#"{"event":"subscribe","reqid":1,"pair":["BTC/USD"],"subscription":{"name":"trade"}}"#)
            let unknown = try await reader.nextSubscriptionStatus()
            #expect(unknown.status == .error && unknown.errorMessage == "Currency pair not supported BTC/USD" && unknown.pair == "BTC/USD")
            try await reader.send(#"{"event":"subscribe","reqid":2,"pair":["XBT/USD"],"subscription":{"name":"book","depth":42}}"#)
            let depth = try await reader.nextSubscriptionStatus()
            #expect(depth.errorMessage == "Subscription depth not supported" && depth.subscription?.depth == 42 && depth.requestID == 2)
            try await reader.send(#"{"event":"subscribe","pair":["XBT/USD"],"subscription":{"name":"candles"}}"#)
            #expect(try await reader.nextSubscriptionStatus().errorMessage == "Subscription name invalid")
            try await reader.send(#"{"event":"subscribe","subscription":{"name":"ownTrades","token":"x"}}"#)
            let privateOnPublic = try await reader.nextSubscriptionStatus()
            #expect(privateOnPublic.status == .error && privateOnPublic.subscription?.name == "ownTrades")
            }
        }
    }

    @Test("trades arrive as arrays with the trade channel and pair")
    func trades() async throws {
        try await SimulatorHarness.run(tickMilliseconds: 2) { harness in
            try await harness.session(path: "/") { reader in
                try await reader.send(#"{"event":"subscribe","pair":["ETH/USD"],"subscription":{"name":"trade"}}"#)
                let trade = try await reader.nextV1 { message -> V1TradeMessage? in if case .trade(let trade) = message { return trade }; return nil }
                #expect(trade.pair == "ETH/USD")
                #expect(!trade.trades.isEmpty)
                #expect(trade.trades.allSatisfy { $0.price.scale == 5 && $0.volume.scale == 8 }, "ETH/USD's v1 decimals, not AssetPairs' 2")
            }
        }
    }
}
