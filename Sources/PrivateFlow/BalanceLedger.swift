import FixedPoint
import KrakenWire
import WireFormat

/// Turns v2 `balances` messages into one Balance event per asset change, each once.
///
/// Updates are ledger transactions and are deduplicated by `ledger_id`. Snapshots (sent on
/// every resubscribe) carry no ids: an asset is republished only when its total differs from
/// the last one published (wallet splits are ignored: moving funds between wallets is itself a
/// ledger entry), keyed by the asset, the last ledger id applied to it and the balance, so a
/// restart replaying the same state yields the same key.
public struct BalanceLedger: Sendable {
    struct AssetState: Sendable, Equatable {
        var balance: FixedDecimal
        var lastLedgerID: String?
    }

    private var assets: [String: AssetState] = [:]
    /// Ledger ids applied, with the entry's time (Kraken's, else when it arrived), so `prune`
    /// can forget old ones; an entry older than `forgottenBeforeNs` counts as applied.
    private var seenLedgerIDs: [String: Int64] = [:]
    private var forgottenBeforeNs: Int64?

    public init() {}

    /// The balance last published for `asset`.
    public func balance(of asset: String) -> FixedDecimal? { assets[asset]?.balance }

    /// Forgets ledger ids of entries from before `cutoffNs` (see `ExecutionLedger.prune`): an
    /// entry older than that arriving again counts as a duplicate.
    public mutating func prune(before cutoffNs: Int64) {
        seenLedgerIDs = seenLedgerIDs.filter { $0.value >= cutoffNs }
        forgottenBeforeNs = max(forgottenBeforeNs ?? cutoffNs, cutoffNs)
    }

    /// How many ledger ids are remembered.
    public var rememberedLedgerEntries: Int { seenLedgerIDs.count }

    /// Applies a `balances` message (after the sequence tracker admitted it); `receivedAtNs`
    /// dates a ledger entry that carries no time of its own.
    public mutating func apply(_ message: V2BalancesMessage, receivedAtNs: Int64 = 0) -> FlowOutput {
        var output = FlowOutput()
        for entry in message.balances {
            let previous = assets[entry.asset]
            if let previous, previous.balance.isNumericallyEqual(to: entry.balance) {
                output.notes.append(.unchangedBalance(asset: entry.asset))
                continue
            }
            var balance = KBBalance()
            balance.asset = entry.asset
            balance.balance = KBDecimal(entry.balance)
            balance.wallets = entry.wallets.map { wallet in
                var out = KBWalletBalance()
                out.type = wallet.type
                out.id = wallet.id
                out.balance = KBDecimal(wallet.balance)
                return out
            }
            balance.fromSnapshot = message.kind == .snapshot
            let lastLedgerID = previous?.lastLedgerID
            let key = "snapshot:\(entry.asset):\(lastLedgerID ?? "-"):\(entry.balance.canonicalText)"
            output.events.append(PrivateEvent(
                payload: .balance(balance), idempotencyKey: key, origin: message.kind == .snapshot ? .snapshot : .stream))
            assets[entry.asset] = AssetState(balance: entry.balance, lastLedgerID: lastLedgerID)
        }
        for entry in message.ledger {
            let timeNs = entry.timestampNs ?? receivedAtNs
            let forgotten = forgottenBeforeNs.map { timeNs > 0 && timeNs < $0 } ?? false
            guard seenLedgerIDs[entry.ledgerID] == nil, !forgotten else {
                output.notes.append(.duplicateLedgerEntry(ledgerID: entry.ledgerID))
                continue
            }
            seenLedgerIDs[entry.ledgerID] = timeNs
            var balance = KBBalance()
            balance.asset = entry.asset
            balance.balance = KBDecimal(entry.balance)
            balance.ledgerID = entry.ledgerID
            balance.ledgerType = entry.type ?? ""
            balance.amount = KBDecimal(entry.amount)
            if let fee = entry.fee { balance.fee = KBDecimal(fee) }
            balance.timestampNs = entry.timestampNs ?? 0
            output.events.append(PrivateEvent(payload: .balance(balance), idempotencyKey: entry.ledgerID, origin: .stream))
            assets[entry.asset] = AssetState(balance: entry.balance, lastLedgerID: entry.ledgerID)
        }
        return output
    }
}
