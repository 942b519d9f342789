import WireFormat

/// Where private events are made durable before they are published.
public protocol BusJournal: Sendable {
    /// Appends one event; throws when it could not be made durable.
    func record(topic: Topic, sequence: UInt64, header: FrameHeader, payload: [UInt8]) throws
}
