#!/usr/bin/env bash
# The README's test command: installs what it needs (apt packages, the Python venvs), builds
# the Swift package with its tests, and runs every Swift and Python test. `.ci/run` runs
# exactly this.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

ensure_system_libraries
ensure_python_env
ensure_compose_tool
cd "$ROOT"

log "building KrakenBridge and its tests (debug)"
build_log="$(mktemp)"
trap 'rm -f "$build_log"' EXIT
# Errors and warnings as they come, and the build's progress every 10 % (a first build takes
# about ten minutes on two cores; silence would look like a hang).
swift build --build-tests 2>&1 | tee "$build_log" | awk '
    /^(error|warning)|error:|warning:/ { print; fflush(); next }
    /^\[[0-9]+\/[0-9]+\]/ && $2 != "Planning" {
        split(substr($1, 2, length($1) - 2), step, "/")
        if (step[2] < 20) next
        percent = int(step[1] * 100 / step[2])
        if (percent >= shown + 10) { shown = percent - percent % 10; printf "    %d%% (%s)\n", shown, $1; fflush() }
    }
    /^Build complete/ { print "    " $0; fflush() }'
if [ "${PIPESTATUS[0]}" -ne 0 ]; then
    echo "build failed" >&2
    exit 1
fi
# Warnings in our own code are defects (dependencies' warnings are not ours to fix).
if grep -E "^($ROOT/)?(Sources|Tests)/[^:]+:[0-9]+:[0-9]+: warning:" "$build_log" >/dev/null; then
    echo "the build has warnings in Sources/ or Tests/ (see above)" >&2
    exit 1
fi

log "building protoc-gen-swift (for the generated-code freshness test; its own build folder)"
swift build --product protoc-gen-swift --scratch-path .build-protoc 2>&1 | grep -E 'error:' || true

log "release build of the image's binary (scripts/build-release.sh; the Dockerfile's build stage runs the same)"
# About 11 minutes from a cold .build-dist on two cores; a warm one is seconds.
if ! scripts/build-release.sh > "$build_log" 2>&1; then
    grep -E 'error:' "$build_log" || tail -40 "$build_log"
    echo "the release build failed" >&2
    exit 1
fi
grep -E '^krakenbridge |built ' "$build_log"
export KRAKENBRIDGE_RELEASE_BIN="$ROOT/.build-dist/bin/krakenbridge"

log "Swift tests"
# At most 4 test functions at a time. Many feed tests run a simulator that ticks every 10 ms
# while they wait for a condition; with Swift Testing's default width on 2 cores they slow each
# other down, which makes them tick longer, which costs more CPU (measured: 162 s wall / 211 s
# CPU by default, 94 s / 58 s at width 4), and deadlines start to fail.
# A hang fails the run after 30 minutes (a full run takes about 2) instead of holding CI until it
# gives up; the tests started above without a result are the ones that hang.
status=0
timeout --kill-after=30 1800 swift test --skip-build --experimental-maximum-parallelization-width 4 || status=$?
if [ "$status" -eq 124 ]; then
    echo "the Swift tests did not finish within 30 minutes" >&2
fi
[ "$status" -eq 0 ] || exit "$status"

log "Python tests (client, cross-language, generated-code freshness)"
export KRAKENBRIDGE_BIN
KRAKENBRIDGE_BIN="$(swift_bin_path)/krakenbridge"
"$PYTHON" -m pytest -q clients/python/tests
