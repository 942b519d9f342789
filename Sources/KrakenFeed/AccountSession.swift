import BusPublishing
import KrakenREST
import KrakenWire
import MarketFlow
import NIOCore
import PrivateFlow
import SessionLifecycle
import TransportTLS
import WebSocketTransport
import WireFormat

/// The private v2 protocol on one `FeedConnection`: a fresh token from REST on every connect,
/// `executions` (open orders and recent trades in the snapshot, every status transition) and
/// `balances`, each Kraken event turned into exactly one downstream event by `AccountFlow`.
/// A sequence gap or a reconnect resubscribes with a snapshot and then reconciles over REST
/// (OpenOrders, QueryOrders); open orders silent for too long are queried too.
final class AccountSession: FeedConnectionDelegate, FeedSession {
    let configuration: AccountFeedConfiguration
    let link: FeedConnection
    private let publisher: BusPublisher
    private let rest: PrivateRESTClient
    private(set) var flow = AccountFlow()

    private var parser = V2FrameParser()
    private var token: String?
    /// Bumped on every connect, so a token that arrives after its connection died is dropped.
    private var connectGeneration = 0
    /// Reconcile over REST once the next executions snapshot has been applied.
    private var reconcileAfterSnapshot = false
    private var reconciling = false
    private var silentOrderTimer: Scheduled<Void>?

    init(
        configuration: AccountFeedConfiguration, publisher: BusPublisher, eventLoop: any EventLoop, seed: UInt64,
        restoring published: [KBExecutionReport] = []
    ) throws {
        self.configuration = configuration
        self.publisher = publisher
        flow.restore(published: published)
        link = try FeedConnection(name: configuration.name, settings: configuration.connection, publisher: publisher,
                                  eventLoop: eventLoop, seed: seed)
        let tls = configuration.rest.secure ? try ClientTLS.context(trustingCAFile: configuration.connection.trustedCAFile) : nil
        rest = PrivateRESTClient(endpoint: configuration.rest, credentials: configuration.credentials, tls: tls,
                                 timeout: configuration.restTimeout)
        link.delegate = self
    }

    func start() {
        link.start()
        scheduleSilentOrderCheck()
    }

