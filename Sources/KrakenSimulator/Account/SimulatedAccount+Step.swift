extension SimulatedAccount {
    /// Advances the account's own activity by one seeded step against the current markets:
    /// expires due orders, fills resting limit orders the market now crosses (a buy when the
    /// best ask is at or below its limit, a sell when the best bid is at or above it; as maker,
    /// at the limit price, sometimes only in part), then sometimes places a limit or market
    /// order or cancels an open one. Same seed and same inputs, same events.
    public mutating func step(markets: [PairMarket], nowNs: Int64) {
        expireOrders(nowNs: nowNs)
        fillCrossedOrders(markets: markets, nowNs: nowNs)
        switch roll(100) {
        case 0..<22: placeRandomOrder(type: .limit, markets: markets, nowNs: nowNs)
        case 22..<26: placeRandomOrder(type: .market, markets: markets, nowNs: nowNs)
        case 26..<32:
            if !openIndexes.isEmpty {
                let index = openIndexes[Int(roll(UInt64(openIndexes.count)))]
                close(orderAt: index, as: .canceled, reason: "User requested", nowNs: nowNs)
            }
        default: break
        }
    }

    mutating func roll(_ bound: UInt64) -> UInt64 { random.next() % bound }

    private mutating func fillCrossedOrders(markets: [PairMarket], nowNs: Int64) {
        for index in openIndexes {
            let order = orders[index]
            guard let limit = order.limitPrice, let market = markets.first(where: { $0.pair.symbol == order.pair.symbol }),
                  let top = TopOfBook(market)
            else { continue }
            let crossed = order.side == .buy ? top.ask <= limit : top.bid >= limit
            // Not every crossing fills at once: the market's takers arrive over several steps.
            guard crossed, roll(3) != 0 else { continue }
            let remaining = order.remainingQuantity
            let isLastPiece = remaining < 2 || order.tradeIDs.count >= Self.maximumFills - 1 || roll(2) == 0
            let quantity = isLastPiece ? remaining : max(1, remaining * Int64(1 + roll(3)) / 4)
            execute(orderAt: index, quantity: quantity, price: limit, isMaker: true, nowNs: nowNs)
        }
    }

    /// An order on a random pair, sized at up to 2% of what the account can spend: limit orders
    /// mostly rest one to four ticks short of the far side of the spread (where the market's
    /// moves soon cross them), a quarter cross it and fill at once.
    private mutating func placeRandomOrder(type: SimulatedOrder.OrderType, markets: [PairMarket], nowNs: Int64) {
        let pair = pairs[Int(roll(UInt64(pairs.count)))]
        guard let market = markets.first(where: { $0.pair.symbol == pair.symbol }), let top = TopOfBook(market) else { return }
        let side: SimulatedOrder.Side = roll(2) == 0 ? .buy : .sell
        let ticks = Int64(roll(4))
        let crosses = roll(4) == 0
        let price: Int64 =
            switch (side, crosses) {
            case (.buy, true): top.ask + ticks
            case (.buy, false): top.ask - 1 - ticks
            case (.sell, true): top.bid - ticks
            case (.sell, false): top.bid + 1 + ticks
            }
        guard price > 0 else { return }
        let largest = largestQuantity(side: side, price: type == .market ? (side == .buy ? top.ask : top.bid) : price, pair: pair)
        guard largest >= 4 else { return }
        let quantity = largest / 4 + Int64(roll(UInt64(largest - largest / 4)))
        let request = OrderRequest(
            symbol: pair.symbol, side: side, type: type, quantity: quantity, limitPrice: type == .limit ? price : nil,
            clientOrderID: roll(4) == 0 ? nextClientOrderID() : nil,
            userref: roll(3) == 0 ? Int64(roll(1_000_000)) : nil,
            expireTimeNs: type == .limit && roll(3) == 0 ? nowNs + Int64(5 + roll(55)) * 1_000_000_000 : nil)
        _ = try? place(request, top: top, nowNs: nowNs)
    }

    /// A fiftieth of the available funds, in the pair's quantity units.
    private func largestQuantity(side: SimulatedOrder.Side, price: Int64, pair: SimulatedPair) -> Int64 {
        switch side {
        case .sell:
            let baseScale = Int(scale(of: pair.base))
            return Int64(Int128(available(of: pair.base)) / AccountArithmetic.power(baseScale - Int(pair.quantityScale)) / 50)
        case .buy:
            let exponent = Int(pair.quantityScale) + Int(pair.priceScale) - Int(scale(of: pair.quote))
            let funds = Int128(max(0, available(of: pair.quote)))
            let scaled = exponent >= 0 ? funds * AccountArithmetic.power(exponent) : funds / AccountArithmetic.power(-exponent)
            return Int64(scaled / Int128(price) / 50)
        }
    }
}
