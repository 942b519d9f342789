"""The monitoring and service files in deploy/: Prometheus's scrape config and alert rules (checked
and unit-tested with promtool, then evaluated by a real Prometheus scraping a real bridge), the
Grafana provisioning and dashboard, and the systemd unit. Every metric they name must be one the
bridge documents in docs/operations.md's metric reference, which a Swift test holds to what
/metrics serves."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import yaml

from processes import free_port, get_json, DEMO_KEY, DEMO_SECRET, STARTUP_SECONDS, first_line, simulator_and_bridge, start_simulator, stop, stop_all, wait_for

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
PROMETHEUS_DIR = DEPLOY / "prometheus"
GRAFANA_DIR = DEPLOY / "grafana"
UNIT = DEPLOY / "systemd" / "krakenbridge.service"
OPERATIONS = ROOT / "docs" / "operations.md"

ALERTS = {
    # name: (for, severity, labels its annotations name besides the instance)
    "KrakenBridgeDown": ("1m", "critical", ["job"]),
    "KrakenBridgeNotHealthy": ("2m", "critical", []),
    "KrakenBridgeConnectionFailures": ("0m", "warning", ["feed"]),
    "KrakenBridgeHighPublishLatency": ("2m", "warning", []),
    "KrakenBridgeHighErrorRate": ("1m", "warning", []),
    "KrakenBridgeCircuitBreakerOpen": ("1m", "warning", ["feed", "endpoint"]),
    "KrakenBridgeAuthenticationFailures": ("0m", "warning", ["feed"]),
    "KrakenBridgePrivateSequenceGaps": ("0m", "warning", ["feed"]),
    "KrakenBridgeChecksumResets": ("0m", "warning", ["symbol"]),
    "KrakenBridgeSubscriberOverflows": ("0m", "warning", ["socket"]),
    "KrakenBridgeJournalWriteFailures": ("0m", "critical", []),
}
"""The alerts deploy/prometheus/alerts.yml must define, exactly."""


# Tools -----------------------------------------------------------------------------------------

def tool(name: str) -> str:
    """The path of a tool from Debian's `prometheus` package; a missing one fails the test (the
    test command installs the package: scripts/lib/common.sh, ensure_system_libraries)."""
    path = shutil.which(name)
    assert path is not None, f"{name} is missing: install Debian's prometheus package (apt-get install prometheus)"
    return path


def promtool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([tool("promtool"), *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def alert_rules() -> list[dict]:
    groups = yaml.safe_load((PROMETHEUS_DIR / "alerts.yml").read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


# Metric names ----------------------------------------------------------------------------------

def documented_families() -> dict[str, str]:
    """Every family in docs/operations.md's metric reference, with its type."""
    text = OPERATIONS.read_text().split("### Metric reference", 1)[1].split("\n### ", 1)[0]
    families = {}
    for line in text.splitlines():
        if line.startswith("| `krakenbridge_"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            families[re.match(r"`([a-z0-9_]+)", cells[0]).group(1)] = cells[1]
    return families


GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
KEYWORDS = {"and", "or", "unless", "bool", "offset", "inf", "nan"}


def metric_names(expression: str) -> set[str]:
    """The metric names a PromQL expression selects: identifiers that are not functions,
    aggregations, keywords, label names, label values or durations (Grafana's `$variables` sit
    inside matchers and ranges, which are dropped first)."""
    expression = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expression)
    expression = re.sub(r"\{[^}]*\}", "", expression)
    expression = re.sub(r"\[[^\]]*\]", "", expression)
    expression = GROUPING.sub("", expression)
    names = set()
    for match in re.finditer(r"(?<![\w.$])[A-Za-z_:][A-Za-z0-9_:]*", expression):
        if expression[match.end():].lstrip().startswith("(") or match.group().lower() in KEYWORDS:
            continue
        names.add(match.group())
    return names


def undocumented(names: set[str]) -> set[str]:
    """The names that are neither `up` nor a documented family (a histogram's `_bucket`, `_sum`
    and `_count` series belong to their family)."""
    families = documented_families()
    def documented(name: str) -> bool:
        if name == "up" or name in families:
            return True
        base = re.sub(r"_(bucket|sum|count)$", "", name)
        return families.get(base) == "histogram"
    return {name for name in names if not documented(name)}


