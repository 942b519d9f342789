import Foundation
import KrakenCapture
import KrakenREST
import KrakenWire
import MarketFlow
import OrderBook
import WireFormat

/// Runs a recorded Kraken connection through the bridge's own frame parsers and book keeping,
/// offline: every received frame is parsed as the live session parses it (`V2FrameParser`,
/// `V1Message(frame:)`) and every book message is applied to a `BookKeeper` built as the live
/// session builds it, so a checksum that fails here fails the same way in the bridge.
///
/// - v2 books are padded to the precision the capture's `instrument` messages give; their
///   depth is the header's, else the one the sent `subscribe` asked for, else the
///   subscription ack's, else 10.
/// - v1 books keep each string's digits as received (AssetPairs' decimals are not used); their
///   depth is the channel's (`book-100`); pair names map to v2 symbols through the capture's
///   AssetPairs answer, or by rule (`XBT` → `BTC`) without one.
public enum CaptureVerifier {
    /// Verifies a capture in either format (`CaptureRecording` or plain `CaptureFile` lines).
    /// Throws only when the file itself cannot be read; frames that do not parse are counted.
    public static func verify(_ capture: [UInt8]) throws(CaptureError) -> CaptureVerificationReport {
        var run: Run
        if CaptureRecording.isRecording(capture) {
            let recording = try CaptureRecording.parse(capture)
            guard let version = CaptureProtocol(rawValue: recording.header.protocol) else {
                throw CaptureError(line: 1, reason: "protocol \"\(recording.header.protocol)\" is neither v1 nor v2")
            }
            let lines = LineNumbers.recordingEvents(capture)
            // `record --book-depth 0` (no books) writes depth 0: no depth to keep books at.
            run = Run(format: .recording, version: version, headerDepth: recording.header.bookDepth.flatMap { $0 > 0 ? $0 : nil })
            run.readAssetPairs(recording.events.last { $0.direction == .rest && $0.path?.hasPrefix(assetPairsPath) == true }?.text)
            for (index, event) in recording.events.enumerated() {
                let line = index < lines.count ? lines[index] : 0
                switch event.direction {
                case .received: run.receive(event.text, line: line)
                case .sent: run.sent(event.text)
                case .rest: break
                }
            }
        } else {
            let frames = try CaptureFile.parse(capture)
            let lines = LineNumbers.plainFrames(capture)
            run = Run(format: .plain, version: CaptureProtocol.inferred(from: frames), headerDepth: nil)
            run.readAssetPairs(nil)
            for (index, frame) in frames.enumerated() {
                run.receive(frame.text, line: index < lines.count ? lines[index] : 0)
            }
        }
        return run.finish()
    }

    static let assetPairsPath = "/0/public/AssetPairs"
}

enum CaptureProtocol: String {
    case v1, v2

    /// v2 frames are objects with `channel` or `method`; v1 frames are arrays or objects with
    /// `event`. The first frame that is either decides; v2 when none is.
    static func inferred(from frames: [CapturedFrame]) -> CaptureProtocol {
        for frame in frames {
            guard let first = frame.text.first(where: { !isWhitespace($0) }) else { continue }
            if first == UInt8(ascii: "[") { return .v1 }
            guard first == UInt8(ascii: "{"),
                  let object = (try? JSONSerialization.jsonObject(with: Data(frame.text))) as? [String: Any]
            else { continue }
            if object["event"] != nil { return .v1 }
            if object["channel"] != nil || object["method"] != nil { return .v2 }
        }
        return .v2
    }

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
}

/// The line each parsed entry came from, by the same skipping rules as the parsers (which do
/// not return line numbers).
enum LineNumbers {
    /// `CaptureRecording.parse`: whitespace-only lines are skipped; the first other line is the
    /// header, every later one an event.
    static func recordingEvents(_ contents: [UInt8]) -> [Int] {
        var lines: [Int] = []
        var number = 0
        var sawHeader = false
        for raw in contents.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            let line = raw.last == 0x0D ? raw.dropLast() : raw
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { continue }
            if sawHeader { lines.append(number) } else { sawHeader = true }
        }
        return lines
    }

    /// `CaptureFile.parse`: blank lines and lines starting with `#` are skipped.
    static func plainFrames(_ contents: [UInt8]) -> [Int] {
        var lines: [Int] = []
        var number = 0
        for line in contents.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            guard let first = line.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }), first != UInt8(ascii: "#") else {
                continue
            }
            lines.append(number)
        }
        // A final newline leaves an empty last piece, which is skipped above.
        return lines
    }
}

