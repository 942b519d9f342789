import FixedPoint
import Foundation

/// The slow reference: any JSON text decoded by Foundation's `JSONDecoder` into a plain tree.
/// Numbers are `Decimal`, which `JSONDecoder` reads exactly from the number's text (it keeps
/// every significant digit but not trailing zeros: `40.0` becomes `40`).
///
/// A generic tree is usually decoded by trying each type in turn and catching the mismatch,
/// but Swift Testing records a backtrace for every error thrown in a test, which made that
/// ladder most of the suite's run time (and `JSONSerialization`, which could say the types,
/// runs slower on two threads than on one on Linux). So a `JSONShape` scan of the text says
/// which type each value has, and `JSONDecoder` decodes every value as exactly that type: a
/// wrong guess would be a decoding error, never a silent agreement.
enum JSONValue {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(Decimal)
    case bool(Bool)
    case null

    static func decode(_ bytes: [UInt8]) throws -> JSONValue {
        let decoder = JSONDecoder()
        decoder.userInfo[JSONShape.key] = try JSONShape(bytes)
        return try decoder.decode(Document.self, from: Data(bytes)).root
    }

    /// The top level, where the decoder hands over the frame's shape.
    private struct Document: Decodable {
        let root: JSONValue

        init(from decoder: any Decoder) throws {
            switch decoder.userInfo[JSONShape.key] as? JSONShape {
            case .object(let members)?: root = try JSONValue.object(members, decoder.container(keyedBy: Key.self))
            case .array(let elements)?: root = try JSONValue.array(elements, decoder.unkeyedContainer())
            default: throw ReferenceError("frame is neither an object nor an array")
            }
        }
    }

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private static func object(_ shape: [(String, JSONShape)], _ container: KeyedDecodingContainer<Key>) throws -> JSONValue {
        var members: [String: JSONValue] = [:]
        for (name, member) in shape {
            let key = Key(stringValue: name)
            switch member {
            case .object(let nested): members[name] = try object(nested, container.nestedContainer(keyedBy: Key.self, forKey: key))
            case .array(let nested): members[name] = try array(nested, container.nestedUnkeyedContainer(forKey: key))
            case .string: members[name] = .string(try container.decode(String.self, forKey: key))
            case .number: members[name] = .number(try container.decode(Decimal.self, forKey: key))
            case .bool: members[name] = .bool(try container.decode(Bool.self, forKey: key))
            case .null:
                guard try container.decodeNil(forKey: key) else { throw ReferenceError("\(name): not null") }
                members[name] = .null
            }
        }
        return .object(members)
    }

    private static func array(_ shape: [JSONShape], _ container: any UnkeyedDecodingContainer) throws -> JSONValue {
        var container = container
        var elements: [JSONValue] = []
        for element in shape {
            switch element {
            case .object(let nested): elements.append(try object(nested, container.nestedContainer(keyedBy: Key.self)))
            case .array(let nested): elements.append(try array(nested, container.nestedUnkeyedContainer()))
            case .string: elements.append(.string(try container.decode(String.self)))
            case .number: elements.append(.number(try container.decode(Decimal.self)))
            case .bool: elements.append(.bool(try container.decode(Bool.self)))
            case .null:
                guard try container.decodeNil() else { throw ReferenceError("not null") }
                elements.append(.null)
            }
        }
        return .array(elements)
    }
}