def test_metric_names_are_read_from_promql_without_functions_labels_or_grafana_variables():
    expression = ('histogram_quantile(0.95, sum by (job, le) (rate(krakenbridge_publish_latency_seconds_bucket'
                  '{instance=~"$instance", le!="1e-05"}[$__rate_interval]))) > 1e-05 and on (job) up == bool 1')
    assert metric_names(expression) == {"krakenbridge_publish_latency_seconds_bucket", "up"}
    assert undocumented({"krakenbridge_publish_latency_seconds_bucket", "krakenbridge_healthy_bucket", "up", "other"}) == \
        {"krakenbridge_healthy_bucket", "other"}


# Prometheus ------------------------------------------------------------------------------------

def test_the_scrape_config_scrapes_the_bridge_service_and_loads_the_alerts():
    config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    assert config["rule_files"] == ["alerts.yml"], "relative to the config: /etc/prometheus in a container, or the repository"
    (job,) = config["scrape_configs"]
    assert (job["job_name"], job["metrics_path"], job["static_configs"]) == ("krakenbridge", "/metrics", [{"targets": ["bridge:9464"]}])
    assert config["global"]["scrape_interval"] == "5s"

    checked = promtool("check", "config", "deploy/prometheus/prometheus.yml")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "SUCCESS: 1 rule files found" in checked.stdout
    assert "SUCCESS: deploy/prometheus/prometheus.yml is valid prometheus config file syntax" in checked.stdout


def test_the_alert_rules_are_valid_and_are_the_documented_alerts():
    checked = promtool("check", "rules", "deploy/prometheus/alerts.yml")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"SUCCESS: {len(ALERTS)} rules found" in checked.stdout

    rules = alert_rules()
    assert [rule["alert"] for rule in rules] == list(ALERTS)
    for rule in rules:
        for_, severity, named = ALERTS[rule["alert"]]
        assert (rule["for"], rule["labels"]) == (for_, {"severity": severity}), rule["alert"]
        assert set(rule["annotations"]) == {"summary", "description"}, rule["alert"]
        for label in ["instance", *named]:
            assert f"$labels.{label}" in rule["annotations"]["summary"] + rule["annotations"]["description"], (rule["alert"], label)


def test_the_alerts_use_the_product_thresholds():
    expressions = {rule["alert"]: " ".join(rule["expr"].split()) for rule in alert_rules()}
    assert expressions == {
        "KrakenBridgeDown": 'up{job="krakenbridge"} == 0',
        "KrakenBridgeNotHealthy": "krakenbridge_healthy == 0",
        "KrakenBridgeConnectionFailures": "increase(krakenbridge_reconnections_total[5m]) > 3",
        "KrakenBridgeHighPublishLatency": "histogram_quantile(0.95, sum by (job, instance, le) "
                                          "(rate(krakenbridge_publish_latency_seconds_bucket[5m])) ) > 0.1",
        "KrakenBridgeHighErrorRate": "sum by (job, instance) (rate(krakenbridge_errors_total[1m])) / "
                                     "(sum by (job, instance) (rate(krakenbridge_frames_received_total[1m])) > 0) > 0.01",
        "KrakenBridgeCircuitBreakerOpen": "krakenbridge_circuit_breaker_state == 2",
        "KrakenBridgeAuthenticationFailures": "increase(krakenbridge_authentication_failures_total[5m]) > 0",
        "KrakenBridgePrivateSequenceGaps": "increase(krakenbridge_private_gaps_total[5m]) > 0",
        "KrakenBridgeChecksumResets": "increase(krakenbridge_checksum_failures_total[10m]) > 3",
        "KrakenBridgeSubscriberOverflows": "increase(krakenbridge_subscriber_overflows_total[5m]) > 0",
        "KrakenBridgeJournalWriteFailures": "increase(krakenbridge_journal_write_failures_total[5m]) > 0",
    }


