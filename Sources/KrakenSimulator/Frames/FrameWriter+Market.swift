import FixedPoint

extension FrameWriter {
    /// A quoted RFC 3339 UTC time with nanoseconds (`2023-10-04T16:25:00.000000000Z`), as
    /// Kraken writes `interval_begin` and the OHLC message time.
    mutating func rfc3339Nanoseconds(_ nanoseconds: Int64) {
        raw("\"")
        raw(Timestamps.rfc3339Nanoseconds(nanoseconds))
        raw("\"")
    }

    /// A v2 market number, or `null` when there is no value.
    mutating func v2NumberOrNull(mantissa: Int64?, scale: UInt8) {
        if let mantissa { v2Number(mantissa: mantissa, scale: scale) } else { raw("null") }
    }

    /// A number in one of the JSON forms Kraken's v2 data (market and account channels) arrives
    /// in, so clients meet every one: mostly the shortest form with at least one fraction digit (`0.5666`,
    /// `40.0`), which is what a float serialiser writes, and so below 1e-4 an exponent
    /// (`5.1e-05`); a whole number sometimes without a point (`40`); sometimes every digit of
    /// the precision (`0.00100000`, as Kraken's checksum guide prints numbers). The form is
    /// chosen by the value, so a run is reproducible.
    mutating func v2Number(mantissa: Int64, scale: UInt8) {
        raw(Self.v2NumberText(mantissa: mantissa, scale: scale))
    }

    static func v2NumberText(mantissa: Int64, scale: UInt8) -> String {
        let wholeUnit = PairMarket.power(Int(scale))
        if mantissa % wholeUnit == 0, mantissa.magnitude % 3 == 0 { return String(mantissa / wholeUnit) }
        if mantissa.magnitude % 7 == 0 { return FixedDecimal.text(mantissa: mantissa, scale: Int(scale)) }
        return referenceNumberText(FixedDecimal(mantissa: mantissa, scale: scale))
    }

    /// A number the way Kraken's reference data prints it (Python's float repr): shortest
    /// digits, at least one fraction digit, exponent form below 1e-4 — `0.5`, `100.0`,
    /// `0.0001`, `1e-08`, `1.5e-05`.
    mutating func referenceNumber(_ value: FixedDecimal) {
        raw(Self.referenceNumberText(value))
    }

    static func referenceNumberText(_ value: FixedDecimal) -> String {
        var mantissa = value.mantissa
        var scale = Int(value.scale)
        while scale > 0, mantissa % 10 == 0 {
            mantissa /= 10
            scale -= 1
        }
        if mantissa == 0 { return "0.0" }
        let digits = String(mantissa.magnitude)
        let exponent = digits.count - 1 - scale
        guard exponent < -4 || exponent >= 16 else {
            return scale == 0 ? "\(mantissa).0" : FixedDecimal.text(mantissa: mantissa, scale: scale)
        }
        var significand = String(digits.prefix(1))
        if digits.count > 1 { significand += "." + digits.dropFirst() }
        let magnitude = String(abs(exponent))
        let exponentText = (exponent < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" + magnitude : magnitude)
        return (mantissa < 0 ? "-" : "") + significand + "e" + exponentText
    }
}

extension Timestamps {
    /// `2023-10-04T16:26:30.524394914Z`: the microsecond form plus the last three digits.
    static func rfc3339Nanoseconds(_ nanoseconds: Int64) -> String {
        let micro = rfc3339(nanoseconds: nanoseconds)
        let below = Int((nanoseconds % 1_000 + 1_000) % 1_000)
        let text = String(below)
        return micro.dropLast() + String(repeating: "0", count: 3 - text.count) + text + "Z"
    }
}
