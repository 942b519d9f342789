// krakenbridge-bench: release-mode benchmarks, run by scripts/bench.sh (never by the tests).
//
//   krakenbridge-bench zmq-throughput [--frames N] [--sizes 100,200,300] [--runs R]
//   krakenbridge-bench book [--updates N] [--runs R]
//   krakenbridge-bench trade-parse [--iterations N] [--runs R]
//   krakenbridge-bench book-parse [--updates N] [--runs R]
//   krakenbridge-bench v1-parse [--capture FILE] [--rounds N] [--runs R]
//   krakenbridge-bench sim-throughput [--seconds S] [--runs R] [--pairs N] [--steps N]
//   krakenbridge-bench ingest [--seconds S] [--runs R]
//   krakenbridge-bench latency-record [--iterations N] [--runs R]
//   krakenbridge-bench latency-subscribe --endpoint E [--warmup S] [--seconds S]   (prints JSON; scripts/bench/latency)
//
// Each prints a Markdown table; scripts/bench.sh writes them into docs/performance.md.

import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String, default value: String) -> String {
    guard let index = arguments.firstIndex(of: "--\(name)"), index + 1 < arguments.count else { return value }
    return arguments[index + 1]
}

switch arguments.first {
case "zmq-throughput":
    let frames = Int(option("frames", default: "1000000")) ?? 1_000_000
    let sizes = option("sizes", default: "100,200,300").split(separator: ",").compactMap { Int($0) }
    let runs = Int(option("runs", default: "3")) ?? 3
    try await ZMQThroughputBenchmark(frames: frames, sizes: sizes, runs: runs).run()
case "book":
    let updates = Int(option("updates", default: "1000000")) ?? 1_000_000
    let runs = Int(option("runs", default: "9")) ?? 9
    BookBenchmark(updates: updates, runs: runs).run()
case "trade-parse":
    let iterations = Int(option("iterations", default: "200000")) ?? 200_000
    let runs = Int(option("runs", default: "7")) ?? 7
    try TradeParseBenchmark(
        iterations: iterations, runs: runs, compareWithFoundation: option("foundation", default: "yes") == "yes"
    ).run()
case "book-parse":
    let updates = Int(option("updates", default: "1000000")) ?? 1_000_000
    let runs = Int(option("runs", default: "9")) ?? 9
    try BookParseBenchmark(
        updates: updates, runs: runs, compareWithFoundation: option("foundation", default: "yes") == "yes",
        parseOnly: option("parse-only", default: "no") == "yes"
    ).run()
case "v1-parse":
    try V1ParseBenchmark(
        capturePath: option("capture", default: "Tests/KrakenFeedTests/Golden/v1-depth1000.capture.jsonl"),
        rounds: Int(option("rounds", default: "200")) ?? 200, runs: Int(option("runs", default: "5")) ?? 5
    ).run()
case "sim-throughput":
    try await SimulatorThroughputBenchmark(
        seconds: Double(option("seconds", default: "3")) ?? 3, runs: Int(option("runs", default: "5")) ?? 5,
        pairs: Int(option("pairs", default: "4")) ?? 4, steps: Int(option("steps", default: "20000")) ?? 20_000
    ).run()
case "ingest":
    try await IngestBenchmark(
        seconds: Double(option("seconds", default: "3")) ?? 3, runs: Int(option("runs", default: "5")) ?? 5
    ).run()
case "latency-record":
    LatencyRecordBenchmark(
        iterations: Int(option("iterations", default: "10000000")) ?? 10_000_000, runs: Int(option("runs", default: "5")) ?? 5
    ).run()
case "latency-subscribe":
    try BusLatencySubscriber(
        endpoint: option("endpoint", default: "tcp://127.0.0.1:5555"),
        warmupSeconds: Double(option("warmup", default: "5")) ?? 5, seconds: Double(option("seconds", default: "20")) ?? 20
    ).run()
default:
    FileHandle.standardError.write(Data("""
        usage: krakenbridge-bench zmq-throughput [--frames N] [--sizes 100,200,300] [--runs R]
               krakenbridge-bench book [--updates N] [--runs R]
               krakenbridge-bench trade-parse [--iterations N] [--runs R]
               krakenbridge-bench book-parse [--updates N] [--runs R]
               krakenbridge-bench v1-parse [--capture FILE] [--rounds N] [--runs R]
               krakenbridge-bench sim-throughput [--seconds S] [--runs R] [--pairs N] [--steps N]
               krakenbridge-bench ingest [--seconds S] [--runs R]
               krakenbridge-bench latency-record [--iterations N] [--runs R]
               krakenbridge-bench latency-subscribe --endpoint E [--warmup S] [--seconds S]

        """.utf8))
    exit(2)
}
