import OrderBook
import WireFormat

/// Books kept from the bus alone, as a consumer would: a snapshot starts a book, updates apply
/// (with no truncation of its own: levels pushed beyond the depth come as explicit deletes), a
/// reset drops it. Every published book state must match its checksum and fit its depth.
struct BusBooks {
    struct Violation: Error, CustomStringConvertible { var description: String }

    private(set) var books: [String: L2Book] = [:]
    private(set) var generations: [String: UInt64] = [:]
    /// Per topic, what was seen, in order: "snapshot", "update", "reset".
    private(set) var events: [String: [String]] = [:]

    mutating func apply(_ received: BusRecorder.Received) throws {
        switch received.payload {
        case .bookSnapshot(let snapshot):
            var book = L2Book(depth: Int(snapshot.depth), digits: .asReceived)
            try Self.apply(snapshot, to: &book)
            guard book.verify(checksum: snapshot.checksum) == .match else {
                throw Violation(description: "\(received.topic) snapshot fails its checksum")
            }
            books[snapshot.symbol] = book
            generations[snapshot.symbol] = snapshot.generation
            events[received.topic, default: []].append("snapshot")
        case .bookUpdate(let update):
            guard var book = books[update.symbol] else { throw Violation(description: "\(received.topic) update without a book") }
            guard generations[update.symbol] == update.generation else {
                throw Violation(description: "\(received.topic) update of generation \(update.generation), book is \(generations[update.symbol] ?? 0)")
            }
            try Self.apply(update, to: &book)
            guard book.bids.count <= book.depth, book.asks.count <= book.depth else {
                throw Violation(description: "\(received.topic) update \(received.header.sequence) leaves more levels than the depth")
            }
            guard book.verify(checksum: update.checksum) == .match else {
                throw Violation(description: "\(received.topic) update \(received.header.sequence) fails its checksum")
            }
            books[update.symbol] = book
            events[received.topic, default: []].append("update")
        case .bookReset(let reset):
            books[reset.symbol] = nil
            events[received.topic, default: []].append("reset")
        default:
            break
        }
    }

    /// The message's levels with the digits each was written with (a book kept as received).
    static func apply(_ message: some BookColumns, to book: inout L2Book) throws {
        let levels = try message.decodedLevels()
        for level in levels.bids { book.apply(BookLevel(price: level.price, quantity: level.quantity), side: .bid) }
        for level in levels.asks { book.apply(BookLevel(price: level.price, quantity: level.quantity), side: .ask) }
    }

    static func replay(_ frames: [BusRecorder.Received]) throws -> BusBooks {
        var books = BusBooks()
        for frame in frames { try books.apply(frame) }
        return books
    }
}

/// Per-topic sequence numbers must go 1, 2, 3, … with nothing missing or repeated; a topic
/// heartbeat repeats the current one.
func sequenceViolations(_ frames: [BusRecorder.Received]) -> [String] {
    var last: [String: UInt64] = [:]
    var violations: [String] = []
    for frame in frames {
        if case .topicHeartbeat = frame.payload {
            if frame.header.sequence != last[frame.topic, default: 0] {
                violations.append("\(frame.topic): heartbeat at \(frame.header.sequence), last data \(last[frame.topic, default: 0])")
            }
            continue
        }
        let expected = (last[frame.topic] ?? 0) + 1
        if frame.header.sequence != expected {
            violations.append("\(frame.topic): expected \(expected), got \(frame.header.sequence)")
        }
        last[frame.topic] = frame.header.sequence
    }
    return violations
}
