# KrakenBridge as a container: built with the official Swift 6.3 image for Debian 12, run on
# Debian 12 slim (the same libzmq 4.3.4 on both). docs/operations.md, "Run with Docker".

# ---- build ------------------------------------------------------------------------------------
FROM swift:6.3-bookworm AS build
# The C libraries the bridge links; unpinned on purpose, so a rebuild picks up Debian's security
# updates of the same release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libzmq3-dev libsodium-dev libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Packages are resolved in a layer of their own: it is rebuilt only when the manifest changes.
COPY Package.swift ./
RUN swift package resolve --scratch-path /src/.build-dist/scratch
COPY . .
# The same script the host install and CI run.
RUN scripts/build-release.sh --output /dist

# ---- run --------------------------------------------------------------------------------------
FROM debian:bookworm-slim
# Only what the binary loads (its Swift runtime is linked in), unpinned for the same reason.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libzmq5 libsqlite3-0 ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 krakenbridge \
    && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/krakenbridge --create-home --shell /usr/sbin/nologin krakenbridge
COPY --from=build /dist/krakenbridge /usr/local/bin/krakenbridge
COPY deploy/krakenbridge.example.yaml /etc/krakenbridge/example.yaml
# Not root: the numeric ids, so any runtime can check it without the image's passwd file.
USER 10001:10001
WORKDIR /var/lib/krakenbridge
# The journal of private events (replay and sequences across restarts).
VOLUME ["/var/lib/krakenbridge"]
# Market PUB, account PUB, control ROUTER, metrics/probes.
EXPOSE 5555 5556 5557 9464
# Liveness: the control socket answers (any reply, healthy or not; readiness is /readyz).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["krakenbridge", "ctl", "--timeout", "3000", "health"]
ENTRYPOINT ["krakenbridge"]
CMD ["run", "--market-bind", "tcp://0.0.0.0:5555", "--account-bind", "tcp://0.0.0.0:5556", \
     "--control-bind", "tcp://0.0.0.0:5557", "--metrics-bind", "0.0.0.0:9464", \
     "--journal-path", "/var/lib/krakenbridge/journal.sqlite"]
