import KrakenAuth
import KrakenFeed
import KrakenWire
import PrivateFlow

/// What `krakenbridge record` subscribes and when it stops. Subscriptions are `run`'s: books at
/// one depth, trades, optionally tickers and candles, for v2 symbols (named the v1 way over v1);
/// with credentials, the account feed's private channels instead.
public struct RecordingPlan: Sendable {
    public var protocolVersion: ProtocolVersion
    public var endpoint: FeedEndpoint
    /// REST for AssetPairs (v1 names; recorded with the capture for both versions' verification).
    public var rest: RESTEndpoint
    public var symbols: [String]
    /// 0: no books.
    public var bookDepth: Int
    public var trades: Bool
    public var tickers: Bool
    public var ohlcIntervals: [Int]
    /// A CA file to trust instead of the system roots (the simulator's `ca.pem`).
    public var trustedCAFile: String?
    /// Stop after this long (the first limit reached ends the recording).
    public var duration: Duration
    /// Stop after this many received frames (nil: no limit).
    public var maxFrames: Int?
    /// Stop once the capture holds this many bytes (nil: no limit).
    public var maxBytes: Int?
    /// Record the authenticated connection's private channels, as the account feed subscribes
    /// them, and the REST answers of a reconciliation after their snapshots (OpenOrders,
    /// ClosedOrders), instead of market data.
    public var credentials: APICredentials?

    public init(
        protocolVersion: ProtocolVersion, endpoint: FeedEndpoint? = nil, rest: RESTEndpoint, symbols: [String], bookDepth: Int = 10,
        trades: Bool = true, tickers: Bool = false, ohlcIntervals: [Int] = [], trustedCAFile: String? = nil,
        duration: Duration = .seconds(60), maxFrames: Int? = nil, maxBytes: Int? = nil, credentials: APICredentials? = nil
    ) {
        self.protocolVersion = protocolVersion
        self.endpoint = endpoint ?? (credentials == nil ? protocolVersion.publicEndpoint : protocolVersion.authenticatedEndpoint)
        self.credentials = credentials
        self.rest = rest
        self.symbols = symbols
        self.bookDepth = bookDepth
        self.trades = trades
        self.tickers = tickers
        self.ohlcIntervals = ohlcIntervals
        self.trustedCAFile = trustedCAFile
        self.duration = duration
        self.maxFrames = maxFrames
        self.maxBytes = maxBytes
    }

    /// The account feed's subscribe frames with `token`, in the order it sends them.
    func accountSubscriptions(token: String) throws -> [[UInt8]] {
        try PrivateChannel.subscribed(by: protocolVersion).enumerated().map { index, channel in
            if let subscription = channel.v2Subscription(token: token) { return try V2Request.subscribe(subscription, requestID: UInt64(index + 1)) }
            if let subscription = channel.v1Subscription(token: token) { return try V1Request.subscribe(subscription, requestID: UInt64(index + 1)) }
            return []
        }
    }

    /// The subscribe frames, in the order they are sent. v1 needs each symbol's v1 name.
    func subscriptions(v1Names: [String: String]) throws -> [[UInt8]] {
        var frames: [[UInt8]] = []
        var requestID: UInt64 = 0
        func next() -> UInt64 {
            requestID += 1
            return requestID
        }
        switch protocolVersion {
        case .v2:
            // The instrument snapshot gives the precisions v2 books are verified at.
            frames.append(try V2Request.subscribe(V2Subscription(channel: .instrument, snapshot: true), requestID: next()))
            if bookDepth > 0 {
                frames.append(try V2Request.subscribe(V2Subscription(channel: .book, symbols: symbols, depth: bookDepth, snapshot: true),
                                                      requestID: next()))
            }
            if trades { frames.append(try V2Request.subscribe(V2Subscription(channel: .trade, symbols: symbols), requestID: next())) }
            if tickers { frames.append(try V2Request.subscribe(V2Subscription(channel: .ticker, symbols: symbols), requestID: next())) }
            for interval in ohlcIntervals {
                frames.append(try V2Request.subscribe(V2Subscription(channel: .ohlc, symbols: symbols, interval: interval), requestID: next()))
            }
        case .v1:
            let pairs = try symbols.map { symbol in
                guard let name = v1Names[symbol] else { throw RecordingError.unknownSymbol(symbol) }
                return name
            }
            if bookDepth > 0 {
                frames.append(try V1Request.subscribe(V1Subscription(name: .book, pairs: pairs, depth: bookDepth), requestID: next()))
            }
            if trades { frames.append(try V1Request.subscribe(V1Subscription(name: .trade, pairs: pairs), requestID: next())) }
            if tickers { frames.append(try V1Request.subscribe(V1Subscription(name: .ticker, pairs: pairs), requestID: next())) }
            for interval in ohlcIntervals {
                frames.append(try V1Request.subscribe(V1Subscription(name: .ohlc, pairs: pairs, interval: interval), requestID: next()))
            }
        }
        return frames
    }
}

/// Why a recording could not be made.
public enum RecordingError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownSymbol(String)
    case assetPairs(String)
    case token(String)
    case connect(String)

    public var description: String {
        switch self {
        case .token(let reason): "GetWebSocketsToken: \(reason)"
        case .unknownSymbol(let symbol): "\(symbol) is not in Kraken's AssetPairs (no v1 name)"
        case .assetPairs(let reason): "AssetPairs: \(reason)"
        case .connect(let reason): "connect: \(reason)"
        }
    }
}
