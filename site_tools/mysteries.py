"""Every chapter's mystery network, checked when the site is built.

A chapter's exercises end with a hand-made network shipped as literal weights (`mystery` in
`snippets/<name>_exercises.py`), and its worked solution states the formula the network
computes (`mystery_formula` in `snippets/<name>_solutions.py`). The build runs the chapter's own
check on that formula, `check_mystery(mystery_formula)`: every integer of the stated domain,
every kink, a fine grid between. If any chapter's formula is not its network's, the build
fails, naming it. The check runs in a fresh Python of its own, once per version of the code
(the files the solutions import, followed import by import), like an experiment.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import logging
import sys
import time
from pathlib import Path

from site_tools import cache, jobs
from site_tools.course import ROOT, chapters
from site_tools.experiments import imported_files

log = logging.getLogger("mkdocs.tiny_nets")


def names() -> list[str]:
    """The chapters that have exercises, and so a mystery network (site_tools/course.py)."""
    return [c.name for c in chapters() if c.exercises and c.solutions.is_file()]


def entry() -> Path:
    """The cache entry that says this code's mystery networks were checked."""
    parts = [cache.versions("torch", "matplotlib", "numpy")]
    for name in names():
        for path in sorted(imported_files(ROOT / "snippets" / f"{name}_solutions.py")):
            parts += [path.relative_to(ROOT).as_posix(), path.read_bytes()]
    return cache.cache_root() / "mysteries" / f"{cache.key(*parts)}.json"


def is_checked() -> bool:
    return not names() or cache.read_json(entry()) is not None


def ensure_checked() -> None:
    """Check every chapter's mystery network, unless this code has been checked before;
    jobs.JobFailed naming the chapter whose formula is wrong."""
    path = entry()
    if cache.read_json(path) is not None:
        return
    with cache.locked(path.with_suffix(".lock")):
        if cache.read_json(path) is not None:  # another build checked it meanwhile
            return
        start = time.perf_counter()
        jobs.run_python(["-m", "site_tools.mysteries"], cwd=ROOT, what="the mystery networks")
        log.info(f"mystery networks: checked in {time.perf_counter() - start:.1f} s")
        cache.write_json(path, {"checked": names()})


def check_all() -> list[str]:
    """In the child: each chapter whose stated formula is not its network's, with the check's
    verdict."""
    wrong = []
    for name in names():
        exercises = importlib.import_module(f"snippets.{name}_exercises")
        solutions = importlib.import_module(f"snippets.{name}_solutions")
        said = io.StringIO()
        with contextlib.redirect_stdout(said):
            passed = exercises.check_mystery(solutions.mystery_formula)
        if passed is not True:
            wrong.append(f"{name}: {said.getvalue().strip()}")
    return wrong


if __name__ == "__main__":  # python -m site_tools.mysteries
    jobs.die_with_parent()
    problems = check_all()
    for problem in problems:
        print(f"the mystery network of {problem}")
    sys.exit(1 if problems else 0)