    func stop() {
        silentOrderTimer?.cancel()
        link.stop()
    }

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
    }

    func feedConnectionSuspectsQuiet(_ key: SubscriptionKey) {
        // A quiet account is normal; silent orders are checked over REST on their own timer.
    }

    /// A fresh token for this connection (Kraken's are for establishing a connection, 15 min).
    private func fetchToken() {
        let generation = connectGeneration
        link.counters.tokenFetches += 1
        let rest = rest
        let session = NIOLoopBound(self, eventLoop: link.eventLoop)
        let eventLoop = link.eventLoop
        Task {
            let result: Result<WebSocketsToken, any Error>
            do { result = .success(try await rest.webSocketsToken()) } catch { result = .failure(error) }
            eventLoop.execute { session.value.tokenArrived(result, generation: generation) }
        }
    }

    private func tokenArrived(_ result: Result<WebSocketsToken, any Error>, generation: Int) {
        guard generation == connectGeneration, link.isOpen else { return }
        switch result {
        case .success(let fresh):
            token = fresh.token
            link.handshakeCompleted()
            if link.state == .connected { link.transition(to: .authenticated, detail: "token") }
            if link.state == .authenticated { link.transition(to: .subscribing, detail: "executions, balances") }
            subscribe(.executions)
            subscribe(.balances)
        case .failure(let error):
            link.counters.tokenFailures += 1
            link.abort(kind: "token_failed", "GetWebSocketsToken: \(error); reconnecting")
        }
    }

    private func subscribe(_ channel: V2Channel) {
        guard let token else { return }
        link.expectAck(SubscriptionKey(channel: channel.name, symbol: ""))
        let subscription = channel == .executions
            ? V2Subscription(channel: .executions, snapshot: true, token: token, snapOrders: true, snapTrades: true, orderStatus: true)
            : V2Subscription(channel: .balances, snapshot: true, token: token)
        link.send(subscription)
    }

    // MARK: frames

    func feedConnection(received bytes: UnsafeRawBufferPointer, nowNs now: Int64) {
        guard let message = link.parse(bytes, with: &parser, nowNs: now) else { return }
        switch message {
        case .executions(let executions):
            link.dataReceived(SubscriptionKey(channel: V2Channel.executions.name, symbol: ""), nowNs: now)
            deliver(flow.ingest(executions, receivedAtNs: now), receivedNs: now)
            if executions.kind == .snapshot, reconcileAfterSnapshot { reconcile(reason: "snapshot after reconnect or gap") }
        case .balances(let balances):
            link.dataReceived(SubscriptionKey(channel: V2Channel.balances.name, symbol: ""), nowNs: now)
            deliver(flow.ingest(balances, receivedAtNs: now), receivedNs: now)
        case .heartbeat:
            link.counters.heartbeats += 1
        case .status(let status):
            link.counters.statusEvents += 1
            _ = publisher.publish(MarketEvents.exchangeStatus(status, feed: configuration.name), on: .exchangeStatus, receivedNs: now)
        case .response(let response):
            handle(response)
        default:
            link.counters.unexpectedMessages += 1
        }
    }

    private func handle(_ response: V2Response) {
        guard response.method == .subscribe || response.method == .unsubscribe else {
            if response.method == .pong { link.counters.pongs += 1 } else { link.counters.unexpectedMessages += 1 }
            return
        }
        var channel = ""
        if case .subscription(let result) = response.result { channel = result.channel }
        if response.success == true {
            if response.method == .subscribe { link.acknowledged(SubscriptionKey(channel: channel, symbol: "")) }
            link.becomeActiveIfSettled(detail: "subscribed")
            return
        }
        let error = response.error ?? "unknown error"
        link.counters.subscribeErrors += 1
        link.log.write(kind: "subscribe_error", "\(error)", nowNs: UnixTime.nanoseconds())
        if error.contains("Exceeded msg rate") { link.counters.rateLimited += 1 }
        if error.contains("ESession") || error.contains("token") {
            // The token was refused: a fresh connection gets a fresh token.
            link.counters.tokenRejections += 1
            link.abort(kind: "token_rejected", "\(error); reconnecting with a fresh token")
        }
    }

    // MARK: downstream

    private func deliver(_ output: FlowOutput, receivedNs: Int64) {
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
            sequence = publisher.publish(balance, on: .balances, to: .account, receivedNs: receivedNs, extraFlags: flags)
        case .gap(let gap):
            link.counters.privateGaps += 1
            link.log.write(kind: "private_gap", "\(gap.stream): expected \(gap.expected), received \(gap.received)", nowNs: receivedNs)
            sequence = publisher.publish(gap, on: gap.stream == PrivateChannel.v2Balances.rawValue ? .balances : .executions,
                                         to: .account, receivedNs: receivedNs)
        }
        if sequence == nil { link.counters.publishFailures += 1 }
    }

    /// After a gap: resubscribe executions with a snapshot (which the ledger absorbs without
    /// repeating anything), then reconcile over REST once that snapshot is in.
    private func resync() {
        link.counters.resyncs += 1
        flow.resubscribed(.v2Executions)
        flow.resubscribed(.v2Balances)
        reconcileAfterSnapshot = true
        guard let token else { return }
        link.send(V2Subscription(channel: .executions, token: token), unsubscribe: true)
        subscribe(.executions)
        link.send(V2Subscription(channel: .balances, token: token), unsubscribe: true)
        subscribe(.balances)
    }

    // MARK: REST reconciliation

    private func reconcile(reason: String) {
        reconcileAfterSnapshot = false
        guard !reconciling else { return }
        reconciling = true
        link.counters.reconciliations += 1
        let rest = rest
        let known = flow
        let session = NIOLoopBound(self, eventLoop: link.eventLoop)
        let eventLoop = link.eventLoop
        Task {
            let result: Result<(open: [RESTOrder], queried: [RESTOrder]), any Error>
            do {
                let open = try await rest.openOrders()
                let queried = try await rest.queryOrders(known.ordersToQuery(afterOpenOrders: open))
                result = .success((open, queried))
            } catch {
                result = .failure(error)
            }
            eventLoop.execute { session.value.reconciled(result, reason: reason) }
        }
    }

    private func reconciled(_ result: Result<(open: [RESTOrder], queried: [RESTOrder]), any Error>, reason: String) {
        reconciling = false
        let now = UnixTime.nanoseconds()
        switch result {
        case .success(let orders):
            var output = flow.reconcile(orders.open, from: .openOrders, symbols: nil, receivedAtNs: now)
            let queried = flow.reconcile(orders.queried, from: .queryOrders, symbols: nil, receivedAtNs: now)
            output.events += queried.events
            output.notes += queried.notes
            deliver(output, receivedNs: now)
        case .failure(let error):
            link.counters.restFailures += 1
            link.log.write(kind: "reconcile_failed", "\(reason): \(error); retrying", nowNs: now)
            let session = NIOLoopBound(self, eventLoop: link.eventLoop)
            link.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) { session.value.reconcile(reason: reason) }
        }
    }

    private func scheduleSilentOrderCheck() {
        let period = TimeAmount.nanoseconds(max(configuration.silentOrderAfter.nanoseconds / 2, 100_000_000))
        silentOrderTimer = link.eventLoop.assumeIsolated().scheduleTask(in: period) { [weak self] in
            guard let self else { return }
            let silent = self.flow.silentOrders(nowNs: UnixTime.nanoseconds(), thresholdNs: self.configuration.silentOrderAfter.nanoseconds)
            if !silent.isEmpty, self.link.state == .active { self.querySilent(silent) }
            self.scheduleSilentOrderCheck()
        }
    }

    private func querySilent(_ ids: [String]) {
        guard !reconciling else { return }
        reconciling = true
        link.counters.reconciliations += 1
        let rest = rest
        let session = NIOLoopBound(self, eventLoop: link.eventLoop)
        let eventLoop = link.eventLoop
        Task {
            let result: Result<(open: [RESTOrder], queried: [RESTOrder]), any Error>
            do { result = .success(([], try await rest.queryOrders(ids))) } catch { result = .failure(error) }
            eventLoop.execute { session.value.reconciled(result, reason: "silent orders") }
        }
    }

    static func name(of note: FlowNote) -> String {
        switch note {
        case .duplicateMessage: "duplicate_message"
        case .duplicateExecution: "duplicate_execution"
        case .duplicateLedgerEntry: "duplicate_ledger_entry"
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
            circuitBreakers: link.diagnosticsBreakers(), books: [:])
    }
}
