import ArgumentParser

/// The `krakenbridge` executable.
@main
struct KrakenBridgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "krakenbridge",
        abstract: "Kraken WebSocket → exact books → versioned frames on ZeroMQ.",
        subcommands: [TapCommand.self, SynthCommand.self, KeygenCommand.self])
}
