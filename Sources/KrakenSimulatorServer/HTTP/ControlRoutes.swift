import FixedPoint
import Foundation
import KrakenSimulator
import KrakenWire
import NIOHTTP1

/// The simulator's control API (HTTP JSON) for tests and operators: inject faults, pause and
/// step the markets, read the ground truth and the counters. Documented in docs/simulator.md.
enum ControlRoutes {
    static func reply(to request: HTTPRequest, exchange: Exchange) -> HTTPReply {
        switch (request.method, request.path) {
        case (.GET, "/health"):
            return .json(#"{"status":"ok"}"#)
        case (.GET, "/state"):
            return encode(State(
                systemStatus: exchange.systemStatus, paused: exchange.isPaused, tick: exchange.tickCount,
                connections: exchange.connectionCount, pairs: exchange.pairs.map(\.symbol)))
        case (.GET, "/counters"):
            return encode(exchange.counters.values)
        case (.POST, "/faults"):
            let spec: FaultSpec
            do { spec = try JSONDecoder().decode(FaultSpec.self, from: Data(request.body)) } catch {
                return failure("body must be a fault object like {\"kind\":\"disconnect\"}: \(error)")
            }
            switch spec.fault() {
            case .success(let fault): return encode(FaultApplied(kind: fault.kind, connections: exchange.inject(fault)))
            case .failure(let error): return failure(error.message)
            }
        case (.POST, "/market/pause"):
            exchange.isPaused = true
            return .json(#"{"paused":true}"#)
        case (.POST, "/market/resume"):
            exchange.isPaused = false
            return .json(#"{"paused":false}"#)
        case (.POST, "/market/step"):
            let steps = (try? JSONDecoder().decode(StepRequest.self, from: Data(request.body)))?.steps ?? 1
            guard (1...100_000).contains(steps) else { return failure("steps must be 1…100000") }
            exchange.step(times: steps)
            return .json(#"{"tick":\#(exchange.tickCount)}"#)
        case (.POST, "/orders"):
            return placeOrder(request.body, exchange: exchange)
        case (.POST, "/orders/cancel"):
            return cancelOrder(request.body, exchange: exchange)
        case (.GET, "/truth/private-events"):
            return privateEvents(request.query, exchange: exchange)
        case (.GET, "/truth/book"):
            return truthBook(request.query, exchange: exchange)
        default:
            return .json(#"{"error":"no such control endpoint: \#(request.method) \#(request.path)"}"#, status: .notFound)
        }
    }

    /// The book a client subscribed at `depth` must hold now, with its checksum: as a v2 client
    /// reads it, or with `version=v1` as a v1 client does (its strings' decimals).
    private static func truthBook(_ query: [String: String], exchange: Exchange) -> HTTPReply {
        guard let symbol = query["symbol"], let market = exchange.market(symbol) ?? exchange.market(v1Name: symbol) else {
            return failure("symbol must name a simulated pair (\(exchange.pairs.map(\.symbol).joined(separator: ", ")))")
        }
        let depth = query["depth"].flatMap(Int.init) ?? 10
        guard KrakenLimits.bookDepths.contains(depth) else { return failure("depth must be one of \(KrakenLimits.bookDepths)") }
        let pair = market.pair
        // v1 clients receive (and checksum) strings with the pair's v1 decimals.
        let decimals = query["version"] == "v1" ? pair.v1Decimals : pair.precision
        var view = BookView(depth: depth)
        let levels = view.snapshot(of: market)
        func text(_ levels: [MarketLevel]) -> [[String]] {
            levels.map { [pair.text(price: $0.price, decimals: decimals), pair.text(quantity: $0.quantity, decimals: decimals)] }
        }
        return encode(TruthBook(symbol: pair.symbol, depth: depth, tick: exchange.tickCount,
                                checksum: view.checksum(pair: pair, decimals: decimals),
                                bids: text(levels.bids), asks: text(levels.asks)))
    }

    static func encode(_ value: some Encodable) -> HTTPReply {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(value) else { return failure("encoding failed") }
        return .respond(status: .ok, body: Array(data))
    }

    static func failure(_ message: String) -> HTTPReply {
        let data = (try? JSONEncoder().encode(["error": message])) ?? Data()
        return .respond(status: .badRequest, body: Array(data))
    }

    private struct State: Encodable {
        var systemStatus: String
        var paused: Bool
        var tick: UInt64
        var connections: Int
        var pairs: [String]
    }

    private struct FaultApplied: Encodable {
        var kind: String
        var connections: Int
    }

    private struct StepRequest: Decodable {
        var steps: Int
    }

    private struct TruthBook: Encodable {
        var symbol: String
        var depth: Int
        var tick: UInt64
        var checksum: UInt32
        var bids: [[String]]
        var asks: [[String]]
    }
}
