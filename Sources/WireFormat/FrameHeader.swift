/// Why received frames are not a valid bus message. Each case names what was wrong and where.
public enum FrameDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A bus message has exactly three frames: topic, header, payload.
    case wrongFrameCount(Int)
    case invalidTopic(TopicError)
    /// The header frame is shorter than the fixed header.
    case headerTooShort(Int)
    case badMagic(UInt8, UInt8)
    /// A header layout this reader does not know (a major change of the header).
    case unsupportedHeaderVersion(UInt8)
    /// The header's own length field is smaller than the layout or larger than the frame.
    case invalidHeaderLength(declared: Int, frame: Int)
    /// A payload schema major version this reader does not know.
    case unsupportedSchemaMajor(UInt8)
    /// The payload frame's size differs from the header's payload_length.
    case payloadLengthMismatch(declared: Int, actual: Int)
    /// The payload is not a valid message of the type the header names.
    case invalidPayload(messageType: UInt16, reason: String)

    public var description: String {
        switch self {
        case .wrongFrameCount(let n): "expected 3 frames (topic, header, payload), got \(n)"
        case .invalidTopic(let error): "frame 0 (topic): \(error)"
        case .headerTooShort(let n): "frame 1 (header): \(n) bytes, need \(FrameHeader.encodedLength)"
        case .badMagic(let a, let b): "frame 1 (header): bad magic 0x\(String(a, radix: 16)) 0x\(String(b, radix: 16))"
        case .unsupportedHeaderVersion(let v): "frame 1 (header): unsupported header version \(v)"
        case .invalidHeaderLength(let declared, let frame): "frame 1 (header): declares \(declared) bytes in a \(frame)-byte frame"
        case .unsupportedSchemaMajor(let v): "frame 1 (header): unsupported schema major version \(v)"
        case .payloadLengthMismatch(let declared, let actual): "frame 2 (payload): header says \(declared) bytes, frame has \(actual)"
        case .invalidPayload(let type, let reason): "frame 2 (payload) of message type \(type): \(reason)"
        }
    }
}

/// The fixed little-endian header in frame 1 of every bus message (docs/wire-format.md):
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 2 | magic `KB` (0x4B 0x42) |
/// | 2 | 1 | header_version (1) |
/// | 3 | 1 | header_length (56; later minor layouts only append) |
/// | 4 | 1 | schema_major (1) |
/// | 5 | 1 | schema_minor |
/// | 6 | 2 | message_type (`krakenbridge.v1.MessageType`) |
/// | 8 | 2 | flags (`FrameFlags`) |
/// | 10 | 2 | reserved (0) |
/// | 12 | 4 | payload_length |
/// | 16 | 8 | publisher_epoch |
/// | 24 | 8 | sequence (per topic) |
/// | 32 | 8 | exchange_ts_ns |
/// | 40 | 8 | receive_ts_ns |
/// | 48 | 8 | publish_ts_ns |
public struct FrameHeader: Sendable, Equatable {
    public static let magic: (UInt8, UInt8) = (0x4B, 0x42)
    public static let headerVersion: UInt8 = 1
    public static let encodedLength = 56
    /// Where `publishTimestampNs` sits: the hub writes the moment of `zmq_send` there.
    public static let publishTimestampOffset = 48
    public static let schemaMajor: UInt8 = 1
    /// Raised when fields or message types are appended to the v1 schema.
    public static let schemaMinor: UInt8 = 1

    public var messageType: UInt16
    public var flags: FrameFlags
    public var payloadLength: UInt32
    /// Fixed for one run of the publisher; a new value means sequences restarted.
    public var publisherEpoch: UInt64
    /// Per topic, strictly increasing by one per data message; heartbeats repeat the current one.
    public var sequence: UInt64
    /// When Kraken says the event happened (Unix ns; 0 when Kraken gives no time).
    public var exchangeTimestampNs: Int64
    /// When the bridge received the Kraken frame (Unix ns).
    public var receiveTimestampNs: Int64
    /// When the bridge published this message (Unix ns).
    public var publishTimestampNs: Int64
    /// The minor schema version the publisher wrote with.
    public var schemaMinor: UInt8

