import FixedPoint

/// A JSON document as a generator means it, before it is written out: the writer decides the
/// key order, the whitespace, which unknown members to add and how to escape free text.
indirect enum GeneratedJSON {
    /// An object with fixed field names: its keys may be shuffled and unknown members added.
    case object([(String, GeneratedJSON)])
    /// An object whose keys are data (v1 `{tradeid: {…}}`): nothing may be added to it.
    case closedObject([(String, GeneratedJSON)])
    case array([GeneratedJSON])
    /// Free text: written with any valid escapes.
    case text(String)
    /// A string written exactly as given, never escaped (keywords, v1 numeric strings).
    case verbatim(String)
    /// A number or literal token written as given (`0.5117`, `1e-08`, `true`, `null`).
    case token(String)

    static let null = GeneratedJSON.token("null")

    static func bool(_ value: Bool) -> GeneratedJSON { .token(value ? "true" : "false") }

    static func integer<T: BinaryInteger>(_ value: T) -> GeneratedJSON { .token(String(value)) }
}

/// How one frame is written: every generated frame picks its own style.
struct FrameStyle {
    /// 0: compact, 1: single spaces here and there, 2: any JSON whitespace anywhere.
    var whitespace: Int
    /// Chance that an object's members are written in a shuffled order.
    var shuffle: Double
    /// Chance that an object gets unknown members (which the parser must skip).
    var unknownMembers: Double
    /// Chance that an escapable character of free text is escaped.
    var escapes: Double

    static func random(_ random: inout DifferentialRandom) -> FrameStyle {
        FrameStyle(
            whitespace: random.pick([0, 0, 0, 1, 2]), shuffle: random.pick([0, 0, 0.5, 1]),
            unknownMembers: random.pick([0, 0, 0.15, 0.4]), escapes: random.pick([0, 0.3, 1]))
    }
}

/// Writes a `GeneratedJSON` as JSON text in a given style.
struct FrameWriter {
    var random: DifferentialRandom
    let style: FrameStyle
    private(set) var output = ""
    private var unknownCounter = 0

    init(random: DifferentialRandom, style: FrameStyle) {
        self.random = random
        self.style = style
    }

    mutating func write(_ value: GeneratedJSON) {
        space()
        switch value {
        case .object(let members):
            var members = members
            if random.chance(style.unknownMembers) {
                for _ in 0..<random.int(1...2) {
                    unknownCounter += 1
                    let member = ("x_unknown_\(unknownCounter)", unknownValue(depth: 0))
                    members.insert(member, at: random.int(0...members.count))
                }
            }
            writeMembers(random.chance(style.shuffle) ? random.shuffled(members) : members)
        case .closedObject(let members):
            writeMembers(members)
        case .array(let elements):
            output += "["
            var first = true
            for element in elements {
                if !first { output += "," }
                first = false
                write(element)
            }
            if elements.isEmpty { space() }
            output += "]"
        case .text(let text):
            writeText(text)
        case .verbatim(let text):
            output += "\""
            output += text
            output += "\""
        case .token(let token):
            output += token
        }
        space()
    }

    private mutating func writeMembers(_ members: [(String, GeneratedJSON)]) {
        output += "{"
        var first = true
        for (key, value) in members {
            if !first { output += "," }
            first = false
            space()
            output += "\""
            output += key
            output += "\""
            space()
            output += ":"
            write(value)
        }
        if members.isEmpty { space() }
        output += "}"
    }

    private mutating func space() {
        guard style.whitespace > 0 else { return }
        switch style.whitespace {
        case 1: if random.chance(0.3) { output += " " }
        case 2: if random.chance(0.5) { output += random.string(" \n\t\r", count: random.int(1...3)) }
        default: break
        }
    }

    /// A value Kraken might add one day: any JSON shape, escapes included.
    private mutating func unknownValue(depth: Int) -> GeneratedJSON {
        switch random.int(0...(depth < 2 ? 7 : 5)) {
        case 0: return .token(random.pick(["0", "-7", "123.4500", "1e-3", "2.5E+10", "-0.000001"]))
        case 1: return .token(random.pick(["true", "false", "null"]))
        case 2: return .text(FrameWriter.freeText(&random))
        case 3: return .verbatim("45285.20000")
        case 4: return .token(String(random.uint64(0...UInt64.max)))
        case 5: return .array([])
        case 6: return .array((0..<random.int(1...3)).map { _ in unknownValue(depth: depth + 1) })
        default:
            return .object((0..<random.int(0...3)).map { index in ("k\(index)", unknownValue(depth: depth + 1)) })
        }
    }

    /// Text with characters that need or allow escaping: quotes, backslashes, slashes, controls,
    /// accented letters, symbols outside the Basic Multilingual Plane.
    static func freeText(_ random: inout DifferentialRandom) -> String {
        let pieces = [
            "Order", " ", "cancel", "User requested", "/", "\"", "\\", "\n", "\t", "é", "ü", "€", "日本", "😀", "\u{1}",
            "EOrder:Insufficient funds", "a/b", "ß", "\u{7F}", "\r",
        ]
        return (0..<random.int(0...6)).map { _ in random.pick(pieces) }.joined()
    }

    private mutating func writeText(_ text: String) {
        output += "\""
        for scalar in text.unicodeScalars {
            let escape = random.chance(style.escapes)
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += escape ? "\\u005C" : "\\\\"
            case "/": output += escape ? "\\/" : "/"
            case "\n": output += escape ? "\\u000a" : "\\n"
            case "\t": output += "\\t"
            case "\r": output += "\\r"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 || (escape && (scalar.value >= 0x7F || random.chance(0.1))) {
                    output += Self.unicodeEscape(scalar, uppercase: random.chance(0.5))
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    /// `\u00e9`, or a surrogate pair for scalars beyond U+FFFF.
    static func unicodeEscape(_ scalar: Unicode.Scalar, uppercase: Bool) -> String {
        func hex(_ unit: UInt32) -> String {
            let digits = String(unit, radix: 16, uppercase: uppercase)
            return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
        }
        guard scalar.value > 0xFFFF else { return hex(scalar.value) }
        let value = scalar.value - 0x10000
        return hex(0xD800 + (value >> 10)) + hex(0xDC00 + (value & 0x3FF))
    }
}

/// One generated frame: its text, the seed it came from, and every decimal the generator wrote
/// into a field the parser keeps, with the digits exactly as written.
struct GeneratedFrame {
    var seed: UInt64
    var text: String
    var kept: [FixedDecimal]
}
