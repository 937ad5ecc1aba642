"""The project's Python is linted and formatted by ruff (settings in pyproject.toml)."""

import re
import subprocess
import sys
from itertools import pairwise

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


def test_shown_sections_start_with_code():
    """A page shows a section without its leading blank lines (the highlighter drops them),
    so a section that starts with one would show other text than its source."""
    blank_starts = [
        f"{path.name}:{number}"
        for path in sorted((ROOT / "snippets").glob("*.py"))
        for number, (line, after) in enumerate(
            pairwise(path.read_text("utf-8").splitlines()), start=1
        )
        if re.fullmatch(r"\s*# --8<-- \[start:[\w-]+\]", line) and not after.strip()
    ]
    assert blank_starts == []


def test_no_merge_conflict_is_left():
    markers = re.compile(r"^(<{7} |={7}$|>{7} )", re.M)
    left = [
        str(path.relative_to(ROOT))
        for folder in ("docs", "snippets", "site_tools", "tests", "overrides", "scripts")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.is_file()
        and path.suffix in {".md", ".py", ".js", ".css", ".html", ".yml", ".txt"}
        and "vendor" not in path.parts
        and markers.search(path.read_text("utf-8", errors="replace"))
    ]
    left += [
        name
        for name in ("README.md", "mkdocs.yml", "mkdocs.zh.yml", "Makefile")
        if markers.search((ROOT / name).read_text("utf-8"))
    ]
    assert left == []
