import KrakenREST
import NIOCore
import PrivateFlow
import SessionLifecycle
import WireFormat

/// REST reconciliation: what the private stream should have told and did not. It runs once the
/// order-bearing snapshots of a connect (every connect, the first after a start too) or of a
/// resubscription after a gap are in, and reads everything that can have happened meanwhile:
/// OpenOrders, ClosedOrders and TradesHistory since `historySinceNs` (less an overlap; never
/// before a first start's baseline snapshot), and QueryOrders for orders the ledger thinks
/// open that neither lists. The ledger publishes what
/// is new — an order that lived and died while the stream was away included — exactly once.
extension AccountSession {
    /// History is read from a little before where the last reconciliation started: clocks and
    /// Kraken's timestamps differ by that much at most, and repeats cost nothing (the ledger
    /// drops them by id).
    static let historyOverlapNs: Int64 = 60_000_000_000
    /// ClosedOrders and TradesHistory pages read per reconciliation at most (50 entries each).
    static let historyPages = 10

    /// One at a time. A reconciliation due after snapshots stays due while another one runs, and
    /// that one's end starts it (`reconciled`); a retry waiting is replaced by this one.
    func reconcile(reason: String) {
        guard !reconciling else { return }
        reconcileAfterSnapshot = false
        reconcileRetry?.cancel()
        reconcileRetry = nil
        reconciling = true
        link.counters.reconciliations += 1
        let rest = rest
        let publicREST = publicREST
        let known = flow
        let symbols = symbolMap
        let since = historySinceNs.map { max($0 - Self.historyOverlapNs, historyFloorNs ?? .min) }
        let floor = historyFloorNs
        if symbols == nil { link.counters.assetPairsFetches += 1 }
        call {
            try await ReconciliationFetch.fetch(rest: rest, publicREST: publicREST, known: known, symbols: symbols, since: since,
                                                floor: floor)
        } then: { session, result in
            session.reconciled(result, reason: reason)
        }
    }

    private func reconciled(_ result: Result<ReconciliationFetch.Fetched, any Error>, reason: String) {
        reconciling = false
        let now = UnixTime.nanoseconds()
        switch result {
        case .success(let fetched):
            if let symbols = fetched.symbols { symbolMap = symbols }
            if let startedNs = fetched.startedNs { historySinceNs = max(historySinceNs ?? startedNs, startedNs) }
            if !fetched.complete {
                link.counters.historyTruncations += 1
                link.log.write(kind: "history_truncated", "\(reason): more than \(Self.historyPages) pages of history; the rest is "
                    + "reconciled from order totals")
            }
            deliver(flow.reconcile(fetched.answers, symbols: symbolMap, receivedAtNs: now), receivedNs: now)
            // Snapshots completed while this one ran (a resubscription after a gap): their
            // reconciliation was held back, not dropped.
            if reconcileAfterSnapshot, awaitedSnapshots.isEmpty { reconcile(reason: "snapshot after reconnect or gap") }
        case .failure(let error):
            link.counters.restFailures += 1
            link.log.write(kind: "reconcile_failed", "\(reason): \(error); retrying")
            reconcileRetry = schedule(in: .seconds(1)) { session in session.reconcile(reason: reason) }
        }
    }

    func scheduleSilentOrderCheck() {
        let period = TimeAmount.nanoseconds(max(configuration.silentOrderAfter.nanoseconds / 2, 100_000_000))
        silentOrderTimer = schedule(in: period) { session in session.silentOrderCheckDue() }
    }

    /// Queries open orders silent for too long, and forgets finished ones past retention.
    private func silentOrderCheckDue() {
        let now = UnixTime.nanoseconds()
        let silent = flow.silentOrders(nowNs: now, thresholdNs: configuration.silentOrderAfter.nanoseconds)
        if !silent.isEmpty, link.state == .active { querySilent(silent) }
        // Only while the account is fully known: an outage not yet reconciled may hide
        // orders that the prune horizon would otherwise take for replays. Nor past the last
        // pong (less a second for clock skew): a stall not yet detected stops pongs, so
        // orders hidden in it stay newer than the horizon. (With the default hour of
        // retention the hour is always the nearer bound; the pong matters to short ones.)
        let horizon = min(now - configuration.forgetFinishedOrdersAfter.nanoseconds,
                          link.lastApplicationPongNs - 1_000_000_000)
        if link.state == .active, !reconciling, !reconcileAfterSnapshot, horizon > 0 {
            link.counters.ordersForgotten += UInt64(flow.prune(before: horizon))
        }
        scheduleSilentOrderCheck()
    }

    /// Silent orders are orders the stream named, so the current names (if any) suffice.
    private func querySilent(_ ids: [String]) {
        guard !reconciling else { return }
        reconciling = true
        link.counters.reconciliations += 1
        let rest = rest
        call {
            let queried = try await rest.queryOrders(ids)
            return ReconciliationFetch.Fetched(answers: RESTReconciliation(orders: queried.map { ($0, .queryOrders) }))
        } then: { session, result in
            session.reconciled(result, reason: "silent orders")
        }
    }
}

/// The REST calls of one reconciliation, off the event loop.
enum ReconciliationFetch {
    struct Fetched: Sendable {
        var answers: RESTReconciliation
        var symbols: SymbolMap?
        /// When the fetch began: the next one reads history from here.
        var startedNs: Int64?
        var complete = true
    }

    /// Every answer a reconciliation reads, in order (QueryOrders last: it asks for what the
    /// others did not list). History from before `floor` (a first start's baseline) is dropped:
    /// it happened before the bridge ran. (Kraken's `start` is whole seconds, so the window it
    /// returns reaches up to a second before; the floor itself is not rounded: rounding it up
    /// to a whole second lost an order that lived and died within the rest of that second.)
    static func fetch(
        rest: PrivateRESTClient, publicREST: PublicRESTClient, known: AccountFlow, symbols: SymbolMap?, since: Int64?,
        floor: Int64? = nil
    ) async throws -> Fetched {
        let startedNs = UnixTime.nanoseconds()
        let map: SymbolMap
        if let symbols { map = symbols } else { map = try await publicREST.symbolMap() }
        let open = try await rest.openOrders()
        var (closed, closedComplete): ([RESTOrder], Bool) = ([], true)
        var (trades, tradesComplete): ([RESTTrade], Bool) = ([], true)
        if let since {
            (closed, closedComplete) = try await rest.closedOrders(since: since, maxPages: AccountSession.historyPages)
            (trades, tradesComplete) = try await rest.tradesHistory(since: since, maxPages: AccountSession.historyPages)
        }
        if let floor {
            closed.removeAll { ($0.closeTimeNs ?? .max) < floor }
            trades.removeAll { $0.timeNs < floor }
        }
        let queried = try await rest.queryOrders(known.ordersToQuery(afterOpenOrders: open + closed))
        var orders: [(order: RESTOrder, source: RESTOrderSource)] = []
        orders += open.map { ($0, .openOrders) }
        orders += queried.map { ($0, .queryOrders) }
        orders += closed.map { ($0, .closedOrders) }
        return Fetched(
            answers: RESTReconciliation(orders: orders, trades: trades), symbols: map, startedNs: startedNs,
            complete: closedComplete && tradesComplete)
    }
}
