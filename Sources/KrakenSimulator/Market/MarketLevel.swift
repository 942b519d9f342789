/// One price level of a simulated market: price and quantity mantissas at the pair's
/// precisions (`SimulatedPair.priceScale` / `quantityScale`). How it is written on the wire is
/// each frame writer's business.
public struct MarketLevel: Sendable, Hashable {
    public var price: Int64
    public var quantity: Int64

    public init(price: Int64, quantity: Int64) {
        self.price = price
        self.quantity = quantity
    }
}

/// Bid or ask side of a simulated market.
public enum MarketSide: Sendable, Hashable {
    case bid, ask
}
