"""Generated protobuf modules of the KrakenBridge wire contract, major version 1."""
