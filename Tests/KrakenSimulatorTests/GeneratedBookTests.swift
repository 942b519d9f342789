import FixedPoint
import KrakenSimulator
import KrakenWire
import OrderBook
import Testing

/// A client's view of a book, fed only with what the frames say (as the bridge will be).
private struct Client {
    var book: L2Book
    let pair: SimulatedPair

    /// v2 clients pad numbers to the instrument's precision; v1 clients keep the strings' digits.
    init(pair: SimulatedPair, depth: Int, digits: L2Book.Digits) {
        self.pair = pair
        book = L2Book(depth: depth, digits: digits)
    }

    /// The market's best `depth` levels as this client must hold them: written with `decimals`.
    static func expected(_ levels: ArraySlice<MarketLevel>, pair: SimulatedPair, decimals: SimulatedPair.Decimals) throws -> [BookLevel] {
        try levels.map {
            BookLevel(price: try FixedDecimal(pair.text(price: $0.price, decimals: decimals)),
                      quantity: try FixedDecimal(pair.text(quantity: $0.quantity, decimals: decimals)))
        }
    }

    mutating func applyV2(_ frame: [UInt8]) throws -> ChecksumResult {
        let message = try frame.withUnsafeBytes { try V2Message(frame: $0) }
        guard case .book(let update) = message else { throw Unexpected(message: "\(message)") }
        if update.kind == .snapshot { book.removeAll() }
        for level in update.bids { book.apply(try book.level(price: level.price, quantity: level.quantity), side: .bid) }
        for level in update.asks { book.apply(try book.level(price: level.price, quantity: level.quantity), side: .ask) }
        book.truncate()
        return book.verify(checksum: update.checksum)
    }

    mutating func applyV1(_ frame: [UInt8]) throws -> ChecksumResult? {
        let message = try frame.withUnsafeBytes { try V1Message(frame: $0) }
        guard case .book(let update) = message else { throw Unexpected(message: "\(message)") }
        #expect(update.pair == pair.v1Name)
        if update.isSnapshot { book.removeAll() }
        for level in update.bids { book.apply(try book.level(price: level.price, quantity: level.volume), side: .bid) }
        for level in update.asks { book.apply(try book.level(price: level.price, quantity: level.volume), side: .ask) }
        book.truncate()
        return update.checksum.map { book.verify(checksum: $0) }
    }
}

private struct Unexpected: Error { var message: String }

@Suite("simulated books, as a client reads them")
struct GeneratedBookTests {
    @Test("v2: every update's checksum verifies and the client's book equals the truth, at every depth",
          arguments: [10, 25, 100, 500, 1000])
    func v2Books(depth: Int) throws {
        for pair in SimulatedPair.defaults {
            var market = PairMarket(pair: pair, seed: 11)
            var view = BookView(depth: depth)
            var client = Client(pair: pair, depth: depth, digits: .instrument(priceScale: pair.priceScale, quantityScale: pair.quantityScale))
            let snapshot = view.snapshot(of: market)
            let snapshotFrame = V2Frames.book(
                snapshot: true, pair: pair, bids: snapshot.bids.map { ($0.price, $0.quantity) },
                asks: snapshot.asks.map { ($0.price, $0.quantity) }, checksum: view.checksum(pair: pair, decimals: pair.precision), timestampNs: 1_700_000_000_000_000_000)
            #expect(try client.applyV2(snapshotFrame) == .match)
            var updates = 0
            for step in 0..<1_500 {
                _ = market.step()
                let changes = view.update(to: market)
                guard !changes.bids.isEmpty || !changes.asks.isEmpty else { continue }
                updates += 1
                let frame = V2Frames.book(
                    snapshot: false, pair: pair, bids: changes.bids.map { ($0.price, $0.quantity) },
                    asks: changes.asks.map { ($0.price, $0.quantity) }, checksum: view.checksum(pair: pair, decimals: pair.precision),
                    timestampNs: 1_700_000_000_000_000_000 + Int64(step) * 1_000)
                let result = try client.applyV2(frame)
                guard result == .match else {
                    Issue.record("\(pair.symbol) depth \(depth) step \(step): \(result)")
                    return
                }
                if step % 25 == 0 {
                    #expect(client.book.bids == (try Client.expected(market.bids.prefix(depth), pair: pair, decimals: pair.precision)))
                    #expect(client.book.asks == (try Client.expected(market.asks.prefix(depth), pair: pair, decimals: pair.precision)))
                }
            }
            #expect(client.book.bids == (try Client.expected(market.bids.prefix(depth), pair: pair, decimals: pair.precision)))
            #expect(client.book.asks == (try Client.expected(market.asks.prefix(depth), pair: pair, decimals: pair.precision)))
            #expect(updates > 500)
        }
    }

