import FeedOutput
import WireFormat
import NIOCore

/// The thread-safe handle of the private feed: starts its `AccountSession` on an event loop.
public final class AccountFeed: Sendable {
    private let session: LoopConfinedSession<AccountSession>

    public var eventLoop: any EventLoop { session.eventLoop }

    private init(session: LoopConfinedSession<AccountSession>) {
        self.session = session
    }

    /// Validates the configuration, then connects (and keeps reconnecting) on `eventLoop`.
    /// `published`: the execution reports an earlier run published (its journal, oldest first),
    /// so a restart neither repeats them nor loses what happened while the bridge was down.
    public static func start(
        _ configuration: AccountFeedConfiguration, publisher: any BusSink, on eventLoop: any EventLoop, seed: UInt64 = 0xACC0,
        restoring published: [KBExecutionReport] = []
    ) async throws -> AccountFeed {
        try configuration.validate()
        return AccountFeed(session: try await .start(on: eventLoop) {
            try AccountSession(configuration: configuration, publisher: publisher, eventLoop: eventLoop, seed: seed, restoring: published)
        })
    }

    public func diagnostics() async throws -> FeedDiagnostics { try await session.diagnostics() }

    /// The lines the feed logged (bounded), most recent last.
    public func recentLog() async throws -> [String] { try await session.recentLog() }

    /// Closes the connection and stops reconnecting.
    public func stop() async throws { try await session.stop() }
}
