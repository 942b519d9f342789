#!/usr/bin/env bash
# The README's demo command: builds KrakenBridge, starts a publisher and shows its frames live
# with `krakenbridge tap` until Ctrl-C (or for --seconds N).
#
# Today the publisher is `krakenbridge synth` (a synthetic market). When the Kraken simulator
# and the ingest engine land, this same command will run simulator + bridge + tap.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

seconds=""
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        -h|--help) echo "usage: scripts/demo.sh [--seconds N]"; exit 0 ;;
        *) echo "unknown option $1 (usage: scripts/demo.sh [--seconds N])" >&2; exit 2 ;;
    esac
done

# Ctrl-C at any point ends the demo (after the live view it also runs the cleanup below).
trap 'exit 130' INT

ensure_system_libraries
cd "$ROOT"
log "building krakenbridge (debug)"
build_log="$(mktemp)"
if ! swift build --product krakenbridge > "$build_log" 2>&1; then
    cat "$build_log" >&2
    rm -f "$build_log"
    echo "build failed" >&2
    exit 1
fi
rm -f "$build_log"
bin="$(swift_bin_path)/krakenbridge"

workdir="$(mktemp -d)"
endpoint="ipc://$workdir/market-data.sock"
"$bin" synth --bind "$endpoint" --pairs "BTC/USD,ETH/USD,XRP/USD,DOGE/USD" --rate 4 --wait-subscribers 1 &
publisher=$!
cleanup() {
    kill -TERM "$publisher" 2>/dev/null || true
    wait "$publisher" 2>/dev/null || true
    rm -rf "$workdir"
}
trap cleanup EXIT

log "live frames from $endpoint (Ctrl-C to stop)"
if [ -n "$seconds" ]; then
    timeout --signal=INT "$seconds" "$bin" tap --connect "$endpoint" || [ $? -eq 124 ]
else
    "$bin" tap --connect "$endpoint" || true
fi
exit 0
