import ControlPlane
import SwiftProtobuf
import Testing
import WireFormat

/// A request body as one frame, from JSON text.
func jsonFrames(_ text: String) -> [[UInt8]] { [Array(text.utf8)] }

/// A request body as one frame, binary.
func binaryFrames(_ request: KBControlRequest) throws -> [[UInt8]] { [try request.serializedBytes()] }

func request(id: UInt64 = 0, _ command: KBControlRequest.OneOf_Command) -> KBControlRequest {
    var request = KBControlRequest()
    request.id = id
    request.command = command
    return request
}

/// The first reply frame decoded in the encoding it should have; fails the test when the
/// frame is not in that encoding.
func decodeReply(_ frames: [[UInt8]], as encoding: ControlEncoding) throws -> KBControlReply {
    let first = try #require(frames.first)
    #expect(ControlEncoding.detect(first) == encoding)
    switch encoding {
    case .json: return try KBControlReply(jsonUTF8Bytes: first)
    case .binary: return try KBControlReply(serializedBytes: first)
    }
}
