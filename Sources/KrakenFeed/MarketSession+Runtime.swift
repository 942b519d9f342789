import FeedOutput
import KrakenWire
import MarketFlow
import SessionLifecycle
import WireFormat

/// Pairs and channels added and removed while the feed runs (the control socket's subscribe,
/// unsubscribe, add_pair and remove_pair), and the book states a late joiner's snapshot needs.
/// Protocol-neutral: requests go out through `send(_:_:unsubscribe:)` in the feed's version.
extension MarketSession {
    /// Adds pairs with the configured channels while running: subscribed at once when
    /// connected (after the instrument snapshot), otherwise on the next connect. Pairs Kraken
    /// does not list are refused.
    func add(symbols added: [String]) -> PairChange {
        var change = PairChange()
        for symbol in added where channels[symbol] == nil {
            if let refusal = include(symbol, with: configuration.defaultChannels) {
                change.refused[symbol] = refusal
            } else {
                change.changed.append(symbol)
            }
        }
        return change
    }

    /// Removes pairs while running: unsubscribed, and each live book ends with a reset (reason
    /// operator) so consumers drop it.
    func remove(symbols removed: [String]) -> PairChange {
        var change = PairChange()
        for symbol in removed {
            guard let current = channels[symbol] else {
                change.refused[symbol] = "not subscribed"
                continue
            }
            drop(current, of: symbol, detail: "pair removed")
            change.changed.append(symbol)
        }
        return change
    }

    /// Subscribes channels of pairs while running. A pair not yet kept is added with just these
    /// channels; a book at another depth is replaced (its old topic ends with a reset).
    func subscribe(_ selection: ChannelChange) -> PairChange {
        var change = PairChange()
        for symbol in selection.symbols {
            var wanted = channels[symbol] ?? SymbolChannels()
            for channel in selection.channels {
                switch channel {
                case .book: wanted.bookDepth = selection.depth ?? configuration.bookDepth ?? 10
                case .trade: wanted.trades = true
                case .ticker: wanted.ticker = true
                case .ohlc:
                    if let interval = selection.intervalMinutes, !wanted.ohlcIntervals.contains(interval) {
                        wanted.ohlcIntervals = (wanted.ohlcIntervals + [interval]).sorted()
                    }
                }
            }
            guard let current = channels[symbol] else {
                if let refusal = include(symbol, with: wanted) { change.refused[symbol] = refusal } else { change.changed.append(symbol) }
                continue
            }
            guard wanted != current else { continue }
            if let depth = current.bookDepth, wanted.bookDepth != depth {
                drop(SymbolChannels(bookDepth: depth), of: symbol, detail: "book depth changed", keepingPair: true)
            }
            let before = channels[symbol] ?? SymbolChannels()
            channels[symbol] = wanted
            guard prepareIfKnown(symbol) else {
                // Not yet connected: the channels apply on the next connect. Connected: the
                // pair cannot take them, so nothing changes.
                if subscribedOnce {
                    channels[symbol] = before
                    _ = prepareIfKnown(symbol)
                    change.refused[symbol] = "not usable: \(instruments[symbol] == nil ? "not in Kraken's instrument list" : "invalid topic")"
                } else {
                    change.changed.append(symbol)
                }
                continue
            }
            let added = wanted.requests.filter { !before.requests.contains($0) }
            if link.isOpen, subscribedOnce { requestAll([(symbol, added)]) }
            change.changed.append(symbol)
        }
        return change
    }

    /// Unsubscribes channels of pairs while running; a pair left with no channel is removed.
    func unsubscribe(_ selection: ChannelChange) -> PairChange {
        var change = PairChange()
        for symbol in selection.symbols {
            guard let current = channels[symbol] else {
                change.refused[symbol] = "not subscribed"
                continue
            }
            var dropped = SymbolChannels()
            for channel in selection.channels {
                switch channel {
                case .book:
                    // A depth names the book to drop: another depth's book stays.
                    if selection.depth == nil || selection.depth == current.bookDepth { dropped.bookDepth = current.bookDepth }
                case .trade: dropped.trades = current.trades
                case .ticker: dropped.ticker = current.ticker
                case .ohlc:
                    dropped.ohlcIntervals = selection.intervalMinutes.map { interval in current.ohlcIntervals.filter { $0 == interval } }
                        ?? current.ohlcIntervals
                }
            }
            guard !dropped.isEmpty else {
                change.refused[symbol] = "none of these channels is subscribed"
                continue
            }
            drop(dropped, of: symbol, detail: "unsubscribed")
            change.changed.append(symbol)
        }
        return change
    }

    /// Every pair's channels, in configuration order.
    var subscriptions: [(symbol: String, channels: SymbolChannels)] { symbols.map { ($0, channels[$0]!) } }

    var subscribedSymbols: [String] { symbols }

    /// Every pair with its channels and where each stands with Kraken on this connection.
    func pairSubscriptions() -> [PairSubscription] {
        subscriptions.map { symbol, channels in
            var states: [String: SubscriptionState] = [:]
            for request in channels.requests {
                states[request.channel.name] = link.subscriptionState(SubscriptionKey(channel: request.channel.name, symbol: symbol))
            }
            return PairSubscription(symbol: symbol, channels: channels, states: states)
        }
    }

