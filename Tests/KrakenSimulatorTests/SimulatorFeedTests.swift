import KrakenCapture
import Foundation
import KrakenSimulator
import KrakenSimulatorServer
import KrakenWire
import OrderBook
import Testing

/// The public listener's replay and throughput feeds, read by a plain WebSocket client.
@Suite struct SimulatorFeedTests {
    private static func capture(count: Int, spacingMs: Int64) -> [CapturedFrame] {
        (0..<count).map { index in
            CapturedFrame(timestampNs: 1_764_547_200_000_000_000 + Int64(index) * spacingMs * 1_000_000,
                          text: Array(#"{"channel":"heartbeat","n":\#(index)}"#.utf8))
        }
    }

    @Test func replayAsFastAsPossibleSendsEveryFrameInOrderAndCountsIgnoredRequests() async throws {
        let frames = Self.capture(count: 2_000, spacingMs: 1_000)
        try await SimulatorHarness.run(configure: { $0.publicFeed = .replay(ReplayPlan(frames: frames, speed: nil)) }) { harness in
            try await harness.session { reader in
                try await reader.send(#"{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"]}}"#)
                let started = ContinuousClock.now
                for frame in frames {
                    let text = try await reader.nextText()
                    #expect(text == frame.text)
                }
                // 2,000 s of recorded time went out at once.
                #expect(ContinuousClock.now - started < .seconds(20))
                #expect(try await harness.counter("replay_frames_sent") == 2_000)
                #expect(try await harness.counter("replay_requests_ignored") == 1)
            }
        }
    }

    @Test func replayAnswersApplicationPingsAsKrakenDoesBetweenRecordedFrames() async throws {
        // Frames a second apart at speed 1: the pongs arrive long before the second frame.
        let frames = Self.capture(count: 2, spacingMs: 60_000)
        try await SimulatorHarness.run(configure: { $0.publicFeed = .replay(ReplayPlan(frames: frames, speed: 1)) }) { harness in
            try await harness.session { reader in
                #expect(try await reader.nextText() == frames[0].text)
                try await reader.send(#"{"event":"ping","reqid":42}"#)
                #expect(try await reader.nextText() == Array(#"{"event":"pong","reqid":42}"#.utf8))
                try await reader.send(#"{"method":"ping","req_id":7}"#)
                let pong = String(decoding: try await reader.nextText(), as: UTF8.self)
                #expect(pong.hasPrefix(#"{"method":"pong","req_id":7,"time_in":""#), "\(pong)")
                #expect(try await harness.counter("replay_pings_answered") == 2)
                #expect(try await harness.counter("replay_requests_ignored") == 0)
            }
        }
    }

    @Test func replayKeepsTheRecordedSpacingScaledBySpeed() async throws {
        // Speed 1: 900 ms recorded. Speed 3: 4.5 s recorded, due within 1.5 s.
        for (speed, spacingMs) in [(1.0, Int64(300)), (3.0, Int64(1_500))] {
            let frames = Self.capture(count: 4, spacingMs: spacingMs)
            let recorded = Duration.milliseconds(3 * spacingMs)
            let scaled = Duration.milliseconds(Int64(Double(3 * spacingMs) / speed))
            try await SimulatorHarness.run(configure: { $0.publicFeed = .replay(ReplayPlan(frames: frames, speed: speed)) }) { harness in
                // Measured from before connecting: the frames are due from the connection's start,
                // so the last one can never arrive before the recorded time ÷ speed, however
                // slow the client.
                let started = ContinuousClock.now
                try await harness.session { reader in
                    for frame in frames {
                        let text = try await reader.nextText()
                        #expect(text == frame.text)
                    }
                    let elapsed = started.duration(to: .now)
                    // Lower bound: exact up to the 5 ms allowed between NIO's clock and this one.
                    #expect(elapsed >= scaled - .milliseconds(5), "speed \(speed): \(elapsed)")
                    // Upper bounds generous enough for a loaded 2-core machine, which can stall
                    // either side for hundreds of ms: at speed 1, 10 s over; at speed 3, under
                    // the recorded time (3 s of slack), so an ignored speed still fails.
                    if speed == 1 {
                        #expect(elapsed < recorded + .seconds(10), "speed \(speed): \(elapsed)")
                    } else {
                        #expect(elapsed < recorded, "speed \(speed): \(elapsed), the speed was not applied")
                    }
                }
            }
        }
    }

    @Test func replayServesTheSameCaptureToEveryConnectionFromTheStart() async throws {
        let frames = Self.capture(count: 50, spacingMs: 1)
        try await SimulatorHarness.run(configure: { $0.publicFeed = .replay(ReplayPlan(frames: frames, speed: nil)) }) { harness in
            for _ in 0..<2 {
                try await harness.session(path: "/") { reader in
                    for frame in frames {
                    let text = try await reader.nextText()
                    #expect(text == frame.text)
                }
                }
            }
        }
    }

    @Test func throughputSendsStatusAcksThenExactlyTheLimitWithValidChecksums() async throws {
        let pairs = Array(SimulatedPair.defaults.prefix(2))
        let stream = ThroughputStream(pairs: pairs, seed: 5, steps: 200)
        let limit = stream.messages.count * 2 + 37
        try await SimulatorHarness.run(configure: {
            $0.pairs = pairs
            $0.publicFeed = .throughput(ThroughputPlan(stream: stream, messageLimit: limit))
        }) { harness in
            try await harness.session { reader in
                let status = try await reader.nextStatus()
                #expect(status.system == .online)
                try await reader.send(#"{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD","ETH/USD"],"depth":10},"req_id":4}"#)
                for symbol in ["BTC/USD", "ETH/USD"] {
                    let ack = try await reader.nextResponse()
                    #expect(ack.method == .subscribe)
                    #expect(ack.success == true)
                    #expect(ack.requestID == 4)
                    guard case .subscription(let subscription) = ack.result else {
                        Issue.record("ack without a subscription result: \(ack)")
                        continue
                    }
                    #expect(subscription.symbol == symbol)
                    #expect(subscription.depth == 10)
                }
                var books = ClientBooks(pairs: pairs)
                for index in 0..<limit {
                    let text = try await reader.nextText()
                    #expect(text == stream.messages[index % stream.messages.count])
                    let message = try text.withUnsafeBytes { try V2Message(frame: $0) }
                    guard case .book(let update) = message else { continue }
                    #expect(try books.apply(update) == .match)
                }
                // Nothing after the limit: the next frame is the answer to this ping.
                try await reader.send(#"{"method":"ping","req_id":9}"#)
                let pong = try await reader.nextResponse()
                #expect(pong.method == .pong)
                #expect(pong.requestID == 9)
                #expect(try await harness.counter("throughput_messages_sent") == UInt64(limit))
            }
        }
    }

    @Test func throughputAnswersTheInstrumentSnapshotAndStreamsOnlyOnceMarketDataIsAsked() async throws {
        let pairs = Array(SimulatedPair.defaults.prefix(2))
        let stream = ThroughputStream(pairs: pairs, seed: 5, steps: 50)
        try await SimulatorHarness.run(configure: {
            $0.pairs = pairs
            $0.publicFeed = .throughput(ThroughputPlan(stream: stream, messageLimit: 10))
        }) { harness in
            try await harness.session { reader in
                _ = try await reader.nextStatus()
                try await reader.send(#"{"method":"subscribe","params":{"channel":"instrument"},"req_id":1}"#)
                let ack = try await reader.nextResponse()
                #expect(ack.requestID == 1)
                guard case .instrument(let instrument) = try await reader.nextV2() else {
                    Issue.record("expected the instrument snapshot")
                    return
                }
                #expect(instrument.pairs.map(\.symbol) == pairs.map(\.symbol))
                // Nothing streams yet: the next frame answers this ping.
                try await reader.send(#"{"method":"ping","req_id":2}"#)
                #expect(try await reader.nextResponse().requestID == 2)
                try await reader.send(#"{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"]},"req_id":3}"#)
                #expect(try await reader.nextResponse().requestID == 3)
                let first = try await reader.nextText()
                #expect(first == stream.messages[0])
            }
        }
    }
}
