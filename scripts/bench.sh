#!/usr/bin/env bash
# Builds the benchmarks in release mode, runs them and writes the figures into
# docs/performance.md (between the markers of each section). Not part of the test command.
#   scripts/bench.sh [--frames N] [--runs R] [--only zmq-throughput,book-update,trade-parse,book-parse,sim-throughput,ingest,latency-record]
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

frames=1000000
runs=5
only="zmq-throughput,book-update,trade-parse,book-parse,sim-throughput,ingest,latency-record"
while [ $# -gt 0 ]; do
    case "$1" in
        --frames) frames="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        *) echo "usage: scripts/bench.sh [--frames N] [--runs R] [--only SECTION,...]" >&2; exit 2 ;;
    esac
done

ensure_system_libraries
cd "$ROOT"
log "building benchmarks (release)"
swift build -c release --product krakenbridge-bench 2>&1 | grep -E 'error|warning: ' || true
bench="$(swift build -c release --show-bin-path)/krakenbridge-bench"

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

wanted() { [[ ",$only," == *",$1,"* ]]; }

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
log "updated docs/performance.md"
