/// A Kraken level-3 (order-by-order) book: per price level, the resting orders in queue order.
/// Its checksum covers every order of the top 10 levels, so it also verifies queue priority.
public struct L3Book: Sendable, Equatable {
    public struct Order: Sendable, Hashable {
        public var id: String
        public var quantity: Int64

        public init(id: String, quantity: Int64) {
            self.id = id
            self.quantity = quantity
        }
    }

    public struct Level: Sendable, Hashable {
        public var price: Int64
        /// Oldest (first to fill) first.
        public var orders: [Order]
    }

    /// Why an order event could not be applied.
    public enum Error: Swift.Error, Sendable, Equatable {
        case duplicateOrder(String)
        case unknownOrder(String)
    }

    /// Number of price levels kept per side.
    public let depth: Int
    public let priceScale: UInt8
    public let quantityScale: UInt8
    public private(set) var bids: [Level] = []
    public private(set) var asks: [Level] = []
    private struct Location: Sendable, Hashable {
        var side: BookSide
        var price: Int64
    }

    private var locations: [String: Location] = [:]

    public init(depth: Int, priceScale: UInt8, quantityScale: UInt8) {
        self.depth = depth
        self.priceScale = priceScale
        self.quantityScale = quantityScale
    }

    /// Adds an order at the back of its price level's queue.
    public mutating func add(id: String, side: BookSide, price: Int64, quantity: Int64) throws(Error) {
        guard locations[id] == nil else { throw .duplicateOrder(id) }
        locations[id] = Location(side: side, price: price)
        mutateLevel(side: side, price: price, create: true) { level in
            level.orders.append(Order(id: id, quantity: quantity))
        }
    }

    /// Changes an order's quantity in place (its queue position is kept).
    public mutating func modify(id: String, quantity: Int64) throws(Error) {
        guard let location = locations[id] else { throw .unknownOrder(id) }
        mutateLevel(side: location.side, price: location.price, create: false) { level in
            if let index = level.orders.firstIndex(where: { $0.id == id }) { level.orders[index].quantity = quantity }
        }
    }

    public mutating func delete(id: String) throws(Error) {
        guard let location = locations.removeValue(forKey: id) else { throw .unknownOrder(id) }
        mutateLevel(side: location.side, price: location.price, create: false) { level in
            level.orders.removeAll { $0.id == id }
        }
    }

    /// Drops price levels beyond the depth, and their orders.
    public mutating func truncate() {
        for side in [BookSide.bid, .ask] {
            let levels = side == .bid ? bids : asks
            guard levels.count > depth else { continue }
            for level in levels[depth...] { for order in level.orders { locations[order.id] = nil } }
            if side == .bid { bids.removeSubrange(depth...) } else { asks.removeSubrange(depth...) }
        }
    }

    private mutating func mutateLevel(side: BookSide, price: Int64, create: Bool, _ change: (inout Level) -> Void) {
        switch side {
        case .bid: Self.mutate(&bids, price: price, better: >, create: create, change)
        case .ask: Self.mutate(&asks, price: price, better: <, create: create, change)
        }
    }

    private static func mutate(
        _ levels: inout [Level], price: Int64, better: (Int64, Int64) -> Bool, create: Bool, _ change: (inout Level) -> Void
    ) {
        var low = 0
        var high = levels.count
        while low < high {
            let middle = (low + high) / 2
            if better(levels[middle].price, price) { low = middle + 1 } else { high = middle }
        }
        if low < levels.count && levels[low].price == price {
            change(&levels[low])
            if levels[low].orders.isEmpty { levels.remove(at: low) }
        } else if create {
            var level = Level(price: price, orders: [])
            change(&level)
            levels.insert(level, at: low)
        }
    }

    /// CRC32 over each order (price digits, quantity digits) of the top 10 ask levels
    /// (ascending), then of the top 10 bid levels (descending).
    public var checksum: UInt32 {
        let levels = asks.prefix(10) + bids.prefix(10)
        let orders = levels.reduce(0) { $0 + $1.orders.count }
        return ChecksumText.checksum(numbers: orders * 2) { text in
            for level in levels {
                for order in level.orders {
                    text.append(level.price)
                    text.append(order.quantity)
                }
            }
        }
    }

    public func verify(checksum expected: UInt32) -> ChecksumResult {
        let computed = checksum
        return computed == expected ? .match : .mismatch(expected: expected, computed: computed)
    }
}
