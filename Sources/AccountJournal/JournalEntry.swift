/// One private event as it went onto the bus: the three frames of the bus message plus the
/// topic's sequence number and the time it was journaled.
///
/// `messageType` repeats what the header already holds so that the journal can be read without
/// knowing the header layout.
public struct JournalEntry: Sendable, Equatable {
    public var topic: [UInt8]
    /// The per-topic sequence: at least 1, and greater than every earlier one of the topic.
    public var sequence: UInt64
    public var messageType: UInt16
    public var header: [UInt8]
    public var payload: [UInt8]
    /// Unix nanoseconds; retention by age compares it with the time given to `prune(nowNs:)`.
    public var recordedNs: Int64

    public init(topic: [UInt8], sequence: UInt64, messageType: UInt16, header: [UInt8], payload: [UInt8], recordedNs: Int64) {
        self.topic = topic
        self.sequence = sequence
        self.messageType = messageType
        self.header = header
        self.payload = payload
        self.recordedNs = recordedNs
    }
}
