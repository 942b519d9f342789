extension FastCursor {
    /// An RFC 3339 time up to its closing quote (consumed). Kraken's own layout is read a word at
    /// a time; any other form goes through the general RFC 3339 reader.
    mutating func timestamp() -> Int64? {
        if let value = compactTimestamp() { return value }
        let start = index
        while index < count, byte(at: index) != UInt8(ascii: "\"") { index += 1 }
        guard index < count,
            let value = RFC3339.nanoseconds(UnsafeRawBufferPointer(start: base + start, count: index - start))
        else {
            index = start
            return nil
        }
        index += 1
        return value
    }

    /// `YYYY-MM-DDTHH:MM:SS.fffffffZ"` with 0–8 fraction digits (no point for none): digits and
    /// separators checked with three word masks, then the same range checks and arithmetic as
    /// `RFC3339.nanoseconds`. nil, without moving, for anything else.
    @inline(__always)
    private mutating func compactTimestamp() -> Int64? {
        guard index + 30 <= count else { return nil }
        let date = word(at: index)  // YYYY-MM-
        let time = word(at: index + 8)  // DDTHH:MM
        let seconds = word(at: index + 16)  // :SS.ffff or :SSZ"…
        guard Self.nonDigits(date) & 0x00FF_FF00_FFFF_FFFF == 0, date & 0xFF00_00FF_0000_0000 == 0x2D00_002D_0000_0000,
            Self.nonDigits(time) & 0xFFFF_00FF_FF00_FFFF == 0, time & 0x0000_FF00_00FF_0000 == 0x0000_3A00_0054_0000,
            Self.nonDigits(seconds) & 0x0000_0000_00FF_FF00 == 0, seconds & 0xFF == 0x3A
        else { return nil }
        let dateDigits = date ^ 0x3030_3030_3030_3030
        let timeDigits = time ^ 0x3030_3030_3030_3030
        let secondDigits = seconds ^ 0x3030_3030_3030_3030
        func digit(_ word: UInt64, _ position: Int) -> Int { Int(truncatingIfNeeded: (word >> (8 * position)) & 0xFF) }
        let year = digit(dateDigits, 0) * 1000 + digit(dateDigits, 1) * 100 + digit(dateDigits, 2) * 10 + digit(dateDigits, 3)
        let month = digit(dateDigits, 5) * 10 + digit(dateDigits, 6)
        let day = digit(timeDigits, 0) * 10 + digit(timeDigits, 1)
        let hour = digit(timeDigits, 3) * 10 + digit(timeDigits, 4)
        let minute = digit(timeDigits, 6) * 10 + digit(timeDigits, 7)
        let second = digit(secondDigits, 1) * 10 + digit(secondDigits, 2)
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var fraction: Int64 = 0
        var end = index + 19
        if byte(at: end) == UInt8(ascii: ".") {
            let fractionWord = word(at: index + 20)
            let digits = Self.leadingDigits(fractionWord)
            guard digits > 0 else { return nil }
            fraction = Int64(Self.value(fractionWord, digits: digits)) * Self.powersOfTen[9 - digits]
            end = index + 20 + digits
        }
        guard byte(at: end) == UInt8(ascii: "Z"), byte(at: end + 1) == UInt8(ascii: "\""),
            let value = RFC3339.nanoseconds(
                year: year, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction,
                offsetSeconds: 0)
        else { return nil }
        index = end + 2
        return value
    }
}
