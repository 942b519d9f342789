import Foundation
import HTTPTransport
import KrakenFeed
import NIOCore
import KrakenSimulatorServer
import NIOHTTP1
import NIOPosix
import SessionLifecycle
import Testing
import WireFormat

/// The private feed against the simulator's account, over v2 (`executions`) and v1 (`ownTrades`
/// + `openOrders`): what reaches the bus must be the simulator's ground truth, every execution
/// exactly once, whatever the sequence numbers do.
@Suite(.serialized) struct AccountFeedTests {
    /// One ground-truth event from `GET /truth/private-events`.
    struct TruthEvent: Decodable {
        var index: Int
        var execType: String
        var orderId: String
        var execId: String?
        var lastQty: String?
    }

    /// What the downstream must contain for a list of ground-truth events.
    struct Expected: Equatable {
        var fills: [String] = []
        var statusReports: [String] = []

        init(_ events: [TruthEvent]) {
            for event in events {
                switch event.execType {
                case "trade": fills.append(event.execId ?? "?")
                case "new": statusReports.append("\(event.orderId):NEW")
                case "canceled": statusReports.append("\(event.orderId):CANCELED")
                case "expired": statusReports.append("\(event.orderId):EXPIRED")
                default: break
                }
            }
            fills.sort()
            statusReports.sort()
        }

        init(fills: [String], statusReports: [String]) {
            self.fills = fills.sorted()
            self.statusReports = statusReports.sorted()
        }
    }

    /// The two lists must be equal; on failure the message names what is missing and extra.
    func expectSame(_ actual: Expected, _ expected: Expected, sourceLocation: SourceLocation = #_sourceLocation) {
        func difference(_ lhs: [String], _ rhs: [String]) -> [String] {
            var remaining = rhs
            return lhs.filter { item in
                if let index = remaining.firstIndex(of: item) {
                    remaining.remove(at: index)
                    return false
                }
                return true
            }
        }
        let message = "missing fills \(difference(expected.fills, actual.fills)), extra fills \(difference(actual.fills, expected.fills)), "
            + "missing reports \(difference(expected.statusReports, actual.statusReports)), "
            + "extra reports \(difference(actual.statusReports, expected.statusReports))"
        #expect(actual == expected, Comment(rawValue: message), sourceLocation: sourceLocation)
    }

    static func truth(_ harness: FeedHarness, since: Int = 0) async throws -> [TruthEvent] {
        let response = try await HTTPClient.request(
            host: "127.0.0.1", port: harness.simulator.ports.control, path: "/truth/private-events?since=\(since)")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode([TruthEvent].self, from: Data(response.body))
    }

    /// Fills and NEW/CANCELED/EXPIRED reports on the bus since the account was resumed (what
    /// the first subscription snapshot said about earlier activity is left out).
    static func downstream(_ harness: FeedHarness, from start: Int) -> (expected: Expected, tradeReports: Int, reconciled: Int) {
        var fills: [String] = []
        var statuses: [String] = []
        var tradeReports = 0
        var reconciled = 0
        for frame in harness.recorder.all.dropFirst(start) {
            if frame.header.flags.contains(.reconciled) { reconciled += 1 }
            switch frame.payload {
            case .fill(let fill): fills.append(fill.execID)
            case .executionReport(let report):
                switch report.orderStatus {
                case .new: statuses.append("\(report.orderID):NEW")
                case .canceled: statuses.append("\(report.orderID):CANCELED")
                case .expired: statuses.append("\(report.orderID):EXPIRED")
                case .partiallyFilled, .filled: tradeReports += 1
                default: break
                }
            default: break
            }
        }
        return (Expected(fills: fills, statusReports: statuses), tradeReports, reconciled)
    }

    /// Runs the account for a while from a paused, subscribed start; `during` injects faults.
    private static func runAccount(
        _ harness: FeedHarness, for duration: Duration, during: (FeedHarness) async throws -> Void = { _ in }
    ) async throws -> (truth: [TruthEvent], busStart: Int) {
        _ = try await harness.waitForFeed(.active, account: true)
        // Paused: the snapshots' frames may still be on their way; let them land first.
        await harness.recorder.waitUntilQuiet()
        // `index` counts every account event (ledger entries too); resume after the last one seen.
        let since = try await truth(harness).last.map { $0.index + 1 } ?? 0
        let busStart = harness.recorder.all.count
        try await harness.control(.POST, "/market/resume")
        let started = ContinuousClock.now
        try await during(harness)
        let left = duration - started.duration(to: .now)
        if left > .zero { try await Task.sleep(for: left) }
        try await harness.control(.POST, "/market/pause")
        _ = try await harness.waitForFeed(.active, account: true)
        let truthEvents = try await truth(harness, since: since)
        // Let the bridge catch up (a loaded machine delays it): until every expected fill is on
        // the bus, then a little longer so that a late duplicate would show too.
        let expectedFills = Expected(truthEvents).fills
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline, downstream(harness, from: busStart).expected.fills.count < expectedFills.count {
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .milliseconds(500))
        return (truthEvents, busStart)
    }

