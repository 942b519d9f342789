import Foundation
import HTTPTransport
import KrakenREST
import KrakenSimulatorServer
import KrakenWire
import NIOHTTP1
import Testing

/// The private account as clients see it: executions and balances with sequence numbers,
/// v1 openOrders, REST OpenOrders, and the control API's ground truth — all consistent.
@Suite("simulator private channels")
struct SimulatorPrivateTests {
    private static func executions(_ message: V2Message) -> V2ExecutionsMessage? {
        guard case .executions(let executions) = message else { return nil }
        return executions
    }

    @Test("an order placed through the control API reaches executions with consecutive sequences, REST and the ground truth")
    func orderLifecycle() async throws {
        try await SimulatorHarness.run(tickMilliseconds: 3_600_000) { harness in
            let token = try await harness.token()
            try await harness.session(private: true) { reader in
                try await reader.send(#"{"method":"subscribe","params":{"channel":"executions","token":"\#(token)"}}"#)
                let snapshot = try await reader.nextV2(Self.executions)
                #expect(snapshot.kind == .snapshot && snapshot.sequence == 1)
                let placed = try await harness.control(.POST, "/orders",
                    body: #"{"symbol":"BTC/USD","side":"buy","type":"limit","quantity":"0.01","price":"1000.0"}"#)
                let orderID = try #require(placed.json["order_id"] as? String)
                let update = try await reader.nextV2(Self.executions)
                #expect(update.sequence == 2)
                #expect(update.reports.map(\.execType) == [.pendingNew, .new])
                #expect(update.reports.allSatisfy { $0.orderID == orderID })
                try await harness.control(.POST, "/orders/cancel", body: #"{"order_id":"\#(orderID)"}"#)
                let canceled = try await reader.nextV2(Self.executions)
                #expect(canceled.sequence == 3 && canceled.reports.map(\.execType) == [.canceled])

                let truth = try await HTTPClient.request(host: "127.0.0.1", port: harness.server.ports.control, path: "/truth/private-events")
                let events = try #require(try JSONSerialization.jsonObject(with: Data(truth.body)) as? [[String: Any]])
                let mine = events.filter { $0["order_id"] as? String == orderID }.compactMap { $0["exec_type"] as? String }
                #expect(mine == ["pendingNew", "new", "canceled"])
                let refused = try await harness.control(.POST, "/orders", body: #"{"symbol":"BTC/USD","side":"buy","quantity":"0.000000001","price":"1"}"#)
                #expect(refused.status == 400)
            }
        }
    }

    @Test("sequence faults: skip leaves a gap, duplicate repeats a number, reorder swaps two frames")
    func sequenceFaults() async throws {
        try await SimulatorHarness.run(tickMilliseconds: 3_600_000) { harness in
            let token = try await harness.token()
            try await harness.session(private: true) { reader in
                try await reader.send(#"{"method":"subscribe","params":{"channel":"executions","token":"\#(token)"}}"#)
                _ = try await reader.nextV2(Self.executions)
                func place() async throws {
                    try await harness.control(.POST, "/orders",
                        body: #"{"symbol":"ETH/USD","side":"sell","type":"limit","quantity":"0.1","price":"99999.00"}"#)
                }
                try await harness.fault(#"{"kind":"sequence_skip"}"#)
                try await place()
                #expect(try await reader.nextV2(Self.executions).sequence == 3)
                try await harness.fault(#"{"kind":"sequence_duplicate"}"#)
                try await place()
                #expect(try await reader.nextV2(Self.executions).sequence == 4)
                #expect(try await reader.nextV2(Self.executions).sequence == 4)
                try await harness.fault(#"{"kind":"sequence_reorder"}"#)
                try await place()
                try await place()
                #expect(try await reader.nextV2(Self.executions).sequence == 6)
                #expect(try await reader.nextV2(Self.executions).sequence == 5)
            }
        }
    }

    @Test("v1 openOrders snapshot and updates carry their own sequence; REST OpenOrders lists the same open order")
    func v1AndREST() async throws {
        try await SimulatorHarness.run(tickMilliseconds: 3_600_000) { harness in
            let token = try await harness.token(nonce: 1)
            try await harness.session(private: true, path: "/") { reader in
                try await reader.send(#"{"event":"subscribe","subscription":{"name":"openOrders","token":"\#(token)"}}"#)
                #expect(try await reader.nextSubscriptionStatus().status == .subscribed)
                let snapshot = try await reader.nextV1 { message -> V1OpenOrdersMessage? in
                    if case .openOrders(let orders) = message { return orders }
                    return nil
                }
                #expect(snapshot.sequence == 1)
                let placed = try await harness.control(.POST, "/orders",
                    body: #"{"symbol":"DOGE/USD","side":"buy","type":"limit","quantity":"100","price":"0.0100000"}"#)
                let orderID = try #require(placed.json["order_id"] as? String)
                let update = try await reader.nextV1 { message -> V1OpenOrdersMessage? in
                    if case .openOrders(let orders) = message { return orders }
                    return nil
                }
                #expect(update.sequence == 2 && update.orders.contains { $0.orderID == orderID })
                let response = try await harness.privateREST("OpenOrders", nonce: 2)
                let open = try RESTOrder.parseOpenOrders(responseBody: Data(response.body))
                #expect(open.contains { $0.orderID == orderID })
            }
        }
    }
}
