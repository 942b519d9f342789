import KrakenAuth
@testable import KrakenFeed
import KrakenREST
import KrakenSimulatorServer
import SessionLifecycle
import Testing

/// Choosing the protocol version: its endpoints by default, and Kraken's names from AssetPairs.
@Suite struct ProtocolSelectionTests {
    @Test func v2IsTheDefaultAndChoosingV1MovesTheDefaultEndpointsToKrakensV1Paths() throws {
        var market = MarketFeedConfiguration()
        #expect(market.protocolVersion == .v2)
        #expect(market.connection.endpoints.map(\.description) == ["wss://ws.kraken.com:443/v2"])
        market.protocolVersion = .v1
        #expect(market.connection.endpoints.map(\.description) == ["wss://ws.kraken.com:443/"])

        var account = AccountFeedConfiguration(credentials: try .init(key: "k", base64Secret: "c2VjcmV0"))
        #expect(account.connection.endpoints.map(\.description) == ["wss://ws-auth.kraken.com:443/v2"])
        account.protocolVersion = .v1
        #expect(account.connection.endpoints.map(\.description) == ["wss://ws-auth.kraken.com:443/"])
    }

    @Test func endpointsGivenExplicitlyAreKeptWhateverTheVersion() throws {
        var market = MarketFeedConfiguration()
        let mine = try #require(FeedEndpoint(url: "ws://127.0.0.1:8790/"))
        market.connection.endpoints = [mine]
        market.protocolVersion = .v1
        market.protocolVersion = .v2
        #expect(market.connection.endpoints == [mine])
    }

    @Test func theSimulatorsAssetPairsNameEachPairInEveryWayKrakenDoes() async throws {
        try await FeedHarness.run { harness in
            let rest = PublicRESTClient(endpoint: RESTEndpoint(host: "127.0.0.1", port: harness.simulator.ports.rest, secure: false), tls: nil)
            let symbols = try await rest.symbolMap()
            #expect(symbols.webSocketName(for: "BTC/USD") == "XBT/USD")
            #expect(symbols.symbol(forWebSocketName: "XBT/USD") == "BTC/USD")
            // REST's names, as OpenOrders and QueryOrders write them, come back as v2 symbols.
            #expect(symbols.symbol(for: "XBTUSD") == "BTC/USD")
            #expect(symbols.symbol(for: "XXBTZUSD") == "BTC/USD")
            #expect(symbols.symbol(for: "ETHUSD") == "ETH/USD")
            #expect(symbols.pair(for: "ETH/USD")?.pairDecimals == 2)
            // Not stopped mid-handshake: the simulator's listener cannot take a close frame
            // that arrives while it is still upgrading the connection.
            _ = try await harness.waitForFeed(.active)
        }
    }
}
