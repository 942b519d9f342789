import Foundation
import HTTPTransport
import KrakenCapture
import KrakenFeed
import KrakenREST
import NIOCore
import NIOHTTP1
import NIOPosix
import TransportTLS
import WebSocketTransport
import WireFormat

/// Records one Kraken connection as a `CaptureRecording` (JSON lines): the AssetPairs answer of
/// the connect, every frame sent, every frame received with its receive time, until a limit of
/// the plan is reached. Plain client code — no book is kept, nothing is interpreted — so a
/// capture holds what Kraken sent, for `sim --replay` and `krakenbridge verify`.
///
/// With credentials it records the authenticated connection as the account feed makes it: a
/// token (never written: `REDACTED` in the capture), the private subscriptions, and once their
/// order-bearing snapshots came, the REST answers a reconciliation reads (OpenOrders,
/// ClosedOrders and TradesHistory since the recording began), which a replay serves back.
public enum CaptureRecorder {
    /// What was recorded.
    public struct Summary: Sendable, Equatable {
        public var framesReceived: Int
        public var framesSent: Int
        public var bytes: Int
        /// Why it stopped: `duration`, `frames`, `bytes` or `closed` (the server closed).
        public var stoppedBy: String
    }

    /// Records into `write` (called with whole lines, in order, from this task).
    public static func record(_ plan: RecordingPlan, write: (_ line: [UInt8]) throws -> Void) async throws -> Summary {
        let tls = plan.endpoint.secure || plan.rest.secure ? try ClientTLS.context(trustingCAFile: plan.trustedCAFile) : nil
        let recordsAccount = plan.credentials != nil
        let header = CaptureRecording.Header(
            protocol: plan.protocolVersion.rawValue, url: plan.endpoint.description, startedNs: UnixTime.nanoseconds(),
            pairs: recordsAccount ? [] : plan.symbols, bookDepth: plan.bookDepth > 0 && !recordsAccount ? plan.bookDepth : nil,
            feed: recordsAccount ? CaptureRecording.Header.accountFeed : nil)
        var bytes = 0
        func emit(_ line: [UInt8]) throws {
            bytes += line.count
            try write(line)
        }
        try emit(CaptureRecording.headerLine(header))

        let assetPairsPath = "/0/public/AssetPairs"
        let response: HTTPClient.Response
        do {
            response = try await HTTPClient.request(
                method: .GET, host: plan.rest.host, port: plan.rest.port, path: assetPairsPath,
                headers: [(name: "User-Agent", value: "krakenbridge-record")], timeout: .seconds(10), tls: plan.rest.secure ? tls : nil)
        } catch {
            throw RecordingError.assetPairs("\(error)")
        }
        try emit(CaptureRecording.line(.init(timestampNs: UnixTime.nanoseconds(), direction: .rest, text: response.body, path: assetPairsPath)))
        var v1Names: [String: String] = [:]
        let subscriptions: [[UInt8]]
        /// The token is a credential for 15 minutes: never written to the capture.
        var redact: ([UInt8]) -> [UInt8] = { $0 }
        var account: AccountRecording?
        if let credentials = plan.credentials {
            let client = PrivateRESTClient(endpoint: plan.rest, credentials: credentials, tls: plan.rest.secure ? tls : nil)
            let token: String
            do {
                let body = Array(try await client.call("GetWebSocketsToken"))
                token = try WebSocketsToken(responseBody: Data(body)).token
                redact = { text in Redaction.replacing(Array(token.utf8), in: text) }
                try emit(CaptureRecording.line(.init(
                    timestampNs: UnixTime.nanoseconds(), direction: .rest, text: redact(body), path: "/0/private/GetWebSocketsToken")))
            } catch {
                throw RecordingError.token("\(error)")
            }
            subscriptions = try plan.accountSubscriptions(token: token)
            account = AccountRecording(version: plan.protocolVersion, rest: client)
        } else if plan.protocolVersion == .v1 {
            guard (200..<300).contains(response.status) else { throw RecordingError.assetPairs("HTTP \(response.status)") }
            let map: SymbolMap
            do { map = SymbolMap(pairs: try AssetPair.parse(responseBody: Data(response.body))) } catch {
                throw RecordingError.assetPairs("\(error)")
            }
            for symbol in plan.symbols { v1Names[symbol] = map.webSocketName(for: symbol) }
            subscriptions = try plan.subscriptions(v1Names: v1Names)
        } else {
            subscriptions = try plan.subscriptions(v1Names: v1Names)
        }

        let client: WebSocketClient
        do {
            client = try await WebSocketClient.connect(
                host: plan.endpoint.host, port: plan.endpoint.port, path: plan.endpoint.path, group: MultiThreadedEventLoopGroup.singleton,
                tls: plan.endpoint.secure ? tls : nil)
        } catch {
            throw RecordingError.connect("\(plan.endpoint): \(error)")
        }
        var summary = Summary(framesReceived: 0, framesSent: 0, bytes: 0, stoppedBy: "closed")
        do {
            // Requests go out once the greeting (status) came, and over v2 the instrument
            // snapshot is asked for first and the rest once it came, as the bridge does: a
            // replay can then hold each answer back until its question was asked.
            var awaitingGreeting = true
            var waitingForInstruments = plan.protocolVersion == .v2 && !recordsAccount && subscriptions.count > 1
            var unsent = subscriptions[...]
            func send(_ frames: ArraySlice<[UInt8]>) async throws {
                for frame in frames {
                    try await client.send(text: frame)
                    try emit(CaptureRecording.line(.init(timestampNs: UnixTime.nanoseconds(), direction: .sent, text: redact(frame))))
                    summary.framesSent += 1
                }
            }
            let deadline = ContinuousClock.now + plan.duration
            summary.stoppedBy = try await withThrowingTaskGroup(of: Void.self) { group in
                // The deadline closes the connection, which ends the frame stream below. The
                // frames are read in this task, so `write` needs no synchronisation.
                group.addTask {
                    try await Task.sleep(until: deadline)
                    await client.close()
                }
                var stopped = "closed"
                frames: for await event in client.events {
                    switch event {
                    case .text(let text):
                        try emit(CaptureRecording.line(.init(timestampNs: UnixTime.nanoseconds(), direction: .received, text: text)))
                        summary.framesReceived += 1
                        if awaitingGreeting {
                            awaitingGreeting = false
                            try await send(waitingForInstruments ? unsent.prefix(1) : unsent)
                            unsent = waitingForInstruments ? unsent.dropFirst() : []
                        } else if waitingForInstruments, Self.isInstrumentSnapshot(text) {
                            waitingForInstruments = false
                            try await send(unsent)
                        }
                        if account?.snapshotArrived(text) == true, let answers = await account?.reconciliationAnswers(sinceNs: header.startedNs) {
                            for answer in answers {
                                try emit(CaptureRecording.line(.init(
                                    timestampNs: UnixTime.nanoseconds(), direction: .rest, text: answer.body, path: answer.path)))
                            }
                        }
                        if let limit = plan.maxFrames, summary.framesReceived >= limit {
                            stopped = "frames"
                            break frames
                        }
                        if let limit = plan.maxBytes, bytes >= limit {
                            stopped = "bytes"
                            break frames
                        }
                    case .binary: continue
                    case .closed: break frames
                    }
                }
                if stopped == "closed", ContinuousClock.now >= deadline { stopped = "duration" }
                group.cancelAll()
                return stopped
            }
        } catch {
            await client.close()
            throw error
        }
        await client.close()
        summary.bytes = bytes
        return summary
    }

    /// A v2 instrument snapshot, `{"channel":"instrument","type":"snapshot",…}`.
    static func isInstrumentSnapshot(_ text: [UInt8]) -> Bool {
        let frame = String(decoding: text.prefix(64), as: UTF8.self)
        return frame.contains(#""channel":"instrument""#) && frame.contains(#""type":"snapshot""#)
    }
}
