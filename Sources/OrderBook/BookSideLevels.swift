/// One side of an `L2Book`, sorted and stored best level last, so an insert or a delete moves
/// only the shorter part of the side: the better levels (few, at the top, where most updates
/// land) or the worse ones (few, at the bottom, where Kraken republishes levels entering the
/// depth). Levels are a trivial type, so each move is one `memmove` (`moveInitialize` allows
/// the regions to overlap). Levels that fall out of the depth are dropped at the front by
/// advancing `start`; the array is compacted once a depth's worth of dropped levels has
/// gathered, so truncation costs O(1) amortised.
struct BookSideStorage: Sendable {
    /// Worst first; `levels[start...]` are the live ones.
    private(set) var levels: [BookLevel] = []
    private(set) var start = 0
    /// true for bids (best = highest price), false for asks (best = lowest).
    let descending: Bool

    init(descending: Bool, capacity: Int) {
        self.descending = descending
        levels.reserveCapacity(capacity)
    }

    var count: Int { levels.count - start }

    /// The level at best-first position `index`.
    @inline(__always)
    subscript(bestFirst index: Int) -> BookLevel { levels[levels.count - 1 - index] }

    mutating func removeAll() {
        levels.removeAll(keepingCapacity: true)
        start = 0
    }

    /// Inserts, replaces or (quantity 0) deletes `level`; returns what happened at which
    /// best-first position, for the checksum digests. An insert or a delete moves whichever
    /// part of the side is shorter: the better levels towards the end, or the worse ones into
    /// a dropped slot before `start` — so changes at the bottom (Kraken's republished levels
    /// entering the depth) are as cheap as those at the top.
    @inline(__always)
    mutating func apply(_ level: BookLevel) -> Change {
        let (index, found) = position(of: level)
        let end = levels.count
        if level.quantity == 0 {
            guard found else { return .none }
            let bestFirst = end - 1 - index
            let start = self.start
            levels.withUnsafeMutableBufferPointer { buffer in
                let base = buffer.baseAddress!
                if index - start < end - 1 - index {
                    (base + start + 1).moveInitialize(from: base + start, count: index - start)
                } else {
                    (base + index).moveInitialize(from: base + index + 1, count: end - 1 - index)
                }
            }
            if index - start < end - 1 - index { self.start += 1 } else { levels.removeLast() }
            return .removed(at: bestFirst)
        }
        if found {
            levels.withUnsafeMutableBufferPointer { $0[index] = level }
            return .replaced(at: end - 1 - index)
        }
        if start > 0 && index - start < end - index {
            // Into the dropped slot before `start`: the worse levels move down by one.
            let start = self.start
            levels.withUnsafeMutableBufferPointer { buffer in
                let base = buffer.baseAddress!
                (base + start - 1).moveInitialize(from: base + start, count: index - start)
                base[index - 1] = level
            }
            self.start -= 1
            return .inserted(at: end - index)
        }
        // Grow by one (amortised), then open the gap among the better levels after it.
        levels.append(level)
        levels.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            (base + index + 1).moveInitialize(from: base + index, count: end - index)
            base[index] = level
        }
        return .inserted(at: end - index)
    }

    /// Keeps the best `depth` levels.
    mutating func truncate(to depth: Int) {
        guard count > depth else { return }
        start = levels.count - depth
        if start >= max(depth, 16) {
            levels.removeSubrange(0..<start)
            start = 0
        }
    }

    enum Change {
        case none
        case inserted(at: Int)
        case replaced(at: Int)
        case removed(at: Int)
    }

    /// In storage order (worst first): the first index at or after `start` whose level is
    /// better than `level`'s price or equal to it, and whether it is equal.
    @inline(__always)
    private func position(of level: BookLevel) -> (index: Int, found: Bool) {
        levels.withUnsafeBufferPointer { buffer in
            var low = start
            var high = buffer.count
            let price = level.price
            let scale = level.priceScale
            while low < high {
                let middle = (low &+ high) >> 1
                let order = buffer[middle].comparePrice(to: price, scale: scale)
                // Worse than `level`: lower for bids, higher for asks.
                if descending ? order < 0 : order > 0 { low = middle &+ 1 } else { high = middle }
            }
            return (low, low < buffer.count && buffer[low].comparePrice(to: price, scale: scale) == 0)
        }
    }
}

/// One side of a book, best level first, read in place (no copy of the levels).
public struct BookSideLevels: RandomAccessCollection, Sendable {
    let storage: BookSideStorage

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }

    public subscript(position: Int) -> BookLevel {
        precondition(position >= 0 && position < storage.count, "level index out of range")
        return storage[bestFirst: position]
    }
}
