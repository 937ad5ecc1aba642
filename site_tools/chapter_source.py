"""A chapter's Markdown as its reader sees it: includes expanded, fences plain.

The site (pymdownx.snippets), the code-block tests (conftest.py) and the notebooks all go
through `reader_markdown`, so the code they run is the code the page shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import markdown
from mkdocs.utils.yaml import yaml_load

ROOT = Path(__file__).resolve().parent.parent

# ```python, ```py, ```python title="x", ``` { .python } -> ```python (the site shows all as Python)
PYTHON_FENCE = re.compile(r"^([ \t]*`{3,})[ \t]*\{?[ \t]*\.?(?:python|py)(?![\w-])[^\n]*$", re.M)
FENCE = re.compile(r"^([ \t]*)(`{3,})(.*)$")


@cache
def snippets_config() -> dict:
    """The pymdownx.snippets settings of mkdocs.yml, with base paths made absolute."""
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    for extension in config["markdown_extensions"]:
        if isinstance(extension, dict) and "pymdownx.snippets" in extension:
            settings = dict(extension["pymdownx.snippets"])
            settings["base_path"] = [str(ROOT / p) for p in settings["base_path"]]
            return settings
    raise LookupError("mkdocs.yml does not configure pymdownx.snippets")


def expand_includes(text: str) -> str:
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": snippets_config()},
    )
    return "\n".join(md.preprocessors["snippet"].run(text.split("\n")))


def reader_markdown(text: str) -> str:
    return PYTHON_FENCE.sub(r"\1python", expand_includes(text))


@dataclass
class Fence:
    indent: str
    info: str
    code: str
    start: int  # line index of the opening fence
    end: int  # line index of the closing fence


def fences(text: str) -> list[Fence]:
    """Every fenced block of a Markdown text, in order."""
    lines, found, i = text.split("\n"), [], 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        indent, ticks, info = opening.groups()
        j = i + 1
        while j < len(lines) and not lines[j].startswith(indent + ticks):
            j += 1
        body = [line[len(indent) :] for line in lines[i + 1 : j]]
        found.append(Fence(indent, info.strip(), "\n".join(body), i, j))
        i = j + 1
    return found


def python_fences(text: str) -> list[Fence]:
    return [f for f in fences(PYTHON_FENCE.sub(r"\1python", text)) if f.info == "python"]
