import OrderBook

extension BookLevel {
    /// A level of bare mantissas (scale 0), for tests where only the digits matter: a book's
    /// order and checksum depend on the mantissas when every level shares its scales.
    init(price: Int64, quantity: Int64) {
        self.init(price: price, quantity: quantity, priceScale: 0, quantityScale: 0)
    }
}
