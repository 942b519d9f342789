"""The metrics endpoint's probes for orchestrators (docker HEALTHCHECK, Kubernetes): `/healthz`
says the process is alive, `/readyz` whether every feed is active with every pair it was given,
with the problems when not."""

from __future__ import annotations

import urllib.error
import urllib.request

from processes import simulator_and_bridge, wait_for


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["content-type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["content-type"], error.read().decode()


def bridge_with_metrics(binary, directory, pairs):
    return simulator_and_bridge(binary, directory, pairs, "--metrics-bind", "127.0.0.1:0", private=False)


def test_ready_once_every_feed_is_active_with_its_pairs(krakenbridge_bin, tmp_path):
    with bridge_with_metrics(krakenbridge_bin, tmp_path, ["BTC/USD"]) as (_, bridge):
        base = bridge.metrics.removesuffix("/metrics")
        assert get(base + "/healthz") == (200, "text/plain; charset=utf-8", "ok\n")
        assert wait_for(lambda: get(base + "/readyz")[0] == 200), get(base + "/readyz")
        assert get(base + "/readyz")[2] == "ready\n"
        status, content_type, body = get(base + "/metrics")
        assert status == 200 and content_type == "text/plain; version=0.0.4" and "krakenbridge_healthy 1" in body
        assert get(base + "/nothing")[0] == 404


def test_not_ready_while_a_configured_pair_is_missing_yet_alive(krakenbridge_bin, tmp_path):
    with bridge_with_metrics(krakenbridge_bin, tmp_path, ["BTC/USD", "FOO/BAR"]) as (_, bridge):
        base = bridge.metrics.removesuffix("/metrics")
        # Once the feed is active, the missing pair is the one problem left.
        expected = (503, "text/plain; charset=utf-8", "public feed has no FOO/BAR: not in Kraken's instrument list\n")
        assert wait_for(lambda: get(base + "/readyz") == expected), get(base + "/readyz")
        assert get(base + "/healthz")[0] == 200, "alive all the same"
