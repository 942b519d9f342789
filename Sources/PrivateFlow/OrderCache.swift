import FixedPoint
import WireFormat

/// What is known about one order, merged from every message that mentioned it.
///
/// Kraken's status-only messages (v2 `new`/`canceled`, v1 `{"status":"closed"}`) carry little
/// more than the order id, yet every downstream report must name the symbol, side, type,
/// quantity and client id; this record supplies them. Kraken's figures (`cumulative…`,
/// `averagePrice`) are its latest word, not what was published — the ledger tracks that.
public struct OrderRecord: Sendable, Equatable {
    public let orderID: String
    /// The v2 symbol (`BTC/USD`), whatever API named it.
    public var symbol: String?
    public var side: KBSide = .unspecified
    /// Kraken's order type text (`limit`, `stop-loss-limit`, …).
    public var krakenOrderType: String?
    public var orderQuantity: FixedDecimal?
    public var limitPrice: FixedDecimal?
    /// The trigger price of stop, take-profit and trailing orders.
    public var stopPrice: FixedDecimal?
    public var clientOrderID: String?
    public var cumulativeQuantity: FixedDecimal?
    public var cumulativeCost: FixedDecimal?
    public var averagePrice: FixedDecimal?
    /// Total fees so far in the quote asset (v1 `fee`, REST `fee`).
    public var cumulativeFee: FixedDecimal?
    /// Kraken's latest status text (`partially_filled`, `closed`, …).
    public var krakenStatus: String?
    /// The last status published downstream; nil until the first report.
    public var reportedStatus: KBOrderStatus?
    /// When the bridge last heard about the order (caller's clock, Unix ns).
    public var lastUpdateNs: Int64

    public init(orderID: String, lastUpdateNs: Int64) {
        self.orderID = orderID
        self.lastUpdateNs = lastUpdateNs
    }

    /// Takes Kraken's cumulative figures unless they are older than what is known: replays
    /// (snapshot trades, a REST answer taken a moment before the stream moved) must not move
    /// the filled quantity backwards.
    mutating func advance(
        cumulative: FixedDecimal?, cost: FixedDecimal?, average: FixedDecimal?, fee: FixedDecimal? = nil
    ) {
        if let cumulative, let known = cumulativeQuantity, cumulative < known { return }
        cumulativeQuantity.merge(cumulative)
        cumulativeCost.merge(cost)
        averagePrice.merge(average?.nonZero)
        cumulativeFee.merge(fee)
    }

    /// Whether a terminal report (FILLED, CANCELED, EXPIRED) has been published.
    public var isTerminal: Bool {
        switch reportedStatus {
        case .filled, .canceled, .expired, .rejected: true
        default: false
        }
    }
}

/// Orders by Kraken order id. Fields are merged, never blanked: a sparse update leaves what
/// an earlier message said in place.
public struct OrderCache: Sendable {
    private(set) var records: [String: OrderRecord] = [:]

    public init() {}

    public subscript(orderID: String) -> OrderRecord? { records[orderID] }

    public var orderIDs: [String] { records.keys.sorted() }

    /// Applies `change` to the order's record (creating it if new) and stamps the time;
    /// returns whether the order was new.
    @discardableResult
    mutating func update(_ orderID: String, at ns: Int64, _ change: (inout OrderRecord) -> Void) -> Bool {
        let isNew = records[orderID] == nil
        var record = records[orderID] ?? OrderRecord(orderID: orderID, lastUpdateNs: ns)
        change(&record)
        record.lastUpdateNs = max(record.lastUpdateNs, ns)
        records[orderID] = record
        return isNew
    }

    mutating func remove(_ orderID: String) { records[orderID] = nil }
}

extension Optional {
    /// Keeps what is known when a message leaves a field out.
    mutating func merge(_ newValue: Wrapped?) {
        if let newValue { self = newValue }
    }
}

extension FixedDecimal {
    /// Kraken writes "not set" as zero (`"0.00000"`); nil then.
    var nonZero: FixedDecimal? { isZero ? nil : self }
}
