@testable import KrakenFeed
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// How NIO's callbacks get into a session actor: on its loop they run inside it, inline; from
/// anywhere else they stop the process instead of racing the session's state.
@Suite("entering a session actor from its event loop")
struct SessionEntryTests {
    @Test("on the session's loop, the hot path's entry runs the body at once, inside the session")
    func entersInlineOnItsLoop() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let session = try MarketSession(configuration: MarketFeedConfiguration(), publisher: RecordingSink(), eventLoop: loop, seed: 1)
        let seen = Seen()
        let afterEntering = try await loop.submit {
            session.enter(with: 41) { session, value in
                // The session's own state, read synchronously.
                seen.values.withLock { $0.append("\(value + 1), frames \(session.link.counters.frames)") }
            }
            return seen.values.withLock { $0 }
        }.get()
        #expect(afterEntering == ["42, frames 0"], "the body ran inside enter, before it returned")
    }

    @Test("off the session's loop, entering stops the process")
    func enteringOffItsLoopTraps() async {
        await #expect(processExitsWith: .failure) {
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let session = try MarketSession(configuration: MarketFeedConfiguration(), publisher: RecordingSink(), eventLoop: loop, seed: 1)
            session.enter(with: 0) { _, _ in }
        }
    }
}

private final class Seen: Sendable {
    let values = Mutex<[String]>([])
}
