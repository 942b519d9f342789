// swift-tools-version: 6.1
import PackageDescription

/// Settings shared by every KrakenBridge target: Swift 6 mode with strict concurrency is the
/// package default; these upcoming features keep imports and existentials explicit.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "KrakenBridge",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "krakenbridge", targets: ["krakenbridge"]),
        .library(name: "ZeroMQ", targets: ["ZeroMQ"]),
        .library(name: "ZeroMQHub", targets: ["ZeroMQHub"]),
        .library(name: "WireFormat", targets: ["WireFormat"]),
        .library(name: "FixedPoint", targets: ["FixedPoint"]),
        .library(name: "OrderBook", targets: ["OrderBook"]),
        .library(name: "KrakenAuth", targets: ["KrakenAuth"]),
        .library(name: "KrakenREST", targets: ["KrakenREST"]),
        .library(name: "KrakenWire", targets: ["KrakenWire"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: [.defaults, "YAML"]),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // Repeatable randomness for synthetic data, benchmarks and property tests.
        .target(name: "SeededRandom", swiftSettings: strictSettings),
        // Exact decimals: Int64 mantissa + scale, parsed from bytes, never through Double.
        .target(name: "FixedPoint", swiftSettings: strictSettings),
        // Kraken order books and their CRC32 checksums; pure values, no I/O.
        .target(name: "OrderBook", dependencies: ["FixedPoint"], swiftSettings: strictSettings),
        // Kraken REST authentication: API-Sign and nonces.
        .target(
            name: "KrakenAuth", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings),
        // Kraken WebSocket frames read straight from their bytes (no Foundation JSON, no Double).
        .target(name: "KrakenWire", dependencies: ["FixedPoint"], swiftSettings: strictSettings),
        // The libFuzzer harness for the frame parsers (body in a library so tests replay it).
        .target(name: "KrakenWireFuzzing", dependencies: ["KrakenWire", "OrderBook", "FixedPoint"], swiftSettings: strictSettings),
        .executableTarget(name: "krakenwire-fuzz", dependencies: ["KrakenWireFuzzing"], swiftSettings: strictSettings),
        // The git commit for `krakenbridge --version`, written before every build.
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),
        // Bus frames as text for people and JSON lines for programs (tap, ctl).
        .target(
            name: "BusText", dependencies: ["WireFormat", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: strictSettings),
        // The process's swift-log handler: JSON lines or text on stderr, rate-limited per kind.
        .target(name: "BridgeLogging", dependencies: [.product(name: "Logging", package: "swift-log")], swiftSettings: strictSettings),
        // What the feeds publish into: the BusSink protocol, so feeds never link libzmq.
        .target(name: "FeedOutput", dependencies: ["WireFormat"], swiftSettings: strictSettings),
        // `run`'s settings in layers (defaults < YAML file < environment < flags) with each value's source.
        .target(
            name: "BridgeSettings",
            dependencies: [
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"), .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings),
        // The bridge's Prometheus metrics: one registry, its families, counters copied in at scrape time, the exposition.
        .target(
            name: "BridgeMetrics",
            dependencies: [.product(name: "Prometheus", package: "swift-prometheus"), .product(name: "CoreMetrics", package: "swift-metrics")],
            swiftSettings: strictSettings),
        // The libFuzzer harness for the control request decoder, binary and JSON.
        .target(
            name: "ControlPlaneFuzzing", dependencies: ["ControlPlane", "WireFormat", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: strictSettings),
        .executableTarget(name: "controlrequest-fuzz", dependencies: ["ControlPlaneFuzzing"], swiftSettings: strictSettings),
        // Recordings of Kraken connections: the capture formats `record` writes and `sim --replay` and `verify` read.
        .target(name: "KrakenCapture", dependencies: ["FixedPoint", "KrakenWire"], swiftSettings: strictSettings),
        // The Kraken simulator: seeded markets, Kraken-format frames, (next) its servers.
        .target(
            name: "KrakenSimulator", dependencies: ["FixedPoint", "SeededRandom", "KrakenWire", "KrakenCapture"],
            swiftSettings: strictSettings),
        // Client connection set-up: TLS with system trust (Kraken) or a given CA file (the simulator), and connect failures in words.
        .target(
            name: "TransportTLS",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings),
        // WebSocket client connections over SwiftNIO (upgrade handshake, frames in order).
        .target(
            name: "WebSocketTransport",
            dependencies: [
                "TransportTLS",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings),
        // One HTTP/1.1 request per connection over SwiftNIO, with a deadline (Kraken REST calls).
        .target(
            name: "HTTPTransport",
            dependencies: [
                "TransportTLS",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings),
        // Session decisions without I/O: state machine, backoff, breakers, pacing, liveness.
        .target(name: "SessionLifecycle", dependencies: ["SeededRandom"], swiftSettings: strictSettings),
        // The simulator's servers (SwiftNIO): Kraken's WebSocket protocol over seeded markets.
        .target(
            name: "KrakenSimulatorServer",
            dependencies: [
                "KrakenSimulator", "KrakenCapture", "KrakenWire", "FixedPoint", "KrakenAuth", "SeededRandom", "TransportTLS",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings),
        // Kraken's public messages (v2 and v1, reference data from REST AssetPairs) as bus payloads,
        // and exact books verified on every update.
        .target(
            name: "MarketFlow", dependencies: ["KrakenWire", "KrakenREST", "OrderBook", "FixedPoint", "WireFormat"],
            swiftSettings: strictSettings),
        // Frames of the wire contract onto the hub's PUB sockets: per-topic sequences, epoch, counters.
        .target(
            name: "BusPublishing",
            dependencies: [
                "WireFormat", "ZeroMQHub", "FeedOutput", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings),
        // Live Kraken connections: lifecycle, reconnects, subscriptions, the inline hot path.
        .target(
            name: "KrakenFeed",
            dependencies: [
                "KrakenWire", "MarketFlow", "PrivateFlow", "FeedOutput", "WireFormat", "SessionLifecycle", "WebSocketTransport",
                "HTTPTransport", "TransportTLS", "KrakenREST", "KrakenAuth", "OrderBook", "SeededRandom",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        // `krakenbridge record`: one Kraken connection written down as a capture, frame by frame.
        .target(
            name: "KrakenRecorder",
            dependencies: [
                "KrakenCapture", "KrakenFeed", "KrakenREST", "KrakenWire", "KrakenAuth", "PrivateFlow", "WireFormat", "WebSocketTransport",
                "HTTPTransport", "TransportTLS", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),
        // `krakenbridge verify`: a capture run offline through the bridge's own parsers and books, checksum by checksum.
        .target(
            name: "CaptureVerification",
            dependencies: ["KrakenCapture", "KrakenWire", "KrakenREST", "MarketFlow", "OrderBook", "WireFormat"],
            swiftSettings: strictSettings),
        // The durable journal of private account events (SQLite via GRDB, WAL): replay, sequences across restarts.
        .target(name: "AccountJournal", dependencies: [.product(name: "GRDB", package: "GRDB.swift")], swiftSettings: strictSettings),
        // The control socket without the socket: request decoding (binary or JSON), validation,
        // who may run what, and a server answering concurrently.
        .target(
            name: "ControlPlane", dependencies: ["WireFormat", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: strictSettings),
        // The bridge's composition root: bus, journal, feeds, control server and heartbeats under one supervising actor.
        .target(
            name: "BridgeRuntime",
            dependencies: [
                "KrakenFeed", "BusPublishing", "WireFormat", "ZeroMQHub", "ZeroMQ", "SessionLifecycle", "AccountJournal", "ControlPlane",
                "TransportTLS", "BridgeMetrics",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        // Kraken REST responses: envelope errors, WebSocket tokens, AssetPairs, symbol names.
        .target(name: "KrakenREST", dependencies: ["FixedPoint"], swiftSettings: strictSettings),
        // Kraken private messages → exactly-once account events: sequences, order cache, ledger, REST reconciliation.
        .target(name: "PrivateFlow", dependencies: ["KrakenWire", "KrakenREST", "FixedPoint", "WireFormat"], swiftSettings: strictSettings),
        // libzmq from Debian's libzmq3-dev; pkg-config is left out on purpose (it drags in
        // prohibited -isystem flags from libzmq.pc's private requirements).
        .systemLibrary(name: "CZeroMQ", providers: [.apt(["libzmq3-dev"])]),
        // Owns the C library: context, sockets, options, CURVE keys, poll, monitor events.
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"], swiftSettings: strictSettings),
        // The one thread that owns every socket: outbox, inbound streams, ZAP, monitors.
        .target(name: "ZeroMQHub", dependencies: ["ZeroMQ", "CZeroMQ"], swiftSettings: strictSettings),
        // The versioned frame contract: topics, fixed header, protobuf payloads.
        .target(
            name: "WireFormat",
            dependencies: ["FixedPoint", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: strictSettings),
        .executableTarget(
            name: "krakenbridge",
            dependencies: [
                "ZeroMQ", "ZeroMQHub", "WireFormat", "SeededRandom", "KrakenSimulator", "KrakenSimulatorServer", "KrakenAuth",
                "KrakenFeed", "BridgeRuntime", "BusPublishing", "SessionLifecycle", "KrakenCapture", "KrakenRecorder",
                "CaptureVerification", "ControlPlane", "BusText", "BridgeLogging", "BridgeMetrics", "BridgeSettings",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"), .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings, plugins: ["BuildInfoPlugin"]),
        // Release-mode throughput benchmarks; run by scripts/bench.sh, never by the test command.
        // A malloc counter the benchmarks link (allocations per message, issue 18 §3); never in the bridge.
        .target(name: "CAllocationCounter"),
        .executableTarget(
            name: "krakenbridge-bench",
            dependencies: [
                "ZeroMQ", "ZeroMQHub", "WireFormat", "OrderBook", "FixedPoint", "KrakenWire", "SeededRandom", "CZeroMQ",
                "KrakenSimulator", "KrakenSimulatorServer", "KrakenFeed", "KrakenCapture", "BusPublishing", "BridgeMetrics",
                "CAllocationCounter", .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "CoreMetrics", package: "swift-metrics"), .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),
        .testTarget(name: "FixedPointTests", dependencies: ["FixedPoint"], swiftSettings: strictSettings),
        .testTarget(
            name: "WebSocketTransportTests",
            dependencies: [
                "WebSocketTransport", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "AccountJournalTests", dependencies: ["AccountJournal", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings),
        .testTarget(
            name: "BusPublishingTests", dependencies: ["BusPublishing", "FeedOutput", "WireFormat", "ZeroMQHub", "ZeroMQ", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: strictSettings),
        .testTarget(
            name: "BusTextTests", dependencies: ["BusText", "WireFormat", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: strictSettings),
        .testTarget(
            name: "BridgeLoggingTests", dependencies: ["BridgeLogging", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings),
        .testTarget(name: "BridgeSettingsTests", dependencies: ["BridgeSettings"], swiftSettings: strictSettings),
        .testTarget(
            name: "BridgeMetricsTests", dependencies: ["BridgeMetrics"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ControlPlaneTests",
            dependencies: ["ControlPlane", "ControlPlaneFuzzing", "WireFormat", "SeededRandom", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["FuzzCorpus", "FuzzRegressions", "control.dict"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "OrderBookTests", dependencies: ["OrderBook", "FixedPoint", "SeededRandom"], swiftSettings: strictSettings),
        .testTarget(name: "KrakenAuthTests", dependencies: ["KrakenAuth"], swiftSettings: strictSettings),
        .testTarget(name: "KrakenRESTTests", dependencies: ["KrakenREST", "FixedPoint"], swiftSettings: strictSettings),
        .testTarget(name: "KrakenWireTests", dependencies: ["KrakenWire", "FixedPoint"], swiftSettings: strictSettings),
        .testTarget(
            name: "KrakenWireFuzzingTests", dependencies: ["KrakenWireFuzzing", "SeededRandom"],
            exclude: ["Corpus", "Regressions", "kraken.dict"], swiftSettings: strictSettings),
        .testTarget(
            name: "KrakenSimulatorTests",
            dependencies: [
                "KrakenSimulator", "KrakenSimulatorServer", "KrakenCapture", "WebSocketTransport", "HTTPTransport", "KrakenWire", "OrderBook",
                "FixedPoint", "KrakenAuth", "KrakenREST", "TransportTLS",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "MarketFlowTests", dependencies: ["MarketFlow", "KrakenWire", "KrakenREST", "OrderBook", "FixedPoint", "WireFormat"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "KrakenFeedTests",
            dependencies: [
                "KrakenFeed", "BusPublishing", "MarketFlow", "KrakenSimulator", "KrakenSimulatorServer", "HTTPTransport", "WireFormat",
                "ZeroMQHub", "ZeroMQ", "OrderBook", "KrakenWire", "SessionLifecycle", "FixedPoint", "SeededRandom", "BridgeRuntime",
                "KrakenAuth", "KrakenREST", "KrakenRecorder", "KrakenCapture", "CaptureVerification", "WebSocketTransport", "BridgeMetrics",
                "FeedOutput",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"), .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            exclude: ["Golden"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "CaptureVerificationTests",
            dependencies: ["CaptureVerification", "KrakenCapture", "KrakenSimulator", "KrakenWire"],
            swiftSettings: strictSettings),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"], swiftSettings: strictSettings),
        .testTarget(
            name: "SessionLifecycleTests", dependencies: ["SessionLifecycle", "SeededRandom"], swiftSettings: strictSettings),
        .testTarget(name: "ZeroMQHubTests", dependencies: ["ZeroMQHub", "ZeroMQ"], swiftSettings: strictSettings),
        .testTarget(
            name: "PrivateFlowTests", dependencies: ["PrivateFlow", "KrakenWire", "KrakenREST", "FixedPoint", "WireFormat"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "WireFormatTests",
            dependencies: ["WireFormat", "SeededRandom", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: strictSettings),
    ]
)
