import SwiftProtobuf
import WireFormat

/// `ControlReply` → its frame bytes in the request's encoding. Never fails: if a reply cannot
/// be encoded (it cannot, for these messages, but the API throws), an INTERNAL error with the
/// same id is sent instead.
enum ControlReplyEncoder {
    static func encode(_ reply: KBControlReply, as encoding: ControlEncoding) -> [UInt8] {
        if let bytes = try? bytes(reply, encoding) { return bytes }
        var fallback = KBControlReply()
        fallback.id = reply.id
        fallback.error = ControlError.internal("the reply could not be encoded").proto
        return (try? bytes(fallback, encoding)) ?? []
    }

    static func reply(id: UInt64, result: KBControlReply.OneOf_Result) -> KBControlReply {
        var reply = KBControlReply()
        reply.id = id
        reply.result = result
        return reply
    }

    private static func bytes(_ reply: KBControlReply, _ encoding: ControlEncoding) throws -> [UInt8] {
        switch encoding {
        case .json: try reply.jsonUTF8Bytes()
        case .binary: try reply.serializedBytes()
        }
    }
}
