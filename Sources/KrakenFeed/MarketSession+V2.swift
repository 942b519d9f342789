import KrakenWire
import MarketFlow
import SessionLifecycle
import WireFormat

/// Kraken's public WebSocket v2 on a market session: the `instrument` snapshot gives the
/// precisions, then every frame is parsed in place (one reusable `V2FrameParser`) and handed to
/// the shared publishing pieces.
extension MarketSession {
    func openV2() {
        parser = V2FrameParser()
        link.send(V2Subscription(channel: .instrument, snapshot: true))
    }

    func receiveV2(_ bytes: UnsafeRawBufferPointer, nowNs now: Int64) {
        guard let message = link.parse(bytes, nowNs: now, { frame throws(WireError) in try parser.parse(frame) }) else { return }
        switch message {
        case .book(let book):
            guard let topic = bookTopic(of: book.symbol), let outcome = books.mutateValue(forKey: book.symbol, { $0.apply(book) }) else {
                link.counters.unexpectedMessages += 1
                return
            }
            publishBook(outcome, symbol: book.symbol, topic: topic, exchangeNs: book.timestampNs ?? 0, receivedNs: now)
        case .trade(let message):
            for trade in message.trades {
                let trade = instruments[trade.symbol].map { V2Digits.trade(trade, $0) } ?? trade
                publishTrade(MarketEvents.trade(trade, fromSnapshot: message.kind == .snapshot), exchangeNs: trade.timestampNs,
                             receivedNs: now)
            }
        case .heartbeat:
            link.counters.heartbeats += 1
        case .ticker(let message):
            let ticker = instruments[message.ticker.symbol].map { V2Digits.ticker(message.ticker, $0) } ?? message.ticker
            publishTicker(MarketEvents.ticker(ticker, receivedNs: now), exchangeNs: ticker.timestampNs ?? 0, receivedNs: now)
        case .ohlc(let message):
            for candle in message.candles {
                let candle = instruments[candle.symbol].map { V2Digits.candle(candle, $0) } ?? candle
                publishCandle(MarketEvents.candle(candle, receivedNs: now), exchangeNs: candle.timestampNs ?? 0, receivedNs: now)
            }
        case .status(let status):
            publishStatus(MarketEvents.exchangeStatus(status, feed: configuration.name), receivedNs: now)
        case .instrument(let instrument):
            handle(instrument, receivedNs: now)
        case .response(let response):
            handle(response)
        case .level3, .executions, .balances:
            link.counters.unexpectedMessages += 1
        }
    }

    private func handle(_ message: V2InstrumentMessage, receivedNs: Int64) {
        for symbol in instruments.record(message) {
            link.log.write(kind: "instrument_rejected", "\(symbol): precision outside 0…18")
        }
        for pair in message.pairs where channels[pair.symbol] != nil {
            publishInstrument(MarketEvents.instrument(pair), snapshot: message.kind == .snapshot, receivedNs: receivedNs)
        }
        if message.kind == .snapshot { instrumentsKnown() }
    }

    private func handle(_ response: V2Response) {
        switch response.method {
        case .pong:
            link.pongReceived()
        case .subscribe, .unsubscribe:
            var channel = ""
            var symbol = response.symbol ?? ""
            if case .subscription(let result) = response.result {
                channel = result.channel
                symbol = result.symbol ?? symbol
            }
            subscriptionAnswered(subscribe: response.method == .subscribe, channel: channel, symbol: symbol,
                                 error: response.success == true ? nil : response.error ?? "unknown error")
        default:
            link.counters.unexpectedMessages += 1
        }
    }
}
