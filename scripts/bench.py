"""Benchmark of Tiny Nets: build times, seed sweeps, the test suite, page weights.

Run from the project root with the project's environment (`make bench` does both):

    python scripts/bench.py               # everything: about 12 minutes on 2 cores
    python scripts/bench.py --quick       # no 1000-seed sweeps, no test-suite run
    python scripts/bench.py --widgets site   # only the widgets' reaction times, on a built site

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
    "widget_reaction_ms": 16,  # one frame at 60 Hz, with the CPU slowed down 4 times
}
CPU_SLOWDOWN = 4  # a phone's CPU, roughly, as Lighthouse's mobile run assumes


def copy_project(to: Path) -> None:
    """A fresh clone, with the working tree's tracked files copied over it (so that edits
    not yet committed are measured too), and the installed node_modules (the Nu Html
    Checker's vnu.jar) linked in: the test suite needs git and vnu.jar as a clone has them."""
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(to)], check=True)
    names = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, names):
        (to / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, to / name)
    if (ROOT / "node_modules").is_dir():
        (to / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)


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


# In the page, for each key press or pointer move that changes a widget's control: the time
# from that key or pointer event (its timeStamp) to the start of the first event it caused
# (input_delay); then, for every event it caused (a range input fires `input` and, from the
# keyboard, `change` in the same task; a select, `change`), the time from the start of that
# event (a capturing listener, before the widget's) to the end of the widget's handlers (this
# listener runs after them: `handled`) and to the end of the style and layout their changes
# need (forced here), summed over those events: the widget's reaction. And the time to the
# next frame, which also waits for the display (next_frame).
MEASURE = """
(() => {
  let cause = 0, start = 0;
  for (const type of ["keydown", "pointerdown", "pointermove", "pointerup"]) {
    addEventListener(type, (event) => (cause = event.timeStamp), true);
  }
  for (const type of ["input", "change"]) {
    addEventListener(type, () => (start = performance.now()), true);
  }
  window.tnReactions = [];
  const actions = new Map(); // the events a key press or pointer move caused
  // on the document, as the events bubble up from a control: after the control's own
  // handlers, and for controls a widget builds anew (another network, another setting)
  for (const type of ["input", "change"]) {
    document.addEventListener(type, (event) => {
      if (!event.target.closest(".tn-widget-ui")) return;
      const [began, caused] = [start, cause];
      const handled = performance.now();
      document.body.getBoundingClientRect();
      const laidOut = performance.now();
      let action = actions.get(caused);
      if (!action) {
        action = { input_delay: began - caused, handled: 0, reaction: 0, events: 0 };
        actions.set(caused, action);
        requestAnimationFrame(() => setTimeout(() => {
          action.next_frame = performance.now() - caused;
          actions.delete(caused);
          window.tnReactions.push(action);
        }));
      }
      action.handled += handled - began;
      action.reaction += laidOut - began;
      action.events += 1;
    });
  }
})();
"""


def widget_reactions(site: Path) -> dict:
    """Every chapter widget of a built site, both languages, in Chromium with the CPU
    slowed down CPU_SLOWDOWN times: how long it takes to react to each control moved by
    keyboard and by pointer (median, 90th percentile and worst of each, in ms)."""
    sys.path.insert(0, str(ROOT))
    from site_tools import course
    from site_tools.serve import free_port, serve

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("widget reactions: skipped, Chromium not found (apt-get install chromium)")
        return {}
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = serve(site, port)
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            for chapter in course.chapters(ROOT):
                if not chapter.widget:
                    continue
                for lang in course.languages(ROOT):
                    prefix = "" if lang == "en" else f"{lang}/"
                    url = f"http://127.0.0.1:{port}/{prefix}{chapter.page}/"
                    results[f"{prefix}{chapter.page}"] = reactions_on(browser, url)
            browser.close()
    finally:
        server.shutdown()
    for page, rows in results.items():
        for row in rows:
            print(
                f"widget {page:14} {row['control']:15} {row['by']:8} {row['events']:3} events"
                + "".join(
                    f"  {key}"
                    + "".join(f" {row[f'{key}_{of}']:5.1f}" for of in ("median", "p90", "max"))
                    for key in ("input_delay", "handled", "reaction", "next_frame")
                )
                + " ms (median, 90th percentile, worst)"
            )
    return results


