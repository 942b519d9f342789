import KrakenREST
import KrakenWire
import WireFormat

/// Kraken's words, recovered from the parsers' enums for the `kraken_*` audit fields, and
/// their bus translations. One table per vocabulary, so v2, v1 and REST spell every value
/// identically (`stop-loss-limit`) — which is what makes their events comparable.
enum KrakenVocabulary {
    static let execTypes: [(ExecutionType, String)] = [
        (.pendingNew, "pending_new"), (.new, "new"), (.trade, "trade"), (.filled, "filled"), (.icebergRefill, "iceberg_refill"),
        (.canceled, "canceled"), (.expired, "expired"), (.amended, "amended"), (.restated, "restated"), (.status, "status"),
    ]
    static let orderStatuses: [(KrakenWire.OrderStatus, String)] = [
        (.pendingNew, "pending_new"), (.new, "new"), (.partiallyFilled, "partially_filled"), (.filled, "filled"),
        (.canceled, "canceled"), (.expired, "expired"),
    ]
    static let v1Statuses: [(V1OrderStatus, String)] = [
        (.pending, "pending"), (.open, "open"), (.closed, "closed"), (.canceled, "canceled"), (.expired, "expired"),
    ]
    static let restStatuses: [(RESTOrder.Status, String)] = [
        (.pending, "pending"), (.open, "open"), (.closed, "closed"), (.canceled, "canceled"), (.expired, "expired"),
    ]
    static let orderTypes: [(KrakenWire.OrderType, String, KBOrderType)] = [
        (.limit, "limit", .limit), (.market, "market", .market), (.iceberg, "iceberg", .iceberg),
        (.stopLoss, "stop-loss", .stopLoss), (.stopLossLimit, "stop-loss-limit", .stopLossLimit),
        (.takeProfit, "take-profit", .takeProfit), (.takeProfitLimit, "take-profit-limit", .takeProfitLimit),
        (.trailingStop, "trailing-stop", .trailingStop), (.trailingStopLimit, "trailing-stop-limit", .trailingStopLimit),
        (.settlePosition, "settle-position", .settlePosition),
    ]

    static func text(_ type: ExecutionType) -> String {
        if case .unknown(let text) = type { return text }
        return execTypes.first { $0.0 == type }?.1 ?? ""
    }

    static func text(_ status: KrakenWire.OrderStatus) -> String {
        if case .unknown(let text) = status { return text }
        return orderStatuses.first { $0.0 == status }?.1 ?? ""
    }

    static func text(_ status: V1OrderStatus) -> String {
        if case .unknown(let text) = status { return text }
        return v1Statuses.first { $0.0 == status }?.1 ?? ""
    }

    static func text(_ status: RESTOrder.Status) -> String {
        if case .other(let text) = status { return text }
        return restStatuses.first { $0.0 == status }?.1 ?? ""
    }

    static func text(_ type: KrakenWire.OrderType) -> String {
        if case .unknown(let text) = type { return text }
        return orderTypes.first { $0.0 == type }?.1 ?? ""
    }

    /// The bus order type for Kraken's text (`unspecified` for a type Kraken adds later).
    static func orderType(_ text: String?) -> KBOrderType { orderTypes.first { $0.1 == text }?.2 ?? .unspecified }

    /// Order types whose first price is a trigger (v1 and REST `descr.price`) and whose
    /// second, if any, is the limit.
    static func isTriggered(_ text: String?) -> Bool {
        guard let text else { return false }
        return text.hasPrefix("stop-loss") || text.hasPrefix("take-profit") || text.hasPrefix("trailing-stop")
    }

    static func side(_ side: KrakenWire.Side) -> KBSide { side == .buy ? .buy : .sell }

    /// `BTC/USD` → `USD`: v1 and REST charge fees in the quote asset.
    static func quoteAsset(of symbol: String?) -> String? {
        guard let symbol, let slash = symbol.lastIndex(of: "/") else { return nil }
        return String(symbol[symbol.index(after: slash)...])
    }
}
