/// What one public market-data connection subscribes to, and where.
public struct MarketFeedConfiguration: Sendable {
    /// Names the feed in diagnostics, connection topics and status events.
    public var name = "public"
    /// Endpoints (default Kraken's public v2), deadlines, pacing and backoff.
    public var connection = ConnectionSettings(endpoints: [FeedEndpoint(host: "ws.kraken.com", port: 443, path: "/v2", secure: true)])
    /// v2 symbols (`BTC/USD`).
    public var symbols: [String] = []
    /// Book depth (10, 25, 100, 500 or 1000); nil: no books.
    public var bookDepth: Int? = 10
    public var trades = true
    public var tickers = false
    /// OHLC intervals in minutes (Kraken's set: 1, 5, 15, 30, 60, 240, 1440, 10080, 21600).
    public var ohlcIntervals: [Int] = []
    /// Symbols per subscribe request when (re)subscribing many pairs.
    public var symbolsPerRequest = 50

    public init() {}

    func validate() throws(FeedConfigurationError) {
        try connection.validate()
        if let bookDepth, ![10, 25, 100, 500, 1000].contains(bookDepth) {
            throw FeedConfigurationError(description: "book depth \(bookDepth) is not one of 10, 25, 100, 500, 1000")
        }
        for interval in ohlcIntervals where ![1, 5, 15, 30, 60, 240, 1440, 10080, 21600].contains(interval) {
            throw FeedConfigurationError(description: "OHLC interval \(interval) is not one Kraken offers")
        }
        guard symbolsPerRequest >= 1 else { throw FeedConfigurationError(description: "symbols per request must be ≥ 1") }
    }
}
