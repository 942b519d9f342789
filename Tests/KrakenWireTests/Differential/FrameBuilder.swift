import FixedPoint

/// What the generators write with: random values in Kraken's formats, and a record of every
/// decimal written into a field the parser keeps (to check that its digits survive exactly).
struct FrameBuilder {
    var random: DifferentialRandom
    private(set) var kept: [FixedDecimal] = []

    init(seed: UInt64) {
        random = DifferentialRandom(seed: seed)
    }

    // MARK: Decimals

    /// A decimal with up to `integerDigits` digits before the point and a scale in `scale`, often
    /// with trailing zeros; at most 18 digits in all, now and then a 19-digit extreme.
    mutating func decimal(
        integerDigits: ClosedRange<Int> = 0...6, scale: ClosedRange<Int> = 0...8, negative: Double = 0
    ) -> FixedDecimal {
        if random.chance(0.01) {
            let extreme = random.pick([Int64.max, 999_999_999_999_999_999, 1, 0])
            return FixedDecimal(mantissa: random.chance(negative) ? -extreme : extreme, scale: UInt8(random.int(scale)))
        }
        let scale = random.int(scale)
        let integers = min(random.int(integerDigits), 18 - scale)
        var digits = ""
        if integers > 0 {
            digits += random.string("123456789", count: 1) + random.string("0123456789", count: integers - 1)
        }
        // Often fewer significant fraction digits than the scale: the rest are trailing zeros.
        let significant = random.chance(0.4) ? random.int(0...scale) : scale
        digits += random.string("0123456789", count: significant) + String(repeating: "0", count: scale - significant)
        let magnitude = Int64(digits) ?? 0
        return FixedDecimal(mantissa: random.chance(negative) ? -magnitude : magnitude, scale: UInt8(scale))
    }

    /// A price: up to 6 integer digits, 0 to 10 decimals.
    mutating func price() -> FixedDecimal { decimal(integerDigits: 0...6, scale: 0...10) }

    /// A quantity: up to 9 integer digits, 0 to 10 decimals; sometimes exactly zero at scale 8.
    mutating func quantity() -> FixedDecimal {
        random.chance(0.05) ? FixedDecimal(mantissa: 0, scale: 8) : decimal(integerDigits: 0...9, scale: 0...10)
    }

    /// A v2 JSON number for a kept field, sometimes in exponent form; recorded.
    mutating func number(_ value: FixedDecimal, exponentChance: Double = 0.03) -> GeneratedJSON {
        kept.append(value)
        return .token(random.chance(exponentChance) ? exponentText(value) : Self.plainText(value))
    }

    /// A v1 numeric string for a kept field; recorded.
    mutating func numericString(_ value: FixedDecimal) -> GeneratedJSON {
        kept.append(value)
        return .verbatim(Self.plainText(value))
    }

    /// An integer written as a JSON number or, now and then, as a numeric string (both are read
    /// the same way by the scanner).
    mutating func looseInteger<T: BinaryInteger>(_ value: T) -> GeneratedJSON {
        random.chance(0.1) ? .verbatim(String(value)) : .integer(value)
    }

