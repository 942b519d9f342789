import BridgeRuntime
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// How a long-running command ends: SIGTERM or SIGINT shuts it down gracefully (its
/// `ServiceGroup`, or the bridge's); a second signal exits at once.
///
/// The signals are trapped (libdispatch signal sources, through swift-service-lifecycle's
/// `UnixSignalsSequence`) when the command starts, before it binds anything or prints its
/// endpoints, so a signal sent as soon as a test or an operator sees them is never the
/// default "terminate".
struct TerminationSignals: Sendable {
    private let signals: UnixSignalsSequence
    private let command: String
    private let report: @Sendable (String) -> Void

    /// `report` says what happens on each signal (default: a `command: …` line on stderr).
    static func trap(for command: String, report: (@Sendable (String) -> Void)? = nil) async -> TerminationSignals {
        TerminationSignals(
            signals: await UnixSignalsSequence(trapping: .sigterm, .sigint), command: command,
            report: report ?? { printError("\(command): \($0)") })
    }

    /// Runs `parts` as one `ServiceGroup` until they finish or a signal shuts them down (in the
    /// reverse of their order). A part that ends or fails shuts the others down too.
    func run(_ parts: [LifecyclePart]) async throws {
        var logger = Logger(label: "krakenbridge.\(command)") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: parts.map {
                .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)
            },
            logger: logger))
        try await run(until: { try await group.run() }, stop: { await group.triggerGracefulShutdown() })
    }

    /// Runs `until`; the first signal calls `stop` (once, without waiting for it), a second
    /// ends the process with 128 + the signal number.
    func run(until: @escaping @Sendable () async throws -> Void, stop: @escaping @Sendable () async -> Void) async throws {
        let signals = signals
        let report = report
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                await withDiscardingTaskGroup { stopping in
                    var received = 0
                    for await signal in signals {
                        received += 1
                        guard received == 1 else {
                            report("\(signal) again: exiting now")
                            exit(128 + signal.rawValue)
                        }
                        report("\(signal): shutting down (send it again to exit at once)")
                        stopping.addTask { await stop() }
                    }
                }
            }
            tasks.addTask { try await until() }
            // `until` returns (or throws) once everything has stopped; the watcher ends only
            // when cancelled.
            try await tasks.next()
            tasks.cancelAll()
        }
    }
}

/// Writes a line to standard output at once (a live view must not sit in a stdio buffer,
/// nor interleave half-lines with other processes writing to the same terminal or file).
func printLine(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
