import BusPublishing
import NIOCore

/// The thread-safe handle of one public market-data feed: starts its `MarketSession` on an
/// event loop and asks it for diagnostics. Everything the session does happens on that loop.
public final class MarketFeed: Sendable {
    public let eventLoop: any EventLoop
    private let session: NIOLoopBound<MarketSession>

    private init(eventLoop: any EventLoop, session: NIOLoopBound<MarketSession>) {
        self.eventLoop = eventLoop
        self.session = session
    }

    /// Validates the configuration, then connects (and keeps reconnecting) on `eventLoop`.
    public static func start(
        _ configuration: MarketFeedConfiguration, publisher: BusPublisher, on eventLoop: any EventLoop, seed: UInt64 = 0x5EED
    ) async throws -> MarketFeed {
        try configuration.validate()
        let session = try await eventLoop.submit {
            let session = try MarketSession(configuration: configuration, publisher: publisher, eventLoop: eventLoop, seed: seed)
            session.start()
            return NIOLoopBound(session, eventLoop: eventLoop)
        }.get()
        return MarketFeed(eventLoop: eventLoop, session: session)
    }

    public func diagnostics() async throws -> FeedDiagnostics {
        let session = session
        return try await eventLoop.submit { session.value.diagnostics() }.get()
    }

    /// Adds pairs while running (subscribed at once when connected); unknown pairs are refused.
    public func add(symbols: [String]) async throws -> PairChange {
        let session = session
        return try await eventLoop.submit { session.value.add(symbols: symbols) }.get()
    }

    /// Removes pairs while running; their books end with a reset (reason operator).
    public func remove(symbols: [String]) async throws -> PairChange {
        let session = session
        return try await eventLoop.submit { session.value.remove(symbols: symbols) }.get()
    }

    /// The pairs the feed keeps (configured plus added, minus removed).
    public func symbols() async throws -> [String] {
        let session = session
        return try await eventLoop.submit { session.value.subscribedSymbols }.get()
    }

    /// The lines the feed logged (bounded), most recent last.
    public func recentLog() async throws -> [String] {
        let session = session
        return try await eventLoop.submit { session.value.link.log.lines }.get()
    }

    /// Closes the connection and stops reconnecting.
    public func stop() async throws {
        let session = session
        try await eventLoop.submit { session.value.stop() }.get()
    }
}

/// Why a feed configuration cannot run.
public struct FeedConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}
