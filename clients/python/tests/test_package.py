"""The package as a user installs it: typed (py.typed, mypy --strict clean), one version, the
main entry points importable from `krakenbridge`, and its console scripts declared."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

import krakenbridge

PACKAGE = Path(krakenbridge.__file__).parent
PROJECT = PACKAGE.parent


def test_the_package_is_mypy_strict_clean(tmp_path):
    # The generated protobuf stubs (krakenbridge/v1/*.pyi) are checked too, with one relaxation
    # from pyproject.toml: their `Mapping` parameters without type arguments.
    checked = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), "krakenbridge"],
                             cwd=PROJECT, capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith("Success: no issues found")


def test_the_package_says_it_is_typed_and_ships_the_marker():
    assert (PACKAGE / "py.typed").is_file()
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())
    assert "py.typed" in project["tool"]["setuptools"]["package-data"]["krakenbridge"]


def test_the_version_has_one_source_which_the_installed_metadata_reports():
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "krakenbridge.__version__"}
    assert importlib.metadata.version("krakenbridge-client") == krakenbridge.__version__


def test_the_main_entry_points_are_importable_from_the_package():
    from krakenbridge.aio import AsyncControlClient, AsyncSubscriber
    from krakenbridge.book import Books
    from krakenbridge.clone import LateJoiner
    from krakenbridge.control import ControlClient
    from krakenbridge.subscriber import Subscriber
    from krakenbridge.wire import BusFrame

    exported = {name: getattr(krakenbridge, name) for name in krakenbridge.__all__}
    for entry in (AsyncControlClient, AsyncSubscriber, Books, LateJoiner, ControlClient, Subscriber, BusFrame):
        assert exported[entry.__name__] is entry


def test_the_console_scripts_are_declared_and_point_at_functions():
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())
    assert project["project"]["scripts"] == {"krakenbridge-tap": "krakenbridge.cli:tap_main",
                                             "krakenbridge-ctl": "krakenbridge.cli:ctl_main"}
    installed = {entry.name: entry.value for entry in importlib.metadata.entry_points(group="console_scripts")
                 if entry.name.startswith("krakenbridge-")}
    assert installed == project["project"]["scripts"]


def test_optionals_are_written_one_way():
    # typing.Optional / typing.Union throughout the client's modules (not `X | None`); the
    # generated protobuf code and the Gal-Friday adapter (which mirrors Gal-Friday's own
    # dataclasses) are not part of this rule.
    import re
    offenders = [f"{path.name}:{number}: {line.strip()}"
                 for path in sorted(PACKAGE.glob("*.py"))
                 for number, line in enumerate(path.read_text().splitlines(), 1)
                 if re.search(r"(:|->)\s*[\w\[\], .\"']+\s\|\s", line) and not line.lstrip().startswith("#")]
    assert offenders == []
