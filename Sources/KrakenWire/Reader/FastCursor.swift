import FixedPoint

/// A cursor that only moves forward on an exact match and never throws: every method returns
/// nil/false on the first surprise. Where eight bytes are left in the frame it reads a word at
/// a time (SWAR); near the end it falls back to single bytes.
struct FastCursor {
    let base: UnsafeRawPointer
    let count: Int
    var index = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        base = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        count = bytes.count
    }

    var atEnd: Bool { index == count }

    @inline(__always)
    func byte(at position: Int) -> UInt8 { base.load(fromByteOffset: position, as: UInt8.self) }

    /// The eight bytes at `position`, the first in the low bits. Callers check the bounds.
    @inline(__always)
    func word(at position: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    /// Consumes `text` if the frame continues with exactly these bytes (compared as words:
    /// overlapping loads cover every length without a byte loop).
    @inline(__always)
    mutating func literal(_ text: StaticString) -> Bool {
        let length = text.utf8CodeUnitCount
        guard index + length <= count else { return false }
        let expected = UnsafeRawPointer(text.utf8Start)
        let here = base + index
        func same<Word: FixedWidthInteger>(_: Word.Type, at offset: Int) -> Bool {
            here.loadUnaligned(fromByteOffset: offset, as: Word.self)
                == expected.loadUnaligned(fromByteOffset: offset, as: Word.self)
        }
        if length >= 8 {
            var offset = 0
            while offset + 8 < length {
                guard same(UInt64.self, at: offset) else { return false }
                offset += 8
            }
            guard same(UInt64.self, at: length - 8) else { return false }
        } else if length >= 4 {
            guard same(UInt32.self, at: 0), same(UInt32.self, at: length - 4) else { return false }
        } else if length >= 2 {
            guard same(UInt16.self, at: 0), same(UInt16.self, at: length - 2) else { return false }
        } else if length == 1 {
            guard same(UInt8.self, at: 0) else { return false }
        }
        index += length
        return true
    }

    /// `update"` or `snapshot"` without the closing quote.
    mutating func kind() -> MessageKind? {
        if literal("update") { return .update }
        if literal("snapshot") { return .snapshot }
        return nil
    }

    /// Printable ASCII up to a closing quote (consumed); nil on an escape or any other byte.
    mutating func plainString() -> String? {
        guard let length = plainStringLength() else { return nil }
        let text = String(decoding: UnsafeRawBufferPointer(start: base + index, count: length), as: UTF8.self)
        index += length + 1
        return text
    }

    /// How many printable, unescaped ASCII bytes come before the next quote (not consumed);
    /// nil on an escape, any other byte or the end of the frame.
    func plainStringLength() -> Int? {
        var position = index
        while position < count {
            let value = byte(at: position)
            if value == UInt8(ascii: "\"") { return position - index }
            guard value &- 0x20 < 0x5F, value != UInt8(ascii: "\\") else { return nil }
            position += 1
        }
        return nil
    }

    /// `-?digits(.digits)?` with at most 18 digits, ending before `,`, `}` or `]`.
    @inline(__always)
    mutating func decimal() -> FixedDecimal? { decimal(quoted: false) }

    /// The same number written as a string (v1): the digits after an opening quote already
    /// consumed, ending at the closing quote, which is consumed too.
    @inline(__always)
    mutating func quotedDecimalBody() -> FixedDecimal? { decimal(quoted: true) }

    /// Kraken's numbers — up to 15 integer and 8 fraction digits — are read a word at a time:
    /// the digit run of each word is found with a mask and converted in a few multiplications.
    /// Anything longer, and the last bytes of a frame, go through `decimalByBytes`, which reads
    /// the same grammar a byte at a time.
    @inline(__always)
    private mutating func decimal(quoted: Bool) -> FixedDecimal? {
        let start = index
        guard start + 18 <= count else { return decimalByBytes(quoted: quoted) }
        let negative = byte(at: start) == UInt8(ascii: "-")
        let integerStart = negative ? start &+ 1 : start
        let integerWord = word(at: integerStart)
        var integerDigits = Self.leadingDigits(integerWord)
        guard integerDigits > 0 else { return nil }
        var mantissa = Int64(Self.value(integerWord, digits: integerDigits))
        var position = integerStart &+ integerDigits
        if integerDigits == 8 {
            // Epoch seconds (v1 timestamps) have ten integer digits: a second word.
            guard start + 27 <= count else { return decimalByBytes(quoted: quoted) }
            let highWord = word(at: position)
            let more = Self.leadingDigits(highWord)
            guard more < 8 else { return decimalByBytes(quoted: quoted) }
            if more > 0 {
                mantissa = mantissa &* Self.powersOfTen[more] &+ Int64(Self.value(highWord, digits: more))
                position &+= more
                integerDigits &+= more
            }
        }
        var fractionDigits = 0
        if byte(at: position) == UInt8(ascii: ".") {
            let fractionWord = word(at: position &+ 1)
            fractionDigits = Self.leadingDigits(fractionWord)
            guard fractionDigits > 0 else { return nil }
            position &+= 1 &+ fractionDigits
            if fractionDigits == 8, byte(at: position) &- 0x30 < 10 { return decimalByBytes(quoted: quoted) }
            guard integerDigits &+ fractionDigits <= 18 else { return nil }
            mantissa = mantissa &* Self.powersOfTen[fractionDigits] &+ Int64(Self.value(fractionWord, digits: fractionDigits))
        }
        if quoted {
            guard byte(at: position) == UInt8(ascii: "\"") else { return nil }
            position &+= 1
        } else {
            guard Self.endsNumber(byte(at: position)) else { return nil }
        }
        index = position
        return FixedDecimal(mantissa: negative ? -mantissa : mantissa, scale: UInt8(fractionDigits))
    }

    /// `decimal()` a byte at a time.
    mutating func decimalByBytes(quoted: Bool = false) -> FixedDecimal? {
        var position = index
        guard position < count else { return nil }
        let negative = byte(at: position) == UInt8(ascii: "-")
        if negative { position += 1 }
        var mantissa: Int64 = 0
        let integerStart = position
        accumulateDigits(&mantissa, &position)
        let integerDigits = position - integerStart
        var fractionDigits = 0
        if position < count, byte(at: position) == UInt8(ascii: ".") {
            position += 1
            let fractionStart = position
            accumulateDigits(&mantissa, &position)
            fractionDigits = position - fractionStart
            guard fractionDigits > 0 else { return nil }
        }
        guard integerDigits > 0, integerDigits + fractionDigits <= 18, position < count else { return nil }
        if quoted {
            guard byte(at: position) == UInt8(ascii: "\"") else { return nil }
            position += 1
        } else {
            guard Self.endsNumber(byte(at: position)) else { return nil }
        }
        index = position
        return FixedDecimal(mantissa: negative ? -mantissa : mantissa, scale: UInt8(fractionDigits))
    }

    @inline(__always)
    static func endsNumber(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")
    }

    /// Appends decimal digits to `mantissa` (wrapping; callers bound the digit count).
    @inline(__always)
    func accumulateDigits(_ mantissa: inout Int64, _ position: inout Int) {
        while position < count {
            let digit = byte(at: position) &- 0x30
            guard digit < 10 else { return }
            mantissa = mantissa &* 10 &+ Int64(digit)
            position += 1
        }
    }

    /// Up to 19 digits (always fits UInt64), ending before `,` or `}`. Up to 16 digits are
    /// read as two words, like `decimal()`.
    mutating func unsigned() -> UInt64? {
        var position = index
        var value: UInt64
        if position + 17 <= count {
            let high = word(at: position)
            let highDigits = Self.leadingDigits(high)
            guard highDigits > 0 else { return nil }
            value = Self.value(high, digits: highDigits)
            position &+= highDigits
            if highDigits == 8 {
                let low = word(at: position)
                let lowDigits = Self.leadingDigits(low)
                if lowDigits == 8 { return unsignedByBytes() }
                if lowDigits > 0 {
                    value = value &* UInt64(Self.powersOfTen[lowDigits]) &+ Self.value(low, digits: lowDigits)
                    position &+= lowDigits
                }
            }
        } else {
            return unsignedByBytes()
        }
        let next = byte(at: position)
        guard next == UInt8(ascii: ",") || next == UInt8(ascii: "}") else { return nil }
        index = position
        return value
    }

    /// `unsigned()` a byte at a time.
    mutating func unsignedByBytes() -> UInt64? {
        var position = index
        var value: UInt64 = 0
        while position < count, position - index < 19 {
            let digit = byte(at: position) &- 0x30
            guard digit < 10 else { break }
            value = value &* 10 &+ UInt64(digit)
            position += 1
        }
        guard position > index, position < count else { return nil }
        switch byte(at: position) {
        case UInt8(ascii: ","), UInt8(ascii: "}"): break
        default: return nil
        }
        index = position
        return value
    }

    /// 10⁰ … 10¹⁸.
    static let powersOfTen: [Int64] = [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000,
    ]

    /// A word with a non-zero byte wherever `word` has a byte that is not an ASCII digit (a
    /// carry can only disturb bytes after the first non-digit).
    @inline(__always)
    static func nonDigits(_ word: UInt64) -> UInt64 {
        let highNibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        let threes: UInt64 = 0x3030_3030_3030_3030
        return ((word & highNibbles) ^ threes) | (((word &+ 0x0606_0606_0606_0606) & highNibbles) ^ threes)
    }

    /// How many of the word's bytes, from the first, are ASCII digits (0–8).
    @inline(__always)
    static func leadingDigits(_ word: UInt64) -> Int {
        nonDigits(word).trailingZeroBitCount >> 3
    }

    /// The value of the first `digits` (1–8) bytes of `word`, all ASCII digits: the digits are
    /// moved to the top (the bytes below become leading zeros), then adjacent lanes are merged
    /// pairwise — ×10, ×100, ×10⁴ — without a carry crossing a lane.
    @inline(__always)
    static func value(_ word: UInt64, digits: Int) -> UInt64 {
        var lanes = (word ^ 0x3030_3030_3030_3030) << (64 - 8 * digits)
        lanes = (lanes &* 10 &+ (lanes >> 8)) & 0x00FF_00FF_00FF_00FF
        lanes = (lanes &* 100 &+ (lanes >> 16)) & 0x0000_FFFF_0000_FFFF
        return (lanes &* 10_000 &+ (lanes >> 32)) & 0xFFFF_FFFF
    }
}

extension Array {
    /// Empties the array, keeping its buffer for the next message. A few trivial values are
    /// popped (cheaper than the generic `removeAll(keepingCapacity:)`); a snapshot's hundreds
    /// of levels are removed at once.
    @inline(__always)
    mutating func emptyKeepingBuffer() {
        if count > 16 {
            removeAll(keepingCapacity: true)
        } else {
            while popLast() != nil {}
        }
    }
}
