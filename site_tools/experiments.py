"""Run each chapter's experiment at most once per build, cached on disk by its code.

An experiment is the `run(out_dir)` function of `site_tools/chapters/<name>.py`: it trains
with the course code in `snippets/`, saves its figures as SVG files in `out_dir` and
returns the numbers the chapter quotes. Its cache key is a hash of every file that can
change its results (listed in EXPERIMENTS) and of the torch and matplotlib versions, so a
prose edit reuses the cache and a code edit reruns only the chapters it touches.
Nothing here imports torch: a cached build never pays for it.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from site_tools.results import Data, Quoted, check_json

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = Path(os.environ.get("TINY_NETS_CACHE", ROOT / ".cache")) / "experiments"
COMMON_FILES = ["site_tools/figures.py", "site_tools/results.py"]

# experiment name -> the files, besides COMMON_FILES, whose content decides its results
EXPERIMENTS: dict[str, list[str]] = {
    "less_than": ["site_tools/chapters/less_than.py", "snippets/less_than.py"],
    "minimum": ["site_tools/chapters/minimum.py", "snippets/minimum.py", "snippets/sweep.py"],
    "parity": ["site_tools/chapters/parity.py", "snippets/parity.py", "snippets/sweep.py"],
}

log = logging.getLogger("mkdocs.tiny_nets")


@dataclass(frozen=True)
class Result:
    name: str
    values: dict[str, Quoted]  # what the prose quotes: .text for pages, .value for tests
    data: dict[str, Any]  # JSON for widgets
    figures: dict[str, Path]  # figure name -> SVG file in the cache

    def value(self, key: str) -> Any:
        return self.values[key].value

    def text(self, key: str) -> str:
        return self.values[key].text


def cache_key(name: str) -> str:
    digest = hashlib.sha256()
    for rel in [*COMMON_FILES, *EXPERIMENTS[name]]:
        digest.update(rel.encode() + b"\0" + (ROOT / rel).read_bytes() + b"\0")
    for package in ("torch", "matplotlib", "numpy"):
        digest.update(f"{package}=={version(package)}\0".encode())
    return digest.hexdigest()[:16]


def _load(folder: Path, name: str) -> Result:
    values = json.loads((folder / "values.json").read_text(encoding="utf-8"))
    data = json.loads((folder / "data.json").read_text(encoding="utf-8"))
    figures = {p.stem: p for p in sorted(folder.glob("*.svg"))}
    quoted = {key: Quoted(v["value"], v["text"]) for key, v in values.items()}
    return Result(name, quoted, data, figures)


def _run(name: str, folder: Path) -> None:
    """Run one experiment into a fresh folder, then move it into place whole."""
    module = importlib.import_module(f"site_tools.chapters.{name}")
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=folder.parent))
    try:
        start = time.perf_counter()
        returned = module.run(tmp)
        bad = {k: v for k, v in returned.items() if not isinstance(v, (Quoted, Data))}
        if bad:
            raise TypeError(f"experiment {name!r} must return Quoted or Data values, got {bad}")
        values = {k: vars(v) for k, v in returned.items() if isinstance(v, Quoted)}
        data = {k: v.value for k, v in returned.items() if isinstance(v, Data)}
        for file, content in [("values.json", values), ("data.json", data)]:
            check_json(content, f"experiment {name!r}")
            text = json.dumps(content, indent=1, sort_keys=True, ensure_ascii=False)
            (tmp / file).write_text(text, encoding="utf-8")
        log.info(f"experiment {name}: ran in {time.perf_counter() - start:.1f} s")
        os.replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


_memo: dict[tuple[str, str], Result] = {}


def folder_of(name: str) -> Path:
    return CACHE_DIR / f"{name}-{cache_key(name)}"


def missing() -> list[str]:
    """The experiments whose current code has no result in the cache yet."""
    return [name for name in EXPERIMENTS if not (folder_of(name) / "values.json").exists()]


# torch with one thread: tiny networks gain nothing from more, and two runs side by side
# with a thread pool each would fight over the cores
ONE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def run_in_subprocess(name: str) -> None:
    """Run one experiment in a Python of its own, so that two can use two cores."""
    command = [sys.executable, "-m", "site_tools.experiments", name]
    subprocess.run(command, check=True, env={**os.environ, **ONE_THREAD})


def result(name: str) -> Result:
    """The experiment's result: from memory, else from the disk cache, else by running it."""
    key = cache_key(name)
    if (name, key) not in _memo:
        folder = CACHE_DIR / f"{name}-{key}"
        if not (folder / "values.json").exists():
            _run(name, folder)
        _memo[name, key] = _load(folder, name)
    return _memo[name, key]


def all_results() -> dict[str, Result]:
    return {name: result(name) for name in EXPERIMENTS}


if __name__ == "__main__":  # python -m site_tools.experiments NAME ...: fill the cache
    logging.basicConfig(level=logging.INFO, format="INFO    -  %(message)s")
    for experiment in sys.argv[1:]:
        result(experiment)
