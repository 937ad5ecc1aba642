"""The project's Python is linted and formatted by ruff (settings in pyproject.toml)."""

import subprocess
import sys

from helpers import ROOT

RUFF = [sys.executable, "-m", "ruff"]


def test_ruff_finds_no_problems():
    result = subprocess.run([*RUFF, "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_formatting_is_applied():
    result = subprocess.run(
        [*RUFF, "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
