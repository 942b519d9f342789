#!/usr/bin/env bash
# Builds a fuzz target with libFuzzer and AddressSanitizer (release, its own build directory)
# and runs it from its seed corpus and past crashes:
#   wire     the Kraken frame parsers (krakenwire-fuzz; Tests/KrakenWireFuzzingTests/Corpus,
#            Regressions/, kraken.dict)
#   control  the control request decoder, binary and JSON (controlrequest-fuzz;
#            Tests/ControlPlaneTests/FuzzCorpus, FuzzRegressions/, control.dict)
# Crashing inputs are written to .fuzz[-control]/crashes/; add each, once fixed, to the
# target's regressions.
#   scripts/fuzz.sh [--target wire|control] [--seconds N] [--jobs J]   (default: wire, 600 s, 1 job)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

seconds=600
jobs=1
target=wire
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --jobs) jobs="$2"; shift 2 ;;
        --target) target="$2"; shift 2 ;;
        *) echo "usage: scripts/fuzz.sh [--target wire|control] [--seconds N] [--jobs J]" >&2; exit 2 ;;
    esac
done
case "$target" in
    wire) product=krakenwire-fuzz; tests=Tests/KrakenWireFuzzingTests
          inputs=("$tests/Corpus" "$tests/Regressions"); dict="$tests/kraken.dict"; work="$ROOT/.fuzz" ;;
    control) product=controlrequest-fuzz; tests=Tests/ControlPlaneTests
          inputs=("$tests/FuzzCorpus" "$tests/FuzzRegressions"); dict="$tests/control.dict"; work="$ROOT/.fuzz-control" ;;
    *) echo "--target is wire or control" >&2; exit 2 ;;
esac

cd "$ROOT"
log "building $product (release, -sanitize=fuzzer,address)"
build=(swift build -c release --sanitize=fuzzer --sanitize=address --product "$product" --scratch-path .build-fuzz)
# Optional: serialise with other builds on a shared machine (only the build holds the lock).
[ -n "${KRAKENBRIDGE_BUILD_LOCK:-}" ] && build=(flock "$KRAKENBRIDGE_BUILD_LOCK" "${build[@]}")
if ! output="$("${build[@]}" 2>&1)"; then
    printf '%s\n' "$output" >&2
    exit 1
fi
# ld.gold always notes that it cannot export an ASan-internal symbol; anything else is shown.
printf '%s\n' "$output" | grep -E 'error|warning: ' | grep -v '__asan_extra_spill_area' || true
fuzzer="$("${build[@]}" --show-bin-path)/$product"
# A binary without coverage counters fuzzes blind (seen once: a .build-fuzz left by a build of
# another target linked uninstrumented objects). Say so now, not after the whole run.
if ! nm "$fuzzer" | grep -q __start___sancov_cntrs; then
    log "$product has no coverage instrumentation: remove .build-fuzz and run again" >&2
    exit 1
fi

mkdir -p "$work/corpus" "$work/crashes"
log "fuzzing for ${seconds}s (corpus $work/corpus, crashes $work/crashes)"
status=0
# Swift's own backtracer fights ASan over the crashing process; let libFuzzer report.
parallel=()
# With several jobs libFuzzer writes fuzz-N.log into the working directory: keep them in the work directory.
[ "$jobs" -gt 1 ] && parallel=(-jobs="$jobs" -workers="$jobs")
# The first directory is where libFuzzer writes new units: never one of the repository's.
(cd "$work" && SWIFT_BACKTRACE=enable=no "$fuzzer" "$work/corpus" "${inputs[@]/#/$ROOT/}" -dict="$ROOT/$dict" \
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