/// Which JSON type each value of a frame has, from a quick look at its text: the first byte of
/// each value, and the keys of objects. It checks nothing else; `JSONDecoder` does the decoding
/// (and the validating) of every value.
indirect enum JSONShape: Sendable {
    case object([(String, JSONShape)])
    case array([JSONShape])
    case string, number, bool, null

    static let key = CodingUserInfoKey(rawValue: "differential.jsonShape")!

    init(_ bytes: [UInt8]) throws {
        self = try bytes.withUnsafeBufferPointer { buffer in
            var scanner = Scanner(bytes: buffer.baseAddress!, count: buffer.count)
            return try scanner.value()
        }
    }

    /// A cursor over the text. Bytes are compared with numeric literals (`0x22` is `"`), which
    /// in an unoptimised build is much faster than `UInt8(ascii:)`.
    private struct Scanner {
        let bytes: UnsafePointer<UInt8>
        let count: Int
        var index = 0

        init(bytes: UnsafePointer<UInt8>, count: Int) {
            self.bytes = bytes
            self.count = count
        }

        /// The next byte that is not whitespace (moving to it), or nil at the end.
        mutating func next() -> UInt8? {
            while index < count {
                switch bytes[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                case let byte: return byte
                }
            }
            return nil
        }

        mutating func value() throws -> JSONShape {
            switch next() {
            case nil:
                throw ReferenceError("unexpected end")
            case 0x7B:  // {
                index += 1
                var members: [(String, JSONShape)] = []
                while let byte = next(), byte != 0x7D {  // }
                    if byte == 0x2C {  // ,
                        index += 1
                        continue
                    }
                    let start = index + 1
                    try skipString()
                    let key = UnsafeBufferPointer(start: bytes + start, count: index - 1 - start)
                    guard !key.contains(0x5C) else { throw ReferenceError("escaped object key") }  // \
                    _ = next()
                    index += 1  // the colon
                    members.append((String(decoding: key, as: UTF8.self), try value()))
                }
                index += 1
                return .object(members)
            case 0x5B:  // [
                index += 1
                var elements: [JSONShape] = []
                while let byte = next(), byte != 0x5D {  // ]
                    if byte == 0x2C {  // ,
                        index += 1
                        continue
                    }
                    elements.append(try value())
                }
                index += 1
                return .array(elements)
            case 0x22:  // "
                try skipString()
                return .string
            case let first?:
                scan: while index < count {
                    switch bytes[index] {
                    case 0x20, 0x0A, 0x0D, 0x09, 0x2C, 0x5D, 0x7D: break scan  // whitespace , ] }
                    default: index += 1
                    }
                }
                switch first {
                case 0x74, 0x66: return .bool  // t f
                case 0x6E: return .null  // n
                default: return .number
                }
            }
        }

        /// Moves past the string whose opening quote is at `index`.
        mutating func skipString() throws {
            index += 1
            while index < count, bytes[index] != 0x22 {  // "
                index += bytes[index] == 0x5C ? 2 : 1  // \ and the escaped byte
            }
            guard index < count else { throw ReferenceError("unterminated string") }
            index += 1
        }
    }
}

