import BusPublishing
import FeedOutput
import Foundation
import SwiftProtobuf
import Synchronization
import Testing
import WireFormat
import ZeroMQ
import ZeroMQHub

/// What the publisher keeps beside the hand-off: last values, topic heartbeats, the journal.
@Suite(.serialized) struct BusPublisherTests {
    /// A hub with the two PUB sockets and a SUB on both, ready to receive.
    struct Bus {
        let hub: ZMQHub
        let subscriber: ZMQHub
        let directory: URL

        static func start() async throws -> Bus {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kbpub-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let endpoints = ["ipc://\(directory.path)/m.sock", "ipc://\(directory.path)/a.sock"]
            let hub = try await ZMQHub.start(HubConfiguration(sockets: [
                .publisher(name: "market", bind: [endpoints[0]]), .publisher(name: "account", bind: [endpoints[1]]),
            ]))
            let subscriber = try await ZMQHub.start(HubConfiguration(sockets: [.subscriber(name: "sub", connect: endpoints, topics: [[]])]))
            var subscribed: Set<Int> = []
            for await item in hub.inbound {
                if case .subscription(let socket, true, _) = item { subscribed.insert(socket.index) }
                if subscribed.count == 2 { break }
            }
            return Bus(hub: hub, subscriber: subscriber, directory: directory)
        }

        func publisher(journal: (any BusJournal)? = nil, continuing: [Topic: UInt64] = [:]) -> BusPublisher {
            BusPublisher(hub: hub, marketSocket: hub.socket(0), accountSocket: hub.socket(1), journal: journal, continuing: continuing)
        }

        /// The next `count` frames received.
        func receive(_ count: Int) async throws -> [BusFrame] {
            var frames: [BusFrame] = []
            for await item in subscriber.inbound {
                guard case .message(_, let message) = item else { continue }
                frames.append(try BusFrame(frames: message.frames))
                if frames.count == count { break }
            }
            return frames
        }

        func stop() async {
            await subscriber.shutdown()
            await hub.shutdown()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    final class RecordingJournal: BusJournal {
        let records = Mutex<[(topic: Topic, sequence: UInt64, header: FrameHeader)]>([])
        let fails: Bool
        init(fails: Bool = false) { self.fails = fails }
        struct Refused: Error {}
        func record(topic: Topic, sequence: UInt64, header: FrameHeader, payload: [UInt8]) throws {
            if fails { throw Refused() }
            records.withLock { $0.append((topic, sequence, header)) }
        }
    }

    private static func ticker(_ last: Int64) -> KBTicker {
        var ticker = KBTicker()
        ticker.symbol = "BTC/USD"
        ticker.last = KBDecimal.with { $0.mantissa = last; $0.scale = 1 }
        return ticker
    }

    @Test func anIdleTopicGetsAHeartbeatWithItsCurrentSequenceAboutOnceASecond() async throws {
        let bus = try await Bus.start()
        let publisher = bus.publisher()
        let topic = try Topic.ticker("BTC/USD")
        publisher.publish(Self.ticker(1), on: topic, receivedNs: 1)
        publisher.publish(Self.ticker(2), on: topic, receivedNs: 1)
        publisher.publish(KBServiceHeartbeat(), on: .serviceHeartbeat, receivedNs: 1)
        publisher.publish(KBExchangeStatus(), on: .exchangeStatus, receivedNs: 1)
        let now = UnixTime.nanoseconds()
        #expect(publisher.publishIdleHeartbeats(nowNs: now, idleNs: 1_000_000_000) == 0, "not idle yet")
        #expect(publisher.publishIdleHeartbeats(nowNs: now + 1_100_000_000, idleNs: 1_000_000_000) == 1, "only the data topic")
        #expect(publisher.publishIdleHeartbeats(nowNs: now + 1_500_000_000, idleNs: 1_000_000_000) == 0, "one per interval")
        #expect(publisher.publishIdleHeartbeats(nowNs: now + 2_200_000_000, idleNs: 1_000_000_000) == 1)
        let frames = try await bus.receive(6)
        let beats = frames.filter { $0.messageType == .topicHeartbeat }
        #expect(beats.map(\.topic) == [topic, topic])
        #expect(beats.map(\.header.sequence) == [2, 2], "a heartbeat repeats the topic's current sequence")
        guard case .topicHeartbeat(let beat) = try beats[0].decodePayload() else { throw BusFrameExpectation() }
        #expect(beat.lastDataNs > 0)
        #expect(publisher.counters.topicHeartbeats == 2)
        await bus.stop()
    }

    @Test func lastValuesHoldEachCachedTopicsLatestStateAtItsSequence() async throws {
        let bus = try await Bus.start()
        let publisher = bus.publisher()
        let ticker = try Topic.ticker("BTC/USD")
        let book = try Topic.book("BTC/USD", depth: 10)
        publisher.publish(Self.ticker(1), on: ticker, receivedNs: 1)
        publisher.publish(Self.ticker(2), on: ticker, receivedNs: 1)
        publisher.publish(KBBookUpdate(), on: book, receivedNs: 1)
        let values = publisher.lastValues(prefix: [])
        #expect(values.map(\.topic) == [ticker], "book deltas are not a state; books come from their keepers")
        #expect(values[0].header.sequence == 2)
        #expect(values[0].header.flags.contains(.snapshot))
        guard case .ticker(let last) = try values[0].decodePayload() else { throw BusFrameExpectation() }
        #expect(last.last.mantissa == 2)
        #expect(publisher.lastValues(prefix: Array("trade:".utf8)).isEmpty)

        let state = try #require(publisher.state(KBBookSnapshot(), of: book))
        #expect(state.header.sequence == 1, "a state claims the topic's current sequence without taking a new one")
        publisher.retire([ticker])
        #expect(publisher.lastValues(prefix: []).isEmpty)
        #expect(publisher.currentSequence(of: ticker) == 2, "a retired topic keeps its numbering")
        await bus.stop()
    }

    @Test func accountMessagesAreJournaledFirstAndContinueTheJournalsNumbering() async throws {
        let bus = try await Bus.start()
        let journal = RecordingJournal()
        let publisher = bus.publisher(journal: journal, continuing: [.executions: 41])
        #expect(publisher.publish(KBExecutionReport(), on: .executions, to: .account, receivedNs: 1) == 42)
        #expect(publisher.publish(Self.ticker(1), on: try Topic.ticker("BTC/USD"), receivedNs: 1) == 1)
        let frames = try await bus.receive(2)
        let records = journal.records.withLock { $0 }
        #expect(records.map(\.topic) == [.executions], "only account messages are journaled")
        #expect(records[0].sequence == 42)
        #expect(frames.first { $0.topic == .executions }?.header == records[0].header, "published exactly as journaled")
        #expect(publisher.counters.journaled == 1)
        await bus.stop()
    }

    @Test func aJournalFailureIsCountedAndTheEventStillPublished() async throws {
        let bus = try await Bus.start()
        let publisher = bus.publisher(journal: RecordingJournal(fails: true))
        #expect(publisher.publish(KBFill(), on: .fills, to: .account, receivedNs: 1) == 1)
        let frames = try await bus.receive(1)
        #expect(frames.map(\.topic) == [.fills])
        #expect(publisher.counters.journalFailures == 1)
        #expect(publisher.lastJournalError != nil)
        await bus.stop()
    }

    struct BusFrameExpectation: Error {}
}
