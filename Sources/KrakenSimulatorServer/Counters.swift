/// Named event counters of the simulator (frames sent, connections, faults fired, REST calls),
/// read through the control API. Lives on the exchange's event loop like everything else.
final class Counters {
    private(set) var values: [String: UInt64] = [:]

    func add(_ name: String, _ amount: UInt64 = 1) {
        values[name, default: 0] &+= amount
    }

    subscript(name: String) -> UInt64 { values[name] ?? 0 }
}
