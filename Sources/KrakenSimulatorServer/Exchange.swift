#if canImport(Glibc)
import Glibc
#endif
import KrakenAuth
import KrakenSimulator
import NIOCore

/// A WebSocket connection's protocol handler as the exchange sees it.
protocol ClientSession: AnyObject {
    var output: SessionOutput { get }
    var isV1: Bool { get }
    var hasSubscriptions: Bool { get }
    /// Sends the connection's first frame.
    func greet()
    /// Answers one text frame from the client.
    func handle(text: [UInt8])
    /// Sends this client's book changes and trades for one market after a tick.
    func marketDidChange(_ market: PairMarket, statistics: MarketStatistics, trades: [PairMarket.Trade], nowNs: Int64)
    /// Sends the new system status (v2 `status` update, v1 `systemStatus`).
    func statusDidChange(_ status: String)
    /// The next private frame's sequence number misbehaves.
    func armSequenceFault(_ fault: Fault.SequenceFault)
    /// Sends private subscribers what happened in the account since the last tick.
    func accountDidChange(executions: [ExecutionEvent], ledger: [LedgerEntry])
}

/// The simulated exchange: every market, every connected client, tokens, armed faults and
/// counters, confined to the one event loop the simulator runs on (so no locks). A repeated task
/// steps the markets and lets each session send what changed in its view.
final class Exchange {
    let eventLoop: any EventLoop
    let pairs: [SimulatedPair]
    private(set) var markets: [String: PairMarket] = [:]
    /// Ticker, candles and spread of every pair, from the trades its market produced.
    private(set) var statistics: [String: MarketStatistics] = [:]
    /// The one simulated account every private connection sees; its event list is the ground truth.
    private(set) var account: SimulatedAccount
    private var deliveredAccountEvents = 0
    let counters = Counters()
    let signer: RequestSigner
    let apiKey: String
    var tokens: TokenStore
    private(set) var systemStatus = "online"
    /// Markets do not move while paused (tests read stable ground truth).
    var isPaused = false
    /// Market ticks so far.
    private(set) var tickCount: UInt64 = 0
    private var sessions: [ObjectIdentifier: any ClientSession] = [:]
    private var nextConnectionID: UInt64 = 0x1000_0000_0000_0000
    private var tasks: [RepeatedTask] = []
    private var scheduled: [Scheduled<Void>] = []
    let stepsPerTick: Int
    private var faults = ArmedFaults()
    /// Highest nonce seen per API key (Kraken refuses a nonce that does not increase).
    var lastNonce: [String: UInt64] = [:]
    /// The REST answers of the replayed recordings, served instead of the simulated exchange's:
    /// AssetPairs when a recording holds it, private order answers when an account recording
    /// replays.
    let recordedREST: RecordedREST?
    /// An account recording replays: private REST answers come from `recordedREST`.
    let replaysAccount: Bool

    init(eventLoop: any EventLoop, configuration: SimulatorServer.Configuration) {
        self.eventLoop = eventLoop
        pairs = configuration.pairs
        stepsPerTick = configuration.stepsPerTick
        signer = RequestSigner(credentials: configuration.credentials)
        apiKey = configuration.credentials.key
        tokens = TokenStore(seed: configuration.seed)
        account = SimulatedAccount(pairs: configuration.pairs, seed: configuration.seed)
        var recorded: RecordedREST?
        if case .replay(let plan) = configuration.publicFeed { recorded = plan.rest }
        if let plan = configuration.accountReplay {
            recorded = RecordedREST(bodies: (recorded?.bodies ?? [:]).merging(plan.rest.bodies) { market, account in market + account })
        }
        recordedREST = recorded
        replaysAccount = configuration.accountReplay != nil
        for pair in pairs {
            markets[pair.symbol] = PairMarket(pair: pair, seed: configuration.seed)
            statistics[pair.symbol] = MarketStatistics(pair: pair)
        }
    }

