import Foundation
import KrakenSimulator
import KrakenSimulatorServer
#if canImport(Glibc)
import Glibc
#endif

/// How many messages per second the simulator's throughput mode offers over ws:// on loopback.
/// The simulator runs in this process on its own event loop thread; the reader is a blocking
/// socket on the main thread that does the WebSocket handshake, subscribes, then only walks
/// frame headers and counts text frames — the cheapest possible consumer, so the figure is the
/// simulator's ceiling (what the bridge must be measured against, never limited by).
struct SimulatorThroughputBenchmark {
    let seconds: Double
    let runs: Int
    let pairs: Int
    let steps: Int

    struct Failure: Error, CustomStringConvertible { var description: String }

    func run() async throws {
        let simulated = Array(SimulatedPair.defaults.prefix(pairs)) + SimulatedPair.synthetic(count: max(0, pairs - SimulatedPair.defaults.count))
        let stream = ThroughputStream(pairs: simulated, seed: 1, steps: steps)
        let averageSize = stream.messages.reduce(0) { $0 + $1.count } / stream.messages.count
        try checkCounter(on: stream)
        var configuration = SimulatorServer.Configuration()
        configuration.pairs = simulated
        configuration.tickInterval = .seconds(3_600)
        configuration.publicFeed = .throughput(ThroughputPlan(stream: stream, messageLimit: nil))
        let server = try await SimulatorServer.start(configuration)
        var rates: [Double] = []
        var megabytes: [Double] = []
        do {
            for _ in 0..<runs {
                let (messages, bytes, elapsed) = try count(port: server.ports.public)
                rates.append(Double(messages) / elapsed)
                megabytes.append(Double(bytes) / elapsed / 1_000_000)
            }
        } catch {
            try? await server.shutdown()
            throw error
        }
        try await server.shutdown()
        rates.sort()
        megabytes.sort()
        print("| stream | messages/s (median of \(runs) × \(seconds) s) | min | max | MB/s (median) |")
        print("|---|---|---|---|---|")
        print("| \(simulated.count) pairs, book depth 10 + trades, \(stream.messages.count) messages, avg \(averageSize) B | "
            + "\(format(rates[rates.count / 2])) | \(format(rates.first!)) | \(format(rates.last!)) | "
            + "\(String(format: "%.0f", megabytes[megabytes.count / 2])) |")
    }

    /// The counter must see exactly the stream's messages however the bytes are split.
    private func checkCounter(on stream: ThroughputStream) throws {
        var framed: [UInt8] = []
        for message in stream.messages { WebSocketFrameBytes.appendText(message, to: &framed) }
        var counter = FrameCounter()
        var offset = 0
        var chunk = 1
        while offset < framed.count {
            let end = min(framed.count, offset + chunk)
            counter.consume(framed[offset..<end])
            offset = end
            chunk = chunk * 7 % 65_521 + 1
        }
        guard counter.textFrames == stream.messages.count else {
            throw Failure(description: "frame counter saw \(counter.textFrames) of \(stream.messages.count) messages")
        }
    }

    private func format(_ rate: Double) -> String { String(format: "%.2f M", rate / 1_000_000) }

    /// Connects, subscribes, and counts text frames for `seconds`.
    private func count(port: Int) throws -> (messages: Int, bytes: Int, seconds: Double) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect() failed") }
        try sendAll(socket, Array("GET /v2 HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            .utf8) + Array("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n".utf8))
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        // Read the 101 response; whatever follows it is the first frames.
        var pending: [UInt8] = []
        while true {
            let got = recv(socket, &buffer, buffer.count, 0)
            guard got > 0 else { throw Failure(description: "connection closed during the handshake") }
            pending += buffer[0..<got]
            if let end = pending.firstRange(of: Array("\r\n\r\n".utf8)) {
                guard pending.starts(with: Array("HTTP/1.1 101".utf8)) else { throw Failure(description: "upgrade refused") }
                pending.removeSubrange(0..<end.upperBound)
                break
            }
        }
        let subscribe = Array(#"{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"]}}"#.utf8)
        var frame: [UInt8] = [0x81, 0x80 | UInt8(subscribe.count), 0, 0, 0, 0]  // zero mask: payload unchanged
        frame += subscribe
        try sendAll(socket, frame)

        var counter = FrameCounter()
        counter.consume(pending[...])
        let started = ContinuousClock.now
        let startMessages = counter.textFrames
        var bytes = 0
        let deadline = started + .milliseconds(Int64(seconds * 1_000))
        while ContinuousClock.now < deadline {
            for _ in 0..<64 {
                let got = recv(socket, &buffer, buffer.count, 0)
                guard got > 0 else { throw Failure(description: "connection closed while counting") }
                bytes += got
                counter.consume(buffer[0..<got])
            }
        }
        let elapsed = started.duration(to: .now)
        let secondsElapsed = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (counter.textFrames - startMessages, bytes, secondsElapsed)
    }

    private func sendAll(_ socket: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure(description: "send() failed") }
            offset += sent
        }
    }
}

/// Walks server WebSocket frame headers across reads (payloads are skipped, not copied).
struct FrameCounter {
    private(set) var textFrames = 0
    private var header: [UInt8] = []
    private var payloadLeft = 0

    mutating func consume(_ bytes: ArraySlice<UInt8>) {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if payloadLeft > 0 {
                let skip = min(payloadLeft, bytes.endIndex - index)
                payloadLeft -= skip
                index += skip
                continue
            }
            header.append(bytes[index])
            index += 1
            guard header.count >= 2 else { continue }
            let lengthCode = Int(header[1] & 0x7F)
            let needed = lengthCode == 126 ? 4 : lengthCode == 127 ? 10 : 2
            guard header.count == needed else { continue }
            var length = lengthCode
            if lengthCode == 126 { length = Int(header[2]) << 8 | Int(header[3]) }
            if lengthCode == 127 { length = header[2...9].reduce(0) { $0 << 8 | Int($1) } }
            if header[0] & 0x0F == 0x1 { textFrames += 1 }
            payloadLeft = length
            header.removeAll(keepingCapacity: true)
        }
    }
}
