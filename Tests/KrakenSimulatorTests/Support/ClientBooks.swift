import KrakenSimulator
import KrakenWire
import OrderBook

/// Depth-10 books kept from v2 book messages alone, as a client would: a snapshot starts a
/// symbol's book afresh, updates apply and truncate, and each message's checksum is checked.
struct ClientBooks {
    struct UnknownSymbol: Error { var symbol: String }

    let pairs: [SimulatedPair]
    private(set) var books: [String: L2Book] = [:]

    init(pairs: [SimulatedPair]) { self.pairs = pairs }

    mutating func apply(_ update: V2BookMessage) throws -> ChecksumResult {
        if update.kind == .snapshot {
            guard let pair = pairs.first(where: { $0.symbol == update.symbol }) else { throw UnknownSymbol(symbol: update.symbol) }
            books[update.symbol] = L2Book(depth: 10, priceScale: pair.priceScale, quantityScale: pair.quantityScale)
        }
        guard var book = books[update.symbol] else { throw UnknownSymbol(symbol: update.symbol) }
        for level in update.bids { try book.apply(price: level.price, quantity: level.quantity, side: .bid) }
        for level in update.asks { try book.apply(price: level.price, quantity: level.quantity, side: .ask) }
        book.truncate()
        books[update.symbol] = book
        return book.verify(checksum: update.checksum)
    }
}
