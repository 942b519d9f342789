import FixedPoint
import KrakenSimulator
import KrakenWire
import Testing

/// Shared pieces of the account tests: BTC/USD (price 1 decimal, volume 8), USD kept at 4
/// decimals, BTC at 10.
enum AccountFixture {
    static let btc = SimulatedPair.defaults[0]
    static let start: Int64 = 1_700_000_000_000_000_000
    static let second: Int64 = 1_000_000_000
    /// 26 000.0 / 26 600.0: a 0.005 BTC buy at 26 500.0 rests; a sell at 26 599.9 rests.
    static let top = TopOfBook(bid: 260_000, ask: 266_000)

    /// USD at scale 4, BTC at scale 10.
    static let startingUSD: Int64 = 100_000 * 10_000
    static let startingBTC: Int64 = 10 * 10_000_000_000

    static func executions(_ account: SimulatedAccount, from index: Int = 0) -> [ExecutionEvent] {
        account.events(since: index).compactMap(\.execution)
    }

    static func ledger(_ account: SimulatedAccount, from index: Int = 0) -> [LedgerEntry] {
        account.events(since: index).compactMap(\.ledgerEntry)
    }

    /// A long seeded run: the markets move `marketSteps` times between account steps, 100 ms apart.
    static func randomRun(seed: UInt64, steps: Int, marketSteps: Int = 4) -> (SimulatedAccount, [PairMarket]) {
        var account = SimulatedAccount(seed: seed)
        var markets = SimulatedPair.defaults.map { PairMarket(pair: $0, seed: seed &+ 7) }
        for step in 0..<steps {
            for index in markets.indices {
                for _ in 0..<marketSteps { _ = markets[index].step() }
            }
            account.step(markets: markets, nowNs: start + Int64(step) * second / 10)
        }
        return (account, markets)
    }
}

/// Frame parsing as the bridge does it.
enum Parse {
    static func v2(_ frame: [UInt8]) throws -> V2Message {
        try frame.withUnsafeBytes { try V2Message(frame: $0) }
    }

    static func v1(_ frame: [UInt8]) throws -> V1Message {
        try frame.withUnsafeBytes { try V1Message(frame: $0) }
    }

    static func executions(_ frame: [UInt8]) throws -> V2ExecutionsMessage {
        guard case .executions(let message) = try v2(frame) else { throw Mismatch("not an executions frame") }
        return message
    }

    static func balances(_ frame: [UInt8]) throws -> V2BalancesMessage {
        guard case .balances(let message) = try v2(frame) else { throw Mismatch("not a balances frame") }
        return message
    }

    static func openOrders(_ frame: [UInt8]) throws -> V1OpenOrdersMessage {
        guard case .openOrders(let message) = try v1(frame) else { throw Mismatch("not an openOrders frame") }
        return message
    }

    static func ownTrades(_ frame: [UInt8]) throws -> V1OwnTradesMessage {
        guard case .ownTrades(let message) = try v1(frame) else { throw Mismatch("not an ownTrades frame") }
        return message
    }
}

struct Mismatch: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Whether a parsed decimal is the number `mantissa × 10^-scale` (v2 trims trailing zeros).
func equals(_ value: FixedDecimal?, _ mantissa: Int64, _ scale: UInt8) -> Bool {
    guard let value else { return false }
    return value.isNumericallyEqual(to: FixedDecimal(mantissa: mantissa, scale: scale))
}

/// The account's words for what the parsers read.
enum Words {
    static func execType(_ type: ExecutionEvent.ExecType) -> ExecutionType {
        switch type {
        case .pendingNew: .pendingNew
        case .new: .new
        case .trade: .trade
        case .filled: .filled
        case .canceled: .canceled
        case .expired: .expired
        }
    }

    static func status(_ status: SimulatedOrder.Status) -> OrderStatus {
        switch status {
        case .pendingNew: .pendingNew
        case .new: .new
        case .partiallyFilled: .partiallyFilled
        case .filled: .filled
        case .canceled: .canceled
        case .expired: .expired
        }
    }

    static func v1Status(_ status: SimulatedOrder.Status) -> V1OrderStatus {
        switch status {
        case .pendingNew: .pending
        case .new, .partiallyFilled: .open
        case .filled: .closed
        case .canceled: .canceled
        case .expired: .expired
        }
    }

    static func side(_ side: SimulatedOrder.Side) -> Side { side == .buy ? .buy : .sell }

    static func orderType(_ type: SimulatedOrder.OrderType) -> OrderType { type == .limit ? .limit : .market }

    /// Epoch seconds with microseconds, as v1 writes them.
    static func v1Time(_ nanoseconds: Int64) -> Int64 { nanoseconds / 1_000 * 1_000 }

    /// Epoch seconds with 4 decimals, as REST writes them.
    static func restTime(_ nanoseconds: Int64) -> Int64 { nanoseconds / 100_000 * 100_000 }
}
