import KrakenWire

/// Parses `text` as one v2 frame.
func parseV2(_ text: String) throws(WireError) -> V2Message {
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBytes { raw in
        Result { () throws(WireError) -> V2Message in try V2Message(frame: raw) }
    }.get()
}

/// Parses `text` as one v1 frame.
func parseV1(_ text: String) throws(WireError) -> V1Message {
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBytes { raw in
        Result { () throws(WireError) -> V1Message in try V1Message(frame: raw) }
    }.get()
}
