import Testing
import WireFormat

@Suite("topics")
struct TopicTests {
    @Test("a book topic is channel, symbol and depth, each terminated by ':'")
    func bookTopicText() throws {
        #expect(try Topic.book("BTC/USD", depth: 10).description == "book:BTC/USD:10:")
        #expect(try Topic.ohlc("ETH/USD", intervalMinutes: 1).description == "ohlc:ETH/USD:1:")
        #expect(Topic.executions.description == "exec:")
        #expect(Topic.serviceHeartbeat.description == "hb:")
    }

    @Test("a subscription to BTC/USD never matches BTC/USDT")
    func terminatedPrefixIsExact() throws {
        let subscription = try Topic.trade("BTC/USD").bytes
        #expect(try Topic.trade("BTC/USD").matches(prefix: subscription))
        #expect(try !Topic.trade("BTC/USDT").matches(prefix: subscription))
        #expect(try Topic.book("BTC/USD", depth: 25).matches(prefix: Array("book:BTC/USD:".utf8)))
        #expect(try !Topic.book("BTC/USDT", depth: 25).matches(prefix: Array("book:BTC/USD:".utf8)))
    }

    @Test("symbols with dots, as Kraken has them, are fine")
    func dottedSymbol() throws {
        #expect(try Topic.trade("ETH2.S/ETH").components == ["trade", "ETH2.S/ETH"])
    }

    @Test("separators, spaces, control bytes and empty components are refused with their position")
    func invalidComponents() {
        #expect(throws: TopicError.invalidByte(offset: 9, byte: UInt8(ascii: ":"))) { try Topic.trade("BTC:USD") }
        #expect(throws: TopicError.invalidByte(offset: 9, byte: UInt8(ascii: " "))) { try Topic.trade("BTC USD") }
        #expect(throws: TopicError.emptyComponent(index: 1)) { try Topic.trade("") }
        #expect(throws: TopicError.empty) { try Topic([]) }
        #expect(throws: TopicError.invalidByte(offset: 6, byte: 0xC3)) { try Topic.trade("É") }
    }

    @Test("received topic bytes are validated: terminated, printable, no empty components")
    func validatesReceivedBytes() throws {
        #expect(try Topic(validating: Array("book:BTC/USD:10:".utf8)).components == ["book", "BTC/USD", "10"])
        #expect(throws: TopicError.notTerminated) { try Topic(validating: Array("book:BTC/USD".utf8)) }
        #expect(throws: TopicError.empty) { try Topic(validating: []) }
        #expect(throws: TopicError.emptyComponent(index: 1)) { try Topic(validating: Array("book::".utf8)) }
        #expect(throws: TopicError.invalidByte(offset: 2, byte: 0)) { try Topic(validating: [0x61, 0x62, 0, 0x3A]) }
    }

    @Test("a topic is the same key however it was made: built, received or fixed")
    func equalBytesAreOneKey() throws {
        let built = try Topic.trade("BTC/USD")
        let received = try Topic(validating: Array("trade:BTC/USD:".utf8))
        #expect(built == received && built.hashValue == received.hashValue)
        #expect(try Topic(validating: Array("exec:".utf8)) == Topic.executions)
        #expect(try Topic.trade("BTC/USDT") != built)
        #expect(try Topic.book("BTC/USD", depth: 10) != Topic.book("BTC/USD", depth: 100))
        let keys: Set<Topic> = [built, received, try Topic.ticker("BTC/USD"), Topic.executions]
        #expect(keys.count == 3)
    }
}
