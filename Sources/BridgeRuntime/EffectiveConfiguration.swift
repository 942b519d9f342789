import Foundation
import KrakenFeed
import NIOCore
import ZeroMQ

/// The configuration a bridge runs with, as JSON for the control socket's `config` command:
/// every setting, the API key and secret and the CURVE secret key replaced by `<redacted>`.
enum EffectiveConfiguration {
    static let redacted = "<redacted>"

    static func json(of configuration: BridgeConfiguration) -> String {
        var root: [String: Any] = [
            "market": market(configuration.market),
            "bus": ["market_bind": configuration.marketBind, "account_bind": configuration.accountBind,
                    "control_bind": configuration.controlBind],
            "simulated": configuration.simulated,
            "heartbeat_interval_ms": milliseconds(configuration.heartbeatInterval),
            "topic_heartbeat_after_ms": milliseconds(configuration.topicHeartbeatAfter),
        ]
        root["account"] = configuration.account.map(account) ?? NSNull()
        root["security"] = configuration.security.map(security) ?? NSNull()
        root["journal"] = configuration.journal.map(journal) ?? NSNull()
        // What `run` was given, key by key, and where each value came from.
        root["settings"] = configuration.settingsReport.map { ["key": $0.key, "value": $0.value, "source": $0.source] }
        guard let data = try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    private static func market(_ market: MarketFeedConfiguration) -> [String: Any] {
        var json: [String: Any] = [
            "name": market.name, "protocol": market.protocolVersion.rawValue, "connection": connection(market.connection),
            "rest": market.rest.description, "symbols": market.symbols,
            "trades": market.trades, "tickers": market.tickers, "ohlc_intervals": market.ohlcIntervals,
            "symbols_per_request": market.symbolsPerRequest,
        ]
        json["book_depth"] = market.bookDepth ?? NSNull()
        json["book_top"] = market.bookTop.map { ["levels": $0.levels, "min_interval_ms": $0.minimumIntervalNs / 1_000_000] } ?? NSNull()
        return json
    }

    private static func account(_ account: AccountFeedConfiguration) -> [String: Any] {
        [
            "name": account.name, "protocol": account.protocolVersion.rawValue, "connection": connection(account.connection),
            "rest": account.rest.description,
            "api_key": redacted, "api_secret": redacted,
            "silent_order_after_ms": account.silentOrderAfter.nanoseconds / 1_000_000,
            "rest_timeout_ms": account.restTimeout.nanoseconds / 1_000_000,
            "token_timeout_ms": account.tokenTimeout.nanoseconds / 1_000_000,
            "forget_finished_orders_after_ms": account.forgetFinishedOrdersAfter.nanoseconds / 1_000_000,
        ]
    }

    private static func connection(_ settings: ConnectionSettings) -> [String: Any] {
        var json: [String: Any] = [
            "endpoints": settings.endpoints.map(\.description), "max_frame_size": settings.maxFrameSize,
            "connect_timeout_ms": settings.connectTimeout.nanoseconds / 1_000_000,
            "handshake_timeout_ms": settings.handshakeTimeout.nanoseconds / 1_000_000,
            "stale_after_ms": settings.staleAfter.nanoseconds / 1_000_000,
            "ack_deadline_ms": settings.ackDeadline.nanoseconds / 1_000_000,
            "quiet_after_ms": settings.quietAfter.nanoseconds / 1_000_000,
            "request_burst": settings.requestBurst,
            "request_interval_ms": settings.requestInterval.nanoseconds / 1_000_000,
            "ping_interval_ms": settings.pingInterval.nanoseconds / 1_000_000,
            "backoff_base_ms": settings.backoffBase.nanoseconds / 1_000_000,
            "backoff_cap_ms": settings.backoffCap.nanoseconds / 1_000_000,
        ]
        json["trusted_ca_file"] = settings.trustedCAFile ?? NSNull()
        return json
    }

    private static func security(_ security: BusSecurity) -> [String: Any] {
        [
            "server_public_key": security.serverKeys.publicKey.z85, "server_secret_key": redacted,
            "clients": security.clients.map { client in
                ["endpoint": client.endpoint.rawValue, "public_key": client.key.z85, "name": client.name, "operator": client.isOperator]
            },
        ]
    }

    private static func journal(_ journal: JournalSettings) -> [String: Any] {
        var json: [String: Any] = ["path": journal.path, "sync_every_commit": journal.syncEveryCommit]
        json["max_age_seconds"] = journal.maxAge.map { $0.components.seconds } ?? NSNull()
        json["max_events_per_topic"] = journal.maxEventsPerTopic ?? NSNull()
        return json
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
