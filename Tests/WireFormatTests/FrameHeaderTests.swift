import Testing
import WireFormat

@Suite("frame header")
struct FrameHeaderTests {
    let sample = FrameHeader(
        messageType: 4, flags: [.snapshot, .simulated], payloadLength: 0x01020304, publisherEpoch: 0x1122334455667788,
        sequence: 42, exchangeTimestampNs: -1, receiveTimestampNs: 1_700_000_000_000_000_000, publishTimestampNs: 7)

    @Test("the header is 56 little-endian bytes at the documented offsets")
    func goldenBytes() {
        let bytes = sample.bytes
        #expect(bytes.count == 56)
        #expect(Array(bytes[0..<6]) == [0x4B, 0x42, 1, 56, 1, 1])  // magic, header version, length, schema 1.1
        #expect(Array(bytes[6..<8]) == [4, 0])  // message type
        #expect(Array(bytes[8..<10]) == [9, 0])  // flags: snapshot | simulated
        #expect(Array(bytes[10..<12]) == [0, 0])  // reserved
        #expect(Array(bytes[12..<16]) == [4, 3, 2, 1])  // payload length
        #expect(Array(bytes[16..<24]) == [0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11])  // epoch
        #expect(Array(bytes[24..<32]) == [42, 0, 0, 0, 0, 0, 0, 0])  // sequence
        #expect(Array(bytes[32..<40]) == Array(repeating: 0xFF, count: 8))  // exchange ts -1
        #expect(Array(bytes[48..<56]) == [7, 0, 0, 0, 0, 0, 0, 0])  // publish ts
    }

    @Test("encoding then parsing gives the same header")
    func roundTrip() throws {
        #expect(try FrameHeader(parsing: sample.bytes) == sample)
    }

    @Test("a longer header of the same version is accepted and its appended bytes skipped")
    func appendedFieldsAreSkipped() throws {
        var bytes = sample.bytes
        bytes[3] = 64
        bytes += Array(repeating: 0xEE, count: 8)
        #expect(try FrameHeader(parsing: bytes) == sample)
    }

    @Test("malformed headers give typed errors naming what is wrong")
    func malformedHeaders() {
        var bytes = sample.bytes
        #expect(throws: FrameDecodingError.headerTooShort(55)) { try FrameHeader(parsing: Array(bytes.prefix(55))) }
        bytes[0] = 0x00
        #expect(throws: FrameDecodingError.badMagic(0x00, 0x42)) { try FrameHeader(parsing: bytes) }
        bytes = sample.bytes
        bytes[2] = 2
        #expect(throws: FrameDecodingError.unsupportedHeaderVersion(2)) { try FrameHeader(parsing: bytes) }
        bytes = sample.bytes
        bytes[3] = 40
        #expect(throws: FrameDecodingError.invalidHeaderLength(declared: 40, frame: 56)) { try FrameHeader(parsing: bytes) }
        bytes[3] = 60
        #expect(throws: FrameDecodingError.invalidHeaderLength(declared: 60, frame: 56)) { try FrameHeader(parsing: bytes) }
        bytes = sample.bytes
        bytes[4] = 2
        #expect(throws: FrameDecodingError.unsupportedSchemaMajor(2)) { try FrameHeader(parsing: bytes) }
    }

    @Test("a newer minor schema version is accepted and reported")
    func newerMinorAccepted() throws {
        var bytes = sample.bytes
        bytes[5] = 3
        #expect(try FrameHeader(parsing: bytes).schemaMinor == 3)
    }
}
