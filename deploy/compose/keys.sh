#!/usr/bin/env bash
# Prepares ./secrets for the live compose stack (docker-compose.yml). Run it through compose, where
# `krakenbridge` is the image's:
#
#   mkdir -m 700 secrets && docker compose run --rm keys
#
# or with a krakenbridge on PATH: deploy/compose/keys.sh secrets
#
# Writes what is missing in DIR (default ./secrets), keeping what exists:
#   bridge.key, bridge.key_secret             the bridge's CURVE key pair (server)
#   strategy.key, strategy.key_secret         the strategy service's client key pair
#   healthcheck.key, healthcheck.key_secret   the client key the bridge's health check asks with
#   curve_allowlist                           strategy: market, account, control; healthcheck: control
# The containers run as uid 10001 and compose mounts secrets as they are on the host, so when run
# as root (as `docker compose run --rm keys` does) the secret files, and the Kraken API key files
# if present (kraken_api_key, kraken_api_secret), are handed to 10001 with mode 0400. Run it again
# after adding the Kraken key files.
set -euo pipefail

dir="${1:-secrets}"
owner="${KRAKENBRIDGE_UID:-10001}"
mkdir -p "$dir"

for name in bridge strategy healthcheck; do
    if [ ! -s "$dir/$name.key_secret" ]; then
        krakenbridge keygen --name "$name" --output-directory "$dir" --force > /dev/null
        echo "keys.sh: wrote $dir/$name.key and $dir/$name.key_secret"
    fi
done

if [ ! -s "$dir/curve_allowlist" ]; then
    strategy="$(cat "$dir/strategy.key")"
    cat > "$dir/curve_allowlist" <<EOF
# Who may connect to the bridge's endpoints: ENDPOINT PUBLIC-KEY NAME [operator] (docs/zeromq.md).
# Add a line per client; "operator" on control allows commands that change the bridge (add-pair).
market  $strategy strategy
account $strategy strategy
control $strategy strategy
control $(cat "$dir/healthcheck.key") healthcheck
EOF
    echo "keys.sh: wrote $dir/curve_allowlist"
fi

if [ "$(id -u)" -eq 0 ]; then
    for file in "$dir"/*.key_secret "$dir/kraken_api_key" "$dir/kraken_api_secret"; do
        if [ -f "$file" ]; then
            chown "$owner:$owner" "$file"
            chmod 0400 "$file"
        fi
    done
elif [ "$(id -u)" != "$owner" ]; then
    echo "keys.sh: not root, so the secret files stay yours; the containers (uid $owner) cannot read them" \
         "until they are handed over (sudo chown $owner, or docker compose run --rm keys)" >&2
fi
