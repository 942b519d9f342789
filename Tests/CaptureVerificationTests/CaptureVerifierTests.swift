import CaptureVerification
import Foundation
import KrakenCapture
import KrakenSimulator
import KrakenWire
import Testing

@Suite("verifying a capture with the bridge's own parsers and books")
struct CaptureVerifierTests {
    typealias Location = CaptureVerificationReport.Location

    @Test("v2 recording of BTC/USD and ETH/USD at depth 10: every snapshot and update verifies")
    func v2Recording() throws {
        let stream = CaptureFixtures.v2(pairs: [CaptureFixtures.btc, CaptureFixtures.eth], depth: 10, steps: 200)
        let capture = CaptureFixtures.recording(protocol: "v2", pairs: ["BTC/USD", "ETH/USD"], depth: 10, frames: stream.frames)

        let report = try CaptureVerifier.verify(capture)

        #expect(report.format == .recording)
        #expect(report.protocolVersion == "v2")
        #expect(report.frames == stream.frames.count)
        #expect(report.bookMessages == 2 + stream.updates.count)
        #expect(report.otherMessages == 3, "the instrument snapshot and two acks")
        #expect(report.unparsable == 0)
        #expect(report.books.map(\.symbol) == ["BTC/USD", "ETH/USD"])
        for book in report.books {
            let updates = stream.updates(of: book.symbol).count
            #expect(updates > 100)
            #expect(book.v1Name == nil)
            #expect(book.depth == 10)
            #expect(book.messages == 1 + updates)
            #expect(book.snapshots == 1)
            #expect(book.updates == updates)
            #expect(book.verified == 1 + updates, "v2 snapshots carry a checksum too")
            #expect(book.mismatches == 0)
            #expect(book.ignoredBeforeSnapshot == 0)
            #expect(book.ignoredAfterMismatch == 0)
            #expect(book.firstMismatch == nil)
        }
        #expect(report.verified == 2 + stream.updates.count)
        #expect(report.passed)
    }

    @Test("v1 recording of XBT/USD (five-decimal strings) verifies with the digits as received", arguments: [10, 100])
    func v1Recording(depth: Int) throws {
        let stream = CaptureFixtures.v1(depth: depth, steps: 300)
        let capture = CaptureFixtures.recording(
            protocol: "v1", pairs: ["BTC/USD"], depth: depth, before: [CaptureFixtures.assetPairs(SimulatedPair.defaults)],
            frames: stream.frames)

        let report = try CaptureVerifier.verify(capture)

        #expect(report.protocolVersion == "v1")
        #expect(report.notes == [])
        #expect(report.unparsable == 0)
        #expect(report.otherMessages == 2, "system status and subscription status")
        let book = try #require(report.books.first)
        #expect(report.books.count == 1)
        #expect(book.symbol == "BTC/USD")
        #expect(book.v1Name == "XBT/USD")
        #expect(book.depth == depth)
        #expect(book.messages == 1 + stream.updates.count)
        #expect(book.snapshots == 1)
        #expect(book.updates == stream.updates.count)
        #expect(book.verified == stream.updates.count, "a v1 snapshot has no checksum")
        #expect(book.mismatches == 0)
        #expect(report.passed)
    }

    @Test("one altered v1 checksum: one mismatch naming its frame, both checksums, the text of the computed one; the rest ignored")
    func v1AlteredChecksum() throws {
        let altered = 40
        let stream = CaptureFixtures.v1(depth: 10, steps: 300, corrupting: altered)
        let truth = stream.updates[altered]
        let capture = CaptureFixtures.recording(
            protocol: "v1", pairs: ["BTC/USD"], depth: 10, before: [CaptureFixtures.assetPairs(SimulatedPair.defaults)],
            frames: stream.frames)

        let report = try CaptureVerifier.verify(capture)

        let book = try #require(report.books.first)
        #expect(book.mismatches == 1)
        #expect(book.verified == altered)
        #expect(book.ignoredAfterMismatch == stream.updates.count - altered - 1, "no snapshot follows: every later update is ignored")
        #expect(book.ignoredBeforeSnapshot == 0)
        let mismatch = try #require(book.firstMismatch)
        // Received frames are numbered from 1; the header and the AssetPairs answer take lines 1 and 2.
        #expect(mismatch.location == Location(frame: truth.frame + 1, line: truth.frame + 3))
        #expect(mismatch.expected == truth.checksum &+ 1)
        #expect(mismatch.computed == truth.checksum)
        #expect(WireChecksum.crc32(Array(mismatch.text.utf8)) == truth.checksum)
        #expect(mismatch.text == truth.text)
        #expect(!report.passed)
        #expect(report.mismatches == 1)
    }

    @Test("plain `<timestamp> <frame>` captures: the protocol is read from the frames, v2 depth from the acks",
          arguments: ["v1", "v2"])
    func plainCapture(version: String) throws {
        let stream = version == "v1"
            ? CaptureFixtures.v1(depth: 25, steps: 200)
            : CaptureFixtures.v2(pairs: [CaptureFixtures.btc], depth: 25, steps: 200)

        let report = try CaptureVerifier.verify(CaptureFixtures.plain(stream.frames))

        #expect(report.format == .plain)
        #expect(report.protocolVersion == version)
        #expect(report.frames == stream.frames.count)
        let book = try #require(report.books.first)
        #expect(book.symbol == "BTC/USD")
        #expect(book.depth == 25, "a book kept at Kraken's default 10 would lose the levels that move up into the top 10")
        #expect(book.updates == stream.updates.count)
        #expect(book.verified == stream.updates.count + (version == "v2" ? 1 : 0))
        #expect(book.mismatches == 0)
        // Without AssetPairs, v1 names are mapped by rule.
        #expect(report.notes.count == (version == "v1" ? 1 : 0))
        #expect(report.passed)
    }

