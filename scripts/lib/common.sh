# Shared helpers for the project's scripts: installing what they need on a fresh Debian
# machine with Swift (apt packages, a Python venv) so every script works from a clean clone.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${KRAKENBRIDGE_VENV:-$ROOT/.venv}"
PYTHON="$VENV/bin/python"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Installs Debian packages that are missing (uses sudo when not root).
ensure_apt_packages() {
    local missing=()
    for package in "$@"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]} (apt)"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_system_libraries() {
    # prometheus: promtool and the server, and systemd: systemd-analyze, for the deploy/ tests
    # (test_deploy.py); tmux: the terminal `krakenbridge top` is tested in (test_top.py).
    ensure_apt_packages libzmq3-dev libsodium-dev libsqlite3-dev prometheus systemd tmux
}

# Creates the project venv and installs the pinned Python requirements when they changed.
ensure_python_env() {
    local requirements="$ROOT/clients/python/requirements-dev.txt"
    local stamp="$VENV/.requirements.sha256"
    local wanted
    wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
    if [ ! -x "$PYTHON" ]; then
        # Debian's python3 ships venv/ensurepip separately.
        python3 -c 'import venv, ensurepip' 2>/dev/null || ensure_apt_packages python3-venv
        log "creating Python venv in $VENV"
        python3 -m venv "$VENV"
    fi
    if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
        log "installing Python requirements"
        "$PYTHON" -m pip install -q --disable-pip-version-check -r "$requirements"
        "$PYTHON" -m pip install -q --disable-pip-version-check --no-deps -e "$ROOT/clients/python"
        echo "$wanted" > "$stamp"
    fi
}

# docker-compose 1.29.2 from PyPI in a venv of its own (.venv-compose): the last release of the
# Python implementation, which reads and validates docker-compose.yml without a Docker engine
# (clients/python/tests/test_compose.py, which also calls this when the tool is missing). Its
# PyYAML 5.4.1 does not build with Cython 3, hence Cython < 3 and a build without isolation.
ensure_compose_tool() {
    local venv="${KRAKENBRIDGE_COMPOSE_VENV:-$ROOT/.venv-compose}"
    if [ "$("$venv/bin/docker-compose" version --short 2>/dev/null)" = "1.29.2" ]; then
        return 0
    fi
    python3 -c 'import venv, ensurepip' 2>/dev/null || ensure_apt_packages python3-venv
    log "installing docker-compose 1.29.2 (PyPI) in $venv"
    python3 -m venv --clear "$venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "cython<3.0.0" wheel setuptools
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-build-isolation pyyaml==5.4.1
    "$venv/bin/python" -m pip install -q --disable-pip-version-check docker-compose==1.29.2
}

# The debug binary directory of the Swift package.
swift_bin_path() {
    (cd "$ROOT" && swift build --show-bin-path "$@")
}
