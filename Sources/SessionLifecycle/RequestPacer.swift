/// Paces subscribe/unsubscribe requests on one socket. After a reconnect the bridge resubscribes
/// everything at once; Kraken answers bursts with `Exceeded msg rate` and publishes no number for
/// the limit — it "will vary depending upon the load" (kraken-protocol.md §1.6, §11). A token
/// bucket keeps the rate low and steady while letting a small burst through immediately.
///
/// Defaults: burst 10, refill one token every 200 ms (5 requests/s). Kraken publishes no client
/// message rate for public channels, so this is a conservative guess: a handful of frames per
/// second is far from the bursts of hundreds that trigger the error, and with up to 50 symbols per
/// request (`SubscriptionBatching`) 1,000 channel–symbol pairs still resubscribe in 20 requests,
/// about 2 s. The only published subscription limit is level3's (a 200/s cost counter, 5 per
/// depth-10 symbol); a level3 socket should size its batches to that budget.
///
/// Implemented as GCRA (the "virtual scheduling" form of a token bucket): one timestamp, exact
/// integer arithmetic, identical decisions to a bucket of `burst` tokens.
public struct RequestPacer: Sendable {
    public let burst: Int
    public let refillIntervalNs: Int64
    /// When the bucket would be full again if no more requests were taken ("theoretical arrival time").
    private var fullAtNs: Int64?

    public init(burst: Int = 10, refillIntervalNs: Int64 = 200_000_000) {
        precondition(burst >= 1 && refillIntervalNs >= 1, "a pacer needs a burst and a refill interval")
        self.burst = burst
        self.refillIntervalNs = refillIntervalNs
    }

    /// Takes one token: returns nil if the request may be sent now, else the Unix nanoseconds at
    /// which a token becomes available (nothing is taken in that case; call again then).
    public mutating func take(nowNs: Int64) -> Int64? {
        let tolerance = Int64(burst - 1) * refillIntervalNs
        let start = max(fullAtNs ?? nowNs, nowNs)
        if start - nowNs > tolerance { return start - tolerance }
        fullAtNs = start + refillIntervalNs
        return nil
    }
}
