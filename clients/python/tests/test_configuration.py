"""`run`'s settings in layers: defaults < `--config` YAML file < KRAKENBRIDGE_… environment < flags,
each value reported by the control socket's `config` command with its source, secrets never shown."""

from __future__ import annotations

import json
import os
import subprocess
import time

from krakenbridge.control import ControlClient
from processes import DEMO_KEY, DEMO_SECRET, first_line, start_simulator, stop_all

STARTUP_FAILURE_SECONDS = 2


def write_config(path, simulator, journal) -> None:
    ports = simulator.ports
    path.write_text(f"""\
# The bridge against the simulator, as an operator would write it.
kraken:
  ws_urls: [ws://127.0.0.1:{ports['public']}/v2]
  auth_ws_urls: [ws://127.0.0.1:{ports['private']}/v2]
  rest_url: http://127.0.0.1:{ports['rest']}
market:
  pairs: [BTC/USD]
  book_depth: 25
bus:
  market_bind: tcp://127.0.0.1:*
  account_bind: tcp://127.0.0.1:*
  control_bind: tcp://127.0.0.1:*
  simulated: true
journal:
  path: {journal}
log:
  stats_interval_seconds: 0
""")


def test_each_layer_overrides_the_one_before_and_config_names_every_source(krakenbridge_bin, tmp_path):
    simulator = start_simulator(krakenbridge_bin, "--tick-ms", "20")
    config = tmp_path / "bridge.yaml"
    write_config(config, simulator, tmp_path / "journal.sqlite")
    environment = {key: value for key, value in os.environ.items() if not key.startswith("KRAKEN")}
    environment |= {"KRAKENBRIDGE_MARKET_BOOK_DEPTH": "100", "KRAKENBRIDGE_JOURNAL_SYNC": "normal",
                    "KRAKENBRIDGE_KRAKEN_API_KEY": DEMO_KEY, "KRAKENBRIDGE_KRAKEN_API_SECRET": DEMO_SECRET}
    log = tmp_path / "run.log"
    bridge = subprocess.Popen([str(krakenbridge_bin), "run", "--config", str(config), "--book-depth", "10"],
                              stdout=subprocess.PIPE, stderr=log.open("w"), text=True, env=environment)
    try:
        endpoints = json.loads(first_line(bridge, "run", log))
        with ControlClient(endpoints["control"], encoding="json", timeout_ms=5000) as control:
            text = control.config().config.json
        effective = json.loads(text)
        settings = {entry["key"]: (entry["value"], entry["source"]) for entry in effective["settings"]}
        assert settings["market.book_depth"] == ("10", "flag --book-depth")
        assert settings["journal.sync"] == ("normal", "environment KRAKENBRIDGE_JOURNAL_SYNC")
        assert settings["market.pairs"] == ("BTC/USD", f"file {config} (market.pairs)")
        assert settings["journal.max_age_hours"] == ("168", "default")
        assert settings["kraken.api_key"] == ("<redacted>", "environment KRAKENBRIDGE_KRAKEN_API_KEY")
        assert settings["kraken.api_secret"] == ("<redacted>", "environment KRAKENBRIDGE_KRAKEN_API_SECRET")
        # What the bridge runs with follows the same layers.
        assert effective["market"]["book_depth"] == 10 and effective["market"]["symbols"] == ["BTC/USD"]
        assert effective["journal"]["path"] == str(tmp_path / "journal.sqlite")
        assert effective["journal"]["sync_every_commit"] is False
        assert effective["account"] is not None, "the private feed runs with the key from the environment"
    finally:
        stop_all(bridge, simulator.process)
    everything = text + log.read_text()
    assert DEMO_SECRET not in everything and DEMO_KEY not in everything


def test_a_bad_value_in_the_file_ends_the_start_at_once_naming_key_value_source_and_allowed(krakenbridge_bin, tmp_path):
    config = tmp_path / "bridge.yaml"
    config.write_text("market:\n  book_depth: 7\n")
    started = time.monotonic()
    process = subprocess.run([str(krakenbridge_bin), "run", "--config", str(config)], capture_output=True, text=True, timeout=20)
    assert process.returncode != 0
    assert time.monotonic() - started < STARTUP_FAILURE_SECONDS
    errors = [line for line in process.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [f"Error: market.book_depth = '7' (from file {config} (market.book_depth)): 0 (no books), 10, 25, 100, 500 or 1000"]


def test_a_misspelt_variable_is_an_error_not_ignored(krakenbridge_bin):
    environment = dict(os.environ) | {"KRAKENBRIDGE_MARKET_PAIR": "BTC/USD"}
    process = subprocess.run([str(krakenbridge_bin), "run"], capture_output=True, text=True, timeout=20, env=environment)
    assert process.returncode != 0
    assert "Error: KRAKENBRIDGE_MARKET_PAIR = '…' (from environment KRAKENBRIDGE_MARKET_PAIR): no setting has this variable" in process.stderr


REPOSITORY = __import__("pathlib").Path(__file__).resolve().parents[3]


def test_the_annotated_example_config_is_valid_and_sets_what_it_shows(krakenbridge_bin):
    example = REPOSITORY / "deploy" / "krakenbridge.example.yaml"
    environment = {key: value for key, value in os.environ.items() if not key.startswith("KRAKEN")}
    process = subprocess.run([str(krakenbridge_bin), "run", "--config", str(example), "--check-config"],
                             capture_output=True, text=True, timeout=20, env=environment)
    assert process.returncode == 0, process.stderr
    lines = process.stdout.splitlines()
    assert f"market.pairs = BTC/USD,ETH/USD (file {example} (market.pairs))" in lines
    assert f"journal.path = /var/lib/krakenbridge/journal.sqlite (file {example} (journal.path))" in lines
    assert "curve.secret_key_file unset" in lines


def test_the_settings_reference_in_the_docs_is_the_catalogue(krakenbridge_bin):
    printed = subprocess.run([str(krakenbridge_bin), "run", "--settings-reference"], capture_output=True, text=True,
                             timeout=20, check=True).stdout.strip()
    text = (REPOSITORY / "docs" / "configuration.md").read_text()
    documented = text.split("<!-- settings-reference:begin (krakenbridge run --settings-reference) -->\n", 1)[1]
    documented = documented.split("\n<!-- settings-reference:end -->", 1)[0].strip()
    assert documented == printed
