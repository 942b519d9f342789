import ControlPlane
import ControlPlaneFuzzing
import Foundation
import Testing
import WireFormat

/// The control fuzz target's seed corpus and regressions, replayed through its entry point.
@Suite("control request fuzz entry point")
struct ControlFuzzCorpusTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    static func inputs(_ folder: String) throws -> [(name: String, bytes: [UInt8])] {
        let url = directory.appendingPathComponent(folder)
        return try FileManager.default.contentsOfDirectory(atPath: url.path).sorted().map { name in
            (name, Array(try Data(contentsOf: url.appendingPathComponent(name))))
        }
    }

    static func run(_ bytes: [UInt8]) -> FuzzControlRequest.Outcome {
        bytes.withUnsafeBytes { FuzzControlRequest.run($0) }
    }

    @Test("every seed (each command, binary, camelCase and snake_case JSON) decodes to its command")
    func seedsDecode() throws {
        let seeds = try Self.inputs("FuzzCorpus")
        #expect(seeds.count == ControlCommand.Kind.allCases.count * 3)
        for seed in seeds {
            let kind = ControlCommand.Kind(rawValue: String(seed.name.prefix { $0 != "." }).replacingOccurrences(of: "-", with: "_"))
            let encoding: ControlEncoding = seed.name.hasSuffix(".json") ? .json : .binary
            #expect(kind != nil, "\(seed.name) names no command")
            #expect(Self.run(seed.bytes) == .request(kind!, encoding), "\(seed.name)")
        }
    }

    @Test("hostile requests (two commands, unknown field, 5,000-deep nesting, cut varint, invalid UTF-8, id past UInt64, trailing NUL) are MALFORMED in their own encoding")
    func regressionsFailTyped() throws {
        let inputs = try Self.inputs("FuzzRegressions")
        #expect(inputs.count == 7)
        for input in inputs {
            let encoding: ControlEncoding = input.name.hasSuffix(".json") ? .json : .binary
            #expect(Self.run(input.bytes) == .failure(.malformed, encoding), "\(input.name)")
        }
    }
}
