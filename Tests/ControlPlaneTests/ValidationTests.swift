import ControlPlane
import Testing
import WireFormat

/// A request that must be refused as INVALID_ARGUMENT naming `field`.
struct InvalidCase: Sendable, CustomTestStringConvertible {
    let json: String
    let field: String
    /// A phrase the message must contain.
    let says: String

    var testDescription: String { json }
}

let invalidRequests: [InvalidCase] = [
    InvalidCase(json: #"{"subscribe":{"symbols":["BTC/USD"]}}"#, field: "channels", says: "at least one channel"),
    InvalidCase(
        json: #"{"subscribe":{"channels":["executions"],"symbols":["BTC/USD"]}}"#, field: "channels", says: "private feed"),
    InvalidCase(
        json: #"{"subscribe":{"channels":["balances"],"symbols":["BTC/USD"]}}"#, field: "channels", says: "private feed"),
    InvalidCase(
        json: #"{"subscribe":{"channels":["book","spread"],"symbols":["BTC/USD"]}}"#, field: "channels",
        says: "unknown channel 'spread'"),
    InvalidCase(json: #"{"subscribe":{"channels":["Book"],"symbols":["BTC/USD"]}}"#, field: "channels", says: "unknown channel"),
    InvalidCase(json: #"{"subscribe":{"channels":["trade"]}}"#, field: "symbols", says: "at least one symbol"),
    InvalidCase(json: #"{"subscribe":{"channels":["trade"],"symbols":["BTCUSD"]}}"#, field: "symbols", says: "'BTCUSD'"),
    InvalidCase(json: #"{"subscribe":{"channels":["trade"],"symbols":["BTC/USD:"]}}"#, field: "symbols", says: "'BTC/USD:'"),
    InvalidCase(json: #"{"subscribe":{"channels":["trade"],"symbols":["BTC /USD"]}}"#, field: "symbols", says: "Kraken v2"),
    InvalidCase(json: #"{"subscribe":{"channels":["trade"],"symbols":["/USD"]}}"#, field: "symbols", says: "Kraken v2"),
    InvalidCase(json: #"{"subscribe":{"channels":["trade"],"symbols":["BTC/"]}}"#, field: "symbols", says: "Kraken v2"),
    InvalidCase(json: #"{"subscribe":{"channels":["trade"],"symbols":["BTC/€"]}}"#, field: "symbols", says: "Kraken v2"),
    InvalidCase(json: #"{"subscribe":{"channels":["trade"],"symbols":["BTC/USD",""]}}"#, field: "symbols", says: "is needed"),
    InvalidCase(
        json: #"{"subscribe":{"channels":["book"],"symbols":["BTC/USD"],"depth":20}}"#, field: "depth", says: "depth 20"),
    InvalidCase(
        json: #"{"subscribe":{"channels":["ohlc"],"symbols":["BTC/USD"]}}"#, field: "interval_minutes", says: "ohlc needs"),
    InvalidCase(
        json: #"{"subscribe":{"channels":["ohlc"],"symbols":["BTC/USD"],"intervalMinutes":2}}"#, field: "interval_minutes",
        says: "interval_minutes 2"),
    InvalidCase(json: #"{"unsubscribe":{"channels":[],"symbols":["BTC/USD"]}}"#, field: "channels", says: "at least one channel"),
    InvalidCase(
        json: #"{"unsubscribe":{"channels":["executions"],"symbols":["BTC/USD"]}}"#, field: "channels", says: "private feed"),
    InvalidCase(json: #"{"unsubscribe":{"channels":["ticker"],"symbols":[]}}"#, field: "symbols", says: "at least one symbol"),
    InvalidCase(
        json: #"{"unsubscribe":{"channels":["book"],"symbols":["BTC/USD"],"depth":7}}"#, field: "depth", says: "depth 7"),
    InvalidCase(json: #"{"addPair":{}}"#, field: "symbol", says: "a symbol is needed"),
    InvalidCase(json: #"{"addPair":{"symbol":"DOGEUSD"}}"#, field: "symbol", says: "'DOGEUSD'"),
    InvalidCase(json: #"{"removePair":{"symbol":"ETH:USD"}}"#, field: "symbol", says: "'ETH:USD'"),
    InvalidCase(json: #"{"removePair":{}}"#, field: "symbol", says: "a symbol is needed"),
    InvalidCase(json: #"{"snapshot":{"topicPrefix":"book: BTC"}}"#, field: "topic_prefix", says: "printable ASCII"),
    InvalidCase(json: #"{"snapshot":{"topicPrefix":"book:\u0007"}}"#, field: "topic_prefix", says: "printable ASCII"),
    InvalidCase(json: #"{"snapshot":{"topicPrefix":"trade:BTC/€"}}"#, field: "topic_prefix", says: "printable ASCII"),
    InvalidCase(json: #"{"replay":{"topic":"trade:BTC/USD:"}}"#, field: "topic", says: "exec:, fill:, balance:"),
    InvalidCase(json: #"{"replay":{"topic":"exec"}}"#, field: "topic", says: "'exec'"),
    InvalidCase(json: #"{"replay":{}}"#, field: "topic", says: "not a journaled topic"),
]

@Suite("validating arguments")
struct ValidationTests {
    @Test("each invalid argument is INVALID_ARGUMENT naming its field, with the id echoed", arguments: invalidRequests)
    func invalidArgument(_ invalid: InvalidCase) throws {
        let body = "{\"id\":\"42\"," + invalid.json.dropFirst()
        let failure = try #require(throws: ControlFailure.self) {
            try ControlRequestDecoder().decode(bodyFrames: jsonFrames(body))
        }
        #expect(failure.code == .invalidArgument)
        #expect(failure.field == invalid.field)
        #expect(failure.message.contains(invalid.says), "\(failure.message)")
        #expect(failure.id == 42)
        #expect(failure.encoding == .json)
    }

    @Test("the same rules hold for binary requests")
    func binaryRequestsValidated() throws {
        var subscribe = KBSubscribeCommand()
        subscribe.channels = ["ohlc"]
        subscribe.symbols = ["BTC/USD"]
        let failure = try #require(throws: ControlFailure.self) {
            try ControlRequestDecoder().decode(bodyFrames: try binaryFrames(request(id: 3, .subscribe(subscribe))))
        }
        #expect(failure.error == ControlError(code: .invalidArgument, message: failure.message, field: "interval_minutes"))
        #expect(failure.id == 3)
        #expect(failure.encoding == .binary)
    }

    @Test("every offered depth and interval is accepted", arguments: zip(ArgumentRules.bookDepths, ArgumentRules.ohlcIntervals))
    func offeredValues(depth: UInt32, interval: UInt32) throws {
        let decoded = try ControlRequestDecoder().decode(
            bodyFrames: jsonFrames(
                #"{"subscribe":{"channels":["book","ohlc"],"symbols":["BTC/USD"],"depth":\#(depth),"intervalMinutes":\#(interval)}}"#
            ))
        #expect(
            decoded.command
                == .subscribe(ChannelSelection(channels: [.book, .ohlc], symbols: ["BTC/USD"], depth: depth, intervalMinutes: interval)))
    }

    @Test("symbol rules")
    func symbolRules() {
        #expect(ArgumentRules.isValidSymbol("BTC/USD"))
        #expect(ArgumentRules.isValidSymbol("ETH2.S/ETH"))
        #expect(!ArgumentRules.isValidSymbol(""))
        #expect(!ArgumentRules.isValidSymbol("BTCUSD"))
        #expect(!ArgumentRules.isValidSymbol("BTC:USD/X"))
        #expect(!ArgumentRules.isValidSymbol("BTC/USD\n"))
    }
}

@Suite struct UnsubscribeIntervalTests {
    @Test func unsubscribingOhlcWithoutAnIntervalMeansEveryInterval() throws {
        let request = try ControlRequestDecoder().decode(bodyFrames: [Array(#"{"unsubscribe":{"channels":["ohlc"],"symbols":["BTC/USD"]}}"#.utf8)])
        #expect(request.command == .unsubscribe(ChannelSelection(channels: [.ohlc], symbols: ["BTC/USD"])))
    }
}
