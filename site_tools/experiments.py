"""Each chapter's experiment, run at most once per version of its code, cached on disk.

An experiment is the `run(out_dir)` function of a chapter's `site_tools/chapters/<name>.py`:
it trains with the course code in `snippets/`, saves its figures in `out_dir` (with
`figures.save`: SVG files for the site, beside each a PNG for the notebooks) and returns
the numbers its page quotes (`Quoted`) and data for its widget (`Data`).

Its cache key covers every file of the project that the experiment imports, followed
import by import (so a module a chapter starts to use is covered without anyone listing
it), and the versions of Python, torch, matplotlib and numpy. An experiment always runs in
a fresh Python of its own, with one thread: the numbers never depend on what the build
process imported before, or on how many experiments ran side by side. Nothing here
imports torch: a cached build never pays for it.
"""

from __future__ import annotations

import ast
import json
import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_tools import cache, jobs
from site_tools.course import ROOT, Chapter, chapters
from site_tools.results import Data, Quoted, check_json

FORMAT = "4"  # of the files an entry holds (4: the figures' PNGs): a change invalidates all
RUNNER = [Path(__file__), Path(jobs.__file__)]  # the code that runs an experiment
log = logging.getLogger("mkdocs.tiny_nets")


@dataclass(frozen=True)
class Result:
    name: str
    values: dict[str, Quoted]  # what the prose quotes: .text for pages, .value for tests
    data: dict[str, Any]  # JSON for widgets
    figures: dict[str, Path]  # figure name -> SVG file in the cache (its PNG beside it)

    def value(self, key: str) -> Any:
        return self.values[key].value

    def text(self, key: str) -> str:
        return self.values[key].text


def module_file(name: str, root: Path) -> Path | None:
    """The project file of a dotted module name, or None for a module from elsewhere."""
    base = root.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def imported_files(start: Path, root: Path = ROOT) -> list[Path]:
    """`start` and every file of the project it imports, directly or not, in order."""
    seen, queue = [], [start]
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.append(path)
        queue += [found for found in direct_imports(path, root) if found not in seen]
    return seen


_parsed: dict[tuple[Path, Path], tuple[bytes, list[Path]]] = {}


def direct_imports(path: Path, root: Path) -> list[Path]:
    """The project's files that `path` imports itself. A page asks for every key of every
    experiment, so the answer is kept for as long as the file's content is the same."""
    content = path.read_bytes()
    known = _parsed.get((path, root))
    if known and known[0] == content:
        return known[1]
    found = []
    for node in ast.walk(ast.parse(content.decode("utf-8"), str(path))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            parts = name.split(".")  # a.b.c imports the packages a and a.b too
            for i in range(1, len(parts) + 1):
                module = module_file(".".join(parts[:i]), root)
                if module and module not in found:
                    found.append(module)
    _parsed[(path, root)] = (content, found)
    return found


def cache_key(chapter: Chapter) -> str:
    files = imported_files(chapter.experiment, chapter.root)
    parts = [FORMAT, cache.versions("torch", "matplotlib", "numpy")]
    for runner in RUNNER:  # how it is run: its process, threads and float settings
        parts.append(runner.read_bytes())
    for path in sorted(files):
        parts += [path.relative_to(chapter.root).as_posix(), path.read_bytes()]
    return cache.key(*parts)


def folder_of(chapter: Chapter) -> Path:
    return cache.cache_root() / "experiments" / f"{chapter.name}-{cache_key(chapter)}"


def is_cached(chapter: Chapter) -> bool:
    return cache.problem(folder_of(chapter)) is None


def ensure(chapter: Chapter) -> Path:
    """The chapter's verified cache entry, running its experiment if it has none."""
    folder = folder_of(chapter)

    def fill(tmp: Path) -> None:
        start = time.perf_counter()
        args = ["-m", "site_tools.experiments", chapter.name, str(tmp)]
        jobs.run_python(args, cwd=chapter.root, what=f"experiment {chapter.name}")
        log.info(f"experiment {chapter.name}: ran in {time.perf_counter() - start:.1f} s")

    lock = folder.parent / f"{chapter.name}.lock"
    return cache.publish_folder(folder, fill, lock)


_memo: dict[Path, Result] = {}


def load(folder: Path, name: str) -> Result:
    values = json.loads((folder / "values.json").read_text(encoding="utf-8"))
    data = json.loads((folder / "data.json").read_text(encoding="utf-8"))
    figures = {p.stem: p for p in sorted(folder.glob("*.svg"))}
    quoted = {key: Quoted(**v) for key, v in values.items()}
    return Result(name, quoted, data, figures)


def result(name: str, root: Path = ROOT) -> Result:
    """The experiment's result: from memory, else from the cache (verified), else by
    running it."""
    chapter = Chapter(name, root)
    folder = folder_of(chapter)
    if folder not in _memo:
        _memo[folder] = load(ensure(chapter), name)
    return _memo[folder]


def forget() -> None:
    """Verify the cache again on the next request (each build starts with this)."""
    _memo.clear()


def all_results(root: Path = ROOT) -> dict[str, Result]:
    return {chapter.name: result(chapter.name, root) for chapter in chapters(root)}


def run_experiment(name: str, out: Path) -> None:
    """In the child process: run one experiment into `out`."""
    import importlib

    module = importlib.import_module(f"site_tools.chapters.{name}")
    returned = module.run(out)
    if not isinstance(returned, dict):
        raise TypeError(f"experiment {name!r} must return a dict, got {type(returned).__name__}")
    bad = {k: v for k, v in returned.items() if not isinstance(v, (Quoted, Data))}
    if bad:
        raise TypeError(f"experiment {name!r} must return Quoted or Data values, got {bad}")
    values = {k: vars(v) for k, v in returned.items() if isinstance(v, Quoted)}
    data = {k: v.value for k, v in returned.items() if isinstance(v, Data)}
    for file, content in [("values.json", values), ("data.json", data)]:
        check_json(content, f"experiment {name!r}")
        text = json.dumps(content, indent=1, sort_keys=True, ensure_ascii=False)
        (out / file).write_text(text, encoding="utf-8")


if __name__ == "__main__":  # python -m site_tools.experiments NAME OUT_DIR
    jobs.die_with_parent()
    run_experiment(sys.argv[1], Path(sys.argv[2]))
