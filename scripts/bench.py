"""Benchmark of Tiny Nets: build times, seed sweeps, the test suite, page weights.

Run from the project root with the project's environment (`make bench` does both):

    python scripts/bench.py               # everything: about 12 minutes on 2 cores
    python scripts/bench.py --quick       # no 1000-seed sweeps, no test-suite run

It works on a copy of the project's tracked files, with an empty build cache of its own,
so it measures what a fresh clone costs and never touches your files or your cache.
Results go to bench/results/bench.json; the table it prints says which budgets pass.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGETS = {  # seconds, or bytes for pages
    "clean_build": 90,
    "cached_rebuild": 10,
    "test_suite": 480,
    "chapter_page": 300_000,
    "notebook_page": 400_000,
    "sweep_100_vs_1": 3.0,  # 100 seeds cost at most 3 times 1 seed
}


def copy_project(to: Path) -> None:
    """The tracked files only, as a fresh clone has them."""
    names = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, names):
        (to / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, to / name)


def timed(command: list[str], cwd: Path, env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    run = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if run.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{run.stdout[-3000:]}{run.stderr[-3000:]}")
    return seconds, run.stdout + run.stderr


def what_ran(log: str) -> list[str]:
    """The experiments and notebook runs a build log reports."""
    return [
        line.split("-  ", 1)[1]
        for line in log.splitlines()
        if "experiment " in line and " ran in " in line or "executed " in line
    ]


def builds(project: Path, env: dict, site: Path) -> dict:
    build = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    results = {}
    sys.path.insert(0, str(ROOT))
    from site_tools import course

    chapter = course.chapters(project)[0]  # any chapter will do: the first one
    page, module = (
        p.relative_to(project).as_posix() for p in (chapter.source("en"), chapter.module)
    )
    for name, edit in [
        ("clean_build", None),
        ("cached_rebuild", None),
        ("after_prose_edit", (page, "\nOne more sentence of prose.\n")),
        ("after_code_edit", (module, f"\n# an edit to {chapter.name}'s code\n")),
    ]:
        if edit:
            with (project / edit[0]).open("a", encoding="utf-8") as file:
                file.write(edit[1])
        seconds, log = timed(build, project, env)
        results[name] = {"seconds": round(seconds, 2), "ran": what_ran(log)}
        print(f"{name:26} {seconds:7.1f} s   ran: {', '.join(what_ran(log)) or 'nothing'}")
    results["edited_chapter"] = chapter.name
    return results


def sweeps(sizes: list[int]) -> dict:
    """Each seed sweep a chapter runs (its experiment's `benchmarks()`), for 1, 100 (and
    1000) seeds, and one seed trained alone."""
    import importlib

    sys.path.insert(0, str(ROOT))
    from site_tools import course

    runs = {}
    for chapter in course.chapters():
        module = importlib.import_module(f"site_tools.chapters.{chapter.name}")
        if hasattr(module, "benchmarks"):
            runs.update(module.benchmarks())
    results = {}
    warm_up = True
    for name, (sweep, alone) in runs.items():
        if warm_up:  # pay torch's one-off optimizer set-up outside the timings
            alone()
            warm_up = False
        row = {}
        start = time.perf_counter()
        alone()
        row["one_seed_trained_alone"] = round(time.perf_counter() - start, 2)
        for k in sizes:
            times = []
            for _ in range(3 if k <= 100 else 1):  # this machine is noisy: the median of 3
                start = time.perf_counter()
                sweep(list(range(k)))
                times.append(time.perf_counter() - start)
            row[f"{k}_seeds"] = round(statistics.median(times), 2)
        row["ratio_100_vs_1"] = round(row["100_seeds"] / row["1_seeds"], 2)
        row["ratio_100_vs_alone"] = round(row["100_seeds"] / row["one_seed_trained_alone"], 2)
        results[name] = row
        print(f"{name:26} " + "  ".join(f"{k} {v}" for k, v in row.items()))
    return results


def page_weights(site: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    from site_tools.pages import page_weights

    return {str(p.parent.relative_to(site)): w for p, w in page_weights(site).items()}


def test_suite(project: Path, env: dict) -> float:
    seconds, log = timed(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], project, env
    )
    print(f"{'test_suite':26} {seconds:7.1f} s   {log.strip().splitlines()[-1]}")
    return round(seconds, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="no 1000 seeds, no test suite")
    args = parser.parse_args()
    results = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        }
    }
    with tempfile.TemporaryDirectory() as tmp:
        project, cache, site = Path(tmp) / "project", Path(tmp) / "cache", Path(tmp) / "site"
        copy_project(project)
        env = {
            **os.environ,
            "PYTHONPATH": str(project),
            "TINY_NETS_CACHE": str(cache),
            "NO_MKDOCS_2_WARNING": "1",
        }
        results["builds"] = builds(project, env, site)
        results["page_weights"] = page_weights(site)
        results["sweeps"] = sweeps([1, 100] if args.quick else [1, 100, 1000])
        if not args.quick:
            fresh = {**env, "TINY_NETS_CACHE": str(Path(tmp) / "test-cache")}
            results["test_suite_seconds"] = test_suite(project, fresh)

    checks = {
        "clean build ≤ 90 s": results["builds"]["clean_build"]["seconds"] <= 90,
        "cached rebuild ≤ 10 s": results["builds"]["cached_rebuild"]["seconds"] <= 10,
        "prose edit trains nothing": not results["builds"]["after_prose_edit"]["ran"],
        "code edit retrains only its chapter": any(
            "experiment " in r for r in results["builds"]["after_code_edit"]["ran"]
        )
        and all(
            results["builds"]["edited_chapter"] in r or "code blocks" in r
            for r in results["builds"]["after_code_edit"]["ran"]
        ),
        "chapter pages ≤ 300 KB": all(
            w <= BUDGETS["chapter_page"]
            for p, w in results["page_weights"].items()
            if "notebooks" not in p
        ),
        "notebook pages ≤ 400 KB": all(
            w <= BUDGETS["notebook_page"]
            for p, w in results["page_weights"].items()
            if "notebooks" in p
        ),
        "100 seeds ≤ 3 × 1 seed, every sweep": all(
            row["ratio_100_vs_1"] <= BUDGETS["sweep_100_vs_1"] for row in results["sweeps"].values()
        ),
    }
    if "test_suite_seconds" in results:
        checks["test suite ≤ 8 min"] = results["test_suite_seconds"] <= BUDGETS["test_suite"]
    results["budgets"] = {name: "pass" if ok else "FAIL" for name, ok in checks.items()}
    print("\nbudgets:")
    for name, verdict in results["budgets"].items():
        print(f"  {verdict:4}  {name}")
    print("\npage weights (KB):")
    for page, weight in results["page_weights"].items():
        print(f"  {weight / 1000:6.0f}  {page}")
    out = ROOT / "bench" / "results" / "bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
