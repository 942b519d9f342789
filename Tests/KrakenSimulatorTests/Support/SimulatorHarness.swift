import Foundation
import HTTPTransport
import KrakenAuth
import KrakenSimulatorServer
import KrakenWire
import NIOHTTP1
import NIOPosix
import WebSocketTransport

/// Why a test's conversation with the simulator went wrong.
struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A plain WebSocket client reading the simulator's frames with the bridge's parsers. A watchdog
/// closes it after `timeout`, so a frame that never comes fails the test instead of hanging it.
struct FrameReader {
    let client: WebSocketClient
    private var iterator: AsyncStream<WebSocketClient.Event>.Iterator
    private let watchdog: Task<Void, any Error>

    init(_ client: WebSocketClient, timeout: Duration = .seconds(30)) {
        self.client = client
        iterator = client.events.makeAsyncIterator()
        watchdog = Task {
            try await Task.sleep(for: timeout)
            await client.close()
        }
    }

    /// The next event: a text frame's bytes, or how the connection ended.
    mutating func nextEvent() async -> WebSocketClient.Event? { await iterator.next() }

    mutating func nextText() async throws -> [UInt8] {
        guard let event = await iterator.next() else { throw Failure("stream ended") }
        guard case .text(let bytes) = event else { throw Failure("unexpected \(event)") }
        return bytes
    }

    mutating func nextV2() async throws -> V2Message {
        let bytes = try await nextText()
        return try bytes.withUnsafeBytes { try V2Message(frame: $0) }
    }

    mutating func nextV1() async throws -> V1Message {
        let bytes = try await nextText()
        return try bytes.withUnsafeBytes { try V1Message(frame: $0) }
    }

    /// Skips v2 messages until one matches.
    mutating func nextV2<Value>(_ match: (V2Message) -> Value?) async throws -> Value {
        for _ in 0..<100_000 {
            if let value = match(try await nextV2()) { return value }
        }
        throw Failure("no matching v2 message")
    }

    /// Skips v1 messages until one matches.
    mutating func nextV1<Value>(_ match: (V1Message) -> Value?) async throws -> Value {
        for _ in 0..<100_000 {
            if let value = match(try await nextV1()) { return value }
        }
        throw Failure("no matching v1 message")
    }

    /// Skips to the next v2 request response (ack, error, pong).
    mutating func nextResponse() async throws -> V2Response {
        try await nextV2 { message -> V2Response? in
            guard case .response(let response) = message else { return nil }
            return response
        }
    }

    /// Skips to the next v2 status message.
    mutating func nextStatus() async throws -> V2Status {
        try await nextV2 { message -> V2Status? in
            guard case .status(let status) = message else { return nil }
            return status
        }
    }

    /// Skips to the next v1 subscriptionStatus.
    mutating func nextSubscriptionStatus() async throws -> V1SubscriptionStatus {
        try await nextV1 { message -> V1SubscriptionStatus? in
            guard case .subscriptionStatus(let status) = message else { return nil }
            return status
        }
    }

    func send(_ text: String) async throws { try await client.send(text: Array(text.utf8)) }
    func send(_ bytes: [UInt8]) async throws { try await client.send(text: bytes) }

    func close() async {
        watchdog.cancel()
        await client.close()
    }
}

/// A running simulator and helpers to talk to all four of its listeners.
struct SimulatorHarness {
    let server: SimulatorServer

    /// Starts a simulator, runs `body`, and always shuts it down. A test that needs the markets
    /// and the account to stand still passes an hour: a tick inside the test would move them
    /// (a minute was not enough when the whole suite runs slowly on two cores).
    static func run(
        tickMilliseconds: Int64 = 10, configure: (inout SimulatorServer.Configuration) -> Void = { _ in },
        _ body: (SimulatorHarness) async throws -> Void
    ) async throws {
        var configuration = SimulatorServer.Configuration()
        configuration.tickInterval = .milliseconds(tickMilliseconds)
        configure(&configuration)
        let server = try await SimulatorServer.start(configuration)
        do {
            try await body(SimulatorHarness(server: server))
        } catch {
            try await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    /// Connects to the public (`private: false`) or authenticated listener at `path` (`/v2` or `/`).
    func connect(private isPrivate: Bool = false, path: String = "/v2", maxFrameSize: Int = 1 << 24) async throws -> FrameReader {
        let client = try await WebSocketClient.connect(
            host: "127.0.0.1", port: isPrivate ? server.ports.private : server.ports.public, path: path,
            group: MultiThreadedEventLoopGroup.singleton, maxFrameSize: maxFrameSize)
        return FrameReader(client)
    }

    /// Connects, runs `body` with the connection's reader, and always closes it.
    func session(
        private isPrivate: Bool = false, path: String = "/v2", maxFrameSize: Int = 1 << 24, _ body: (inout FrameReader) async throws -> Void
    ) async throws {
        var reader = try await connect(private: isPrivate, path: path, maxFrameSize: maxFrameSize)
        do {
            try await body(&reader)
        } catch {
            await reader.close()
            throw error
        }
        await reader.close()
    }

    /// A control API call; the reply's JSON object.
    @discardableResult
    func control(_ method: HTTPMethod, _ path: String, body: String = "") async throws -> (status: Int, json: [String: Any]) {
        let response = try await HTTPClient.request(
            method: method, host: "127.0.0.1", port: server.ports.control, path: path, body: Array(body.utf8))
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
        return (response.status, object)
    }

    /// Fires a fault through the control API and checks it was accepted.
    @discardableResult
    func fault(_ json: String) async throws -> Int {
        let reply = try await control(.POST, "/faults", body: json)
        guard reply.status == 200 else { throw Failure("fault \(json) refused: \(reply.json)") }
        return reply.json["connections"] as? Int ?? -1
    }

    func counter(_ name: String) async throws -> UInt64 {
        let reply = try await control(.GET, "/counters")
        return (reply.json[name] as? NSNumber)?.uint64Value ?? 0
    }

    /// A signed private REST call with the simulator's demo key.
    func privateREST(_ method: String, fields: String = "", nonce: UInt64, credentials: APICredentials = SimulatorServer.demoCredentials)
        async throws -> HTTPClient.Response
    {
        let path = "/0/private/\(method)"
        let body = Array((fields.isEmpty ? "nonce=\(nonce)" : "nonce=\(nonce)&\(fields)").utf8)
        let signer = RequestSigner(credentials: credentials)
        let headers = signer.headers(path: path, nonce: nonce, body: body)
            + [(name: "Content-Type", value: "application/x-www-form-urlencoded")]
        return try await HTTPClient.request(
            method: .POST, host: "127.0.0.1", port: server.ports.rest, path: path, headers: headers, body: body)
    }

    /// A fresh WebSocket token from REST GetWebSocketsToken.
    func token(nonce: UInt64 = UInt64(Date().timeIntervalSince1970 * 1_000_000)) async throws -> String {
        let response = try await privateREST("GetWebSocketsToken", nonce: nonce)
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        guard let result = object?["result"] as? [String: Any], let token = result["token"] as? String else {
            throw Failure("no token in \(response.text)")
        }
        return token
    }
}
