/// A request the bridge was asked to build that Kraken would reject; caught before sending so
/// configuration mistakes surface as a clear error instead of an exchange error string.
public enum RequestError: Error, Sendable, Equatable, CustomStringConvertible {
    case unsupportedDepth(Int)
    case unsupportedInterval(Int)
    case missingSymbols(channel: String)
    case missingToken(channel: String)
    case notSubscribable(channel: String)

    public var description: String {
        switch self {
        case .unsupportedDepth(let depth): "book depth \(depth) is not one of \(KrakenLimits.bookDepths)"
        case .unsupportedInterval(let interval): "ohlc interval \(interval) is not one of \(KrakenLimits.ohlcIntervals)"
        case .missingSymbols(let channel): "\(channel) needs at least one symbol"
        case .missingToken(let channel): "\(channel) is private and needs a WebSockets token"
        case .notSubscribable(let channel): "\(channel) cannot be subscribed to"
        }
    }
}

/// Values Kraken accepts, from its documentation (anything else is rejected, not rounded).
public enum KrakenLimits {
    public static let bookDepths = [10, 25, 100, 500, 1000]
    public static let level3Depths = [10, 100, 1000]
    /// Minutes.
    public static let ohlcIntervals = [1, 5, 15, 30, 60, 240, 1440, 10080, 21600]
}
