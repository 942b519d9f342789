import Foundation
import KrakenWire

/// Parses Kraken's documented v2 trade message with `V2TradeMessage` (exact decimals, typed
/// errors) and, for the ratio, with Foundation's `JSONDecoder` into a Codable model of the same
/// fields (which reads numbers through Double: fast to write, wrong for checksums).
struct TradeParseBenchmark {
    let iterations: Int
    let runs: Int
    /// Off when profiling the KrakenWire parser alone.
    var compareWithFoundation = true

    static let frame = Array(#"{"channel":"trade","type":"update","data":[{"symbol":"MATIC/USD","side":"sell","price":0.5117,"qty":40.0,"ord_type":"market","trade_id":4665906,"timestamp":"2023-09-25T07:49:37.708706Z"}]}"#.utf8)

    struct CodableMessage: Decodable {
        struct Trade: Decodable {
            var symbol: String
            var side: String
            var price: Double
            var qty: Double
            var ord_type: String
            var trade_id: UInt64
            var timestamp: String
        }
        var channel: String
        var type: String
        var data: [Trade]
    }

    func run() throws {
        let scanner = try measure { () throws -> UInt64 in
            try Self.frame.withUnsafeBytes { try V2TradeMessage(frame: $0).trades[0].tradeID }
        }
        guard compareWithFoundation else {
            print(String(format: "KrakenWire trade parse: median %.0f ns per message", scanner.median))
            return
        }
        let data = Data(Self.frame)
        let decoder = JSONDecoder()
        let foundation = try measure { () throws -> UInt64 in
            try decoder.decode(CodableMessage.self, from: data).data[0].trade_id
        }
        print("| parser | median ns per message | min | max |")
        print("|---|---|---|---|")
        print(String(format: "| KrakenWire V2TradeMessage (exact decimals, RFC 3339 → ns) | %.0f | %.0f | %.0f |", scanner.median, scanner.min, scanner.max))
        print(String(format: "| Foundation JSONDecoder, Codable (Double numbers, string time) | %.0f | %.0f | %.0f |", foundation.median, foundation.min, foundation.max))
        print("")
        print(String(format: "JSONDecoder / scanner: %.1f×. %d messages per run, %d runs.", foundation.median / scanner.median, iterations, runs))
    }

    func measure(_ body: () throws -> UInt64) throws -> (median: Double, min: Double, max: Double) {
        var samples: [Double] = []
        var sink: UInt64 = 0
        for _ in 0..<runs {
            let clock = ContinuousClock()
            let start = clock.now
            for _ in 0..<iterations { sink &+= try body() }
            let elapsed = clock.now - start
            samples.append((Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9) / Double(iterations))
        }
        precondition(sink > 0)
        samples.sort()
        return (samples[samples.count / 2], samples.first!, samples.last!)
    }
}
