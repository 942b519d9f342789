/// Kraken v2 timestamps (`2023-09-25T07:49:37.708706Z`) to Unix nanoseconds, from the bytes,
/// without Foundation's date parsers.
public enum RFC3339 {
    /// nil when the text is not an RFC 3339 date-time (with `Z` or a `±hh:mm` offset).
    public static func nanoseconds(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<digits {
                let digit = Int(bytes[index]) - 48
                guard digit >= 0 && digit <= 9 else { return nil }
                value = value * 10 + digit
                index += 1
            }
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(UInt8(ascii: "-")), let month = number(2), expect(UInt8(ascii: "-")),
              let day = number(2), index < bytes.count, bytes[index] == UInt8(ascii: "T") || bytes[index] == UInt8(ascii: "t")
        else { return nil }
        index += 1
        guard let hour = number(2), expect(UInt8(ascii: ":")), let minute = number(2), expect(UInt8(ascii: ":")),
              let second = number(2)
        else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var fraction: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 9 { fraction = fraction * 10 + Int64(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            if digits < 9 {
                for _ in digits..<9 { fraction *= 10 }
            }
        }
        var offsetSeconds = 0
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = number(2), expect(UInt8(ascii: ":")), let minutes = number(2) else { return nil }
            offsetSeconds = sign * (hours * 3_600 + minutes * 60)
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        return nanoseconds(
            days: daysFromCivil(year: year, month: month, day: day), hour: hour, minute: minute, second: second,
            fraction: fraction, offsetSeconds: offsetSeconds)
    }

    /// Fields already range-checked (hour < 24, minute < 60, second < 61; `days` from
    /// `daysFromCivil`) to Unix nanoseconds; nil outside what Int64 nanoseconds can hold.
    @inline(__always)
    static func nanoseconds(
        days: Int, hour: Int, minute: Int, second: Int, fraction: Int64, offsetSeconds: Int
    ) -> Int64? {
        let seconds = Int64(days) * 86_400 + Int64(hour * 3_600 + minute * 60 + second) - Int64(offsetSeconds)
        // Int64 nanoseconds span 1677–2262; a date outside that is refused, not wrapped.
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, carry) = scaled.addingReportingOverflow(fraction)
        return overflow || carry ? nil : total
    }

    public static func nanoseconds(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { nanoseconds(UnsafeRawBufferPointer($0)) }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