/// The reference decoder found the tree not shaped as the protocol says.
struct ReferenceError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Conversions from the Foundation tree to the scanner's value types, written without the
/// scanner's code: `Decimal` arithmetic and Foundation's ISO 8601 parser.
enum Reference {
    /// An exact decimal from a JSON number (v2) or a numeric string (v1). A JSON number comes
    /// at the smallest scale that holds it: `JSONDecoder` does not keep its trailing zeros. A
    /// numeric string still has all its digits, so its value gets the scale it was written with
    /// (`"5541.30000"` → scale 5), making v1 values comparable digit for digit.
    static func fixed(_ value: JSONValue, _ what: @autoclosure () -> String) throws -> FixedDecimal {
        let minimal = try fixed(decimal(value, what()), what())
        guard case .string(let text) = value, let point = text.firstIndex(of: "."),
            !text.contains(where: { $0 == "e" || $0 == "E" })
        else { return minimal }
        let written = text.distance(from: point, to: text.endIndex) - 1
        guard written > Int(minimal.scale), written <= Int(FixedDecimal.maxScale) else { return minimal }
        var mantissa = minimal.mantissa
        for _ in Int(minimal.scale)..<written {
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw ReferenceError("\(what()): \(text) does not fit a FixedDecimal") }
            mantissa = product
        }
        return FixedDecimal(mantissa: mantissa, scale: UInt8(written))
    }

    static let posix = Locale(identifier: "en_US_POSIX")

    static func decimal(_ value: JSONValue, _ what: @autoclosure () -> String) throws -> Decimal {
        switch value {
        case .number(let number): return number
        case .string(let text):
            guard let number = Decimal(string: text, locale: posix) else {
                throw ReferenceError("\(what()): \"\(text)\" is not a number")
            }
            return number
        default: throw ReferenceError("\(what()): \(value) is not a number")
        }
    }

    static let largestSignificand = Decimal(UInt64.max)

    /// A `Decimal`'s significand (its digits, without sign or exponent) as an integer.
    static func significand(_ number: Decimal, _ what: @autoclosure () -> String) throws -> UInt64 {
        let significand = number.significand
        guard number.isFinite, significand <= largestSignificand else {
            throw ReferenceError("\(what()): \(number) has more digits than 64 bits hold")
        }
        return NSDecimalNumber(decimal: significand).uint64Value
    }

    /// `Decimal` → `FixedDecimal` from its significand and exponent.
    static func fixed(_ number: Decimal, _ what: @autoclosure () -> String) throws -> FixedDecimal {
        var magnitude = try significand(number, what())
        var exponent = number.exponent
        while exponent < 0, magnitude % 10 == 0 {
            magnitude /= 10
            exponent += 1
        }
        while exponent > 0 {
            let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw ReferenceError("\(what()): \(number) overflows") }
            magnitude = product
            exponent -= 1
        }
        guard -exponent <= Int(FixedDecimal.maxScale), magnitude <= UInt64(Int64.max) else {
            throw ReferenceError("\(what()): \(number) does not fit a FixedDecimal")
        }
        let mantissa = Int64(magnitude)
        return FixedDecimal(mantissa: number.sign == .minus ? -mantissa : mantissa, scale: UInt8(-exponent))
    }

    /// A whole number, as sign and magnitude (`connection_id` exceeds `Int64.max`).
    static func integer(_ value: JSONValue, _ what: @autoclosure () -> String) throws -> (negative: Bool, magnitude: UInt64) {
        try integer(decimal(value, what()), what())
    }

    static func integer(_ number: Decimal, _ what: @autoclosure () -> String) throws -> (negative: Bool, magnitude: UInt64) {
        var magnitude = try significand(number, what())
        for _ in 0..<max(0, number.exponent) {
            let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw ReferenceError("\(what()): \(number) overflows") }
            magnitude = product
        }
        for _ in 0..<max(0, -number.exponent) {
            guard magnitude % 10 == 0 else { throw ReferenceError("\(what()): \(number) is not an integer") }
            magnitude /= 10
        }
        return (number.sign == .minus && magnitude != 0, magnitude)
    }

    static func uint64(_ value: JSONValue, _ what: @autoclosure () -> String) throws -> UInt64 {
        let (negative, magnitude) = try integer(value, what())
        guard !negative else { throw ReferenceError("\(what()): negative") }
        return magnitude
    }

    static func int64(_ value: JSONValue, _ what: @autoclosure () -> String) throws -> Int64 {
        let (negative, magnitude) = try integer(value, what())
        guard magnitude <= UInt64(Int64.max) else { throw ReferenceError("\(what()): exceeds Int64") }
        return negative ? -Int64(magnitude) : Int64(magnitude)
    }

    static let iso8601 = Date.ISO8601FormatStyle()

    /// RFC 3339 text → Unix nanoseconds: Foundation parses the date, time and offset to whole
    /// seconds; the fraction digits (which Foundation would round to about a microsecond) are
    /// added as an integer count of nanoseconds.
    static func nanoseconds(rfc3339 text: String) throws -> Int64 {
        var withoutFraction = text
        var fraction = ""
        if let dot = text.firstIndex(of: ".") {
            let rest = text[text.index(after: dot)...]
            let digits = rest.prefix { ("0"..."9").contains($0) }
            fraction = String(digits)
            withoutFraction = String(text[..<dot]) + String(rest.dropFirst(digits.count))
        }
        guard fraction.count <= 9 else { throw ReferenceError("\(text): more than 9 fraction digits") }
        let date = try iso8601.parse(withoutFraction)
        let seconds = Int64(date.timeIntervalSince1970)
        guard Double(seconds) == date.timeIntervalSince1970 else { throw ReferenceError("\(text): not whole seconds") }
        let nanoseconds = Int64(fraction + String(repeating: "0", count: 9 - fraction.count)) ?? 0
        return seconds * 1_000_000_000 + nanoseconds
    }

    /// v1 epoch seconds (`"1534614248.456738"`) → Unix nanoseconds, by `Decimal` multiplication.
    static func nanoseconds(epoch value: JSONValue, _ what: @autoclosure () -> String) throws -> Int64 {
        try int64(.number(try decimal(value, what()) * Decimal(1_000_000_000)), what())
    }
}

