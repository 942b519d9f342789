import FixedPoint

/// A stable text rendering of any parsed message, walked with `Mirror`, in which every
/// `FixedDecimal` is written in a normalised form (trailing fraction zeros stripped, so
/// `40.0` and `40` read the same). Two messages of one type render alike exactly when they
/// hold the same numbers, strings, flags and cases: Foundation drops trailing zeros, so this
/// is how the scanner's result and the Foundation-derived one are compared. The walk also
/// collects every decimal exactly as stored, to check the digits against those written.
struct Canonical {
    private(set) var text = ""
    private(set) var decimals: [FixedDecimal] = []

    init(_ value: Any) {
        write(value)
    }

    static func text(_ value: Any) -> String { Canonical(value).text }

    /// `mantissa e-scale` with trailing fraction zeros removed: 0.05000 → `5e-2`.
    static func normalised(_ decimal: FixedDecimal) -> String {
        var mantissa = decimal.mantissa
        var scale = decimal.scale
        while scale > 0, mantissa % 10 == 0 {
            mantissa /= 10
            scale -= 1
        }
        return "\(mantissa)e-\(scale)"
    }

    private mutating func write(_ value: Any) {
        // Scalars (and optional scalars) are written without a Mirror: they are most of the
        // nodes, and reflecting each of them made this walk the slowest part of the suite.
        if let leaf = value as? any CanonicalLeaf {
            leaf.write(into: &self)
            return
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .struct?, .class?, .tuple?:
            text += "("
            var first = true
            for child in mirror.children {
                if !first { text += ", " }
                first = false
                text += child.label ?? "_"
                text += ": "
                write(child.value)
            }
            text += ")"
        case .optional?:
            if let wrapped = mirror.children.first { write(wrapped.value) } else { text += "nil" }
        case .enum?:
            if let payload = mirror.children.first {
                text += "."
                text += payload.label ?? "?"
                text += "("
                write(payload.value)
                text += ")"
            } else {
                text += ".\(value)"
            }
        case .collection?:
            text += "["
            var first = true
            for element in mirror.children {
                if !first { text += ", " }
                first = false
                write(element.value)
            }
            text += "]"
        default:
            text += "\(value)"
        }
    }

    fileprivate mutating func writeDecimal(_ decimal: FixedDecimal) {
        decimals.append(decimal)
        text += Self.normalised(decimal)
    }

    fileprivate mutating func writeScalar(_ scalar: String) {
        text += scalar
    }

    /// The name of an enum value's case (`ticker` for `.ticker(…)`, `heartbeat`).
    static func caseName(_ value: Any) -> String {
        Mirror(reflecting: value).children.first?.label ?? "\(value)"
    }

    /// Decimals as `mantissa/scale`, sorted, for comparing the digits kept with those written.
    static func exactDigits(_ decimals: [FixedDecimal]) -> [String] {
        decimals.map { "\($0.mantissa)/\($0.scale)" }.sorted()
    }
}

/// A value `Canonical` writes directly rather than through a `Mirror`.
private protocol CanonicalLeaf {
    func write(into canonical: inout Canonical)
}

extension FixedDecimal: CanonicalLeaf {
    fileprivate func write(into canonical: inout Canonical) { canonical.writeDecimal(self) }
}

extension String: CanonicalLeaf {
    fileprivate func write(into canonical: inout Canonical) { canonical.writeScalar(debugDescription) }
}

extension Bool: CanonicalLeaf {
    fileprivate func write(into canonical: inout Canonical) { canonical.writeScalar(self ? "true" : "false") }
}

extension Int: CanonicalLeaf {
    fileprivate func write(into canonical: inout Canonical) { canonical.writeScalar(String(self)) }
}

extension Int64: CanonicalLeaf {
    fileprivate func write(into canonical: inout Canonical) { canonical.writeScalar(String(self)) }
}

extension UInt64: CanonicalLeaf {
    fileprivate func write(into canonical: inout Canonical) { canonical.writeScalar(String(self)) }
}

extension UInt32: CanonicalLeaf {
    fileprivate func write(into canonical: inout Canonical) { canonical.writeScalar(String(self)) }
}

extension Optional: CanonicalLeaf where Wrapped: CanonicalLeaf {
    fileprivate func write(into canonical: inout Canonical) {
        switch self {
        case .some(let wrapped): wrapped.write(into: &canonical)
        case .none: canonical.writeScalar("nil")
        }
    }
}
