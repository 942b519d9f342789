import SwiftProtobuf
import WireFormat

/// Body frames → a validated `ControlRequest`, or the `ControlFailure` to answer with.
///
/// In order: exactly one non-empty body frame (else MALFORMED); at most `maxBodyBytes`
/// (else TOO_LARGE, without parsing); JSON if it starts with `{` (after whitespace), binary
/// otherwise; a command must be set (else UNKNOWN_COMMAND); arguments must be valid (else
/// INVALID_ARGUMENT naming the field).
public struct ControlRequestDecoder: Sendable {
    /// The default `maxBodyBytes`: 64 KiB (the socket lets up to 1 MiB through, so larger requests get TOO_LARGE).
    public static let defaultMaxBodyBytes = 65_536

    public var maxBodyBytes: Int

    public init(maxBodyBytes: Int = ControlRequestDecoder.defaultMaxBodyBytes) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// The validated request, or the failure to answer with (its id when it could be read).
    public func decode(bodyFrames: [[UInt8]]) throws(ControlFailure) -> ControlRequest {
        guard bodyFrames.count == 1 else {
            let encoding = bodyFrames.first.map(ControlEncoding.detect) ?? .binary
            throw ControlFailure(
                .malformed("a request is exactly one body frame, got \(bodyFrames.count)"), encoding: encoding)
        }
        let body = bodyFrames[0]
        let encoding = ControlEncoding.detect(body)
        guard !body.isEmpty else { throw ControlFailure(.malformed("the request body is empty"), encoding: encoding) }
        guard body.count <= maxBodyBytes else {
            throw ControlFailure(
                ControlError(code: .tooLarge, message: "the request is \(body.count) bytes; the limit is \(maxBodyBytes)"),
                encoding: encoding)
        }
        let message: KBControlRequest
        do throws(ControlError) {
            message = try Self.parse(body, as: encoding)
        } catch {
            throw ControlFailure(error, id: Self.salvageID(body, after: error, as: encoding), encoding: encoding)
        }
        guard let command = message.command else {
            throw ControlFailure(
                ControlError(
                    code: .unknownCommand, message: "no command this bridge knows is set (a newer client's command?)"),
                id: message.id, encoding: encoding)
        }
        do throws(ControlError) {
            return ControlRequest(id: message.id, command: try CommandValidation.command(from: command), encoding: encoding)
        } catch {
            throw ControlFailure(error, id: message.id, encoding: encoding)
        }
    }

    /// The id of a JSON request refused only for an unknown field (read again without that
    /// check), so a pipelining client can still match the error to its request; 0 otherwise.
    static func salvageID(_ body: [UInt8], after error: ControlError, as encoding: ControlEncoding) -> UInt64 {
        guard encoding == .json, !error.field.isEmpty else { return 0 }
        var lenient = JSONDecodingOptions()
        lenient.ignoreUnknownFields = true
        return (try? KBControlRequest(jsonUTF8Bytes: body, options: lenient))?.id ?? 0
    }

    /// The protobuf message, or MALFORMED saying why (naming an unknown JSON field).
    static func parse(_ body: [UInt8], as encoding: ControlEncoding) throws(ControlError) -> KBControlRequest {
        switch encoding {
        case .json:
            // Unknown fields are errors (the default): a mistyped name must not be ignored.
            do {
                return try KBControlRequest(jsonUTF8Bytes: body, options: JSONDecodingOptions())
            } catch JSONDecodingError.unknownField(let name) {
                throw .malformed("unknown field '\(name)'", field: name)
            } catch JSONDecodingError.conflictingOneOf {
                throw .malformed("more than one command is set")
            } catch {
                throw .malformed("not a ControlRequest in protobuf JSON: \(error)")
            }
        case .binary:
            do {
                return try KBControlRequest(serializedBytes: body)
            } catch {
                throw .malformed("not a binary ControlRequest: \(error)")
            }
        }
    }
}
