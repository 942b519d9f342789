import KrakenSimulator
import KrakenWire
import OrderBook
import Testing

/// The throughput stream is real Kraken v2 data: a client keeping books from it verifies every
/// checksum, also when the stream is sent again (fresh snapshots start every repetition).
@Suite struct ThroughputStreamTests {
    @Test func everyChecksumVerifiesAcrossTwoRepetitions() throws {
        let pairs = Array(SimulatedPair.defaults.prefix(2))
        let stream = ThroughputStream(pairs: pairs, seed: 3, steps: 300)
        #expect(stream.snapshotCount == 2)
        var books = ClientBooks(pairs: pairs)
        var verified = 0
        var trades = 0
        for message in stream.messages + stream.messages {
            let parsed = try message.withUnsafeBytes { try V2Message(frame: $0) }
            switch parsed {
            case .book(let update):
                #expect(try books.apply(update) == .match)
                verified += 1
            case .trade:
                trades += 1
            default:
                Issue.record("unexpected \(parsed)")
            }
        }
        #expect(verified > 500)
        #expect(trades > 0)
    }

    @Test func serverFramingMatchesRFC6455LengthForms() {
        for (length, header) in [(5, [0x81, 5]), (126, [0x81, 126, 0, 126]), (70_000, [0x81, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70])] {
            var bytes: [UInt8] = []
            WebSocketFrameBytes.appendText([UInt8](repeating: 0x61, count: length), to: &bytes)
            #expect(Array(bytes.prefix(header.count)) == header.map(UInt8.init))
            #expect(bytes.count == header.count + length)
        }
    }
}
