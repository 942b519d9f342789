import FixedPoint
import Foundation
import KrakenREST
import Testing

@Suite("Kraken REST responses")
struct RESTParsingTests {
    @Test("GetWebSocketsToken: token and lifetime, never printed")
    func token() throws {
        let body = Data(#"{"error":[],"result":{"token":"1Dwc4lzSwNWOAwkMdqhssNNFhs1ed606d1WcF3XfEMw","expires":900}}"#.utf8)
        let token = try WebSocketsToken(responseBody: body)
        #expect(token.token == "1Dwc4lzSwNWOAwkMdqhssNNFhs1ed606d1WcF3XfEMw")
        #expect(token.expiresSeconds == 900)
        #expect(!"\(token)".contains("1Dwc4"))
    }

    @Test("errors in the envelope become typed errors, whatever the HTTP status")
    func envelopeErrors() {
        func fails(_ json: String) -> KrakenRESTError? {
            do {
                _ = try WebSocketsToken(responseBody: Data(json.utf8))
                return nil
            } catch {
                return error
            }
        }
        #expect(fails(#"{"error":["EAPI:Invalid nonce"]}"#) == .invalidNonce)
        #expect(fails(#"{"error":["EAPI:Invalid key"]}"#) == .invalidKey)
        #expect(fails(#"{"error":["EGeneral:Permission denied"]}"#) == .permissionDenied)
        #expect(fails(#"{"error":["EOrder:Insufficient funds"]}"#) == .other("EOrder:Insufficient funds"))
        #expect(KrakenRESTError.invalidNonce.isTransient)
        #expect(!KrakenRESTError.invalidKey.isTransient)
        guard case .malformedResponse = fails("<html>502</html>") else {
            Issue.record("HTML must be a malformed response")
            return
        }
        guard case .malformedResponse = fails(#"{"error":[]}"#) else {
            Issue.record("no result must be a malformed response")
            return
        }
    }

    static let assetPairs = Data(#"""
        {"error":[],"result":{
          "XXBTZUSD":{"altname":"XBTUSD","wsname":"XBT/USD","base":"XXBT","quote":"ZUSD","pair_decimals":1,"lot_decimals":8,
                      "cost_decimals":5,"ordermin":"0.00005","costmin":"0.5","tick_size":"0.1","status":"online"},
          "XDGUSD":{"altname":"XDGUSD","wsname":"XDG/USD","base":"XXDG","quote":"ZUSD","pair_decimals":7,"lot_decimals":8,
                    "ordermin":"15","status":"online"},
          "XETHXXBT":{"altname":"ETHXBT","wsname":"ETH/XBT","base":"XETH","quote":"XXBT","pair_decimals":5,"lot_decimals":8},
          "XXRPZUSD":{"altname":"XRPUSD","wsname":"XRP/USD","base":"XXRP","quote":"ZUSD","pair_decimals":5,"lot_decimals":8},
          "XBTUSD.d":{"altname":"XBTUSD.d","base":"XXBT","quote":"ZUSD","pair_decimals":1,"lot_decimals":8}
        }}
        """#.utf8)

    @Test("AssetPairs gives precisions and names; pairs without a WebSocket name are left out")
    func assetPairs() throws {
        let pairs = try AssetPair.parse(responseBody: Self.assetPairs)
        #expect(pairs.map(\.restKey) == ["XDGUSD", "XETHXXBT", "XXBTZUSD", "XXRPZUSD"])
        let btc = try #require(pairs.first { $0.restKey == "XXBTZUSD" })
        #expect(btc.pairDecimals == 1)
        #expect(btc.lotDecimals == 8)
        #expect(btc.orderMin == (try FixedDecimal("0.00005")))
        #expect(btc.tickSize == (try FixedDecimal("0.1")))
        #expect(btc.symbol == "BTC/USD")
    }

    @Test("symbols normalise between v1, v2, REST keys and altnames")
    func symbolMap() throws {
        let map = SymbolMap(pairs: try AssetPair.parse(responseBody: Self.assetPairs))
        #expect(map.symbols == ["BTC/USD", "DOGE/USD", "ETH/BTC", "XRP/USD"])
        #expect(map.symbol(for: "XBT/USD") == "BTC/USD")
        #expect(map.symbol(for: "xxbtzusd") == "BTC/USD")
        #expect(map.symbol(for: "XBTUSD") == "BTC/USD")
        #expect(map.symbol(for: "XDG/USD") == "DOGE/USD")
        #expect(map.symbol(for: "ETHXBT") == "ETH/BTC")
        #expect(map.symbol(for: "XRP/USD") == "XRP/USD", "XRP keeps its X")
        #expect(map.symbol(for: "NOPE/USD") == nil)
        #expect(map.pair(for: "DOGE/USD")?.pairDecimals == 7)
        #expect(SymbolMap.v1Name(fromV2: "BTC/USD") == "XBT/USD")
        #expect(SymbolMap.v1Name(fromV2: "DOGE/EUR") == "XDG/EUR")
        #expect(SymbolMap.v2Symbol(fromV1: "xbt/eur") == "BTC/EUR")
    }

    @Test("a v1 feed's names: the wsname of a v2 symbol, and back (any spelling as a fallback)")
    func webSocketNames() throws {
        let map = SymbolMap(pairs: try AssetPair.parse(responseBody: Self.assetPairs))
        #expect(map.webSocketName(for: "BTC/USD") == "XBT/USD")
        #expect(map.webSocketName(for: "DOGE/USD") == "XDG/USD")
        #expect(map.webSocketName(for: "NOPE/USD") == nil)
        #expect(map.symbol(forWebSocketName: "XBT/USD") == "BTC/USD")
        #expect(map.symbol(forWebSocketName: "xdg/usd") == "DOGE/USD")
        #expect(map.symbol(forWebSocketName: "NOPE/USD") == nil)
    }

    @Test("decimals beyond what an exact decimal holds are refused")
    func badDecimals() {
        let body = Data(#"{"error":[],"result":{"P":{"altname":"P","wsname":"A/B","base":"A","quote":"B","pair_decimals":40,"lot_decimals":8}}}"#.utf8)
        #expect(throws: KrakenRESTError.malformedResponse("P: decimals out of range")) { try AssetPair.parse(responseBody: body) }
    }
}
