import KrakenCapture
import KrakenSimulator
import NIOCore

/// What the public WebSocket listener serves: the live simulated exchange, a recorded capture,
/// or the pre-encoded throughput stream. The authenticated listener serves the live exchange
/// or an account recording (`SimulatorServer.Configuration.accountReplay`).
public enum PublicFeed: Sendable {
    case live
    /// Every connection is sent the capture's frames from the start; requests are read and
    /// counted but not answered (the capture holds the original answers). A recording's frames
    /// wait for the subscribe requests they followed (`ReplayPlan.requestTimesNs`). After the
    /// last frame the connection stays open and idle.
    case replay(ReplayPlan)
    /// Every connection gets a status, acks for what it subscribes to, then the stream, repeated
    /// (`messageLimit` messages in all, or until the client leaves).
    case throughput(ThroughputPlan)
}

/// A capture and the speed to replay it at.
public struct ReplayPlan: Sendable {
    public var frames: [CapturedFrame]
    /// 1 = recorded speed, 2 = twice as fast, nil = as fast as the connection takes them.
    public var speed: Double?
    /// The REST answers recorded with the capture: REST serves them instead of the simulated
    /// exchange's (AssetPairs, so a v1 bridge names the recorded pairs as Kraken did; for an
    /// account recording the order answers too).
    public var rest: RecordedREST
    /// A recording of the private channels: replayed on the authenticated listener.
    public var isAccount: Bool
    /// When the recorded client sent its subscribe requests (empty: frames are not held back).
    /// A frame recorded after the n-th request is sent only once the client has sent n
    /// subscribe requests, so a replayed answer never arrives before its question.
    public var requestTimesNs: [Int64]
    /// A held frame goes out anyway after this long, so a client that subscribes to less than
    /// the recorded one did still gets the whole capture.
    public var holdLimit: TimeAmount

    public init(
        frames: [CapturedFrame], speed: Double?, rest: RecordedREST = RecordedREST(), isAccount: Bool = false,
        requestTimesNs: [Int64] = [], holdLimit: TimeAmount = .seconds(5)
    ) {
        self.frames = frames
        self.speed = speed
        self.rest = rest
        self.isAccount = isAccount
        self.requestTimesNs = requestTimesNs
        self.holdLimit = holdLimit
    }

    /// The recorded AssetPairs answer.
    public var assetPairsBody: [UInt8]? { rest.latest(RecordedREST.assetPairsPath) }

    /// A v2 `"method":"subscribe"` or v1 `"event":"subscribe"` request (`"unsubscribe"` is not).
    static func isSubscribe(_ bytes: some Collection<UInt8>) -> Bool {
        let needle = Array(#""subscribe""#.utf8)
        let text = Array(bytes)
        guard text.count >= needle.count else { return false }
        return (0...(text.count - needle.count)).contains { start in text[start..<(start + needle.count)].elementsEqual(needle) }
    }

    /// How many subscribe requests the client must have sent before frame `index` goes out.
    func requestsNeeded(before index: Int) -> Int {
        let time = frames[index].timestampNs
        var low = 0
        var high = requestTimesNs.count
        while low < high {
            let middle = (low + high) / 2
            if requestTimesNs[middle] < time { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// A capture file in either format (`CaptureRecording` JSON lines or `<timestamp> <frame>`
    /// lines); from a recording, its received frames and its REST answers.
    public init(capture contents: [UInt8], speed: Double?) throws(CaptureError) {
        if CaptureRecording.isRecording(contents) {
            let recording = try CaptureRecording.parse(contents)
            self.init(frames: recording.receivedFrames, speed: speed, rest: RecordedREST(recording), isAccount: recording.header.isAccount,
                      requestTimesNs: recording.events.filter { $0.direction == .sent && Self.isSubscribe($0.text) }.map(\.timestampNs))
        } else {
            self.init(frames: try CaptureFile.parse(contents), speed: speed)
        }
    }
}

/// The throughput stream and how much of it each connection gets.
public struct ThroughputPlan: Sendable {
    public var stream: ThroughputStream
    /// Messages per connection after the subscription; nil = until the client disconnects.
    public var messageLimit: Int?

    public init(stream: ThroughputStream, messageLimit: Int?) {
        self.stream = stream
        self.messageLimit = messageLimit
    }
}

/// The throughput stream framed once as WebSocket bytes, shared by every connection (ByteBuffer
/// is copy-on-write, so writing it copies nothing).
struct EncodedThroughputStream: Sendable {
    let bytes: ByteBuffer
    /// Byte offset where each message ends (for a limit that ends mid-stream).
    let messageEnds: [Int]

    init(_ plan: ThroughputPlan, allocator: ByteBufferAllocator) {
        var framed: [UInt8] = []
        framed.reserveCapacity(plan.stream.messages.reduce(0) { $0 + $1.count + 4 })
        var ends: [Int] = []
        ends.reserveCapacity(plan.stream.messages.count)
        for message in plan.stream.messages {
            WebSocketFrameBytes.appendText(message, to: &framed)
            ends.append(framed.count)
        }
        var buffer = allocator.buffer(capacity: framed.count)
        buffer.writeBytes(framed)
        bytes = buffer
        messageEnds = ends
    }

    var messageCount: Int { messageEnds.count }
}
