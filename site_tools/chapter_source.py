"""A chapter's Markdown as its reader sees it: includes expanded, fences plain.

The site (pymdownx.snippets), the code-block tests (conftest.py) and the notebooks all go
through `reader_markdown`, so the code they run is the code the page shows.

Code inside an admonition of the kind `success` (`??? success "Solution"`) is a worked
solution: the page shows it, but neither the build nor pytest-codeblocks runs it, and the
notebook shows it in a collapsed block instead of a cell (`executed_fences` and
`solution_fences` tell the two apart). Every other Python block runs.
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


# the first line of an admonition: !!! kind "title", or ??? / ???+ when it is collapsible
ADMONITION = re.compile(r"^(?P<indent>[ \t]*)(?P<mark>!!!|\?\?\?\+?)[ \t]+(?P<kind>[\w-]+)")
SOLUTION_KIND = "success"  # `??? success "Solution"`: shown, never run


@dataclass
class Admonition:
    kind: str
    collapsible: bool  # ??? or ???+: a <details> block on the page
    start: int  # line index of its first line
    end: int  # line index of its last body line


def admonitions(text: str) -> list[Admonition]:
    """Every admonition of a Markdown text, nested ones too. Its body is every line after the
    first that is blank or indented deeper than the first, up to its last non-blank line; a
    fence inside it is read whole, so that code lines never end the body."""
    lines = text.split("\n")
    inside_fence = {i for fence in fences(text) for i in range(fence.start + 1, fence.end + 1)}
    found = []
    for i, line in enumerate(lines):
        match = ADMONITION.match(line)
        if not match or i in inside_fence:
            continue
        depth, end = len(match["indent"].expandtabs()), i
        for j in range(i + 1, len(lines)):
            body = lines[j]
            if j in inside_fence or not body.strip():
                end = j if body.strip() else end
                continue
            if len(body) - len(body.lstrip()) <= depth:
                break
            end = j
        found.append(Admonition(match["kind"], match["mark"] != "!!!", i, end))
    return found


def executed_fences(text: str) -> list[Fence]:
    """The Python blocks the build, the notebook and pytest-codeblocks run: all but the
    worked solutions."""
    solutions = solution_lines(text)
    return [f for f in python_fences(text) if f.start not in solutions]


def solution_fences(text: str) -> list[Fence]:
    """The Python blocks of worked solutions: shown on the page, never run there."""
    solutions = solution_lines(text)
    return [f for f in python_fences(text) if f.start in solutions]


def solution_lines(text: str) -> set[int]:
    """The line indices of every solution admonition's body."""
    return {
        i
        for a in admonitions(text)
        if a.kind == SOLUTION_KIND
        for i in range(a.start + 1, a.end + 1)
    }


def without_solutions(text: str) -> str:
    """The text with every worked solution's code blanked out (its lines kept, empty), so
    that pytest-codeblocks runs what the build runs."""
    lines = text.split("\n")
    for fence in solution_fences(text):
        lines[fence.start : fence.end + 1] = [""] * (fence.end + 1 - fence.start)
    return "\n".join(lines)
