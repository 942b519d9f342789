/// The date of the last timestamp read and its day number: a connection's frames carry the
/// same date all day, so its digits are checked and converted once.
struct DayCache: Sendable {
    /// `YYYY-MM-` as read; 0 (never a valid date) while empty.
    var date: UInt64 = 0
    /// `DD` as read.
    var day: UInt64 = 0
    var days = 0
}

extension FastCursor {
    /// An RFC 3339 time up to its closing quote (consumed). Kraken's own layout is read a word at
    /// a time; any other form goes through the general RFC 3339 reader.
    mutating func timestamp() -> Int64? {
        var days = DayCache()
        return timestamp(days: &days)
    }

    /// `timestamp()`, reusing the day number of the previous timestamp when the date is the same.
    mutating func timestamp(days: inout DayCache) -> Int64? {
        if let value = compactTimestamp(days: &days) { return value }
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
    private mutating func compactTimestamp(days cache: inout DayCache) -> Int64? {
        guard index + 30 <= count else { return nil }
        let date = word(at: index)  // YYYY-MM-
        let time = word(at: index + 8)  // DDTHH:MM
        let seconds = word(at: index + 16)  // :SS.ffff or :SSZ"…
        guard Self.nonDigits(time) & 0xFFFF_00FF_FF00_FFFF == 0, time & 0x0000_FF00_00FF_0000 == 0x0000_3A00_0054_0000,
            Self.nonDigits(seconds) & 0x0000_0000_00FF_FF00 == 0, seconds & 0xFF == 0x3A
        else { return nil }
        func digit(_ word: UInt64, _ position: Int) -> Int {
            Int(truncatingIfNeeded: ((word >> (8 * position)) & 0xFF) ^ 0x30)
        }
        let days: Int
        if date == cache.date, time & 0xFFFF == cache.day {
            days = cache.days
        } else {
            guard Self.nonDigits(date) & 0x00FF_FF00_FFFF_FFFF == 0, date & 0xFF00_00FF_0000_0000 == 0x2D00_002D_0000_0000
            else { return nil }
            let year = digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3)
            let month = digit(date, 5) * 10 + digit(date, 6)
            let day = digit(time, 0) * 10 + digit(time, 1)
            guard (1...12).contains(month), (1...31).contains(day) else { return nil }
            days = RFC3339.daysFromCivil(year: year, month: month, day: day)
            cache = DayCache(date: date, day: time & 0xFFFF, days: days)
        }
        let hour = digit(time, 3) * 10 + digit(time, 4)
        let minute = digit(time, 6) * 10 + digit(time, 7)
        let second = digit(seconds, 1) * 10 + digit(seconds, 2)
        guard hour < 24, minute < 60, second < 61 else { return nil }
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
                days: days, hour: hour, minute: minute, second: second, fraction: fraction, offsetSeconds: 0)
        else { return nil }
        index = end + 2
        return value
    }
}
