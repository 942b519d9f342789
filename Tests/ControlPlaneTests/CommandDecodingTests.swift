import ControlPlane
import Testing
import WireFormat

/// One command written three ways: binary protobuf, JSON with lowerCamelCase names and JSON
/// with the proto's snake_case names.
struct CommandCase: Sendable, CustomTestStringConvertible {
    let name: String
    let proto: KBControlRequest.OneOf_Command
    let camelJSON: String
    let snakeJSON: String
    let expected: ControlCommand

    var testDescription: String { name }
}

let everyCommand: [CommandCase] = {
    var subscribe = KBSubscribeCommand()
    subscribe.channels = ["book", "ohlc", "trade"]
    subscribe.symbols = ["BTC/USD", "ETH2.S/ETH"]
    subscribe.depth = 25
    subscribe.intervalMinutes = 5
    var unsubscribe = KBUnsubscribeCommand()
    unsubscribe.channels = ["ticker"]
    unsubscribe.symbols = ["XBT/EUR"]
    var addPair = KBAddPairCommand()
    addPair.symbol = "DOGE/USD"
    var removePair = KBRemovePairCommand()
    removePair.symbol = "SOL/USD"
    var snapshot = KBSnapshotCommand()
    snapshot.topicPrefix = "book:BTC/USD:"
    var replay = KBReplayCommand()
    replay.topic = "exec:"
    replay.afterSequence = 41
    replay.maxEvents = 500
    let selection = ChannelSelection(
        channels: [.book, .ohlc, .trade], symbols: ["BTC/USD", "ETH2.S/ETH"], depth: 25, intervalMinutes: 5)
    return [
        CommandCase(
            name: "subscribe", proto: .subscribe(subscribe),
            camelJSON: #"{"subscribe":{"channels":["book","ohlc","trade"],"symbols":["BTC/USD","ETH2.S/ETH"],"depth":25,"intervalMinutes":5}}"#,
            snakeJSON: #"{"subscribe":{"channels":["book","ohlc","trade"],"symbols":["BTC/USD","ETH2.S/ETH"],"depth":25,"interval_minutes":5}}"#,
            expected: .subscribe(selection)),
        CommandCase(
            name: "unsubscribe", proto: .unsubscribe(unsubscribe),
            camelJSON: #"{"unsubscribe":{"channels":["ticker"],"symbols":["XBT/EUR"]}}"#,
            snakeJSON: #"{"unsubscribe":{"channels":["ticker"],"symbols":["XBT/EUR"],"depth":0,"interval_minutes":0}}"#,
            expected: .unsubscribe(ChannelSelection(channels: [.ticker], symbols: ["XBT/EUR"]))),
        CommandCase(
            name: "add_pair", proto: .addPair(addPair),
            camelJSON: #"{"addPair":{"symbol":"DOGE/USD"}}"#, snakeJSON: #"{"add_pair":{"symbol":"DOGE/USD"}}"#,
            expected: .addPair(symbol: "DOGE/USD")),
        CommandCase(
            name: "remove_pair", proto: .removePair(removePair),
            camelJSON: #"{"removePair":{"symbol":"SOL/USD"}}"#, snakeJSON: #"{"remove_pair":{"symbol":"SOL/USD"}}"#,
            expected: .removePair(symbol: "SOL/USD")),
        CommandCase(
            name: "list_subscriptions", proto: .listSubscriptions(KBListSubscriptionsCommand()),
            camelJSON: #"{"listSubscriptions":{}}"#, snakeJSON: #"{"list_subscriptions":{}}"#, expected: .listSubscriptions),
        CommandCase(
            name: "diagnostics", proto: .diagnostics(KBDiagnosticsCommand()),
            camelJSON: #"{"diagnostics":{}}"#, snakeJSON: #"{ "diagnostics" : { } }"#, expected: .diagnostics),
        CommandCase(
            name: "health", proto: .health(KBHealthCommand()),
            camelJSON: #"{"health":{}}"#, snakeJSON: "\n  {\"health\": {}}\n", expected: .health),
        CommandCase(
            name: "snapshot", proto: .snapshot(snapshot),
            camelJSON: #"{"snapshot":{"topicPrefix":"book:BTC/USD:"}}"#,
            snakeJSON: #"{"snapshot":{"topic_prefix":"book:BTC/USD:"}}"#, expected: .snapshot(prefix: "book:BTC/USD:")),
        CommandCase(
            name: "replay", proto: .replay(replay),
            camelJSON: #"{"replay":{"topic":"exec:","afterSequence":"41","maxEvents":500}}"#,
            snakeJSON: #"{"replay":{"topic":"exec:","after_sequence":41,"max_events":500}}"#,
            expected: .replay(topic: .executions, afterSequence: 41, maxEvents: 500)),
        CommandCase(
            name: "config", proto: .config(KBConfigCommand()),
            camelJSON: #"{"config":{}}"#, snakeJSON: #"{"config":{}}"#, expected: .config),
    ]
}()

@Suite("decoding commands")
struct CommandDecodingTests {
    let decoder = ControlRequestDecoder()

    @Test("every command decodes from binary protobuf", arguments: everyCommand)
    func binary(_ command: CommandCase) throws {
        let decoded = try decoder.decode(bodyFrames: try binaryFrames(request(id: 11, command.proto)))
        #expect(decoded == ControlRequest(id: 11, command: command.expected, encoding: .binary))
    }

    @Test("every command decodes from JSON with lowerCamelCase field names", arguments: everyCommand)
    func camelCaseJSON(_ command: CommandCase) throws {
        let decoded = try decoder.decode(bodyFrames: jsonFrames(command.camelJSON))
        #expect(decoded == ControlRequest(id: 0, command: command.expected, encoding: .json))
    }

    @Test("every command decodes from JSON with snake_case field names", arguments: everyCommand)
    func snakeCaseJSON(_ command: CommandCase) throws {
        let decoded = try decoder.decode(bodyFrames: jsonFrames(command.snakeJSON))
        #expect(decoded == ControlRequest(id: 0, command: command.expected, encoding: .json))
    }

    @Test("the id is read from JSON as a string or a number, up to UInt64.max")
    func jsonIDs() throws {
        #expect(try decoder.decode(bodyFrames: jsonFrames(#"{"id":"18446744073709551615","health":{}}"#)).id == .max)
        #expect(try decoder.decode(bodyFrames: jsonFrames(#"{"id":12,"health":{}}"#)).id == 12)
    }

    @Test("a command's kind and whether it mutates")
    func kinds() {
        let mutating = ControlCommand.Kind.allCases.filter(\.isMutating)
        #expect(mutating == [.subscribe, .unsubscribe, .addPair, .removePair])
        #expect(everyCommand.map(\.expected.kind.rawValue) == everyCommand.map(\.name))
    }

    @Test("repeated channels and symbols are kept once, in request order")
    func duplicatesKeptOnce() throws {
        let decoded = try decoder.decode(
            bodyFrames: jsonFrames(#"{"subscribe":{"channels":["trade","book","trade"],"symbols":["ETH/USD","BTC/USD","ETH/USD"]}}"#))
        #expect(decoded.command == .subscribe(ChannelSelection(channels: [.trade, .book], symbols: ["ETH/USD", "BTC/USD"])))
    }

    @Test("an empty snapshot prefix selects every topic")
    func emptySnapshotPrefix() throws {
        #expect(try decoder.decode(bodyFrames: jsonFrames(#"{"snapshot":{}}"#)).command == .snapshot(prefix: ""))
    }

    @Test("an interval without ohlc is kept; depth 0 means the configured default")
    func optionalArguments() throws {
        let decoded = try decoder.decode(
            bodyFrames: jsonFrames(#"{"subscribe":{"channels":["book"],"symbols":["BTC/USD"],"depth":0,"intervalMinutes":60}}"#))
        #expect(decoded.command == .subscribe(ChannelSelection(channels: [.book], symbols: ["BTC/USD"], depth: nil, intervalMinutes: 60)))
    }
}

@Suite("replay limits")
struct ReplayLimitTests {
    @Test(
        "max_events 0 means 1,000 and anything above 10,000 is capped at 10,000",
        arguments: [(0, 1_000), (1, 1), (500, 500), (10_000, 10_000), (10_001, 10_000), (UInt32.max, 10_000)] as [(UInt32, Int)])
    func caps(requested: UInt32, granted: Int) throws {
        var replay = KBReplayCommand()
        replay.topic = "fill:"
        replay.afterSequence = 7
        replay.maxEvents = requested
        let decoded = try ControlRequestDecoder().decode(bodyFrames: try binaryFrames(request(.replay(replay))))
        #expect(decoded.command == .replay(topic: .fills, afterSequence: 7, maxEvents: granted))
    }

    @Test("each journaled topic can be replayed", arguments: JournaledTopic.allCases)
    func journaledTopics(_ topic: JournaledTopic) throws {
        let decoded = try ControlRequestDecoder().decode(bodyFrames: jsonFrames(#"{"replay":{"topic":"\#(topic.rawValue)"}}"#))
        #expect(decoded.command == .replay(topic: topic, afterSequence: 0, maxEvents: 1_000))
    }
}
