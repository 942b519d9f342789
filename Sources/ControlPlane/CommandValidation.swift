import WireFormat

/// Turns a decoded protobuf command into a validated `ControlCommand`, or the
/// INVALID_ARGUMENT (with `field` set) for the first argument at fault.
enum CommandValidation {
    static func command(from proto: KBControlRequest.OneOf_Command) throws(ControlError) -> ControlCommand {
        switch proto {
        case .subscribe(let c):
            .subscribe(try selection(channels: c.channels, symbols: c.symbols, depth: c.depth, interval: c.intervalMinutes, subscribing: true))
        case .unsubscribe(let c):
            .unsubscribe(try selection(channels: c.channels, symbols: c.symbols, depth: c.depth, interval: c.intervalMinutes, subscribing: false))
        case .addPair(let c): .addPair(symbol: try symbol(c.symbol))
        case .removePair(let c): .removePair(symbol: try symbol(c.symbol))
        case .listSubscriptions: .listSubscriptions
        case .diagnostics: .diagnostics
        case .health: .health
        case .snapshot(let c): .snapshot(prefix: try topicPrefix(c.topicPrefix))
        case .replay(let c):
            .replay(
                topic: try journaledTopic(c.topic), afterSequence: c.afterSequence,
                maxEvents: ArgumentRules.replayEvents(requested: c.maxEvents))
        case .config: .config
        }
    }

    /// Subscribe and unsubscribe share their fields and rules, checked in field order; only
    /// unsubscribing may leave the ohlc interval out (every interval of the pair).
    static func selection(channels: [String], symbols: [String], depth: UInt32, interval: UInt32, subscribing: Bool) throws(ControlError)
        -> ChannelSelection
    {
        let subscribable = SubscribableChannel.allCases.map(\.rawValue).joined(separator: ", ")
        guard !channels.isEmpty else {
            throw .invalidArgument("at least one channel is needed (\(subscribable))", field: "channels")
        }
        var selected: [SubscribableChannel] = []
        for name in channels {
            guard let channel = SubscribableChannel(rawValue: name) else {
                if name == "executions" || name == "balances" {
                    throw .invalidArgument(
                        "'\(name)' belongs to the private feed, which is always on; runtime channels are \(subscribable)",
                        field: "channels")
                }
                throw .invalidArgument("unknown channel '\(name)' (runtime channels are \(subscribable))", field: "channels")
            }
            if !selected.contains(channel) { selected.append(channel) }
        }
        guard !symbols.isEmpty else {
            throw .invalidArgument("at least one symbol is needed (a Kraken v2 pair like BTC/USD)", field: "symbols")
        }
        var pairs: [String] = []
        for name in symbols {
            guard ArgumentRules.isValidSymbol(name) else { throw invalidSymbol(name, field: "symbols") }
            if !pairs.contains(name) { pairs.append(name) }
        }
        guard depth == 0 || ArgumentRules.bookDepths.contains(depth) else {
            throw .invalidArgument(
                "depth \(depth) is not offered (0 for the configured default, or \(ArgumentRules.list(ArgumentRules.bookDepths)))",
                field: "depth")
        }
        if subscribing && selected.contains(.ohlc) && interval == 0 {
            throw .invalidArgument(
                "ohlc needs interval_minutes (\(ArgumentRules.list(ArgumentRules.ohlcIntervals)))", field: "interval_minutes")
        }
        guard interval == 0 || ArgumentRules.ohlcIntervals.contains(interval) else {
            throw .invalidArgument(
                "interval_minutes \(interval) is not offered (\(ArgumentRules.list(ArgumentRules.ohlcIntervals)))",
                field: "interval_minutes")
        }
        return ChannelSelection(
            channels: selected, symbols: pairs, depth: depth == 0 ? nil : depth, intervalMinutes: interval == 0 ? nil : interval)
    }

    static func symbol(_ name: String) throws(ControlError) -> String {
        guard ArgumentRules.isValidSymbol(name) else { throw invalidSymbol(name, field: "symbol") }
        return name
    }

    static func invalidSymbol(_ name: String, field: String) -> ControlError {
        if name.isEmpty { return .invalidArgument("a symbol is needed (a Kraken v2 pair like BTC/USD)", field: field) }
        return .invalidArgument(
            "'\(name)' is not a Kraken v2 pair name like BTC/USD (printable ASCII without ':' or spaces, with a '/')",
            field: field)
    }

    static func topicPrefix(_ prefix: String) throws(ControlError) -> String {
        guard ArgumentRules.isValidTopicPrefix(prefix) else {
            throw .invalidArgument(
                "topic_prefix must be printable ASCII without spaces, as topics are (empty for every topic)",
                field: "topic_prefix")
        }
        return prefix
    }

    static func journaledTopic(_ topic: String) throws(ControlError) -> JournaledTopic {
        guard let journaled = JournaledTopic(rawValue: topic) else {
            let topics = JournaledTopic.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidArgument("'\(topic)' is not a journaled topic (replayable: \(topics))", field: "topic")
        }
        return journaled
    }
}
