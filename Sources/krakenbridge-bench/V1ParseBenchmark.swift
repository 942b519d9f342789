import Foundation
import KrakenCapture
import KrakenWire

/// v1 parsing alone over a recorded capture's frames: the general parser against the reused
/// fast-path parser the market session keeps, per kind of frame. Every frame must parse the
/// same both ways (checked once before timing), so the figures compare equal work.
struct V1ParseBenchmark {
    let capturePath: String
    let rounds: Int
    let runs: Int

    struct Failure: Error, CustomStringConvertible { var description: String }

    enum Kind: String, CaseIterable {
        case bookUpdate = "book update", bookSnapshot = "book snapshot", trade, other
    }

    func run() throws {
        let recording = try CaptureRecording.parse(Array(try Data(contentsOf: URL(fileURLWithPath: capturePath))))
        guard recording.header.protocol == "v1" else { throw Failure(description: "\(capturePath) is not a v1 capture") }
        var framesByKind: [Kind: [[UInt8]]] = [:]
        for frame in recording.receivedFrames {
            let general = try frame.text.withUnsafeBytes { try V1Message(generalFrame: $0) }
            var parser = V1FrameParser()
            guard try frame.text.withUnsafeBytes({ try parser.parse($0) }) == general else {
                throw Failure(description: "the parsers disagree on \(String(decoding: frame.text, as: UTF8.self))")
            }
            framesByKind[Self.kind(of: general), default: []].append(frame.text)
        }
        print("| frames | count | mean bytes | general parser, ns per frame | fast path (reused), ns per frame | ratio |")
        print("|---|---|---|---|---|---|")
        for kind in Kind.allCases {
            guard let frames = framesByKind[kind] else { continue }
            let general = try median { try time(frames) { bytes in _ = try V1Message(generalFrame: bytes) } }
            var parser = V1FrameParser()
            let fast = try median { try time(frames) { bytes in _ = try parser.parse(bytes) } }
            let bytes = frames.reduce(0) { $0 + $1.count } / frames.count
            print(String(format: "| %@ | %d | %d | %.0f | %.0f | %.1f× |", kind.rawValue, frames.count, bytes, general, fast, general / fast))
        }
        print("")
        print("Frames of `\(URL(fileURLWithPath: capturePath).lastPathComponent)`, each kind parsed \(rounds) times per run; median of \(runs) runs.")
    }

    private func median(_ measure: () throws -> Double) rethrows -> Double {
        var samples: [Double] = []
        for _ in 0..<runs { samples.append(try measure()) }
        samples.sort()
        return samples[samples.count / 2]
    }

    /// Nanoseconds per frame over `rounds` passes of `frames`.
    private func time(_ frames: [[UInt8]], _ parse: (UnsafeRawBufferPointer) throws -> Void) throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<rounds {
            for frame in frames { try frame.withUnsafeBytes { try parse($0) } }
        }
        let elapsed = clock.now - start
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        return nanoseconds / Double(rounds * frames.count)
    }

    private static func kind(of message: V1Message) -> Kind {
        switch message {
        case .book(let book): book.isSnapshot ? .bookSnapshot : .bookUpdate
        case .trade: .trade
        default: .other
        }
    }
}
