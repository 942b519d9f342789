import BusPublishing
import NIOCore

/// The thread-safe handle of one public market-data feed: starts its `MarketSession` on an
/// event loop and asks it for diagnostics. Everything the session does happens on that loop.
public final class MarketFeed: Sendable {
    private let session: LoopConfinedSession<MarketSession>

    public var eventLoop: any EventLoop { session.eventLoop }

    private init(session: LoopConfinedSession<MarketSession>) {
        self.session = session
    }

    /// Validates the configuration, then connects (and keeps reconnecting) on `eventLoop`.
    public static func start(
        _ configuration: MarketFeedConfiguration, publisher: BusPublisher, on eventLoop: any EventLoop, seed: UInt64 = 0x5EED
    ) async throws -> MarketFeed {
        try configuration.validate()
        return MarketFeed(session: try await .start(on: eventLoop) {
            try MarketSession(configuration: configuration, publisher: publisher, eventLoop: eventLoop, seed: seed)
        })
    }

    public func diagnostics() async throws -> FeedDiagnostics { try await session.diagnostics() }

    /// Adds pairs while running (subscribed at once when connected); unknown pairs are refused.
    public func add(symbols: [String]) async throws -> PairChange { try await session.run { $0.add(symbols: symbols) } }

    /// Removes pairs while running; their books end with a reset (reason operator).
    public func remove(symbols: [String]) async throws -> PairChange { try await session.run { $0.remove(symbols: symbols) } }

    /// The pairs the feed keeps (configured plus added, minus removed).
    public func symbols() async throws -> [String] { try await session.run { $0.subscribedSymbols } }

    /// The lines the feed logged (bounded), most recent last.
    public func recentLog() async throws -> [String] { try await session.recentLog() }

    /// Closes the connection and stops reconnecting.
    public func stop() async throws { try await session.stop() }
}

/// Why a feed configuration cannot run.
public struct FeedConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}