def test_every_alert_fires_in_one_unit_test_and_stays_quiet_in_another():
    tests = yaml.safe_load((PROMETHEUS_DIR / "alerts_test.yml").read_text())["tests"]
    cases = [case for test in tests for case in test["alert_rule_test"]]
    fires = {case["alertname"] for case in cases if case["exp_alerts"]}
    quiet = {case["alertname"] for case in cases if not case["exp_alerts"]}
    assert (fires, quiet) == (set(ALERTS), set(ALERTS))

    tested = promtool("test", "rules", "deploy/prometheus/alerts_test.yml")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert tested.stdout.split() == ["Unit", "Testing:", "deploy/prometheus/alerts_test.yml", "SUCCESS"]


def test_every_metric_the_alerts_use_is_documented():
    names = set().union(*(metric_names(rule["expr"]) for rule in alert_rules()))
    assert names == {
        "up", "krakenbridge_healthy", "krakenbridge_reconnections_total", "krakenbridge_publish_latency_seconds_bucket",
        "krakenbridge_errors_total", "krakenbridge_frames_received_total", "krakenbridge_circuit_breaker_state",
        "krakenbridge_authentication_failures_total", "krakenbridge_private_gaps_total", "krakenbridge_checksum_failures_total",
        "krakenbridge_subscriber_overflows_total", "krakenbridge_journal_write_failures_total",
    }
    assert undocumented(names) == set()


def test_the_operations_guide_lists_every_alert_with_its_for_and_severity():
    section = OPERATIONS.read_text().split("\n### Alerts\n", 1)[1]
    documented = {}
    for line in section.splitlines():
        if line.startswith("| `KrakenBridge"):
            cells = [cell.strip() for cell in line.strip("|").split(" | ")]
            documented[cells[0].strip("`")] = (cells[3], cells[4])
    assert documented == {name: ("0" if for_ == "0m" else for_, severity) for name, (for_, severity, _) in ALERTS.items()}


