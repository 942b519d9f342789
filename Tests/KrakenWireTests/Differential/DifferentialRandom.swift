/// Vigna's SplitMix64, local to the differential tests (the test target depends only on
/// KrakenWire and FixedPoint): one seed always generates the same frame, so a failure can be
/// replayed from the seed it prints.
struct DifferentialRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    // The helpers below avoid the standard library's generic `random(in:using:)`, which is
    // slow in unoptimised test builds; modulo bias is irrelevant for generating test data.

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    mutating func int64(_ range: ClosedRange<Int64>) -> Int64 {
        range.lowerBound + Int64(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    mutating func uint64(_ range: ClosedRange<UInt64>) -> UInt64 {
        let span = range.upperBound - range.lowerBound
        return span == .max ? next() : range.lowerBound + next() % (span + 1)
    }

    /// True with probability `probability`.
    mutating func chance(_ probability: Double) -> Bool { Double(next() >> 11) * 0x1p-53 < probability }

    mutating func pick<T>(_ values: [T]) -> T { values[int(0...(values.count - 1))] }

    mutating func shuffled<T>(_ values: [T]) -> [T] {
        var values = values
        for index in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(index, int(0...index))
        }
        return values
    }

    /// `count` characters drawn from an ASCII `alphabet`.
    mutating func string(_ alphabet: StaticString, count: Int) -> String {
        let size = UInt64(alphabet.utf8CodeUnitCount)
        return String(unsafeUninitializedCapacity: count) { buffer in
            for index in 0..<count { buffer[index] = alphabet.utf8Start[Int(next() % size)] }
            return count
        }
    }

    /// A Kraken-style id such as `OGTT3Y-C6I3P-XRI6HX`.
    mutating func krakenID(prefix: Character) -> String {
        String(prefix) + string("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", count: 5) + "-"
            + string("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", count: 5) + "-" + string("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", count: 6)
    }
}
