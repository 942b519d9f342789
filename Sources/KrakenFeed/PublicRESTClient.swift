import Foundation
import HTTPTransport
import KrakenREST
import NIOCore
import NIOHTTP1
import NIOSSL

/// Kraken's public REST call the feeds make: `AssetPairs`, the source of the v1 WebSocket names
/// (`wsname`), the REST names (`XXBTZUSD`, `XBTUSD`) and, for v1, the precisions books are kept
/// at. Unsigned, so it needs no credentials.
final class PublicRESTClient: Sendable {
    let endpoint: RESTEndpoint
    private let tls: NIOSSLContext?
    private let timeout: TimeAmount

    init(endpoint: RESTEndpoint, tls: NIOSSLContext?, timeout: TimeAmount = .seconds(10)) {
        self.endpoint = endpoint
        self.tls = tls
        self.timeout = timeout
    }

    /// Every pair with a WebSocket name (the whole list: a pair added at run time must be found).
    func assetPairs() async throws -> [AssetPair] {
        let response = try await HTTPClient.request(
            method: .GET, host: endpoint.host, port: endpoint.port, path: "/0/public/AssetPairs",
            headers: [(name: "User-Agent", value: "krakenbridge")], timeout: timeout, tls: endpoint.secure ? tls : nil)
        guard (200..<300).contains(response.status) else {
            throw RESTCallError(description: "AssetPairs: HTTP \(response.status)")
        }
        return try AssetPair.parse(responseBody: Data(response.body))
    }

    /// The `SymbolMap` of the current AssetPairs.
    func symbolMap() async throws -> SymbolMap { SymbolMap(pairs: try await assetPairs()) }
}
