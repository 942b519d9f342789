import Foundation
import Synchronization

/// Kraken nonces: strictly increasing per API key, across every request of this process, even
/// when several arrive in the same microsecond or the wall clock steps back. Uses Unix time in
/// microseconds (one format per key, as Kraken requires), bumped by one where needed.
public final class NonceSource: Sendable {
    private let last: Mutex<UInt64>
    private let clock: @Sendable () -> UInt64

    /// - Parameter clock: microseconds since 1970; injectable for tests.
    public init(clock: @escaping @Sendable () -> UInt64 = NonceSource.microsecondsSince1970) {
        self.clock = clock
        self.last = Mutex(0)
    }

    public func next() -> UInt64 {
        let now = clock()
        return last.withLock { last in
            last = max(now, last + 1)
            return last
        }
    }

    @Sendable public static func microsecondsSince1970() -> UInt64 {
        UInt64(Date().timeIntervalSince1970 * 1_000_000)
    }
}
