/// Nanoseconds in a millisecond and a second, so times in tests read as durations.
let ms: Int64 = 1_000_000
let s: Int64 = 1_000_000_000

/// A generator that returns the given values in a loop, making jittered delays exact.
struct ScriptedRandom: RandomNumberGenerator {
    let values: [UInt64]
    var index = 0

    init(_ values: [UInt64]) { self.values = values }

    mutating func next() -> UInt64 {
        defer { index = (index + 1) % values.count }
        return values[index]
    }
}
