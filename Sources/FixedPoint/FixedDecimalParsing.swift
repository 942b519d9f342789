/// Why bytes are not a decimal number. Offsets are relative to the start of the token.
public enum DecimalParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case unexpectedByte(UInt8, offset: Int)
    /// No digit where one is required (after a sign, around the point, in the exponent).
    case missingDigits(offset: Int)
    /// More significant digits than Int64 holds.
    case mantissaOverflow
    /// More fractional digits than `FixedDecimal.maxScale`, after applying any exponent.
    case scaleTooLarge
    case exponentOutOfRange

    public var description: String {
        switch self {
        case .empty: "empty number"
        case .unexpectedByte(let byte, let offset): "unexpected byte 0x\(String(byte, radix: 16)) at offset \(offset)"
        case .missingDigits(let offset): "missing digits at offset \(offset)"
        case .mantissaOverflow: "more digits than a 64-bit mantissa holds"
        case .scaleTooLarge: "more than \(FixedDecimal.maxScale) fractional digits"
        case .exponentOutOfRange: "exponent out of range"
        }
    }
}

extension FixedDecimal {
    /// Parses a JSON number or the text of a numeric string (`"45285.2"`, `-0.001`, `1.5e-05`)
    /// without any floating point. Every written digit is kept; an exponent moves the point.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(DecimalParseError) {
        guard !bytes.isEmpty else { throw .empty }
        var index = 0
        let negative = bytes[0] == UInt8(ascii: "-")
        if negative || bytes[0] == UInt8(ascii: "+") { index = 1 }
        var mantissa: Int64 = 0
        var fractionDigits = 0
        var integerDigits = 0
        while index < bytes.count, let digit = Self.digit(bytes[index]) {
            try Self.accumulate(&mantissa, digit)
            integerDigits += 1
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, let digit = Self.digit(bytes[index]) {
                try Self.accumulate(&mantissa, digit)
                fractionDigits += 1
                index += 1
            }
            guard index > start else { throw .missingDigits(offset: index) }
        }
        guard integerDigits + fractionDigits > 0 else { throw .missingDigits(offset: index) }
        var scale = fractionDigits
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var exponent = 0
            let start = index
            while index < bytes.count, let digit = Self.digit(bytes[index]) {
                exponent = exponent * 10 + Int(digit)
                guard exponent <= 400 else { throw .exponentOutOfRange }
                index += 1
            }
            guard index > start else { throw .missingDigits(offset: index) }
            scale += exponentNegative ? exponent : -exponent
        }
        guard index == bytes.count else { throw .unexpectedByte(bytes[index], offset: index) }
        // A positive exponent larger than the fractional digits multiplies the mantissa.
        while scale < 0 {
            try Self.accumulate(&mantissa, 0)
            scale += 1
        }
        guard scale <= Int(Self.maxScale) else { throw .scaleTooLarge }
        self.init(mantissa: negative ? -mantissa : mantissa, scale: UInt8(scale))
    }

    /// Parses decimal text.
    public init(_ text: String) throws(DecimalParseError) {
        var text = text
        let result = text.withUTF8 { utf8 in
            Result { () throws(DecimalParseError) -> FixedDecimal in try FixedDecimal(parsing: UnsafeRawBufferPointer(utf8)) }
        }
        self = try result.get()
    }

    @inline(__always)
    static func digit(_ byte: UInt8) -> Int64? {
        let value = byte &- UInt8(ascii: "0")
        return value < 10 ? Int64(value) : nil
    }

    @inline(__always)
    static func accumulate(_ mantissa: inout Int64, _ digit: Int64) throws(DecimalParseError) {
        let (shifted, overflow1) = mantissa.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = shifted.addingReportingOverflow(digit)
        guard !overflow1, !overflow2 else { throw .mantissaOverflow }
        mantissa = sum
    }
}
