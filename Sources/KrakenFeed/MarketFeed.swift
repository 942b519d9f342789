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

    /// The lines the feed logged (bounded), most recent last.
    public func recentLog() async throws -> [String] {
        let session = session
        return try await eventLoop.submit { session.value.log.lines }.get()
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

extension MarketFeedConfiguration {
    func validate() throws(FeedConfigurationError) {
        guard !endpoints.isEmpty else { throw FeedConfigurationError(description: "no endpoints") }
        if let bookDepth, ![10, 25, 100, 500, 1000].contains(bookDepth) {
            throw FeedConfigurationError(description: "book depth \(bookDepth) is not one of 10, 25, 100, 500, 1000")
        }
        for interval in ohlcIntervals where ![1, 5, 15, 30, 60, 240, 1440, 10080, 21600].contains(interval) {
            throw FeedConfigurationError(description: "OHLC interval \(interval) is not one Kraken offers")
        }
        guard maxFrameSize >= 4_096 else { throw FeedConfigurationError(description: "max frame size below 4096 bytes") }
        guard symbolsPerRequest >= 1 else { throw FeedConfigurationError(description: "symbols per request must be ≥ 1") }
        guard requestBurst >= 1 else { throw FeedConfigurationError(description: "request burst must be ≥ 1") }
        for (name, value) in [("stale-after", staleAfter), ("ack deadline", ackDeadline), ("book quiet period", bookQuietAfter),
                              ("handshake timeout", handshakeTimeout), ("connect timeout", connectTimeout)] where value <= .zero {
            throw FeedConfigurationError(description: "\(name) must be positive")
        }
    }
}
