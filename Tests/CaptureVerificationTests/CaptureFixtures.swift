import KrakenCapture
import KrakenSimulator

/// Captures written the way Kraken and `krakenbridge record` write them: the simulator's
/// markets and frame writers (checksums from the simulator's own text, not the bridge's book).
enum CaptureFixtures {
    static let startNs: Int64 = 1_700_000_000_000_000_000
    static let btc = SimulatedPair.defaults[0]
    static let eth = SimulatedPair.defaults[1]

    /// Received frames, and what each book update was (the frame it is, its true checksum).
    struct Stream {
        struct Update {
            /// Index into `frames`.
            var frame: Int
            var symbol: String
            var checksum: UInt32
            /// The checksum text of the book after this update, written out from the frames' strings.
            var text: String
        }

        var frames: [[UInt8]] = []
        var updates: [Update] = []

        func updates(of symbol: String) -> [Update] { updates.filter { $0.symbol == symbol } }
    }

    /// v2: the instrument snapshot, one ack per pair, then each pair's snapshot and `steps`
    /// market steps of updates, the pairs interleaved.
    static func v2(pairs: [SimulatedPair], depth: Int, steps: Int, seed: UInt64 = 11) -> Stream {
        var stream = Stream()
        stream.frames.append(V2Frames.instrument(pairs: pairs))
        var markets = pairs.map { PairMarket(pair: $0, seed: seed) }
        var views = pairs.map { _ in BookView(depth: depth) }
        for (index, pair) in pairs.enumerated() {
            stream.frames.append(V2Responses.subscribed(
                method: "subscribe", channel: "book", symbol: pair.symbol, depth: depth, snapshot: true, requestID: 2,
                timeInNs: startNs, timeOutNs: startNs))
            let snapshot = views[index].snapshot(of: markets[index])
            stream.frames.append(V2Frames.book(
                snapshot: true, pair: pair, bids: snapshot.bids.map { ($0.price, $0.quantity) },
                asks: snapshot.asks.map { ($0.price, $0.quantity) }, checksum: views[index].checksum(pair: pair, decimals: pair.precision),
                timestampNs: startNs))
        }
        for step in 0..<steps {
            for (index, pair) in pairs.enumerated() {
                _ = markets[index].step()
                let changes = views[index].update(to: markets[index])
                guard !changes.bids.isEmpty || !changes.asks.isEmpty else { continue }
                let checksum = views[index].checksum(pair: pair, decimals: pair.precision)
                stream.updates.append(.init(
                    frame: stream.frames.count, symbol: pair.symbol, checksum: checksum,
                    text: checksumText(views[index], pair: pair, decimals: pair.precision)))
                stream.frames.append(V2Frames.book(
                    snapshot: false, pair: pair, bids: changes.bids.map { ($0.price, $0.quantity) },
                    asks: changes.asks.map { ($0.price, $0.quantity) }, checksum: checksum,
                    timestampNs: startNs + Int64(step) * 1_000))
            }
        }
        return stream
    }

    /// v1 (XBT/USD strings with five decimals, as live Kraken writes them): system status, the
    /// subscription status, the snapshot (no checksum) and `steps` market steps of updates,
    /// sides split or joined in turn. `corrupting` (an index into the updates) gets a checksum
    /// one higher than the true one.
    static func v1(pair: SimulatedPair = btc, depth: Int, steps: Int, corrupting corrupted: Int? = nil, seed: UInt64 = 5) -> Stream {
        var stream = Stream()
        stream.frames.append(V1Frames.systemStatus(status: "online", connectionID: 7))
        stream.frames.append(V1Responses.subscriptionStatus(
            status: "subscribed", channelID: 1, pair: pair.v1Name, subscription: .init(name: "book", depth: depth), requestID: 2))
        var market = PairMarket(pair: pair, seed: seed)
        var view = BookView(depth: depth)
        let snapshot = view.snapshot(of: market)
        stream.frames.append(V1Frames.bookSnapshot(
            channelID: 1, pair: pair, depth: depth, bids: snapshot.bids, asks: snapshot.asks, timestampNs: startNs))
        for step in 0..<steps {
            _ = market.step()
            let changes = view.update(to: market)
            guard !changes.bids.isEmpty || !changes.asks.isEmpty else { continue }
            let checksum = view.checksum(pair: pair, decimals: pair.v1Decimals)
            let written = stream.updates.count == corrupted ? checksum &+ 1 : checksum
            stream.updates.append(.init(
                frame: stream.frames.count, symbol: pair.symbol, checksum: checksum,
                text: checksumText(view, pair: pair, decimals: pair.v1Decimals)))
            stream.frames.append(V1Frames.bookUpdate(
                channelID: 1, pair: pair, depth: depth, bids: changes.bids, asks: changes.asks, checksum: written,
                timestampNs: startNs + Int64(step) * 1_000, splitSides: step % 2 == 0))
        }
        return stream
    }

    /// Kraken's documented checksum text of what a client holds: the best ten asks then the
    /// best ten bids, each level's price then quantity as written, without `.` and leading zeros.
    static func checksumText(_ view: BookView, pair: SimulatedPair, decimals: SimulatedPair.Decimals) -> String {
        func digits(_ number: String) -> Substring { number.filter { $0 != "." }.drop { $0 == "0" } }
        return (view.asks.prefix(10) + view.bids.prefix(10)).map {
            digits(pair.text(price: $0.price, decimals: decimals)) + digits(pair.text(quantity: $0.quantity, decimals: decimals))
        }.joined()
    }

    /// A recording: header, the sent frames and REST answers first, then every received frame
    /// (so received frame `i` is on line `2 + before.count + i`).
    static func recording(
        protocol version: String, pairs: [String], depth: Int?, before: [CaptureRecording.Event] = [], frames: [[UInt8]]
    ) -> [UInt8] {
        let header = CaptureRecording.Header(protocol: version, url: "wss://ws.kraken.com/v2", startedNs: startNs, pairs: pairs, bookDepth: depth)
        var bytes = CaptureRecording.headerLine(header)
        for event in before { bytes += CaptureRecording.line(event) }
        for (index, frame) in frames.enumerated() {
            bytes += CaptureRecording.line(.init(timestampNs: startNs + Int64(index), direction: .received, text: frame))
        }
        return bytes
    }

    /// The AssetPairs answer a v1 recording keeps.
    static func assetPairs(_ pairs: [SimulatedPair]) -> CaptureRecording.Event {
        .init(timestampNs: startNs, direction: .rest, text: RESTBodies.assetPairs(pairs), path: "/0/public/AssetPairs")
    }

    /// Plain `<timestamp> <frame>` lines after a comment line and a blank line (so received
    /// frame `i` is on line `3 + i`).
    static func plain(_ frames: [[UInt8]]) -> [UInt8] {
        var bytes = Array("# captured by hand\n\n".utf8)
        for (index, frame) in frames.enumerated() {
            bytes += CaptureFile.line(CapturedFrame(timestampNs: startNs + Int64(index) * 1_000, text: frame))
        }
        return bytes
    }
}