def reactions_on(browser, url: str) -> list[dict]:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(url, wait_until="load")
    page.locator(".tn-widget").scroll_into_view_if_needed()
    page.wait_for_selector(".tn-widget--live .tn-widget-ui")
    page.evaluate(MEASURE)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    rows = []
    controls = page.locator(".tn-widget-ui input[type=range], .tn-widget-ui select")
    for i in range(controls.count()):
        control = controls.nth(i)
        if not control.is_visible() or control.is_disabled():
            continue  # a control for other settings (a fold of more bits, a second neuron)
        name = control.evaluate("c => c.labels[0].textContent")
        tried = {
            "keyboard": lambda c: by_keyboard(page, c),
            "pointer": lambda c: by_pointer(page, c),
        }
        for by, move in tried.items():
            if by == "pointer" and control.evaluate("c => c.matches('select')"):
                continue  # a list opens under the pointer: nothing to drag
            page.evaluate("window.tnReactions = []")
            move(control)
            page.wait_for_timeout(300)
            events = page.evaluate("window.tnReactions")
            row = {"control": name, "by": by, "events": len(events)}
            for key in ("input_delay", "handled", "reaction", "next_frame"):
                values = sorted(event[key] for event in events)
                row[f"{key}_median"] = round(statistics.median(values), 2)
                row[f"{key}_p90"] = round(values[int(0.9 * (len(values) - 1))], 2)
                row[f"{key}_max"] = round(values[-1], 2)
            rows.append(row)
    page.close()
    return rows


def by_keyboard(page, control) -> None:
    control.focus()
    keys = ["ArrowRight"] * 10 + ["ArrowLeft"] * 10 + ["PageUp", "PageDown"]
    if control.evaluate("c => c.matches('select')"):
        keys = ["ArrowDown", "ArrowUp"] * 4
    for key in keys:
        page.keyboard.press(key)
        page.wait_for_timeout(20)


def by_pointer(page, control) -> None:
    box = control.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 0.2 * box["width"], y)
    page.mouse.down()
    for k in range(1, 31):
        page.mouse.move(box["x"] + (0.2 + 0.02 * k) * box["width"], y)
        page.wait_for_timeout(20)
    page.mouse.up()


def test_suite(project: Path, env: dict) -> float:
    seconds, log = timed(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], project, env
    )
    print(f"{'test_suite':26} {seconds:7.1f} s   {log.strip().splitlines()[-1]}")
    return round(seconds, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="no 1000 seeds, no test suite")
    parser.add_argument(
        "--widgets", type=Path, metavar="SITE", help="only the widgets' reactions, on a built site"
    )
    args = parser.parse_args()
    if args.widgets:
        reactions = widget_reactions(args.widgets.resolve())
        worst = max((r["reaction_p90"] for rows in reactions.values() for r in rows), default=0)
        print(
            f"reaction, 90th percentile: {worst:.1f} ms (budget {BUDGETS['widget_reaction_ms']} ms)"
        )
        return 0 if worst <= BUDGETS["widget_reaction_ms"] else 1
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
        results["widget_reactions"] = widget_reactions(site)
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
    if results["widget_reactions"]:
        checks[
            f"widgets react within {BUDGETS['widget_reaction_ms']} ms ({CPU_SLOWDOWN}× slower CPU)"
        ] = all(
            row["reaction_p90"] <= BUDGETS["widget_reaction_ms"]
            for rows in results["widget_reactions"].values()
            for row in rows
        )
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
