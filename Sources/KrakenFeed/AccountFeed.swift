import BusPublishing
import NIOCore

/// The thread-safe handle of the private feed: starts its `AccountSession` on an event loop.
public final class AccountFeed: Sendable {
    private let session: LoopConfinedSession<AccountSession>

    public var eventLoop: any EventLoop { session.eventLoop }

    private init(session: LoopConfinedSession<AccountSession>) {
        self.session = session
    }

    public static func start(
        _ configuration: AccountFeedConfiguration, publisher: BusPublisher, on eventLoop: any EventLoop, seed: UInt64 = 0xACC0
    ) async throws -> AccountFeed {
        try configuration.validate()
        return AccountFeed(session: try await .start(on: eventLoop) {
            try AccountSession(configuration: configuration, publisher: publisher, eventLoop: eventLoop, seed: seed)
        })
    }

    public func diagnostics() async throws -> FeedDiagnostics { try await session.diagnostics() }

    /// The lines the feed logged (bounded), most recent last.
    public func recentLog() async throws -> [String] { try await session.recentLog() }

    /// Closes the connection and stops reconnecting.
    public func stop() async throws { try await session.stop() }
}
