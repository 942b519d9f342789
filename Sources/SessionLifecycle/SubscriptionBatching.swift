/// Groups symbols into subscribe/unsubscribe requests. Kraken v2 takes a list of symbols per
/// request and acknowledges each symbol separately (kraken-protocol.md §2.4), and the advice for
/// staying under the message rate is to batch pairs rather than send one request each (§1.6).
///
/// The default of 50 symbols per request is a judgement, not a published limit: large enough that
/// hundreds of pairs need only a handful of requests, small enough that one request's burst of
/// acks and book snapshots stays modest and a rejected request names a short list.
public enum SubscriptionBatching {
    public static let defaultMaxSymbols = 50

    /// `symbols` in their original order with duplicates removed (a repeated symbol would at best
    /// double the acks and at worst draw an `Already subscribed` error), cut into
    /// consecutive requests of at most `maxSymbols`.
    public static func batches(_ symbols: [String], maxSymbols: Int = defaultMaxSymbols) -> [[String]] {
        precondition(maxSymbols >= 1, "a batch holds at least one symbol")
        var seen = Set<String>()
        let unique = symbols.filter { seen.insert($0).inserted }
        return stride(from: 0, to: unique.count, by: maxSymbols).map {
            Array(unique[$0 ..< min($0 + maxSymbols, unique.count)])
        }
    }
}
