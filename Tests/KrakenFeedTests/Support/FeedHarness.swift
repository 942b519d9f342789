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

/// The simulator, the bridge's bus (`TestBus`: hub, publisher and a recorder of everything
/// published), and a market feed connected to the simulator,
/// speaking Kraken's WebSocket v2 (`/v2`) or v1 (`/`, names and precisions from REST AssetPairs).
struct FeedHarness {
    let simulator: SimulatorServer
    let hub: ZMQHub
    let publisher: BusPublisher
    let recorder: BusRecorder
    let feed: MarketFeed
    /// The private feed, when the test asked for one.
    let account: AccountFeed?
    /// The protocol the feeds read (a v1 book's checksum covers v1's strings).
    let protocolVersion: ProtocolVersion

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

        let bus = try await TestBus.start()
        try await beforeFeeds(simulator)

        var feedConfiguration = marketConfiguration(protocolVersion, simulator: simulator, symbols: symbols)
        configureFeed(&feedConfiguration)
        let feed = try await MarketFeed.start(feedConfiguration, publisher: bus.publisher, on: MultiThreadedEventLoopGroup.singleton.next())
        var account: AccountFeed?
        if withAccount {
            var accountConfiguration = AccountFeedConfiguration(credentials: SimulatorServer.demoCredentials)
            accountConfiguration.protocolVersion = protocolVersion
            accountConfiguration.connection.endpoints = [simulatorEndpoint(simulator.ports.private, protocolVersion)]
            accountConfiguration.rest = RESTEndpoint(host: "127.0.0.1", port: simulator.ports.rest, secure: false)
            configureAccount(&accountConfiguration)
            account = try await AccountFeed.start(accountConfiguration, publisher: bus.publisher, on: MultiThreadedEventLoopGroup.singleton.next())
        }

        let harness = FeedHarness(simulator: simulator, hub: bus.hub, publisher: bus.publisher, recorder: bus.recorder, feed: feed,
                                  account: account, protocolVersion: protocolVersion)
        var failure: (any Error)?
        do {
            try await body(harness)
        } catch {
            failure = error
        }
        try? await feed.stop()
        try? await account?.stop()
        await bus.stop()
        try? await simulator.shutdown()
        if let failure { throw failure }
    }

    /// A market feed of `symbols` on the simulator's public listener and REST, in `version`.
    static func marketConfiguration(_ version: ProtocolVersion, simulator: SimulatorServer, symbols: [String]) -> MarketFeedConfiguration {
        var configuration = MarketFeedConfiguration()
        configuration.protocolVersion = version
        configuration.connection.endpoints = [simulatorEndpoint(simulator.ports.public, version)]
        configuration.rest = RESTEndpoint(host: "127.0.0.1", port: simulator.ports.rest, secure: false)
        configuration.symbols = symbols
        return configuration
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
    func truthChecksum(_ symbol: String, depth: Int = 10, version: ProtocolVersion? = nil) async throws -> UInt32 {
        let encoded = symbol.replacingOccurrences(of: "/", with: "%2F")
        let versionQuery = (version ?? protocolVersion) == .v1 ? "&version=v1" : ""
        let truth = try await control(.GET, "/truth/book?symbol=\(encoded)&depth=\(depth)\(versionQuery)")
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
