import ArgumentParser

/// The `krakenbridge` executable.
struct KrakenBridgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "krakenbridge",
        abstract: "Kraken WebSocket → exact books → versioned frames on ZeroMQ.",
        version: Version.line,
        subcommands: [
            RunCommand.self, RecordCommand.self, VerifyCommand.self, SimCommand.self, CtlCommand.self, TopCommand.self, TapCommand.self,
            SynthCommand.self, KeygenCommand.self,
        ])

    /// Parses the command line and runs the chosen command, as `AsyncParsableCommand.main`
    /// does; main.swift calls it after setting up signal handling.
    static func runFromCommandLine() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
