import BridgeRuntime
import Foundation
import KrakenFeed
import KrakenSimulatorServer
import SessionLifecycle
import Testing
import WireFormat

/// The supervisor starts the bus and both feeds, reports them, changes pairs and stops it all.
@Suite(.serialized) struct BridgeSupervisorTests {
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
            market: market, account: account, marketBind: "ipc://\(directory.path)/m.sock", accountBind: "ipc://\(directory.path)/a.sock")
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
        } catch {
            Issue.record(error)
        }
        await bridge.stop()
        await bridge.stop()  // idempotent
        let afterStop = recorder.all.count
        try await Task.sleep(for: .milliseconds(600))
        #expect(recorder.all.count == afterStop, "nothing is published after stop")
        await recorder.stop()
        try await simulator.shutdown()
    }
}
