import ControlPlane
import SeededRandom
import Testing
import WireFormat

/// Deterministic fuzzing of the control request decoder, binary and JSON: every command's
/// request, mutated thousands of times (bytes changed, cut, repeated, removed), must decode
/// to a request or to a typed failure — never a trap, never an untyped error.
@Suite("control requests under mutation")
struct RequestMutationTests {
    /// Seeded, so a failure is reproducible.
    struct Mutator {
        var random: SplitMix64

        mutating func next() -> UInt64 { random.next() }

        mutating func mutate(_ seed: [UInt8]) -> [UInt8] {
            var bytes = seed
            for _ in 0..<(1 + next() % 3) where !bytes.isEmpty {
                let at = Int(next() % UInt64(bytes.count))
                switch next() % 5 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: next())
                case 1: bytes.removeLast(at)
                case 2: bytes.insert(contentsOf: bytes[at...], at: at)
                case 3: bytes.remove(at: at)
                default: bytes.insert(contentsOf: Array(#"{"[":,"0123456789\"#.utf8).shuffled(using: &random).prefix(3), at: at)
                }
            }
            return bytes
        }
    }

    static func seeds() throws -> [[UInt8]] {
        try everyCommand.flatMap { command in
            [try binaryFrames(request(id: 42, command.proto))[0], Array(command.camelJSON.utf8), Array(command.snakeJSON.utf8)]
        }
    }

    @Test("every mutation of every command's request is a request or a typed failure in the request's encoding")
    func mutatedRequestsDecodeOrFailTyped() throws {
        var mutator = Mutator(random: SplitMix64(seed: 2026_12_07))
        var decoded = 0
        var failures: [KBControlErrorCode: Int] = [:]
        for seed in try Self.seeds() {
            for _ in 0..<400 {
                let body = mutator.mutate(seed)
                do throws(ControlFailure) {
                    _ = try ControlRequestDecoder().decode(bodyFrames: [body])
                    decoded += 1
                } catch {
                    failures[error.code, default: 0] += 1
                    #expect([.malformed, .unknownCommand, .invalidArgument].contains(error.code), "\(error.error) for \(body)")
                    #expect(!error.error.message.isEmpty)
                }
            }
        }
        // The mutations reach both outcomes and every kind of refusal a client can cause.
        #expect(decoded > 0)
        #expect(failures[.malformed, default: 0] > 0 && failures[.unknownCommand, default: 0] > 0
            && failures[.invalidArgument, default: 0] > 0, "\(failures)")
    }

    @Test("deeply nested JSON within the size limit is a malformed request, not a stack overflow")
    func deepNestingIsRefused() {
        let body = Array((#"{"subscribe":"# + String(repeating: "[", count: 60_000)).utf8)
        #expect(body.count <= ControlRequestDecoder.defaultMaxBodyBytes)
        #expect(throws: ControlFailure.self) { try ControlRequestDecoder().decode(bodyFrames: [body]) }
        let nestedObjects = Array((String(repeating: #"{"subscribe":"#, count: 4_000)).utf8)
        #expect(throws: ControlFailure.self) { try ControlRequestDecoder().decode(bodyFrames: [nestedObjects]) }
    }
}
