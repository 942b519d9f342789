/// Delays between reconnect attempts: exponential backoff with full jitter
/// (`delay = random(0 ... min(cap, base × 2^attempt))`). Jitter spreads the reconnects of many
/// sessions (and many bridges behind one IP) so they do not hit Cloudflare in lock-step; the
/// exponential ceiling keeps a long outage far below Kraken's connection limit of about 150
/// attempts per IP per 10 minutes (kraken-protocol.md §1.6), whose breach bans the IP for 10 min.
///
/// Defaults: base 250 ms (a random drop is retried almost at once, as Kraken advises), cap 30 s
/// (ceilings 0.25, 0.5, 1, 2, 4, 8, 16, then 30 s: a long outage costs about 4 attempts a minute,
/// well under the ~15 a minute the limit allows even with two or three sockets). After
/// maintenance Kraken asks for no more than one attempt every 5 s: the caller applies that floor
/// (`max(delay, 5 s)`) because only it sees the status frame.
///
/// Randomness is injected per call so that tests are exact and the value stays `Sendable`.
public struct ReconnectBackoff: Sendable {
    public var baseNs: Int64
    public var capNs: Int64
    /// How long a connection must stay `active` before the attempt count starts from zero again;
    /// without it a connection that drops seconds after each success would retry at full speed.
    public var healthyResetNs: Int64
    /// Delays handed out since the last reset.
    public private(set) var attempt = 0

    public init(baseNs: Int64 = 250_000_000, capNs: Int64 = 30_000_000_000, healthyResetNs: Int64 = 60_000_000_000) {
        precondition(baseNs >= 0 && capNs >= 0, "backoff durations must not be negative")
        self.baseNs = baseNs
        self.capNs = capNs
        self.healthyResetNs = healthyResetNs
    }

    /// The upper bound of the delay for attempt `n` (0-based): `min(cap, base × 2^n)`, computed
    /// without overflow for any `n`.
    public func ceilingNs(attempt n: Int) -> Int64 {
        if baseNs == 0 { return 0 }
        if n >= 62 { return capNs }
        let (scaled, overflow) = baseNs.multipliedReportingOverflow(by: Int64(1) << max(n, 0))
        return overflow ? capNs : min(capNs, scaled)
    }

    /// The delay before the next attempt, uniform in `0 ... ceilingNs(attempt:)`; counts the attempt.
    public mutating func nextDelayNs(using generator: inout some RandomNumberGenerator) -> Int64 {
        let ceiling = UInt64(ceilingNs(attempt: attempt))
        if attempt < Int.max { attempt += 1 }
        // Multiply-high maps 64 random bits onto 0 ... ceiling (bias below 2^-30 for ceilings < 2^34).
        return Int64(generator.next().multipliedFullWidth(by: ceiling + 1).high)
    }

    /// Starts over from the base delay.
    public mutating func reset() {
        attempt = 0
    }

    /// Resets if the connection has been `active` since `activeSinceNs` for at least
    /// `healthyResetNs`; returns whether it did.
    @discardableResult
    public mutating func resetIfHealthy(activeSinceNs: Int64, nowNs: Int64) -> Bool {
        guard nowNs - activeSinceNs >= healthyResetNs else { return false }
        reset()
        return true
    }
}
