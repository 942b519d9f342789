import WireFormat

extension ControlResponse {
    /// A complete snapshot reply: `SnapshotBegin{prefix, topic_count}`, the states (one
    /// `[topic][header][payload]` triple per topic, built by the bridge), then the end marker.
    public static func snapshot(prefix: String, stateFrames: [[UInt8]], publisherEpoch: UInt64, now: Int64)
        -> ControlResponse
    {
        let count = UInt32(stateFrames.count / 3)
        var begin = KBSnapshotBegin()
        begin.topicPrefix = prefix
        begin.topicCount = count
        let end = SnapshotEndMarker.frames(prefix: prefix, topicCount: count, publisherEpoch: publisherEpoch, now: now)
        return .stream(.snapshot(begin), frames: stateFrames + end)
    }

    /// A complete replay reply: `ReplayBegin{topic, event_count, first_available_sequence}`
    /// then the journaled events as triples (flagged REPLAY by the bridge).
    public static func replay(topic: JournaledTopic, firstAvailableSequence: UInt64, eventFrames: [[UInt8]])
        -> ControlResponse
    {
        var begin = KBReplayBegin()
        begin.topic = topic.rawValue
        begin.eventCount = UInt32(eventFrames.count / 3)
        begin.firstAvailableSequence = firstAvailableSequence
        return .stream(.replay(begin), frames: eventFrames)
    }
}