    @Test("a frame that does not parse is counted and named; every other frame is still verified")
    func unparsableFrame() throws {
        var stream = CaptureFixtures.v2(pairs: [CaptureFixtures.btc], depth: 10, steps: 100)
        let broken = Array(#"{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":"x"}]}]}"#.utf8)
        let position = stream.updates[10].frame
        stream.frames.insert(broken, at: position)
        let expectedError = try #require(broken.withUnsafeBytes { bytes -> WireError? in
            do throws(WireError) { _ = try V2Message(frame: bytes) } catch { return error }
            return nil
        })

        let report = try CaptureVerifier.verify(CaptureFixtures.plain(stream.frames))

        #expect(report.unparsable == 1)
        let failure = try #require(report.firstParseFailure)
        #expect(failure.location == Location(frame: position + 1, line: position + 3))
        #expect(failure.error == expectedError.description)
        #expect(failure.excerpt == String(decoding: broken, as: UTF8.self))
        let book = try #require(report.books.first)
        #expect(book.updates == stream.updates.count)
        #expect(book.verified == 1 + stream.updates.count)
        #expect(book.mismatches == 0)
        #expect(!report.passed, "an unparsable frame fails the verification")
    }

    @Test("a v2 level with more decimals than the instrument allows is refused, named and explained")
    func invalidLevel() throws {
        var stream = CaptureFixtures.v2(pairs: [CaptureFixtures.btc], depth: 10, steps: 50)
        let bad = Array(#"{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":65000.25,"qty":1}],"asks":[],"checksum":1,"timestamp":"2023-11-14T22:13:20.000000Z"}]}"#.utf8)
        stream.frames.append(bad)

        let report = try CaptureVerifier.verify(CaptureFixtures.recording(protocol: "v2", pairs: ["BTC/USD"], depth: 10, frames: stream.frames))

        let book = try #require(report.books.first)
        #expect(book.invalidLevels == 1)
        #expect(book.firstInvalidLevel == .init(
            location: Location(frame: stream.frames.count, line: stream.frames.count + 1),
            reason: "level 65000.25 1: 65000.25 has more than 1 fractional digits"))
        #expect(book.mismatches == 0)
        #expect(!report.passed)
    }

    @Test("v2 books without an instrument message cannot be kept: counted as without a precision, not passed")
    func v2WithoutInstrument() throws {
        let stream = CaptureFixtures.v2(pairs: [CaptureFixtures.btc], depth: 10, steps: 20)
        let frames = Array(stream.frames.dropFirst())

        let report = try CaptureVerifier.verify(CaptureFixtures.recording(protocol: "v2", pairs: ["BTC/USD"], depth: 10, frames: frames))

        let book = try #require(report.books.first)
        #expect(book.withoutPrecision == book.messages)
        #expect(book.verified == 0)
        #expect(!report.passed)
    }

    @Test("v2 depth comes from the sent subscribe when the header has none")
    func v2DepthFromSentRequest() throws {
        // The acks say 10 here, the request 25: the request wins, and the book verifies.
        let stream = CaptureFixtures.v2(pairs: [CaptureFixtures.btc], depth: 25, steps: 100)
        let acks = stream.frames.map { String(decoding: $0, as: UTF8.self).replacingOccurrences(of: #""depth":25"#, with: #""depth":10"#) }
        let request = Array(#"{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":25,"snapshot":true},"req_id":2}"#.utf8)

        let report = try CaptureVerifier.verify(CaptureFixtures.recording(
            protocol: "v2", pairs: ["BTC/USD"], depth: nil,
            before: [.init(timestampNs: CaptureFixtures.startNs, direction: .sent, text: request)], frames: acks.map { Array($0.utf8) }))

        let book = try #require(report.books.first)
        #expect(book.depth == 25)
        #expect(book.mismatches == 0)
        #expect(book.verified == 1 + stream.updates.count)
    }

    @Test("a book kept at the wrong depth fails where a level from below the kept depth should move into the top ten")
    func wrongDepth() throws {
        // Kraken sent depth 25; a header saying 10 makes the bridge keep (and truncate to) 10.
        let stream = CaptureFixtures.v2(pairs: [CaptureFixtures.btc], depth: 25, steps: 100)

        let report = try CaptureVerifier.verify(CaptureFixtures.recording(protocol: "v2", pairs: ["BTC/USD"], depth: 10, frames: stream.frames))

        let book = try #require(report.books.first)
        #expect(book.depth == 10)
        #expect(book.mismatches == 1)
        let mismatch = try #require(book.firstMismatch)
        let update = try #require(stream.updates.first { $0.frame + 1 == mismatch.location.frame })
        #expect(mismatch.expected == update.checksum)
        #expect(mismatch.computed != update.checksum)
        #expect(WireChecksum.crc32(Array(mismatch.text.utf8)) == mismatch.computed)
        #expect(book.verified + 1 + book.ignoredAfterMismatch == book.messages)
        let verifiedUpdates = try #require(stream.updates.firstIndex { $0.frame == update.frame })
        #expect(book.verified == 1 + verifiedUpdates)
    }

    @Test("a file that is neither format is an error naming the line")
    func unreadableCapture() {
        #expect(throws: CaptureError(line: 1, reason: "expected `<timestamp> <frame>`")) {
            try CaptureVerifier.verify(Array("garbage\n".utf8))
        }
    }
}
