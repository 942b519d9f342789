import KrakenWire
import MarketFlow
import PrivateFlow
import SessionLifecycle

/// Each version's private frames, read and handed to the shared pieces of `AccountSession`.
/// v2 marks its snapshots; a v1 channel's snapshot is simply the first message after its
/// subscription was acknowledged (the flow's sequence tracker has no baseline for it yet).
extension AccountSession {
    func feedConnection(received bytes: UnsafeRawBufferPointer, nowNs now: Int64) {
        switch configuration.protocolVersion {
        case .v2: receiveV2(bytes, nowNs: now)
        case .v1: receiveV1(bytes, nowNs: now)
        }
    }

    private func receiveV2(_ bytes: UnsafeRawBufferPointer, nowNs now: Int64) {
        guard let message = link.parse(bytes, nowNs: now, { frame throws(WireError) in try parser.parse(frame) }) else { return }
        switch message {
        case .executions(let executions):
            deliver(flow.ingest(executions, receivedAtNs: now), from: .v2Executions, isSnapshot: executions.kind == .snapshot,
                    receivedNs: now)
        case .balances(let balances):
            deliver(flow.ingest(balances, receivedAtNs: now), from: .v2Balances, isSnapshot: balances.kind == .snapshot, receivedNs: now)
        case .heartbeat:
            link.counters.heartbeats += 1
        case .status(let status):
            publishStatus(MarketEvents.exchangeStatus(status, feed: configuration.name), receivedNs: now)
        case .response(let response):
            guard response.method == .subscribe || response.method == .unsubscribe else {
                if response.method == .pong { link.pongReceived() } else { link.counters.unexpectedMessages += 1 }
                return
            }
            var channel = ""
            if case .subscription(let result) = response.result { channel = result.channel }
            subscriptionAnswered(subscribe: response.method == .subscribe, channel: channel,
                                 error: response.success == true ? nil : response.error ?? "unknown error")
        default:
            link.counters.unexpectedMessages += 1
        }
    }

    private func receiveV1(_ bytes: UnsafeRawBufferPointer, nowNs now: Int64) {
        guard let message = link.parse(bytes, nowNs: now, { frame throws(WireError) in try V1Message(frame: frame) }) else { return }
        switch message {
        case .ownTrades(let trades):
            let isSnapshot = flow.sequences.expected(.v1OwnTrades) == nil
            deliver(flow.ingest(trades, receivedAtNs: now), from: .v1OwnTrades, isSnapshot: isSnapshot, receivedNs: now)
        case .openOrders(let orders):
            let isSnapshot = flow.sequences.expected(.v1OpenOrders) == nil
            deliver(flow.ingest(orders, receivedAtNs: now), from: .v1OpenOrders, isSnapshot: isSnapshot, receivedNs: now)
        case .heartbeat:
            link.counters.heartbeats += 1
        case .systemStatus(let status):
            publishStatus(MarketEvents.exchangeStatus(status, feed: configuration.name), receivedNs: now)
        case .subscriptionStatus(let status):
            let channel = status.channelName ?? status.subscription?.name ?? ""
            switch status.status {
            case .subscribed, .unsubscribed:
                subscriptionAnswered(subscribe: status.status == .subscribed, channel: channel, error: nil)
            case .error:
                subscriptionAnswered(subscribe: true, channel: channel, error: status.errorMessage ?? "unknown error")
            case .ok:
                link.counters.unexpectedMessages += 1
            }
        case .pong:
            link.pongReceived()
        case .error(let text, _):
            subscriptionAnswered(subscribe: false, channel: "", error: text)
        case .ticker, .book, .trade, .ohlc, .spread:
            link.counters.unexpectedMessages += 1
        }
    }
}
