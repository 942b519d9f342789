import ArgumentParser
import CaptureVerification
import Foundation

/// Checks every book in a capture offline, with the bridge's own parsers and books.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify every order book in a capture against Kraken's checksums, offline.",
        discussion: """
            Reads a capture (`krakenbridge record`'s JSON lines, or plain `<timestamp> <frame>`
            lines) and runs its received frames through the bridge's own frame parsers and
            order books: v2 books at the precision of the capture's instrument messages, v1
            books with each string's digits as received. Prints per book the messages,
            snapshots, updates, checksums verified and mismatches, and explains each book's
            first mismatch: the checksum Kraken sent, the one the bridge computed, and the
            text it computed it from (the best 10 asks ascending then the best 10 bids
            descending, each level's price digits then quantity digits, without '.' and
            leading zeros). After a mismatch the bridge waits for a new snapshot: updates
            until then are counted as ignored.

            Exit status: 0 when every book message was verified (no mismatch, no level the
            book refused, no book without a precision) and every frame parsed; 1 otherwise.
            """)

    @Argument(help: "The capture file ('-': standard input).")
    var capture: String

    @Flag(help: "Print the report as one JSON object instead of a table.")
    var json = false

    func run() throws {
        let bytes: [UInt8]
        if capture == "-" {
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        } else {
            guard let data = FileManager.default.contents(atPath: capture) else {
                printError("verify: cannot read \(capture)")
                throw ExitCode(1)
            }
            bytes = Array(data)
        }
        let report: CaptureVerificationReport
        do {
            report = try CaptureVerifier.verify(bytes)
        } catch {
            printError("verify: \(capture): \(error)")
            throw ExitCode(1)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            printLine(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            printLine(VerifyReportText.text(report))
        }
        if !report.passed { throw ExitCode(1) }
    }
}

/// The report as a person reads it: a summary line, a table of books, then what went wrong.
enum VerifyReportText {
    static func text(_ report: CaptureVerificationReport) -> String {
        var lines: [String] = []
        lines.append(
            "\(report.format == .recording ? "recording" : "plain capture"), protocol \(report.protocolVersion): "
                + "\(report.frames) frames received (\(report.bookMessages) book messages, \(report.otherMessages) other, "
                + "\(report.unparsable) unparsable)")
        lines += report.notes.map { "note: \($0)" }
        lines.append("")
        if report.books.isEmpty {
            lines.append("no book messages")
        } else {
            lines += table(report.books)
        }
        for book in report.books { lines += explanation(book) }
        if let failure = report.firstParseFailure {
            lines.append("")
            lines.append("\(count(report.unparsable, "frame")) did not parse; the first, \(failure.location): \(failure.error)")
            lines.append("  \(failure.excerpt)")
        }
        lines.append("")
        lines.append(verdict(report))
        return lines.joined(separator: "\n")
    }

    private static func name(_ book: CaptureVerificationReport.Book) -> String {
        guard let v1Name = book.v1Name, v1Name != book.symbol else { return book.symbol }
        return "\(book.symbol) (\(v1Name))"
    }

    private static func table(_ books: [CaptureVerificationReport.Book]) -> [String] {
        let showPrecision = books.contains { $0.withoutPrecision > 0 }
        var header = ["book", "depth", "messages", "snapshots", "updates", "verified", "mismatches", "ignored", "invalid"]
        if showPrecision { header.append("no precision") }
        var rows = [header]
        for book in books {
            var row = [
                name(book), "\(book.depth)", "\(book.messages)", "\(book.snapshots)", "\(book.updates)", "\(book.verified)",
                "\(book.mismatches)", "\(book.ignoredBeforeSnapshot + book.ignoredAfterMismatch)", "\(book.invalidLevels)",
            ]
            if showPrecision { row.append("\(book.withoutPrecision)") }
            rows.append(row)
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                // Names left-aligned, counts right-aligned.
                return column == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
    }

    private static func explanation(_ book: CaptureVerificationReport.Book) -> [String] {
        var lines: [String] = []
        let title = "\(name(book)) depth \(book.depth)"
        if let mismatch = book.firstMismatch {
            lines.append("")
            lines.append("\(title): first checksum mismatch at \(mismatch.location)")
            lines.append("  expected (Kraken's)   \(mismatch.expected)")
            lines.append("  computed (bridge's)   \(mismatch.computed)")
            lines.append("  checksum text         \(mismatch.text)")
            lines.append("  (the computed checksum is the CRC32 of this text: the best 10 asks ascending, then the best 10 bids")
            lines.append("   descending, each level's price digits then quantity digits, without '.' and leading zeros)")
            if book.mismatches > 1 { lines.append("  \(count(book.mismatches, "mismatch", plural: "mismatches")) in all") }
        }
        if let invalid = book.firstInvalidLevel {
            lines.append("")
            lines.append("\(title): first level the book refused at \(invalid.location): \(invalid.reason)")
        }
        if book.ignoredAfterMismatch > 0 {
            lines.append("  then \(count(book.ignoredAfterMismatch, "update")) ignored: after a failure the bridge waits for a new snapshot")
        }
        if book.ignoredBeforeSnapshot > 0 {
            lines.append("")
            lines.append("\(title): \(count(book.ignoredBeforeSnapshot, "update")) before the first snapshot ignored")
        }
        if book.withoutPrecision > 0 {
            lines.append("")
            lines.append("\(title): no instrument message gave its precision; \(count(book.withoutPrecision, "message")) not verified")
        }
        return lines
    }

    private static func verdict(_ report: CaptureVerificationReport) -> String {
        guard !report.passed else { return "OK: \(count(report.verified, "checksum")) verified, no mismatch" }
        var problems: [String] = []
        if report.mismatches > 0 { problems.append(count(report.mismatches, "checksum mismatch", plural: "checksum mismatches")) }
        if report.invalidLevels > 0 { problems.append(count(report.invalidLevels, "refused level")) }
        if report.withoutPrecision > 0 { problems.append(count(report.withoutPrecision, "book message") + " without a precision") }
        if report.unparsable > 0 { problems.append(count(report.unparsable, "unparsable frame")) }
        return "FAILED: " + problems.joined(separator: ", ") + " (\(count(report.verified, "checksum")) verified)"
    }

    private static func count(_ value: Int, _ singular: String, plural: String? = nil) -> String {
        "\(value) \(value == 1 ? singular : plural ?? singular + "s")"
    }
}