    /// `mantissa × 10^-scale` with exactly `scale` fraction digits, e.g. `0.00100000`, `-740.0`.
    static func plainText(_ value: FixedDecimal) -> String {
        var digits = String(value.mantissa.magnitude)
        let scale = Int(value.scale)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale + 1 - digits.count) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return value.mantissa < 0 ? "-" + digits : digits
    }

    /// The same digits with the point moved by an exponent: `0.00150000` → `1.50000e-3`,
    /// `0.00000001` → `1e-08`, `250` → `2.50E+2`. The scanner's scale is the fraction digits
    /// written minus the exponent, which is `value.scale` again.
    mutating func exponentText(_ value: FixedDecimal) -> String {
        let digits = String(value.mantissa.magnitude)
        let integerCount = random.int(1...digits.count)
        let fractionCount = digits.count - integerCount
        let exponent = fractionCount - Int(value.scale)
        var text = value.mantissa < 0 ? "-" : ""
        text += digits.prefix(integerCount)
        if fractionCount > 0 { text += "." + digits.suffix(fractionCount) }
        text += random.chance(0.5) ? "e" : "E"
        text += exponent < 0 ? "-" : (random.chance(0.5) ? "+" : "")
        text += (random.chance(0.3) ? "0" : "") + String(exponent.magnitude)
        return text
    }

    // MARK: Times

    /// Unix seconds between 2015 and 2030.
    mutating func epochSeconds() -> Int64 { random.int64(1_420_070_400...1_893_456_000) }

    /// `digits` random fraction digits (Kraken sends 6 or 9).
    mutating func fractionDigits() -> String {
        let count = random.pick([0, 3, 6, 6, 6, 9, 9, random.int(1...9)])
        return random.string("0123456789", count: count)
    }

    /// An RFC 3339 timestamp as v2 writes it, usually UTC (`Z`), sometimes with an offset.
    mutating func rfc3339() -> String {
        let seconds = epochSeconds()
        let fraction = fractionDigits()
        var offsetMinutes = 0
        var zone = "Z"
        if random.chance(0.15) {
            let hours = random.int(0...14)
            let minutes = random.pick([0, 30, 45])
            let negative = random.chance(0.5) && hours + minutes > 0
            offsetMinutes = (negative ? -1 : 1) * (hours * 60 + minutes)
            zone = (negative ? "-" : "+") + Self.twoDigits(hours) + ":" + Self.twoDigits(minutes)
        }
        let local = seconds + Int64(offsetMinutes * 60)
        let (year, month, day) = Self.civil(daysSinceEpoch: Int(local.quotientAndRemainder(dividingBy: 86_400).quotient))
        let secondOfDay = Int(local % 86_400)
        var text = String(year) + "-" + Self.twoDigits(month) + "-" + Self.twoDigits(day) + "T"
        text += Self.twoDigits(secondOfDay / 3_600) + ":" + Self.twoDigits(secondOfDay / 60 % 60) + ":"
        text += Self.twoDigits(secondOfDay % 60)
        if !fraction.isEmpty { text += "." + fraction }
        return text + zone
    }

    /// A v1 epoch-seconds string such as `1534614248.456738`.
    mutating func epochString() -> String {
        let fraction = random.pick([6, 6, 6, 0, 9, random.int(1...9)])
        let digits = random.string("0123456789", count: fraction)
        return String(epochSeconds()) + (fraction > 0 ? "." + digits : "")
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Howard Hinnant's civil_from_days (days since 1970-01-01, all positive here).
    static func civil(daysSinceEpoch: Int) -> (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    // MARK: Words

    mutating func freeText() -> GeneratedJSON { .text(FrameWriter.freeText(&random)) }

    mutating func v2Symbol() -> String {
        random.pick(["BTC/USD", "ETH/USD", "MATIC/USD", "ALGO/USD", "DOGE/USD", "SOL/EUR", "XRP/USDT", "ETH/BTC"])
    }

    mutating func v1Pair() -> String { random.pick(["XBT/USD", "XBT/EUR", "ETH/XBT", "XDG/USD", "ADA/EUR"]) }

    mutating func asset() -> String { random.pick(["BTC", "USD", "EUR", "ETH", "DOGE", "USDT", "XBT", "ZUSD"]) }

    /// Builds an object from members, leaving out the nil ones (optional fields not sent).
    static func members(_ members: [(String, GeneratedJSON?)]) -> GeneratedJSON {
        .object(members.compactMap { key, value in value.map { (key, $0) } })
    }

    /// Writes the frame in a random style and bundles it with the decimals it keeps.
    mutating func finish(_ json: GeneratedJSON, seed: UInt64) -> GeneratedFrame {
        let style = FrameStyle.random(&random)
        var writer = FrameWriter(random: random, style: style)
        writer.write(json)
        return GeneratedFrame(seed: seed, text: writer.output, kept: kept)
    }
}
