import ArgumentParser
import ControlPlane
import Foundation

/// What to subscribe, as `run` and `record` both take it.
struct SubscriptionOptions: ParsableArguments {
    @Option(help: "Comma-separated v2 pairs.")
    var pairs = "BTC/USD,ETH/USD"

    @Option(help: "Book depth: 10, 25, 100, 500 or 1000; 0 for no books.")
    var bookDepth = 10

    @Flag(inversion: .prefixedNo, help: "Trades.")
    var trades = true

    @Flag(help: "Tickers.")
    var tickers = false

    @Option(help: "Comma-separated OHLC intervals in minutes (1, 5, 15, 30, 60, 240, 1440, 10080, 21600).")
    var ohlc = ""

    func validate() throws {
        guard [0, 10, 25, 100, 500, 1000].contains(bookDepth) else { throw ValidationError("--book-depth must be 0, 10, 25, 100, 500 or 1000") }
        guard !symbols.isEmpty else { throw ValidationError("--pairs is empty") }
        // The same rule as the control socket's add-pair: a name Kraken could never list is an
        // error now, not a pair that silently never subscribes.
        for symbol in symbols where !ArgumentRules.isValidSymbol(symbol) {
            throw ValidationError("--pairs: '\(symbol)' is not a pair name; write BASE/QUOTE as Kraken's WebSocket v2 does (BTC/USD)")
        }
        _ = try intervals()
    }

    var symbols: [String] {
        Self.list(pairs)
    }

    /// A comma-separated flag's items, trimmed, empty ones left out.
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func intervals() throws -> [Int] {
        try ohlc.split(separator: ",").map { text in
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("--ohlc: '\(text)' is not a number") }
            return value
        }
    }
}
