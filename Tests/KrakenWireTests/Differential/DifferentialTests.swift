import FixedPoint
import Foundation
@testable import KrakenWire
import Testing

/// The acceptance test of the wire parsers: for generated messages of every kind, the
/// scanner's result equals what a slow Foundation-based decoder derives from the same bytes,
/// and every decimal keeps exactly the digits the frame was written with.
@Suite("Differential: the scanner agrees with a Foundation decoder")
struct DifferentialTests {
    static let framesPerKind = 2_000

    @Test("every generated v2 frame parses to what Foundation's JSONDecoder derives from the same bytes",
          arguments: V2Kind.allCases)
    func v2Frames(kind: V2Kind) {
        let seedBase = 0x2000_0000_0000_0000 | UInt64(V2Kind.allCases.firstIndex(of: kind)!) << 32
        Differential.check(
            kind: kind.description, caseName: kind.rawValue, carriesDecimals: kind.carriesDecimals,
            referenceKeepsDigits: false, seedBase: seedBase, count: Self.framesPerKind,
            generate: { builder, variant in builder.v2Frame(kind, variant: variant) },
            scan: { (frame) throws(WireError) in try V2Message(frame: frame) },
            reference: V2Reference.message)
    }

    @Test("every generated v1 frame parses to what Foundation's JSONDecoder derives from the same bytes",
          arguments: V1Kind.allCases)
    func v1Frames(kind: V1Kind) {
        let seedBase = 0x1000_0000_0000_0000 | UInt64(V1Kind.allCases.firstIndex(of: kind)!) << 32
        Differential.check(
            kind: kind.description, caseName: kind.rawValue, carriesDecimals: kind.carriesDecimals,
            referenceKeepsDigits: true, seedBase: seedBase, count: Self.framesPerKind,
            generate: { builder, variant in builder.v1Frame(kind, variant: variant) },
            scan: { (frame) throws(WireError) in try V1Message(frame: frame) },
            reference: V1Reference.message)
    }

    @Test("the canonical text compares numbers, not their written digits")
    func canonicalComparesNumbers() {
        let written = PriceLevel(price: FixedDecimal(mantissa: 400, scale: 1), quantity: FixedDecimal(mantissa: 500, scale: 5))
        let normalised = PriceLevel(price: FixedDecimal(mantissa: 40, scale: 0), quantity: FixedDecimal(mantissa: 5, scale: 3))
        let different = PriceLevel(price: FixedDecimal(mantissa: 40, scale: 0), quantity: FixedDecimal(mantissa: 5, scale: 2))
        #expect(Canonical.text(written) == Canonical.text(normalised))
        #expect(Canonical.text(written) != Canonical.text(different))
        #expect(Canonical.text(V1Message.heartbeat) != Canonical.text(V1Message.pong(requestID: nil)))
        #expect(Canonical.exactDigits(Canonical(written).decimals) == ["400/1", "500/5"])
    }

    @Test("the Foundation reference reads Kraken's documented examples to the known values")
    func referenceReadsDocumentedExamples() throws {
        let trade = #"{"channel":"trade","type":"update","data":[{"symbol":"MATIC/USD","side":"sell","price":0.5117,"qty":40.0,"ord_type":"market","trade_id":4665906,"timestamp":"2023-09-25T07:49:37.708706Z"}]}"#
        let expectedTrade = V2Message.trade(V2TradeMessage(kind: .update, trades: [KrakenTrade(
            symbol: "MATIC/USD", side: .sell, price: FixedDecimal(mantissa: 5_117, scale: 4),
            quantity: FixedDecimal(mantissa: 40, scale: 0), orderType: .market, tradeID: 4_665_906,
            timestampNs: 1_695_628_177_708_706_000)]))
        #expect(Canonical.text(try V2Reference.message(JSONValue.decode(Array(trade.utf8)))) == Canonical.text(expectedTrade))

        let status = #"{"connectionID":18239578009413566319,"event":"systemStatus","status":"online","version":"1.9.1"}"#
        let expectedStatus = V1Message.systemStatus(
            V1SystemStatus(status: .online, version: "1.9.1", connectionID: 18_239_578_009_413_566_319))
        #expect(Canonical.text(try V1Reference.message(JSONValue.decode(Array(status.utf8)))) == Canonical.text(expectedStatus))

        #expect(try Reference.nanoseconds(rfc3339: "2023-09-25T09:49:37.708706123+02:00") == 1_695_628_177_708_706_123)
        #expect(try Reference.nanoseconds(epoch: .string("1534614248.456738"), "time") == 1_534_614_248_456_738_000)
        #expect(try Reference.fixed(.number(Decimal(string: "1e-08")!), "qty_increment") == FixedDecimal(mantissa: 1, scale: 8))
        #expect(try Reference.fixed(.number(Decimal(string: "40.0")!), "qty") == FixedDecimal(mantissa: 40, scale: 0))
        #expect(try Reference.fixed(.string("5541.30000"), "price") == FixedDecimal(mantissa: 554_130_000, scale: 5))
        #expect(try Reference.fixed(.string("-0.00"), "change") == FixedDecimal(mantissa: 0, scale: 2))
    }

