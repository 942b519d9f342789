import SwiftProtobuf
import Testing
import WireFormat

@Suite("bus frames")
struct BusFrameTests {
    func header(sequence: UInt64 = 1) -> FrameHeader {
        FrameHeader(messageType: 0, publisherEpoch: 99, sequence: sequence, exchangeTimestampNs: 1, receiveTimestampNs: 2, publishTimestampNs: 3)
    }

    func trade() -> KBTrade {
        var trade = KBTrade()
        trade.symbol = "BTC/USD"
        trade.tradeID = 123_456
        trade.price = KBDecimal(mantissa: 6_543_210, scale: 1)
        trade.qty = KBDecimal(mantissa: 50_000, scale: 8)
        trade.side = .sell
        trade.ordType = .limit
        trade.timestampNs = 1_700_000_000_123_456_789
        return trade
    }

    @Test("a frame built from a message carries its type and payload length, and decodes back to it")
    func tradeRoundTrip() throws {
        let frame = try BusFrame(topic: try .trade("BTC/USD"), header: header(), message: trade())
        #expect(frame.header.messageType == 4)
        #expect(Int(frame.header.payloadLength) == frame.payload.count)
        let received = try BusFrame(frames: frame.frames)
        #expect(received == frame)
        #expect(try received.decodePayload() == .trade(trade()))
    }

    @Test("every message type of the contract round-trips through frames")
    func everyTypeRoundTrips() throws {
        var book = KBBookUpdate()
        book.symbol = "ETH/USD"
        book.depth = 10
        book.generation = 2
        book.checksum = 3_310_070_434
        book.priceScale = 2
        book.qtyScale = 8
        book.bidPrice = [300_012, 300_011]
        book.bidQty = [0, 150_000_000]
        var report = KBExecutionReport()
        report.execID = "TXID-1"
        report.orderStatus = .partiallyFilled
        report.quantityFilled = KBDecimal(mantissa: 1, scale: 3)
        var control = KBControlRequest()
        control.id = 7
        control.addPair = KBAddPairCommand()
        control.addPair.symbol = "DOGE/USD"
        var reply = KBControlReply()
        reply.error = KBControlError()
        reply.error.code = .unauthorized
        let payloads: [(Topic, any BusPayloadMessage)] = [
            (try .book("ETH/USD", depth: 10), book),
            (try .trade("BTC/USD"), trade()),
            (.executions, report),
            (.serviceHeartbeat, KBServiceHeartbeat()),
            (try Topic(["ctl"]), control),
            (try Topic(["ctl"]), reply),
        ]
        for (topic, message) in payloads {
            let frame = try makeFrame(topic: topic, message: message)
            let decoded = try BusFrame(frames: frame.frames).decodePayload()
            #expect(decoded.message?.isEqualTo(message: message) == true, "\(type(of: message))")
        }
    }

    func makeFrame<M: BusPayloadMessage>(topic: Topic, message: M) throws -> BusFrame {
        try BusFrame(topic: topic, header: header(), message: message)
    }

    @Test("a message type this reader does not know decodes as unknown, so readers can skip it")
    func unknownTypeIsSkippable() throws {
        var header = header()
        header.messageType = 4_000
        header.payloadLength = 3
        let frame = try BusFrame(frames: [Array("new:".utf8), header.bytes, [1, 2, 3]])
        #expect(try frame.decodePayload() == .unknown(messageType: 4_000))
    }

    @Test("malformed frames give typed errors, never a crash")
    func malformedFrames() throws {
        let good = try BusFrame(topic: try .trade("BTC/USD"), header: header(), message: trade()).frames
        #expect(throws: FrameDecodingError.wrongFrameCount(2)) { try BusFrame(frames: Array(good.prefix(2))) }
        #expect(throws: FrameDecodingError.wrongFrameCount(4)) { try BusFrame(frames: good + [[]]) }
        #expect(throws: FrameDecodingError.invalidTopic(.notTerminated)) { try BusFrame(frames: [Array("trade".utf8), good[1], good[2]]) }
        #expect(throws: FrameDecodingError.headerTooShort(3)) { try BusFrame(frames: [good[0], [1, 2, 3], good[2]]) }
        #expect(throws: FrameDecodingError.payloadLengthMismatch(declared: good[2].count, actual: good[2].count - 1)) {
            try BusFrame(frames: [good[0], good[1], Array(good[2].dropLast())])
        }
        // A payload that is not a valid Trade: a field tag with a truncated varint.
        var header = header()
        header.messageType = 4
        header.payloadLength = 2
        let frame = try BusFrame(frames: [good[0], header.bytes, [0x10, 0xFF]])
        #expect(throws: FrameDecodingError.self) { try frame.decodePayload() }
        do {
            _ = try frame.decodePayload()
        } catch {
            guard case .invalidPayload(messageType: 4, _) = error else {
                Issue.record("expected invalidPayload, got \(error)")
                return
            }
        }
    }

    @Test("random bytes in every frame never crash the decoder")
    func randomFramesNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        let good = try? BusFrame(topic: try .trade("BTC/USD"), header: header(), message: trade()).frames
        for _ in 0..<5_000 {
            var frames = good ?? [[], [], []]
            let target = Int.random(in: 0..<3, using: &generator)
            let length = Int.random(in: 0..<80, using: &generator)
            frames[target] = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if let frame = try? BusFrame(frames: frames) { _ = try? frame.decodePayload() }
        }
    }
}

@Suite("exact decimals")
struct DecimalTextTests {
    @Test("text keeps every digit Kraken sent, trailing zeros included", arguments: [
        ("0.05000", 5_000, 5), ("65432.1", 654_321, 1), ("-12.3400", -123_400, 4), ("7", 7, 0), ("0.00000001", 1, 8),
    ] as [(String, Int64, UInt32)])
    func parsesAndFormatsExactly(text: String, mantissa: Int64, scale: UInt32) throws {
        let decimal = try #require(KBDecimal(text: text))
        #expect(decimal.mantissa == mantissa)
        #expect(decimal.scale == scale)
        #expect(decimal.text == text)
    }

    @Test("text that is not an exactly representable number is refused", arguments: ["", "-", "5.", "1.2.3", "abc", "99999999999999999999", "0.0000000000000000001"])
    func refusesNonDecimal(text: String) {
        #expect(KBDecimal(text: text) == nil)
    }
}

@Suite("sequencing")
struct SequencerTests {
    @Test("each topic counts from 1 on its own; heartbeats read the current value")
    func perTopicSequences() throws {
        var sequencer = TopicSequencer()
        let btc = try Topic.trade("BTC/USD")
        let eth = try Topic.trade("ETH/USD")
        #expect(sequencer.current(for: btc) == 0)
        #expect(sequencer.next(for: btc) == 1)
        #expect(sequencer.next(for: btc) == 2)
        #expect(sequencer.next(for: eth) == 1)
        #expect(sequencer.current(for: btc) == 2)
    }
}
