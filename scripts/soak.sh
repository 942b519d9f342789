#!/usr/bin/env bash
# The soak (not part of the test command): a release `krakenbridge run` against the simulator
# with every fault kind and order flow for N minutes, checked from the outside (books against
# the simulator's truth, every execution exactly once, no bus gap), with RSS and reconnect
# times per fault kind. Usage: scripts/soak.sh [--minutes N] [--seed S] [--json FILE] ...
# (scripts/soak.py --help lists every option). Exits non-zero when a check fails.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

ensure_system_libraries
ensure_python_env
cd "$ROOT"

log "building krakenbridge (release)"
swift build -c release --product krakenbridge 2>&1 | grep -E 'error|warning: ' || true
binary="$(swift build -c release --show-bin-path)/krakenbridge"
[ -x "$binary" ] || { echo "the release build failed" >&2; exit 1; }

log "soak"
exec "$PYTHON" scripts/soak.py --bin "$binary" "$@"
