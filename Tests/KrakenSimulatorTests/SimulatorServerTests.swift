import KrakenSimulator
import KrakenSimulatorServer
import KrakenWire
import NIOPosix
import OrderBook
import Testing
import WebSocketTransport

/// Starts a simulator and a v2 client on its public listener.
private func withSimulator(
    tickMilliseconds: Int64 = 10, _ body: (SimulatorServer, WebSocketClient) async throws -> Void
) async throws {
    try await SimulatorHarness.run(tickMilliseconds: tickMilliseconds) { harness in
        let reader = try await harness.connect()
        do {
            try await body(harness.server, reader.client)
        } catch {
            await reader.close()
            throw error
        }
        await reader.close()
    }
}

/// Reads v2 messages from a client.
private struct Reader {
    var reader: FrameReader
    init(_ client: WebSocketClient) { reader = FrameReader(client) }
    mutating func next() async throws -> V2Message { try await reader.nextV2() }
    mutating func next<Value>(_ match: (V2Message) -> Value?) async throws -> Value { try await reader.nextV2(match) }
}

@Suite("simulator WebSocket server (v2)")
struct SimulatorServerTests {
    @Test("the first message is the status; ping is answered with pong and the request id")
    func statusAndPing() async throws {
        try await withSimulator { _, client in
            var reader = Reader(client)
            guard case .status(let status) = try await reader.next() else { Issue.record("first message not status"); return }
            #expect(status.system == .online)
            #expect(status.apiVersion == "v2")
            try await client.send(text: V2Request.ping(requestID: 42))
            let pong = try await reader.next { message -> V2Response? in
                if case .response(let response) = message, response.method == .pong { return response }
                return nil
            }
            #expect(pong.requestID == 42)
            #expect(pong.timeInNs != nil && pong.timeOutNs != nil)
        }
    }

    @Test("the status frame written right behind the upgrade response is never lost (20 connections)")
    func statusNeverLost() async throws {
        try await withSimulator { server, _ in
            for _ in 0..<20 {
                let client = try await WebSocketClient.connect(
                    host: "127.0.0.1", port: server.ports.public, path: "/v2", group: MultiThreadedEventLoopGroup.singleton)
                var reader = Reader(client)
                let watchdog = Task {
                    try await Task.sleep(for: .seconds(10))
                    await client.close()
                }
                let first = try await reader.next()
                watchdog.cancel()
                guard case .status = first else { Issue.record("first message: \(first)"); return }
                await client.close()
            }
        }
    }

    @Test("subscribed books verify their checksums on every update, for two pairs")
    func books() async throws {
        try await withSimulator { _, client in
            var reader = Reader(client)
            try await client.send(text: try V2Request.subscribe(
                V2Subscription(channel: .book, symbols: ["BTC/USD", "ETH/USD"], depth: 25), requestID: 7))
            var books: [String: L2Book] = [:]
            var acks = 0
            var verified = 0
            while verified < 200 {
                switch try await reader.next() {
                case .response(let response):
                    #expect(response.success == true)
                    #expect(response.requestID == 7)
                    acks += 1
                case .book(let message):
                    let pair = try #require(SimulatedPair.defaults.first { $0.symbol == message.symbol })
                    var book = books[message.symbol] ?? L2Book(depth: 25, priceScale: pair.priceScale, quantityScale: pair.quantityScale)
                    if message.kind == .snapshot { book.removeAll() }
                    for level in message.bids { book.apply(try book.level(price: level.price, quantity: level.quantity), side: .bid) }
                    for level in message.asks { book.apply(try book.level(price: level.price, quantity: level.quantity), side: .ask) }
                    book.truncate()
                    #expect(book.verify(checksum: message.checksum) == .match)
                    books[message.symbol] = book
                    verified += 1
                default: break
                }
            }
            #expect(acks == 2)
            #expect(Set(books.keys) == ["BTC/USD", "ETH/USD"])
        }
    }

    @Test("Kraken's errors for an unknown pair and an unsupported depth")
    func errors() async throws {
        try await withSimulator { _, client in
            var reader = Reader(client)
            try await client.send(text: try V2Request.subscribe(V2Subscription(channel: .book, symbols: ["XBT/USD"]), requestID: 1))
            let unknown = try await reader.next { message -> V2Response? in
                if case .response(let response) = message { return response }
                return nil
            }
            #expect(unknown.success == false)
            #expect(unknown.error == "Currency pair not supported XBT/USD")
            #expect(unknown.symbol == "XBT/USD")
            // The encoder refuses depth 27, so send the bytes a misconfigured client would.
            try await client.send(text: Array(#"{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":27},"req_id":2}"#.utf8))
            let depth = try await reader.next { message -> V2Response? in
                if case .response(let response) = message { return response }
                return nil
            }
            #expect(depth.success == false)
            #expect(depth.error == "Subscription depth not supported")
            #expect(depth.requestID == 2)
        }
    }

    @Test("a quiet subscribed connection gets heartbeats about once a second")
    func heartbeats() async throws {
        try await withSimulator(tickMilliseconds: 3_600_000) { _, client in
            var reader = Reader(client)
            // The clock starts before the subscription goes out: only subscribed connections get
            // heartbeats, so both are sent after it, even when this task is descheduled for
            // seconds between the send and its next line (seen under load: both heartbeats
            // were already queued, and "elapsed" measured nothing).
            let clock = ContinuousClock()
            let start = clock.now
            try await client.send(text: try V2Request.subscribe(V2Subscription(channel: .trade, symbols: ["BTC/USD"])))
            _ = try await reader.next { message -> Bool? in message == .heartbeat ? true : nil }
            _ = try await reader.next { message -> Bool? in message == .heartbeat ? true : nil }
            // Heartbeats are a repeated task a second apart (measured from the end of one run),
            // so two of them can never come within less than that; the upper bound only has
            // to tell "about once a second" from "never" (the reader gives up after 30 s).
            let elapsed = clock.now - start
            #expect(elapsed > .milliseconds(900), "two heartbeats within \(elapsed)")
            #expect(elapsed < .seconds(25), "two heartbeats took \(elapsed)")
        }
    }
}
