import FixedPoint
import KrakenWire
import OrderBook
import WireFormat

/// One symbol's book at one depth, kept exact from Kraken's `book` messages (v2, with every
/// number padded to the instrument's precision, or v1, with every string's digits as
/// received — the same CRC32 over the digits each version's checksum covers). Every message
/// is verified against its checksum before anything is published: a mismatch yields a
/// `BookReset` (with a new generation) instead of the update, the book is dropped, and updates
/// are ignored until the next snapshot — so no book state that failed its checksum ever reaches
/// the bus. Synchronous and allocation-light: it runs inline on the connection's event loop.
public struct BookKeeper: Sendable {
    /// Where the book stands.
    public enum Phase: Sendable, Equatable {
        /// Subscribed; the snapshot has not come yet.
        case awaitingSnapshot
        case live
        /// A checksum failed or the connection dropped: waiting for a fresh snapshot.
        case resynchronising
    }

    /// What one message did.
    public enum Outcome: Sendable, Equatable {
        /// Verified; publish this snapshot (a new generation starts with it).
        case snapshot(KBBookSnapshot)
        /// Verified; publish this delta.
        case update(KBBookUpdate)
        /// The checksum failed: publish the reset, resubscribe the symbol, publish nothing else.
        case checksumMismatch(KBBookReset)
        /// An update before the first snapshot or while resynchronising (counted, not published).
        case ignored
        /// A level could not be kept (more decimals than a v2 instrument allows, a price that is
        /// not positive, a negative quantity): treated like a mismatch.
        case invalidLevel(KBBookReset)
    }

    public let symbol: String
    public let depth: Int
    public private(set) var book: L2Book
    /// Starts at 0; a snapshot after a reset (or the first one) opens the next generation.
    public private(set) var generation: UInt64 = 0
    public private(set) var phase: Phase = .awaitingSnapshot
    /// The checksum text (`L2Book.checksumText`) of the book state that last failed its
    /// checksum, kept from before the book was dropped; nil until a mismatch. Only written on
    /// the mismatch path — for explaining a mismatch offline (`krakenbridge verify`).
    public private(set) var lastMismatchText: String?
    /// The last applied message's levels as the book keeps them, then the levels it pushed
    /// beyond the depth as deletes (buffers reused per message).
    private var changedBids: [BookLevel] = []
    private var changedAsks: [BookLevel] = []
    /// The update message, refilled in place for every update: once the caller has published
    /// and dropped the previous one, its level arrays are reused (no allocation per update).
    private var update = KBBookUpdate()

    /// `continuingAfter`: the generation a previous book on the same topic reached, so the
    /// first snapshot here is a later generation than anything consumers saw on the topic.
    /// `digits`: `.instrument` for v2, `.asReceived` for v1.
    public init(symbol: String, depth: Int, digits: L2Book.Digits, continuingAfter generation: UInt64 = 0) {
        self.symbol = symbol
        self.depth = depth
        self.generation = generation
        book = L2Book(depth: depth, digits: digits)
        update.symbol = symbol
        update.depth = UInt32(depth)
    }

    /// A v2 book, padded to the instrument's precision.
    public init(symbol: String, depth: Int, precision: InstrumentRegistry.Precision, continuingAfter generation: UInt64 = 0) {
        self.init(symbol: symbol, depth: depth, digits: .instrument(priceScale: precision.priceScale, quantityScale: precision.quantityScale),
                  continuingAfter: generation)
    }

    public mutating func apply(_ message: V2BookMessage) -> Outcome {
        apply(isSnapshot: message.kind == .snapshot, bids: message.bids, asks: message.asks, checksum: message.checksum)
    }

    /// A v1 snapshot carries no checksum: the book's own is published with it (v1's checksums
    /// start with the first update). An update without one cannot be verified and is treated
    /// as a mismatch, so an unverified state never reaches the bus.
    public mutating func apply(_ message: V1BookMessage) -> Outcome {
        apply(isSnapshot: message.isSnapshot, bids: message.bids, asks: message.asks, checksum: message.checksum)
    }

    /// Generic over the level type so both protocol versions' arrays are read in place
    /// (specialised, no conversion or copy per message).
    private mutating func apply<Level: KrakenBookLevel>(isSnapshot: Bool, bids: [Level], asks: [Level], checksum: UInt32?) -> Outcome {
        if isSnapshot {
            book.removeAll()
            guard applyLevels(bids: bids, asks: asks, keepingChanges: false) else { return invalidLevel(checksum: checksum ?? 0) }
            if let checksum, book.verify(checksum: checksum) != .match { return mismatch(expected: checksum) }
            guard let snapshot = snapshotMessage(generation: generation + 1, checksum: checksum ?? book.checksum) else {
                return invalidLevel(checksum: checksum ?? 0, detail: Self.unwritableDetail)
            }
            generation += 1
            phase = .live
            return .snapshot(snapshot)
        }
        guard phase == .live else { return .ignored }
        guard applyLevels(bids: bids, asks: asks, keepingChanges: true) else { return invalidLevel(checksum: checksum ?? 0) }
        guard let checksum, book.verify(checksum: checksum) == .match else { return mismatch(expected: checksum ?? 0) }
        update.generation = generation
        update.checksum = checksum
        // Levels pushed out of the depth are at the end of the buffers: Kraken leaves
        // truncation to the client, the contract sends it as explicit deletes.
        guard update.setLevels(bids: changedBids, asks: changedAsks, fallback: fallbackScales) else {
            return invalidLevel(checksum: checksum, detail: Self.unwritableDetail)
        }
        return .update(update)
    }