    @Test("v1: snapshot without checksum, updates with split or joined sides and republished levels",
          arguments: [10, 100, 1000])
    func v1Books(depth: Int) throws {
        var republished = 0
        for (index, pair) in SimulatedPair.defaults.enumerated() {
            var market = PairMarket(pair: pair, seed: 5)
            var view = BookView(depth: depth)
            var client = Client(pair: pair, depth: depth, digits: .asReceived)
            let snapshot = view.snapshot(of: market)
            #expect(try client.applyV1(V1Frames.bookSnapshot(
                channelID: index, pair: pair, depth: depth, bids: snapshot.bids, asks: snapshot.asks,
                timestampNs: 1_534_614_248_123_678_000)) == nil)
            for step in 0..<1_500 {
                _ = market.step()
                let changes = view.update(to: market)
                guard !changes.bids.isEmpty || !changes.asks.isEmpty else { continue }
                republished += (changes.bids + changes.asks).filter(\.isRepublished).count
                let frame = V1Frames.bookUpdate(
                    channelID: index, pair: pair, depth: depth, bids: changes.bids, asks: changes.asks,
                    checksum: view.checksum(pair: pair, decimals: pair.v1Decimals), timestampNs: 1_534_614_248_123_678_000,
                    splitSides: step % 2 == 0)
                let result = try client.applyV1(frame)
                guard result == .match else {
                    Issue.record("\(pair.v1Name) depth \(depth) step \(step): \(String(describing: result))")
                    return
                }
            }
            #expect(client.book.bids == (try Client.expected(market.bids.prefix(depth), pair: pair, decimals: pair.v1Decimals)))
            #expect(client.book.asks == (try Client.expected(market.asks.prefix(depth), pair: pair, decimals: pair.v1Decimals)))
        }
        #expect(republished > 0)
    }

    @Test("trades parse back to what the market produced")
    func trades() throws {
        let pair = SimulatedPair.defaults[0]
        var market = PairMarket(pair: pair, seed: 3)
        var produced: [PairMarket.Trade] = []
        while produced.count < 50 { if let trade = market.step() { produced.append(trade) } }
        let frame = V2Frames.trades(snapshot: true, pair: pair, produced, timestampNs: 1_695_628_177_708_706_000)
        guard case .trade(let message) = try frame.withUnsafeBytes({ try V2Message(frame: $0) }) else {
            Issue.record("not a trade message"); return
        }
        #expect(message.kind == .snapshot)
        #expect(message.trades.map(\.tradeID) == produced.map(\.tradeID))
        #expect(message.trades.map { $0.price.rescaled(to: pair.priceScale)?.mantissa } == produced.map(\.price))
        #expect(message.trades.map { $0.quantity.rescaled(to: pair.quantityScale)?.mantissa } == produced.map(\.quantity))
        #expect(message.trades.map(\.side) == produced.map { $0.takerBuys ? .buy : .sell })
        #expect(message.trades.allSatisfy { $0.timestampNs == 1_695_628_177_708_706_000 })
        let v1 = V1Frames.trades(channelID: 1, pair: pair, produced, timestampNs: 1_534_614_057_321_597_000)
        guard case .trade(let old) = try v1.withUnsafeBytes({ try V1Message(frame: $0) }) else {
            Issue.record("not a v1 trade message"); return
        }
        #expect(old.pair == "XBT/USD")
        #expect(old.trades.map(\.price.description) == produced.map { pair.text(price: $0.price, decimals: pair.v1Decimals) })
        #expect(old.trades.first?.price.scale == 5, "XBT/USD v1 prices carry five decimals, as on live Kraken")
    }

    @Test("status frames parse as the bridge expects")
    func status() throws {
        #expect(try V2Frames.status(system: "maintenance", connectionID: 13_834_774_380_200_032_777).withUnsafeBytes { try V2Message(frame: $0) }
            == .status(V2Status(system: .maintenance, apiVersion: "v2", connectionID: 13_834_774_380_200_032_777, version: "2.0.10")))
        #expect(try V1Frames.systemStatus(status: "cancel_only", connectionID: 7).withUnsafeBytes { try V1Message(frame: $0) }
            == .systemStatus(V1SystemStatus(status: .cancelOnly, version: "1.9.1", connectionID: 7)))
    }
}

