import BusPublishing
import NIOCore

/// The thread-safe handle of the private feed: starts its `AccountSession` on an event loop.
public final class AccountFeed: Sendable {
    public let eventLoop: any EventLoop
    private let session: NIOLoopBound<AccountSession>

    private init(eventLoop: any EventLoop, session: NIOLoopBound<AccountSession>) {
        self.eventLoop = eventLoop
        self.session = session
    }

    public static func start(
        _ configuration: AccountFeedConfiguration, publisher: BusPublisher, on eventLoop: any EventLoop, seed: UInt64 = 0xACC0
    ) async throws -> AccountFeed {
        try configuration.validate()
        let session = try await eventLoop.submit {
            let session = try AccountSession(configuration: configuration, publisher: publisher, eventLoop: eventLoop, seed: seed)
            session.start()
            return NIOLoopBound(session, eventLoop: eventLoop)
        }.get()
        return AccountFeed(eventLoop: eventLoop, session: session)
    }

    public func diagnostics() async throws -> FeedDiagnostics {
        let session = session
        return try await eventLoop.submit { session.value.diagnostics() }.get()
    }

    public func recentLog() async throws -> [String] {
        let session = session
        return try await eventLoop.submit { session.value.link.log.lines }.get()
    }

    public func stop() async throws {
        let session = session
        try await eventLoop.submit { session.value.stop() }.get()
    }
}
