/// Kraken API v1 answers to client events: `subscriptionStatus` (one per pair), general
/// `error` events and `pong`, with `reqid` echoed.
public enum V1Responses {
    /// What a subscriptionStatus refers to: its `subscription` object and the names around it.
    public struct Subscription: Sendable, Equatable {
        public var name: String
        public var depth: Int?
        public var interval: Int?

        public init(name: String, depth: Int? = nil, interval: Int? = nil) {
            self.name = name
            self.depth = depth
            self.interval = interval
        }

        /// `book-10`, `ohlc-5`, or the plain name.
        public var channelName: String {
            switch name {
            case "book": "book-\(depth ?? 10)"
            case "ohlc": "ohlc-\(interval ?? 1)"
            default: name
            }
        }
    }

    /// `status` is `subscribed` or `unsubscribed`; private channels have no `channelID` and no `pair`.
    public static func subscriptionStatus(
        status: String, channelID: Int?, pair: String?, subscription: Subscription, requestID: UInt64?
    ) -> [UInt8] {
        var writer = FrameWriter()
        writer.raw("{")
        if let channelID {
            writer.raw(#""channelID":"#)
            writer.integer(channelID)
            writer.raw(",")
        }
        writer.raw(#""channelName":"#)
        writer.string(subscription.channelName)
        writer.raw(#","event":"subscriptionStatus""#)
        pairAndRequest(pair: pair, requestID: requestID, into: &writer)
        writer.raw(#","status":"#)
        writer.string(status)
        writer.raw(",")
        object(subscription, into: &writer)
        writer.raw("}")
        return writer.bytes
    }

    /// A failed subscription: `{"errorMessage":…,"event":"subscriptionStatus","pair":…,"status":"error",…}`.
    public static func subscriptionError(message: String, pair: String?, subscription: Subscription, requestID: UInt64?) -> [UInt8] {
        var writer = FrameWriter()
        writer.raw(#"{"errorMessage":"#)
        writer.string(message)
        writer.raw(#","event":"subscriptionStatus""#)
        pairAndRequest(pair: pair, requestID: requestID, into: &writer)
        writer.raw(#","status":"error","#)
        object(subscription, into: &writer)
        writer.raw("}")
        return writer.bytes
    }

    /// A general error not tied to a subscription: `{"errorMessage":"Malformed request","event":"error"}`.
    public static func error(message: String, requestID: UInt64?) -> [UInt8] {
        var writer = FrameWriter()
        writer.raw(#"{"errorMessage":"#)
        writer.string(message)
        writer.raw(#","event":"error""#)
        pairAndRequest(pair: nil, requestID: requestID, into: &writer)
        writer.raw("}")
        return writer.bytes
    }

    public static func pong(requestID: UInt64?) -> [UInt8] {
        var writer = FrameWriter()
        writer.raw(#"{"event":"pong""#)
        pairAndRequest(pair: nil, requestID: requestID, into: &writer)
        writer.raw("}")
        return writer.bytes
    }

    private static func pairAndRequest(pair: String?, requestID: UInt64?, into writer: inout FrameWriter) {
        if let pair {
            writer.raw(#","pair":"#)
            writer.string(pair)
        }
        if let requestID {
            writer.raw(#","reqid":"#)
            writer.integer(requestID)
        }
    }

    private static func object(_ subscription: Subscription, into writer: inout FrameWriter) {
        writer.raw(#""subscription":{"#)
        if let depth = subscription.depth {
            writer.raw(#""depth":"#)
            writer.integer(depth)
            writer.raw(",")
        }
        if let interval = subscription.interval {
            writer.raw(#""interval":"#)
            writer.integer(interval)
            writer.raw(",")
        }
        writer.raw(#""name":"#)
        writer.string(subscription.name)
        writer.raw("}")
    }
}
