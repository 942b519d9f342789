import KrakenSimulator
import KrakenWire
import NIOCore
import NIOWebSocket
import OrderBook

/// One client connection on the v2 WebSocket endpoint: answers requests, keeps the client's
/// subscriptions (a `BookView` per subscribed book) and writes what changed after each market
/// tick. Lives on the exchange's event loop.
final class WebSocketSession: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let exchange: Exchange
    private var context: ChannelHandlerContext?
    private var books: [String: BookView] = [:]
    private var tradeSymbols: Set<String> = []
    private var sentSinceHeartbeat = false
    private var pendingFlush = false

    init(exchange: Exchange) {
        self.exchange = exchange
    }

    var hasSubscriptions: Bool { !books.isEmpty || !tradeSymbols.isEmpty }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let connectionID = exchange.register(self)
        send(V2Frames.status(system: "online", connectionID: connectionID))
        context.flush()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        exchange.unregister(self)
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        exchange.unregister(self)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            var payload = frame.unmaskedData
            let bytes = payload.readBytes(length: payload.readableBytes) ?? []
            handle(text: bytes)
            context.flush()
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .connectionClose:
            var data = context.channel.allocator.buffer(capacity: 2)
            data.write(webSocketErrorCode: .normalClosure)
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)))
                .whenComplete { [context = NIOLoopBound(context, eventLoop: context.eventLoop)] _ in
                context.value.close(promise: nil)
            }
        default:
            break
        }
    }

    private func handle(text: [UInt8]) {
        let received = UnixClock.nanoseconds()
        let request: ClientRequest
        do {
            request = try text.withUnsafeBytes { bytes throws(WireError) in try ClientRequest(frame: bytes) }
        } catch {
            send(V2Responses.error(method: "", message: "EGeneral:Invalid arguments", symbol: nil, requestID: nil,
                                   timeInNs: received, timeOutNs: UnixClock.nanoseconds()))
            return
        }
        switch request {
        case .v2Ping(let requestID):
            send(V2Responses.pong(requestID: requestID, timeInNs: received, timeOutNs: UnixClock.nanoseconds()))
        case .v2Other(let method, let requestID):
            send(V2Responses.error(method: method, message: "Method not found", symbol: nil, requestID: requestID,
                                   timeInNs: received, timeOutNs: UnixClock.nanoseconds()))
        case .v2Subscription(let isSubscribe, let params, let requestID):
            subscription(isSubscribe: isSubscribe, params, requestID: requestID, received: received)
        }
    }

    private func subscription(isSubscribe: Bool, _ params: ClientRequest.V2Params, requestID: UInt64?, received: Int64) {
        let method = isSubscribe ? "subscribe" : "unsubscribe"
        func fail(_ message: String, symbol: String?) {
            send(V2Responses.error(method: method, message: message, symbol: symbol, requestID: requestID,
                                   timeInNs: received, timeOutNs: UnixClock.nanoseconds()))
        }
        guard params.channel == "book" || params.channel == "trade" else {
            fail("Channel not supported \(params.channel)", symbol: nil)
            return
        }
        let depth = params.depth ?? 10
        if params.channel == "book", !KrakenLimits.bookDepths.contains(depth) {
            fail("Subscription depth not supported", symbol: nil)
            return
        }
        for symbol in params.symbols {
            guard let market = exchange.market(symbol) else {
                fail("Currency pair not supported \(symbol)", symbol: symbol)
                continue
            }
            let pair = market.pair
            if params.channel == "book" {
                if isSubscribe {
                    guard books[symbol] == nil else { fail("Already subscribed", symbol: symbol); continue }
                    send(V2Responses.subscribed(method: method, channel: "book", symbol: symbol, depth: depth,
                                                snapshot: params.snapshot ?? true, requestID: requestID,
                                                timeInNs: received, timeOutNs: UnixClock.nanoseconds()))
                    var view = BookView(depth: depth, priceScale: pair.priceScale, quantityScale: pair.quantityScale)
                    let snapshot = view.snapshot(of: market)
                    if params.snapshot ?? true {
                        send(V2Frames.book(snapshot: true, pair: pair, bids: snapshot.bids.map { ($0.price, $0.quantity) },
                                           asks: snapshot.asks.map { ($0.price, $0.quantity) }, checksum: view.book.checksum,
                                           timestampNs: UnixClock.nanoseconds()))
                    }
                    books[symbol] = view
                } else {
                    guard books.removeValue(forKey: symbol) != nil else { fail("Subscription Not Found", symbol: symbol); continue }
                    send(V2Responses.subscribed(method: method, channel: "book", symbol: symbol, depth: depth, snapshot: nil,
                                                requestID: requestID, timeInNs: received, timeOutNs: UnixClock.nanoseconds()))
                }
            } else {
                let inserted = isSubscribe ? tradeSymbols.insert(symbol).inserted : tradeSymbols.remove(symbol) != nil
                guard inserted else { fail(isSubscribe ? "Already subscribed" : "Subscription Not Found", symbol: symbol); continue }
                send(V2Responses.subscribed(method: method, channel: "trade", symbol: symbol, depth: nil,
                                            snapshot: isSubscribe ? (params.snapshot ?? false) : nil, requestID: requestID,
                                            timeInNs: received, timeOutNs: UnixClock.nanoseconds()))
            }
        }
    }

    /// Sends this client's book changes and trades for one market after a tick.
    func marketDidChange(_ market: PairMarket, trades: [PairMarket.Trade], nowNs: Int64) {
        let symbol = market.pair.symbol
        if var view = books[symbol] {
            let changes = view.update(to: market)
            books[symbol] = view
            if !changes.bids.isEmpty || !changes.asks.isEmpty {
                send(V2Frames.book(snapshot: false, pair: market.pair, bids: changes.bids.map { ($0.price, $0.quantity) },
                                   asks: changes.asks.map { ($0.price, $0.quantity) }, checksum: view.book.checksum,
                                   timestampNs: nowNs))
            }
        }
        if !trades.isEmpty, tradeSymbols.contains(symbol) {
            send(V2Frames.trades(snapshot: false, pair: market.pair, trades, timestampNs: nowNs))
        }
    }

    /// Kraken sends a heartbeat about once a second when nothing else went out, and only once
    /// something is subscribed.
    func heartbeatIfQuiet() {
        defer { sentSinceHeartbeat = false }
        guard hasSubscriptions, !sentSinceHeartbeat else { return }
        send(V2Frames.heartbeat)
        flushIfNeeded()
    }

    func flushIfNeeded() {
        guard pendingFlush, let context else { return }
        pendingFlush = false
        context.flush()
    }

    private func send(_ bytes: [UInt8]) {
        guard let context else { return }
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: buffer)), promise: nil)
        sentSinceHeartbeat = true
        pendingFlush = true
    }
}
