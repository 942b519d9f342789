import ArgumentParser
import BusText
import Foundation
import SwiftProtobuf
import WireFormat
import ZeroMQ
import ZeroMQHub

#if canImport(Glibc)
import Glibc
#endif

/// A live view of a running bridge from its control socket, redrawn every second: connections
/// and their states, per-channel rates, latency, gaps, resets, drops, breakers, the journal.
struct TopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "A live view of a running bridge (control socket): connections, rates, latency, integrity, journal.",
        discussion: "q (or Ctrl-C) quits. A bridge that does not answer is shown as unreachable and asked again every second.")

    @Option(help: "The bridge's control endpoint.")
    var connect = "tcp://127.0.0.1:5557"

    @Option(help: "Milliseconds between refreshes.")
    var intervalMs: Int32 = 1_000

    @Flag(help: "No colours.")
    var noColour = false

    @OptionGroup var curve: CurveClientOptions

    func run() throws {
        let context = try ZMQContext()
        let security = try curve.security()
        var client = try ControlRequester(context: context, endpoint: connect, security: security, timeoutMs: max(intervalMs, 500))
        let terminal = TerminalMode()
        defer { terminal.restore() }
        let interactive = isatty(STDOUT_FILENO) == 1
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        while true {
            let reading: DashboardScreen.Reading
            do {
                reading = .report(try client.diagnostics(), try client.health())
            } catch {
                reading = .unreachable("\(error)")
                client = try ControlRequester(context: context, endpoint: connect, security: security, timeoutMs: max(intervalMs, 500))
            }
            let size = terminal.size
            let screen = DashboardScreen(endpoint: connect, clock: formatter.string(from: Date()), width: size.columns, height: size.rows - 1,
                                         colour: interactive && !noColour)
            let lines = screen.render(reading)
            // Home, then each line with the rest of it cleared, then everything below cleared.
            var output = interactive ? "\u{1B}[H" : ""
            for line in lines { output += line + (interactive ? "\u{1B}[K\r\n" : "\n") }
            if interactive { output += "\u{1B}[J" }
            FileHandle.standardOutput.write(Data(output.utf8))
            if terminal.waitForQuit(milliseconds: intervalMs) { return }
        }
    }
}

/// One REQ socket to the control endpoint; a request that gets no reply in time leaves a REQ
/// socket unusable, so the caller makes a new one.
private struct ControlRequester {
    private let socket: ZMQSocket
    private let timeoutMs: Int32

    struct NoReply: Error, CustomStringConvertible {
        var description: String
    }

    init(context: ZMQContext, endpoint: String, security: CurveSecurity?, timeoutMs: Int32) throws {
        socket = try ControlSocket.open(context: context, endpoint: endpoint, security: security, timeoutMs: timeoutMs)
        self.timeoutMs = timeoutMs
    }

    func diagnostics() throws -> KBDiagnostics {
        guard case .diagnostics(let diagnostics) = try ask(KBControlRequest.with { $0.diagnostics = KBDiagnosticsCommand() }).result else {
            throw NoReply(description: "the reply to diagnostics was not diagnostics")
        }
        return diagnostics
    }

    func health() throws -> KBHealth {
        guard case .health(let health) = try ask(KBControlRequest.with { $0.health = KBHealthCommand() }).result else {
            throw NoReply(description: "the reply to health was not health")
        }
        return health
    }

    private func ask(_ request: KBControlRequest) throws -> KBControlReply {
        _ = try socket.send(try request.serializedBytes() as [UInt8])
        guard let reply = try socket.receiveMessage(), let body = reply.frames.first else {
            throw NoReply(description: "no reply within \(timeoutMs) ms")
        }
        return try KBControlReply(serializedBytes: body)
    }
}

/// The terminal while `top` runs: keys read one at a time without echo (Ctrl-C as a key, so
/// the terminal is always restored), the alternate screen, no cursor. Nothing changes when
/// standard input or output is not a terminal.
private final class TerminalMode {
    private var saved = termios()
    private let active: Bool
    /// Standard input reached its end (not a terminal): only the interval is waited for.
    private var inputEnded = false

    init() {
        active = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 && tcgetattr(STDIN_FILENO, &saved) == 0
        guard active else { return }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG)
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        FileHandle.standardOutput.write(Data("\u{1B}[?1049h\u{1B}[?25l\u{1B}[2J".utf8))
    }

    func restore() {
        guard active else { return }
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &saved)
        FileHandle.standardOutput.write(Data("\u{1B}[?25h\u{1B}[?1049l".utf8))
    }

    var size: (columns: Int, rows: Int) {
        var window = winsize()
        guard active, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0, window.ws_row > 0 else { return (80, 24) }
        return (Int(window.ws_col), Int(window.ws_row))
    }

    /// Waits up to `milliseconds` for a key; true when it was q, Q or Ctrl-C, or the terminal
    /// went away.
    func waitForQuit(milliseconds: Int32) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(milliseconds)
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { return false }
            let timeout = max(Int32(remaining.components.seconds * 1_000 + remaining.components.attoseconds / 1_000_000_000_000_000), 1)
            if inputEnded {
                _ = poll(nil, 0, timeout)
                continue
            }
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, timeout) > 0 else { continue }
            var byte: UInt8 = 0
            guard read(STDIN_FILENO, &byte, 1) > 0 else {
                if active { return true }
                inputEnded = true
                continue
            }
            if byte == UInt8(ascii: "q") || byte == UInt8(ascii: "Q") || byte == 3 { return true }
        }
    }
}
