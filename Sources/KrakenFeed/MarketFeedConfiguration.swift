import NIOCore

/// What one public market-data connection subscribes to, and where.
public struct MarketFeedConfiguration: Sendable {
    /// Names the feed in diagnostics, connection topics and status events.
    public var name = "public"
    /// Kraken's WebSocket v2 (default) or v1. Switching it while the endpoints are still the
    /// previous version's default switches them to this version's (`wss://ws.kraken.com/`).
    public var protocolVersion = ProtocolVersion.v2 {
        didSet {
            if connection.endpoints == [oldValue.publicEndpoint] { connection.endpoints = [protocolVersion.publicEndpoint] }
        }
    }
    /// Endpoints (default Kraken's public v2), deadlines, pacing and backoff.
    public var connection = ConnectionSettings(endpoints: [ProtocolVersion.v2.publicEndpoint])
    /// Kraken's REST API: v1 reads pair names and precisions from `AssetPairs` on every connect.
    public var rest = RESTEndpoint(host: "api.kraken.com", port: 443, secure: true)
    /// The AssetPairs call's deadline (v1).
    public var restTimeout: TimeAmount = .seconds(10)
    /// v2 symbols (`BTC/USD`), whatever the protocol version.
    public var symbols: [String] = []
    /// Book depth (10, 25, 100, 500 or 1000); nil: no books.
    public var bookDepth: Int? = 10
    public var trades = true
    public var tickers = false
    /// OHLC intervals in minutes (Kraken's set: 1, 5, 15, 30, 60, 240, 1440, 10080, 21600).
    public var ohlcIntervals: [Int] = []
    /// Symbols per subscribe request when (re)subscribing many pairs.
    public var symbolsPerRequest = 50
    /// The rate-limited best-N view published beside each book (`top:SYMBOL:N:`); nil: none.
    public var bookTop: BookTopSettings?

    public init() {}

    /// The channels every configured or added pair gets.
    public var defaultChannels: SymbolChannels {
        SymbolChannels(bookDepth: bookDepth, trades: trades, ticker: tickers, ohlcIntervals: ohlcIntervals)
    }

    func validate() throws(FeedConfigurationError) {
        try connection.validate()
        if let bookDepth, ![10, 25, 100, 500, 1000].contains(bookDepth) {
            throw FeedConfigurationError(description: "book depth \(bookDepth) is not one of 10, 25, 100, 500, 1000")
        }
        for interval in ohlcIntervals where ![1, 5, 15, 30, 60, 240, 1440, 10080, 21600].contains(interval) {
            throw FeedConfigurationError(description: "OHLC interval \(interval) is not one Kraken offers")
        }
        guard restTimeout > .zero else { throw FeedConfigurationError(description: "REST timeout must be positive") }
        guard symbolsPerRequest >= 1 else { throw FeedConfigurationError(description: "symbols per request must be ≥ 1") }
        if let bookTop {
            guard bookTop.levels >= 1, bookTop.levels <= (bookDepth ?? 1000) else {
                throw FeedConfigurationError(description: "top levels \(bookTop.levels) must be between 1 and the book depth")
            }
            guard bookTop.minimumIntervalNs >= 0 else { throw FeedConfigurationError(description: "top interval must be ≥ 0") }
        }
    }
}

/// The best-N book view for consumers that do not keep books: at most one `BookTop` per
/// symbol every `minimumIntervalNs`, taken from a verified book.
public struct BookTopSettings: Sendable, Equatable {
    public var levels: Int
    public var minimumIntervalNs: Int64

    public init(levels: Int, minimumIntervalNs: Int64) {
        self.levels = levels
        self.minimumIntervalNs = minimumIntervalNs
    }
}
