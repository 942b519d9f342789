@testable import BridgeRuntime
import BusPublishing
import HTTPTransport
import NIOHTTP1
import Foundation
import KrakenFeed
import KrakenSimulatorServer
import SessionLifecycle
import Testing
import SwiftProtobuf
import WireFormat
import ZeroMQ
import ZeroMQHub

/// The supervisor starts the bus and both feeds, reports them, changes pairs and stops it all.
@Suite(.serialized) struct BridgeSupervisorTests {
    /// Every series name in docs/operations.md's metric reference table.
    static func documentedSeries() throws -> Set<String> {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/operations.md"), encoding: .utf8)
        let table = try #require(text.components(separatedBy: "### Metric reference").last)
        return Set(table.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `krakenbridge_") else { return nil }
            return String(line.dropFirst(3).prefix { $0 != "`" && $0 != "{" })
        })
    }

    @Test("the market socket stamps each bus header's publish time as the hub sends it; account frames stay as journaled")
    func publishTimeIsStampedAtSend() {
        let sockets = BridgeSupervisor.hubConfiguration(BridgeConfiguration(market: MarketFeedConfiguration())).sockets
        #expect(sockets.map(\.name) == ["market", "account", "control"])
        #expect(sockets.map(\.sendTimestamp) == [SendTimestampField(frame: 1, byteOffset: 48), nil, nil])
    }

    @Test func startsBothFeedsPublishesTheirHealthChangesPairsAndStops() async throws {
        var simulatorConfiguration = SimulatorServer.Configuration()
        simulatorConfiguration.tickInterval = .milliseconds(20)
        let simulator = try await SimulatorServer.start(simulatorConfiguration)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kbsup-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var market = MarketFeedConfiguration()
        market.connection.endpoints = [FeedEndpoint(host: "127.0.0.1", port: simulator.ports.public, path: "/v2", secure: false)]
        market.symbols = ["BTC/USD"]
        var account = AccountFeedConfiguration(credentials: SimulatorServer.demoCredentials)
        account.connection.endpoints = [FeedEndpoint(host: "127.0.0.1", port: simulator.ports.private, path: "/v2", secure: false)]
        account.rest = RESTEndpoint(host: "127.0.0.1", port: simulator.ports.rest, secure: false)
        var configuration = BridgeConfiguration(
            market: market, account: account, marketBind: "ipc://\(directory.path)/m.sock", accountBind: "ipc://\(directory.path)/a.sock",
            controlBind: "ipc://\(directory.path)/c.sock")
        configuration.journal = JournalSettings(path: directory.appendingPathComponent("journal.sqlite").path)
        configuration.metricsBind = ("127.0.0.1", 0)
        configuration.simulated = true
        configuration.heartbeatInterval = .milliseconds(200)

        let bridge = try await BridgeSupervisor.start(configuration)
        #expect(bridge.marketEndpoint == "ipc://\(directory.path)/m.sock")
        let recorder = try await BusRecorder.start(connectingTo: [bridge.marketEndpoint, bridge.accountEndpoint])
        do {
            let healthy = await recorder.wait { frames in
                frames.contains { frame in
                    guard case .serviceHeartbeat(let beat) = frame.payload else { return false }
                    return beat.feeds.map(\.feed) == ["public", "private"] && beat.feeds.allSatisfy { !$0.stale }
                }
            }
            #expect(healthy, "both feeds active in hb:")
            #expect(try await bridge.diagnostics().map(\.name) == ["public", "private"])

            let change = try await bridge.addPairs(["ETH/USD"])
            #expect(change.changed == ["ETH/USD"])
            #expect(try await bridge.pairs() == ["BTC/USD", "ETH/USD"])
            #expect(await recorder.wait { frames in frames.contains { $0.topic == "book:ETH/USD:10:" } })
            #expect(await recorder.wait { frames in frames.contains { $0.topic == "exec:" } })

            // The control socket answers a plain REQ client in binary protobuf.
            let reply = try await Self.ask(bridge.controlEndpoint, KBControlRequest.with { $0.id = 77; $0.diagnostics = KBDiagnosticsCommand() })
            #expect(reply.id == 77)
            guard case .diagnostics(let diagnostics) = reply.result else { throw SupervisorExpectation("no diagnostics: \(reply)") }
            #expect(diagnostics.connections.map(\.feed) == ["public", "private"])
            #expect(diagnostics.journalEvents > 0, "private events were journaled")

            // Prometheus reads the same figures over HTTP.
            let metrics = try #require(await bridge.metricsEndpoint)
            let port = try #require(Int(metrics.split(separator: ":").last!.split(separator: "/").first!))
            let response = try await HTTPClient.request(method: .GET, host: "127.0.0.1", port: port, path: "/metrics")
            #expect(response.status == 200)
            #expect(response.text.contains("krakenbridge_healthy 1.0\n"))
            #expect(response.text.contains(#"krakenbridge_connection_state{feed="private"} 6.0"#))
            #expect(response.text.contains(#"krakenbridge_subscriber_overflows_total{socket="market"} 0"#))
            #expect(response.text.contains(#"krakenbridge_control_requests_total{command="diagnostics"} 1"#))
            let exposed = Set(response.text.split(separator: "\n").compactMap { line in
                line.hasPrefix("# TYPE ") ? line.split(separator: " ")[2] : nil
            }.map(String.init))
            let documented = try Self.documentedSeries()
            #expect(documented.count > 40)
            #expect(documented.subtracting(exposed).isEmpty, "documented but not served: \(documented.subtracting(exposed).sorted())")
            #expect(exposed.subtracting(documented).isEmpty, "served but not documented: \(exposed.subtracting(documented).sorted())")
            #expect(try await HTTPClient.request(method: .GET, host: "127.0.0.1", port: port, path: "/other").status == 404)
        } catch {
            Issue.record(error)
        }
        await bridge.stop()
        await bridge.stop()  // idempotent
        // The feeds' loops are gone: asking them is an error, not a task scheduled on a dead loop.
        await #expect(throws: BridgeStopped.self) { try await bridge.diagnostics() }
        try await Task.sleep(for: .milliseconds(200))  // what was queued before stop arrives
        let afterStop = recorder.all.count
        try await Task.sleep(for: .milliseconds(600))
        #expect(recorder.all.count == afterStop, "nothing is published after stop")
        await recorder.stop()
        try await simulator.shutdown()
    }