    @Test("generated timestamps and exponent numbers mean what the generator intended")
    func generatorWritesWhatItMeans() throws {
        var builder = FrameBuilder(seed: 7)
        for _ in 0..<200 {
            let value = builder.decimal(integerDigits: 0...6, scale: 0...12, negative: 0.5)
            let text = builder.exponentText(value)
            #expect(try Reference.fixed(.number(Decimal(string: text)!), text).isNumericallyEqual(to: value), "\(text)")
        }
        func date(_ days: Int) -> String {
            let (year, month, day) = FrameBuilder.civil(daysSinceEpoch: days)
            return "\(year)-\(month)-\(day)"
        }
        #expect(date(0) == "1970-1-1")
        #expect(date(19_625) == "2023-9-25")
        #expect(date(19_782) == "2024-2-29")
    }
}

/// Runs one kind of generated frame through the scanner and the Foundation reference.
enum Differential {
    /// Failures reported in full per kind; the rest are counted.
    static let reportedFailures = 5

    /// Generates `count` frames of one kind from consecutive seeds and, for each, checks that
    /// - the scanner and the Foundation reference both accept it, as the kind it was made as;
    /// - their results have the same canonical text (numbers compared as numbers);
    /// - the scanner kept every decimal with exactly the digits the generator wrote.
    /// When the reference reads decimals with their written digits (v1 sends them as strings)
    /// and the two results are equal as values, all three hold at once and the texts are skipped.
    static func check<Message: Equatable>(
        kind: String, caseName: String, carriesDecimals: Bool, referenceKeepsDigits: Bool, seedBase: UInt64, count: Int,
        generate: (inout FrameBuilder, Int) -> GeneratedJSON,
        scan: (UnsafeRawBufferPointer) throws(WireError) -> Message,
        reference: (JSONValue) throws -> Message
    ) {
        var failures = 0
        var checkedDecimals = 0
        func fail(_ frame: GeneratedFrame, index: Int, _ problem: String) {
            failures += 1
            guard failures <= reportedFailures else { return }
            Issue.record(
                """
                \(kind) frame #\(index) (seed \(String(frame.seed, radix: 16))): \(problem)
                frame: \(frame.text)
                """)
        }
        for index in 0..<count {
            let seed = seedBase + UInt64(index)
            var builder = FrameBuilder(seed: seed)
            let json = generate(&builder, index)
            let frame = builder.finish(json, seed: seed)
            let bytes = Array(frame.text.utf8)
            let scanned: Message
            do {
                scanned = try bytes.withUnsafeBytes { raw in
                    Result { () throws(WireError) -> Message in try scan(raw) }
                }.get()
            } catch {
                fail(frame, index: index, "the scanner refused it: \(error)")
                continue
            }
            let expected: Message
            do {
                expected = try reference(JSONValue.decode(bytes))
            } catch {
                fail(frame, index: index, "the Foundation reference refused it: \(error)")
                continue
            }
            checkedDecimals += frame.kept.count
            if Canonical.caseName(scanned) != caseName {
                fail(frame, index: index, "parsed as \(Canonical.caseName(scanned)), generated as \(caseName)")
                continue
            }
            if referenceKeepsDigits, scanned == expected {
                // Equal down to every digit, so the canonical texts are equal too, and the
                // digits kept are those written (the reference took them from the frame's text).
                continue
            }
            let scannedCanonical = Canonical(scanned)
            let expectedText = Canonical.text(expected)
            if scannedCanonical.text != expectedText {
                fail(frame, index: index, "scanner and Foundation disagree\nscanner:    \(scannedCanonical.text)\nfoundation: \(expectedText)")
                continue
            }
            let digitsKept = Canonical.exactDigits(scannedCanonical.decimals)
            let digitsWritten = Canonical.exactDigits(frame.kept)
            if digitsKept != digitsWritten {
                fail(frame, index: index, "decimals not kept as written\nkept:    \(digitsKept)\nwritten: \(digitsWritten)")
            }
        }
        #expect(failures == 0, "\(failures) of \(count) \(kind) frames failed")
        if carriesDecimals {
            #expect(checkedDecimals > count, "\(kind) frames carried only \(checkedDecimals) decimals to check")
        }
    }
}
