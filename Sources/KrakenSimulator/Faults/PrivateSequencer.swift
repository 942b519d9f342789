/// Numbers the frames of one private subscription (v2 `executions`/`balances`, v1
/// `openOrders`/`ownTrades`: consecutive from 1) and applies armed sequence faults to them.
public struct PrivateSequencer: Sendable {
    public init() {}

    public private(set) var next: UInt64 = 1
    private var armed: [Fault.SequenceFault] = []
    private var held: [UInt8]?

    public mutating func arm(_ fault: Fault.SequenceFault) { armed.append(fault) }

    /// The frames to send, in order, for the next message (`make` writes it with its number).
    /// A reordered frame is held back and sent after the following message.
    public mutating func frames(_ make: (UInt64) -> [UInt8]) -> [[UInt8]] {
        let fault = armed.isEmpty ? nil : armed.removeFirst()
        if fault == .skip { next += 1 }
        let frame = make(next)
        next += 1
        var out: [[UInt8]]
        switch fault {
        case .duplicate: out = [frame, frame]
        case .reorder:
            if let earlier = held { out = [earlier] } else { out = [] }
            held = frame
            return out
        case .skip, nil: out = [frame]
        }
        if let earlier = held {
            out.append(earlier)
            held = nil
        }
        return out
    }
}
