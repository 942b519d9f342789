import FixedPoint
@testable import KrakenWire
import Testing

/// A small repeatable generator (the test target has no SeededRandom).
private struct Digits {
    var state: UInt64

    mutating func next(_ count: Int) -> String {
        String((0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Character(String((state >> 33) % 10))
        })
    }
}

/// Runs `body` on a cursor over `text`; returns its result and where the cursor stopped.
private func read<T>(_ text: String, _ body: (inout FastCursor) -> T) -> (T, Int) {
    Array(text.utf8).withUnsafeBytes { bytes in
        var cursor = FastCursor(bytes)
        let result = body(&cursor)
        return (result, cursor.index)
    }
}

/// Word-at-a-time reading must be byte-for-byte the grammar of the byte loops it replaces: the
/// same values, the same refusals, the cursor left in the same place.
@Suite("fast cursor: numbers and times read a word at a time")
struct FastCursorTests {
    static let padding = String(repeating: " ", count: 24)

    @Test("decimals of every digit count read the same by words and by bytes, and exactly")
    func decimals() throws {
        var generator = Digits(state: 11)
        for sign in ["", "-"] {
            for integerDigits in 0...20 {
                for fractionDigits in -1...20 {
                    for terminator in [",", "}", "]", "x", ".", "e"] {
                        let integer = generator.next(integerDigits)
                        let fraction = fractionDigits < 0 ? "" : "." + generator.next(fractionDigits)
                        let number = sign + integer + fraction
                        // Long tail: the word path; the number alone at the end: the byte path.
                        let (byWords, wordsEnd) = read(number + terminator + Self.padding) { $0.decimal() }
                        let (byBytes, bytesEnd) = read(number + terminator) { $0.decimalByBytes() }
                        #expect(byWords == byBytes, "\(number)\(terminator)")
                        #expect(wordsEnd == bytesEnd, "\(number)\(terminator)")
                        let valid = integerDigits > 0 && fractionDigits != 0
                            && integerDigits + max(fractionDigits, 0) <= 18 && [",", "}", "]"].contains(terminator)
                        if valid {
                            #expect(byWords == (try FixedDecimal(number)), "\(number)")
                            #expect(wordsEnd == number.utf8.count)
                        } else {
                            #expect(byWords == nil, "\(number)\(terminator)")
                            #expect(wordsEnd == 0)
                        }
                    }
                }
            }
        }
    }

    @Test("quoted decimals (v1) of every digit count read the same by words and by bytes, closing quote consumed")
    func quotedDecimals() throws {
        var generator = Digits(state: 13)
        for sign in ["", "-"] {
            for integerDigits in 0...20 {
                for fractionDigits in -1...20 {
                    for terminator in ["\"", ",", "x"] {
                        let integer = generator.next(integerDigits)
                        let fraction = fractionDigits < 0 ? "" : "." + generator.next(fractionDigits)
                        let number = sign + integer + fraction
                        let (byWords, wordsEnd) = read(number + terminator + Self.padding) { $0.quotedDecimalBody() }
                        let (byBytes, bytesEnd) = read(number + terminator) { $0.decimalByBytes(quoted: true) }
                        #expect(byWords == byBytes, "\(number)\(terminator)")
                        #expect(wordsEnd == bytesEnd, "\(number)\(terminator)")
                        let valid = integerDigits > 0 && fractionDigits != 0
                            && integerDigits + max(fractionDigits, 0) <= 18 && terminator == "\""
                        #expect(byWords == (valid ? try FixedDecimal(number) : nil), "\(number)\(terminator)")
                        #expect(wordsEnd == (valid ? number.utf8.count + 1 : 0))
                    }
                }
            }
        }
    }

    @Test("v1 epoch seconds read as readEpochSeconds reads them", arguments: [
        "1534614248.456738", "1534614248", "1534614248.4", "1534614248.123456789", "1534614248.1234567891", "0.000000001",
        "-1534614248.456738", "9223372036.854775807", "9223372037.0", "153461424845673812", "1534614248.", "", "x",
    ])
    func epochSeconds(text: String) {
        let frame = "\"\(text)\""
        let expected = Array(frame.utf8).withUnsafeBytes { bytes in
            var reader = JSONReader(bytes)
            return try? reader.readEpochSeconds(field: "time")
        }
        // Nineteen digits are beyond the fast reader; the general parser reads those frames.
        let beyondFastPath = ["1534614248.123456789", "9223372036.854775807"].contains(text)
        for tail in [Self.padding, ""] {
            let (value, end) = read("\(text)\"\(tail)") { $0.epochSecondsBody() }
            #expect(value == (beyondFastPath ? nil : expected), "\(text)")
            #expect(end == (value == nil ? 0 : text.utf8.count + 1))
        }
        #expect(expected != nil || !beyondFastPath)
    }