    /// The lines the feed logged (bounded), most recent last.
    func recentLog() -> [String] { link.log.lines }

    /// Every book topic starting with `prefix` with a copy of its keeper and the topic's
    /// sequence, read together between two messages; the caller encodes them off the loop.
    func bookStateSources(prefix: [UInt8]) -> [BookStateSource] {
        symbols.compactMap { symbol in
            guard let keeper = books[symbol], let topic = topics[symbol]?.book, topic.matches(prefix: prefix) else { return nil }
            return BookStateSource(topic: topic, keeper: keeper, sequence: publisher.currentSequence(of: topic))
        }
    }

    /// Starts keeping `symbol` with `wanted` channels; the refusal reason, or nil when added.
    private func include(_ symbol: String, with wanted: SymbolChannels) -> String? {
        if subscribedOnce {
            guard instruments[symbol] != nil else { return "not in Kraken's instrument list" }
        }
        channels[symbol] = wanted
        if subscribedOnce {
            guard prepareIfKnown(symbol) else {
                channels[symbol] = nil
                return "not usable as a topic"
            }
        }
        symbols.append(symbol)
        if link.isOpen, subscribedOnce { requestAll([(symbol, wanted.requests)]) }
        return nil
    }

    /// Stops `dropped` channels of `symbol`: unsubscribed at Kraken, no longer watched, a live
    /// book ends with a reset (reason operator) and an empty top view, and the topics are
    /// retired. A symbol left with no channel is forgotten, unless `keepingPair` (a book
    /// changing depth: the caller puts the new one in place).
    private func drop(_ dropped: SymbolChannels, of symbol: String, detail: String, keepingPair: Bool = false) {
        guard var remaining = channels[symbol] else { return }
        if link.isOpen, subscribedOnce {
            for request in dropped.requests { send(request, [symbol], unsubscribe: true) }
        }
        var retired: [Topic] = []
        if dropped.bookDepth != nil {
            link.forget(SubscriptionKey(channel: V2Channel.book.name, symbol: symbol))
            if let reset = books[symbol]?.invalidate(reason: .operator, detail: detail) { publishReset(reset, symbol: symbol) }
            if let keeper = books[symbol], let topic = topics[symbol]?.book { retiredGenerations[topic] = keeper.generation + 1 }
            books[symbol] = nil
            topSentNs[symbol] = nil
            retired += [topics[symbol]?.book, topics[symbol]?.top].compactMap { $0 }
            remaining.bookDepth = nil
        }
        if dropped.trades {
            link.forget(SubscriptionKey(channel: V2Channel.trade.name, symbol: symbol))
            retired += [topics[symbol]?.trade].compactMap { $0 }
            remaining.trades = false
        }
        if dropped.ticker {
            link.forget(SubscriptionKey(channel: V2Channel.ticker.name, symbol: symbol))
            retired += [topics[symbol]?.ticker].compactMap { $0 }
            remaining.ticker = false
        }
        for interval in dropped.ohlcIntervals {
            retired += [topics[symbol]?.ohlc[interval]].compactMap { $0 }
            remaining.ohlcIntervals.removeAll { $0 == interval }
        }
        if remaining.ohlcIntervals.isEmpty { link.forget(SubscriptionKey(channel: V2Channel.ohlc.name, symbol: symbol)) }
        if remaining.isEmpty && !keepingPair {
            retired += [try? Topic.instrument(symbol)].compactMap { $0 }
            publisher.retire(retired)
            channels[symbol] = nil
            topics[symbol] = nil
            unavailable[symbol] = nil
            symbols.removeAll { $0 == symbol }
        } else {
            publisher.retire(retired)
            channels[symbol] = remaining
            _ = prepareIfKnown(symbol)
        }
    }
}

/// What a runtime pair change did: the pairs changed, and the ones refused with the reason.
public struct PairChange: Sendable, Equatable {
    public var changed: [String] = []
    public var refused: [String: String] = [:]
}

/// One book topic's state for a snapshot: the keeper (a copy-on-write value, cheap to take on
/// the event loop) and the topic sequence it stood at.
struct BookStateSource: Sendable {
    var topic: Topic
    var keeper: BookKeeper
    var sequence: UInt64

    /// The whole book when live, its reset while it is being rebuilt; nil before its first book.
    func frame(using publisher: any BusSink) -> BusFrame? {
        if let snapshot = keeper.currentSnapshot() { return publisher.state(snapshot, of: topic, at: sequence, exchangeTimestampNs: 0) }
        guard keeper.generation > 0 || keeper.phase == .resynchronising else { return nil }
        var reset = KBBookReset()
        reset.symbol = keeper.symbol
        reset.depth = UInt32(keeper.depth)
        reset.previousGeneration = keeper.generation
        reset.generation = keeper.generation + 1
        reset.reason = .resubscribe
        reset.detail = "book is being rebuilt"
        return publisher.state(reset, of: topic, at: sequence, exchangeTimestampNs: 0)
    }
}