    /// `run` exits 1 when this is set (RunCommand), instead of hanging on a half-dead bridge.
    @Test(.timeLimit(.minutes(1)))
    func aPartThatEndsByItselfStopsTheWholeBridgeAndSaysSo() async throws {
        let simulator = try await SimulatorServer.start(SimulatorServer.Configuration())
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kbself-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var market = MarketFeedConfiguration()
        market.connection.endpoints = [FeedEndpoint(host: "127.0.0.1", port: simulator.ports.public, path: "/v2", secure: false)]
        market.symbols = ["BTC/USD"]
        var configuration = BridgeConfiguration(
            market: market, account: nil, marketBind: "ipc://\(directory.path)/m.sock", accountBind: "ipc://\(directory.path)/a.sock",
            controlBind: "ipc://\(directory.path)/c.sock")
        configuration.simulated = true
        let bridge = try await BridgeSupervisor.start(configuration)

        // The bus's thread goes away underneath the bridge: the control part, which reads its
        // requests from it, ends by itself.
        await bridge.hub.shutdown()
        await bridge.waitUntilStopped()

        #expect(await bridge.stoppedByItself)
        // Taken down in order, not abandoned: the feeds' last counters were kept on the way, and
        // the feeds' loops are gone.
        #expect(await bridge.finalDiagnostics?.map(\.name) == ["public"])
        await #expect(throws: BridgeStopped.self) { try await bridge.diagnostics() }
        try await simulator.shutdown()
    }

    @Test func aSlowSubscribersOverflowShowsAsGapsItSeesAndInDiagnostics() async throws {
        let simulator = try await SimulatorServer.start(SimulatorServer.Configuration())
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kbslow-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var market = MarketFeedConfiguration()
        market.connection.endpoints = [FeedEndpoint(host: "127.0.0.1", port: simulator.ports.public, path: "/v2", secure: false)]
        market.symbols = ["BTC/USD"]
        let bridge = try await BridgeSupervisor.start(BridgeConfiguration(
            market: market, marketBind: "tcp://127.0.0.1:*", accountBind: "ipc://\(directory.path)/a.sock",
            controlBind: "ipc://\(directory.path)/c.sock"))
        let context = try ZMQContext()
        let slow = try ZMQSocket(context: context, type: .sub)
        try slow.set(.receiveHighWaterMark, 10)
        try slow.set(.subscribe, Array("ticker:TEST/USD:".utf8))
        try slow.connect(bridge.marketEndpoint)
        try await Task.sleep(for: .milliseconds(300))

        // Far more than the publisher's per-subscriber queue (50,000), the subscriber's and the
        // socket buffers hold, while it reads nothing.
        let topic = try Topic.ticker("TEST/USD")
        var ticker = KBTicker()
        ticker.symbol = "TEST/USD"
        let total = 150_000
        for _ in 0..<total {
            while bridge.publisher.publish(ticker, on: topic, receivedNs: UnixTime.nanoseconds()) == nil {
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        try await Task.sleep(for: .milliseconds(500))
        var received: [UInt64] = []
        var quietSince = ContinuousClock.now
        while ContinuousClock.now - quietSince < .milliseconds(300) {
            if let message = try slow.receiveMessage(dontWait: true) {
                let header = try FrameHeader(parsing: message.frames[1])
                if header.messageType == UInt16(KBMessageType.ticker.rawValue) { received.append(header.sequence) }
                quietSince = ContinuousClock.now
            } else {
                try await Task.sleep(for: .milliseconds(2))
            }
        }
        let published = bridge.publisher.currentSequence(of: topic)
        #expect(received.count < Int(published), "the slow subscriber missed messages")
        #expect(zip(received, received.dropFirst()).contains { $1 != $0 + 1 } || received.last != published, "and sees the gap")
        let diagnostics = try await bridge.diagnosticsReport()
        #expect(diagnostics.drops >= 1)
        #expect(diagnostics.counters["zmq.subscriber_overflows", default: 0] >= 1)
        await bridge.stop()
        try await simulator.shutdown()
    }

    /// One request on a REQ socket, the reply decoded.
    ///
    /// The reply is polled for, never waited for in a blocking receive: the bridge answers
    /// control requests in Swift tasks, and a receive blocking one of the two cooperative
    /// threads of a 2-core machine (while the parallel suite keeps the other busy) starved the
    /// very task that was to answer it, until a 5 s receive timeout gave up with "no reply".
    /// Now a slow answer only costs time, up to a deadline no healthy run comes near.
    static func ask(_ endpoint: String, _ request: KBControlRequest, timeout: Duration = .seconds(30)) async throws -> KBControlReply {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context: context, type: .req)
        try socket.set(.linger, 0)
        try socket.connect(endpoint)
        try socket.send(try request.serializedBytes() as [UInt8])
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let reply = try socket.receiveMessage(dontWait: true) {
                guard let first = reply.frames.first else { throw SupervisorExpectation("empty reply") }
                return try KBControlReply(serializedBytes: first)
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw SupervisorExpectation("no reply within \(timeout)")
    }

    struct SupervisorExpectation: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
