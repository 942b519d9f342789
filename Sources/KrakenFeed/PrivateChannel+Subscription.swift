import KrakenWire
import PrivateFlow

extension PrivateChannel {
    /// The channels the account feed subscribes to over `version`, in order (`record --private`
    /// subscribes the same).
    package static func subscribed(by version: ProtocolVersion) -> [PrivateChannel] {
        version == .v2 ? [.v2Executions, .v2Balances] : [.v1OwnTrades, .v1OpenOrders]
    }

    /// Whether the channel's snapshot carries orders or fills (what reconciliation waits for).
    package var carriesOrders: Bool { self != .v2Balances }

    /// The v2 subscribe request for this channel (nil for a v1 channel): executions with open
    /// orders, recent trades and every status transition; balances with a snapshot.
    package func v2Subscription(token: String) -> V2Subscription? {
        switch self {
        case .v2Executions: V2Subscription(channel: .executions, snapshot: true, token: token, snapOrders: true, snapTrades: true, orderStatus: true)
        case .v2Balances: V2Subscription(channel: .balances, snapshot: true, token: token)
        case .v1OwnTrades, .v1OpenOrders: nil
        }
    }

    /// The v1 subscribe request for this channel (nil for a v2 channel).
    package func v1Subscription(token: String) -> V1Subscription? {
        switch self {
        case .v1OwnTrades: V1Subscription(name: .ownTrades, token: token, snapshot: true)
        case .v1OpenOrders: V1Subscription(name: .openOrders, token: token)
        case .v2Executions, .v2Balances: nil
        }
    }
}
