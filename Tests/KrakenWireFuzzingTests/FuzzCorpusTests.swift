import Foundation
import KrakenWireFuzzing
import SeededRandom
import Testing

/// The seed corpus the fuzzer starts from, replayed through the fuzzer's own entry point.
@Suite("fuzz entry point")
struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus")

    static let regressions = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Regressions")

    static func seeds(in directory: URL = corpus) throws -> [(name: String, bytes: [UInt8])] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().map { name in
            (name, Array(try Data(contentsOf: directory.appendingPathComponent(name))))
        }
    }

    @Test("inputs that once crashed the fuzz target are now rejected with an error")
    func regressions() throws {
        let inputs = try Self.seeds(in: Self.regressions)
        #expect(inputs.count >= 2)
        for input in inputs {
            #expect(input.bytes.withUnsafeBytes { FuzzOneInput.run($0) } == .rejected, "\(input.name)")
        }
    }

    @Test("every seed parses as the protocol version its name says")
    func seedsParse() throws {
        let seeds = try Self.seeds()
        #expect(seeds.count >= 30)
        for seed in seeds {
            let outcome = seed.bytes.withUnsafeBytes { FuzzOneInput.run($0) }
            #expect(outcome == (seed.name.hasPrefix("v2-") ? .v2 : .v1), "\(seed.name)")
        }
    }

    @Test("mutated seeds (bytes flipped, cut, duplicated) never trap")
    func mutations() throws {
        var random = SplitMix64(seed: 7)
        var outcomes: [FuzzOneInput.Outcome: Int] = [:]
        for seed in try Self.seeds() {
            for _ in 0..<300 {
                var bytes = seed.bytes
                switch random.next() % 4 {
                case 0: bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.removeLast(Int(random.next() % UInt64(bytes.count)))
                case 2:
                    let cut = Int(random.next() % UInt64(bytes.count))
                    bytes.insert(contentsOf: bytes[cut...], at: cut)
                default: bytes.remove(at: Int(random.next() % UInt64(bytes.count)))
                }
                outcomes[bytes.withUnsafeBytes { FuzzOneInput.run($0) }, default: 0] += 1
            }
        }
        // Both kinds of result occur: the mutations reach past the first byte.
        #expect(outcomes[.rejected, default: 0] > 0)
        #expect(outcomes[.v2, default: 0] + outcomes[.v1, default: 0] > 0)
    }
}
