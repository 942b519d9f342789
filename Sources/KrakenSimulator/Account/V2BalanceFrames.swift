/// The v2 `balances` channel: a snapshot of every asset (all of it in the spot wallet `main`),
/// then one update per ledger transaction.
extension V2Frames {
    /// Key order as in Kraken's example (`data` before `type`).
    public static func balancesSnapshot(_ balances: [AssetBalance], sequence: UInt64) -> [UInt8] {
        var writer = FrameWriter(capacity: 64 + 140 * balances.count)
        writer.raw(#"{"channel":"balances","data":["#)
        writer.list(balances) { writer, balance in
            writer.raw(#"{"asset":"#)
            writer.string(balance.asset)
            writer.raw(#","asset_class":"currency","balance":"#)
            writer.v2Number(mantissa: balance.amount, scale: balance.scale)
            writer.raw(#","wallets":[{"type":"spot","id":"main","balance":"#)
            writer.v2Number(mantissa: balance.amount, scale: balance.scale)
            writer.raw("}]}")
        }
        writer.raw(#"],"type":"snapshot","sequence":"#)
        writer.integer(sequence)
        writer.raw("}")
        return writer.bytes
    }

    /// Ledger transactions (Kraken sends each in its own frame; a fill makes two, one per asset,
    /// sharing the trade's id as `ref_id`).
    public static func balancesUpdate(_ entries: [LedgerEntry], sequence: UInt64) -> [UInt8] {
        var writer = FrameWriter(capacity: 64 + 330 * entries.count)
        writer.raw(#"{"channel":"balances","type":"update","data":["#)
        writer.list(entries) { writer, entry in
            writer.raw(#"{"ledger_id":"#)
            writer.string(entry.ledgerID)
            writer.raw(#","ref_id":"#)
            writer.string(entry.refID)
            writer.raw(#","timestamp":"#)
            writer.rfc3339(nanoseconds: entry.timestampNs)
            writer.raw(#","type":"trade","asset":"#)
            writer.string(entry.asset)
            writer.raw(#","asset_class":"currency","category":"trade","wallet_type":"spot","wallet_id":"main","amount":"#)
            writer.v2Number(mantissa: entry.amount, scale: entry.scale)
            writer.raw(#","fee":"#)
            writer.v2Number(mantissa: entry.fee, scale: entry.scale)
            writer.raw(#","balance":"#)
            writer.v2Number(mantissa: entry.balance, scale: entry.scale)
            writer.raw("}")
        }
        writer.raw(#"],"sequence":"#)
        writer.integer(sequence)
        writer.raw("}")
        return writer.bytes
    }
}
