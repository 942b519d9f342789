import ControlPlaneFuzzing

// libFuzzer's entry point. Built only by `scripts/fuzz.sh --target control`
// (`--sanitize=fuzzer`), where libFuzzer supplies `main`; in a normal build it does nothing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzControlRequest(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    FuzzControlRequest.run(UnsafeRawBufferPointer(start: start, count: count))
    return 0
}
