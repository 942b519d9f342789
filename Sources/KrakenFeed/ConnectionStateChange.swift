import FeedOutput
import SessionLifecycle
import WireFormat

/// One lifecycle transition of a Kraken connection, as `FeedConnection` reports it to its
/// session; the session puts it on the bus (`conn:<feed>:`).
struct ConnectionStateChange: Equatable {
    var feed: String
    var endpoint: String
    var state: ConnectionState
    var previous: ConnectionState
    var detail: String
    var attempt: Int
    var atNs: Int64

    /// The wire contract's form of it.
    var status: KBConnectionStatus {
        var status = KBConnectionStatus()
        status.feed = feed
        status.endpoint = endpoint
        status.state = state.wireState
        status.previousState = previous.wireState
        status.detail = detail
        status.attempt = UInt32(clamping: attempt)
        return status
    }
}
