#!/usr/bin/env bash
# Builds the benchmarks in release mode, runs them and writes the figures into
# docs/performance.md (between the markers of each section). Not part of the test command.
#   scripts/bench.sh [--frames N] [--runs R] [--only zmq-throughput,book-update,trade-parse,book-parse,sim-throughput,ingest,latency-record]
# Side by side with cryptofeed 2.4.1 (issue 18 §1; not in the default set, a full run takes minutes):
#   scripts/bench.sh --only vs-cryptofeed,vs-cryptofeed-v2 [--passes N] [--alternations N] [--binary PATH | --no-build]
#     vs-cryptofeed: v1 capture, cryptofeed and the bridge alternately; vs-cryptofeed-v2: v2, the bridge alone.
#     --binary PATH (or KRAKENBRIDGE_RELEASE_BIN): that krakenbridge, nothing built; --no-build: .build/release/krakenbridge
#     as it is. Work files (captures, logs, raw JSON per run) go to a temporary directory that is kept
#     (KRAKENBRIDGE_BENCH_WORK to choose it); cryptofeed's venv is .venv-bench (KRAKENBRIDGE_BENCH_VENV).
# Latency and soak (issue 18 §8, §10; not in the default set either; §9's scale figures come from
# clients/python/benchmarks/bridge_scale.py):
#   scripts/bench.sh --only latency,soak [--binary PATH | --no-build]
#     latency: receive -> zmq_send and exchange -> subscriber at 1k/10k/50k msg/s offered (HdrHistogram);
#     soak: 10 minutes at ~20k msg/s with injected faults, resident memory growth after warm-up.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

frames=1000000
runs=5
only="zmq-throughput,book-update,trade-parse,book-parse,sim-throughput,ingest,latency-record"
passes=200
alternations=3
binary="${KRAKENBRIDGE_RELEASE_BIN:-}"
build=1
while [ $# -gt 0 ]; do
    case "$1" in
        --frames) frames="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        --passes) passes="$2"; shift 2 ;;
        --alternations) alternations="$2"; shift 2 ;;
        --binary) binary="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        *) echo "usage: scripts/bench.sh [--frames N] [--runs R] [--only SECTION,...] [--passes N] [--alternations N] [--binary PATH | --no-build]" >&2; exit 2 ;;
    esac
done

wanted() { [[ ",$only," == *",$1,"* ]]; }

ensure_system_libraries
cd "$ROOT"
bench_sections=0
for section in zmq-throughput book-update trade-parse book-parse sim-throughput ingest latency-record; do
    wanted "$section" && bench_sections=1
done
if [ "$bench_sections" -eq 1 ]; then
    if [ "$build" -eq 1 ]; then
        log "building benchmarks (release)"
        swift build -c release --product krakenbridge-bench 2>&1 | grep -E 'error|warning: ' || true
        bench="$(swift build -c release --show-bin-path)/krakenbridge-bench"
    else
        bench="$ROOT/.build/release/krakenbridge-bench"
    fi
fi

# Replaces the section between <!-- NAME:begin --> and <!-- NAME:end --> in docs/performance.md.
write_section() {
    "$PYTHON" - "$ROOT/docs/performance.md" "$1" "$2" "$(date -u +%Y-%m-%d)" "$(uname -m)" <<'PY'
import sys
path, name, result_path, day, arch = sys.argv[1:]
text = open(path).read()
begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
body = open(result_path).read().strip()
section = f"{begin}\nMeasured {day} on this machine ({arch}) by `scripts/bench.sh`:\n\n{body}\n{end}"
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open(path, "w").write(head + section + tail)
PY
}

result="$(mktemp)"
trap 'rm -f "$result"' EXIT

if wanted zmq-throughput; then
    log "ZeroMQ layer throughput ($frames messages, $runs runs per size)"
    "$bench" zmq-throughput --frames "$frames" --runs "$runs" | tee "$result"
    write_section zmq-throughput "$result"
fi
if wanted book-update; then
    log "order book update + checksum"
    "$bench" book | tee "$result"
    write_section book-update "$result"
fi
if wanted trade-parse; then
    log "trade message parsing"
    "$bench" trade-parse | tee "$result"
    write_section trade-parse "$result"
fi
if wanted book-parse; then
    log "book message: parse + apply + verify"
    "$bench" book-parse | tee "$result"
    write_section book-parse "$result"
fi
if wanted sim-throughput; then
    log "simulator throughput mode over ws:// loopback"
    "$bench" sim-throughput | tee "$result"
    write_section sim-throughput "$result"
