import Foundation
import KrakenSimulator
import KrakenWire
import OrderBook
import NIOHTTP1
import Testing
import WebSocketTransport

/// Every fault kind, observed from the client side.
@Suite("simulator faults")
struct SimulatorFaultTests {
    private static let subscribeTrades = #"{"method":"subscribe","params":{"channel":"trade","symbol":["BTC/USD","ETH/USD","DOGE/USD"]}}"#

    @Test("disconnect: an abrupt close ends the stream; a clean one sends close code 1001 first")
    func disconnect() async throws {
        try await SimulatorHarness.run { harness in
            try await harness.session { reader in
                _ = try await reader.nextV2()
                #expect(try await harness.fault(#"{"kind":"disconnect","target":"public"}"#) == 1)
                let last = await reader.drain()
                #expect(last == nil || last == .closed(code: nil))
            }
            try await harness.session(path: "/") { reader in
                _ = try await reader.nextV1()
                #expect(try await harness.fault(#"{"kind":"disconnect","clean":true}"#) == 1)
                #expect(await reader.drain() == .closed(code: 1001))
            }
        }
    }

    @Test("disconnect targets one listener: the private one stays up when the public one is hit")
    func disconnectTarget() async throws {
        try await SimulatorHarness.run { harness in
            try await harness.session(private: true) { reader in
                _ = try await reader.nextV2()
                #expect(try await harness.fault(#"{"kind":"disconnect","target":"public"}"#) == 0)
                try await reader.send(#"{"method":"ping","req_id":3}"#)
                let pong = try await reader.nextResponse()
                #expect(pong.requestID == 3)
            }
        }
    }

    @Test("stall: data stops while TCP stays open; with heartbeats only heartbeats arrive")
    func stall() async throws {
        try await SimulatorHarness.run(tickMilliseconds: 5) { harness in
            try await harness.session { reader in
                try await reader.send(Self.subscribeTrades)
                _ = try await reader.nextV2 { message -> Bool? in if case .trade = message { return true }; return nil }
                try await harness.fault(#"{"kind":"stall","heartbeats":true}"#)
                let stalledAt = Self.wallClockNanoseconds()
                // Frames sent before the stall may still be queued in the client; none may be newer.
                var heartbeats = 0
                while heartbeats < 2 {
                    switch try await reader.nextV2() {
                    case .heartbeat: heartbeats += 1
                    case .trade(let message): #expect(message.trades.allSatisfy { $0.timestampNs < stalledAt })
                    default: break
                    }
                }
                #expect(try await harness.control(.GET, "/state").json["connections"] as? Int == 1)
            }
            try await harness.session { reader in
                try await reader.send(Self.subscribeTrades)
                _ = try await reader.nextV2 { message -> Bool? in if case .trade = message { return true }; return nil }
                try await harness.fault(#"{"kind":"stall","heartbeats":false}"#)
                let stalledAt = Self.wallClockNanoseconds()
                try await reader.send(#"{"method":"ping","req_id":9}"#)
                for message in await reader.collect(for: .milliseconds(1_500)) {
                    guard case .trade(let trades) = message else { Issue.record("a silent stall sent \(message)"); continue }
                    #expect(trades.trades.allSatisfy { $0.timestampNs < stalledAt })
                }
            }
        }
    }

    private static func wallClockNanoseconds() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1_000_000_000)
    }

    @Test("corrupt_checksum: exactly the next book update of that symbol fails verification")
    func corruptChecksum() async throws {
        try await SimulatorHarness.run(tickMilliseconds: 5) { harness in
            try await harness.session { reader in
                try await reader.send(#"{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD","ETH/USD"],"depth":10}}"#)
                var books: [String: L2Book] = [:]
                var mismatches: [String] = []
                var verified = 0
                var injected = false
                var verifiedAtMismatch: Int?
                // Until 50 updates after the corrupted one (the reader may lag behind a loaded
                // machine, so the frames right after the injection can predate it).
                while verified < 50_000, verifiedAtMismatch.map({ verified < $0 + 50 }) ?? true {
                    guard case .book(let message) = try await reader.nextV2() else { continue }
                    let pair = try #require(SimulatedPair.defaults.first { $0.symbol == message.symbol })
                    var book = books[message.symbol] ?? L2Book(depth: 10, priceScale: pair.priceScale, quantityScale: pair.quantityScale)
                    if message.kind == .snapshot { book.removeAll() }
                    for level in message.bids { book.apply(try book.level(price: level.price, quantity: level.quantity), side: .bid) }
                    for level in message.asks { book.apply(try book.level(price: level.price, quantity: level.quantity), side: .ask) }
                    book.truncate()
                    if book.verify(checksum: message.checksum) != .match {
                        mismatches.append(message.symbol)
                        verifiedAtMismatch = verifiedAtMismatch ?? verified
                    }
                    books[message.symbol] = book
                    verified += 1
                    if verified == 20, !injected {
                        try await harness.fault(#"{"kind":"corrupt_checksum","symbol":"ETH/USD","count":1}"#)
                        injected = true
                    }
                }
                #expect(mismatches == ["ETH/USD"])
                #expect(try await harness.counter("checksums_corrupted") == 1)
            }
        }
    }

    @Test("malformed_json: the client receives a frame its parser rejects, then normal frames")
    func malformedJSON() async throws {
        try await SimulatorHarness.run { harness in
            try await harness.session { reader in
                _ = try await reader.nextV2()
                try await harness.fault(#"{"kind":"malformed_json"}"#)
                let bytes = try await reader.nextText()
                #expect(throws: WireError.self) { try bytes.withUnsafeBytes { try V2Message(frame: $0) } }
                try await reader.send(#"{"method":"ping","req_id":1}"#)
                let pong = try await reader.nextResponse()
                #expect(pong.requestID == 1)
            }
        }
    }

    @Test("oversized_frame: a frame of the requested size; a client with a smaller limit loses the connection")
    func oversizedFrame() async throws {
        try await SimulatorHarness.run { harness in
            try await harness.session { reader in
                _ = try await reader.nextV2()
                try await harness.fault(#"{"kind":"oversized_frame","bytes":300000}"#)
                #expect(try await reader.nextText().count == 300_000)
            }
            try await harness.session(maxFrameSize: 1 << 16) { reader in
                _ = try await reader.nextV2()
                try await harness.fault(#"{"kind":"oversized_frame","bytes":300000}"#)
                // The frame never arrives: the client's decoder refuses it and the connection ends.
                let clock = ContinuousClock()
                let start = clock.now
                let end = await reader.drain()
                #expect(clock.now - start < .seconds(10))
                #expect(end == nil || end == .closed(code: 1009))
            }
        }
    }

    @Test("status: maintenance is pushed to v1 and v2 clients, the market stops, online resumes it")
    func status() async throws {
        try await SimulatorHarness.run(tickMilliseconds: 5) { harness in
            try await harness.session(path: "/") { v1 in
                try await harness.session { reader in
                    _ = try await reader.nextV2()
                    _ = try await v1.nextV1()
                    try await harness.fault(#"{"kind":"status","status":"maintenance"}"#)
                    let status = try await reader.nextStatus()
                    #expect(status.system == .maintenance)
                    let v1Status = try await v1.nextV1 { message -> V1SystemStatus? in if case .systemStatus(let status) = message { return status }; return nil }
                    #expect(v1Status.status == .maintenance)
                    let tick = try await harness.control(.GET, "/state").json["tick"] as? Int
                    try await Task.sleep(for: .milliseconds(100))
                    #expect(try await harness.control(.GET, "/state").json["tick"] as? Int == tick)
                    try await harness.fault(#"{"kind":"status","status":"online"}"#)
                    let online = try await reader.nextStatus()
                    #expect(online.system == .online)
                }
            }
        }
    }

    @Test("rate_limit: the next request is answered with Exceeded msg rate and the connection closes")
    func rateLimit() async throws {
        try await SimulatorHarness.run { harness in
            try await harness.session { reader in
                _ = try await reader.nextV2()
                try await harness.fault(#"{"kind":"rate_limit","count":1}"#)
                try await reader.send(Self.subscribeTrades)
                let error = try await reader.nextResponse()
                #expect(error.success == false && error.error == "Exceeded msg rate" && error.method == .subscribe)
                let clock = ContinuousClock()
                let start = clock.now
                _ = await reader.drain()
                #expect(clock.now - start < .seconds(10), "the connection closes right after the error")
            }
            try await harness.session(path: "/") { reader in
                _ = try await reader.nextV1()
                try await harness.fault(#"{"kind":"rate_limit"}"#)
                try await reader.send(#"{"event":"ping","reqid":4}"#)
                #expect(try await reader.nextV1() == .error(message: "Exceeded msg rate", requestID: 4))
            }
        }
    }

    @Test("reject_tokens: a valid token is refused once with ESession:Invalid session, then accepted")
    func rejectTokens() async throws {
        try await SimulatorHarness.run { harness in
            let token = try await harness.token()
            try await harness.session(private: true) { reader in
                _ = try await reader.nextV2()
                try await harness.fault(#"{"kind":"reject_tokens","count":1}"#)
                let request = #"{"method":"subscribe","params":{"channel":"executions","token":"\#(token)"}}"#
                try await reader.send(request)
                let refused = try await reader.nextResponse()
                #expect(refused.success == false && refused.error == "ESession:Invalid session")
                try await reader.send(request)
                let accepted = try await reader.nextResponse()
                #expect(accepted.success == true)
            }
        }
    }

    @Test("latency: every frame is delayed by the injected time until it is set back to 0")
    func latency() async throws {
        try await SimulatorHarness.run(tickMilliseconds: 3_600_000) { harness in
            try await harness.session { reader in
                _ = try await reader.nextV2()
                // The delayed answer can never come sooner than the latency (exact lower
                // bound). Back at 0, the answer must beat that latency; the best of three
                // pings is measured so one stall of a loaded machine cannot fail it.
                try await harness.fault(#"{"kind":"latency","milliseconds":1000}"#)
                let clock = ContinuousClock()
                let start = clock.now
                try await reader.send(#"{"method":"ping","req_id":1}"#)
                _ = try await reader.nextResponse()
                #expect(clock.now - start >= .milliseconds(1_000))
                try await harness.fault(#"{"kind":"latency","milliseconds":0}"#)
                var fastest = Duration.seconds(3_600)
                for requestID in 2...4 {
                    let sent = clock.now
                    try await reader.send(#"{"method":"ping","req_id":\#(requestID)}"#)
                    _ = try await reader.nextResponse()
                    fastest = min(fastest, clock.now - sent)
                }
                #expect(fastest < .milliseconds(1_000), "an answer took \(fastest) without latency")
            }
        }
    }

    @Test("unknown fault kinds and bad fields are refused with a message naming the problem")
    func refusedFaults() async throws {
        try await SimulatorHarness.run { harness in
            let unknown = try await harness.control(.POST, "/faults", body: #"{"kind":"meteor"}"#)
            #expect(unknown.status == 400)
            #expect((unknown.json["error"] as? String)?.hasPrefix("unknown fault kind 'meteor'") == true)
            let status = try await harness.control(.POST, "/faults", body: #"{"kind":"status","status":"asleep"}"#)
            #expect(status.status == 400)
            let notJSON = try await harness.control(.POST, "/faults", body: "disconnect")
            #expect(notJSON.status == 400)
        }
    }
}

extension FrameReader {
    /// Reads until the connection ends; returns the closing event (nil when the stream just ended).
    mutating func drain() async -> WebSocketClient.Event? {
        while let event = await nextEvent() {
            if case .closed = event { return event }
        }
        return nil
    }

    /// Every parsable v2 message that arrives within `duration`.
    mutating func collect(for duration: Duration) async -> [V2Message] {
        let client = self.client
        let timer = Task {
            try await Task.sleep(for: duration)
            await client.close()
        }
        var messages: [V2Message] = []
        while let event = await nextEvent() {
            if case .text(let bytes) = event, let message = try? bytes.withUnsafeBytes({ try V2Message(frame: $0) }) {
                messages.append(message)
            }
        }
        timer.cancel()
        return messages
    }
}
