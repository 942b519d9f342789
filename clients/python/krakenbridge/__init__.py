"""KrakenBridge Python client: decode bus frames, track sequences, use the control socket."""
