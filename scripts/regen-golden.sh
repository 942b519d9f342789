#!/usr/bin/env bash
# Records fresh simulator captures and rewrites the expected bus output of the golden replay
# tests (Tests/KrakenFeedTests/Golden). Review the diff: it is exactly what changes for
# subscribers.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
ensure_system_libraries
cd "$ROOT"
swift build --build-tests
KRAKENBRIDGE_REGENERATE_GOLDEN=1 swift test --skip-build --filter "GoldenReplayTests|GoldenAccountReplayTests"
git status --short Tests/KrakenFeedTests/Golden
