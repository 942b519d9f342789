import WireFormat

/// The bus topics of one symbol, built once (topic bytes are reused for every frame).
struct SymbolTopics {
    var book: Topic?
    var top: Topic?
    var trade: Topic?
    var ticker: Topic?
    var ohlc: [Int: Topic] = [:]

    init(symbol: String, channels: SymbolChannels, topLevels: Int?) throws(TopicError) {
        if let depth = channels.bookDepth {
            book = try Topic.book(symbol, depth: depth)
            if let topLevels { top = try Topic.bookTop(symbol, levels: topLevels) }
        }
        if channels.trades { trade = try Topic.trade(symbol) }
        if channels.ticker { ticker = try Topic.ticker(symbol) }
        for interval in channels.ohlcIntervals { ohlc[interval] = try Topic.ohlc(symbol, intervalMinutes: interval) }
    }
}

extension MarketSession {
    /// The symbol's book topic, read through the dictionary's storage rather than a copy of all
    /// of the symbol's topics.
    func bookTopic(of symbol: String) -> Topic? {
        guard let index = topics.index(forKey: symbol) else { return nil }
        return topics.values[index].book
    }
}
