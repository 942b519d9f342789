import BusPublishing
import Foundation
import HTTPTransport
import KrakenFeed
import SessionLifecycle
import KrakenSimulator
import KrakenSimulatorServer
import NIOCore
import NIOHTTP1
import NIOPosix
import WireFormat
import ZeroMQHub

struct HarnessFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The simulator, the bridge's bus (a hub with the market and account PUB sockets on ipc), a
/// recorder subscribed to the market bus, and a market feed connected to the simulator,
/// speaking Kraken's WebSocket v2 (`/v2`) or v1 (`/`, names and precisions from REST AssetPairs).
struct FeedHarness {
    let simulator: SimulatorServer
    let hub: ZMQHub
    let publisher: BusPublisher
    let recorder: BusRecorder
    let feed: MarketFeed
    /// The private feed, when the test asked for one.
    let account: AccountFeed?

    static func run(
        _ protocolVersion: ProtocolVersion = .v2, symbols: [String] = ["BTC/USD", "ETH/USD"], tickMilliseconds: Int64 = 10,
        withAccount: Bool = false,
        simulator configureSimulator: (inout SimulatorServer.Configuration) -> Void = { _ in },
        feed configureFeed: (inout MarketFeedConfiguration) -> Void = { _ in },
        account configureAccount: (inout AccountFeedConfiguration) -> Void = { _ in },
        beforeFeeds: (SimulatorServer) async throws -> Void = { _ in },
        _ body: (FeedHarness) async throws -> Void
    ) async throws {
        var simulatorConfiguration = SimulatorServer.Configuration()
        simulatorConfiguration.tickInterval = .milliseconds(tickMilliseconds)
        configureSimulator(&simulatorConfiguration)
        let simulator = try await SimulatorServer.start(simulatorConfiguration)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kbfeed-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let marketEndpoint = "ipc://\(directory.path)/market.sock"
        let accountEndpoint = "ipc://\(directory.path)/account.sock"
        let hub = try await ZMQHub.start(HubConfiguration(sockets: [
            .publisher(name: "market", bind: [marketEndpoint]),
            .publisher(name: "account", bind: [accountEndpoint]),
        ], threadName: "test.bridge"))
        let publisher = BusPublisher(hub: hub, marketSocket: hub.socket(0), accountSocket: hub.socket(1), flags: [.simulated])
        let recorder = try await BusRecorder.start(connectingTo: [marketEndpoint, accountEndpoint])
        // Slow joiner: publish nothing until both XPUBs have seen the recorder's subscription.
        var subscribed: Set<Int> = []
        for await item in hub.inbound {
            if case .subscription(let socket, true, _) = item { subscribed.insert(socket.index) }
            if subscribed.count == 2 { break }
        }
        try await beforeFeeds(simulator)

        var feedConfiguration = MarketFeedConfiguration()
        feedConfiguration.protocolVersion = protocolVersion
        feedConfiguration.connection.endpoints = [simulatorEndpoint(simulator.ports.public, protocolVersion)]
        feedConfiguration.rest = RESTEndpoint(host: "127.0.0.1", port: simulator.ports.rest, secure: false)
        feedConfiguration.symbols = symbols
        configureFeed(&feedConfiguration)
        let feed = try await MarketFeed.start(feedConfiguration, publisher: publisher, on: MultiThreadedEventLoopGroup.singleton.next())
        var account: AccountFeed?
        if withAccount {
            var accountConfiguration = AccountFeedConfiguration(credentials: SimulatorServer.demoCredentials)
            accountConfiguration.protocolVersion = protocolVersion
            accountConfiguration.connection.endpoints = [simulatorEndpoint(simulator.ports.private, protocolVersion)]
            accountConfiguration.rest = RESTEndpoint(host: "127.0.0.1", port: simulator.ports.rest, secure: false)
            configureAccount(&accountConfiguration)
            account = try await AccountFeed.start(accountConfiguration, publisher: publisher, on: MultiThreadedEventLoopGroup.singleton.next())
        }

        let harness = FeedHarness(simulator: simulator, hub: hub, publisher: publisher, recorder: recorder, feed: feed, account: account)
        var failure: (any Error)?
        do {
            try await body(harness)
        } catch {
            failure = error
        }
        try? await feed.stop()
        try? await account?.stop()
        await recorder.stop()
        await hub.shutdown()
        try? await simulator.shutdown()
        try? FileManager.default.removeItem(at: directory)
        if let failure { throw failure }
    }

    /// The simulator's WebSocket listener on `port` at the path of `version` (`/v2` or `/`).
    static func simulatorEndpoint(_ port: Int, _ version: ProtocolVersion) -> FeedEndpoint {
        FeedEndpoint(host: "127.0.0.1", port: port, path: version == .v2 ? "/v2" : "/", secure: false)
    }

    /// A control API call to the simulator; the reply's JSON object.
    @discardableResult
    func control(_ method: HTTPMethod, _ path: String, body: String = "") async throws -> [String: Any] {
        let response = try await HTTPClient.request(
            method: method, host: "127.0.0.1", port: simulator.ports.control, path: path, body: Array(body.utf8))
        guard response.status == 200 else { throw HarnessFailure("\(method) \(path): HTTP \(response.status) \(response.text)") }
        return try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
    }

    /// The simulator's true checksum of `symbol`'s book at `depth`.
    func truthChecksum(_ symbol: String, depth: Int = 10) async throws -> UInt32 {
        let encoded = symbol.replacingOccurrences(of: "/", with: "%2F")
        let truth = try await control(.GET, "/truth/book?symbol=\(encoded)&depth=\(depth)")
        guard let checksum = (truth["checksum"] as? NSNumber)?.uint32Value else { throw HarnessFailure("no checksum in \(truth)") }
        return checksum
    }

    /// Waits until the market feed (or with `account: true` the private feed) reports `state`.
    func waitForFeed(_ state: ConnectionState, account: Bool = false, timeout: Duration = .seconds(20)) async throws -> FeedDiagnostics {
        let deadline = ContinuousClock.now + timeout
        while true {
            let diagnostics = try await (account ? self.account!.diagnostics() : feed.diagnostics())
            if diagnostics.state == state { return diagnostics }
            guard ContinuousClock.now < deadline else {
                let log = try await (account ? self.account!.recentLog() : feed.recentLog())
                throw HarnessFailure("feed stayed \(diagnostics.state) (wanted \(state)); log: \(log)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
