import FixedPoint

/// A v2 `balances` message. The snapshot lists each asset's balance (and its wallets); each
/// update is one ledger transaction. Both carry the subscription's sequence number.
public struct V2BalancesMessage: Sendable, Equatable {
    public var kind: MessageKind
    public var sequence: UInt64
    /// Snapshot entries.
    public var balances: [V2AssetBalance]
    /// Update entries.
    public var ledger: [V2LedgerEntry]

    public init(kind: MessageKind, sequence: UInt64, balances: [V2AssetBalance], ledger: [V2LedgerEntry]) {
        self.kind = kind
        self.sequence = sequence
        self.balances = balances
        self.ledger = ledger
    }

    /// Entries are told apart by shape (a ledger entry has `ledger_id`), not by the message
    /// type, so the data can be read wherever `type` appears.
    static func readData(_ reader: inout JSONReader) throws(WireError) -> V2Data {
        var balances: [V2AssetBalance] = []
        var ledger: [V2LedgerEntry] = []
        try reader.readArray(field: "data") { (reader) throws(WireError) in
            let start = reader.offset
            var entry = V2LedgerEntry(ledgerID: "", asset: "", amount: .zero, balance: .zero)
            var wallets: [V2Wallet] = []
            var ledgerID: String?
            var asset: String?
            var amount: FixedDecimal?
            var balance: FixedDecimal?
            try reader.readObject(field: "data[]") { (key, reader) throws(WireError) in
                if key.equals("asset") { asset = try reader.readString(field: "asset") }
                else if key.equals("balance") { balance = try reader.readDecimal(field: "balance") }
                else if key.equals("ledger_id") { ledgerID = try reader.readString(field: "ledger_id") }
                else if key.equals("amount") { amount = try reader.readDecimal(field: "amount") }
                else if key.equals("wallets") { wallets = try V2Wallet.readArray(&reader) }
                else { try entry.readOptional(key, &reader) }
            }
            entry.asset = try required(asset, "asset", at: start)
            entry.balance = try required(balance, "balance", at: start)
            if let ledgerID {
                entry.ledgerID = ledgerID
                entry.amount = try required(amount, "amount", at: start)
                ledger.append(entry)
            } else {
                balances.append(
                    V2AssetBalance(asset: entry.asset, assetClass: entry.assetClass, balance: entry.balance, wallets: wallets))
            }
        }
        return .balances(balances, ledger)
    }
}

/// One asset's balance in a snapshot.
public struct V2AssetBalance: Sendable, Equatable {
    public var asset: String
    public var assetClass: String?
    public var balance: FixedDecimal
    public var wallets: [V2Wallet]
}

/// A wallet of an asset (`spot`, `earn`).
public struct V2Wallet: Sendable, Equatable {
    public var type: String
    public var id: String
    public var balance: FixedDecimal

    static func readArray(_ reader: inout JSONReader) throws(WireError) -> [V2Wallet] {
        var wallets: [V2Wallet] = []
        try reader.readArray(field: "wallets") { (reader) throws(WireError) in
            let start = reader.offset
            var type: String?
            var id: String?
            var balance: FixedDecimal?
            try reader.readObject(field: "wallets[]") { (key, reader) throws(WireError) in
                if key.equals("type") { type = try reader.readString(field: "type") }
                else if key.equals("id") { id = try reader.readString(field: "id") }
                else if key.equals("balance") { balance = try reader.readDecimal(field: "balance") }
                else { try reader.skipValue() }
            }
            wallets.append(
                V2Wallet(
                    type: try required(type, "type", at: start), id: try required(id, "id", at: start),
                    balance: try required(balance, "balance", at: start)))
        }
        return wallets
    }
}

/// One ledger transaction in a balances update (a trade produces one per asset, sharing `refID`).
public struct V2LedgerEntry: Sendable, Equatable {
    public var ledgerID: String
    public var refID: String?
    public var timestampNs: Int64?
    /// `deposit`, `withdrawal`, `trade`, `margin`, … (kept as text; Kraken extends the list).
    public var type: String?
    public var subtype: String?
    public var category: String?
    public var asset: String
    public var assetClass: String?
    public var walletType: String?
    public var walletID: String?
    public var amount: FixedDecimal
    public var fee: FixedDecimal?
    /// The asset's new total.
    public var balance: FixedDecimal

    mutating func readOptional(_ key: RawString, _ reader: inout JSONReader) throws(WireError) {
        if key.equals("ref_id") { refID = try reader.readString(field: "ref_id") }
        else if key.equals("timestamp") { timestampNs = try reader.readTimestamp(field: "timestamp") }
        else if key.equals("type") { type = try reader.readString(field: "type") }
        else if key.equals("subtype") { subtype = try reader.readString(field: "subtype") }
        else if key.equals("category") { category = try reader.readString(field: "category") }
        else if key.equals("asset_class") { assetClass = try reader.readString(field: "asset_class") }
        else if key.equals("wallet_type") { walletType = try reader.readString(field: "wallet_type") }
        else if key.equals("wallet_id") { walletID = try reader.readString(field: "wallet_id") }
        else if key.equals("fee") { fee = try reader.readOptionalDecimal(field: "fee") }
        else { try reader.skipValue() }
    }
}
