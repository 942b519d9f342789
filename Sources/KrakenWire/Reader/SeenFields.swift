/// The known fields of one object read so far, so a repeated key is refused with
/// `duplicateField` instead of one value silently winning. `Field` numbers the fields (at most 32).
struct SeenFields<Field: RawRepresentable> where Field.RawValue == Int {
    private var bits: UInt32 = 0

    /// Records `field` (named `name` on the wire); throws if it was read before.
    @inline(__always)
    mutating func once(_ field: Field, _ name: StaticString, at offset: Int) throws(WireError) {
        let bit: UInt32 = 1 << UInt32(field.rawValue)
        guard bits & bit == 0 else { throw WireError(.duplicateField(name.description), at: offset) }
        bits |= bit
    }
}
