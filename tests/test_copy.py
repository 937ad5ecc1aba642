"""What a reader copies from a page runs in a fresh Python with only torch, matplotlib and
numpy: every code block of every page, both languages.

A block that stands alone is copied alone (Material's copy button); a block marked as
continuing earlier ones is copied with them by its own button (site_tools/continuation.py
puts it together at build time as tiny-nets.js does in the browser;
tests/test_browser.py checks that the button copies exactly this text).

Running every block's copy would run the start of a chain again for each of its blocks.
The copy of a block is the copy of the block before it in its chain followed by more
statements: if the longest copy of a chain runs without an error, so does every shorter
one (the same statements, in the same order, from the same fresh start). So each chain's
longest copy runs, once: the two languages copy the same text.
"""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from site_tools import continuation
from site_tools.chapter_source import python_fences, reader_markdown

from helpers import DOCS, PAGES

# the copied code's own imports may name only these and the standard library; what
# torch or matplotlib import for themselves is theirs
GUARD = """
import builtins, sys
ALLOWED = {"torch", "matplotlib", "numpy"} | set(sys.stdlib_module_names)
real_import = builtins.__import__
def guarded(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0 and name.split(".")[0] not in ALLOWED:
        raise ImportError(f"the copied code imports {name}: not torch, matplotlib or numpy")
    return real_import(name, globals, locals, fromlist, level)
code = sys.stdin.read()
scope = {"__name__": "__main__", "__builtins__": {**vars(builtins), "__import__": guarded}}
exec(compile(code, "<copied from the page>", "exec"), scope)
"""


def page_blocks(page: str, lang: str) -> tuple[list[str], list[bool]]:
    """The page's Python blocks (includes expanded) and which continue earlier ones."""
    markdown = reader_markdown((DOCS[lang] / f"{page}.md").read_text("utf-8"))
    return [fence.code for fence in python_fences(markdown)], continuation.continues(markdown)


def copies(page: str, lang: str) -> list[str]:
    """What a reader copies from each Python block of the page, in order."""
    codes, flags = page_blocks(page, lang)
    return [continuation.copied_text(codes, i, flags) for i in range(len(codes))]


def longest_copies(page: str) -> dict[int, str]:
    """Each chain's longest copy, that of its last block: {block: text}."""
    codes, flags = page_blocks(page, "en")
    starts = continuation.chain_starts(flags) + [None]
    return {
        i: continuation.copied_text(codes, i, flags)
        for i in range(len(codes))
        if starts[i + 1] != starts[i]
    }


def run_fresh(code: str, folder) -> subprocess.CompletedProcess:
    """`python -I` (no project folder, no PYTHONPATH, no user packages) in an empty
    folder, the code on its standard input."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(MPLBACKEND="Agg", OMP_NUM_THREADS="1")
    return subprocess.run(
        [sys.executable, "-I", "-c", GUARD],
        input=code,
        capture_output=True,
        text=True,
        cwd=folder,
        env=env,
        timeout=600,
    )


@pytest.mark.parametrize("page", PAGES)
def test_both_languages_copy_the_same_code(page):
    assert copies(page, "en") == copies(page, "zh")


def test_the_guard_refuses_what_a_reader_does_not_have(tmp_path):
    refused = run_fresh("import snippets.less_than\n", tmp_path)
    assert refused.returncode != 0 and "not torch, matplotlib or numpy" in refused.stderr
    allowed = run_fresh("import json, math\nimport numpy\nprint(math.pi)\n", tmp_path)
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stdout.startswith("3.14")


@pytest.fixture(scope="session")
def fresh_runs(tmp_path_factory) -> dict[tuple[str, int], subprocess.CompletedProcess]:
    """Each page's longest copies, run two at a time (one per core)."""
    jobs = {(page, i): code for page in PAGES for i, code in longest_copies(page).items()}
    folders = {key: tmp_path_factory.mktemp("copied") for key in jobs}
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = {key: pool.submit(run_fresh, code, folders[key]) for key, code in jobs.items()}
        return {key: run.result() for key, run in runs.items()}


@pytest.mark.parametrize("page", PAGES)
def test_what_a_reader_copies_runs_in_a_fresh_python(fresh_runs, page):
    runs = {i: run for (name, i), run in fresh_runs.items() if name == page}
    if not python_fences(reader_markdown((DOCS["en"] / f"{page}.md").read_text("utf-8"))):
        assert runs == {}
        return
    assert runs, "no copy was run"
    for i, run in runs.items():
        assert run.returncode == 0, f"{page}, copy {i}:\n{run.stderr[-3000:]}"
