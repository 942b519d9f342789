import Foundation
@testable import KrakenFeed
import NIOCore
import NIOPosix
import Testing

/// A session-shaped actor on an event loop: what `call` needs and nothing else.
private actor LoopActor: SessionTaskOwner {
    nonisolated let loop: any EventLoop
    var tasks = SessionTasks()
    var delivered: [Result<Int, any Error>] = []
    var deliveredOnLoop: [Bool] = []

    nonisolated var unownedExecutor: UnownedSerialExecutor { loop.executor.asUnownedSerialExecutor() }

    init(loop: any EventLoop) { self.loop = loop }

    func start(_ work: @escaping @Sendable () async throws -> Int) {
        call(work) { actor, result in
            actor.deliveredOnLoop.append(actor.loop.inEventLoop)
            actor.delivered.append(result)
        }
    }

    func stop() { tasks.cancelAll() }
    var inFlight: Int { tasks.count }
    var deliveredValues: [Int] { delivered.compactMap { try? $0.get() } }
}

@Suite("a session's REST calls are owned")
struct SessionTasksTests {
    @Test("a call's result is delivered inside the session, on its event loop, and the call is forgotten")
    func delivers() async throws {
        let session = LoopActor(loop: MultiThreadedEventLoopGroup.singleton.next())
        await session.start { 42 }
        let deadline = ContinuousClock.now + .seconds(10)
        while await session.delivered.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(await session.deliveredValues == [42])
        #expect(await session.deliveredOnLoop == [true])
        #expect(await session.inFlight == 0)
    }

    @Test("stopping cancels the calls in flight; nothing is delivered afterwards and nothing new runs")
    func stoppingCancels() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let session = LoopActor(loop: loop)
        let started = AsyncStream<Void>.makeStream()
        let cancelled = AsyncStream<Void>.makeStream()
        await session.start {
            started.continuation.yield()
            do {
                try await Task.sleep(for: .seconds(30))  // a REST call that hangs
            } catch {
                cancelled.continuation.yield()
                throw error
            }
            return 1
        }
        var startedIterator = started.stream.makeAsyncIterator()
        await startedIterator.next()
        #expect(await session.inFlight == 1)
        await session.stop()
        #expect(await session.inFlight == 0)
        var cancelledIterator = cancelled.stream.makeAsyncIterator()
        await cancelledIterator.next()
        await session.start { 2 }
        #expect(await session.inFlight == 0, "a stopped session starts nothing")
        // Whatever the cancelled call does next, it is dropped: wait until the loop has run
        // everything queued so far, twice, then look.
        for _ in 0..<2 { try await loop.submit {}.get() }
        #expect(await session.delivered.isEmpty)
    }
    @Test("a call that ignores cancellation ends off the loop: after its session stopped and the loop shut down, nothing is delivered and nothing holds the session")
    func aLateAnswerAfterShutdownIsDroppedOffTheLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var session: LoopActor? = LoopActor(loop: group.next())
        weak let released = session
        let started = AsyncStream<Void>.makeStream()
        let answer = AsyncStream<Int>.makeStream()
        await session!.start {
            started.continuation.yield()
            var iterator = answer.stream.makeAsyncIterator()
            return await iterator.next() ?? 0  // a REST call that does not notice cancellation
        }
        var startedIterator = started.stream.makeAsyncIterator()
        await startedIterator.next()
        await session!.stop()
        session = nil
        try await group.shutdownGracefully()

        answer.continuation.yield(7)
        let deadline = ContinuousClock.now + .seconds(10)
        while released != nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(released == nil, "the call's task still holds the session (it waits on a loop that is gone)")
    }
}

/// No unowned `Task {}`: every unstructured task in Sources is stored by an owner that cancels
/// it (a property, an owned list, `SessionTasks`), so nothing runs after shutdown.
@Suite("the unowned-task rule")
struct UnownedTaskRuleTests {
    /// Sites still waiting for their owner, each with the reason (none left).
    static let pending: [String: String] = [:]

    @Test("every Task { … } in Sources is stored by its owner")
    func everyTaskHasAnOwner() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let sources = root.appendingPathComponent("Sources")
        let unowned = try NSRegularExpression(pattern: #"(?<![A-Za-z_.])Task(\.detached)?\s*(\([^)]*\))?\s*\{"#)
        let owned = try NSRegularExpression(pattern: #"(=|\.append\()\s*Task(\.detached)?\s*(\([^)]*\))?\s*\{"#)
        var offenders: [String] = []
        var checked = 0
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let file as URL in files where file.pathExtension == "swift" {
            let relative = String(file.path.dropFirst(root.path.count + 1))
            for (number, line) in try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n").enumerated() {
                let range = NSRange(line.startIndex..., in: line)
                guard unowned.firstMatch(in: line, range: range) != nil else { continue }
                checked += 1
                if owned.firstMatch(in: line, range: range) == nil, Self.pending[relative] == nil {
                    offenders.append("\(relative):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(checked >= 4, "the rule found the owned tasks there are (supervisor run, sessions, heartbeats)")
        #expect(offenders == [])
    }
}
