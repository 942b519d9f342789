#!/usr/bin/env bash
# Builds the frame-parser fuzz target with libFuzzer and AddressSanitizer (release, its own
# build directory) and runs it, starting from the seed corpus in
# Tests/KrakenWireFuzzingTests/Corpus (and past crashes in Regressions/). Crashing inputs are
# written to .fuzz/crashes/; add each, once fixed, to Regressions/.
#   scripts/fuzz.sh [--seconds N] [--jobs J]     (default: 600 seconds, 1 job)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

seconds=600
jobs=1
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --jobs) jobs="$2"; shift 2 ;;
        *) echo "usage: scripts/fuzz.sh [--seconds N] [--jobs J]" >&2; exit 2 ;;
    esac
done

cd "$ROOT"
log "building krakenwire-fuzz (release, -sanitize=fuzzer,address)"
build=(swift build -c release --sanitize=fuzzer --sanitize=address --product krakenwire-fuzz --scratch-path .build-fuzz)
# Optional: serialise with other builds on a shared machine (only the build holds the lock).
[ -n "${KRAKENBRIDGE_BUILD_LOCK:-}" ] && build=(flock "$KRAKENBRIDGE_BUILD_LOCK" "${build[@]}")
if ! output="$("${build[@]}" 2>&1)"; then
    printf '%s\n' "$output" >&2
    exit 1
fi
# ld.gold always notes that it cannot export an ASan-internal symbol; anything else is shown.
printf '%s\n' "$output" | grep -E 'error|warning: ' | grep -v '__asan_extra_spill_area' || true
fuzzer="$("${build[@]}" --show-bin-path)/krakenwire-fuzz"

work="$ROOT/.fuzz"
mkdir -p "$work/corpus" "$work/crashes"
log "fuzzing for ${seconds}s (corpus $work/corpus, crashes $work/crashes)"
status=0
# Swift's own backtracer fights ASan over the crashing process; let libFuzzer report.
parallel=()
# With several jobs libFuzzer writes fuzz-N.log into the working directory: keep them in .fuzz.
[ "$jobs" -gt 1 ] && parallel=(-jobs="$jobs" -workers="$jobs")
(cd "$work" && SWIFT_BACKTRACE=enable=no "$fuzzer" "$work/corpus" "$ROOT/Tests/KrakenWireFuzzingTests/Corpus" \
    "$ROOT/Tests/KrakenWireFuzzingTests/Regressions" -dict="$ROOT/Tests/KrakenWireFuzzingTests/kraken.dict" \
    -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/crashes/" "${parallel[@]}") 2>"$work/fuzz.log" || status=$?
# With several jobs each worker writes its own fuzz-N.log: look in all of them.
if grep -qs 'Is the code instrumented for coverage' "$work/fuzz.log" "$work"/fuzz-*.log; then
    log "the fuzz binary has no coverage instrumentation: remove .build-fuzz and run again" >&2
    exit 1
fi
for log_file in "$work/fuzz.log" "$work"/fuzz-*.log; do
    [ -f "$log_file" ] || continue
    grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added|stat::peak_rss_mb)' "$log_file" || true
    grep -E '^#[0-9]+.*(DONE|pulse)' "$log_file" | tail -1 || true
done
if [ "$status" -ne 0 ]; then
    grep -E 'ERROR|Fatal error|SUMMARY' "$work/fuzz.log" | head -20 >&2
    log "fuzzer found a crash (exit $status); inputs in $work/crashes, log in $work/fuzz.log"
    exit "$status"
fi
log "no crash in ${seconds}s"
