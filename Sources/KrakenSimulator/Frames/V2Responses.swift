/// Kraken API v2 responses to requests (`method`, `success`, `result`/`error`, `req_id`, times).
public enum V2Responses {
    /// One acknowledgement per symbol (or one without a symbol for channels that have none).
    public static func subscribed(
        method: String, channel: String, symbol: String?, depth: Int?, snapshot: Bool?, requestID: UInt64?,
        timeInNs: Int64, timeOutNs: Int64
    ) -> [UInt8] {
        var writer = FrameWriter()
        writer.raw(#"{"method":"#)
        writer.string(method)
        writer.raw(#","result":{"channel":"#)
        writer.string(channel)
        if let depth {
            writer.raw(#","depth":"#)
            writer.integer(depth)
        }
        if let snapshot {
            writer.raw(#","snapshot":"#)
            writer.bool(snapshot)
        }
        if let symbol {
            writer.raw(#","symbol":"#)
            writer.string(symbol)
        }
        writer.raw(#"},"success":true"#)
        trailer(requestID: requestID, timeInNs: timeInNs, timeOutNs: timeOutNs, into: &writer)
        return writer.bytes
    }

    /// A failed request, with Kraken's error text and (for subscriptions) the symbol at the top level.
    public static func error(
        method: String, message: String, symbol: String?, requestID: UInt64?, timeInNs: Int64, timeOutNs: Int64
    ) -> [UInt8] {
        var writer = FrameWriter()
        writer.raw(#"{"error":"#)
        writer.string(message)
        writer.raw(#","method":"#)
        writer.string(method)
        writer.raw(#","success":false"#)
        if let symbol {
            writer.raw(#","symbol":"#)
            writer.string(symbol)
        }
        trailer(requestID: requestID, timeInNs: timeInNs, timeOutNs: timeOutNs, into: &writer)
        return writer.bytes
    }

    public static func pong(requestID: UInt64?, timeInNs: Int64, timeOutNs: Int64) -> [UInt8] {
        var writer = FrameWriter()
        writer.raw(#"{"method":"pong""#)
        trailer(requestID: requestID, timeInNs: timeInNs, timeOutNs: timeOutNs, into: &writer)
        return writer.bytes
    }

    private static func trailer(requestID: UInt64?, timeInNs: Int64, timeOutNs: Int64, into writer: inout FrameWriter) {
        if let requestID {
            writer.raw(#","req_id":"#)
            writer.integer(requestID)
        }
        writer.raw(#","time_in":"#)
        writer.rfc3339(nanoseconds: timeInNs)
        writer.raw(#","time_out":"#)
        writer.rfc3339(nanoseconds: timeOutNs)
        writer.raw("}")
    }
}
