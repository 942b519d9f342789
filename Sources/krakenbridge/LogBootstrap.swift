import BridgeLogging
import Logging

/// The process's log handler for the commands that run a while (`run`: its `log.level` and
/// `log.format` settings); installed once, before anything logs.
enum LogBootstrap {
    static func bootstrap(level: String, format: String?) {
        let format = format.flatMap(LogFormat.init(rawValue:)) ?? .automatic(standardErrorIsTerminal: BridgeLogHandler.standardErrorIsTerminal)
        BridgeLogHandler.bootstrap(format: format, level: Logger.Level(rawValue: level) ?? .info)
    }
}