/// One pass over a capture's events.
private struct Run {
    /// A symbol's book at one depth (v1 can carry several depths of one pair).
    struct Key: Hashable {
        var symbol: String
        var depth: Int
    }

    struct Tally {
        var keeper: BookKeeper?
        var book: CaptureVerificationReport.Book
    }

    let version: CaptureProtocol
    let headerDepth: Int?
    var report: CaptureVerificationReport
    /// In order of first appearance; `indices` finds them. Mutated in place, so a keeper's book
    /// is never copied.
    var tallies: [Tally] = []
    var indices: [Key: Int] = [:]
    var v2Parser = V2FrameParser()
    var instruments = InstrumentRegistry()
    var symbolMap: SymbolMap?
    /// v2 book depths: what the sent `subscribe` asked for and what the acks confirmed, per symbol.
    var requestedDepths: [String: Int] = [:]
    var acknowledgedDepths: [String: Int] = [:]
    /// v2: the depth each symbol's book was opened with (v2 book messages do not say).
    var v2Depths: [String: Int] = [:]

    init(format: CaptureVerificationReport.Format, version: CaptureProtocol, headerDepth: Int?) {
        self.version = version
        self.headerDepth = headerDepth
        report = CaptureVerificationReport(format: format, protocolVersion: version.rawValue)
    }

    mutating func readAssetPairs(_ body: [UInt8]?) {
        guard version == .v1 else { return }
        guard let body else {
            report.notes.append("no AssetPairs answer in the capture: v1 pair names mapped by rule (XBT → BTC, XDG → DOGE)")
            return
        }
        do {
            symbolMap = SymbolMap(pairs: try AssetPair.parse(responseBody: Data(body)))
        } catch {
            report.notes.append("the capture's AssetPairs answer does not parse (\(error)): v1 pair names mapped by rule")
        }
    }

    /// A frame the client sent: for v2, a book subscription's depth.
    mutating func sent(_ text: [UInt8]) {
        guard version == .v2,
              let request = (try? JSONSerialization.jsonObject(with: Data(text))) as? [String: Any],
              request["method"] as? String == "subscribe",
              let params = request["params"] as? [String: Any], params["channel"] as? String == "book",
              let depth = (params["depth"] as? NSNumber)?.intValue
        else { return }
        for symbol in params["symbol"] as? [String] ?? [] { requestedDepths[symbol] = depth }
    }

    mutating func receive(_ text: [UInt8], line: Int) {
        report.frames += 1
        let location = CaptureVerificationReport.Location(frame: report.frames, line: line)
        // `withUnsafeBytes` rethrows untyped errors: the parse result comes out as a value.
        switch version {
        case .v2:
            switch text.withUnsafeBytes({ bytes in Result { () throws(WireError) in try v2Parser.parse(bytes) } }) {
            case .success(let message): receive(message, at: location)
            case .failure(let error): unparsable(text, error, at: location)
            }
        case .v1:
            switch text.withUnsafeBytes({ bytes in Result { () throws(WireError) in try V1Message(frame: bytes) } }) {
            case .success(let message): receive(message, at: location)
            case .failure(let error): unparsable(text, error, at: location)
            }
        }
    }

    private mutating func unparsable(_ text: [UInt8], _ error: WireError, at location: CaptureVerificationReport.Location) {
        report.unparsable += 1
        if report.firstParseFailure == nil {
            report.firstParseFailure = .init(
                location: location, error: error.description, excerpt: String(decoding: text.prefix(200), as: UTF8.self))
        }
    }

    private mutating func receive(_ message: V2Message, at location: CaptureVerificationReport.Location) {
        switch message {
        case .book(let book):
            report.bookMessages += 1
            let index = tally(Key(symbol: book.symbol, depth: v2Depth(of: book.symbol)), v1Name: nil)
            if tallies[index].keeper == nil, let precision = instruments[book.symbol] {
                tallies[index].keeper = BookKeeper(symbol: book.symbol, depth: tallies[index].book.depth, precision: precision)
            }
            Self.apply(isSnapshot: book.kind == .snapshot, hasChecksum: true, to: &tallies[index], at: location,
                       { $0.apply(book) }, invalidReason: { Self.invalidLevelReason(book.bids + book.asks, book: $0) })
        case .instrument(let instrument):
            report.otherMessages += 1
            instruments.record(instrument)
        case .response(let response):
            report.otherMessages += 1
            if response.method == .subscribe, response.success == true, case .subscription(let result) = response.result,
               result.channel == "book", let symbol = result.symbol, let depth = result.depth {
                acknowledgedDepths[symbol] = depth
            }
        default:
            report.otherMessages += 1
        }
    }

