import KrakenWire

/// What one feed has seen and done, for diagnostics and metrics. Every failure has its own
/// counter: nothing is dropped without being counted.
public struct FeedCounters: Sendable, Equatable {
    public var frames: UInt64 = 0
    public var bookSnapshots: UInt64 = 0
    public var bookUpdates: UInt64 = 0
    /// Book updates that arrived before the snapshot or while resynchronising.
    public var bookUpdatesIgnored: UInt64 = 0
    public var checksumFailures: UInt64 = 0
    public var bookResets: UInt64 = 0
    /// The same two per symbol, so an alert can name the pair.
    public var checksumFailuresBySymbol: [String: UInt64] = [:]
    public var bookResetsBySymbol: [String: UInt64] = [:]
    public var trades: UInt64 = 0
    public var tickers: UInt64 = 0
    public var candles: UInt64 = 0
    public var statusEvents: UInt64 = 0
    public var heartbeats: UInt64 = 0
    public var pongs: UInt64 = 0
    /// Private subscriptions resubscribed because they were quiet while orders were open.
    public var quietVerifications: UInt64 = 0
    /// Connections replaced because a ping (Kraken's or the WebSocket's) went unanswered.
    public var pongTimeouts: UInt64 = 0
    public var subscribeErrors: UInt64 = 0
    public var rateLimited: UInt64 = 0
    /// Messages for a symbol or channel this feed did not subscribe to.
    public var unexpectedMessages: UInt64 = 0
    public var connects: UInt64 = 0
    public var reconnections: UInt64 = 0
    public var connectFailures: UInt64 = 0
    public var staleConnections: UInt64 = 0
    /// Subscribe requests Kraken did not answer in time (the connection is then replaced).
    public var ackTimeouts: UInt64 = 0
    /// Subscriptions quiet for long while heartbeats still came (books are then verified).
    public var suspectSubscriptions: UInt64 = 0
    /// Requests held back by the pacer.
    public var pacedRequests: UInt64 = 0
    public var illegalTransitions: UInt64 = 0
    public var handshakeTimeouts: UInt64 = 0
    public var oversizedFrames: UInt64 = 0
    public var protocolErrors: UInt64 = 0
    /// Frames that did not parse, by kind (`unexpectedByte`, `missingField`, …).
    public var malformedFrames: [String: UInt64] = [:]
    /// Frames the bus refused (outbox full) or could not encode.
    public var publishFailures: UInt64 = 0

    // Private feed.
    public var executionReports: UInt64 = 0
    public var fills: UInt64 = 0
    public var balanceEvents: UInt64 = 0
    /// Sequence gaps and reorders on private channels (each triggers a resync).
    public var privateGaps: UInt64 = 0
    public var resyncs: UInt64 = 0
    public var reconciliations: UInt64 = 0
    /// Events published from REST reconciliation or inferred from order totals.
    public var reconciledEvents: UInt64 = 0
    public var tokenFetches: UInt64 = 0
    public var tokenFailures: UInt64 = 0
    /// Subscriptions Kraken refused for the token (`ESession:Invalid session`).
    public var tokenRejections: UInt64 = 0
    public var restFailures: UInt64 = 0
    /// Finished orders forgotten after `forgetFinishedOrdersAfter` (memory stays flat).
    public var ordersForgotten: UInt64 = 0
    /// Reconciliations whose ClosedOrders or TradesHistory window held more than the pages read.
    public var historyTruncations: UInt64 = 0
    /// REST AssetPairs reads: every v1 market connect, and the private feed's REST names.
    public var assetPairsFetches: UInt64 = 0
    /// What the private flow noted without publishing: duplicates dropped, suppressed reports,
    /// unhandled Kraken values, … by kind.
    public var privateNotes: [String: UInt64] = [:]

    public init() {}

    public var malformedTotal: UInt64 { malformedFrames.values.reduce(0, +) }

    mutating func countMalformed(_ error: WireError) {
        malformedFrames[Self.name(of: error.kind), default: 0] += 1
    }

    static func name(of kind: WireError.Kind) -> String {
        switch kind {
        case .unexpectedEnd: "unexpected_end"
        case .unexpectedByte: "unexpected_byte"
        case .invalidUTF8: "invalid_utf8"
        case .nestingTooDeep: "nesting_too_deep"
        case .invalidNumber: "invalid_number"
        case .invalidEscape: "invalid_escape"
        case .wrongType: "wrong_type"
        case .missingField: "missing_field"
        case .invalidValue: "invalid_value"
        case .unknownChannel: "unknown_channel"
        case .unknownEvent: "unknown_event"
        case .unexpectedShape: "unexpected_shape"
        case .duplicateField: "duplicate_field"
        case .otherProtocolVersion: "other_protocol_version"
        }
    }
}

extension FeedCounters {
    /// Every counter by snake_case name (`book_updates`, `malformed.unexpected_byte`, ...), for
    /// diagnostics and metrics; read by reflection so a new counter is never left out.
    public var byName: [String: UInt64] {
        var named: [String: UInt64] = [:]
        for child in Mirror(reflecting: self).children {
            guard let label = child.label else { continue }
            let name = Self.snakeCase(label)
            if let value = child.value as? UInt64 {
                named[name] = value
            } else if let values = child.value as? [String: UInt64] {
                for (kind, value) in values { named["\(name).\(kind)"] = value }
            }
        }
        return named
    }

    static func snakeCase(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                result.append("_")
                result.append(contentsOf: character.lowercased())
            } else {
                result.append(character)
            }
        }
        return result
    }
}
