import ArgumentParser
import BridgeRuntime
import Foundation
import WireFormat
import ZeroMQ
import ZeroMQHub

/// Publishes a deterministic synthetic market (trades, tickers, heartbeats) as real bus frames,
/// for developing and testing consumers without Kraken or the simulator.
struct SynthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Publish a synthetic market as bus frames (for consumer development and tests).",
        discussion: """
            Trades follow a seeded random walk per pair; every fifth step also publishes a ticker.
            Topics idle for a second get a heartbeat carrying their current sequence, and the
            service heartbeat (hb:) goes out every second. Frames carry the `simulated` flag.
            """)

    @Option(help: "Endpoint to bind, e.g. tcp://127.0.0.1:5555 or ipc:///tmp/kb.sock.")
    var bind: String = "tcp://127.0.0.1:5555"

    @Option(help: "Comma-separated pairs.")
    var pairs: String = "BTC/USD,ETH/USD"

    @Option(help: "Steps per second per pair.")
    var rate: Double = 10

    @Option(help: "Stop after this many data frames (trades and tickers); default: run until Ctrl-C.")
    var count: Int?

    @Option(help: "Wait for this many subscriptions before publishing.")
    var waitSubscribers: Int = 0

    @Option(help: "Random seed (the same seed gives the same market).")
    var seed: UInt64 = 1

    @Option(help: "File with the server's secret CURVE key; enables CURVE on the endpoint.")
    var serverSecretKeyFile: String?

    @Option(help: "A client public key (Z85, or a .key file) allowed to connect; repeatable. Needs --server-secret-key-file.")
    var allowClientKey: [String] = []

    func run() async throws {
        let signals = await TerminationSignals.trap(for: "synth")
        let pairList = pairs.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        guard !pairList.isEmpty else { throw ValidationError("--pairs is empty") }
        guard rate > 0 else { throw ValidationError("--rate must be positive") }
        let allowlist = ZAPAllowlist()
        var curve: CurveSecurity?
        if let serverSecretKeyFile {
            let secret = try CurveKey(z85: try String(contentsOfFile: serverSecretKeyFile, encoding: .utf8))
            curve = .server(secretKey: secret, zapDomain: "md")
            for (index, key) in allowClientKey.enumerated() {
                allowlist.allow(try CurveKey(z85: try CurveClientOptions.keyText(key)), as: "client\(index + 1)", on: "md")
            }
        } else if !allowClientKey.isEmpty {
            throw ValidationError("--allow-client-key needs --server-secret-key-file")
        }
        var spec = HubSocketSpec.publisher(name: "md", bind: [bind], curve: curve)
        spec.settings.xpubVerbose = true
        spec.settings.lingerMilliseconds = 1_000  // let the last frames reach subscribers at exit
        let hub = try await ZMQHub.start(HubConfiguration(sockets: [spec], allowlist: allowlist))
        printError("synth: publishing \(pairList.joined(separator: ", ")) on \(hub.endpoint(of: hub.socket(0)) ?? bind)")

        let publishing = LifecyclePart("synthetic market", work: { [waitSubscribers, count, rate, seed] in
            if waitSubscribers > 0 {
                var subscribed = 0
                for await item in hub.inbound {
                    if case .subscription(_, true, _) = item { subscribed += 1 }
                    if subscribed >= waitSubscribers { break }
                }
            }
            var market = SyntheticMarket(pairs: pairList, seed: seed)
            var publisher = FramePublisher(hub: hub, socket: hub.socket(0))
            let interval = Duration.seconds(1.0 / rate)
            let clock = ContinuousClock()
            var next = clock.now
            var lastHeartbeat = clock.now
            while count.map({ publisher.dataFrames < $0 }) ?? true {
                for pair in pairList {
                    guard count.map({ publisher.dataFrames < $0 }) ?? true else { break }
                    for (topic, message) in market.step(pair) {
                        try publisher.publish(topic: topic, message: message)
                        if let count, publisher.dataFrames >= count { break }
                    }
                }
                if clock.now - lastHeartbeat >= .seconds(1) {
                    lastHeartbeat = clock.now
                    try publisher.heartbeats(idleFor: .seconds(1))
                }
                next += interval
                try await clock.sleep(until: next)
            }
            try publisher.heartbeats(idleFor: .zero)
        })
        let publisherSocket = LifecyclePart("publisher") {
            // Wait (bounded) until the owner thread has handed everything to libzmq.
            let deadline = ContinuousClock.now + .seconds(5)
            while hub.counters().sent < hub.counters().queued, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(10))
            }
            await hub.shutdown()
        }
        try await signals.run([publisherSocket, publishing])
        let counters = hub.counters()
        printError("synth: \(counters.sent) frames sent, \(counters.totalDropped) dropped")
    }
}
