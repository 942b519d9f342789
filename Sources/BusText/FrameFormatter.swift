import Foundation
import SwiftProtobuf
import WireFormat

/// Renders bus frames for people (one line each, every decimal with its exact digits) or for
/// programs (one JSON object per line): what `tap` and `ctl` print.
public enum FrameFormatter {
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

    public static func line(_ frame: BusFrame) -> String {
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

    public static func summary(_ payload: BusPayload) -> String {
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
        case .ohlc(let o):
            return "\(o.intervalMinutes)m from \(time(o.intervalBeginNs)) O \(o.open.text) H \(o.high.text) L \(o.low.text) "
                + "C \(o.close.text) vwap \(o.vwap.text) vol \(o.volume.text) trades \(o.trades)\(o.closed ? " closed" : "")"
        case .spread(let s):
            return "bid \(s.bid.text)×\(s.bidQty.text) ask \(s.ask.text)×\(s.askQty.text)"
        case .instrument(let i):
            return "\(i.base)/\(i.quote) \(i.status) price step \(i.priceIncrement.text) qty step \(i.qtyIncrement.text) "
                + "qty min \(i.qtyMin.text) cost min \(i.costMin.text)\(i.v1Name.isEmpty ? "" : " v1 \(i.v1Name)")"
        case .balance(let b):
            let wallets = b.wallets.map { "\($0.type)\($0.id.isEmpty ? "" : ":\($0.id)")=\($0.balance.text)" }.joined(separator: " ")
            let ledger = b.ledgerID.isEmpty ? "" : " \(b.ledgerType) \(b.amount.text) fee \(b.fee.text) ledger \(b.ledgerID)"
            return "\(b.asset) \(b.balance.text)\(wallets.isEmpty ? "" : " [\(wallets)]")\(ledger)"
        case .exchangeStatus(let e):
            return "\(e.rawSystem.isEmpty ? "\(e.system)" : e.rawSystem) api \(e.apiVersion) feed \(e.feed)"
        case .connectionStatus(let c):
            return "\(c.feed) \(c.previousState) → \(c.state) \(c.endpoint) attempt \(c.attempt)\(c.detail.isEmpty ? "" : ": \(c.detail)")"
        case .bookReset(let r):
            let checksums = r.expectedChecksum == 0 && r.computedChecksum == 0 ? "" : " crc expected \(r.expectedChecksum) computed \(r.computedChecksum)"
            return "reset \(r.symbol) depth \(r.depth) gen \(r.previousGeneration) → \(r.generation) \(r.reason)\(checksums)"
                + (r.detail.isEmpty ? "" : ": \(r.detail)")
        case .gap(let g):
            return "gap on \(g.stream): \(g.kind) expected \(g.expected) received \(g.received)\(g.detail.isEmpty ? "" : ": \(g.detail)")"
        case .snapshotEnd(let e):
            return "end of snapshot '\(e.prefix)': \(e.topicCount) topics"
        case .controlRequest(let r):
            return "control request \(r.id)"
        case .controlReply(let r):
            return "control reply \(r.id)"
        case .unknown(let type):
            return "(unknown message type \(type), skipped)"
        }
    }

    /// One JSON object: header fields plus the payload in protobuf's canonical JSON, every key
    /// in protobuf JSON's camelCase (the one convention of everything the bridge prints).
    public static func json(_ frame: BusFrame) -> String {
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
        object += ",\"exchangeTsNs\":\(header.exchangeTimestampNs),\"receiveTsNs\":\(header.receiveTimestampNs)"
        object += ",\"publishTsNs\":\(header.publishTimestampNs),\"payload\":\(payloadJSON)"
        if let error { object += ",\"error\":\(quoted(error))" }
        return object + "}"
    }

    static func quoted(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])
        let array = data.map { String(decoding: $0, as: UTF8.self) } ?? "[\"\"]"
        return String(array.dropFirst().dropLast())
    }
}
