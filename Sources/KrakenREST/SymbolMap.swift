/// Translates between Kraken's names for one pair: the v2 symbol (`BTC/USD`, the canonical
/// form on the bus), the v1 WebSocket name (`XBT/USD`), the REST key (`XXBTZUSD`) and the REST
/// altname (`XBTUSD`). Built from AssetPairs; never strips X/Z prefixes blindly (`XRP`, `ZEC`
/// are real codes).
public struct SymbolMap: Sendable {
    private var byV2: [String: AssetPair] = [:]
    private var v2ByV1: [String: String] = [:]
    private var v2ByRESTKey: [String: String] = [:]
    private var v2ByAltname: [String: String] = [:]

    public init(pairs: [AssetPair]) {
        for pair in pairs {
            let symbol = pair.symbol
            byV2[symbol] = pair
            v2ByV1[pair.wsname.uppercased()] = symbol
            v2ByRESTKey[pair.restKey.uppercased()] = symbol
            v2ByAltname[pair.altname.uppercased()] = symbol
        }
    }

    /// Asset codes that differ between the v1 and v2 WebSocket APIs.
    static let v1ToV2Assets = ["XBT": "BTC", "XDG": "DOGE"]
    static let v2ToV1Assets = ["BTC": "XBT", "DOGE": "XDG"]

    /// `XBT/USD` → `BTC/USD`, `XDG/EUR` → `DOGE/EUR`; other codes unchanged (uppercased).
    public static func v2Symbol(fromV1 name: String) -> String {
        mapSides(of: name, with: v1ToV2Assets)
    }

    /// `BTC/USD` → `XBT/USD`.
    public static func v1Name(fromV2 symbol: String) -> String {
        mapSides(of: symbol, with: v2ToV1Assets)
    }

    private static func mapSides(of name: String, with table: [String: String]) -> String {
        let sides = name.uppercased().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard sides.count == 2 else { return name.uppercased() }
        return sides.map { table[$0] ?? $0 }.joined(separator: "/")
    }

    /// The v2 symbol for any of Kraken's names of a known pair (case-insensitive).
    public func symbol(for name: String) -> String? {
        let key = name.uppercased()
        if byV2[key] != nil { return key }
        return v2ByV1[key] ?? v2ByRESTKey[key] ?? v2ByAltname[key]
    }

    /// The v2 symbol for a v1 WebSocket pair name. Kraken writes them exactly as AssetPairs'
    /// `wsname`, so that is looked up first without building an uppercased copy (this runs for
    /// every v1 data message); anything else goes through `symbol(for:)`.
    public func symbol(forWebSocketName name: String) -> String? {
        v2ByV1[name] ?? symbol(for: name)
    }

    /// The v1 WebSocket name (`XBT/USD`) of a v2 symbol, from AssetPairs.
    public func webSocketName(for symbol: String) -> String? { pair(for: symbol)?.wsname }

    /// The pair (with its precisions) for a v2 symbol.
    public func pair(for symbol: String) -> AssetPair? { byV2[symbol.uppercased()] }

    public var symbols: [String] { byV2.keys.sorted() }
}
