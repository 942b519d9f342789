import WireFormat

/// Which of the bus's publishing endpoints a message goes to.
public enum BusEndpoint: Sendable {
    case market, account
}

/// Where the feeds put what they publish. The bridge's sink is `BusPublisher` (numbering,
/// journal, hand-off to the ZeroMQ thread); tests give a feed a recorder instead. Through it
/// the feeds know nothing of libzmq, and feed logic is tested without sockets.
///
/// Every call comes from the publishing feed's event loop, synchronously, on the hot path.
public protocol BusSink: Sendable {
    /// Publishes `message` on `topic` with the topic's next sequence, which it returns (nil
    /// when the message was refused or could not be encoded; the sink counts both).
    @discardableResult
    func publish<M: BusPayloadMessage>(
        _ message: M, on topic: Topic, to endpoint: BusEndpoint, exchangeTimestampNs: Int64, receivedNs: Int64, extraFlags: FrameFlags
    ) -> UInt64?

    /// `message` as `topic`'s state at `sequence` (not incremented), flagged as a snapshot: what
    /// a late joiner gets.
    func state<M: BusPayloadMessage>(_ message: M, of topic: Topic, at sequence: UInt64, exchangeTimestampNs: Int64) -> BusFrame?

    /// Topics that no longer carry data (a removed pair); their numbering is kept.
    func retire(_ topics: [Topic])

    /// The last sequence used on `topic` (0: none yet).
    func currentSequence(of topic: Topic) -> UInt64
}

extension BusSink {
    /// A market message received at `receivedNs`, without exchange time or extra flags.
    @discardableResult
    public func publish<M: BusPayloadMessage>(_ message: M, on topic: Topic, receivedNs: Int64) -> UInt64? {
        publish(message, on: topic, to: .market, exchangeTimestampNs: 0, receivedNs: receivedNs, extraFlags: [])
    }
}
