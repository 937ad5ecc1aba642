"""The project's Python is linted and formatted by ruff (settings in pyproject.toml)."""

import re
import subprocess
import sys
import tomllib
from itertools import pairwise

from site_tools.chapter_source import python_fences, reader_markdown

from helpers import DOCS, LANGS, PAGES, ROOT

RUFF = [sys.executable, "-m", "ruff"]


def test_ruff_finds_no_problems():
    result = subprocess.run([*RUFF, "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_formatting_is_applied():
    result = subprocess.run(
        [*RUFF, "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


# What a page's code block holds without scrolling sideways at 1280, 1440 and 1920 px
# (measured in Chromium on the built site); snippets/ruff.toml sets the same line length.
SHOWN_WIDTH = 75


def test_snippets_line_length_is_the_shown_width():
    config = tomllib.loads((ROOT / "snippets" / "ruff.toml").read_text("utf-8"))
    assert config["line-length"] == SHOWN_WIDTH


def test_shown_code_fits_its_block():
    """Every line of every Python block a page shows (includes expanded) fits the block."""
    blocks, too_long = 0, []
    for lang in LANGS:
        for page in PAGES:
            path = DOCS[lang] / f"{page}.md"
            source = path.read_text("utf-8")
            written = [fence.code for fence in python_fences(source)]
            shown = python_fences(reader_markdown(source))
            assert len(written) == len(shown), path
            for number, (directive, fence) in enumerate(zip(written, shown, strict=True), start=1):
                blocks += 1
                for line_number, line in enumerate(fence.code.split("\n"), start=1):
                    if len(line) > SHOWN_WIDTH:
                        too_long.append(
                            f"{path.relative_to(ROOT)}, block {number} "
                            f"({directive.strip()}), line {line_number}: "
                            f"{len(line)} characters: {line.strip()}"
                        )
    assert blocks > 0
    assert not too_long, f"lines longer than {SHOWN_WIDTH} characters:\n" + "\n".join(too_long)


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
