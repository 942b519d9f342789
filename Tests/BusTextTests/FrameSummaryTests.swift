import BusText
import Testing
import WireFormat

/// What `tap` prints for each payload: readable, every decimal with exactly its digits (never
/// protobuf text with mantissas and scales).
@Suite("tap's one-line summaries")
struct FrameSummaryTests {
    @Test("a balance shows its asset, exact amounts, wallets and the ledger entry that moved it")
    func balance() {
        var balance = KBBalance()
        balance.asset = "BTC"
        balance.balance = KBDecimal(mantissa: 150_000_000, scale: 8)
        var spot = KBWalletBalance()
        spot.type = "spot"
        spot.id = "main"
        spot.balance = KBDecimal(mantissa: 150_000_000, scale: 8)
        balance.wallets = [spot]
        balance.ledgerID = "L4UESK-KG3EQ-UFO4T5"
        balance.ledgerType = "trade"
        balance.amount = KBDecimal(mantissa: -2_500, scale: 8)
        balance.fee = KBDecimal(mantissa: 0, scale: 8)
        #expect(FrameFormatter.summary(.balance(balance))
            == "BTC 1.50000000 [spot:main=1.50000000] trade -0.00002500 fee 0.00000000 ledger L4UESK-KG3EQ-UFO4T5")
    }

    @Test("a book reset names the symbol, generations, reason and both checksums")
    func bookReset() {
        var reset = KBBookReset()
        reset.symbol = "BTC/USD"
        reset.depth = 10
        reset.previousGeneration = 3
        reset.generation = 4
        reset.reason = .checksumMismatch
        reset.expectedChecksum = 3_310_070_434
        reset.computedChecksum = 12
        reset.detail = "update 18"
        #expect(FrameFormatter.summary(.bookReset(reset))
            == "reset BTC/USD depth 10 gen 3 → 4 checksumMismatch crc expected 3310070434 computed 12: update 18")
    }

    @Test("a gap names the stream, its kind and the sequences")
    func gap() {
        var gap = KBGap()
        gap.stream = "executions"
        gap.kind = .sequenceSkipped
        gap.expected = 31
        gap.received = 33
        #expect(FrameFormatter.summary(.gap(gap)) == "gap on executions: sequenceSkipped expected 31 received 33")
    }

    @Test("a candle keeps every price's digits")
    func ohlc() {
        var candle = KBOhlc()
        candle.symbol = "BTC/USD"
        candle.intervalMinutes = 5
        candle.intervalBeginNs = 1_700_000_100_000_000_000
        candle.open = KBDecimal(mantissa: 3_455_010, scale: 1)
        candle.high = KBDecimal(mantissa: 3_455_200, scale: 1)
        candle.low = KBDecimal(mantissa: 3_454_900, scale: 1)
        candle.close = KBDecimal(mantissa: 3_455_000, scale: 1)
        candle.vwap = KBDecimal(mantissa: 345_503_217, scale: 4)
        candle.volume = KBDecimal(mantissa: 1_250_000, scale: 8)
        candle.trades = 7
        #expect(FrameFormatter.summary(.ohlc(candle))
            == "5m from 22:15:00.000000 O 345501.0 H 345520.0 L 345490.0 C 345500.0 vwap 34550.3217 vol 0.01250000 trades 7")
    }

    @Test("a connection change shows both states and why")
    func connectionStatus() {
        var status = KBConnectionStatus()
        status.feed = "private"
        status.endpoint = "wss://ws-auth.kraken.com/v2"
        status.previousState = .active
        status.state = .reconnecting
        status.attempt = 1
        status.detail = "ping unanswered"
        #expect(FrameFormatter.summary(.connectionStatus(status))
            == "private active → reconnecting wss://ws-auth.kraken.com/v2 attempt 1: ping unanswered")
    }
}

@Suite("tap --json")
struct FrameJSONTests {
    @Test("a frame is one JSON object: header fields and the payload, all keys in camelCase")
    func headerAndPayloadInCamelCase() throws {
        var gap = KBGap()
        gap.stream = "executions"
        gap.kind = .duplicate
        gap.expected = 5
        gap.received = 4
        let header = FrameHeader(messageType: UInt16(KBMessageType.gap.rawValue), publisherEpoch: 9, sequence: 3,
                                 exchangeTimestampNs: 1, receiveTimestampNs: 2, publishTimestampNs: 4)
        let frame = try BusFrame(topic: Topic.executions, header: header, message: gap)
        #expect(FrameFormatter.json(frame) == #"{"topic":"exec:","type":"gap","sequence":3,"epoch":9,"flags":0,"#
            + #""exchangeTsNs":1,"receiveTsNs":2,"publishTsNs":4,"payload":{"stream":"executions","kind":"GAP_KIND_DUPLICATE","expected":"5","received":"4"}}"#)
    }
}
