import Foundation
import PrivateFlow
import Testing
import WireFormat

@Suite("v2 balances → one Balance per asset change, each once")
struct BalanceTests {
    static let snapshot = #"""
        {"channel":"balances","type":"snapshot","data":[
          {"asset":"BTC","asset_class":"currency","balance":1.2,"wallets":[{"type":"spot","id":"main","balance":1.0},{"type":"earn","id":"flex","balance":0.2}]},
          {"asset":"USD","asset_class":"currency","balance":20000.0,"wallets":[{"type":"spot","id":"main","balance":20000.0}]}],"sequence":1}
        """#

    /// One trade: a ledger entry per asset, sharing the trade's ref_id.
    static let trade = #"""
        {"channel":"balances","type":"update","data":[
          {"ledger_id":"L4UESK-KG3EQ-UFO4T5","ref_id":"TJKLXX-PGMUI-4NTLXU","timestamp":"2022-06-13T08:23:42.000000Z","type":"trade","subtype":"",
           "category":"trade","asset":"USD","asset_class":"currency","wallet_type":"spot","wallet_id":"main","amount":-19.9743,"fee":0.0,"balance":19980.0257},
          {"ledger_id":"LGNUKT-2HOSD-VYXHR7","ref_id":"TJKLXX-PGMUI-4NTLXU","timestamp":"2022-06-13T08:23:42.000000Z","type":"trade","subtype":"",
           "category":"trade","asset":"BTC","asset_class":"currency","wallet_type":"spot","wallet_id":"main","amount":0.0005,"fee":0.0,"balance":1.2005}],"sequence":2}
        """#

    @Test("snapshot per asset, ledger entries by id; redelivered entries and unchanged snapshots publish nothing")
    func deduplication() throws {
        var harness = Harness()
        try harness.feed(Self.snapshot)
        try harness.feed(Self.trade)
        #expect(harness.lines == [
            "balance BTC=1.2 key=snapshot:BTC:-:1.2 [snapshot]",
            "balance USD=20000 key=snapshot:USD:-:20000 [snapshot]",
            "balance USD=19980.0257 key=L4UESK-KG3EQ-UFO4T5",
            "balance BTC=1.2005 key=LGNUKT-2HOSD-VYXHR7",
        ])
        // The same frame again (same sequence): dropped whole.
        #expect(try harness.feed(Self.trade).notes == [.duplicateMessage(channel: .v2Balances, sequence: 2)])
        // An entry redelivered under a new sequence: dropped by ledger id.
        let redelivered = try harness.feed(Self.trade.replacingSequence(2, with: 3))
        #expect(redelivered.events.isEmpty)
        #expect(redelivered.notes == [
            .duplicateLedgerEntry(ledgerID: "L4UESK-KG3EQ-UFO4T5"), .duplicateLedgerEntry(ledgerID: "LGNUKT-2HOSD-VYXHR7"),
        ])
        // Resubscribed: the snapshot repeats the totals already published.
        harness.flow.resubscribed(.v2Balances)
        let resnapshot = try harness.feed(#"""
            {"channel":"balances","type":"snapshot","data":[
              {"asset":"BTC","balance":1.2005,"wallets":[{"type":"spot","id":"main","balance":1.0005},{"type":"earn","id":"flex","balance":0.2}]},
              {"asset":"USD","balance":19980.0257,"wallets":[{"type":"spot","id":"main","balance":19980.0257}]},
              {"asset":"ETH","balance":0.5,"wallets":[{"type":"spot","id":"main","balance":0.5}]}],"sequence":1}
            """#)
        #expect(resnapshot.events.map(describe) == ["balance ETH=0.5 key=snapshot:ETH:-:0.5 [snapshot]"])
        #expect(resnapshot.notes == [.unchangedBalance(asset: "BTC"), .unchangedBalance(asset: "USD")])
    }

    @Test("a ledger-driven Balance carries what changed it, with Kraken's digits")
    func ledgerFields() throws {
        var harness = Harness()
        try harness.feed(Self.trade)
        guard case .balance(let balance) = harness.events.first?.payload else { Issue.record("no balance"); return }
        #expect(balance.asset == "USD")
        #expect(balance.balance == KBDecimal(text: "19980.0257"))
        #expect(balance.amount == KBDecimal(text: "-19.9743"))
        #expect(balance.fee == KBDecimal(text: "0.0"))
        #expect(balance.ledgerID == "L4UESK-KG3EQ-UFO4T5" && balance.ledgerType == "trade")
        #expect(balance.timestampNs == 1_655_108_622_000_000_000)
        #expect(!balance.fromSnapshot)
    }
}

extension String {
    func replacingSequence(_ old: Int, with new: Int) -> String {
        guard let range = range(of: "\"sequence\":\(old)") else { return self }
        return replacingCharacters(in: range, with: "\"sequence\":\(new)")
    }
}
