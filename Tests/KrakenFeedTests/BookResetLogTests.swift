@testable import KrakenFeed
import MarketFlow
import Testing
import WireFormat

@Suite("the log line of a book reset")
struct BookResetLogTests {
    static func reset(expected: UInt32, computed: UInt32, detail: String) -> KBBookReset {
        var reset = KBBookReset()
        reset.symbol = "MATIC/USD"
        reset.expectedChecksum = expected
        reset.computedChecksum = computed
        reset.detail = detail
        return reset
    }

    @Test("a checksum mismatch names both checksums")
    func mismatch() {
        let reset = Self.reset(expected: 2_355_189_012, computed: 17, detail: "checksum mismatch")
        let line = MarketSession.resetLogLine(.checksumMismatch(reset), reset, symbol: "MATIC/USD")
        #expect(line.kind == "checksum_mismatch")
        #expect(line.text == "MATIC/USD: expected 2355189012, computed 17; resubscribing")
    }

    @Test("a refused level says why, not checksums that were never compared")
    func invalidLevel() {
        let reset = Self.reset(expected: 0, computed: 0, detail: "a level does not fit the book (precision or sign)")
        let line = MarketSession.resetLogLine(.invalidLevel(reset), reset, symbol: "MATIC/USD")
        #expect(line.kind == "invalid_level")
        #expect(line.text == "MATIC/USD: a level does not fit the book (precision or sign); resubscribing")
    }
}
