// Entry point: signal handling first, then the command line.
TerminationSignal.install()
await KrakenBridgeCommand.runFromCommandLine()
