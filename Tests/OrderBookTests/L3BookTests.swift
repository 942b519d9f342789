import FixedPoint
import OrderBook
import Testing

@Suite("level-3 book")
struct L3BookTests {
    static let asks = """
        44939.5 4.52308393 | 44939.5 0.00111261 | 44939.5 0.00100000 | 44939.5 0.01000000 |
        44950.0 0.10334926 | 44953.0 0.00064537 | 44955.0 0.00250000 | 44959.6 0.35630000 |
        44959.6 0.35630000 | 44960.1 0.00338072 | 44960.2 0.88967575 | 44967.0 3.14392283 |
        44978.5 0.06778960 | 44979.2 0.35630000
        """
    static let bids = """
        44939.4 0.88968699 | 44939.4 0.45210000 | 44939.4 0.10000000 | 44939.4 0.14296323 |
        44939.4 0.25000000 | 44939.4 0.10292988 | 44939.4 0.33880000 | 44939.4 1.28140860 |
        44937.1 0.03346877 | 44934.7 0.35630000 | 44930.2 0.22734299 | 44930.2 0.01000000 |
        44930.2 0.05550000 | 44930.2 0.70000000 | 44930.2 0.15000000 | 44928.0 0.00105240 |
        44919.6 0.33870000 | 44919.5 0.07610000 | 44912.0 0.35630000 | 44909.7 0.06690000 |
        44901.9 0.00088982
        """

    static func orders(_ text: String) throws -> [(FixedDecimal, FixedDecimal)] {
        try text.split(separator: "|").map { entry in
            let parts = entry.split(whereSeparator: { $0 == " " || $0 == "\n" })
            return (try FixedDecimal(String(parts[0])), try FixedDecimal(String(parts[1])))
        }
    }

    func vectorBook() throws -> L3Book {
        var book = L3Book(depth: 10, priceScale: 1, quantityScale: 8)
        for (index, order) in try Self.orders(Self.asks).enumerated() {
            try book.add(id: "A\(index)", side: .ask, price: order.0.rescaled(to: 1)!.mantissa, quantity: order.1.rescaled(to: 8)!.mantissa)
        }
        for (index, order) in try Self.orders(Self.bids).enumerated() {
            try book.add(id: "B\(index)", side: .bid, price: order.0.rescaled(to: 1)!.mantissa, quantity: order.1.rescaled(to: 8)!.mantissa)
        }
        return book
    }

    @Test("the official level-3 vector: 1063832831")
    func officialVector() throws {
        let book = try vectorBook()
        #expect(book.asks.count == 10)
        #expect(book.bids.count == 10)
        #expect(book.checksum == 1_063_832_831)
    }

    @Test("queue order is part of the checksum: swapping two orders of one level changes it")
    func queueOrderMatters() throws {
        var book = try vectorBook()
        let first = book.asks[0].orders[0]
        try book.delete(id: first.id)
        try book.add(id: first.id, side: .ask, price: book.asks[0].price, quantity: first.quantity)
        #expect(book.checksum != 1_063_832_831)
    }

    @Test("modify keeps the queue position; delete of the last order removes the level")
    func modifyAndDelete() throws {
        var book = L3Book(depth: 10, priceScale: 0, quantityScale: 0)
        try book.add(id: "a", side: .bid, price: 10, quantity: 5)
        try book.add(id: "b", side: .bid, price: 10, quantity: 7)
        try book.modify(id: "a", quantity: 2)
        #expect(book.bids[0].orders.map(\.id) == ["a", "b"])
        #expect(book.bids[0].orders[0].quantity == 2)
        try book.delete(id: "a")
        try book.delete(id: "b")
        #expect(book.bids.isEmpty)
        #expect(throws: L3Book.Error.unknownOrder("a")) { try book.delete(id: "a") }
        try book.add(id: "c", side: .ask, price: 11, quantity: 1)
        #expect(throws: L3Book.Error.duplicateOrder("c")) { try book.add(id: "c", side: .ask, price: 12, quantity: 1) }
    }
}
