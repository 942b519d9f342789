import ArgumentParser
import BusText
import Foundation
import SwiftProtobuf
import WireFormat
import ZeroMQ
import ZeroMQHub

/// Sends one request to a bridge's control socket and prints the reply (docs/control.md).
struct CtlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ctl",
        abstract: "Ask a running bridge: diagnostics, health, config, subscriptions, pairs, snapshots, replay.",
        discussion: """
            COMMAND is one of: diagnostics, health, config, list, add-pair SYMBOL, remove-pair SYMBOL,
            subscribe / unsubscribe (--channel, --symbol, --depth, --interval), snapshot [PREFIX],
            replay TOPIC (--after, --max), or raw JSON (a ControlRequest in protobuf JSON, e.g.
            '{"health":{}}'). The reply is printed as JSON; snapshot and replay frames follow one per
            line. Exits 1 on an error reply, 2 when the bridge does not answer in time.
            """)

    @Option(help: "The bridge's control endpoint.")
    var connect = "tcp://127.0.0.1:5557"

    @Argument(help: "The command, then its arguments.")
    var words: [String]

    @Option(name: .customLong("channel"), help: "Channel for subscribe/unsubscribe (book, trade, ticker, ohlc); repeatable.")
    var channels: [String] = []

    @Option(name: .customLong("symbol"), help: "Pair for subscribe/unsubscribe; repeatable.")
    var symbols: [String] = []

    @Option(help: "Book depth for subscribe (0: the bridge's default).")
    var depth: UInt32 = 0

    @Option(help: "Candle interval in minutes for subscribe/unsubscribe of ohlc.")
    var interval: UInt32 = 0

    @Option(help: "Replay: events after this sequence.")
    var after: UInt64 = 0

    @Option(help: "Replay: at most this many events (0: the bridge's default).")
    var max: UInt32 = 0

    @Flag(help: "Send binary protobuf instead of JSON.")
    var binary = false

    @Flag(help: "Print snapshot and replay frames as JSON objects.")
    var json = false

    @Option(help: "Milliseconds to wait for the reply.")
    var timeout: Int32 = 5_000

    @OptionGroup var curve: CurveClientOptions

    func run() throws {
        let body = try requestBody()
        let context = try ZMQContext()
        let socket = try ControlSocket.open(context: context, endpoint: connect, security: try curve.security(), timeoutMs: timeout)
        try socket.send(body)
        guard let reply = try socket.receiveMessage(), let first = reply.frames.first else {
            printError("ctl: no reply from \(connect) within \(timeout) ms")
            throw ExitCode(2)
        }
        let decoded = binary ? try KBControlReply(serializedBytes: first) : try KBControlReply(jsonUTF8Bytes: first)
        if case .config(let config) = decoded.result {
            printLine(config.json)
        } else {
            // Protobuf JSON's camelCase names, as docs/control.md shows replies.
            printLine(try decoded.jsonString())
        }
        for start in stride(from: 1, to: reply.frames.count - 2, by: 3) {
            let triple = Array(reply.frames[start..<start + 3])
            // The snapshot's end marker carries the requested prefix as its topic, which may be empty.
            if let header = try? FrameHeader(parsing: triple[1]), header.messageType == UInt16(KBMessageType.snapshotEnd.rawValue) {
                let end = try KBSnapshotEnd(serializedBytes: triple[2])
                printLine("end of snapshot '\(end.prefix)': \(end.topicCount) topics")
                continue
            }
            let frame = try BusFrame(frames: triple)
            printLine(json ? FrameFormatter.json(frame) : FrameFormatter.line(frame))
        }
        if case .error = decoded.result { throw ExitCode(1) }
    }

    /// The request in the chosen encoding.
    private func requestBody() throws -> [UInt8] {
        guard let verb = words.first else { throw ValidationError("give a command (see --help)") }
        let arguments = Array(words.dropFirst())
        var request = KBControlRequest()
        request.id = UInt64(UnixTime.nanoseconds() & 0xFFFF_FFFF)
        func single(_ name: String) throws -> String {
            guard arguments.count == 1 else { throw ValidationError("\(verb) takes one \(name)") }
            return arguments[0]
        }
        switch verb {
        case "diagnostics": request.diagnostics = KBDiagnosticsCommand()
        case "health": request.health = KBHealthCommand()
        case "config": request.config = KBConfigCommand()
        case "list": request.listSubscriptions = KBListSubscriptionsCommand()
        case "add-pair": request.addPair.symbol = try single("SYMBOL")
        case "remove-pair": request.removePair.symbol = try single("SYMBOL")
        case "subscribe":
            request.subscribe = KBSubscribeCommand.with {
                $0.channels = channels; $0.symbols = symbols; $0.depth = depth; $0.intervalMinutes = interval
            }
        case "unsubscribe":
            request.unsubscribe = KBUnsubscribeCommand.with {
                $0.channels = channels; $0.symbols = symbols; $0.depth = depth; $0.intervalMinutes = interval
            }
        case "snapshot": request.snapshot.topicPrefix = arguments.first ?? ""
        case "replay":
            request.replay = KBReplayCommand.with { $0.topic = (try? single("TOPIC")) ?? ""; $0.afterSequence = after; $0.maxEvents = max }
        default:
            guard verb.hasPrefix("{") else { throw ValidationError("unknown command '\(verb)' (see --help)") }
            return binary ? try KBControlRequest(jsonString: verb).serializedBytes() : Array(verb.utf8)
        }
        return binary ? try request.serializedBytes() : Array(try request.jsonString().utf8)
    }
}
