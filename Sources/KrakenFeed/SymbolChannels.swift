import KrakenWire

/// The market channels one symbol is subscribed to. Every configured or added pair starts with
/// the configuration's defaults; the control socket can subscribe and unsubscribe channels of
/// single pairs while running.
public struct SymbolChannels: Sendable, Equatable {
    /// Book depth; nil: no book.
    public var bookDepth: Int?
    public var trades: Bool
    public var ticker: Bool
    /// Candle intervals in minutes, ascending.
    public var ohlcIntervals: [Int]

    public init(bookDepth: Int? = nil, trades: Bool = false, ticker: Bool = false, ohlcIntervals: [Int] = []) {
        self.bookDepth = bookDepth
        self.trades = trades
        self.ticker = ticker
        self.ohlcIntervals = ohlcIntervals.sorted()
    }

    public var isEmpty: Bool { bookDepth == nil && !trades && !ticker && ohlcIntervals.isEmpty }

    /// One entry per subscribed channel (and interval): Kraken's channel name with its depth
    /// or interval.
    public var entries: [(channel: String, depth: Int?, interval: Int?)] { requests.map { ($0.channel.name, $0.depth, $0.interval) } }

    /// The Kraken subscriptions these channels need, one per channel (and interval).
    var requests: [ChannelRequest] {
        var requests: [ChannelRequest] = []
        if let bookDepth { requests.append(ChannelRequest(channel: .book, depth: bookDepth)) }
        if trades { requests.append(ChannelRequest(channel: .trade)) }
        if ticker { requests.append(ChannelRequest(channel: .ticker)) }
        for interval in ohlcIntervals { requests.append(ChannelRequest(channel: .ohlc, interval: interval)) }
        return requests
    }
}

/// Which channels of which pairs a subscribe or unsubscribe command names.
public struct ChannelChange: Sendable, Equatable {
    /// The channels a running feed can add or drop.
    public enum Channel: String, Sendable, CaseIterable {
        case book, trade, ticker, ohlc
    }

    public var channels: [Channel]
    public var symbols: [String]
    /// Book depth; nil: the configured default.
    public var depth: Int?
    /// Candle interval in minutes (needed with `ohlc`).
    public var intervalMinutes: Int?

    public init(channels: [Channel], symbols: [String], depth: Int? = nil, intervalMinutes: Int? = nil) {
        self.channels = channels
        self.symbols = symbols
        self.depth = depth
        self.intervalMinutes = intervalMinutes
    }
}

/// One subscription as Kraken takes it: a channel with its depth or interval, for many symbols.
struct ChannelRequest: Hashable {
    var channel: V2Channel
    var depth: Int?
    var interval: Int?

    /// Requests shared by several symbols, in first-seen order, each with its symbols in order.
    static func grouped(_ symbols: [(symbol: String, requests: [ChannelRequest])]) -> [(request: ChannelRequest, symbols: [String])] {
        var order: [ChannelRequest] = []
        var members: [ChannelRequest: [String]] = [:]
        for (symbol, requests) in symbols {
            for request in requests {
                if members[request] == nil { order.append(request) }
                members[request, default: []].append(symbol)
            }
        }
        return order.map { ($0, members[$0]!) }
    }
}
