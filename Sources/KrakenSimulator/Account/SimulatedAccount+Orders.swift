extension SimulatedAccount {
    /// A buy holds its cost and taker fee at the limit (or market) price rounded up, plus a few
    /// units of the quote's last digit: each fill rounds its cost half up and its fee up, so
    /// fills can together charge a little more than one rounding of the whole.
    static let holdSlack: Int64 = 8
    /// The generator fills an order in at most this many pieces, so the slack always covers it.
    static let maximumFills = 4

    /// Places an order: events `pending_new` then `new`. A market order, and a limit order that
    /// already crosses `top`, then fills at once and in full as taker at `top`'s price (`trade`
    /// then `filled`); other limit orders rest until `step` finds the market crossing them.
    ///
    /// Funds are checked against the available balance (total less open orders' holds).
    /// Returns the order as it stands after these events.
    @discardableResult
    public mutating func place(_ request: OrderRequest, top: TopOfBook, nowNs: Int64) throws(AccountError) -> SimulatedOrder {
        guard let pair = pair(symbol: request.symbol) else { throw .unknownPair(request.symbol) }
        guard request.quantity > 0 else { throw .invalidQuantity }
        let referencePrice: Int64
        switch request.type {
        case .limit:
            guard let price = request.limitPrice, price > 0 else { throw .invalidPrice }
            referencePrice = price
        case .market:
            referencePrice = request.side == .buy ? top.ask : top.bid
            guard referencePrice > 0 else { throw .invalidPrice }
        }
        let hold = hold(side: request.side, quantity: request.quantity, price: referencePrice, pair: pair)
        guard available(of: request.side == .buy ? pair.quote : pair.base) >= hold else { throw .insufficientFunds }

        var order = SimulatedOrder(
            id: newID(prefix: "O"), pair: pair, request: request, quoteScale: scale(of: pair.quote), nowNs: nowNs)
        order.hold = hold
        let index = add(order)
        record(.pendingNew, orderAt: index, nowNs: nowNs)
        update(orderAt: index) { $0.status = .new }
        record(.new, orderAt: index, nowNs: nowNs)

        switch (request.type, request.side) {
        case (.market, _):
            execute(orderAt: index, quantity: request.quantity, price: referencePrice, isMaker: false, nowNs: nowNs)
        case (.limit, .buy) where referencePrice >= top.ask && top.ask > 0:
            execute(orderAt: index, quantity: request.quantity, price: top.ask, isMaker: false, nowNs: nowNs)
        case (.limit, .sell) where referencePrice <= top.bid && top.bid > 0:
            execute(orderAt: index, quantity: request.quantity, price: top.bid, isMaker: false, nowNs: nowNs)
        default:
            break
        }
        return orders[index]
    }

    /// Cancels an open order: event `canceled` (reason `User requested`), its hold released.
    @discardableResult
    public mutating func cancel(orderID: String, nowNs: Int64) throws(AccountError) -> SimulatedOrder {
        guard let index = openIndexes.first(where: { orders[$0].id == orderID }) else { throw .unknownOrder(orderID) }
        close(orderAt: index, as: .canceled, reason: "User requested", nowNs: nowNs)
        return orders[index]
    }

    /// Cancels every open order; returns how many.
    @discardableResult
    public mutating func cancelAll(nowNs: Int64) -> Int {
        let indexes = openIndexes
        for index in indexes { close(orderAt: index, as: .canceled, reason: "User requested", nowNs: nowNs) }
        return indexes.count
    }

    /// The market takes `quantity` of a resting limit order, as maker at its limit price (what
    /// `step` does when the market crosses it): event `trade`, and `filled` when nothing remains.
    /// (A buy's hold covers `maximumFills` pieces exactly; beyond that, each piece may charge one
    /// or two units of the quote's last digit more than was held.)
    @discardableResult
    public mutating func fillResting(orderID: String, quantity: Int64, nowNs: Int64) throws(AccountError) -> SimulatedOrder {
        guard let index = openIndexes.first(where: { orders[$0].id == orderID }), let limit = orders[index].limitPrice else {
            throw .unknownOrder(orderID)
        }
        guard quantity > 0, quantity <= orders[index].remainingQuantity else { throw .invalidQuantity }
        execute(orderAt: index, quantity: quantity, price: limit, isMaker: true, nowNs: nowNs)
        return orders[index]
    }

    /// Expires every open order whose expiry time has come (event `expired`, reason
    /// `Order expired`); `step` does this first.
    public mutating func expireOrders(nowNs: Int64) {
        for index in openIndexes {
            if let expiry = orders[index].expireTimeNs, expiry <= nowNs {
                close(orderAt: index, as: .expired, reason: "Order expired", nowNs: nowNs)
            }
        }
    }

    func hold(side: SimulatedOrder.Side, quantity: Int64, price: Int64, pair: SimulatedPair) -> Int64 {
        switch side {
        case .sell:
            return AccountArithmetic.widen(quantity, from: pair.quantityScale, to: scale(of: pair.base))
        case .buy:
            let quoteScale = Int(scale(of: pair.quote))
            let cost = AccountArithmetic.roundUp(
                Int128(quantity) * Int128(price), from: Int(pair.quantityScale + pair.priceScale), to: quoteScale)
            return cost + AccountArithmetic.fee(cost: cost, basisPoints: takerFeeBasisPoints) + Self.holdSlack
        }
    }

    /// One fill: event `trade` (and `filled` when nothing remains), with the base and quote
    /// ledger entries in between.
    mutating func execute(orderAt index: Int, quantity: Int64, price: Int64, isMaker: Bool, nowNs: Int64) {
        let pair = orders[index].pair
        let side = orders[index].side
        let cost = AccountArithmetic.cost(quantity: quantity, price: price, pair: pair, scale: orders[index].quoteScale)
        let fee = AccountArithmetic.fee(cost: cost, basisPoints: isMaker ? makerFeeBasisPoints : takerFeeBasisPoints)
        let fill = Fill(
            execID: newID(prefix: "T"), tradeID: nextTradeID(for: pair.symbol), quantity: quantity, price: price, cost: cost,
            fee: fee, isMaker: isMaker)
        let baseAmount = AccountArithmetic.widen(quantity, from: pair.quantityScale, to: scale(of: pair.base))
        update(orderAt: index) { order in
            order.filledQuantity += quantity
            order.cumulativeCost += cost
            order.fees += fee
            order.notional += Int128(quantity) * Int128(price)
            order.tradeIDs.append(fill.execID)
            order.lastUpdateNs = nowNs
            order.hold = max(0, order.hold - (side == .buy ? cost + fee : baseAmount))
            if order.remainingQuantity == 0 {
                order.status = .filled
                order.closeTimeNs = nowNs
                order.hold = 0
            } else {
                order.status = .partiallyFilled
            }
        }
        record(.trade, orderAt: index, fill: fill, nowNs: nowNs)
        post(asset: pair.base, amount: side == .buy ? baseAmount : -baseAmount, fee: 0, refID: fill.execID, nowNs: nowNs)
        post(asset: pair.quote, amount: side == .buy ? -cost : cost, fee: fee, refID: fill.execID, nowNs: nowNs)
        if orders[index].status == .filled { record(.filled, orderAt: index, nowNs: nowNs) }
    }

    mutating func close(orderAt index: Int, as status: SimulatedOrder.Status, reason: String, nowNs: Int64) {
        update(orderAt: index) { order in
            order.status = status
            order.closeReason = reason
            order.closeTimeNs = nowNs
            order.lastUpdateNs = nowNs
            order.hold = 0
        }
        record(status == .expired ? .expired : .canceled, orderAt: index, nowNs: nowNs)
    }
}
