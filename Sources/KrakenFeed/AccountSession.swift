import FeedOutput
import KrakenREST
import KrakenWire
import MarketFlow
import NIOCore
import PrivateFlow
import SessionLifecycle
import TransportTLS
import WebSocketTransport
import WireFormat

/// Kraken's private protocol on one `FeedConnection`, v2 (`executions` with open orders and
/// recent trades in the snapshot and every status transition, plus `balances`) or v1
/// (`ownTrades` with the last 50 trades, and `openOrders`; no balances). A fresh token comes
/// from REST on every connect; each Kraken event becomes exactly one downstream event through
/// `AccountFlow`, which reads both versions. Every connect, and a sequence gap, (re)subscribes
/// with snapshots and then reconciles over REST (`AccountSession+Reconciliation`); open orders
/// silent for too long are queried too. `AccountSession+Frames` reads each version's frames.
///
/// An actor whose executor is the connection's event loop (see `FeedSession`).
actor AccountSession: FeedSession {
    let configuration: AccountFeedConfiguration
    nonisolated let eventLoop: any EventLoop
    /// The loop as an executor, held: for a loop that is not its own executor NIO makes a
    /// wrapper, which an unowned reference alone would let go.
    private nonisolated let executor: any SerialExecutor
    let link: FeedConnection<AccountSession>
    var tasks = SessionTasks()
    let publisher: any BusSink
    /// Where the connection's state changes go: `conn:<feed>:`.
    let connectionTopic: Topic
    let rest: PrivateRESTClient
    let publicREST: PublicRESTClient
    var flow = AccountFlow()

    var parser = V2FrameParser()
    private var token: String?
    /// Bumped on every connect, so a token that arrives after its connection died is dropped.
    private var connectGeneration = 0
    /// Reconcile over REST once the snapshots of `awaitedSnapshots` have been applied: after
    /// every connect (the first after a start too: what closed while the bridge was down is
    /// published at once) and after a gap.
    var reconcileAfterSnapshot = true
    /// Kraken time from which the next reconciliation reads history (ClosedOrders,
    /// TradesHistory), on this host's clock like every start below: where the last successful
    /// one started, or after a restart the latest event the journal holds, or on a first start
    /// the baseline (below). Nil on a first start until the first snapshot is in.
    var historySinceNs: Int64?
    /// On a first start, the baseline: when the first order-bearing snapshot was complete.
    /// What happened before it was never the bridge's to publish, so history is never read from
    /// before it (the 60 s overlap, and Kraken's whole-second `start`, would otherwise reach
    /// back and publish what closed before the bridge ran); what happened after it is, even
    /// across an outage before the first reconciliation finished. It is this host's receive
    /// time compared with Kraken's close and trade times: the margin is the snapshot's transit
    /// time, so the host's clock must agree with Kraken's to within that (NTP does). Nil after
    /// a restart.
    var historyFloorNs: Int64?
    /// Order-bearing channels resubscribed whose snapshot has not come yet.
    var awaitedSnapshots: Set<PrivateChannel> = []
    /// A resubscription is under way: further gaps on the old subscriptions need no other.
    private var resyncing = false
    var reconciling = false
    /// REST's names of every pair (orders REST reports but the stream never named are given
    /// their v2 symbol, not REST's `XBTUSD`); read with the first reconciliation after a connect.
    var symbolMap: SymbolMap?
    var silentOrderTimer: Scheduled<Void>?
    /// A failed reconciliation's next attempt.
    var reconcileRetry: Scheduled<Void>?

    init(
        configuration: AccountFeedConfiguration, publisher: any BusSink, eventLoop: any EventLoop, seed: UInt64,
        restoring published: [KBExecutionReport] = []
    ) throws {
        self.configuration = configuration
        self.eventLoop = eventLoop
        executor = eventLoop.executor
        self.publisher = publisher
        flow.restore(published: published)
        historySinceNs = published.lazy.map(\.timestampNs).max()
        connectionTopic = try Topic.connection(configuration.name)
        link = try FeedConnection(name: configuration.name, settings: configuration.connection,
                                  protocolVersion: configuration.protocolVersion, eventLoop: eventLoop, seed: seed)
        let tls = configuration.rest.secure ? try ClientTLS.context(trustingCAFile: configuration.connection.trustedCAFile) : nil
        rest = PrivateRESTClient(endpoint: configuration.rest, credentials: configuration.credentials, tls: tls,
                                 timeout: configuration.restTimeout)
        publicREST = PublicRESTClient(endpoint: configuration.rest, tls: tls, timeout: configuration.restTimeout)
    }

    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    func start() {
        link.owner = self
        link.start()
        scheduleSilentOrderCheck()
    }

    func stop() {
        tasks.cancelAll()
        silentOrderTimer?.cancel()
        reconcileRetry?.cancel()
        link.stop()
    }

    /// The lines the feed logged (bounded), most recent last.
    func recentLog() -> [String] { link.log.lines }

    /// The private channels of the feed's version.
    private var channels: [PrivateChannel] { PrivateChannel.subscribed(by: configuration.protocolVersion) }

    // MARK: connection events

    func feedConnectionOpened() {
        parser = V2FrameParser()
        connectGeneration += 1
        fetchToken()
    }

    func feedConnectionClosed(reason: WebSocketCloseReason) {
        token = nil
        flow.reconnected()
        reconcileAfterSnapshot = true
        awaitedSnapshots = []
        resyncing = false
        symbolMap = nil
    }

    /// A quiet account is normal; an order-bearing channel quiet while orders are open is
    /// verified: resubscribe with snapshots, then REST (a stuck subscription then shows as an
    /// overdue ack and the connection is replaced).
    func feedConnection(changed change: ConnectionStateChange) {
        publish(change, on: connectionTopic, to: publisher)
    }

    func feedConnectionSuspectsQuiet(_ key: SubscriptionKey) {
        guard PrivateChannel(rawValue: key.channel)?.carriesOrders == true, flow.executions.hasOpenOrders else { return }
        link.counters.quietVerifications += 1
        link.log.write(kind: "quiet_verification", "\(key) quiet while orders are open; resubscribing")
        resync()
    }

    /// A fresh token for this connection (Kraken's are for establishing a connection, 15 min).
    private func fetchToken() {
        let generation = connectGeneration
        link.counters.tokenFetches += 1
        let rest = rest
        let timeout = configuration.tokenTimeout
        call { try await rest.webSocketsToken(timeout: timeout) } then: { session, result in
            session.tokenArrived(result, generation: generation)
        }
    }

    private func tokenArrived(_ result: Result<WebSocketsToken, any Error>, generation: Int) {
        guard generation == connectGeneration, link.isOpen else { return }
        switch result {
        case .success(let fresh):
            token = fresh.token
            link.handshakeCompleted()
            if link.state == .connected { link.transition(to: .authenticated, detail: "token") }
            if link.state == .authenticated {
                link.transition(to: .subscribing, detail: channels.map(\.streamName).joined(separator: ", "))
            }
            for channel in channels { subscribe(channel) }
        case .failure(let error):
            link.counters.tokenFailures += 1
            link.abort(kind: "token_failed", "GetWebSocketsToken: \(error); reconnecting")
        }
    }

    private func subscribe(_ channel: PrivateChannel) {
        guard let token else { return }
        link.expectAck(SubscriptionKey(channel: channel.streamName, symbol: ""))
        if channel.carriesOrders { awaitedSnapshots.insert(channel) }
        if let subscription = channel.v2Subscription(token: token) { link.send(subscription) }
        if let subscription = channel.v1Subscription(token: token) { link.send(subscription) }
    }

    private func unsubscribe(_ channel: PrivateChannel) {
        guard let token else { return }
        switch channel {
        case .v2Executions: link.send(V2Subscription(channel: .executions, token: token), unsubscribe: true)
        case .v2Balances: link.send(V2Subscription(channel: .balances, token: token), unsubscribe: true)
        case .v1OwnTrades: link.send(V1Subscription(name: .ownTrades, token: token), unsubscribe: true)
        case .v1OpenOrders: link.send(V1Subscription(name: .openOrders, token: token), unsubscribe: true)
        }
    }

    // MARK: what either version's frames come to

    /// Kraken's answer to a subscribe or unsubscribe of a private channel (its Kraken name).
    /// A subscribe's ack starts the channel's new numbering: anything before it belonged to the
    /// previous subscription and is still judged by that one's numbers (v1 does not mark its
    /// snapshots, so resetting earlier would let an old message pass for the new baseline).
    func subscriptionAnswered(subscribe: Bool, channel: String, error: String?) {
        guard let error else {
            if subscribe {
                link.acknowledged(SubscriptionKey(channel: channel, symbol: ""))
                if let channel = PrivateChannel(rawValue: channel) { flow.resubscribed(channel) }
            }
            link.becomeActiveIfSettled(detail: "subscribed")
            return
        }
        link.counters.subscribeErrors += 1
        link.log.write(kind: "subscribe_error", "\(error)")
        if error.contains("Exceeded msg rate") { link.counters.rateLimited += 1 }
        if error.contains("ESession") || error.contains("token") {
            // The token was refused: a fresh connection gets a fresh token.
            link.counters.tokenRejections += 1
            link.abort(kind: "token_rejected", "\(error); reconnecting with a fresh token")
        }
    }

    /// Hands what the flow made of one private message downstream; after the snapshot of the
    /// last order-bearing channel awaited, REST reconciliation runs (when due).
    func deliver(_ output: FlowOutput, from channel: PrivateChannel, isSnapshot: Bool, receivedNs: Int64) {
        link.dataReceived(SubscriptionKey(channel: channel.streamName, symbol: ""), nowNs: receivedNs)
        deliver(output, receivedNs: receivedNs)
        guard isSnapshot, awaitedSnapshots.remove(channel) != nil, awaitedSnapshots.isEmpty else { return }
        resyncing = false
        if historySinceNs == nil, historyFloorNs == nil {
            historyFloorNs = receivedNs
            historySinceNs = receivedNs
        }
        if reconcileAfterSnapshot { reconcile(reason: "snapshot after reconnect or gap") }
    }

    func publishStatus(_ status: KBExchangeStatus, receivedNs: Int64) {
        link.counters.statusEvents += 1
        _ = publisher.publish(status, on: .exchangeStatus, receivedNs: receivedNs)
    }

    // MARK: downstream

    func deliver(_ output: FlowOutput, receivedNs: Int64) {
        for note in output.notes { link.counters.privateNotes[Self.name(of: note), default: 0] += 1 }
        for event in output.events { publish(event, receivedNs: receivedNs) }
        if output.resyncNeeded { resync() }
    }

    private func publish(_ event: PrivateEvent, receivedNs: Int64) {
        var flags: FrameFlags = []
        if event.origin == .snapshot { flags.insert(.snapshot) }
        if event.origin.isReconciled {
            flags.insert(.reconciled)
            link.counters.reconciledEvents += 1
        }
        let sequence: UInt64?
        switch event.payload {
        case .executionReport(let report):
            link.counters.executionReports += 1
            sequence = publisher.publish(report, on: .executions, to: .account, exchangeTimestampNs: report.timestampNs,
                                         receivedNs: receivedNs, extraFlags: flags)
        case .fill(let fill):
            link.counters.fills += 1
            sequence = publisher.publish(fill, on: .fills, to: .account, exchangeTimestampNs: fill.timestampNs, receivedNs: receivedNs,
                                         extraFlags: flags)
        case .balance(let balance):
            link.counters.balanceEvents += 1
            sequence = publisher.publish(
                balance, on: .balances, to: .account, exchangeTimestampNs: 0, receivedNs: receivedNs, extraFlags: flags)
        case .gap(let gap):
            link.counters.privateGaps += 1
            link.log.write(kind: "private_gap", "\(gap.stream): expected \(gap.expected), received \(gap.received)")
            sequence = publisher.publish(gap, on: gap.stream == PrivateChannel.v2Balances.rawValue ? .balances : .executions,
                                         to: .account, exchangeTimestampNs: 0, receivedNs: receivedNs, extraFlags: [])
        }
        if sequence == nil { link.counters.publishFailures += 1 }
    }

    /// After a gap: resubscribe every channel with a snapshot (which the ledger absorbs without
    /// repeating anything), then reconcile over REST once the order-bearing snapshots are in.
    /// One resubscription at a time: a gap the old subscriptions still report while it is under
    /// way is published but needs no second one.
    private func resync() {
        reconcileAfterSnapshot = true
        guard !resyncing, token != nil else { return }
        resyncing = true
        link.counters.resyncs += 1
        for channel in channels {
            unsubscribe(channel)
            subscribe(channel)
        }
    }

    static func name(of note: FlowNote) -> String {
        switch note {
        case .duplicateMessage: "duplicate_message"
        case .duplicateExecution: "duplicate_execution"
        case .duplicateLedgerEntry: "duplicate_ledger_entry"
        case .forgottenOrder: "forgotten_order"
        case .unchangedBalance: "unchanged_balance"
        case .cacheOnly: "cache_only"
        case .suppressed: "suppressed"
        case .absorbed: "absorbed"
        case .awaitingFills: "awaiting_fills"
        case .unhandled: "unhandled"
        case .inconsistent: "inconsistent"
        }
    }

    // MARK: diagnostics

    func diagnostics() -> FeedDiagnostics {
        FeedDiagnostics(
            name: configuration.name, endpoint: configuration.connection.endpoints[link.endpointIndex].description,
            state: link.state, attempt: link.lifecycle.attempt, lastFrameNs: link.lastFrameNs, counters: link.counters,
            circuitBreakers: link.diagnosticsBreakers(), books: [:], suspicion: link.suspicion(nowNs: UnixTime.nanoseconds()))
    }
}
