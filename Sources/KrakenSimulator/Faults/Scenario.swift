import Foundation

/// A timed list of faults read from a JSON file: an array of fault specs, each with the time
/// after start at which it fires and, optionally, a period after which it fires again:
///
///     [{"at_ms": 2000, "kind": "disconnect", "target": "public"},
///      {"at_ms": 5000, "every_ms": 10000, "kind": "corrupt_checksum", "symbol": "BTC/USD"}]
public struct Scenario: Sendable, Equatable {
    /// One entry of the file.
    public struct Step: Sendable, Equatable {
        public var atMilliseconds: Int
        public var everyMilliseconds: Int?
        public var fault: Fault

        public init(atMilliseconds: Int, everyMilliseconds: Int? = nil, fault: Fault) {
            self.atMilliseconds = atMilliseconds
            self.everyMilliseconds = everyMilliseconds
            self.fault = fault
        }
    }

    public var steps: [Step]

    public init(steps: [Step]) {
        self.steps = steps
    }

    /// Reads a scenario; every problem names the entry it is in.
    public init(json: Data) throws(ScenarioError) {
        let entries: [Entry]
        do {
            entries = try JSONDecoder().decode([Entry].self, from: json)
        } catch {
            throw ScenarioError(message: "scenario is not a JSON array of fault entries: \(error)")
        }
        var steps: [Step] = []
        for (index, entry) in entries.enumerated() {
            guard entry.atMilliseconds >= 0 else { throw ScenarioError(message: "entry \(index): at_ms must be ≥ 0") }
            if let every = entry.everyMilliseconds, every < 10 {
                throw ScenarioError(message: "entry \(index): every_ms must be ≥ 10")
            }
            switch entry.spec.fault() {
            case .success(let fault):
                steps.append(Step(atMilliseconds: entry.atMilliseconds, everyMilliseconds: entry.everyMilliseconds, fault: fault))
            case .failure(let error):
                throw ScenarioError(message: "entry \(index): \(error.message)")
            }
        }
        self.steps = steps
    }

    /// Reads a scenario file.
    public init(contentsOf path: String) throws(ScenarioError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(message: "cannot read scenario file \(path)")
        }
        try self.init(json: data)
    }

    private struct Entry: Decodable {
        var atMilliseconds: Int
        var everyMilliseconds: Int?
        var spec: FaultSpec

        enum CodingKeys: String, CodingKey {
            case atMilliseconds = "at_ms"
            case everyMilliseconds = "every_ms"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            atMilliseconds = try container.decode(Int.self, forKey: .atMilliseconds)
            everyMilliseconds = try container.decodeIfPresent(Int.self, forKey: .everyMilliseconds)
            spec = try FaultSpec(from: decoder)
        }
    }
}

/// Why a scenario file was refused.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