    /// The connection dropped or the symbol is being resubscribed: the book is no longer known
    /// to be exact. Returns the reset to publish (nil when there was no live book).
    public mutating func invalidate(reason: KBBookResetReason, detail: String) -> KBBookReset? {
        guard phase == .live else {
            phase = phase == .awaitingSnapshot ? .awaitingSnapshot : .resynchronising
            return nil
        }
        phase = .resynchronising
        book.removeAll()
        return reset(reason: reason, detail: detail, expected: 0, computed: 0)
    }

    /// The full current book, for a late joiner's snapshot (nil unless live).
    public func currentSnapshot() -> KBBookSnapshot? {
        phase == .live ? snapshotMessage(generation: generation, checksum: book.checksum) : nil
    }

    /// The best `levels` levels per side of the live book (nil unless live), tagged with the
    /// book topic's sequence they reflect.
    public func top(levels: Int, bookSequence: UInt64) -> KBBookTop? {
        guard phase == .live else { return nil }
        var top = KBBookTop()
        top.symbol = symbol
        top.levels = UInt32(levels)
        top.generation = generation
        top.bookSequence = bookSequence
        return top.setLevels(bids: book.bidLevels.prefix(levels), asks: book.askLevels.prefix(levels), fallback: fallbackScales) ? top : nil
    }

    /// `keepingChanges`: an update keeps its levels (and the deletes it pushed out) for the
    /// message; a snapshot publishes the whole book instead.
    private mutating func applyLevels<Level: KrakenBookLevel>(bids: [Level], asks: [Level], keepingChanges: Bool) -> Bool {
        changedBids.removeAll(keepingCapacity: true)
        changedAsks.removeAll(keepingCapacity: true)
        do {
            for level in bids {
                let level = try book.level(price: level.price, quantity: level.quantity)
                book.apply(level, side: .bid)
                if keepingChanges { changedBids.append(level) }
            }
            for level in asks {
                let level = try book.level(price: level.price, quantity: level.quantity)
                book.apply(level, side: .ask)
                if keepingChanges { changedAsks.append(level) }
            }
        } catch {
            return false
        }
        guard keepingChanges else {
            book.truncate()
            return true
        }
        if book.bidLevels.count > depth { for level in book.bidLevels[depth...] { changedBids.append(Self.deletion(of: level)) } }
        if book.askLevels.count > depth { for level in book.askLevels[depth...] { changedAsks.append(Self.deletion(of: level)) } }
        book.truncate()
        return true
    }

    private static func deletion(of level: BookLevel) -> BookLevel {
        BookLevel(price: level.price, quantity: 0, priceScale: level.priceScale, quantityScale: level.quantityScale)
    }

    /// The message scales when a message has no level: the instrument's, or 0 for a v1 book.
    private var fallbackScales: (price: UInt8, quantity: UInt8) {
        if case .instrument(let price, let quantity) = book.digits { return (price, quantity) }
        return (0, 0)
    }

    private mutating func mismatch(expected: UInt32) -> Outcome {
        let computed = book.checksum
        lastMismatchText = book.checksumText
        phase = .resynchronising
        book.removeAll()
        return .checksumMismatch(reset(reason: .checksumMismatch, detail: "checksum mismatch", expected: expected, computed: computed))
    }

    private mutating func invalidLevel(checksum: UInt32, detail: String = "a level does not fit the book (precision or sign)") -> Outcome {
        phase = .resynchronising
        book.removeAll()
        return .invalidLevel(reset(reason: .checksumMismatch, detail: detail, expected: checksum, computed: 0))
    }

    /// Levels written with different decimals whose mantissas overflow Int64 at the largest of
    /// their scales cannot share one bus message (verified, but not publishable exactly).
    public static let unwritableDetail = "levels' digits do not fit one message scale (Int64 overflow)"

    private mutating func reset(reason: KBBookResetReason, detail: String, expected: UInt32, computed: UInt32) -> KBBookReset {
        var reset = KBBookReset()
        reset.symbol = symbol
        reset.depth = UInt32(depth)
        reset.previousGeneration = generation
        reset.generation = generation + 1
        reset.reason = reason
        reset.detail = detail
        reset.expectedChecksum = expected
        reset.computedChecksum = computed
        return reset
    }

    private func snapshotMessage(generation: UInt64, checksum: UInt32) -> KBBookSnapshot? {
        var snapshot = KBBookSnapshot()
        snapshot.symbol = symbol
        snapshot.depth = UInt32(depth)
        snapshot.generation = generation
        snapshot.checksum = checksum
        guard snapshot.setLevels(bids: book.bidLevels, asks: book.askLevels, fallback: fallbackScales) else { return nil }
        return snapshot
    }
}

/// A price level as either protocol version sends it: all a book needs of it.
public protocol KrakenBookLevel {
    var price: FixedDecimal { get }
    var quantity: FixedDecimal { get }
}

extension PriceLevel: KrakenBookLevel {}

extension V1BookLevel: KrakenBookLevel {
    /// v1 calls it volume.
    public var quantity: FixedDecimal { volume }
}
