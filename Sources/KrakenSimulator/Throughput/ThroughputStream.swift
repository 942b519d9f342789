
/// The pre-encoded message stream of the simulator's throughput mode: for each pair a v2 book
/// snapshot (depth 10), then `steps` rounds in which every pair's market steps once and sends
/// its book update (with a correct checksum) and its trade, if any. A client keeping books from
/// it stays consistent when the stream is sent again and again, because every repetition starts
/// with fresh snapshots. Generated once; the server only copies bytes.
public struct ThroughputStream: Sendable {
    /// Every message, in order, as WebSocket text payloads.
    public let messages: [[UInt8]]
    /// How many of `messages` are the leading snapshots.
    public let snapshotCount: Int

    public init(pairs: [SimulatedPair], seed: UInt64, steps: Int, timestampNs: Int64 = 1_764_547_200_000_000_000) {
        var markets = pairs.map { PairMarket(pair: $0, seed: seed) }
        var views = pairs.map { _ in BookView(depth: 10) }
        var messages: [[UInt8]] = []
        for index in markets.indices {
            let snapshot = views[index].snapshot(of: markets[index])
            messages.append(V2Frames.book(
                snapshot: true, pair: markets[index].pair, bids: snapshot.bids.map { ($0.price, $0.quantity) },
                asks: snapshot.asks.map { ($0.price, $0.quantity) }, checksum: views[index].checksum(pair: pairs[index], decimals: pairs[index].precision),
                timestampNs: timestampNs))
        }
        snapshotCount = messages.count
        var now = timestampNs
        for _ in 0..<steps {
            now += 1_000_000
            for index in markets.indices {
                let trade = markets[index].step()
                let changes = views[index].update(to: markets[index])
                if !changes.bids.isEmpty || !changes.asks.isEmpty {
                    messages.append(V2Frames.book(
                        snapshot: false, pair: markets[index].pair, bids: changes.bids.map { ($0.price, $0.quantity) },
                        asks: changes.asks.map { ($0.price, $0.quantity) }, checksum: views[index].checksum(pair: pairs[index], decimals: pairs[index].precision),
                        timestampNs: now))
                }
                if let trade { messages.append(V2Frames.trades(snapshot: false, pair: markets[index].pair, [trade], timestampNs: now)) }
            }
        }
        self.messages = messages
    }
}

/// Server-to-client WebSocket framing (RFC 6455 §5.2: FIN, opcode, unmasked length), for
/// streams written as raw bytes.
public enum WebSocketFrameBytes {
    public static func appendText(_ payload: [UInt8], to bytes: inout [UInt8]) {
        bytes.append(0x81)
        switch payload.count {
        case ..<126:
            bytes.append(UInt8(payload.count))
        case ..<65_536:
            bytes.append(126)
            bytes.append(UInt8(payload.count >> 8))
            bytes.append(UInt8(payload.count & 0xFF))
        default:
            bytes.append(127)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8((payload.count >> shift) & 0xFF)) }
        }
        bytes.append(contentsOf: payload)
    }
}
