#if canImport(Glibc)
import Glibc
#endif
import KrakenSimulator
import KrakenWire
import NIOCore
import OrderBook

/// The simulated exchange: every market and every connected client, confined to the one event
/// loop the simulator runs on (so no locks). A repeated task steps the markets and sends each
/// subscriber what changed in its view, plus heartbeats on quiet connections.
final class Exchange {
    let eventLoop: any EventLoop
    private(set) var markets: [String: PairMarket] = [:]
    let pairs: [SimulatedPair]
    private var sessions: [ObjectIdentifier: WebSocketSession] = [:]
    private var nextConnectionID: UInt64 = 0x1000_0000_0000_0000
    private var tickTask: RepeatedTask?
    private var heartbeatTask: RepeatedTask?
    /// Market steps per tick, per pair.
    let stepsPerTick: Int

    init(eventLoop: any EventLoop, pairs: [SimulatedPair], seed: UInt64, stepsPerTick: Int) {
        self.eventLoop = eventLoop
        self.pairs = pairs
        self.stepsPerTick = stepsPerTick
        for pair in pairs { markets[pair.symbol] = PairMarket(pair: pair, seed: seed) }
    }

    func start(tickInterval: TimeAmount) {
        // The tasks run on this exchange's own loop: the loop-bound reference proves it.
        let exchange = NIOLoopBound(self, eventLoop: eventLoop)
        tickTask = eventLoop.scheduleRepeatedTask(initialDelay: tickInterval, delay: tickInterval) { _ in exchange.value.tick() }
        heartbeatTask = eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
            exchange.value.heartbeat()
        }
    }

    func stop() {
        tickTask?.cancel()
        heartbeatTask?.cancel()
    }

    func market(_ symbol: String) -> PairMarket? { markets[symbol] }

    func register(_ session: WebSocketSession) -> UInt64 {
        sessions[ObjectIdentifier(session)] = session
        nextConnectionID &+= 0x9E37_79B9
        return nextConnectionID
    }

    func unregister(_ session: WebSocketSession) {
        sessions[ObjectIdentifier(session)] = nil
    }

    /// Steps every market and lets each session send its subscribers' changes.
    func tick() {
        let now = UnixClock.nanoseconds()
        for pair in pairs {
            var trades: [PairMarket.Trade] = []
            for _ in 0..<stepsPerTick {
                if let trade = markets[pair.symbol]!.step() { trades.append(trade) }
            }
            let market = markets[pair.symbol]!
            for session in sessions.values { session.marketDidChange(market, trades: trades, nowNs: now) }
        }
        for session in sessions.values { session.flushIfNeeded() }
    }

    func heartbeat() {
        for session in sessions.values { session.heartbeatIfQuiet() }
    }
}

/// Wall-clock time for frame timestamps.
enum UnixClock {
    static func nanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
