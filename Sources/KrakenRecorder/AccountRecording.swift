import Foundation
import KrakenFeed
import PrivateFlow

/// What an account recording does beyond recording frames: notices when the order-bearing
/// snapshots of the private subscriptions have come, and then fetches what the account feed's
/// reconciliation reads, so a replay can answer it as Kraken did at that moment.
struct AccountRecording {
    private var awaitedSnapshots: Set<PrivateChannel>
    private let version: ProtocolVersion
    private let rest: PrivateRESTClient

    init(version: ProtocolVersion, rest: PrivateRESTClient) {
        self.version = version
        self.rest = rest
        awaitedSnapshots = Set(PrivateChannel.subscribed(by: version).filter(\.carriesOrders))
    }

    /// Whether `frame` was the last order-bearing snapshot awaited (true once).
    mutating func snapshotArrived(_ frame: [UInt8]) -> Bool {
        guard !awaitedSnapshots.isEmpty, let channel = Self.snapshotChannel(frame, version: version) else { return false }
        return awaitedSnapshots.remove(channel) != nil && awaitedSnapshots.isEmpty
    }

    /// What the account feed's reconciliation reads: OpenOrders, and ClosedOrders (with
    /// trades) and TradesHistory since the recording started (a bridge replaying the capture
    /// starts then too), each answer that came with HTTP 2xx; a call that failed is left out (a
    /// replay then answers it with an error). First pages only: a replay serves one answer.
    func reconciliationAnswers(sinceNs: Int64) async -> [(path: String, body: [UInt8])] {
        // Whole seconds, rounded up: nothing from before the recording began.
        let since = String((sinceNs + 999_999_999) / 1_000_000_000)
        let calls: [(method: String, fields: [(String, String)])] = [
            ("OpenOrders", [("trades", "true")]), ("ClosedOrders", [("trades", "true"), ("start", since)]), ("TradesHistory", [("start", since)]),
        ]
        var answers: [(path: String, body: [UInt8])] = []
        for call in calls {
            guard let body = try? await rest.call(call.method, fields: call.fields) else { continue }
            answers.append(("/0/private/\(call.method)", Array(body)))
        }
        return answers
    }

    /// The channel whose snapshot `frame` is: a v2 `executions`/`balances` frame of type
    /// `snapshot`, or over v1 any `ownTrades`/`openOrders` data frame (v1 marks none; the
    /// first after subscribing is the snapshot).
    static func snapshotChannel(_ frame: [UInt8], version: ProtocolVersion) -> PrivateChannel? {
        switch version {
        case .v2:
            let head = String(decoding: frame.prefix(64), as: UTF8.self)
            guard head.contains(#""type":"snapshot""#) else { return nil }
            if head.contains(#""channel":"executions""#) { return .v2Executions }
            if head.contains(#""channel":"balances""#) { return .v2Balances }
            return nil
        case .v1:
            guard frame.first == UInt8(ascii: "[") else { return nil }
            let tail = String(decoding: frame.suffix(64), as: UTF8.self)
            if tail.contains(#","ownTrades","#) { return .v1OwnTrades }
            if tail.contains(#","openOrders","#) { return .v1OpenOrders }
            return nil
        }
    }
}

/// Removes a secret from recorded text.
enum Redaction {
    static let placeholder = Array("REDACTED".utf8)

    /// `text` with every occurrence of `secret` replaced by `REDACTED`.
    static func replacing(_ secret: [UInt8], in text: [UInt8]) -> [UInt8] {
        guard !secret.isEmpty, text.count >= secret.count else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            if index + secret.count <= text.count, text[index..<(index + secret.count)].elementsEqual(secret) {
                result += placeholder
                index += secret.count
            } else {
                result.append(text[index])
                index += 1
            }
        }
        return result
    }
}
