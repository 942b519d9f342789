// Entry point: the command line. Long-running commands trap SIGTERM and SIGINT themselves
// (TerminationSignals) when they start.
await KrakenBridgeCommand.runFromCommandLine()