    static func pausedAtStart(_ simulator: SimulatorServer) async throws {
        _ = try await HTTPClient.request(method: .POST, host: "127.0.0.1", port: simulator.ports.control, path: "/market/pause")
    }

    @Test(arguments: ProtocolVersion.allCases)
    func everyExecutionArrivesExactlyOnceAsTheSimulatorEmittedIt(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version, withAccount: true, beforeFeeds: Self.pausedAtStart) { harness in
            let (truth, busStart) = try await Self.runAccount(harness, for: .seconds(3))
            let expected = Expected(truth)
            #expect(expected.fills.count >= 5, "the simulated account traded too little to judge: \(expected)")
            let (actual, tradeReports, reconciled) = Self.downstream(harness, from: busStart)
            expectSame(actual, expected)
            if actual != expected {
                Issue.record("""
                    account counters: \(try await harness.account!.diagnostics()); \
                    log: \(try await harness.account!.recentLog()); bus frames since start: \(harness.recorder.all.count - busStart)
                    """)
                let missing = Set(expected.fills).subtracting(actual.fills)
                for fill in missing.sorted().prefix(3) {
                    guard let order = truth.first(where: { $0.execId == fill })?.orderId else { continue }
                    let truthLines = truth.filter { $0.orderId == order }.map { "\($0.index) \($0.execType) \($0.execId ?? "")" }
                    let busLines = harness.recorder.all.enumerated().compactMap { index, frame -> String? in
                        switch frame.payload {
                        case .executionReport(let report) where report.orderID == order:
                            return "\(index) report \(report.orderStatus) \(report.execID) flags \(frame.header.flags.rawValue)"
                        case .fill(let f) where f.orderID == order:
                            return "\(index) fill \(f.execID)"
                        default: return nil
                        }
                    }
                    Issue.record("order \(order) (busStart \(busStart)): truth \(truthLines); bus \(busLines)")
                }
            }
            #expect(tradeReports == expected.fills.count)
            #expect(reconciled == 0)
            #expect(sequenceViolations(harness.recorder.all) == [])
            let counters = try await harness.account!.diagnostics().counters
            #expect(counters.privateGaps == 0)
            #expect(counters.tokenFetches == 1)
        }
    }

    @Test(arguments: ProtocolVersion.allCases, ["sequence_skip", "sequence_duplicate", "sequence_reorder"])
    func sequenceFaultsNeverLoseOrRepeatAnExecution(_ version: ProtocolVersion, kind: String) async throws {
        try await FeedHarness.run(version, withAccount: true, beforeFeeds: Self.pausedAtStart) { harness in
            let (truth, busStart) = try await Self.runAccount(harness, for: .seconds(4)) { harness in
                for _ in 0..<3 {
                    try await Task.sleep(for: .milliseconds(700))
                    try await harness.control(.POST, "/faults", body: #"{"kind":"\#(kind)"}"#)
                }
            }
            let expected = Expected(truth)
            let (actual, tradeReports, _) = Self.downstream(harness, from: busStart)
            expectSame(actual, expected)
            #expect(tradeReports == expected.fills.count)
            #expect(sequenceViolations(harness.recorder.all) == [])
            let counters = try await harness.account!.diagnostics().counters
            if kind == "sequence_duplicate" {
                #expect(counters.privateNotes["duplicate_message", default: 0] >= 1)
            } else {
                #expect(counters.privateGaps >= 1)
                #expect(counters.resyncs >= 1)
                #expect(counters.reconciliations >= 1)
            }
        }
    }

    @Test(arguments: ProtocolVersion.allCases)
    func aDisconnectReconnectsWithAFreshTokenReconcilesAndRepeatsNothing(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version, withAccount: true, beforeFeeds: Self.pausedAtStart) { harness in
            let (truth, busStart) = try await Self.runAccount(harness, for: .seconds(5)) { harness in
                try await Task.sleep(for: .milliseconds(1_000))
                // Two refused tokens keep the private feed away for a second or two of trading.
                try await harness.control(.POST, "/faults", body: #"{"kind":"reject_tokens","count":2}"#)
                try await harness.control(.POST, "/faults", body: #"{"kind":"disconnect","target":"private"}"#)
            }
            let expected = Expected(truth)
            let (actual, tradeReports, reconciled) = Self.downstream(harness, from: busStart)
            // Everything that happened while disconnected is published once: fills missed come
            // back from the snapshot's recent trades or TradesHistory, and orders born and
            // finished entirely inside the outage (invisible to the snapshot and OpenOrders)
            // from ClosedOrders.
            expectSame(actual, expected)
            #expect(tradeReports == expected.fills.count)
            let outageOrders = harness.recorder.all.dropFirst(busStart).compactMap { frame -> String? in
                guard case .executionReport(let report) = frame.payload, report.orderStatus == .new,
                      report.krakenExecType == "ClosedOrders" else { return nil }
                return report.orderID
            }
            #expect(!outageOrders.isEmpty, "no order lived and died inside the outage: the test proved nothing")
            #expect(reconciled > 0)
            let counters = try await harness.account!.diagnostics().counters
            #expect(counters.reconnections >= 1)
            #expect(counters.tokenRejections >= 1)
            #expect(counters.reconciliations >= 2, "one after the first connect, one after the reconnect")
        }
    }

    @Test(arguments: ProtocolVersion.allCases)
    func aReconnectAfterAFirstStartNeverPublishesWhatClosedBeforeTheBridgeStarted(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version, withAccount: true, beforeFeeds: { simulator in
            // The account trades for a second before the bridge ever runs: history, not news.
            try await Task.sleep(for: .seconds(1))
            try await Self.pausedAtStart(simulator)
        }) { harness in
            _ = try await harness.waitForFeed(.active, account: true)
            try await harness.control(.POST, "/faults", body: #"{"kind":"disconnect","target":"private"}"#)
            let deadline = ContinuousClock.now + .seconds(20)
            while try await harness.account!.diagnostics().counters.reconciliations < 2, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            await harness.recorder.waitUntilQuiet(for: .milliseconds(300))
            let counters = try await harness.account!.diagnostics().counters
            #expect(counters.reconciliations >= 2 && counters.reconnections == 1 && counters.restFailures == 0)
            let fromHistory = harness.recorder.all.compactMap { frame -> String? in
                guard case .executionReport(let report) = frame.payload,
                      ["ClosedOrders", "TradesHistory"].contains(report.krakenExecType) else { return nil }
                return "\(report.orderID) \(report.orderStatus)"
            }
            #expect(fromHistory == [], "orders closed before the bridge started were published")
        }
    }

    @Test(arguments: ProtocolVersion.allCases)
    func whatHappenedWhileTheBridgeWasDownIsPublishedAtTheFirstConnectAfterARestart(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version, withAccount: true, account: { $0.silentOrderAfter = .seconds(3_600) },
                                  beforeFeeds: Self.pausedAtStart) { harness in
            _ = try await Self.runAccount(harness, for: .seconds(2))
            guard let first = harness.account else { throw HarnessFailure("no account feed") }
            try await first.stop()
            // What the first run published: what its journal would hold.
            let published = harness.recorder.all.compactMap { frame -> KBExecutionReport? in
                guard case .executionReport(let report) = frame.payload else { return nil }
                return report
            }
            // The account trades while no bridge is running.
            let since = try await Self.truth(harness).last.map { $0.index + 1 } ?? 0
            try await harness.control(.POST, "/market/resume")
            try await Task.sleep(for: .milliseconds(1_500))
            try await harness.control(.POST, "/market/pause")
            let downtime = Expected(try await Self.truth(harness, since: since))
            #expect(downtime.fills.count >= 3 && !downtime.statusReports.isEmpty, "too little happened during the downtime: \(downtime)")

            let busRestart = harness.recorder.all.count
            var configuration = AccountFeedConfiguration(credentials: SimulatorServer.demoCredentials)
            configuration.protocolVersion = version
            configuration.connection.endpoints = [FeedHarness.simulatorEndpoint(harness.simulator.ports.private, version)]
            configuration.rest = RESTEndpoint(host: "127.0.0.1", port: harness.simulator.ports.rest, secure: false)
            // The silent-order check (the only way the old bridge found orders closed during the
            // downtime, minutes late) cannot help here.
            configuration.silentOrderAfter = .seconds(3_600)
            let second = try await AccountFeed.start(
                configuration, publisher: harness.publisher, on: MultiThreadedEventLoopGroup.singleton.next(), restoring: published)
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline, Self.downstream(harness, from: busRestart).expected != downtime {
                try await Task.sleep(for: .milliseconds(50))
            }
            try await Task.sleep(for: .milliseconds(300))
            let counters = try await second.diagnostics().counters
            try await second.stop()
            expectSame(Self.downstream(harness, from: busRestart).expected, downtime)
            #expect(counters.reconciliations == 1 && counters.reconnections == 0)
        }
    }

    /// Runs the account for `duration` with the private connection stalled (heartbeats still
    /// sent, nothing else) from 0.8 s on, checks that downstream equals the truth, and returns
    /// the private feed's counters.
    private func throughAPrivateStall(
        _ version: ProtocolVersion, for duration: Duration, settings: @escaping (inout ConnectionSettings) -> Void
    ) async throws -> FeedCounters {
        var counters = FeedCounters()
        try await FeedHarness.run(version, withAccount: true, account: { settings(&$0.connection) }, beforeFeeds: Self.pausedAtStart) { harness in
            let (truth, busStart) = try await Self.runAccount(harness, for: duration) { harness in
                try await Task.sleep(for: .milliseconds(800))
                try await harness.control(.POST, "/faults", body: #"{"kind":"stall","target":"private","heartbeats":true}"#)
            }
            expectSame(Self.downstream(harness, from: busStart).expected, Expected(truth))
            counters = try await harness.account!.diagnostics().counters
        }
        return counters
    }

    @Test(arguments: ProtocolVersion.allCases)
    func aPrivateConnectionThatStallsButKeepsHeartbeatsIsReplacedAndLosesNothing(_ version: ProtocolVersion) async throws {
        let counters = try await throughAPrivateStall(version, for: .seconds(4)) { connection in
            connection.pingInterval = .milliseconds(500)
            connection.pongDeadline = .seconds(1)
            connection.quietAfter = .seconds(600)
        }
        #expect(counters.pongTimeouts >= 1 && counters.reconnections >= 1 && counters.staleConnections == 0)
    }

    @Test(arguments: ProtocolVersion.allCases)
    func aPrivateSubscriptionQuietWhileOrdersAreOpenIsVerified(_ version: ProtocolVersion) async throws {
        let counters = try await throughAPrivateStall(version, for: .seconds(5)) { connection in
            // Pings cannot catch it here: the quiet check must.
            connection.pingInterval = .seconds(600)
            connection.quietAfter = .seconds(1)
            connection.ackDeadline = .seconds(1)
        }
        #expect(counters.quietVerifications >= 1, "quiet while orders were open: resubscribed")
        #expect(counters.ackTimeouts >= 1 && counters.reconnections >= 1, "the stuck resubscription replaced the connection")
    }

    @Test(arguments: ProtocolVersion.allCases)
    func aRejectedTokenIsReplacedByAFreshOne(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version, withAccount: true, beforeFeeds: { simulator in
            try await Self.pausedAtStart(simulator)
            _ = try await HTTPClient.request(method: .POST, host: "127.0.0.1", port: simulator.ports.control, path: "/faults",
                                             body: Array(#"{"kind":"reject_tokens","count":1}"#.utf8))
        }) { harness in
            let (truth, busStart) = try await Self.runAccount(harness, for: .seconds(2))
            let expected = Expected(truth)
            let (actual, _, _) = Self.downstream(harness, from: busStart)
            expectSame(actual, expected)
            let counters = try await harness.account!.diagnostics().counters
            #expect(counters.tokenRejections == 1)
            #expect(counters.tokenFetches == 2)
        }
    }

    @Test("a token request REST never answers is given up at the token deadline, not the REST timeout; the next attempt gets a token")
    func aHangingTokenRequestIsAbandonedAtTheTokenDeadline() async throws {
        try await FeedHarness.run(.v2, withAccount: true, account: { account in
            // Long enough that the harness's wait for the feed would fail if the token used it.
            account.restTimeout = .seconds(300)
            account.tokenTimeout = .milliseconds(300)
        }, beforeFeeds: { simulator in
            try await Self.pausedAtStart(simulator)
            // The next REST request, the first connect's token request, is never answered.
            _ = try await HTTPClient.request(method: .POST, host: "127.0.0.1", port: simulator.ports.control, path: "/faults",
                                             body: Array(#"{"kind":"rest_failure","mode":"timeout","count":1}"#.utf8))
        }) { harness in
            let diagnostics = try await harness.waitForFeed(.active, account: true, timeout: .seconds(20))
            #expect(diagnostics.counters.tokenFailures == 1)
            #expect(diagnostics.counters.tokenFetches == 2)
            #expect(try await harness.account!.recentLog().contains { $0.contains("token_failed") })
        }
    }

    @Test(arguments: ProtocolVersion.allCases)
    func aRESTFailureDuringReconciliationIsRetried(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version, withAccount: true, beforeFeeds: Self.pausedAtStart) { harness in
            let (truth, busStart) = try await Self.runAccount(harness, for: .seconds(4)) { harness in
                try await Task.sleep(for: .milliseconds(800))
                try await harness.control(.POST, "/faults", body: #"{"kind":"rest_failure","mode":"5xx","count":1}"#)
                try await harness.control(.POST, "/faults", body: #"{"kind":"sequence_skip"}"#)
            }
            let expected = Expected(truth)
            let (actual, _, _) = Self.downstream(harness, from: busStart)
            expectSame(actual, expected)
            let counters = try await harness.account!.diagnostics().counters
            #expect(counters.restFailures == 1)
            #expect(counters.reconciliations >= 2)
        }
    }
}
