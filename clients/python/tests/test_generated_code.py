"""The committed Swift and Python code matches proto-schemas/ (regenerated with pinned tools)."""

import subprocess

import pytest

from conftest import ROOT


@pytest.mark.timeout(900)  # the first run builds protoc-gen-swift (scripts/test.sh builds it beforehand)
def test_generated_code_is_fresh():
    result = subprocess.run(["bash", str(ROOT / "scripts" / "gen-protos.sh"), "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "generated code is fresh" in result.stdout