fi
if wanted ingest; then
    log "the bridge's market path against the simulator's throughput mode"
    "$bench" ingest | tee "$result"
    write_section ingest "$result"
fi
if wanted latency-record; then
    log "recording one message's latency, per way"
    "$bench" latency-record | tee "$result"
    write_section latency-record "$result"
fi

# The venv of the side-by-side benchmark: cryptofeed 2.4.1 and its dependencies as pinned in
# scripts/bench/vs-cryptofeed/constraints.txt (recreated when that file changes). cryptofeed has
# no wheel, so pip compiles it (about a CPU-minute, under nice).
ensure_bench_venv() {
    local venv="${KRAKENBRIDGE_BENCH_VENV:-$ROOT/.venv-bench}"
    local constraints="$ROOT/scripts/bench/vs-cryptofeed/constraints.txt"
    local wanted_hash
    wanted_hash="$(sha256sum "$constraints" | cut -d' ' -f1)"
    BENCH_PYTHON="$venv/bin/python"
    if [ "$(cat "$venv/.constraints.sha256" 2>/dev/null)" = "$wanted_hash" ] && [ -x "$BENCH_PYTHON" ]; then
        return 0
    fi
    python3 -c 'import venv, ensurepip' 2>/dev/null || ensure_apt_packages python3-venv
    ensure_apt_packages gcc python3-dev
    log "installing cryptofeed 2.4.1 (PyPI) in $venv"
    python3 -m venv --clear "$venv"
    nice -n 19 "$BENCH_PYTHON" -m pip install -q --disable-pip-version-check -c "$constraints" cryptofeed pyzmq
    echo "$wanted_hash" > "$venv/.constraints.sha256"
}

# The krakenbridge the side-by-side benchmark runs: --binary / KRAKENBRIDGE_RELEASE_BIN, or a
# release build (made now unless --no-build).
release_binary() {
    if [ -n "$binary" ]; then
        echo "$binary"
    elif [ "$build" -eq 1 ]; then
        log "building krakenbridge (release)"
        swift build -c release --product krakenbridge 2>&1 | grep -E 'error|warning: ' >&2 || true
        echo "$(swift build -c release --show-bin-path)/krakenbridge"
    else
        echo "$ROOT/.build/release/krakenbridge"
    fi
}

for variant in vs-cryptofeed vs-cryptofeed-v2; do
    wanted "$variant" || continue
    ensure_python_env
    protocol=v1
    extra=()
    if [ "$variant" = vs-cryptofeed ]; then
        ensure_bench_venv
        extra=(--bench-python "$BENCH_PYTHON")
    else
        protocol=v2
    fi
    krakenbridge="$(release_binary)"
    [ -x "$krakenbridge" ] || { echo "no krakenbridge at $krakenbridge" >&2; exit 1; }
    work="${KRAKENBRIDGE_BENCH_WORK:-$(mktemp -d -t "krakenbridge-$variant.XXXXXX")}/$protocol"
    log "$variant: $passes passes, $alternations alternations; work files in $work"
    "$PYTHON" "$ROOT/scripts/bench/vs-cryptofeed/vs_cryptofeed.py" --binary "$krakenbridge" --protocol "$protocol" \
        --work "$work" --passes "$passes" --alternations "$alternations" --markdown "$result" "${extra[@]}"
    write_section "$variant" "$result"
done

# krakenbridge-bench for the harnesses that need it beside krakenbridge (its subscriber).
release_bench() {
    if [ "$build" -eq 1 ]; then
        log "building krakenbridge-bench (release)"
        swift build -c release --product krakenbridge-bench 2>&1 | grep -E 'error|warning: ' >&2 || true
        echo "$(swift build -c release --show-bin-path)/krakenbridge-bench"
    else
        echo "$ROOT/.build/release/krakenbridge-bench"
    fi
}

for harness in latency soak; do
    wanted "$harness" || continue
    ensure_python_env
    krakenbridge="$(release_binary)"
    [ -x "$krakenbridge" ] || { echo "no krakenbridge at $krakenbridge" >&2; exit 1; }
    bench_binary="$(release_bench)"
    [ -x "$bench_binary" ] || { echo "no krakenbridge-bench at $bench_binary" >&2; exit 1; }
    work="${KRAKENBRIDGE_BENCH_WORK:-$(mktemp -d -t "krakenbridge-$harness.XXXXXX")}/$harness"
    log "$harness: work files in $work"
    "$PYTHON" "$ROOT/scripts/bench/$harness/$harness.py" --binary "$krakenbridge" --work "$work" --bench "$bench_binary" \
        --markdown "$result"
    write_section "$harness" "$result"
done
log "updated docs/performance.md"
