import Foundation
import Histogram
import WireFormat
import ZeroMQ

/// The subscriber of `scripts/bench.sh --only latency` (issue 18 §8): connects a SUB to the
/// bridge's market endpoint and records, for every data message (book snapshot, update, reset,
/// trade), three latencies in HdrHistograms (1 ns to 60 s, three significant digits):
/// - receive → zmq_send: the header's publish time minus its receive time. The hub stamps the
///   publish time just before `zmq_send`, so this is the bridge's whole share of the path;
/// - exchange → subscriber: the moment of receipt here minus the header's exchange time
///   (Kraken's own timestamp, microseconds; the simulator stamps it when it makes the change);
/// - receive → subscriber: receipt here minus the header's receive time (adds libzmq's hop).
/// All clocks are the same machine's `CLOCK_REALTIME`. Prints one JSON line when done.
struct BusLatencySubscriber {
    let endpoint: String
    /// Messages in the first seconds are not recorded (connections, snapshots, page faults).
    let warmupSeconds: Double
    let seconds: Double

    private static let dataTypes: Set<UInt16> = [
        UInt16(KBMessageType.bookSnapshot.rawValue), UInt16(KBMessageType.bookUpdate.rawValue),
        UInt16(KBMessageType.bookReset.rawValue), UInt16(KBMessageType.trade.rawValue),
    ]

    func run() throws {
        let context = try ZMQContext(ioThreads: 1)
        let socket = try ZMQSocket(context: context, type: .sub)
        try socket.set(.receiveHighWaterMark, 0)
        try socket.set(.linger, 0)
        try socket.set(.receiveTimeout, 100)
        try socket.set(.reconnectInterval, 5)
        try socket.set(.subscribe, [])
        try socket.connect(endpoint)
        FileHandle.standardOutput.write(Data(#"{"ready": true}"#.utf8 + [0x0A]))

        var receiveToSend = Self.histogram()
        var exchangeToSubscriber = Self.histogram()
        var receiveToSubscriber = Self.histogram()
        var messages = 0
        var withoutExchangeTime = 0
        var malformed = 0
        var firstReceiptNs: Int64 = 0
        var lastReceiptNs: Int64 = 0
        let startNs = UnixTime.nanoseconds()
        let recordFromNs = startNs + Int64(warmupSeconds * 1e9)
        let endNs = recordFromNs + Int64(seconds * 1e9)
        while true {
            let message = try socket.receiveMessage()
            let receiptNs = UnixTime.nanoseconds()
            if receiptNs >= endNs { break }
            guard let message, receiptNs >= recordFromNs else { continue }
            guard message.frames.count == 3, let header = try? FrameHeader(parsing: message.frames[1]) else {
                malformed += 1
                continue
            }
            guard Self.dataTypes.contains(header.messageType) else { continue }
            if firstReceiptNs == 0 { firstReceiptNs = receiptNs }
            lastReceiptNs = receiptNs
            messages += 1
            _ = receiveToSend.record(Self.span(from: header.receiveTimestampNs, to: header.publishTimestampNs))
            _ = receiveToSubscriber.record(Self.span(from: header.receiveTimestampNs, to: receiptNs))
            if header.exchangeTimestampNs > 0 {
                _ = exchangeToSubscriber.record(Self.span(from: header.exchangeTimestampNs, to: receiptNs))
            } else {
                withoutExchangeTime += 1
            }
        }
        let window = Double(lastReceiptNs - firstReceiptNs) / 1e9
        let report: [String: Any] = [
            "messages": messages, "seconds": window, "msg_per_s": window > 0 ? Double(messages) / window : 0,
            "without_exchange_time": withoutExchangeTime, "malformed": malformed,
            "receive_to_send_ns": Self.summary(receiveToSend), "exchange_to_subscriber_ns": Self.summary(exchangeToSubscriber),
            "receive_to_subscriber_ns": Self.summary(receiveToSubscriber),
        ]
        let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        FileHandle.standardOutput.write(json + Data([0x0A]))
    }

    private static func histogram() -> Histogram<UInt64> {
        Histogram(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
    }

    /// Clamped to the histogram's range: a negative span (a clock step) counts as 0 ns.
    private static func span(from start: Int64, to end: Int64) -> UInt64 {
        UInt64(min(max(end - start, 0), 60_000_000_000))
    }

    private static func summary(_ histogram: Histogram<UInt64>) -> [String: UInt64] {
        [
            "count": histogram.totalCount, "p50": histogram.valueAtPercentile(50), "p99": histogram.valueAtPercentile(99),
            "p99_9": histogram.valueAtPercentile(99.9), "max": histogram.max,
        ]
    }
}
