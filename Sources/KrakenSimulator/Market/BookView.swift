
/// What a client subscribed at one depth has been told about a pair's book, and how to tell it
/// what changed — the way Kraken does it.
///
/// After each market step the view compares its top `depth` levels with the true book's:
/// a level deleted inside the window is sent with quantity 0; a changed level is sent with its
/// new quantity; a level that newly enters the window is sent as a plain level (flagged
/// *republished* for v1 when it already existed deeper in the book); a level pushed out of the
/// window is **not** sent — clients must truncate, as with Kraken.
public struct BookView: Sendable {
    /// One level of an update, in the order to apply.
    public struct Change: Sendable, Equatable {
        public var price: Int64
        public var quantity: Int64
        /// v1 `"r"`: re-sent because it entered the window, not because it changed.
        public var isRepublished: Bool
    }

    public let depth: Int
    /// The client's book after everything sent so far, best first (mantissas at the pair's
    /// precisions); the checksum of an update is computed over its text.
    public private(set) var bids: [MarketLevel] = []
    public private(set) var asks: [MarketLevel] = []

    public init(depth: Int) {
        self.depth = depth
    }

    /// The snapshot: the true top `depth` levels.
    public mutating func snapshot(of market: PairMarket) -> (bids: [MarketLevel], asks: [MarketLevel]) {
        bids = Array(market.bids.prefix(depth))
        asks = Array(market.asks.prefix(depth))
        return (bids, asks)
    }

    /// The changes since the last snapshot or update; empty when the window did not change.
    public mutating func update(to market: PairMarket) -> (bids: [Change], asks: [Change]) {
        let bidChanges = Self.changes(from: bids, to: market.bids.prefix(depth), truth: market.bids, descending: true)
        let askChanges = Self.changes(from: asks, to: market.asks.prefix(depth), truth: market.asks, descending: false)
        // What the client holds now: the window itself (the changes turn the old window into
        // it, and the client truncates what was pushed out).
        bids = Array(market.bids.prefix(depth))
        asks = Array(market.asks.prefix(depth))
        return (bidChanges, askChanges)
    }

    /// Kraken's checksum of this view as the client holds it, over the levels' text written
    /// with `decimals` fraction digits (`WireChecksum`).
    public func checksum(pair: SimulatedPair, decimals: SimulatedPair.Decimals) -> UInt32 {
        WireChecksum.of(bids: bids, asks: asks, pair: pair, decimals: decimals)
    }

    /// Walks the old and new windows together (both best first).
    static func changes(
        from old: [MarketLevel], to new: ArraySlice<MarketLevel>, truth: [MarketLevel], descending: Bool
    ) -> [Change] {
        func better(_ lhs: Int64, _ rhs: Int64) -> Bool { descending ? lhs > rhs : lhs < rhs }
        var changes: [Change] = []
        var i = old.startIndex
        var j = new.startIndex
        while i < old.endIndex || j < new.endIndex {
            if i < old.endIndex, j < new.endIndex, old[i].price == new[j].price {
                if old[i].quantity != new[j].quantity {
                    changes.append(Change(price: new[j].price, quantity: new[j].quantity, isRepublished: false))
                }
                i += 1
                j += 1
            } else if j == new.endIndex || (i < old.endIndex && better(old[i].price, new[j].price)) {
                // Gone from the window. Inside it, that is a delete; beyond its new edge the
                // level was pushed out and, if still in the book, is left for the client to truncate.
                let beyondEdge = j == new.endIndex
                if !beyondEdge || !contains(truth, price: old[i].price, descending: descending) {
                    changes.append(Change(price: old[i].price, quantity: 0, isRepublished: false))
                }
                i += 1
            } else {
                // New to the client: beyond the old edge it existed deeper and moved up (v1 "r").
                changes.append(Change(price: new[j].price, quantity: new[j].quantity, isRepublished: i == old.endIndex && !old.isEmpty))
                j += 1
            }
        }
        return changes
    }

    /// Binary search in a side sorted best first.
    static func contains(_ levels: [MarketLevel], price: Int64, descending: Bool) -> Bool {
        var low = 0
        var high = levels.count
        while low < high {
            let middle = (low + high) / 2
            let value = levels[middle].price
            if value == price { return true }
            if descending ? value > price : value < price { low = middle + 1 } else { high = middle }
        }
        return false
    }
}
