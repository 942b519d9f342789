#!/usr/bin/env bash
# The README's demo command: builds KrakenBridge, starts the Kraken simulator, runs the bridge
# against it (the real client path: WebSocket v2, instrument precisions, checksummed books) and
# shows the bridge's frames live with `krakenbridge tap` until Ctrl-C (or for --seconds N).
# The private feed runs too (the simulator's demo key), so executions and fills show up; a
# corrupt checksum at 5 s and a private sequence gap at 8 s show the resyncs live.
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
interrupted=0
trap 'interrupted=1; exit 130' INT

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
market="ipc://$workdir/market-data.sock"
account="ipc://$workdir/account.sock"
control="ipc://$workdir/control.sock"
pids=()
cleanup() {
    # Ctrl-C reaches every process of the demo at once: let them stop on their own first (a
    # second SIGINT makes the bridge exit at once instead of shutting down gracefully).
    if [ "$interrupted" -eq 1 ]; then
        for _ in $(seq 1 50); do
            alive=0
            for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
            [ "$alive" -eq 0 ] && break
            sleep 0.1
        done
    fi
    # Then stop what is left: the bridge before the simulator it is connected to.
    for (( index = ${#pids[@]} - 1; index >= 0; index-- )); do
        kill -INT "${pids[$index]}" 2>/dev/null || true
        wait "${pids[$index]}" 2>/dev/null || true
    done
    rm -rf "$workdir"
}
trap cleanup EXIT

# The simulator prints its bound ports as one JSON line; port 0 picks free ports.
echo '[{"at_ms":5000,"kind":"corrupt_checksum","symbol":"ETH/USD"},{"at_ms":8000,"kind":"sequence_skip"}]' > "$workdir/scenario.json"
"$bin" sim --public-port 0 --private-port 0 --rest-port 0 --control-port 0 --tick-ms 50 \
    --pairs "BTC/USD,ETH/USD,DOGE/USD,MATIC/USD" --scenario "$workdir/scenario.json" \
    > "$workdir/sim.json" 2> "$workdir/sim.log" &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$workdir/sim.json" ] && break; sleep 0.1; done
public_port="$(sed -n 's/.*"public":\([0-9]*\).*/\1/p' "$workdir/sim.json")"
[ -n "$public_port" ] || { cat "$workdir/sim.log" >&2; echo "the simulator did not start" >&2; exit 1; }

private_port="$(sed -n 's/.*"private":\([0-9]*\).*/\1/p' "$workdir/sim.json")"
rest_port="$(sed -n 's/.*"rest":\([0-9]*\).*/\1/p' "$workdir/sim.json")"
# The simulator's documented demo key (docs/simulator.md): not a secret, never valid on Kraken.
echo "KBSIM-DEMO-KEY" > "$workdir/api.key"
echo "a3Jha2VuYnJpZGdlLXNpbXVsYXRvci1kZW1vLXNlY3JldC1kby1ub3QtdXNlLXdpdGgtcmVhbC1rcmFrZW4hIQ==" > "$workdir/api.secret"

"$bin" run --ws-url "ws://127.0.0.1:$public_port/v2" --auth-ws-url "ws://127.0.0.1:$private_port/v2" \
    --rest-url "http://127.0.0.1:$rest_port" --api-key-file "$workdir/api.key" --api-secret-file "$workdir/api.secret" \
    --pairs "BTC/USD,ETH/USD,DOGE/USD,MATIC/USD" \
    --market-bind "$market" --account-bind "$account" --control-bind "$control" --journal-path "$workdir/journal.sqlite" \
    --simulated --stats-interval 5 --log-format text > "$workdir/run.json" &
pids+=($!)

log "simulator (ws://127.0.0.1:$public_port/v2, ws://127.0.0.1:$private_port/v2) → bridge → live frames (Ctrl-C to stop)"
log "ask the bridge from another terminal: $bin ctl --connect $control diagnostics   (or health, list, snapshot book:, replay exec:)"
if [ -n "$seconds" ]; then
    timeout --signal=INT "$seconds" "$bin" tap --connect "$market" --connect "$account" || [ $? -eq 124 ]
else
    "$bin" tap --connect "$market" --connect "$account" || true
fi
exit 0
