#!/usr/bin/env bash
# Regenerates the Swift and Python code for proto-schemas/ (both committed).
#   scripts/gen-protos.sh          write the generated code into the tree
#   scripts/gen-protos.sh --check  regenerate into a temporary folder and fail if the committed
#                                  code differs (used by the test suite)
# One pinned protoc for both languages (grpcio-tools from clients/python/requirements-dev.txt)
# and protoc-gen-swift built from the swift-protobuf version Package.swift pins.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

check=false
[ "${1:-}" = "--check" ] && check=true

ensure_python_env
# Its own build folder: building one product in .build changes the flags SwiftProtobuf is
# compiled with there, and the next `swift build --build-tests` recompiled SwiftProtobuf and
# everything above it (minutes, on every test run that followed the freshness test).
protoc_build=(swift build --product protoc-gen-swift --scratch-path "$ROOT/.build-protoc")
(cd "$ROOT" && "${protoc_build[@]}" >/dev/null)
plugin="$(cd "$ROOT" && "${protoc_build[@]}" --show-bin-path)/protoc-gen-swift"

swift_dir="$ROOT/Sources/WireFormat/Generated"
python_dir="$ROOT/clients/python"
if $check; then
    out="$(mktemp -d)"
    trap 'rm -rf "$out"' EXIT
    swift_out="$out/swift"
    python_out="$out/python"
else
    swift_out="$swift_dir"
    python_out="$python_dir"
    rm -f "$swift_dir"/*.pb.swift "$python_dir"/krakenbridge/v1/*_pb2.py "$python_dir"/krakenbridge/v1/*_pb2.pyi
fi
mkdir -p "$swift_out" "$python_out"

cd "$ROOT/proto-schemas"
protos=(krakenbridge/v1/*.proto)
"$PYTHON" -m grpc_tools.protoc -I . \
    --plugin=protoc-gen-swift="$plugin" \
    --swift_out="$swift_out" --swift_opt=Visibility=Public --swift_opt=FileNaming=DropPath \
    --python_out="$python_out" --pyi_out="$python_out" \
    "${protos[@]}"

if $check; then
    status=0
    diff -ru "$swift_out" "$swift_dir" --exclude='*.swift~' >/dev/null 2>&1 || {
        diff -ru "$swift_out" "$swift_dir" | head -40 >&2 || true
        echo "stale: Sources/WireFormat/Generated differs from proto-schemas/ (run scripts/gen-protos.sh)" >&2
        status=1
    }
    for file in "$python_out"/krakenbridge/v1/*; do
        committed="$python_dir/krakenbridge/v1/$(basename "$file")"
        if ! cmp -s "$file" "$committed"; then
            echo "stale: ${committed#"$ROOT"/} differs from proto-schemas/ (run scripts/gen-protos.sh)" >&2
            status=1
        fi
    done
    [ $status -eq 0 ] && echo "generated code is fresh"
    exit $status
fi
log "generated Swift into ${swift_out#"$ROOT"/} and Python into ${python_out#"$ROOT"/}/krakenbridge/v1"
