import KrakenWireFuzzing

// libFuzzer's entry point. Built only by scripts/fuzz.sh (`--sanitize=fuzzer`), where
// libFuzzer supplies `main`; in a normal build this executable does nothing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKrakenWire(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    FuzzOneInput.run(UnsafeRawBufferPointer(start: start, count: count))
    return 0
}
