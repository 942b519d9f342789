import Foundation
import HTTPTransport
import KrakenAuth
import KrakenREST
import KrakenSimulator
import KrakenSimulatorServer
import KrakenWire
import NIOCore
import NIOHTTP1
import Testing

@Suite("simulator REST API")
struct SimulatorRESTTests {
    private func errors(_ response: HTTPClient.Response) throws -> [String] {
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return object?["error"] as? [String] ?? ["<no error list>"]
    }

    @Test("GetWebSocketsToken: a signed request gets a 43-character token valid for 900 s, usable on the private listener")
    func token() async throws {
        try await SimulatorHarness.run { harness in
            let response = try await harness.privateREST("GetWebSocketsToken", nonce: 1_000)
            #expect(response.status == 200)
            let token = try WebSocketsToken(responseBody: Data(response.body))
            #expect(token.token.count == 43)
            #expect(token.expiresSeconds == 900)
            try await harness.session(private: true) { reader in
                try await reader.send(#"{"method":"subscribe","params":{"channel":"balances","token":"\#(token.token)"},"req_id":8}"#)
                let ack = try await reader.nextResponse()
                #expect(ack.success == true && ack.requestID == 8)
                try await reader.send(#"{"method":"subscribe","params":{"channel":"executions","token":"forged"}}"#)
                let refused = try await reader.nextResponse()
                #expect(refused.error == "ESession:Invalid session")
            }
            #expect(try await harness.counter("tokens_issued") == 1)
        }
    }

    @Test("authentication: wrong key, wrong signature and a nonce that does not increase are Kraken's EAPI errors")
    func authentication() async throws {
        try await SimulatorHarness.run { harness in
            #expect(try errors(try await harness.privateREST("GetWebSocketsToken", nonce: 50)) == [])
            #expect(try errors(try await harness.privateREST("GetWebSocketsToken", nonce: 50)) == ["EAPI:Invalid nonce"])
            #expect(try errors(try await harness.privateREST("GetWebSocketsToken", nonce: 49)) == ["EAPI:Invalid nonce"])
            let demoSecret = "a3Jha2VuYnJpZGdlLXNpbXVsYXRvci1kZW1vLXNlY3JldC1kby1ub3QtdXNlLXdpdGgtcmVhbC1rcmFrZW4hIQ=="
            let otherKey = try APICredentials(key: "SOMEONE-ELSE", base64Secret: demoSecret)
            #expect(try errors(try await harness.privateREST("GetWebSocketsToken", nonce: 60, credentials: otherKey)) == ["EAPI:Invalid key"])
            let wrongSecret = try APICredentials(key: "KBSIM-DEMO-KEY", base64Secret: Data(repeating: 7, count: 64).base64EncodedString())
            #expect(try errors(try await harness.privateREST("GetWebSocketsToken", nonce: 61, credentials: wrongSecret)) == ["EAPI:Invalid signature"])
            #expect(try errors(try await harness.privateREST("GetWebSocketsToken", nonce: 62)) == [])
            #expect(try await harness.counter("rest_auth_failures") == 4)
        }
    }

    @Test("rest_failure faults: 5xx with EService:Unavailable, then a request that is never answered, then normal service")
    func failures() async throws {
        try await SimulatorHarness.run { harness in
            try await harness.fault(#"{"kind":"rest_failure","mode":"5xx"}"#)
            let failed = try await harness.privateREST("GetWebSocketsToken", nonce: 10)
            #expect(failed.status == 500)
            #expect(try errors(failed) == ["EService:Unavailable"])
            try await harness.fault(#"{"kind":"rest_failure","mode":"timeout"}"#)
            await #expect(throws: HTTPClient.Failure.timedOut) {
                _ = try await HTTPClient.request(host: "127.0.0.1", port: harness.server.ports.rest, path: "/0/public/SystemStatus",
                                                 timeout: .milliseconds(500))
            }
            let recovered = try await harness.privateREST("GetWebSocketsToken", nonce: 11)
            #expect(recovered.status == 200)
            #expect(try errors(recovered) == [])
        }
    }

    @Test("SystemStatus follows the status fault; unknown paths are 404 with Kraken's error")
    func systemStatus() async throws {
        try await SimulatorHarness.run { harness in
            try await harness.fault(#"{"kind":"status","status":"cancel_only"}"#)
            let status = try await HTTPClient.request(host: "127.0.0.1", port: harness.server.ports.rest, path: "/0/public/SystemStatus")
            let result = (try JSONSerialization.jsonObject(with: Data(status.body)) as? [String: Any])?["result"] as? [String: Any]
            #expect(result?["status"] as? String == "cancel_only")
            let unknown = try await HTTPClient.request(host: "127.0.0.1", port: harness.server.ports.rest, path: "/0/public/Nothing")
            #expect(unknown.status == 404)
            #expect(try errors(unknown) == ["EGeneral:Unknown method"])
        }
    }
}

@Suite("simulator control API")
struct SimulatorControlTests {
    @Test("ground truth: with the market paused, the truth book equals the book a client keeps, checksum included")
    func truthBook() async throws {
        try await SimulatorHarness.run(tickMilliseconds: 5) { harness in
            try await harness.session { reader in
                try await reader.send(#"{"method":"subscribe","params":{"channel":"book","symbol":["DOGE/USD"],"depth":25}}"#)
                _ = try await reader.nextV2 { message -> Bool? in if case .book(let book) = message, book.kind == .snapshot { return true }; return nil }
                try await harness.control(.POST, "/market/pause")
                try await harness.control(.POST, "/market/step", body: #"{"steps":50}"#)
                let truth = try await harness.control(.GET, "/truth/book?symbol=DOGE%2FUSD&depth=25").json
                // The last update before the pause took effect carries the truth's checksum.
                guard let checksum = (truth["checksum"] as? NSNumber)?.uint32Value else { throw Failure("no checksum in \(truth)") }
                _ = try await reader.nextV2 { message -> Bool? in if case .book(let book) = message, book.checksum == checksum { return true }; return nil }
                guard let bids = truth["bids"] as? [[String]] else { throw Failure("no bids in \(truth)") }
                #expect(bids.count == 25)
                #expect(bids[0][0].split(separator: ".").last?.count == 7, "prices keep DOGE's 7 decimals")
                #expect(truth["symbol"] as? String == "DOGE/USD")
            }
        }
    }

    @Test("step advances the tick while paused; state and counters report it")
    func pauseAndStep() async throws {
        try await SimulatorHarness.run(tickMilliseconds: 3_600_000) { harness in
            try await harness.control(.POST, "/market/pause")
            let before = try await harness.control(.GET, "/state").json["tick"] as? Int
            let stepped = try await harness.control(.POST, "/market/step", body: #"{"steps":3}"#).json["tick"] as? Int
            #expect(stepped == (before ?? -1) + 1)
            let state = try await harness.control(.GET, "/state").json
            #expect(state["paused"] as? Bool == true)
            #expect(state["pairs"] as? [String] == ["BTC/USD", "ETH/USD", "DOGE/USD", "MATIC/USD"])
            let bad = try await harness.control(.GET, "/truth/book?symbol=FOO")
            #expect(bad.status == 400)
            #expect(try await harness.control(.GET, "/nowhere").status == 404)
        }
    }

    @Test("a scenario file fires its faults at their times: a disconnect 300 ms after start, then every 200 ms")
    func scenario() async throws {
        let scenario = try Scenario(json: Data(#"[{"at_ms":300,"every_ms":200,"kind":"disconnect","target":"all"}]"#.utf8))
        try await SimulatorHarness.run(configure: { $0.scenario = scenario }) { harness in
            try await harness.session { reader in
                let clock = ContinuousClock()
                let start = clock.now
                _ = await reader.drain()
                #expect(clock.now - start < .seconds(5))
            }
            #expect(try await harness.counter("faults_disconnect") >= 1)
        }
    }

    @Test("scenario files with errors name the entry and the problem")
    func scenarioErrors() {
        #expect(throws: ScenarioError(message: "entry 1: unknown fault kind 'nap'; kinds: \(FaultSpec.kinds)")) {
            try Scenario(json: Data(#"[{"at_ms":1,"kind":"clear"},{"at_ms":2,"kind":"nap"}]"#.utf8))
        }
        #expect(throws: ScenarioError(message: "entry 0: every_ms must be ≥ 10")) {
            try Scenario(json: Data(#"[{"at_ms":1,"every_ms":1,"kind":"clear"}]"#.utf8))
        }
        #expect(throws: ScenarioError.self) { try Scenario(json: Data(#"{"at_ms":1}"#.utf8)) }
        let parsed = try? Scenario(json: Data(#"[{"at_ms":5,"every_ms":100,"kind":"corrupt_checksum","symbol":"BTC/USD","count":2}]"#.utf8))
        #expect(parsed?.steps == [Scenario.Step(atMilliseconds: 5, everyMilliseconds: 100, fault: .corruptChecksum(symbol: "BTC/USD", count: 2))])
    }
}

@Suite("private sequence numbering")
struct PrivateSequencerTests {
    private func run(_ faults: [Fault.SequenceFault?]) -> [UInt64] {
        var sequencer = PrivateSequencer()
        var sent: [UInt64] = []
        for fault in faults {
            if let fault { sequencer.arm(fault) }
            for frame in sequencer.frames({ [UInt8(truncatingIfNeeded: $0)] }) { sent.append(UInt64(frame[0])) }
        }
        return sent
    }

    @Test("consecutive from 1 without faults") func plain() { #expect(run([nil, nil, nil]) == [1, 2, 3]) }
    @Test("skip leaves a gap of one") func skip() { #expect(run([nil, .skip, nil]) == [1, 3, 4]) }
    @Test("duplicate sends the same number twice") func duplicate() { #expect(run([nil, .duplicate, nil]) == [1, 2, 2, 3]) }
    @Test("reorder swaps the next two frames") func reorder() { #expect(run([nil, .reorder, nil, nil]) == [1, 3, 2, 4]) }
}
