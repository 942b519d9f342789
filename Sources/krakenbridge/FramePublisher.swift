import WireFormat
import ZeroMQHub

/// Turns payload messages into bus frames on one hub socket: assigns per-topic sequences,
/// stamps the header, and sends idle-topic and service heartbeats.
struct FramePublisher {
    let hub: ZMQHub
    let socket: HubSocketID
    let epoch = PublisherEpoch.make()
    let started = UnixTime.nanoseconds()
    let flags: FrameFlags = [.simulated]
    private var sequencer = TopicSequencer()
    private var lastData: [Topic: Int64] = [:]
    private(set) var dataFrames = 0

    init(hub: ZMQHub, socket: HubSocketID) {
        self.hub = hub
        self.socket = socket
    }

    mutating func publish<M: BusPayloadMessage>(topic: Topic, message: M, exchangeTimestampNs: Int64 = 0) throws {
        let now = UnixTime.nanoseconds()
        let header = FrameHeader(
            messageType: 0, flags: flags, publisherEpoch: epoch, sequence: sequencer.next(for: topic),
            exchangeTimestampNs: exchangeTimestampNs, receiveTimestampNs: now, publishTimestampNs: now)
        let frame = try BusFrame(topic: topic, header: header, message: message)
        hub.publish(to: socket, topic: frame.topic.bytes, header: frame.header.bytes, payload: frame.payload)
        lastData[topic] = now
        dataFrames += 1
    }

    /// A heartbeat on every topic idle for at least `idle`, then the service heartbeat.
    mutating func heartbeats(idleFor idle: Duration) throws {
        let now = UnixTime.nanoseconds()
        let idleNanoseconds = idle.components.seconds * 1_000_000_000 + idle.components.attoseconds / 1_000_000_000
        for (topic, last) in lastData where now - last >= idleNanoseconds {
            var beat = KBTopicHeartbeat()
            beat.lastDataNs = last
            try send(topic: topic, sequence: sequencer.current(for: topic), message: beat, now: now)
        }
        var service = KBServiceHeartbeat()
        service.startedNs = started
        service.uptimeNs = now - started
        service.version = "synth"
        try send(topic: .serviceHeartbeat, sequence: sequencer.next(for: .serviceHeartbeat), message: service, now: now)
    }

    private func send<M: BusPayloadMessage>(topic: Topic, sequence: UInt64, message: M, now: Int64) throws {
        let header = FrameHeader(
            messageType: 0, flags: flags, publisherEpoch: epoch, sequence: sequence, receiveTimestampNs: now,
            publishTimestampNs: now)
        let frame = try BusFrame(topic: topic, header: header, message: message)
        hub.publish(to: socket, topic: frame.topic.bytes, header: frame.header.bytes, payload: frame.payload)
    }
}
