import KrakenCapture
import ArgumentParser
import BridgeRuntime
import Foundation
import KrakenAuth
import KrakenSimulator
import KrakenSimulatorServer

/// Runs the Kraken simulator: a real server speaking Kraken's WebSocket (v1 and v2) and REST
/// protocols over seeded markets, with fault injection and a control API.
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Run the Kraken simulator (WebSocket v1/v2, REST, faults, control API).",
        discussion: """
            Four listeners, like Kraken's hosts:
              public WebSocket   (ws.kraken.com)       v2 at /v2, v1 at /
              private WebSocket  (ws-auth.kraken.com)  the same plus executions, balances, openOrders, ownTrades
              REST               (api.kraken.com)      /0/public/{SystemStatus,AssetPairs,Depth},
                                                       /0/private/{GetWebSocketsToken,OpenOrders,QueryOrders}
              control (HTTP JSON) GET /health /state /counters /truth/book?symbol=&depth=
                                  POST /faults /market/pause /market/resume /market/step
            On start one JSON line with the bound ports goes to stdout, e.g.
              {"control":8793,"private":8791,"public":8790,"rest":8792}
            Port 0 picks a free port. REST private calls need the API key (default: the documented
            demo key KBSIM-DEMO-KEY, secret in docs/simulator.md).

            Fault kinds (POST /faults with a JSON object, or a --scenario file of
            [{"at_ms":N,"every_ms":M?, "kind":…, …}]):
              \(FaultSpec.kinds)

            TLS: --tls-dir DIR generates a CA and a server certificate for localhost, 127.0.0.1,
            ::1 and --host, writes DIR/ca.pem (trust it in clients), DIR/server.pem and
            DIR/server-key.pem, and serves wss:// and https:// (the control API stays http).

            Replay: --replay FILE serves a capture instead of live markets: a `record` capture
            (docs/capture.md) or one frame per line, `<unix seconds[.fraction] | RFC 3339> <frame
            text>` (blank lines and lines starting with # skipped). Every connection gets the frames
            from the first, at recorded speed times --replay-speed, or as fast as possible with
            --replay-speed max; requests are counted, not answered; the connection stays open after
            the last frame. A `record --private` capture replays on the authenticated listener, and
            private REST answers OpenOrders, ClosedOrders and QueryOrders from it; give --replay
            twice to replay a market and an account capture together.

            Throughput: --throughput serves a pre-encoded v2 stream on the public listener for
            benchmarks: status, acks for what the client subscribes to, then book snapshots (depth 10)
            and --throughput-steps rounds of book updates (valid checksums) and trades for every
            pair, repeated (each repetition starts with fresh snapshots) until
            --throughput-messages or until the client leaves.
            """)

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Public WebSocket port (0: any free port).")
    var publicPort = 8790

    @Option(help: "Authenticated WebSocket port.")
    var privatePort = 8791

    @Option(help: "REST port.")
    var restPort = 8792

    @Option(help: "Control API port.")
    var controlPort = 8793

    @Option(help: "Comma-separated pairs (v2 names). Known: BTC/USD, ETH/USD, DOGE/USD, MATIC/USD; others get 2/8 decimals.")
    var pairs = "BTC/USD,ETH/USD,DOGE/USD,MATIC/USD"

    @Option(help: "Add this many generated pairs SIM1/USD, SIM2/USD, …")
    var syntheticPairs = 0

    @Option(help: "Random seed: the same seed gives the same markets.")
    var seed: UInt64 = 1

    @Option(help: "Milliseconds between market ticks.")
    var tickMs = 100

    @Option(help: "Market events per pair per tick.")
    var stepsPerTick = 1

    @Option(help: "Largest frame accepted from a client, in bytes.")
    var maxFrameSize = 1 << 16

    @Option(help: "JSON scenario file of timed faults.")
    var scenario: String?

    @Option(help: "API key the REST API accepts.")
    var apiKey: String?

    @Option(help: "File holding the base64 API secret (needs --api-key).")
    var apiSecretFile: String?

    @Option(help: "Serve wss:// and https:// with a generated certificate; write ca.pem and the server's files here.")
    var tlsDir: String?

    @Option(help: """
        Capture to replay instead of live markets (a `record` capture or `<timestamp> <frame>` lines); an account \
        capture (`record --private`) replays on the authenticated listener. At most one of each.
        """)
    var replay: [String] = []

    @Option(help: "Replay speed: a factor of the recorded speed (1 = as recorded) or 'max'.")
    var replaySpeed = "1"

    @Option(help: """
        How v1 strings are written: live (like Kraken: more decimals than AssetPairs says for most \
        pairs, XBT/USD prices with five), asset-pairs (at AssetPairs' pair_decimals/lot_decimals) or \
        mixed (live, and numbers whose mantissa is a multiple of 3 with three more: one book, several scales).
        """)
    var v1Decimals = "live"

    @Flag(help: "Serve the pre-encoded throughput stream on the public listener (benchmarks).")
    var throughput = false

    @Option(help: "Throughput mode: market rounds in the pre-encoded stream.")
    var throughputSteps = 20_000

    @Option(help: "Throughput mode: messages per connection after its subscription (default: until it leaves).")
    var throughputMessages: Int?

    func validate() throws {
        guard tickMs >= 1 else { throw ValidationError("--tick-ms must be ≥ 1") }
        guard stepsPerTick >= 1 else { throw ValidationError("--steps-per-tick must be ≥ 1") }
        guard (apiKey == nil) == (apiSecretFile == nil) else { throw ValidationError("--api-key and --api-secret-file go together") }
        for port in [publicPort, privatePort, restPort, controlPort] where !(0...65_535).contains(port) {
            throw ValidationError("port \(port) is out of range")
        }
        guard !(throughput && !replay.isEmpty) else { throw ValidationError("--replay and --throughput exclude each other") }
        guard replay.count <= 2 else { throw ValidationError("--replay takes a market capture, an account capture, or one of each") }
        guard replaySpeed == "max" || (Double(replaySpeed).map { $0 > 0 && $0.isFinite } ?? false) else {
            throw ValidationError("--replay-speed must be a positive number or 'max'")
        }
        guard throughputSteps >= 1 else { throw ValidationError("--throughput-steps must be ≥ 1") }
        guard (throughputMessages ?? 1) >= 1 else { throw ValidationError("--throughput-messages must be ≥ 1") }
    }

    func run() async throws {
        let signals = await TerminationSignals.trap(for: "sim")
        var configuration = SimulatorServer.Configuration()
        configuration.host = host
        configuration.publicPort = publicPort
        configuration.privatePort = privatePort
        configuration.restPort = restPort
        configuration.controlPort = controlPort
        configuration.seed = seed
        configuration.tickInterval = .milliseconds(tickMs)
        configuration.stepsPerTick = stepsPerTick
        configuration.maxFrameSize = maxFrameSize
        var simulated: [SimulatedPair] = []
        for name in pairs.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let pair = SimulatedPair.named(name) else { throw ValidationError("--pairs: '\(name)' is not BASE/QUOTE") }
            simulated.append(pair)
        }
        simulated += SimulatedPair.synthetic(count: syntheticPairs)
        guard !simulated.isEmpty else { throw ValidationError("no pairs to simulate") }
        switch v1Decimals {
        case "live": break
        case "asset-pairs": simulated = simulated.map(\.withV1DecimalsAtPrecision)
        case "mixed":
            simulated = simulated.map { pair in
                var pair = pair
                pair.v1Decimals.extraForSome = 3
                return pair
            }
        default: throw ValidationError("--v1-decimals must be live, asset-pairs or mixed")
        }
        configuration.pairs = simulated
        if let scenario { configuration.scenario = try Scenario(contentsOf: scenario) }
        if let apiKey, let apiSecretFile {
            let secret = try StartupFailure.readFile(apiSecretFile, option: "--api-secret-file", holding: "the simulated account's API secret (base64)")
            do {
                configuration.credentials = try APICredentials(key: apiKey, base64Secret: secret)
            } catch {
                throw StartupFailure("--api-secret-file", apiSecretFile, error.description, "give a base64 secret")
            }
        }
        if let tlsDir {
            let authority = try SelfSignedAuthority(hostNames: [host])
            let caPath = try authority.write(to: tlsDir)
            configuration.tls = authority
            printError("sim: TLS on; clients trust \(caPath)")
        }
        for file in replay {
            let contents = try Array(Data(contentsOf: URL(fileURLWithPath: file)))
            let plan = try ReplayPlan(capture: contents, speed: replaySpeed == "max" ? nil : Double(replaySpeed))
            if plan.isAccount {
                guard configuration.accountReplay == nil else { throw ValidationError("--replay: two account captures") }
                configuration.accountReplay = plan
                printError("sim: replaying \(plan.frames.count) account frames from \(file) on the authenticated listener; "
                    + "private REST answers from its \(plan.rest.bodies.values.map(\.count).reduce(0, +)) recorded answers")
            } else {
                if case .replay = configuration.publicFeed { throw ValidationError("--replay: two market captures") }
                configuration.publicFeed = .replay(plan)
                printError("sim: replaying \(plan.frames.count) frames from \(file)"
                    + (plan.assetPairsBody == nil ? "" : ", REST serving its recorded AssetPairs"))
            }
        }
        if throughput {
            let stream = ThroughputStream(pairs: simulated, seed: seed, steps: throughputSteps)
            configuration.publicFeed = .throughput(ThroughputPlan(stream: stream, messageLimit: throughputMessages))
            printError("sim: throughput stream of \(stream.messages.count) messages")
        }
        let server: SimulatorServer
        do {
            server = try await SimulatorServer.start(configuration)
        } catch let error as SimulatorBindError {
            throw StartupFailure("--\(error.listener.rawValue)", "\(error.port) (on \(error.host))", error.reason,
                                 StartupFailure.remedy(forBindFailure: error.reason, example: "0"))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        printLine(String(decoding: try encoder.encode(server.ports), as: UTF8.self))
        let (ws, http) = configuration.tls == nil ? ("ws", "http") : ("wss", "https")
        printError("sim: \(simulated.count) pairs; public \(ws)://\(host):\(server.ports.public)/v2, private \(ws)://\(host):\(server.ports.private)/v2, "
            + "REST \(http)://\(host):\(server.ports.rest), control http://\(host):\(server.ports.control)")
        try await signals.run([LifecyclePart("simulator") { try? await server.shutdown() }])
        printError("sim: stopped")
    }
}
