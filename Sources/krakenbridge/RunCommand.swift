import ArgumentParser
import BusPublishing
import Foundation
import KrakenFeed
import NIOCore
import NIOPosix
import SessionLifecycle
import WireFormat
import ZeroMQHub

/// Runs the bridge: a Kraken v2 market-data feed kept exact and republished as bus frames.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the bridge: Kraken WebSocket → exact books → frames on ZeroMQ.",
        discussion: """
            Connects to Kraken's public WebSocket v2 (default wss://ws.kraken.com/v2; give --ws-url
            several times for failover, in order), reads the pairs' precisions from the instrument
            channel, subscribes books (checksum verified on every update), trades, and optionally
            tickers and candles, and publishes them on the market PUB endpoint. Topics: book:SYMBOL:DEPTH:,
            trade:SYMBOL:, ticker:SYMBOL:, ohlc:SYMBOL:MINUTES:, instrument:SYMBOL:, status:,
            conn:FEED:, hb: (docs/wire-format.md). On start one JSON line with the bound endpoints goes
            to stdout, e.g. {"account":"tcp://127.0.0.1:5556","market":"tcp://127.0.0.1:5555"}.
            Against the simulator: --ws-url ws://127.0.0.1:8790/v2 --simulated.
            """)

    @Option(name: .customLong("ws-url"), help: "Kraken WebSocket v2 URL; repeat for failover endpoints, tried in order.")
    var wsURLs: [String] = ["wss://ws.kraken.com/v2"]

    @Option(help: "Comma-separated v2 pairs.")
    var pairs = "BTC/USD,ETH/USD"

    @Option(help: "Book depth: 10, 25, 100, 500 or 1000; 0 for no books.")
    var bookDepth = 10

    @Flag(inversion: .prefixedNo, help: "Publish trades.")
    var trades = true

    @Flag(help: "Publish tickers.")
    var tickers = false

    @Option(help: "Comma-separated OHLC intervals in minutes (1, 5, 15, 30, 60, 240, 1440, 10080, 21600).")
    var ohlc = ""

    @Option(help: "Market-data PUB endpoint (tcp://host:port, tcp://127.0.0.1:* for any port, ipc://path).")
    var marketBind = "tcp://127.0.0.1:5555"

    @Option(help: "Account PUB endpoint (private events).")
    var accountBind = "tcp://127.0.0.1:5556"

    @Option(help: "Trust this CA file instead of the system's roots (the simulator's ca.pem).")
    var caFile: String?

    @Flag(help: "Mark every frame as simulated (use against the simulator).")
    var simulated = false

    @Option(help: "Largest WebSocket frame accepted from Kraken, in bytes.")
    var maxFrameSize = 4 << 20

    @Option(help: "Seconds between diagnostics lines on stderr (0: none).")
    var statsInterval = 10

    func validate() throws {
        guard [0, 10, 25, 100, 500, 1000].contains(bookDepth) else { throw ValidationError("--book-depth must be 0, 10, 25, 100, 500 or 1000") }
        guard statsInterval >= 0 else { throw ValidationError("--stats-interval must be ≥ 0") }
        for url in wsURLs where FeedEndpoint(url: url) == nil { throw ValidationError("--ws-url '\(url)' is not ws:// or wss://") }
        _ = try intervals()
    }

    private func intervals() throws -> [Int] {
        try ohlc.split(separator: ",").map { text in
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("--ohlc: '\(text)' is not a number") }
            return value
        }
    }

    func run() async throws {
        var configuration = MarketFeedConfiguration()
        configuration.connection.endpoints = wsURLs.compactMap(FeedEndpoint.init(url:))
        configuration.symbols = pairs.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !configuration.symbols.isEmpty else { throw ValidationError("--pairs is empty") }
        configuration.bookDepth = bookDepth == 0 ? nil : bookDepth
        configuration.trades = trades
        configuration.tickers = tickers
        configuration.ohlcIntervals = try intervals()
        configuration.connection.trustedCAFile = caFile
        configuration.connection.maxFrameSize = maxFrameSize

        let hub = try await ZMQHub.start(HubConfiguration(sockets: [
            .publisher(name: "market", bind: [marketBind]),
            .publisher(name: "account", bind: [accountBind]),
        ]))
        let publisher = BusPublisher(hub: hub, marketSocket: hub.socket(0), accountSocket: hub.socket(1), flags: simulated ? [.simulated] : [])
        let endpoints = ["market": hub.boundEndpoints[0].first ?? marketBind, "account": hub.boundEndpoints[1].first ?? accountBind]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        printLine(String(decoding: try encoder.encode(endpoints), as: UTF8.self))

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let feed: MarketFeed
        do {
            feed = try await MarketFeed.start(configuration, publisher: publisher, on: group.next())
        } catch {
            await hub.shutdown()
            try? await group.shutdownGracefully()
            throw ValidationError("\(error)")
        }
        printError("run: \(configuration.symbols.count) pairs from \(configuration.connection.endpoints.map(\.description).joined(separator: ", ")); "
            + "market data on \(endpoints["market"]!), account on \(endpoints["account"]!)")
        let heartbeat = Task { await Self.serviceHeartbeats(feed: feed, publisher: publisher, statsEvery: statsInterval) }
        await TerminationSignal.wait()
        heartbeat.cancel()
        try? await feed.stop()
        let counters = (try? await feed.diagnostics())?.counters
        await hub.shutdown()
        try? await group.shutdownGracefully()
        if let counters {
            printError("run: stopped; \(counters.frames) Kraken frames, \(counters.bookUpdates) book updates, "
                + "\(counters.checksumFailures) checksum failures, \(counters.reconnections) reconnections")
        }
    }

    /// The `hb:` topic once a second (service uptime and the feed's health), and a diagnostics
    /// line on stderr every `statsEvery` seconds.
    private static func serviceHeartbeats(feed: MarketFeed, publisher: BusPublisher, statsEvery: Int) async {
        let started = UnixTime.nanoseconds()
        var tick = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            guard let diagnostics = try? await feed.diagnostics() else { continue }
            let now = UnixTime.nanoseconds()
            var health = KBFeedHealth()
            health.feed = diagnostics.name
            health.lastMessageNs = diagnostics.lastFrameNs
            health.stale = diagnostics.state != .active
            health.state = KBConnectionState(rawValue: diagnostics.state.wireValue) ?? .unspecified
            var beat = KBServiceHeartbeat()
            beat.startedNs = started
            beat.uptimeNs = now - started
            beat.version = "krakenbridge"
            beat.feeds = [health]
            publisher.publish(beat, on: .serviceHeartbeat, receivedNs: now)
            tick += 1
            if statsEvery > 0, tick % statsEvery == 0 {
                let counters = diagnostics.counters
                printError("run: \(diagnostics.state.rawValue) \(diagnostics.endpoint); frames \(counters.frames), "
                    + "book updates \(counters.bookUpdates), trades \(counters.trades), checksum failures \(counters.checksumFailures), "
                    + "reconnections \(counters.reconnections), malformed \(counters.malformedTotal), "
                    + "published \(publisher.counters.published), dropped \(publisher.counters.dropped)")
            }
        }
    }
}
