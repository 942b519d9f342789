import ControlPlane
import SwiftProtobuf
import WireFormat

/// The body of the control request fuzz target (`controlrequest-fuzz`), in a library so the unit
/// tests replay its corpus through exactly the code the fuzzer runs.
///
/// Any request body, binary or JSON, must end as a validated request or a typed failure —
/// never a trap. Invariants that trap on purpose when broken (so libFuzzer reports them):
/// decoding is a function of the bytes; a failure is answered in the encoding the body was
/// detected as, and that reply encodes and reads back with the same id and code.
public enum FuzzControlRequest {
    /// What the body turned into; the unit tests assert on it.
    public enum Outcome: Hashable, Sendable {
        case request(ControlCommand.Kind, ControlEncoding)
        case failure(KBControlErrorCode, ControlEncoding)
    }

    @discardableResult
    public static func run(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        let body = Array(bytes)
        let decoder = ControlRequestDecoder()
        let first = Result { () throws(ControlFailure) in try decoder.decode(bodyFrames: [body]) }
        let again = Result { () throws(ControlFailure) in try decoder.decode(bodyFrames: [body]) }
        precondition(first == again, "decoding the same body twice gave different results")
        let detected = ControlEncoding.detect(body)
        switch first {
        case .success(let request):
            precondition(request.encoding == detected, "a request decoded in another encoding than detected")
            return .request(request.command.kind, request.encoding)
        case .failure(let failure):
            precondition(failure.encoding == detected, "a failure answered in another encoding than detected")
            checkReplyRoundTrip(failure)
            return .failure(failure.code, failure.encoding)
        }
    }

    /// The error reply the server would send reads back as the same id and code.
    static func checkReplyRoundTrip(_ failure: ControlFailure) {
        var reply = KBControlReply()
        reply.id = failure.id
        reply.error = failure.error.proto
        let decoded: KBControlReply?
        switch failure.encoding {
        case .json:
            let bytes: [UInt8]? = try? reply.jsonUTF8Bytes()
            decoded = bytes.flatMap { (bytes: [UInt8]) in try? KBControlReply(jsonUTF8Bytes: bytes) }
        case .binary:
            let bytes: [UInt8]? = try? reply.serializedBytes()
            decoded = bytes.flatMap { (bytes: [UInt8]) in try? KBControlReply(serializedBytes: bytes) }
        }
        precondition(decoded == reply, "an error reply does not survive its own encoding: \(failure)")
    }
}
