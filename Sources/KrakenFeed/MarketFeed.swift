import FeedOutput
import KrakenWire
import SessionLifecycle
import NIOCore
import WireFormat

/// The handle of one public market-data feed: starts its `MarketSession` actor on an event
/// loop and asks it for diagnostics and runtime changes (each an `await` that runs on that loop
/// between two frames).
public final class MarketFeed: Sendable {
    private let session: MarketSession
    private let publisher: any BusSink

    public var eventLoop: any EventLoop { session.eventLoop }

    private init(session: MarketSession, publisher: any BusSink) {
        self.session = session
        self.publisher = publisher
    }

    /// Validates the configuration, then connects (and keeps reconnecting) on `eventLoop`.
    public static func start(
        _ configuration: MarketFeedConfiguration, publisher: any BusSink, on eventLoop: any EventLoop, seed: UInt64 = 0x5EED
    ) async throws -> MarketFeed {
        try configuration.validate()
        let session = try MarketSession(configuration: configuration, publisher: publisher, eventLoop: eventLoop, seed: seed)
        await session.start()
        return MarketFeed(session: session, publisher: publisher)
    }

    public func diagnostics() async throws -> FeedDiagnostics { await session.diagnostics() }

    /// Adds pairs while running (subscribed at once when connected); unknown pairs are refused.
    public func add(symbols: [String]) async throws -> PairChange { await session.add(symbols: symbols) }

    /// Removes pairs while running; their books end with a reset (reason operator).
    public func remove(symbols: [String]) async throws -> PairChange { await session.remove(symbols: symbols) }

    /// Subscribes channels of pairs while running (pairs not yet kept are added with just these).
    public func subscribe(_ selection: ChannelChange) async throws -> PairChange { await session.subscribe(selection) }

    /// Unsubscribes channels of pairs; a pair left with none is removed.
    public func unsubscribe(_ selection: ChannelChange) async throws -> PairChange { await session.unsubscribe(selection) }

    /// Every pair with its channels and where each stands with Kraken on this connection.
    public func subscriptions() async throws -> [PairSubscription] { await session.pairSubscriptions() }

    /// The state of every book topic starting with `prefix`, each at the sequence it reflects,
    /// taken inside the session between two messages (Clone pattern snapshots), encoded here.
    public func bookStates(prefix: [UInt8]) async throws -> [BusFrame] {
        let sources = await session.bookStateSources(prefix: prefix)
        return sources.compactMap { $0.frame(using: publisher) }
    }

    /// The pairs the feed keeps (configured plus added, minus removed).
    public func symbols() async throws -> [String] { await session.subscribedSymbols }

    /// The lines the feed logged (bounded), most recent last.
    public func recentLog() async throws -> [String] { await session.recentLog() }

    /// Closes the connection and stops reconnecting.
    public func stop() async throws { await session.stop() }
}

/// One pair's channels as a running feed keeps them.
public struct PairSubscription: Sendable, Equatable {
    public var symbol: String
    public var channels: SymbolChannels
    /// Per channel name (`book`, `trade`, ...), where it stands on the current connection; a
    /// channel not listed was not requested on it (the feed is not connected, or the pair is
    /// unknown to Kraken).
    public var states: [String: SubscriptionState]
}

/// Where one subscription stands with Kraken on the current connection.
public enum SubscriptionState: String, Sendable, Equatable {
    /// Requested, not acknowledged yet.
    case pending
    /// Acknowledged.
    case active
    /// Kraken refused it.
    case refused
}

/// Why a feed configuration cannot run.
public struct FeedConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}
