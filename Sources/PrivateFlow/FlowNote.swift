import FixedPoint

/// Why an input produced no event, or produced one the caller should know about. Each case is
/// something an operator may want a counter for; none of them is an error that stops the flow.
public enum FlowNote: Sendable, Equatable {
    /// A frame whose sequence number was already processed (dropped whole).
    case duplicateMessage(channel: PrivateChannel, sequence: UInt64)
    /// An execution already applied, recognised by its exec id or trade id (e.g. replayed by a
    /// snapshot after a resubscribe).
    case duplicateExecution(orderID: String, key: String)
    /// An event of an order the ledger forgot (terminal for longer than the retention),
    /// replayed by Kraken (a snapshot's recent trades, REST history): not news.
    case forgottenOrder(orderID: String, krakenEvent: String)
    /// A balance ledger entry already published (or older than the ledger ids remembered).
    case duplicateLedgerEntry(ledgerID: String)
    /// A balances snapshot repeated an asset's published state.
    case unchangedBalance(asset: String)
    /// Kept in the order cache only: by design this Kraken event has no downstream event
    /// (`pending_new`, `amended`, `restated`, `iceberg_refill`, `status`, a repeated `new`, a
    /// v1 progress update).
    case cacheOnly(orderID: String, krakenEvent: String)
    /// A status Kraken reported that must not become an event (see `SuppressionReason`).
    case suppressed(orderID: String, reason: SuppressionReason)
    /// A real trade whose quantity was already published by an inferred aggregate fill (or was
    /// adopted at start-up): not published again.
    case absorbed(orderID: String, execID: String, quantity: FixedDecimal)
    /// Kraken says the order is done but some of its trades have not arrived yet (v1 sends
    /// `openOrders` and `ownTrades` on separate channels); the FILLED report follows the trade.
    case awaitingFills(orderID: String, missing: FixedDecimal)
    /// Something this version does not understand; counted, never guessed at.
    case unhandled(Unhandled)
    /// Kraken's totals contradict what was already published (e.g. less filled than reported).
    case inconsistent(orderID: String, detail: String)
}

/// Why a Kraken status produced no downstream event.
public enum SuppressionReason: Sendable, Equatable {
    /// The order's terminal report (FILLED, CANCELED, EXPIRED) was already published.
    case alreadyTerminal
    /// Kraken says filled, every fill was already published, but none as FILLED (the order
    /// quantity was unknown when the last fill came): a FILLED with quantity 0 is never sent.
    case filledWithoutRemainingQuantity
}

/// Input the flow does not understand, kept with Kraken's text so it can be counted and logged.
public enum Unhandled: Sendable, Equatable {
    case execType(orderID: String, text: String)
    case orderStatus(orderID: String, text: String)
    case v1OrderStatus(orderID: String, text: String)
    case restOrderStatus(orderID: String, text: String)
    /// A `trade` without `last_qty`/`last_price`, or without any id to deduplicate it by.
    case malformedTrade(orderID: String)
}
