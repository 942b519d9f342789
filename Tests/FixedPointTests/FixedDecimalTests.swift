import FixedPoint
import Testing

@Suite("exact decimals")
struct FixedDecimalTests {
    @Test("parsing keeps every written digit, trailing zeros included", arguments: [
        ("0.05000", 5_000, 5), ("45285.2", 452_852, 1), ("0.00100000", 100_000, 8), ("-12.3400", -123_400, 4),
        ("7", 7, 0), ("0", 0, 0), ("0.0", 0, 1), ("+3.5", 35, 1),
    ] as [(String, Int64, UInt8)])
    func parsesExactly(text: String, mantissa: Int64, scale: UInt8) throws {
        let value = try FixedDecimal(text)
        #expect(value.mantissa == mantissa)
        #expect(value.scale == scale)
    }

    @Test("an exponent moves the point without losing digits", arguments: [
        ("5.1e-05", 51, 6), ("1E+2", 100, 0), ("1.50e1", 150, 1), ("2e-18", 2, 18),
    ] as [(String, Int64, UInt8)])
    func exponents(text: String, mantissa: Int64, scale: UInt8) throws {
        let value = try FixedDecimal(text)
        #expect(value.mantissa == mantissa)
        #expect(value.scale == scale)
    }

    @Test("formatting writes exactly scale fractional digits")
    func formatting() {
        #expect(FixedDecimal(mantissa: 5_000, scale: 5).description == "0.05000")
        #expect(FixedDecimal(mantissa: -123_400, scale: 4).description == "-12.3400")
        #expect(FixedDecimal(mantissa: 452_852, scale: 1).description == "45285.2")
        #expect(FixedDecimal(mantissa: 7, scale: 0).description == "7")
    }

    @Test("malformed numbers give typed errors naming the offset")
    func malformed() {
        #expect(throws: DecimalParseError.empty) { try FixedDecimal("") }
        #expect(throws: DecimalParseError.missingDigits(offset: 1)) { try FixedDecimal("-") }
        #expect(throws: DecimalParseError.missingDigits(offset: 2)) { try FixedDecimal("5.") }
        #expect(throws: DecimalParseError.unexpectedByte(UInt8(ascii: "x"), offset: 1)) { try FixedDecimal("1x") }
        #expect(throws: DecimalParseError.unexpectedByte(UInt8(ascii: "."), offset: 3)) { try FixedDecimal("1.2.3") }
        #expect(throws: DecimalParseError.missingDigits(offset: 2)) { try FixedDecimal("1e") }
        #expect(throws: DecimalParseError.mantissaOverflow) { try FixedDecimal("99999999999999999999") }
        #expect(throws: DecimalParseError.scaleTooLarge) { try FixedDecimal("0.0000000000000000001") }
        #expect(throws: DecimalParseError.exponentOutOfRange) { try FixedDecimal("1e9999") }
        #expect(throws: DecimalParseError.mantissaOverflow) { try FixedDecimal("1e30") }
    }

    @Test("rescaling pads with zeros and refuses to drop a digit")
    func rescaling() {
        let value = FixedDecimal(mantissa: 452_810, scale: 1)
        #expect(value.rescaled(to: 3) == FixedDecimal(mantissa: 45_281_000, scale: 3))
        #expect(value.rescaled(to: 0) == FixedDecimal(mantissa: 45_281, scale: 0))
        #expect(FixedDecimal(mantissa: 452_852, scale: 1).rescaled(to: 0) == nil)
        #expect(FixedDecimal(mantissa: Int64.max, scale: 0).rescaled(to: 1) == nil)
    }

    @Test("comparison is by value across scales; equality is by digits")
    func comparison() throws {
        let a = try FixedDecimal("1.50")
        let b = try FixedDecimal("1.5")
        #expect(a.isNumericallyEqual(to: b))
        #expect(a != b)
        #expect(try FixedDecimal("0.049") < FixedDecimal("0.05"))
        #expect(try FixedDecimal("-1") < FixedDecimal("0.0001"))
    }

    @Test("random digit strings parse and format back to themselves")
    func roundTripProperty() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let integer = String(Int.random(in: 0...999_999_999, using: &generator))
            let fractionLength = Int.random(in: 0...8, using: &generator)
            let fraction = String((0..<fractionLength).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
            let text = fractionLength == 0 ? integer : "\(integer).\(fraction)"
            #expect(try FixedDecimal(text).description == text)
        }
    }
}
