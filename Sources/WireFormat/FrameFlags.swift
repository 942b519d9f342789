/// Bits of the header's `flags` field (mirrors `krakenbridge.v1.FrameFlag`).
public struct FrameFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The payload is a full state: a snapshot reply, or a snapshot Kraken sent.
    public static let snapshot = FrameFlags(rawValue: 1)
    /// Re-sent from the journal in answer to a replay request.
    public static let replay = FrameFlags(rawValue: 2)
    /// Derived from REST reconciliation rather than the WebSocket stream.
    public static let reconciled = FrameFlags(rawValue: 4)
    /// Produced from the built-in simulator, not the real exchange.
    public static let simulated = FrameFlags(rawValue: 8)
}
