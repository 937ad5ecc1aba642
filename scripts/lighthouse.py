"""Lighthouse scores of every chapter page and notebook page, both languages, desktop and mobile.

A benchmark, not a test: it needs Node (`npm ci` installs Lighthouse 12 from package.json)
and Chromium, and takes about ten minutes. Mobile scores vary from run to run on a busy
machine (Lighthouse simulates a phone from a trace taken on this one), so each mobile
page is measured three times and the median run counts, as Lighthouse's docs advise.
Usage, from the project root with the project's
environment active:

    python scripts/lighthouse.py                   # writes bench/results/lighthouse.json
    python scripts/lighthouse.py minimum notebooks/minimum   # only these pages

It builds the site for a local address (so canonical links point at the pages under test),
serves it as GitHub Pages would, and checks the budget (DEVELOPERS.md): 1.00 in every category on
desktop and 0.90 in performance on mobile.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_tools import course  # noqa: E402
from site_tools.serve import free_port, serve  # noqa: E402

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
# Lighthouse's 4x CPU slowdown turns a host with this benchmarkIndex or more into its
# mid-tier phone (docs/throttling.md: "high-end desktop", 1500-2000); a slower host scores
# lower on mobile for the same page
FAST_HOST = 1500
BUDGET = {"desktop": dict.fromkeys(CATEGORIES, 1.0), "mobile": {"performance": 0.90}}


def pages() -> list[str]:
    """Each chapter's page and its notebook's page (addresses below a language's root)."""
    names = [chapter.page for chapter in course.chapters()]
    return names + [f"notebooks/{name}" for name in names]


def build(url: str, folder: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(folder)],
        cwd=ROOT,
        check=True,
        env={**os.environ, "SITE_URL": url, "NO_MKDOCS_2_WARNING": "1"},
    )


def lighthouse(url: str, form_factor: str, out: Path) -> dict[str, float]:
    binary = ROOT / "node_modules" / ".bin" / "lighthouse"
    command = [
        str(binary),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": chrome})
    report = json.loads(out.read_text(encoding="utf-8"))
    failed = [
        a["id"]
        for a in report["audits"].values()
        if a.get("score") is not None and a["score"] < 1 and a["scoreDisplayMode"] == "binary"
    ]
    scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
    host = round(report["environment"]["benchmarkIndex"])
    return {**scores, "failed_audits": failed, "benchmark_index": host}


def main(chosen: list[str]) -> int:
    if not (ROOT / "node_modules" / ".bin" / "lighthouse").exists():
        print("Lighthouse is not installed: run `npm ci` in the project root first.")
        return 2
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    results, ok = [], True
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(url, site)
        server = serve(site, port)
        try:
            for page in chosen or pages():
                for lang in ("en", "zh"):
                    for form_factor in ("desktop", "mobile"):
                        address = f"{url}{'' if lang == 'en' else 'zh/'}{page}/"
                        runs = 3 if form_factor == "mobile" else 1
                        scores = sorted(
                            (
                                lighthouse(address, form_factor, Path(tmp) / "report.json")
                                for _ in range(runs)
                            ),
                            key=lambda s: s["performance"],
                        )[runs // 2]
                        budget = BUDGET[form_factor]
                        passed = all(scores[c] >= limit for c, limit in budget.items())
                        ok &= passed
                        results.append(
                            {
                                "page": page,
                                "lang": lang,
                                "form_factor": form_factor,
                                **scores,
                                "budget_met": passed,
                            }
                        )
                        print(
                            f"{lang} {page:18} {form_factor:7} "
                            + "  ".join(f"{c} {scores[c]:.2f}" for c in CATEGORIES)
                            + f"   (host CPU {scores['benchmark_index']})"
                            + ("" if passed else "   BUDGET MISSED")
                            + (
                                f"   (failed: {', '.join(scores['failed_audits'])})"
                                if scores["failed_audits"]
                                else ""
                            )
                        )
        finally:
            server.shutdown()
    out = ROOT / "bench" / "results" / "lighthouse.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"budget": BUDGET, "pages": results}, indent=1) + "\n")
    print(f"budget {'met' if ok else 'MISSED'}; scores written to {out.relative_to(ROOT)}")
    slowest = min(r["benchmark_index"] for r in results)
    if slowest < FAST_HOST:
        print(
            f"note: this machine's CPU index went down to {slowest}; Lighthouse's mobile score"
            f" assumes a host of {FAST_HOST} or more (its docs: docs/throttling.md), so mobile"
            " scores here are lower than the budget's reference machine gives"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