/// The members of one decoded object, read by name for the reference derivations.
struct Fields {
    let members: [String: JSONValue]
    /// Where the object is, for error messages (built only when one is needed).
    private let describe: () -> String

    var path: String { describe() }

    init(_ value: JSONValue, _ path: @autoclosure @escaping () -> String) throws {
        guard case .object(let members) = value else { throw ReferenceError("\(path()): not an object") }
        self.members = members
        self.describe = path
    }

    /// The member, or nil when it is absent or `null`.
    subscript(key: String) -> JSONValue? {
        switch members[key] {
        case nil, .null?: nil
        case let value?: value
        }
    }

    func required(_ key: String) throws -> JSONValue {
        guard let value = self[key] else { throw ReferenceError("\(path).\(key): missing") }
        return value
    }

    func string(_ key: String) throws -> String {
        guard case .string(let text) = try required(key) else { throw ReferenceError("\(path).\(key): not a string") }
        return text
    }

    func optionalString(_ key: String) throws -> String? { self[key] == nil ? nil : try string(key) }

    func bool(_ key: String) throws -> Bool {
        guard case .bool(let flag) = try required(key) else { throw ReferenceError("\(path).\(key): not a boolean") }
        return flag
    }

    func optionalBool(_ key: String) throws -> Bool? { self[key] == nil ? nil : try bool(key) }

    func fixed(_ key: String) throws -> FixedDecimal { try Reference.fixed(try required(key), "\(path).\(key)") }

    func optionalFixed(_ key: String) throws -> FixedDecimal? { self[key] == nil ? nil : try fixed(key) }

    func uint64(_ key: String) throws -> UInt64 { try Reference.uint64(try required(key), "\(path).\(key)") }

    func optionalUInt64(_ key: String) throws -> UInt64? { self[key] == nil ? nil : try uint64(key) }

    func int64(_ key: String) throws -> Int64 { try Reference.int64(try required(key), "\(path).\(key)") }

    func optionalInt64(_ key: String) throws -> Int64? { self[key] == nil ? nil : try int64(key) }

    func int(_ key: String) throws -> Int { Int(try int64(key)) }

    func optionalInt(_ key: String) throws -> Int? { self[key] == nil ? nil : try int(key) }

    func timestamp(_ key: String) throws -> Int64 { try Reference.nanoseconds(rfc3339: try string(key)) }

    func optionalTimestamp(_ key: String) throws -> Int64? { self[key] == nil ? nil : try timestamp(key) }

    func epoch(_ key: String) throws -> Int64 { try Reference.nanoseconds(epoch: try required(key), "\(path).\(key)") }

    func optionalEpoch(_ key: String) throws -> Int64? { self[key] == nil ? nil : try epoch(key) }

    func object(_ key: String) throws -> Fields { try Fields(try required(key), "\(path).\(key)") }

    func optionalObject(_ key: String) throws -> Fields? { self[key] == nil ? nil : try object(key) }

    func array(_ key: String) throws -> [JSONValue] {
        guard case .array(let elements) = try required(key) else { throw ReferenceError("\(path).\(key): not an array") }
        return elements
    }

    /// The array's elements as objects; an absent array is empty.
    func objects(_ key: String) throws -> [Fields] {
        guard self[key] != nil else { return [] }
        return try array(key).enumerated().map { index, element in try Fields(element, "\(path).\(key)[\(index)]") }
    }
}