    @Test("v1 checksums: quoted digits within 32 bits", arguments: [
        ("3139033408", UInt32?.some(3_139_033_408)), ("0", 0), ("4294967295", .max), ("4294967296", nil), ("04294967295", nil),
        ("", nil), ("12a", nil), ("-1", nil),
    ])
    func checksums(text: String, expected: UInt32?) {
        let (value, end) = read("\(text)\"}") { $0.quotedChecksumBody() }
        #expect(value == expected, "\(text)")
        #expect(end == (expected == nil ? 0 : text.utf8.count + 1))
    }

    @Test("unsigned numbers of 0–21 digits read the same by words and by bytes")
    func unsignedNumbers() {
        var generator = Digits(state: 12)
        for count in 0...21 {
            for terminator in [",", "}", "]", "x"] {
                let number = generator.next(count)
                let (byWords, wordsEnd) = read(number + terminator + Self.padding) { $0.unsigned() }
                let (byBytes, bytesEnd) = read(number + terminator) { $0.unsignedByBytes() }
                #expect(byWords == byBytes, "\(number)\(terminator)")
                #expect(wordsEnd == bytesEnd)
                if count > 0 && count <= 19 && [",", "}"].contains(terminator) {
                    #expect(byWords == UInt64(number), "\(number)")
                } else {
                    #expect(byWords == nil, "\(number)\(terminator)")
                }
            }
        }
    }

    @Test("timestamps in Kraken's layout and in any other form give what RFC3339 gives", arguments: [
        "2023-10-06T17:35:55.440295Z", "2023-10-06T17:35:55Z", "2023-10-06T17:35:55.4Z", "2023-10-06T17:35:55.12345678Z",
        "2023-10-06T17:35:55.123456789Z", "2023-10-06T17:35:55.1234567891Z", "1970-01-01T00:00:00.000000Z",
        "2024-02-29T23:59:60.999999Z", "2023-10-06t17:35:55.440295z", "2023-10-06T19:35:55.440295+02:00",
        "2023-10-06T17:35:55.Z", "2023-13-06T17:35:55.440295Z", "2023-00-06T17:35:55.440295Z", "2023-10-32T17:35:55Z",
        "2023-10-00T17:35:55Z", "2023-10-06T24:35:55Z", "2023-10-06T17:60:55Z", "2023-10-06T17:35:61Z",
        "2023/10/06T17:35:55Z", "2023-10-06 17:35:55Z", "2023-10-06T17-35-55Z", "2023-10-06T17:35:55.44a295Z",
        "2023-1a-06T17:35:55Z", "9999-12-31T23:59:59.999999Z", "1000-01-01T00:00:00Z", "2023-10-06T17:35:55",
        "2023-10-06T17:35:55.440295Zjunk", "", "soon",
    ])
    func timestamps(text: String) {
        let expected = RFC3339.nanoseconds(text)
        for tail in [Self.padding, ""] {
            let (value, end) = read("\(text)\"\(tail)") { $0.timestamp() }
            #expect(value == expected, "\(text) with \(tail.count) bytes after it")
            #expect(end == (expected == nil ? 0 : text.utf8.count + 1))
        }
    }

    @Test("a day number kept from earlier timestamps never changes what a timestamp reads as")
    func warmDayCache() {
        let texts = [
            "2023-10-06T17:35:55.440295Z", "2023-10-06T17:35:56.5Z", "2023-10-07T00:00:00Z", "2023-10-07T24:00:00Z",
            "2023-10-07T23:59:59.999999Z", "2023-11-07T23:59:59Z", "2024-10-07T23:59:59Z", "2023-10-06T17:35:55.440295Z",
            "2023-10-06t17:35:55Z", "2023-10-32T17:35:55Z", "2023-10-06T17:35:55.440295Z", "1969-12-31T23:59:59.9Z",
        ]
        var days = DayCache()
        for text in texts + texts.reversed() {
            let (value, _) = read("\(text)\"\(Self.padding)") { $0.timestamp(days: &days) }
            #expect(value == RFC3339.nanoseconds(text), "\(text)")
        }
    }

    @Test("literals of every length match exactly, or not at all")
    func literals() {
        let (matched, end) = read(#"{"channel":"book","type":""#) { cursor in
            cursor.literal(#"{"#) && cursor.literal(#""c"#) && cursor.literal(#"han"#) && cursor.literal(#"nel"#)
                && cursor.literal(#"":"book","#) && cursor.literal(#""type":""#)
        }
        #expect(matched && end == 26)
        let (mismatched, stopped) = read(#"{"channel":"book","type":""#) { $0.literal(#"{"channel":"boot","type":""#) }
        #expect(!mismatched && stopped == 0)
        let (tooLong, _) = read("abc") { $0.literal("abcd") }
        #expect(!tooLong)
    }
}
