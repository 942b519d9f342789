
/// One order of the simulated account, as it stands after its latest event. Quantities are
/// mantissas at the pair's `quantityScale`, prices at its `priceScale`, and money in the quote
/// asset (cost, fees) at that asset's scale (`quoteScale`).
public struct SimulatedOrder: Sendable, Equatable {
    public enum Side: Sendable, Equatable { case buy, sell }

    public enum OrderType: Sendable, Equatable { case limit, market }

    /// The order's state, with v2 `order_status` semantics.
    public enum Status: Sendable, Equatable {
        case pendingNew, new, partiallyFilled, filled, canceled, expired

        /// Still working in the book (or about to be).
        public var isOpen: Bool { self == .pendingNew || self == .new || self == .partiallyFilled }
    }

    /// `OQCLML-BW3P3-BUCMWZ`.
    public let id: String
    public let pair: SimulatedPair
    public let side: Side
    public let type: OrderType
    public let quantity: Int64
    /// Nil for market orders.
    public let limitPrice: Int64?
    public let clientOrderID: String?
    public let userref: Int64?
    public let openTimeNs: Int64
    /// Good-till-date orders expire at this time (v2 `time_in_force` `GTD`).
    public let expireTimeNs: Int64?
    /// Scale of `cumulativeCost` and `fees` (the quote asset's).
    public let quoteScale: UInt8

    public internal(set) var status: Status = .pendingNew
    public internal(set) var filledQuantity: Int64 = 0
    /// Sum of the fills' costs.
    public internal(set) var cumulativeCost: Int64 = 0
    /// Sum of the fills' fees (in the quote asset).
    public internal(set) var fees: Int64 = 0
    public internal(set) var lastUpdateNs: Int64
    public internal(set) var closeTimeNs: Int64?
    /// Why a canceled or expired order closed (`User requested`, `Order expired`).
    public internal(set) var closeReason: String?
    /// Exec ids of the fills, oldest first.
    public internal(set) var tradeIDs: [String] = []

    /// Σ quantity × price of the fills, exact (scale quantityScale + priceScale).
    var notional: Int128 = 0
    /// Quote (buy) or base (sell) still reserved for this order.
    var hold: Int64 = 0

    init(
        id: String, pair: SimulatedPair, request: OrderRequest, quoteScale: UInt8, nowNs: Int64
    ) {
        self.id = id
        self.pair = pair
        side = request.side
        type = request.type
        quantity = request.quantity
        limitPrice = request.type == .limit ? request.limitPrice : nil
        clientOrderID = request.clientOrderID
        userref = request.userref
        openTimeNs = nowNs
        expireTimeNs = request.expireTimeNs
        self.quoteScale = quoteScale
        lastUpdateNs = nowNs
    }

    public var remainingQuantity: Int64 { quantity - filledQuantity }

    /// Volume-weighted fill price at the pair's price scale (half up), 0 before the first fill.
    public var averagePrice: Int64 {
        guard filledQuantity > 0 else { return 0 }
        let quantity = Int128(filledQuantity)
        return Int64((2 * notional + quantity) / (2 * quantity))
    }

    /// v2 `time_in_force`, v1 `timeinforce`.
    public var timeInForce: String { expireTimeNs == nil ? "GTC" : "GTD" }
}

/// What a client asks for when it places an order. Quantity and price are mantissas at the
/// pair's scales (`0.005` BTC is 500_000 at scale 8).
public struct OrderRequest: Sendable, Equatable {
    /// The v2 symbol, `BTC/USD`.
    public var symbol: String
    public var side: SimulatedOrder.Side
    public var type: SimulatedOrder.OrderType
    public var quantity: Int64
    /// Required for limit orders, ignored for market orders.
    public var limitPrice: Int64?
    public var clientOrderID: String?
    public var userref: Int64?
    public var expireTimeNs: Int64?

    public init(
        symbol: String, side: SimulatedOrder.Side, type: SimulatedOrder.OrderType, quantity: Int64,
        limitPrice: Int64? = nil, clientOrderID: String? = nil, userref: Int64? = nil, expireTimeNs: Int64? = nil
    ) {
        self.symbol = symbol
        self.side = side
        self.type = type
        self.quantity = quantity
        self.limitPrice = limitPrice
        self.clientOrderID = clientOrderID
        self.userref = userref
        self.expireTimeNs = expireTimeNs
    }

    public static func limit(
        _ symbol: String, _ side: SimulatedOrder.Side, quantity: Int64, price: Int64, clientOrderID: String? = nil,
        userref: Int64? = nil, expireTimeNs: Int64? = nil
    ) -> OrderRequest {
        OrderRequest(
            symbol: symbol, side: side, type: .limit, quantity: quantity, limitPrice: price, clientOrderID: clientOrderID,
            userref: userref, expireTimeNs: expireTimeNs)
    }

    public static func market(
        _ symbol: String, _ side: SimulatedOrder.Side, quantity: Int64, clientOrderID: String? = nil, userref: Int64? = nil
    ) -> OrderRequest {
        OrderRequest(symbol: symbol, side: side, type: .market, quantity: quantity, clientOrderID: clientOrderID, userref: userref)
    }
}

/// The best bid and ask an order meets when it is placed (prices at the pair's scale).
public struct TopOfBook: Sendable, Equatable {
    public var bid: Int64
    public var ask: Int64

    public init(bid: Int64, ask: Int64) {
        self.bid = bid
        self.ask = ask
    }

    /// The market's best prices; nil when a side is empty.
    public init?(_ market: PairMarket) {
        guard let bid = market.bids.first, let ask = market.asks.first else { return nil }
        self.init(bid: bid.price, ask: ask.price)
    }
}
