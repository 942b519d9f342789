import FixedPoint
import Foundation

/// An order object as Kraken sends it.
struct RawOrder: Decodable {
    struct RawDescription: Decodable {
        var pair: String
        var type: String
        var ordertype: String
        var price: ExactNumber
        var price2: ExactNumber?
        var leverage: String?
        var order: String?
        var close: String?
    }

    var refid: String?
    var userref: Int64?
    var cl_ord_id: String?
    var status: String
    var reason: String?
    var opentm: ExactNumber
    var closetm: ExactNumber?
    var starttm: ExactNumber?
    var expiretm: ExactNumber?
    var descr: RawDescription
    var vol: ExactNumber
    var vol_exec: ExactNumber
    var cost: ExactNumber
    var fee: ExactNumber
    var price: ExactNumber
    var stopprice: ExactNumber?
    var limitprice: ExactNumber?
    var misc: String?
    var oflags: String?
    var trigger: String?
    var trades: [String]?

    func order(id: String) throws(KrakenRESTError) -> RESTOrder {
        guard let side = RESTOrder.Side(descr.type) else { throw .malformedResponse("\(id): descr.type \"\(descr.type)\"") }
        let description = RESTOrder.Description(
            pair: descr.pair, side: side, orderType: descr.ordertype, price: descr.price.value,
            price2: descr.price2?.value ?? .zero, leverage: descr.leverage ?? "none", order: descr.order ?? "",
            close: descr.close ?? "")
        return RESTOrder(
            orderID: id, refID: refid, userref: userref, clientOrderID: cl_ord_id, status: RESTOrder.Status(status),
            reason: reason, openTimeNs: try Self.nanoseconds(opentm, "\(id): opentm"),
            closeTimeNs: try Self.setTime(closetm, "\(id): closetm"), startTimeNs: try Self.setTime(starttm, "\(id): starttm"),
            expireTimeNs: try Self.setTime(expiretm, "\(id): expiretm"), description: description, volume: vol.value,
            volumeExecuted: vol_exec.value, cost: cost.value, fee: fee.value, averagePrice: price.value,
            stopPrice: stopprice?.value, limitPrice: limitprice?.value, misc: misc ?? "",
            orderFlags: (oflags ?? "").split(separator: ",").map(String.init), trigger: trigger, tradeIDs: trades ?? [])
    }

    /// Epoch seconds (any number of decimals; digits past nanoseconds are dropped) → nanoseconds.
    static func nanoseconds(_ number: ExactNumber, _ field: String) throws(KrakenRESTError) -> Int64 {
        var seconds = number.value
        while seconds.scale > 9 { seconds = FixedDecimal(mantissa: seconds.mantissa / 10, scale: seconds.scale - 1) }
        guard seconds.mantissa >= 0, let value = seconds.rescaled(to: 9) else { throw .malformedResponse("\(field) out of range") }
        return value.mantissa
    }

    /// A time where 0 (or absence) means "not set".
    static func setTime(_ number: ExactNumber?, _ field: String) throws(KrakenRESTError) -> Int64? {
        guard let number, !number.value.isZero else { return nil }
        return try nanoseconds(number, field)
    }
}

/// A decimal Kraken sends as a string (`"1.25000000"`) or a JSON number (`1688666559.8974`),
/// kept exact: JSONDecoder reads a number into `Decimal` from its digits (never through
/// Double), and the Decimal's plain text becomes the FixedDecimal.
struct ExactNumber: Decodable {
    var value: FixedDecimal

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text: String
        if let string = try? container.decode(String.self) {
            text = string
        } else {
            text = "\(try container.decode(Decimal.self))"
        }
        do {
            value = try FixedDecimal(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an exact decimal: \(text) (\(error))")
        }
    }
}
