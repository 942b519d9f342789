/// The checksum text of the best ten levels of one book side — each level's price digits
/// followed by its quantity digits — kept up to date as levels change, so a checksum costs one
/// CRC pass instead of re-rendering forty numbers on every update.
struct TopLevelText: Sendable {
    static let levels = 10
    static let slot = 2 * DigitWriter.maxDigits

    /// `levels + 1` fixed-size slots; slot i holds level i's text.
    private var bytes = [UInt8](repeating: 0, count: (TopLevelText.levels + 1) * TopLevelText.slot)
    private var lengths: [Int] = []

    init() {
        lengths.reserveCapacity(Self.levels + 1)
    }

    var count: Int { lengths.count }

    mutating func removeAll() { lengths.removeAll(keepingCapacity: true) }

    /// Level `index` (< 10) was inserted; the old tenth level, if any, drops out.
    mutating func insert(_ level: BookLevel, at index: Int) {
        guard index < Self.levels else { return }
        let moving = lengths.count - index
        bytes.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            if moving > 0 {
                (base + (index + 1) * Self.slot).update(from: base + index * Self.slot, count: moving * Self.slot)
            }
        }
        lengths.insert(0, at: index)
        render(level, at: index)
        if lengths.count > Self.levels { lengths.removeLast() }
    }

    /// Level `index` changed its quantity.
    mutating func replace(_ level: BookLevel, at index: Int) {
        guard index < lengths.count else { return }
        render(level, at: index)
    }

    /// Level `index` was removed; `next` is the level that now becomes the tenth, if any.
    mutating func remove(at index: Int, next: BookLevel?) {
        guard index < lengths.count else { return }
        let moving = lengths.count - index - 1
        bytes.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            if moving > 0 {
                (base + index * Self.slot).update(from: base + (index + 1) * Self.slot, count: moving * Self.slot)
            }
        }
        lengths.remove(at: index)
        if let next, lengths.count < Self.levels {
            lengths.append(0)
            render(next, at: lengths.count - 1)
        }
    }

    mutating func truncate(to depth: Int) {
        if lengths.count > depth { lengths.removeSubrange(depth...) }
    }

    private mutating func render(_ level: BookLevel, at index: Int) {
        lengths[index] = bytes.withUnsafeMutableBufferPointer { buffer in
            let start = buffer.baseAddress! + index * Self.slot
            let priceDigits = DigitWriter.write(level.price, to: start)
            return priceDigits + DigitWriter.write(level.quantity, to: start + priceDigits)
        }
    }

    /// Copies the text of the levels, best first, to `target`; returns the byte count. (One
    /// contiguous CRC run is about twice as fast as twenty short ones.)
    func copy(to target: UnsafeMutablePointer<UInt8>) -> Int {
        bytes.withUnsafeBufferPointer { source in
            var written = 0
            for (index, length) in lengths.enumerated() {
                (target + written).update(from: source.baseAddress! + index * Self.slot, count: length)
                written += length
            }
            return written
        }
    }

    /// The most bytes `copy` writes.
    static var capacity: Int { levels * slot }
}
