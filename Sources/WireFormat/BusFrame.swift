import SwiftProtobuf

/// One bus message: `[topic][header][payload]`.
public struct BusFrame: Sendable, Equatable {
    public var topic: Topic
    public var header: FrameHeader
    public var payload: [UInt8]

    public init(topic: Topic, header: FrameHeader, payload: [UInt8]) {
        self.topic = topic
        self.header = header
        self.payload = payload
    }

    /// Builds a frame for `message`: the header's type and payload length are set from it.
    public init<M: BusPayloadMessage>(topic: Topic, header: FrameHeader, message: M) throws {
        let payload: [UInt8] = try message.serializedBytes()
        var header = header
        header.messageType = UInt16(M.busMessageType.rawValue)
        header.payloadLength = UInt32(payload.count)
        self.init(topic: topic, header: header, payload: payload)
    }

    /// Validates the three frames of a received message (topic, header, payload length).
    /// The payload itself is decoded on demand with `decodePayload()`.
    public init(frames: [[UInt8]]) throws(FrameDecodingError) {
        guard frames.count == 3 else { throw .wrongFrameCount(frames.count) }
        do {
            topic = try Topic(validating: frames[0])
        } catch {
            throw .invalidTopic(error)
        }
        header = try FrameHeader(parsing: frames[1])
        guard Int(header.payloadLength) == frames[2].count else {
            throw .payloadLengthMismatch(declared: Int(header.payloadLength), actual: frames[2].count)
        }
        payload = frames[2]
    }

    /// The three ZeroMQ frames.
    public var frames: [[UInt8]] { [topic.bytes, header.bytes, payload] }

    public var messageType: KBMessageType? { KBMessageType(rawValue: Int(header.messageType)) }

    public func decodePayload() throws(FrameDecodingError) -> BusPayload {
        try BusPayload(messageType: header.messageType, bytes: payload)
    }
}