@Suite("the simulator's checksum, from the text it writes")
struct WireChecksumTests {
    @Test("Kraken's official v1 vector: 974947235")
    func officialV1Vector() {
        let pair = SimulatedPair(symbol: "A/B", v1Name: "A/B", restKey: "AB", base: "A", quote: "B", priceScale: 5, quantityScale: 8,
                                 initialMid: 5_000)
        let asks = (0..<10).map { MarketLevel(price: 5_005 + Int64($0) * 5, quantity: 500) }
        let bids = [5_000, 4_995, 4_990, 4_980, 4_975, 4_970, 4_965, 4_960, 4_955, 4_950].map { MarketLevel(price: $0, quantity: 500) }
        #expect(WireChecksum.of(bids: bids, asks: asks, pair: pair, decimals: pair.precision) == 974_947_235)
        #expect(WireChecksum.ofText(bids: bids, asks: asks, pair: pair, decimals: pair.precision) == 974_947_235)
    }

    @Test("the digit shortcut equals the text for every default pair, at AssetPairs' and at v1's decimals")
    func shortcutEqualsText() {
        for pair in SimulatedPair.defaults + [SimulatedPair.named("ABC/USD")!] {
            var market = PairMarket(pair: pair, seed: 21)
            for step in 0..<300 {
                _ = market.step()
                guard step % 10 == 0 else { continue }
                var varying = pair.v1Decimals
                varying.extraForSome = 3
                for decimals in [pair.precision, pair.v1Decimals, varying] {
                    #expect(WireChecksum.of(bids: market.bids, asks: market.asks, pair: pair, decimals: decimals)
                        == WireChecksum.ofText(bids: market.bids, asks: market.asks, pair: pair, decimals: decimals))
                }
            }
        }
    }

    @Test("a cheap pair's bids never reach a price of zero: its deep side is shallower instead")
    func bidsStayPositive() {
        // 1,500 ticks above zero: a full side of 1,050 levels 1-3 ticks apart would go below it.
        let pair = SimulatedPair(symbol: "CHEAP/USD", v1Name: "CHEAP/USD", restKey: "CHEAPUSD", base: "CHEAP", quote: "USD",
                                 priceScale: 4, quantityScale: 8, initialMid: 1_500)
        var market = PairMarket(pair: pair, seed: 5)
        #expect(market.bids.allSatisfy { $0.price > 0 })
        #expect(market.bids.count < market.depth)
        #expect(market.asks.count == market.depth)
        var crossedOrNotPositive = 0
        for _ in 0..<50_000 {
            _ = market.step()
            if market.bids.last!.price <= 0 || market.bids[0].price >= market.asks[0].price { crossedOrNotPositive += 1 }
        }
        #expect(crossedOrNotPositive == 0)
        #expect(market.bids.allSatisfy { $0.price > 0 })
        #expect(zip(market.bids, market.bids.dropFirst()).allSatisfy { $0.price > $1.price })
    }
}

