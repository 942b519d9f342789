import FixedPoint

/// Appends the pieces of a Kraken JSON frame to a byte buffer: literals, exact decimals from
/// mantissa and scale, escaped strings, integers and timestamps — so the simulator writes frames
/// byte for byte as Kraken does (compact, documented key order) without Foundation.
struct FrameWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// A JSON string with RFC 8259 escapes.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes `items` separated by commas.
    mutating func list<Item>(_ items: [Item], _ write: (inout FrameWriter, Item) -> Void) {
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            write(&self, item)
        }
    }

    mutating func integer<Value: BinaryInteger>(_ value: Value) {
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ value: Bool) {
        value ? raw("true") : raw("false")
    }

    /// `mantissa × 10^-scale` with exactly `scale` fraction digits: `45285.2`, `0.00100000`.
    mutating func decimal(mantissa: Int64, scale: UInt8) {
        bytes.append(contentsOf: FixedDecimal.text(mantissa: mantissa, scale: Int(scale)).utf8)
    }

    /// Text already written as a number, in quotes (`"5541.30000"`).
    mutating func quotedText(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: text.utf8)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A v1 quoted decimal: `"5541.30000"`.
    mutating func quotedDecimal(mantissa: Int64, scale: UInt8) {
        bytes.append(UInt8(ascii: "\""))
        decimal(mantissa: mantissa, scale: scale)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A quoted RFC 3339 UTC time with microseconds, as Kraken v2 writes them.
    mutating func rfc3339(nanoseconds: Int64) {
        bytes.append(UInt8(ascii: "\""))
        raw(Timestamps.rfc3339(nanoseconds: nanoseconds))
        bytes.append(UInt8(ascii: "\""))
    }

    /// A quoted v1 epoch-seconds time with microseconds: `"1534614248.456738"`.
    mutating func epochSeconds(nanoseconds: Int64) {
        quotedDecimal(mantissa: nanoseconds / 1_000, scale: 6)
    }
}

/// Time formatting for simulated frames.
public enum Timestamps {
    /// `2023-09-25T07:49:37.708706Z`.
    public static func rfc3339(nanoseconds: Int64) -> String {
        let seconds = nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds - 999_999_999) / 1_000_000_000
        let micros = (nanoseconds - seconds * 1_000_000_000) / 1_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: Int(days))
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(Int(secondOfDay / 3_600), 2)):"
            + "\(pad(Int(secondOfDay % 3_600 / 60), 2)):\(pad(Int(secondOfDay % 60), 2)).\(pad(Int(micros), 6))Z"
    }

    /// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
