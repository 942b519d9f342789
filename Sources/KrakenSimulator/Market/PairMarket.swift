import SeededRandom

/// The true, deep order book of one simulated pair and the seeded process that changes it.
///
/// Every step changes the book in one of the ways a real book changes — a level added, resized
/// or removed near the top, occasionally deep down, or a trade taking liquidity from the best
/// level — and never crosses it. The book keeps `depth` levels per side so subscriptions at
/// every Kraken depth (up to 1000) stay full, except where the bids would reach a price of zero
/// (a cheap pair after a long fall): no exchange quotes a price ≤ 0, so that side is shallower.
public struct PairMarket: Sendable {
    /// One public trade the step produced.
    public struct Trade: Sendable, Equatable {
        /// The taker bought (took an ask) or sold (took a bid).
        public var takerBuys: Bool
        public var price: Int64
        public var quantity: Int64
        public var isMarketOrder: Bool
        public var tradeID: UInt64
    }

    public let pair: SimulatedPair
    public let depth: Int
    /// Best first on both sides.
    public private(set) var bids: [MarketLevel] = []
    public private(set) var asks: [MarketLevel] = []
    public private(set) var nextTradeID: UInt64 = 1
    private var random: SplitMix64

    public init(pair: SimulatedPair, seed: UInt64, depth: Int = 1_050) {
        self.pair = pair
        self.depth = depth
        random = SplitMix64(seed: seed ^ UInt64(truncatingIfNeeded: pair.symbol.hashValueStable))
        var price = pair.initialMid
        for _ in 0..<depth {
            price -= 1 + Int64(random.next() % 3)
            guard price > 0 else { break }
            bids.append(MarketLevel(price: price, quantity: randomQuantity()))
        }
        price = pair.initialMid
        for _ in 0..<depth {
            asks.append(MarketLevel(price: price, quantity: randomQuantity()))
            price += 1 + Int64(random.next() % 3)
        }
    }

    /// Advances the market by one event; returns the trade when the event was one.
    public mutating func step() -> Trade? {
        let roll = random.next() % 100
        let side: MarketSide = random.next() % 2 == 0 ? .bid : .ask
        switch roll {
        case 0..<20: return trade(takerBuys: side == .ask)
        case 20..<45: resize(side: side, index: nearTopIndex())
        case 45..<65: insert(side: side)
        case 65..<85: remove(side: side, index: nearTopIndex())
        default: resize(side: side, index: Int(random.next() % UInt64(depth)))
        }
        return nil
    }

    /// A level index mostly within the top 15, where real books change most.
    private mutating func nearTopIndex() -> Int {
        Int(random.next() % 15)
    }

    private mutating func randomQuantity() -> Int64 {
        let whole = Int64(random.next() % 5)
        let fraction = Int64(random.next() % 100_000_000)
        let scaleDivisor = Self.power(8 - Int(min(pair.quantityScale, 8)))
        return max(1, (whole * 100_000_000 + fraction) / scaleDivisor)
    }

    /// `index` is taken modulo the side's length (a cheap pair's bid side can be shorter).
    private mutating func resize(side: MarketSide, index: Int) {
        switch side {
        case .bid: bids[index % bids.count].quantity = randomQuantity()
        case .ask: asks[index % asks.count].quantity = randomQuantity()
        }
    }

    /// A new level between existing ones near the top, or inside the spread.
    private mutating func insert(side: MarketSide) {
        let spread = asks[0].price - bids[0].price
        switch side {
        case .bid:
            if spread > 1, random.next() % 3 == 0 {
                bids.insert(MarketLevel(price: bids[0].price + 1, quantity: randomQuantity()), at: 0)
            } else if let gap = firstGap(in: bids, descending: true) {
                bids.insert(MarketLevel(price: gap.price, quantity: randomQuantity()), at: gap.index)
            }
            if bids.count > depth { bids.removeLast() }
        case .ask:
            if spread > 1, random.next() % 3 == 0 {
                asks.insert(MarketLevel(price: asks[0].price - 1, quantity: randomQuantity()), at: 0)
            } else if let gap = firstGap(in: asks, descending: false) {
                asks.insert(MarketLevel(price: gap.price, quantity: randomQuantity()), at: gap.index)
            }
            if asks.count > depth { asks.removeLast() }
        }
    }

    /// The first free price between two of the top 15 levels.
    private func firstGap(in levels: [MarketLevel], descending: Bool) -> (index: Int, price: Int64)? {
        for index in 1..<min(15, levels.count) {
            let distance = descending ? levels[index - 1].price - levels[index].price : levels[index].price - levels[index - 1].price
            if distance > 1 { return (index, descending ? levels[index - 1].price - 1 : levels[index - 1].price + 1) }
        }
        return nil
    }

    /// Removes a level and refills the far end so the side keeps its depth.
    private mutating func remove(side: MarketSide, index: Int) {
        switch side {
        case .bid:
            guard bids.count > 2 else { return }
            bids.remove(at: index % bids.count)
            let deeper = bids[bids.count - 1].price - 1 - Int64(random.next() % 3)
            if deeper > 0 { bids.append(MarketLevel(price: deeper, quantity: randomQuantity())) }
        case .ask:
            guard asks.count > 2 else { return }
            asks.remove(at: index % asks.count)
            asks.append(MarketLevel(price: asks[asks.count - 1].price + 1 + Int64(random.next() % 3), quantity: randomQuantity()))
        }
    }

    /// A taker takes part or all of the best level on the other side.
    private mutating func trade(takerBuys: Bool) -> Trade {
        let isMarket = random.next() % 3 == 0
        let tradeID = nextTradeID
        nextTradeID += 1
        if takerBuys {
            let level = asks[0]
            let taken = random.next() % 2 == 0 ? level.quantity : max(1, level.quantity / 2)
            if taken == level.quantity { remove(side: .ask, index: 0) } else { asks[0].quantity -= taken }
            return Trade(takerBuys: true, price: level.price, quantity: taken, isMarketOrder: isMarket, tradeID: tradeID)
        } else {
            let level = bids[0]
            let taken = random.next() % 2 == 0 ? level.quantity : max(1, level.quantity / 2)
            if taken == level.quantity { remove(side: .bid, index: 0) } else { bids[0].quantity -= taken }
            return Trade(takerBuys: false, price: level.price, quantity: taken, isMarketOrder: isMarket, tradeID: tradeID)
        }
    }

    static func power(_ exponent: Int) -> Int64 {
        (0..<exponent).reduce(Int64(1)) { value, _ in value * 10 }
    }
}

extension String {
    /// FNV-1a of the UTF-8 bytes: stable across runs (Swift's `hashValue` is seeded per process).
    var hashValueStable: UInt64 {
        utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
    }
}
