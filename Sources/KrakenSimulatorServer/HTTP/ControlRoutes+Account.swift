import FixedPoint
import Foundation
import KrakenSimulator

/// Control API for the simulated account: place and cancel orders, read every private event
/// the simulator emitted (the ground truth a bridge's execution list must equal).
extension ControlRoutes {
    struct PlaceOrder: Decodable {
        var symbol: String
        var side: String
        var type: String?
        /// Decimal text, e.g. "0.01".
        var quantity: String
        var price: String?
        var clientOrderId: String?
    }

    struct OrderReply: Encodable {
        var orderId: String
        var status: String
    }

    struct PrivateEvent: Encodable {
        var index: Int
        var execType: String
        var orderId: String
        var orderStatus: String
        var execId: String?
        var tradeId: UInt64?
        var lastQty: String?
        var lastPrice: String?
    }

    static func placeOrder(_ body: [UInt8], exchange: Exchange) -> HTTPReply {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let request = try? decoder.decode(PlaceOrder.self, from: Data(body)) else {
            return failure(#"body must be {"symbol","side":"buy"|"sell","type":"limit"|"market","quantity","price"?}"#)
        }
        guard let pair = exchange.account.pair(symbol: request.symbol), let market = exchange.market(pair.symbol) else {
            return failure("unknown symbol \(request.symbol)")
        }
        guard let side: SimulatedOrder.Side = request.side == "buy" ? .buy : request.side == "sell" ? .sell : nil else {
            return failure("side must be buy or sell")
        }
        guard let quantity = mantissa(request.quantity, scale: pair.quantityScale) else {
            return failure("quantity must be a decimal with at most \(pair.quantityScale) fraction digits")
        }
        let order: OrderRequest
        switch request.type ?? "limit" {
        case "market": order = .market(pair.symbol, side, quantity: quantity, clientOrderID: request.clientOrderId)
        case "limit":
            guard let price = request.price.flatMap({ mantissa($0, scale: pair.priceScale) }) else {
                return failure("a limit order needs a price with at most \(pair.priceScale) fraction digits")
            }
            order = .limit(pair.symbol, side, quantity: quantity, price: price, clientOrderID: request.clientOrderId)
        default: return failure("type must be limit or market")
        }
        guard let top = TopOfBook(market) else { return failure("the book of \(pair.symbol) is empty") }
        do {
            let placed = try exchange.changeAccount { (account) throws(AccountError) in
                try account.place(order, top: top, nowNs: UnixClock.nanoseconds())
            }
            return encode(OrderReply(orderId: placed.id, status: "\(placed.status)"))
        } catch {
            return failure(error.krakenMessage)
        }
    }

    static func cancelOrder(_ body: [UInt8], exchange: Exchange) -> HTTPReply {
        struct Cancel: Decodable { var orderId: String }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let request = try? decoder.decode(Cancel.self, from: Data(body)) else { return failure(#"body must be {"order_id":…}"#) }
        do {
            let canceled = try exchange.changeAccount { (account) throws(AccountError) in
                try account.cancel(orderID: request.orderId, nowNs: UnixClock.nanoseconds())
            }
            return encode(OrderReply(orderId: canceled.id, status: "\(canceled.status)"))
        } catch {
            return failure(error.krakenMessage)
        }
    }

    /// Every execution event since `since` (an index into the event list), in emission order.
    static func privateEvents(_ query: [String: String], exchange: Exchange) -> HTTPReply {
        let since = query["since"].flatMap(Int.init) ?? 0
        var events: [PrivateEvent] = []
        for (offset, event) in exchange.account.events(since: max(0, since)).enumerated() {
            guard let execution = event.execution else { continue }
            let pair = execution.order.pair
            events.append(PrivateEvent(
                index: max(0, since) + offset, execType: "\(execution.execType)", orderId: execution.order.id,
                orderStatus: "\(execution.order.status)", execId: execution.fill?.execID, tradeId: execution.fill?.tradeID,
                lastQty: execution.fill.map { FixedDecimal.text(mantissa: $0.quantity, scale: Int(pair.quantityScale)) },
                lastPrice: execution.fill.map { FixedDecimal.text(mantissa: $0.price, scale: Int(pair.priceScale)) }))
        }
        return encode(events)
    }

    /// `"0.01"` at `scale` → 1_000_000 (scale 8); nil when it has more digits than the scale.
    private static func mantissa(_ text: String, scale: UInt8) -> Int64? {
        guard let value = try? FixedDecimal(text), value.mantissa > 0 else { return nil }
        return value.rescaled(to: scale)?.mantissa
    }
}
