import Foundation
@testable import KrakenFeed
import NIOCore
import NIOPosix
import Synchronization
import Testing

@Suite("a session's REST calls are owned")
struct SessionTasksTests {
    @Test("a call's result is delivered on the session's event loop")
    func delivers() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let tasks = SessionTasks()
        let delivered: Int = try await withCheckedThrowingContinuation { continuation in
            tasks.run(on: loop) { 42 } deliver: { result in
                precondition(loop.inEventLoop)
                continuation.resume(with: result)
            }
        }
        #expect(delivered == 42)
        #expect(tasks.count == 0)
    }

    @Test("stopping cancels the calls in flight; nothing is delivered afterwards and nothing new runs")
    func stoppingCancels() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let tasks = SessionTasks()
        let deliveries = Mutex(0)
        let started = AsyncStream<Void>.makeStream()
        tasks.run(on: loop) {
            started.continuation.yield()
            try await Task.sleep(for: .seconds(30))  // a REST call that hangs
        } deliver: { _ in deliveries.withLock { $0 += 1 } }
        var iterator = started.stream.makeAsyncIterator()
        await iterator.next()
        #expect(tasks.count == 1)
        tasks.cancelAll()
        #expect(tasks.count == 0)
        tasks.run(on: loop) { 1 } deliver: { _ in deliveries.withLock { $0 += 1 } }
        #expect(tasks.count == 0, "a stopped session starts nothing")
        // Whatever the cancelled call does next, it is dropped: wait until the loop has run
        // everything queued so far, twice, then count.
        for _ in 0..<2 { try await loop.submit {}.get() }
        #expect(deliveries.withLock { $0 } == 0)
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