    public init(
        messageType: UInt16, flags: FrameFlags = [], payloadLength: UInt32 = 0, publisherEpoch: UInt64, sequence: UInt64,
        exchangeTimestampNs: Int64 = 0, receiveTimestampNs: Int64 = 0, publishTimestampNs: Int64 = 0,
        schemaMinor: UInt8 = FrameHeader.schemaMinor
    ) {
        self.messageType = messageType
        self.flags = flags
        self.payloadLength = payloadLength
        self.publisherEpoch = publisherEpoch
        self.sequence = sequence
        self.exchangeTimestampNs = exchangeTimestampNs
        self.receiveTimestampNs = receiveTimestampNs
        self.publishTimestampNs = publishTimestampNs
        self.schemaMinor = schemaMinor
    }

    /// Writes the 56 header bytes into `buffer` (which must hold at least that many).
    public func write(into buffer: UnsafeMutableRawBufferPointer) {
        precondition(buffer.count >= Self.encodedLength)
        buffer[0] = Self.magic.0
        buffer[1] = Self.magic.1
        buffer[2] = Self.headerVersion
        buffer[3] = UInt8(Self.encodedLength)
        buffer[4] = Self.schemaMajor
        buffer[5] = schemaMinor
        buffer.storeBytes(of: messageType.littleEndian, toByteOffset: 6, as: UInt16.self)
        buffer.storeBytes(of: flags.rawValue.littleEndian, toByteOffset: 8, as: UInt16.self)
        buffer.storeBytes(of: UInt16(0), toByteOffset: 10, as: UInt16.self)
        buffer.storeBytes(of: payloadLength.littleEndian, toByteOffset: 12, as: UInt32.self)
        buffer.storeBytes(of: publisherEpoch.littleEndian, toByteOffset: 16, as: UInt64.self)
        buffer.storeBytes(of: sequence.littleEndian, toByteOffset: 24, as: UInt64.self)
        buffer.storeBytes(of: exchangeTimestampNs.littleEndian, toByteOffset: 32, as: Int64.self)
        buffer.storeBytes(of: receiveTimestampNs.littleEndian, toByteOffset: 40, as: Int64.self)
        buffer.storeBytes(of: publishTimestampNs.littleEndian, toByteOffset: Self.publishTimestampOffset, as: Int64.self)
    }

    /// The 56 header bytes.
    public var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Self.encodedLength) { buffer, count in
            write(into: UnsafeMutableRawBufferPointer(buffer))
            count = Self.encodedLength
        }
    }

    /// Reads a header frame. Longer headers of the same version are accepted (appended fields
    /// are skipped); anything else wrong is a typed error.
    public init(parsing frame: UnsafeRawBufferPointer) throws(FrameDecodingError) {
        guard frame.count >= Self.encodedLength else { throw .headerTooShort(frame.count) }
        guard frame[0] == Self.magic.0, frame[1] == Self.magic.1 else { throw .badMagic(frame[0], frame[1]) }
        guard frame[2] == Self.headerVersion else { throw .unsupportedHeaderVersion(frame[2]) }
        let declared = Int(frame[3])
        guard declared >= Self.encodedLength, declared <= frame.count else {
            throw .invalidHeaderLength(declared: declared, frame: frame.count)
        }
        guard frame[4] == Self.schemaMajor else { throw .unsupportedSchemaMajor(frame[4]) }
        schemaMinor = frame[5]
        messageType = UInt16(littleEndian: frame.loadUnaligned(fromByteOffset: 6, as: UInt16.self))
        flags = FrameFlags(rawValue: UInt16(littleEndian: frame.loadUnaligned(fromByteOffset: 8, as: UInt16.self)))
        payloadLength = UInt32(littleEndian: frame.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
        publisherEpoch = UInt64(littleEndian: frame.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        sequence = UInt64(littleEndian: frame.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        exchangeTimestampNs = Int64(littleEndian: frame.loadUnaligned(fromByteOffset: 32, as: Int64.self))
        receiveTimestampNs = Int64(littleEndian: frame.loadUnaligned(fromByteOffset: 40, as: Int64.self))
        publishTimestampNs = Int64(littleEndian: frame.loadUnaligned(fromByteOffset: Self.publishTimestampOffset, as: Int64.self))
    }

    public init(parsing frame: [UInt8]) throws(FrameDecodingError) {
        let result = frame.withUnsafeBytes { raw in
            Result { () throws(FrameDecodingError) -> FrameHeader in try FrameHeader(parsing: raw) }
        }
        self = try result.get()
    }
}
