/// One side of an `L2Book`: its levels sorted best first in blocks of at most `2 × blockSize`,
/// so an insert or a delete moves at most one block's levels, wherever in the book it lands.
/// (At depth 1000 a single sorted array moved up to 24 KB per change, and a depth-1000 stream
/// changes levels all through the book, not only near the top.)
/// A full block is split in two; an emptied block is dropped; levels beyond the depth are cut
/// from the last blocks. Only the ten best levels' positions matter to the checksum digests,
/// so a position is counted from the top only as far as ten.
struct BookSideStorage: Sendable {
    /// Best first; every block sorted best first and never empty.
    private(set) var blocks: [[BookLevel]] = []
    private(set) var count = 0
    /// true for bids (best = highest price), false for asks (best = lowest).
    let descending: Bool

    static let blockSize = 64

    init(descending: Bool) {
        self.descending = descending
    }

    /// The level at best-first position `index` (walks the blocks: for views and the tenth level).
    subscript(bestFirst index: Int) -> BookLevel {
        var remaining = index
        for block in blocks.indices {
            let size = blocks[block].count
            if remaining < size { return blocks[block][remaining] }
            remaining -= size
        }
        preconditionFailure("level \(index) of \(count)")
    }

    mutating func removeAll() {
        blocks.removeAll(keepingCapacity: true)
        count = 0
    }

    enum Change {
        case none
        case inserted(at: Int)
        case replaced(at: Int)
        case removed(at: Int)
    }

    /// Inserts, replaces or (quantity 0) deletes `level`; returns what happened at which
    /// best-first position (exact below ten; ten or more otherwise), for the checksum digests.
    mutating func apply(_ level: BookLevel) -> Change {
        var block = blockIndex(for: level)
        if block == blocks.count {
            // Worse than every level: the end of the last block, or a new one.
            guard level.quantity != 0 else { return .none }
            let top = positionCap(before: block)
            if let last = blocks.indices.last, blocks[last].count < Self.blockSize {
                blocks[last].append(level)
            } else {
                var fresh: [BookLevel] = []
                fresh.reserveCapacity(2 * Self.blockSize)
                fresh.append(level)
                blocks.append(fresh)
            }
            count += 1
            return .inserted(at: top)
        }
        let (offset, found) = Self.position(of: level, in: blocks[block], descending: descending)
        let top = positionCap(before: block) + offset
        if level.quantity == 0 {
            guard found else { return .none }
            blocks[block].remove(at: offset)
            if blocks[block].isEmpty { blocks.remove(at: block) }
            count -= 1
            return .removed(at: top)
        }
        if found {
            blocks[block][offset] = level
            return .replaced(at: top)
        }
        blocks[block].insert(level, at: offset)
        count += 1
        if blocks[block].count >= 2 * Self.blockSize {
            var tail: [BookLevel] = []
            tail.reserveCapacity(2 * Self.blockSize)
            tail.append(contentsOf: blocks[block][Self.blockSize...])
            blocks[block].removeSubrange(Self.blockSize...)
            block += 1
            blocks.insert(tail, at: block)
        }
        return .inserted(at: top)
    }

    /// Keeps the best `depth` levels.
    mutating func truncate(to depth: Int) {
        while count > depth, let last = blocks.indices.last {
            let excess = count - depth
            if excess >= blocks[last].count {
                count -= blocks[last].count
                blocks.removeLast()
            } else {
                blocks[last].removeLast(excess)
                count -= excess
            }
        }
    }

    /// The levels in the blocks before `block`, counted up to ten (all the digests look at).
    @inline(__always)
    private func positionCap(before block: Int) -> Int {
        var total = 0
        var index = 0
        while index < block, total < TopLevelDigests.levels {
            total += blocks[index].count
            index += 1
        }
        return total
    }

    /// The first block whose worst level is not better than `level` (where `level` belongs),
    /// or `blocks.count` when every level is better.
    @inline(__always)
    private func blockIndex(for level: BookLevel) -> Int {
        var low = 0
        var high = blocks.count
        while low < high {
            let middle = (low &+ high) >> 1
            if isBetter(blocks[middle][blocks[middle].count - 1], than: level) { low = middle &+ 1 } else { high = middle }
        }
        return low
    }

    @inline(__always)
    private func isBetter(_ kept: BookLevel, than level: BookLevel) -> Bool {
        let order = kept.comparePrice(to: level.price, scale: level.priceScale)
        return descending ? order > 0 : order < 0
    }

    /// Within one block: the first position whose level is not better than `level`, and
    /// whether it has `level`'s price.
    @inline(__always)
    private static func position(of level: BookLevel, in levels: [BookLevel], descending: Bool) -> (index: Int, found: Bool) {
        levels.withUnsafeBufferPointer { buffer in
            var low = 0
            var high = buffer.count
            let price = level.price
            let scale = level.priceScale
            while low < high {
                let middle = (low &+ high) >> 1
                let order = buffer[middle].comparePrice(to: price, scale: scale)
                if descending ? order > 0 : order < 0 { low = middle &+ 1 } else { high = middle }
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

    /// Walks the blocks in order (a subscript per level would walk them from the start each time).
    public func makeIterator() -> Iterator { Iterator(blocks: storage.blocks) }

    public struct Iterator: IteratorProtocol {
        let blocks: [[BookLevel]]
        var block = 0
        var offset = 0

        public mutating func next() -> BookLevel? {
            while block < blocks.count {
                if offset < blocks[block].count {
                    defer { offset += 1 }
                    return blocks[block][offset]
                }
                block += 1
                offset = 0
            }
            return nil
        }
    }
}
