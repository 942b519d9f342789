import HTTPTransport
import KrakenSimulatorServer
import Testing

@Suite("a replayed account recording answers REST as Kraken answered the recorder")
struct RecordedRESTTests {
    static let openOrders = #"{"error":[],"result":{"open":{"OQCLML-BW3P3-BUCMWZ":{"refid":null,"userref":0,"status":"open","opentm":1688666559.8974,"vol":"1.25000000","vol_exec":"0.37500000","descr":{"pair":"XBTUSD","price":"30010.0"}}}}}"#
    static let closedOrders = #"{"error":[],"result":{"closed":{"O6YDQ5-LOMWU-37YKEE":{"refid":null,"status":"canceled","vol":"0.5","vol_exec":"0.00000000","descr":{"pair":"ETHUSD"}},"OQCLML-BW3P3-BUCMWZ":{"status":"closed","vol":"1.25000000","vol_exec":"1.25000000"}},"count":2}}"#

    @Test("QueryOrders copies each recorded order's JSON byte for byte, its latest recorded state, in the order asked; unknown ids are left out")
    func queryOrdersIsAssembledFromTheRecordedAnswers() {
        let rest = RecordedREST(bodies: ["/0/private/OpenOrders": [Array(Self.openOrders.utf8)], "/0/private/ClosedOrders": [Array(Self.closedOrders.utf8)]])
        let answer = String(decoding: rest.queryOrders(ids: ["O6YDQ5-LOMWU-37YKEE", "OUNKNO-WN000-000000", "OQCLML-BW3P3-BUCMWZ", "O6YDQ5-LOMWU-37YKEE"]), as: UTF8.self)
        #expect(answer == #"{"error":[],"result":{"O6YDQ5-LOMWU-37YKEE":{"refid":null,"status":"canceled","vol":"0.5","vol_exec":"0.00000000","descr":{"pair":"ETHUSD"}},"OQCLML-BW3P3-BUCMWZ":{"status":"closed","vol":"1.25000000","vol_exec":"1.25000000"}}}"#)
    }

    @Test("QueryOrders for ids no recorded answer holds is an empty result, not an invented order")
    func unknownOrdersAreNotInvented() {
        let rest = RecordedREST(bodies: ["/0/private/OpenOrders": [Array(Self.openOrders.utf8)], "/0/private/ClosedOrders": [Array("not json".utf8)]])
        #expect(String(decoding: rest.queryOrders(ids: ["OUNKNO-WN000-000000"]), as: UTF8.self) == #"{"error":[],"result":{}}"#)
        #expect(rest.latest("/0/private/OpenOrders") == Array(Self.openOrders.utf8))
        #expect(rest.latest("/0/private/TradesHistory") == nil)
    }
}

@Suite("the simulator replaying an account recording")
struct AccountReplayRESTTests {
    @Test("private REST answers from the recording, still signed; a call the recording never made is an error, not an invented answer")
    func privateRESTAnswersFromTheRecording() async throws {
        let recorded = RecordedREST(bodies: ["/0/private/OpenOrders": [Array(RecordedRESTTests.openOrders.utf8)]])
        let plan = ReplayPlan(frames: [], speed: nil, rest: recorded, isAccount: true)
        try await SimulatorHarness.run(configure: { $0.accountReplay = plan }) { harness in
            let open = try await harness.privateREST("OpenOrders", fields: "trades=true", nonce: 10)
            #expect(String(decoding: open.body, as: UTF8.self) == RecordedRESTTests.openOrders)
            let queried = try await harness.privateREST("QueryOrders", fields: "trades=true&txid=OQCLML-BW3P3-BUCMWZ", nonce: 11)
            #expect(String(decoding: queried.body, as: UTF8.self).hasPrefix(#"{"error":[],"result":{"OQCLML-BW3P3-BUCMWZ":{"refid":null"#))
            let closed = try await harness.privateREST("ClosedOrders", nonce: 12)
            #expect(String(decoding: closed.body, as: UTF8.self)
                == #"{"error":["EService:Unavailable (/0/private/ClosedOrders is not in the replayed recording)"]}"#)
            let trades = try await harness.privateREST("TradesHistory", nonce: 13)
            #expect(String(decoding: trades.body, as: UTF8.self)
                == #"{"error":["EService:Unavailable (/0/private/TradesHistory is not in the replayed recording)"]}"#)
            let replayedNonce = try await harness.privateREST("OpenOrders", nonce: 13)
            #expect(String(decoding: replayedNonce.body, as: UTF8.self) == #"{"error":["EAPI:Invalid nonce"]}"#)
        }
    }
}