@contextmanager
def prometheus_scraping(directory: Path, target: str):
    """A real Prometheus with deploy/prometheus/prometheus.yml scraping `target` instead of
    bridge:9464, every second (scrapes and rule evaluations), with the same alerts.yml; yields its
    base URL once it is ready and stops it on the way out, whatever happened."""
    config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    config["global"] |= {"scrape_interval": "1s", "scrape_timeout": "1s", "evaluation_interval": "1s"}
    config["rule_files"] = [str(PROMETHEUS_DIR / path) for path in config["rule_files"]]
    (job,) = config["scrape_configs"]
    job["static_configs"] = [{"targets": [target]}]
    path = directory / "prometheus.yml"
    path.write_text(yaml.safe_dump(config))
    port = free_port()
    log = directory / "prometheus.log"
    process = subprocess.Popen(
        [tool("prometheus"), f"--config.file={path}", f"--storage.tsdb.path={directory / 'tsdb'}",
         f"--web.listen-address=127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=log.open("w"), cwd=directory)
    base = f"http://127.0.0.1:{port}"
    try:
        ready = wait_for(lambda: process.poll() is not None or get_json(f"{base}/api/v1/status/buildinfo"), STARTUP_SECONDS)
        assert process.poll() is None and ready, f"prometheus did not start: {log.read_text()}"
        yield base
    finally:
        stop_all(process)


def query(base: str, expression: str) -> list[dict]:
    answer = get_json(f"{base}/api/v1/query?" + urllib.parse.urlencode({"query": expression}))
    return answer["data"]["result"] if answer else []


def active_alerts(base: str, name: str) -> list[dict]:
    answer = get_json(f"{base}/api/v1/alerts")
    return [alert for alert in (answer["data"]["alerts"] if answer else []) if alert["labels"]["alertname"] == name]


def test_prometheus_fires_the_connection_failure_alert_when_kraken_refuses_connections(krakenbridge_bin, tmp_path):
    """A real Prometheus scrapes a real bridge with the real alerts.yml (only the intervals are 1 s
    instead of 5 s). The simulator stops, so every reconnect of the public feed is refused: more
    than 3 failures in 5 minutes fires KrakenBridgeConnectionFailures at once (its `for` is 0),
    and five failures in a row open the endpoint's circuit breaker, whose alert goes pending
    (its `for` is 1m)."""
    with simulator_and_bridge(krakenbridge_bin, tmp_path, ["BTC/USD"], "--metrics-bind", "127.0.0.1:0",
                              private=False) as (simulator, bridge):
        target = urllib.parse.urlsplit(bridge.metrics).netloc
        with prometheus_scraping(tmp_path, target) as prometheus:
            healthy = wait_for(lambda: [series for series in query(prometheus, "krakenbridge_healthy")
                                        if series["metric"] == {"__name__": "krakenbridge_healthy", "instance": target,
                                                                "job": "krakenbridge"} and series["value"][1] == "1"],
                               STARTUP_SECONDS)
            assert healthy, f"prometheus never scraped a healthy bridge: {query(prometheus, 'up')}"
            failures = query(prometheus, "krakenbridge_reconnections_total")
            assert failures and all(series["value"][1] == "0" for series in failures), failures
            assert active_alerts(prometheus, "KrakenBridgeConnectionFailures") == []

            stop(simulator.process)

            firing = wait_for(lambda: [alert for alert in active_alerts(prometheus, "KrakenBridgeConnectionFailures")
                                       if alert["state"] == "firing"], 60)
            assert firing, f"no connection-failure alert: {query(prometheus, 'krakenbridge_reconnections_total')}"
            (alert,) = firing
            assert alert["labels"] == {"alertname": "KrakenBridgeConnectionFailures", "feed": "public", "instance": target,
                                       "job": "krakenbridge", "severity": "warning"}
            assert alert["annotations"]["summary"] == f"KrakenBridge {target}: public feed connections failing"
            assert re.fullmatch(rf"\d+ connections of the public feed on {re.escape(target)} failed or were lost in the "
                                r"last 5 minutes \(more than 3\)\.", alert["annotations"]["description"]), alert
            assert float(alert["value"]) > 3

            pending = wait_for(lambda: active_alerts(prometheus, "KrakenBridgeCircuitBreakerOpen"), 60)
            assert pending, f"no breaker alert: {query(prometheus, 'krakenbridge_circuit_breaker_state')}"
            assert [(alert["state"], alert["labels"]["feed"], alert["labels"]["endpoint"]) for alert in pending] == \
                [("pending", "public", f"ws://127.0.0.1:{simulator.ports['public']}/v2")]


# Grafana ---------------------------------------------------------------------------------------

def dashboard() -> dict:
    return json.loads((GRAFANA_DIR / "dashboards" / "krakenbridge.json").read_text())


def all_panels(panels: list[dict]) -> list[dict]:
    return [inner for panel in panels for inner in [panel, *all_panels(panel.get("panels", []))]]


def test_grafana_provisions_the_prometheus_datasource_and_the_dashboard_directory():
    datasources = yaml.safe_load((GRAFANA_DIR / "provisioning" / "datasources" / "prometheus.yml").read_text())
    (source,) = datasources["datasources"]
    assert (datasources["apiVersion"], source["type"], source["uid"], source["url"], source["access"]) == \
        (1, "prometheus", "prometheus", "http://prometheus:9090", "proxy")
    providers = yaml.safe_load((GRAFANA_DIR / "provisioning" / "dashboards" / "krakenbridge.yml").read_text())
    (provider,) = providers["providers"]
    assert (providers["apiVersion"], provider["type"], provider["options"]["path"]) == (1, "file", "/var/lib/grafana/dashboards")


def test_the_dashboard_is_grafana_json_on_the_provisioned_datasource():
    board = dashboard()
    assert (board["uid"], board["title"], board["schemaVersion"]) == ("krakenbridge", "KrakenBridge", 39)
    panels = all_panels(board["panels"])
    assert len({panel["id"] for panel in panels}) == len(panels), "panel ids are unique"
    cells = set()
    for panel in panels:
        position = panel["gridPos"]
        assert position["x"] + position["w"] <= 24, panel["title"]
        covered = {(position["x"] + dx, position["y"] + dy) for dx in range(position["w"]) for dy in range(position["h"])}
        assert not cells & covered, f"{panel['title']} overlaps another panel"
        cells |= covered
    datasource = {"type": "prometheus", "uid": "prometheus"}
    queried = [panel for panel in panels if panel["type"] != "row"]
    assert queried and all(panel["datasource"] == datasource for panel in queried)
    for panel in queried:
        assert panel["targets"], panel["title"]
        assert [target["refId"] for target in panel["targets"]] == [chr(65 + i) for i in range(len(panel["targets"]))]
        assert all(target["datasource"] == datasource and target["expr"] for target in panel["targets"]), panel["title"]
    assert all(variable["datasource"] == datasource for variable in board["templating"]["list"])


def test_the_dashboard_shows_what_an_operator_watches_with_documented_metrics_only():
    panels = [panel for panel in all_panels(dashboard()["panels"]) if panel["type"] != "row"]
    names_by_panel = {panel["title"]: set().union(*(metric_names(target["expr"]) for target in panel["targets"]))
                      for panel in panels}
    everything = set().union(*names_by_panel.values())
    assert undocumented(everything) == set()

    assert "krakenbridge_messages_received_total" in names_by_panel["Messages per channel"]
    latency = next(panel for panel in panels if panel["title"] == "Publish latency p50 / p95 / p99")
    assert [re.match(r"histogram_quantile\((0\.\d+), ", target["expr"]).group(1) for target in latency["targets"]] == \
        ["0.5", "0.95", "0.99"]
    assert names_by_panel["Publish latency p50 / p95 / p99"] == {"krakenbridge_publish_latency_seconds_bucket"}
    assert names_by_panel["Connection state"] == {"krakenbridge_connection_state"}
    assert names_by_panel["Circuit breakers"] == {"krakenbridge_circuit_breaker_state"}
    assert {"krakenbridge_private_gaps_total", "krakenbridge_book_resets_total", "krakenbridge_outbox_dropped_total"} <= everything
    assert {"krakenbridge_journal_bytes", "krakenbridge_journal_events", "krakenbridge_journal_write_failures_total"} <= everything
    assert names_by_panel["Subscriber overflows"] == {"krakenbridge_subscriber_overflows_total"}


# systemd ---------------------------------------------------------------------------------------

def unit_directives(text: str) -> dict[str, list[str]]:
    """Each `Key=value` of a unit file (continuation lines joined), every value of a repeated key."""
    directives: dict[str, list[str]] = {}
    for line in re.sub(r"\\\n", " ", text).splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            directives.setdefault(key.strip(), []).append(value.strip())
    return directives


def exec_start() -> list[str]:
    (command,) = unit_directives(UNIT.read_text())["ExecStart"]
    return shlex.split(command)


def test_the_systemd_unit_runs_the_bridge_hardened_as_its_own_user():
    directives = unit_directives(UNIT.read_text())
    single = {key: values[-1] for key, values in directives.items()}
    expected = {
        "User": "krakenbridge", "DynamicUser": "yes", "StateDirectory": "krakenbridge",
        "NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes", "PrivateDevices": "yes",
        "ProtectKernelTunables": "yes", "ProtectKernelModules": "yes", "ProtectKernelLogs": "yes",
        "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX", "MemoryDenyWriteExecute": "yes", "LockPersonality": "yes",
        "RestrictNamespaces": "yes", "CapabilityBoundingSet": "", "AmbientCapabilities": "",
        "Restart": "on-failure", "KillSignal": "SIGTERM",
    }
    assert {key: single.get(key) for key in expected} == expected
    assert directives["SystemCallFilter"][0] == "@system-service"
    timeout = re.fullmatch(r"(\d+)s", single["TimeoutStopSec"])
    assert timeout and int(timeout.group(1)) > 15, "longer than the bridge's 15 s graceful shutdown"
    assert directives["LoadCredential"] == ["kraken-api-key:/etc/krakenbridge/api-key",
                                            "kraken-api-secret:/etc/krakenbridge/api-secret"]

    command = exec_start()
    assert command[:2] == ["/usr/local/bin/krakenbridge", "run"]
    options = dict(zip(command[2::2], command[3::2]))
    assert len(options) * 2 == len(command) - 2, "every option has one value"
    assert options["--api-key-file"] == "%d/kraken-api-key" and options["--api-secret-file"] == "%d/kraken-api-secret"
    assert options["--journal-path"] == "%S/krakenbridge/journal.sqlite"
    assert options["--log-format"] == "json"


def test_the_units_options_are_options_of_run(krakenbridge_bin):
    help_text = subprocess.run([str(krakenbridge_bin), "run", "--help"], capture_output=True, text=True, timeout=30).stdout
    offered = set(re.findall(r"^\s+(--[a-z0-9-]+)", help_text, re.MULTILINE))
    assert "--metrics-bind" in offered
    assert {option for option in exec_start()[2::2]} - offered == set()


def test_the_units_command_line_runs_with_its_credentials_and_state_directory(krakenbridge_bin, tmp_path):
    """The unit's ExecStart, with systemd's %d (credentials) and %S (state) directories made by
    hand, its fixed loopback ports swapped for free ones and the simulator's URLs added: the
    private feed authenticates with the key files alone and the journal is created in the state
    directory."""
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / "kraken-api-key").write_text(DEMO_KEY + "\n")
    (credentials / "kraken-api-secret").write_text(DEMO_SECRET + "\n")
    state = tmp_path / "state"
    (state / "krakenbridge").mkdir(parents=True)
    command = [str(krakenbridge_bin)] + [
        re.sub(r"^tcp://127\.0\.0\.1:\d+$", "tcp://127.0.0.1:*", re.sub(r"^127\.0\.0\.1:\d+$", "127.0.0.1:0", argument))
        .replace("%d", str(credentials)).replace("%S", str(state))
        for argument in exec_start()[1:]]
    environment = {key: value for key, value in os.environ.items() if not key.startswith("KRAKEN_API_")}
    simulator = start_simulator(krakenbridge_bin, "--tick-ms", "20")
    ports = simulator.ports
    log = tmp_path / "run.log"
    bridge = subprocess.Popen(
        command + ["--ws-url", f"ws://127.0.0.1:{ports['public']}/v2", "--auth-ws-url", f"ws://127.0.0.1:{ports['private']}/v2",
                   "--rest-url", f"http://127.0.0.1:{ports['rest']}", "--simulated"],
        stdout=subprocess.PIPE, stderr=log.open("w"), text=True, env=environment)
    try:
        endpoints = json.loads(first_line(bridge, "run", log))
        readyz = endpoints["metrics"].removesuffix("/metrics") + "/readyz"
        def ready() -> bool:
            try:
                with urllib.request.urlopen(readyz, timeout=5) as response:
                    return response.status == 200
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                return False
        assert wait_for(ready, STARTUP_SECONDS), log.read_text()
        with urllib.request.urlopen(endpoints["metrics"], timeout=5) as response:
            metrics = response.read().decode()
        assert 'krakenbridge_connection_active{feed="private"} 1.0' in metrics, "the private feed runs on the key files"
        assert (state / "krakenbridge" / "journal.sqlite").is_file()
        assert all(json.loads(line)["label"].startswith("krakenbridge.") for line in log.read_text().splitlines())
    finally:
        stop_all(bridge, simulator.process)


def test_systemd_accepts_the_unit(krakenbridge_bin, tmp_path):
    """`systemd-analyze verify`, with ExecStart pointing at the built binary (verify checks that
    the command exists, and /usr/local/bin/krakenbridge is where it is installed, not built)."""
    analyze = shutil.which("systemd-analyze")
    assert analyze is not None, "systemd-analyze is missing: the test command installs Debian's systemd package"
    copy = tmp_path / "krakenbridge.service"
    copy.write_text(UNIT.read_text().replace("ExecStart=/usr/local/bin/krakenbridge ", f"ExecStart={krakenbridge_bin} "))
    verified = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True, timeout=60)
    assert (verified.returncode, verified.stdout + verified.stderr) == (0, "")
