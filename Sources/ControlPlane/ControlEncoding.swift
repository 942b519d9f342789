/// How a control request was written, and so how its reply is written: JSON in, JSON out.
public enum ControlEncoding: Sendable, Hashable {
    /// Binary protobuf `ControlRequest` / `ControlReply`.
    case binary
    /// Protobuf's canonical JSON (what an operator types by hand).
    case json

    /// The encoding a body claims by its look: JSON when its first non-whitespace byte is `{`,
    /// binary otherwise. A binary `ControlRequest` can never start that way (0x7B would be a
    /// group start for field 15, and field 15 is a message, not a group), so the test is exact
    /// for well-formed input; for garbage it only decides how the MALFORMED reply is written.
    public static func detect(_ body: [UInt8]) -> ControlEncoding {
        for byte in body {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: continue  // JSON whitespace
            case UInt8(ascii: "{"): return .json
            default: return .binary
            }
        }
        return .binary
    }
}
