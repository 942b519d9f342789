import BusPublishing
import Testing

@Suite struct LatencyHistogramTests {
    @Test func anEmptyHistogramReportsZero() {
        let histogram = LatencyHistogram()
        #expect(histogram.percentile(0.5) == 0)
        #expect(histogram.samples == 0)
    }

    @Test func smallValuesAreExact() {
        var histogram = LatencyHistogram()
        for value in [1, 2, 3, 4, 5, 6, 7] as [UInt64] { histogram.record(value) }
        #expect(histogram.percentile(0.5) == 4)
        #expect(histogram.percentile(1.0) == 7)
    }

    @Test func percentilesAreWithinAnEighthOfTheTrueValue() {
        var histogram = LatencyHistogram()
        for microseconds in 1...10_000 as ClosedRange<UInt64> { histogram.record(microseconds * 1_000) }
        for (fraction, truth) in [(0.5, 5_000_000.0), (0.95, 9_500_000.0), (0.99, 9_900_000.0)] {
            let reported = Double(histogram.percentile(fraction))
            #expect(reported >= truth && reported <= truth * 1.125, "p\(Int(fraction * 100)) = \(reported), true \(truth)")
        }
        #expect(histogram.maxNs == 10_000_000)
        #expect(histogram.samples == 10_000)
    }

    @Test func oneOutlierShowsOnlyInTheTail() {
        var histogram = LatencyHistogram()
        for _ in 0..<999 { histogram.record(2_000) }
        histogram.record(50_000_000)
        #expect(histogram.percentile(0.99) <= 2_250)
        #expect(histogram.percentile(1.0) == 50_000_000)
    }
}
