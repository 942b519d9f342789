/// A validated control command: what a `ControlRequest`'s `command` oneof asked for, with
/// every argument checked (see `ControlRequestDecoder`) and defaults resolved.
public enum ControlCommand: Sendable, Hashable {
    case subscribe(ChannelSelection)
    case unsubscribe(ChannelSelection)
    /// Adds a pair with the configured default channels.
    case addPair(symbol: String)
    case removePair(symbol: String)
    case listSubscriptions
    case diagnostics
    case health
    /// The current state of every topic starting with `prefix` (printable ASCII; empty = all).
    case snapshot(prefix: String)
    /// Journaled events of `topic` with a sequence greater than `afterSequence`, at most
    /// `maxEvents` (already defaulted and capped: 1...10,000).
    case replay(topic: JournaledTopic, afterSequence: UInt64, maxEvents: Int)
    case config

    /// The command without its arguments: for counters, permissions and messages.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        // Raw values are the proto field names of the `command` oneof.
        case subscribe
        case unsubscribe
        case addPair = "add_pair"
        case removePair = "remove_pair"
        case listSubscriptions = "list_subscriptions"
        case diagnostics
        case health
        case snapshot
        case replay
        case config

        /// Whether the command changes what the bridge does (needs an operator key when secured).
        public var isMutating: Bool {
            switch self {
            case .subscribe, .unsubscribe, .addPair, .removePair: true
            case .listSubscriptions, .diagnostics, .health, .snapshot, .replay, .config: false
            }
        }
    }

    public var kind: Kind {
        switch self {
        case .subscribe: .subscribe
        case .unsubscribe: .unsubscribe
        case .addPair: .addPair
        case .removePair: .removePair
        case .listSubscriptions: .listSubscriptions
        case .diagnostics: .diagnostics
        case .health: .health
        case .snapshot: .snapshot
        case .replay: .replay
        case .config: .config
        }
    }
}

/// A decoded, validated request: what a handler is asked, and how to answer.
public struct ControlRequest: Sendable, Hashable {
    /// Echoed in the reply.
    public var id: UInt64
    public var command: ControlCommand
    public var encoding: ControlEncoding

    public init(id: UInt64, command: ControlCommand, encoding: ControlEncoding) {
        self.id = id
        self.command = command
        self.encoding = encoding
    }
}
