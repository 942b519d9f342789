import KrakenREST

extension PrivateRESTClient {
    /// Kraken returns at most this many orders or trades per history page.
    static let historyPageSize = 50

    /// Orders closed after `startNs` (ClosedOrders with trades), every page up to `maxPages`;
    /// `complete` is false when more remained.
    func closedOrders(since startNs: Int64, maxPages: Int) async throws -> (orders: [RESTOrder], complete: Bool) {
        let (orders, complete) = try await pages(maxPages: maxPages) { offset in
            let page = try RESTOrder.parseClosedOrders(responseBody: try await call(
                "ClosedOrders", fields: [("trades", "true"), ("start", Self.seconds(startNs)), ("ofs", String(offset))]))
            return (page.orders, page.count)
        } id: { $0.orderID }
        return (orders, complete)
    }

    /// Trades after `startNs` (TradesHistory), every page up to `maxPages`.
    func tradesHistory(since startNs: Int64, maxPages: Int) async throws -> (trades: [RESTTrade], complete: Bool) {
        let (trades, complete) = try await pages(maxPages: maxPages) { offset in
            let page = try RESTTrade.parseTradesHistory(responseBody: try await call(
                "TradesHistory", fields: [("start", Self.seconds(startNs)), ("ofs", String(offset))]))
            return (page.trades, page.count)
        } id: { $0.tradeID }
        return (trades, complete)
    }

    /// Reads pages by offset until the answer's `count` is reached, a page comes back empty, or
    /// `maxPages` were read. Entries are most recent first, so one that closed meanwhile shifts
    /// the rest by one: a repeat is dropped by its id (the ledger would drop it anyway).
    private func pages<Item>(
        maxPages: Int, _ page: (Int) async throws -> (items: [Item], count: Int), id: (Item) -> String
    ) async throws -> ([Item], complete: Bool) {
        var items: [Item] = []
        var seen: Set<String> = []
        var offset = 0
        for _ in 0..<maxPages {
            let (batch, count) = try await page(offset)
            offset += batch.count
            items += batch.filter { seen.insert(id($0)).inserted }
            if batch.isEmpty || offset >= count { return (items, true) }
        }
        return (items, false)
    }

    /// Whole Unix seconds, as `start` takes them (rounded down: the window only grows).
    static func seconds(_ nanoseconds: Int64) -> String { String(max(nanoseconds, 0) / 1_000_000_000) }
}
