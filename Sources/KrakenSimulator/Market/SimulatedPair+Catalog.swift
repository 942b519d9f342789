extension SimulatedPair {
    /// The pair called `symbol` (v2 or v1 name): a default pair when there is one, otherwise a new
    /// pair with 2 price and 5 quantity decimals whose v1 strings carry 8 of each (as Kraken
    /// writes `"354.80000000"` for a pair with `pair_decimals` 2); nil when `symbol` is not
    /// `BASE/QUOTE`.
    public static func named(_ symbol: String) -> SimulatedPair? {
        if let known = defaults.first(where: { $0.symbol == symbol || $0.v1Name == symbol }) { return known }
        let parts = symbol.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (2...10).contains($0.count) && $0.allSatisfy { $0.isUppercase || $0.isNumber } })
        else { return nil }
        let base = String(parts[0])
        let quote = String(parts[1])
        return SimulatedPair(symbol: symbol, v1Name: symbol, restKey: base + quote, base: base, quote: quote,
                             priceScale: 2, quantityScale: 5, initialMid: 10_000 + Int64(symbol.hashValueStable % 90_000),
                             v1Decimals: Decimals(price: 8, quantity: 8))
    }

    /// `count` generated pairs `SIM1/USD`, `SIM2/USD`, … (for tests with hundreds of pairs).
    public static func synthetic(count: Int) -> [SimulatedPair] {
        (0..<max(0, count)).compactMap { named("SIM\($0 + 1)/USD") }
    }
}
