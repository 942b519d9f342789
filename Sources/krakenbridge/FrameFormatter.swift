import Foundation
import SwiftProtobuf
import WireFormat

/// Renders bus frames for people (one line each) or for programs (one JSON object per line).
enum FrameFormatter {
    static func typeName(_ raw: UInt16) -> String {
        guard let type = KBMessageType(rawValue: Int(raw)), type != .unspecified else { return "type\(raw)" }
        return "\(type)"
    }

    static func flagNames(_ flags: FrameFlags) -> [String] {
        [(FrameFlags.snapshot, "snapshot"), (.replay, "replay"), (.reconciled, "reconciled"), (.simulated, "simulated")]
            .filter { flags.contains($0.0) }.map(\.1)
    }

    static func time(_ nanoseconds: Int64) -> String {
        guard nanoseconds > 0 else { return "-" }
        let date = Date(timeIntervalSince1970: TimeInterval(nanoseconds / 1_000_000_000))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.hour, .minute, .second], from: date)
        let micros = (nanoseconds % 1_000_000_000) / 1_000
        return String(format: "%02d:%02d:%02d.%06d", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0, Int(micros))
    }

    static func line(_ frame: BusFrame) -> String {
        let header = frame.header
        let flags = flagNames(header.flags)
        let flagText = flags.isEmpty ? "" : " [\(flags.joined(separator: ","))]"
        let prefix = "\(time(header.publishTimestampNs)) \(frame.topic) #\(header.sequence) \(typeName(header.messageType))\(flagText)"
        do {
            return "\(prefix) \(summary(try frame.decodePayload()))"
        } catch {
            return "\(prefix) MALFORMED PAYLOAD: \(error)"
        }
    }

    /// Both sides of a book message as `bids[price×qty …] asks[…]`, each level with the
    /// digits it was written with.
    static func sides(_ book: some BookColumns) -> String {
        guard let levels = try? book.decodedLevels() else { return "MALFORMED LEVELS" }
        func text(_ side: [BookColumnLevel]) -> String { side.map { "\($0.price)×\($0.quantity)" }.joined(separator: " ") }
        return "bids[\(text(levels.bids))] asks[\(text(levels.asks))]"
    }

    static func summary(_ payload: BusPayload) -> String {
        switch payload {
        case .trade(let t):
            return "\(t.side == .buy ? "buy" : "sell") \(t.qty.text) @ \(t.price.text) id=\(t.tradeID)"
        case .ticker(let t):
            return "bid \(t.bid.text)×\(t.bidQty.text) ask \(t.ask.text)×\(t.askQty.text) last \(t.last.text) vol \(t.volume.text)"
        case .bookSnapshot(let b):
            let book = sides(b)
            return "gen \(b.generation) crc \(b.checksum) \(book)"
        case .bookUpdate(let b):
            let book = sides(b)
            return "gen \(b.generation) crc \(b.checksum) \(book)"
        case .bookTop(let b):
            let book = sides(b)
            return "top \(b.levels) of book #\(b.bookSequence) \(book)"
        case .executionReport(let r):
            return "\(r.orderStatus) order \(r.orderID) \(r.side) filled \(r.quantityFilled.text) @ \(r.averageFillPrice.text) exec \(r.execID)"
        case .fill(let f):
            return "fill \(f.fillID) order \(f.orderID) \(f.side) \(f.quantity.text) @ \(f.price.text) fee \(f.fee.text) \(f.feeAsset)"
        case .topicHeartbeat:
            return "(idle)"
        case .serviceHeartbeat(let h):
            return "uptime \(h.uptimeNs / 1_000_000_000)s feeds \(h.feeds.map { "\($0.feed)=\($0.state)" }.joined(separator: ","))"
        case .unknown(let type):
            return "(unknown message type \(type), skipped)"
        default:
            guard let message = payload.message else { return "" }
            return message.textFormatString().split(separator: "\n").joined(separator: " ")
        }
    }

    /// One JSON object: header fields plus the payload in protobuf's canonical JSON.
    static func json(_ frame: BusFrame) -> String {
        let header = frame.header
        var payloadJSON = "null"
        var error: String?
        do {
            if let message = try frame.decodePayload().message { payloadJSON = try message.jsonString() }
        } catch let failure {
            error = "\(failure)"
        }
        var object = "{\"topic\":\(quoted(frame.topic.description)),\"type\":\(quoted(typeName(header.messageType)))"
        object += ",\"sequence\":\(header.sequence),\"epoch\":\(header.publisherEpoch),\"flags\":\(header.flags.rawValue)"
        object += ",\"exchange_ts_ns\":\(header.exchangeTimestampNs),\"receive_ts_ns\":\(header.receiveTimestampNs)"
        object += ",\"publish_ts_ns\":\(header.publishTimestampNs),\"payload\":\(payloadJSON)"
        if let error { object += ",\"error\":\(quoted(error))" }
        return object + "}"
    }

    static func quoted(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])
        let array = data.map { String(decoding: $0, as: UTF8.self) } ?? "[\"\"]"
        return String(array.dropFirst().dropLast())
    }
}
