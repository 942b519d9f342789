#!/usr/bin/env bash
# The README's test command: installs what it needs (apt packages, the Python venv), builds
# the Swift package with its tests, and runs every Swift and Python test. `.ci/run` runs
# exactly this.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

ensure_system_libraries
ensure_python_env
cd "$ROOT"

log "building KrakenBridge and its tests (debug)"
build_log="$(mktemp)"
trap 'rm -f "$build_log"' EXIT
swift build --build-tests 2>&1 | tee "$build_log" | grep -E '^(error|warning)|error:|warning:' || true
if [ "${PIPESTATUS[0]}" -ne 0 ]; then
    echo "build failed" >&2
    exit 1
fi
# Warnings in our own code are defects (dependencies' warnings are not ours to fix).
if grep -E "^($ROOT/)?(Sources|Tests)/[^:]+:[0-9]+:[0-9]+: warning:" "$build_log" >/dev/null; then
    echo "the build has warnings in Sources/ or Tests/ (see above)" >&2
    exit 1
fi

log "Swift tests"
swift test --skip-build

log "Python tests (client, cross-language, generated-code freshness)"
export KRAKENBRIDGE_BIN
KRAKENBRIDGE_BIN="$(swift_bin_path)/krakenbridge"
"$PYTHON" -m pytest -q clients/python/tests
