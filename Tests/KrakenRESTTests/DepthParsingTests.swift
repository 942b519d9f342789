import FixedPoint
import Foundation
import KrakenREST
import Testing

@Suite("Kraken REST Depth")
struct DepthParsingTests {
    @Test("the documented example: exact decimals as written, integer timestamps, best first")
    func documentedExample() throws {
        let body = Data(#"""
            {"error":[],"result":{"XXBTZUSD":{"asks":[["30384.10000","2.059",1688671659],["30387.90000","1.500",1688671380]],
             "bids":[["30297.00000","1.115",1688671636],["30296.70000","2.002",1688671674]]}}}
            """#.utf8)
        let books = try DepthSnapshot.parse(responseBody: body)
        #expect(books == [DepthSnapshot(
            restKey: "XXBTZUSD",
            asks: [
                .init(price: FixedDecimal(mantissa: 3_038_410_000, scale: 5), volume: FixedDecimal(mantissa: 2_059, scale: 3), timestampSeconds: 1_688_671_659),
                .init(price: FixedDecimal(mantissa: 3_038_790_000, scale: 5), volume: FixedDecimal(mantissa: 1_500, scale: 3), timestampSeconds: 1_688_671_380),
            ],
            bids: [
                .init(price: FixedDecimal(mantissa: 3_029_700_000, scale: 5), volume: FixedDecimal(mantissa: 1_115, scale: 3), timestampSeconds: 1_688_671_636),
                .init(price: FixedDecimal(mantissa: 3_029_670_000, scale: 5), volume: FixedDecimal(mantissa: 2_002, scale: 3), timestampSeconds: 1_688_671_674),
            ])])
    }

    @Test("envelope errors and malformed levels are typed errors")
    func errors() {
        #expect(throws: KrakenRESTError.other("EQuery:Unknown asset pair")) {
            try DepthSnapshot.parse(responseBody: Data(#"{"error":["EQuery:Unknown asset pair"]}"#.utf8))
        }
        #expect(throws: KrakenRESTError.malformedResponse("P asks[0]: not a decimal")) {
            try DepthSnapshot.parse(responseBody: Data(#"{"error":[],"result":{"P":{"asks":[["1.0x","2",3]],"bids":[]}}}"#.utf8))
        }
        do {
            _ = try DepthSnapshot.parse(responseBody: Data(#"{"error":[],"result":{"P":{"asks":[["1.0","2"]],"bids":[]}}}"#.utf8))
            Issue.record("a level without a timestamp must fail")
        } catch {
            guard case .malformedResponse = error else { Issue.record("\(error)"); return }
        }
    }
}