    private mutating func receive(_ message: V1Message, at location: CaptureVerificationReport.Location) {
        guard case .book(let book) = message else {
            report.otherMessages += 1
            return
        }
        report.bookMessages += 1
        let symbol = symbolMap?.symbol(forWebSocketName: book.pair) ?? SymbolMap.v2Symbol(fromV1: book.pair)
        let index = tally(Key(symbol: symbol, depth: book.depth), v1Name: book.pair)
        // v1 checksums cover the strings as received: no precision is imposed.
        if tallies[index].keeper == nil { tallies[index].keeper = BookKeeper(symbol: symbol, depth: book.depth, digits: .asReceived) }
        Self.apply(isSnapshot: book.isSnapshot, hasChecksum: book.checksum != nil, to: &tallies[index], at: location,
                   { $0.apply(book) }, invalidReason: { Self.invalidLevelReason(book.bids + book.asks, book: $0) })
    }

    /// The index of the key's tally, opened on first sight.
    private mutating func tally(_ key: Key, v1Name: String?) -> Int {
        if let index = indices[key] { return index }
        tallies.append(Tally(book: .init(symbol: key.symbol, v1Name: v1Name, depth: key.depth)))
        indices[key] = tallies.count - 1
        return tallies.count - 1
    }

    /// The header's depth, else the sent subscribe's, else the ack's, else Kraken's default 10;
    /// fixed for the symbol once its first book message came.
    private mutating func v2Depth(of symbol: String) -> Int {
        if let depth = v2Depths[symbol] { return depth }
        let depth = headerDepth ?? requestedDepths[symbol] ?? acknowledgedDepths[symbol] ?? 10
        v2Depths[symbol] = depth
        return depth
    }

    /// Applies one book message to the tally's keeper (in place) and counts what it did.
    private static func apply(
        isSnapshot: Bool, hasChecksum: Bool, to tally: inout Tally, at location: CaptureVerificationReport.Location,
        _ apply: (inout BookKeeper) -> BookKeeper.Outcome, invalidReason: (L2Book) -> String
    ) {
        tally.book.messages += 1
        if isSnapshot { tally.book.snapshots += 1 } else { tally.book.updates += 1 }
        guard tally.keeper != nil else {
            tally.book.withoutPrecision += 1
            return
        }
        let phase = tally.keeper!.phase
        switch apply(&tally.keeper!) {
        case .snapshot:
            if hasChecksum { tally.book.verified += 1 }
        case .update:
            tally.book.verified += 1
        case .checksumMismatch(let reset):
            tally.book.mismatches += 1
            if tally.book.firstMismatch == nil {
                tally.book.firstMismatch = .init(
                    location: location, expected: reset.expectedChecksum, computed: reset.computedChecksum,
                    text: tally.keeper!.lastMismatchText ?? "")
            }
        case .invalidLevel:
            tally.book.invalidLevels += 1
            if tally.book.firstInvalidLevel == nil {
                tally.book.firstInvalidLevel = .init(location: location, reason: invalidReason(tally.keeper!.book))
            }
        case .ignored:
            if phase == .awaitingSnapshot { tally.book.ignoredBeforeSnapshot += 1 } else { tally.book.ignoredAfterMismatch += 1 }
        }
    }

    /// Which level the book refused, and why, by the book's own rules.
    private static func invalidLevelReason<Level: KrakenBookLevel>(_ levels: [Level], book: L2Book) -> String {
        for level in levels {
            do {
                _ = try book.level(price: level.price, quantity: level.quantity)
            } catch {
                return "level \(level.price) \(level.quantity): \(error)"
            }
        }
        return "a level does not fit the book"
    }

    func finish() -> CaptureVerificationReport {
        var report = report
        report.books = tallies.map(\.book).sorted { ($0.symbol, $0.depth) < ($1.symbol, $1.depth) }
        return report
    }
}
