import ArgumentParser
import Foundation
import KrakenFeed
import KrakenRecorder

/// Records a Kraken connection to a capture file (JSON lines, docs/capture.md).
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a Kraken WebSocket connection (every frame, with receive times) to a capture file.",
        discussion: """
            Connects like `run` (default wss://ws.kraken.com/v2, with --protocol v1 wss://ws.kraken.com/),
            fetches REST AssetPairs (v1 names; kept in the capture), subscribes the pairs' books, trades
            and optionally tickers and candles (over v2 also the instrument channel, whose precisions
            v2 books are verified at), and writes every frame sent and received, each with its receive
            time in Unix nanoseconds, as JSON lines (docs/capture.md). Stops at --duration, --max-frames
            or --max-bytes, whichever comes first. `krakenbridge verify CAPTURE` checks every book in it
            offline; `krakenbridge sim --replay CAPTURE` serves it to a bridge. Compress with
            `--output - | gzip`.

            With --private (and credentials as `run` takes them) it records the authenticated
            connection instead (default wss://ws-auth.kraken.com/v2): the private channels as the
            account feed subscribes them, and once their snapshots came, the OpenOrders and
            ClosedOrders answers. The token is written as REDACTED; the capture holds your orders,
            fills and balances, so keep it private.
            """)

    @Option(name: .customLong("protocol"), help: "Kraken WebSocket API version: v2 or v1.")
    var protocolName = ProtocolVersion.v2.rawValue

    @Option(name: .customLong("ws-url"), help: "WebSocket URL (default: Kraken's public endpoint of the version).")
    var wsURL: String?

    @Option(name: .customLong("rest-url"), help: "Kraken REST base URL (AssetPairs).")
    var restURL = "https://api.kraken.com"

    @OptionGroup var subscriptions: SubscriptionOptions

    @Flag(name: .customLong("private"), help: "Record the private channels (executions, balances / ownTrades, openOrders); needs credentials.")
    var recordsAccount = false

    @OptionGroup var account: CredentialOptions

    @Option(help: "Seconds to record.")
    var duration = 60.0

    @Option(help: "Stop after this many received frames.")
    var maxFrames: Int?

    @Option(help: "Stop once the capture holds this many bytes.")
    var maxBytes: Int?

    @Option(help: "PEM file of a CA to trust instead of the system roots (the simulator's ca.pem).")
    var caFile: String?

    @Option(name: .shortAndLong, help: "Capture file to write ('-': standard output).")
    var output: String

    func validate() throws {
        guard ProtocolVersion(rawValue: protocolName) != nil else { throw ValidationError("--protocol must be v2 or v1") }
        if let wsURL, FeedEndpoint(url: wsURL) == nil { throw ValidationError("--ws-url '\(wsURL)' is not ws:// or wss://") }
        guard RESTEndpoint(url: restURL) != nil else { throw ValidationError("--rest-url '\(restURL)' is not http(s)://host[:port]") }
        guard duration > 0 else { throw ValidationError("--duration must be positive") }
        if let maxFrames, maxFrames <= 0 { throw ValidationError("--max-frames must be positive") }
        if let maxBytes, maxBytes <= 0 { throw ValidationError("--max-bytes must be positive") }
        if recordsAccount, try account.credentials() == nil {
            throw ValidationError("--private needs --api-key-file and --api-secret-file (or KRAKEN_API_KEY and KRAKEN_API_SECRET)")
        }
    }

    func run() async throws {
        let version = ProtocolVersion(rawValue: protocolName) ?? .v2
        let plan = RecordingPlan(
            protocolVersion: version, endpoint: wsURL.flatMap(FeedEndpoint.init(url:)), rest: RESTEndpoint(url: restURL)!,
            symbols: subscriptions.symbols, bookDepth: subscriptions.bookDepth, trades: subscriptions.trades,
            tickers: subscriptions.tickers, ohlcIntervals: try subscriptions.intervals(), trustedCAFile: caFile,
            duration: .milliseconds(Int64(duration * 1_000)), maxFrames: maxFrames, maxBytes: maxBytes,
            credentials: recordsAccount ? try account.credentials() : nil)
        let handle: FileHandle
        if output == "-" {
            handle = FileHandle.standardOutput
        } else {
            guard FileManager.default.createFile(atPath: output, contents: nil) , let file = FileHandle(forWritingAtPath: output) else {
                throw ValidationError("cannot write \(output)")
            }
            handle = file
        }
        let summary: CaptureRecorder.Summary
        do {
            summary = try await CaptureRecorder.record(plan) { line in try handle.write(contentsOf: line) }
        } catch let error as RecordingError {
            printError("record: \(error)")
            throw ExitCode(1)
        }
        if output != "-" {
            // fsync is for files; on a pipe (`-o - | gzip`) it fails.
            try handle.synchronize()
            try handle.close()
        }
        printError("record: \(summary.framesReceived) frames received, \(summary.framesSent) sent, \(summary.bytes) bytes "
            + "from \(plan.endpoint) (stopped by \(summary.stoppedBy))")
    }
}
