import FeedOutput
import WireFormat
import NIOCore

/// The handle of the private feed: starts its `AccountSession` actor on an event loop.
public final class AccountFeed: Sendable {
    private let session: AccountSession

    public var eventLoop: any EventLoop { session.eventLoop }

    private init(session: AccountSession) {
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
        let session = try AccountSession(configuration: configuration, publisher: publisher, eventLoop: eventLoop, seed: seed,
                                         restoring: published)
        await session.start()
        return AccountFeed(session: session)
    }

    public func diagnostics() async throws -> FeedDiagnostics { await session.diagnostics() }

    /// The lines the feed logged (bounded), most recent last.
    public func recentLog() async throws -> [String] { await session.recentLog() }

    /// Closes the connection and stops reconnecting.
    public func stop() async throws { await session.stop() }
}
