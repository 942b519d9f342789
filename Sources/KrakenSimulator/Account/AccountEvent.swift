/// One private event of the simulated account, in the order it happened: the ground truth
/// every private view (v2 `executions`/`balances`, v1 `openOrders`/`ownTrades`, REST) is
/// written from and compared against.
public enum AccountEvent: Sendable, Equatable {
    case execution(ExecutionEvent)
    case ledger(LedgerEntry)

    public var execution: ExecutionEvent? {
        if case .execution(let event) = self { return event }
        return nil
    }

    public var ledgerEntry: LedgerEntry? {
        if case .ledger(let entry) = self { return entry }
        return nil
    }
}

/// An order lifecycle event (v2 execution report) with the order's full state right after it.
public struct ExecutionEvent: Sendable, Equatable {
    /// v2 `exec_type`.
    public enum ExecType: Sendable, Equatable {
        case pendingNew, new, trade, filled, canceled, expired
    }

    public let execType: ExecType
    /// The order as it stands after this event (status, cumulative quantity, cost, fees…).
    public let order: SimulatedOrder
    /// Present on `trade` events only.
    public let fill: Fill?
    public let timestampNs: Int64
}

/// One fill of an order against the market.
public struct Fill: Sendable, Equatable {
    /// v2 `exec_id`, the v1 `ownTrades` key, the ledger `ref_id`: `TDLH43-DVQXD-2KHVYY`.
    public let execID: String
    /// v2 `trade_id`: consecutive per symbol (the simulator's own fills are not part of the
    /// public trade stream, so these start at 100 000 001 to stay apart from its ids).
    public let tradeID: UInt64
    public let quantity: Int64
    public let price: Int64
    /// quantity × price, rounded half up to the quote asset's scale.
    public let cost: Int64
    /// In the quote asset, rounded up to its scale.
    public let fee: Int64
    /// A resting order met by the market; a market or marketable order is the taker.
    public let isMaker: Bool
}

/// One ledger transaction: a fill moves the base and the quote asset, one entry each, sharing
/// the fill's exec id as `refID` (the quote entry carries the fee).
public struct LedgerEntry: Sendable, Equatable {
    /// `L4UESK-KG3EQ-UFO4T5`.
    public let ledgerID: String
    public let refID: String
    public let timestampNs: Int64
    public let asset: String
    /// Signed change, before the fee.
    public let amount: Int64
    public let fee: Int64
    /// The asset's total after the transaction: previous balance + amount − fee.
    public let balance: Int64
    /// Scale of `amount`, `fee` and `balance` (the asset's).
    public let scale: UInt8
}

/// An asset's total balance (held amounts included, as Kraken's `balances` channel reports).
public struct AssetBalance: Sendable, Equatable {
    public let asset: String
    public internal(set) var amount: Int64
    public let scale: UInt8
}

/// Why the account refused a request, with Kraken's error text.
public enum AccountError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownPair(String)
    /// Zero or negative quantity.
    case invalidQuantity
    /// A limit order without a positive limit price.
    case invalidPrice
    case insufficientFunds
    /// No open order with this id (never existed, or already closed).
    case unknownOrder(String)

    /// The string Kraken reports (REST `error[]`, v2 `error`, v1 `errorMessage`).
    public var krakenMessage: String {
        switch self {
        case .unknownPair: "EQuery:Unknown asset pair"
        case .invalidQuantity: "EGeneral:Invalid arguments:volume"
        case .invalidPrice: "EOrder:Invalid price"
        case .insufficientFunds: "EOrder:Insufficient funds"
        case .unknownOrder: "EOrder:Unknown order"
        }
    }

    public var description: String {
        switch self {
        case .unknownPair(let symbol): "\(krakenMessage) (\(symbol))"
        case .unknownOrder(let id): "\(krakenMessage) (\(id))"
        default: krakenMessage
        }
    }
}
