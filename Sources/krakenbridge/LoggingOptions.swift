import ArgumentParser
import BridgeLogging
import Logging

/// `--log-level` and `--log-format` for the commands that run a while; `bootstrap()` installs
/// the process's log handler (once, before anything logs).
struct LoggingOptions: ParsableArguments {
    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    @Option(help: "Log lines as json or text (default: text on a terminal, json otherwise).")
    var logFormat: String?

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level '\(logLevel)': use trace, debug, info, notice, warning, error or critical")
        }
        if let logFormat, LogFormat(rawValue: logFormat) == nil {
            throw ValidationError("--log-format '\(logFormat)': use json or text")
        }
    }

    func bootstrap() {
        let format = logFormat.flatMap(LogFormat.init(rawValue:))
            ?? .automatic(standardErrorIsTerminal: BridgeLogHandler.standardErrorIsTerminal)
        BridgeLogHandler.bootstrap(format: format, level: Logger.Level(rawValue: logLevel) ?? .info)
    }
}