    func start(tickInterval: TimeAmount, scenario: Scenario?) {
        // The tasks run on this exchange's own loop: the loop-bound reference proves it.
        let exchange = NIOLoopBound(self, eventLoop: eventLoop)
        tasks.append(eventLoop.scheduleRepeatedTask(initialDelay: tickInterval, delay: tickInterval) { _ in exchange.value.tick() })
        tasks.append(eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in exchange.value.heartbeat() })
        for step in scenario?.steps ?? [] {
            let fault = step.fault
            if let every = step.everyMilliseconds {
                tasks.append(eventLoop.scheduleRepeatedTask(initialDelay: .milliseconds(Int64(step.atMilliseconds)),
                                                            delay: .milliseconds(Int64(every))) { _ in
                    exchange.value.inject(fault)
                })
            } else {
                scheduled.append(eventLoop.scheduleTask(in: .milliseconds(Int64(step.atMilliseconds))) { exchange.value.inject(fault) })
            }
        }
    }

    func stop() {
        tasks.forEach { $0.cancel() }
        scheduled.forEach { $0.cancel() }
        for session in sessions.values { session.output.close(clean: true) }
    }

    func market(_ symbol: String) -> PairMarket? { markets[symbol] }

    /// The market of a v1 pair name (`XBT/USD`).
    func market(v1Name: String) -> PairMarket? {
        pairs.first { $0.v1Name == v1Name }.flatMap { markets[$0.symbol] }
    }

    /// The market named as REST names pairs (`XXBTZUSD`, `XBTUSD`) or by its v1/v2 name.
    func market(restName: String) -> PairMarket? {
        let wanted = restName.uppercased()
        let pair = pairs.first {
            [$0.restKey, String($0.v1Name.filter { $0 != "/" }), $0.v1Name, $0.symbol].contains(wanted)
        }
        return pair.flatMap { markets[$0.symbol] }
    }

    func nextConnection() -> UInt64 {
        nextConnectionID &+= 0x9E37_79B9
        return nextConnectionID
    }

    func register(_ session: any ClientSession) {
        sessions[ObjectIdentifier(session)] = session
        session.output.latency = faults.latency
        counters.add("connections_opened")
    }

    func unregister(_ session: any ClientSession) {
        if sessions.removeValue(forKey: ObjectIdentifier(session)) != nil { counters.add("connections_closed") }
    }

    var connectionCount: Int { sessions.count }

    /// Steps every market and lets each session send its subscribers' changes.
    func tick() {
        guard !isPaused, systemStatus != "maintenance" else { return }
        step(times: stepsPerTick)
    }

    /// Steps every market `times` times (also used by the control API while paused).
    func step(times: Int) {
        tickCount += 1
        let now = UnixClock.nanoseconds()
        for pair in pairs {
            var trades: [PairMarket.Trade] = []
            for _ in 0..<times {
                if let trade = markets[pair.symbol]!.step() { trades.append(trade) }
            }
            let market = markets[pair.symbol]!
            statistics[pair.symbol]!.record(trades: trades, nowNs: now)
            let statistics = statistics[pair.symbol]!
            for session in sessions.values { session.marketDidChange(market, statistics: statistics, trades: trades, nowNs: now) }
        }
        if systemStatus == "online" { account.step(markets: pairs.map { markets[$0.symbol]! }, nowNs: now) }
        deliverAccountEvents()
        for session in sessions.values { session.output.flushIfNeeded() }
    }

    /// Hands account events not yet sent to every session (private ones write them).
    func deliverAccountEvents() {
        let new = account.events(since: deliveredAccountEvents)
        deliveredAccountEvents = account.events.count
        guard !new.isEmpty else { return }
        let executions = new.compactMap(\.execution)
        let ledger = new.compactMap(\.ledgerEntry)
        for session in sessions.values { session.accountDidChange(executions: executions, ledger: ledger) }
    }

    /// Changes the account from the control API (place, cancel) and sends the events at once.
    func changeAccount<Result>(_ change: (inout SimulatedAccount) throws(AccountError) -> Result) throws(AccountError) -> Result {
        defer {
            deliverAccountEvents()
            for session in sessions.values { session.output.flushIfNeeded() }
        }
        return try change(&account)
    }

    /// Kraken sends a heartbeat about once a second when nothing else went out, and only once
    /// something is subscribed.
    func heartbeat() {
        for session in sessions.values {
            let wasBusy = session.output.resetHeartbeatPeriod()
            guard session.hasSubscriptions, !wasBusy else { continue }
            session.output.send(session.isV1 ? V1Frames.heartbeat : V2Frames.heartbeat, kind: .heartbeat)
            session.output.flushIfNeeded()
            _ = session.output.resetHeartbeatPeriod()
        }
    }

    // MARK: - Faults

    /// Fires a fault; returns how many connections it touched (armed faults count as 0).
    @discardableResult
    func inject(_ fault: Fault) -> Int {
        counters.add("faults_\(fault.kind)")
        switch fault {
        case .disconnect(let target, let clean):
            return forEach(target) { $0.output.close(clean: clean) }
        case .stall(let target, let heartbeats):
            return forEach(target) { $0.output.stall(heartbeats: heartbeats) }
        case .corruptChecksum(let symbol, let count):
            faults.checksumCorruptions[symbol ?? "*", default: 0] += count
        case .sequence(let kind):
            return forEach(.private) { $0.armSequenceFault(kind) }
        case .malformedJSON(let target):
            return forEach(target) { session in
                let text = session.isV1 ? #"[42,{"a":[["5541.30000","2.50700000","1534614248.4567"# : #"{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":}"#
                session.output.send(Array(text.utf8), kind: .forced)
                session.output.flushIfNeeded()
            }
        case .oversizedFrame(let target, let bytes):
            return forEach(target) { session in
                let head = Array((session.isV1 ? #"{"event":"heartbeat","padding":""# : #"{"channel":"heartbeat","padding":""#).utf8)
                var frame = head + [UInt8](repeating: UInt8(ascii: "x"), count: max(0, bytes - head.count - 2))
                frame += Array(#""}"#.utf8)
                session.output.send(frame, kind: .forced)
                session.output.flushIfNeeded()
            }
        case .status(let status):
            systemStatus = status
            return forEach(.all) { $0.statusDidChange(status); $0.output.flushIfNeeded() }
        case .rateLimit(let count):
            faults.rateLimits += count
        case .rejectTokens(let count):
            faults.tokenRejections += count
        case .rest(let mode, let count):
            faults.restFailures += Array(repeating: mode, count: count)
        case .latency(let milliseconds):
            faults.latency = .milliseconds(Int64(milliseconds))
            return forEach(.all) { $0.output.latency = .milliseconds(Int64(milliseconds)) }
        case .clear:
            faults = ArmedFaults()
            for session in sessions.values { session.output.latency = .zero }
            if systemStatus != "online" { inject(.status("online")) }
        }
        return 0
    }

    private func forEach(_ target: Fault.Target, _ body: (any ClientSession) -> Void) -> Int {
        var touched = 0
        for session in sessions.values where session.output.endpoint.matches(target) {
            body(session)
            touched += 1
        }
        return touched
    }

    /// Whether the next book frame of `symbol` must carry a wrong checksum (consumes the fault).
    func takeChecksumCorruption(symbol: String) -> Bool {
        for key in [symbol, "*"] where faults.checksumCorruptions[key, default: 0] > 0 {
            faults.checksumCorruptions[key]! -= 1
            counters.add("checksums_corrupted")
            return true
        }
        return false
    }

    func takeRateLimit() -> Bool {
        guard faults.rateLimits > 0 else { return false }
        faults.rateLimits -= 1
        counters.add("rate_limited_requests")
        return true
    }

    func takeTokenRejection() -> Bool {
        guard faults.tokenRejections > 0 else { return false }
        faults.tokenRejections -= 1
        counters.add("tokens_rejected")
        return true
    }

    func takeRESTFailure() -> Fault.RESTFailure? {
        guard !faults.restFailures.isEmpty else { return nil }
        return faults.restFailures.removeFirst()
    }
}

/// Faults waiting for the next occasion to fire.
private struct ArmedFaults {
    var checksumCorruptions: [String: Int] = [:]
    var rateLimits = 0
    var tokenRejections = 0
    var restFailures: [Fault.RESTFailure] = []
    var latency: TimeAmount = .zero
}

/// Wall-clock time for frame timestamps.
enum UnixClock {
    static func nanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
