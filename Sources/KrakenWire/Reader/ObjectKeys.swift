/// The keys of one JSON object read so far, so that a repeated key anywhere in a frame is
/// refused with `duplicateField` instead of one value silently winning: Kraken never repeats a
/// key, so a frame that does is not Kraken's. Keys are compared as written (an escaped spelling
/// of a key counts as another key; Kraken's keys are plain ASCII). The first 16 keys are kept
/// on the stack, so checking costs no allocation on any object Kraken sends.
struct ObjectKeys {
    private static let inlineCapacity = 16
    private var inline = InlineArray<16, UnsafeRawBufferPointer>(repeating: UnsafeRawBufferPointer(start: nil, count: 0))
    private var count = 0
    private var overflow: [UnsafeRawBufferPointer] = []

    /// Records `key`, read at `offset`; throws if the object had it already.
    @inline(__always)
    mutating func insert(_ key: RawString, at offset: Int) throws(WireError) {
        let bytes = key.bytes
        for index in 0..<min(count, Self.inlineCapacity) where Self.same(inline[index], bytes) {
            throw WireError(.duplicateField(key.string), at: offset)
        }
        for earlier in overflow where Self.same(earlier, bytes) {
            throw WireError(.duplicateField(key.string), at: offset)
        }
        if count < Self.inlineCapacity {
            inline[count] = bytes
        } else {
            overflow.append(bytes)
        }
        count += 1
    }

    @inline(__always)
    private static func same(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        for index in 0..<a.count where a[index] != b[index] { return false }
        return true
    }
}
