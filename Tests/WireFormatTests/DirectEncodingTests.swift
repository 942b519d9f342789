import Foundation
import SeededRandom
import SwiftProtobuf
import Testing
import WireFormat

/// The hand encoders of the hot payloads are held to SwiftProtobuf's own output, byte for
/// byte: a subscriber decoding with any protobuf library sees no difference.
@Suite("direct encoding of BookUpdate and Trade")
struct DirectEncodingTests {
    /// Values that exercise every varint length and sign: zero, one-byte edges, extremes.
    static let edgeValues: [Int64] = [0, 1, -1, 63, -64, 64, 127, 128, 300, -300, 16_383, 16_384, 1 << 35, -(1 << 35), .max, .min]

    static func value(_ random: inout SplitMix64) -> Int64 {
        switch random.next() % 4 {
        case 0: edgeValues[Int(random.next() % UInt64(edgeValues.count))]
        case 1: Int64(bitPattern: random.next())
        case 2: Int64(random.next() % 10_000_000_000)
        default: Int64(bitPattern: random.next()) >> Int64(random.next() % 64)
        }
    }

    static func symbol(_ random: inout SplitMix64) -> String {
        ["", "BTC/USD", "ETH/USD", "ABCDEFGHIJKL/USDT", "€/¥", String(repeating: "X", count: 200)][Int(random.next() % 6)]
    }

    static func bookUpdate(_ random: inout SplitMix64) -> KBBookUpdate {
        var update = KBBookUpdate()
        update.symbol = symbol(&random)
        update.depth = [0, 10, 1000, UInt32.max][Int(random.next() % 4)]
        update.generation = random.next() % 3 == 0 ? 0 : random.next() >> (random.next() % 64)
        update.checksum = UInt32(truncatingIfNeeded: random.next() % 5 == 0 ? 0 : random.next())
        update.priceScale = UInt32(random.next() % 19)
        update.qtyScale = UInt32(random.next() % 19)
        func column(_ count: Int) -> [Int64] { (0..<count).map { _ in value(&random) } }
        let bids = Int(random.next() % 5)
        let asks = Int(random.next() % 5)
        update.bidPrice = column(bids)
        update.bidQty = column(bids)
        update.askPrice = column(asks)
        update.askQty = column(asks)
        if random.next() % 4 == 0 {
            update.bidPriceScales = (0..<bids).map { _ in UInt32(random.next() % 300) }
            update.bidQtyScales = (0..<bids).map { _ in UInt32(random.next() % 19) }
            update.askPriceScales = (0..<asks).map { _ in UInt32.max - UInt32(random.next() % 2) }
            update.askQtyScales = (0..<asks).map { _ in UInt32(random.next() % 19) }
        }
        return update
    }

    static func trade(_ random: inout SplitMix64) -> KBTrade {
        var trade = KBTrade()
        trade.symbol = symbol(&random)
        trade.tradeID = random.next() % 3 == 0 ? 0 : random.next() >> (random.next() % 64)
        func decimal() -> KBDecimal {
            var decimal = KBDecimal()
            decimal.mantissa = value(&random)
            decimal.scale = random.next() % 3 == 0 ? 0 : UInt32(random.next() % 19)
            return decimal
        }
        // Presence counts: an empty decimal is still written.
        switch random.next() % 3 {
        case 0: trade.price = decimal()
        case 1: trade.price = KBDecimal()
        default: break
        }
        if random.next() % 4 != 0 { trade.qty = decimal() }
        trade.side = [.unspecified, .buy, .sell, .UNRECOGNIZED(7), .UNRECOGNIZED(-3)][Int(random.next() % 5)]
        trade.ordType = [.unspecified, .limit, .market, .UNRECOGNIZED(-1)][Int(random.next() % 4)]
        trade.timestampNs = value(&random)
        trade.fromSnapshot = random.next() % 2 == 0
        return trade
    }

    @Test("10,000 generated book updates encode exactly as SwiftProtobuf encodes them")
    func bookUpdates() throws {
        var random = SplitMix64(seed: 18)
        for _ in 0..<10_000 {
            let update = Self.bookUpdate(&random)
            let expected: [UInt8] = try update.serializedBytes()
            #expect(update.directEncodedSize == expected.count)
            #expect(update.directEncodedBytes() == expected, "\(update)")
        }
    }

    @Test("10,000 generated trades encode exactly as SwiftProtobuf encodes them")
    func trades() throws {
        var random = SplitMix64(seed: 19)
        for _ in 0..<10_000 {
            let trade = Self.trade(&random)
            let expected: [UInt8] = try trade.serializedBytes()
            #expect(trade.directEncodedSize == expected.count)
            #expect(trade.directEncodedBytes() == expected, "\(trade)")
        }
    }

    @Test("fields a newer publisher wrote (unknown here) are kept, last, as SwiftProtobuf keeps them")
    func unknownFields() throws {
        var random = SplitMix64(seed: 20)
        // Field 99 as a varint and field 100 as a string: not in this schema.
        let unknown: [UInt8] = [0x98, 0x06, 0x2A, 0xA2, 0x06, 0x02, 0x68, 0x69]
        let update = try KBBookUpdate(serializedBytes: try Self.bookUpdate(&random).serializedBytes() + unknown)
        #expect(!update.unknownFields.data.isEmpty)
        #expect(update.directEncodedBytes() == (try update.serializedBytes()))
        var trade = try KBTrade(serializedBytes: try Self.trade(&random).serializedBytes() + unknown)
        var price = try KBDecimal(serializedBytes: unknown)
        price.mantissa = -5
        trade.price = price
        #expect(trade.directEncodedBytes() == (try trade.serializedBytes()))
    }

    @Test("the types the bridge publishes by hand say so; the others go through SwiftProtobuf")
    func directTypes() {
        var random = SplitMix64(seed: 21)
        let update = Self.bookUpdate(&random)
        #expect(update.directPayloadSize == update.directEncodedSize)
        #expect(KBTrade().directPayloadSize == 0)
        #expect(KBTicker().directPayloadSize == nil)
        #expect(KBBookSnapshot().directPayloadSize == nil)
    }
}
