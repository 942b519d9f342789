import SeededRandom

/// The simulator's private account: balances, orders and the append-only list of every private
/// event, all deterministic from a seed.
///
/// Orders are placed (`place`), canceled (`cancel`), and moved along by `step`, the seeded
/// generator that also places, fills, cancels and expires orders against the current markets.
/// Every change is appended to `events`; the v2, v1 and REST views are all written from those
/// events and the order states they carry, so they can never disagree. Pure value, no I/O.
public struct SimulatedAccount: Sendable {
    public let pairs: [SimulatedPair]
    /// Fee rates in basis points of the fill's cost, charged in the quote asset.
    public let makerFeeBasisPoints: Int64
    public let takerFeeBasisPoints: Int64
    /// Every private event, oldest first; never rewritten.
    public private(set) var events: [AccountEvent] = []

    /// Every order ever placed, in placement order.
    private(set) var orders: [SimulatedOrder] = []
    private var orderIndex: [String: Int] = [:]
    /// Indexes into `orders` of the open ones, in placement order.
    private(set) var openIndexes: [Int] = []
    private var balanceList: [AssetBalance]
    private var usedIDs: Set<String> = []
    private var nextTradeIDs: [String: UInt64] = [:]
    private var nextClientOrderNumber = 1
    var random: SplitMix64

    /// `startingUnits` overrides the default starting balance (in whole units) of any asset.
    public init(
        pairs: [SimulatedPair] = SimulatedPair.defaults, seed: UInt64, startingUnits: [String: Int64] = [:],
        makerFeeBasisPoints: Int64 = 16, takerFeeBasisPoints: Int64 = 26
    ) {
        self.pairs = pairs
        self.makerFeeBasisPoints = makerFeeBasisPoints
        self.takerFeeBasisPoints = takerFeeBasisPoints
        random = SplitMix64(seed: seed ^ 0x4B52_4143_4B45_4E41)
        balanceList = AssetScales.assets(of: pairs).map { asset, scale in
            let units = startingUnits[asset] ?? AssetScales.defaultStartingUnits(of: asset)
            return AssetBalance(asset: asset, amount: Int64(Int128(units) * AccountArithmetic.power(Int(scale))), scale: scale)
        }
    }

    // MARK: Queries

    public func pair(symbol: String) -> SimulatedPair? { pairs.first { $0.symbol == symbol } }

    public var allOrders: [SimulatedOrder] { orders }

    /// Orders still working, in placement order.
    public var openOrders: [SimulatedOrder] { openIndexes.map { orders[$0] } }

    /// Filled, canceled and expired orders, in placement order.
    public var closedOrders: [SimulatedOrder] { orders.filter { !$0.status.isOpen } }

    public func order(id: String) -> SimulatedOrder? { orderIndex[id].map { orders[$0] } }

    /// Total balances (held amounts included), in the order of the pairs' assets.
    public var balances: [AssetBalance] { balanceList }

    public func balance(of asset: String) -> AssetBalance? { balanceList.first { $0.asset == asset } }

    /// The balance less what open orders hold, at the asset's scale.
    public func available(of asset: String) -> Int64 {
        guard let total = balance(of: asset)?.amount else { return 0 }
        return total - openIndexes.reduce(0) { held, index in
            let order = orders[index]
            return held + ((order.side == .buy ? order.pair.quote : order.pair.base) == asset ? order.hold : 0)
        }
    }

    /// The events from `index` on (for a session that has sent the ones before).
    /// The last `count` trade executions, oldest first (Kraken's `snap_trades`).
    public func recentTrades(_ count: Int) -> [ExecutionEvent] {
        var trades: [ExecutionEvent] = []
        for event in events.reversed() where trades.count < count {
            if let execution = event.execution, execution.execType == .trade { trades.append(execution) }
        }
        return trades.reversed()
    }

    public func events(since index: Int) -> ArraySlice<AccountEvent> {
        events[min(max(index, 0), events.count)...]
    }

    /// The latest `limit` fills, oldest first (snapshots replay the last 50).
    public func recentFills(limit: Int = 50) -> [ExecutionEvent] {
        var fills: [ExecutionEvent] = []
        for event in events.reversed() where fills.count < limit {
            if let execution = event.execution, execution.execType == .trade { fills.append(execution) }
        }
        return fills.reversed()
    }

    func scale(of asset: String) -> UInt8 { balance(of: asset)?.scale ?? AssetScales.krakenDecimals(of: asset) }

    // MARK: Bookkeeping shared by the operations

    mutating func newID(prefix: Character) -> String {
        while true {
            let id = KrakenIDs.make(prefix: prefix, using: &random)
            if usedIDs.insert(id).inserted { return id }
        }
    }

    mutating func nextTradeID(for symbol: String) -> UInt64 {
        let id = nextTradeIDs[symbol] ?? 100_000_001
        nextTradeIDs[symbol] = id + 1
        return id
    }

    /// `sim-1`, `sim-2`, … (Kraken accepts free text of up to 18 characters as `cl_ord_id`).
    mutating func nextClientOrderID() -> String {
        defer { nextClientOrderNumber += 1 }
        return "sim-\(nextClientOrderNumber)"
    }

    mutating func add(_ order: SimulatedOrder) -> Int {
        orders.append(order)
        orderIndex[order.id] = orders.count - 1
        openIndexes.append(orders.count - 1)
        return orders.count - 1
    }

    mutating func update(orderAt index: Int, _ change: (inout SimulatedOrder) -> Void) {
        change(&orders[index])
        if !orders[index].status.isOpen { openIndexes.removeAll { $0 == index } }
    }

    mutating func record(_ type: ExecutionEvent.ExecType, orderAt index: Int, fill: Fill? = nil, nowNs: Int64) {
        events.append(.execution(ExecutionEvent(execType: type, order: orders[index], fill: fill, timestampNs: nowNs)))
    }

    /// Moves `amount − fee` into `asset` and records the ledger entry.
    mutating func post(asset: String, amount: Int64, fee: Int64, refID: String, nowNs: Int64) {
        guard let index = balanceList.firstIndex(where: { $0.asset == asset }) else { return }
        balanceList[index].amount += amount - fee
        let entry = LedgerEntry(
            ledgerID: newID(prefix: "L"), refID: refID, timestampNs: nowNs, asset: asset, amount: amount, fee: fee,
            balance: balanceList[index].amount, scale: balanceList[index].scale)
        events.append(.ledger(entry))
    }
}
