"""Let pytest-codeblocks test each chapter exactly as its reader sees it, and each code
block exactly as a reader who copies it runs it.

pytest-codeblocks reads the raw Markdown: it would run `--8<-- "file.py:part"` as Python and
skip fences with attributes. Here it reads the Markdown that the site renders instead,
with includes expanded and fences made plain (site_tools/chapter_source.py), and without
the worked solutions, which the build does not run either: it runs what the build runs.

It would also run each block (with the blocks it continues) inside the test process,
where the project's own modules are importable and earlier tests have left their state.
Here each Python test runs the text that the page's copy button gives for the last block
of its chain (site_tools/continuation.py) in a fresh Python that may import only torch,
matplotlib, numpy and the standard library (site_tools/reader_copy.py). If the whole
chain's copy runs, so does the copy of each block in it: the same statements, in the same
order, stopped earlier. Both languages copy the same text (tests/test_copy.py): a text
that has run once in the session is not run again, and the notebook test that runs a
chapter's cells again (tests/test_notebooks.py) reads the same run.
"""

import io
import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
import pytest_codeblocks.plugin
from pytest_codeblocks.main import extract_from_buffer

from site_tools import continuation
from site_tools.chapter_source import python_fences, reader_markdown, without_solutions
from site_tools.reader_copy import run_copied

os.environ.setdefault("MPLBACKEND", "Agg")  # code blocks may draw; nothing opens a window
# one thread for torch, as the build runs it: tiny networks gain nothing from more, and
# the tests' own processes would otherwise fight over this machine's two cores
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")


def reader_chains(text: str) -> list[str]:
    """The copy of the last block of each chain of a page's Python blocks."""
    codes = [fence.code for fence in python_fences(text)]
    flags = continuation.continues(text)
    starts = continuation.chain_starts(flags) + [None]
    return [
        continuation.copied_text(codes, i, flags)
        for i in range(len(codes))
        if starts[i + 1] != starts[i]
    ]


def extract_from_file(path, encoding="utf-8", *args, **kwargs):
    text = without_solutions(reader_markdown(Path(path).read_text(encoding=encoding)))
    blocks = extract_from_buffer(io.StringIO(text), *args, **kwargs)
    python = [block for block in blocks if block.syntax == "python"]
    chains = reader_chains(text)
    if len(python) != len(chains):
        raise RuntimeError(
            f"{path}: pytest-codeblocks sees {len(python)} chains of Python blocks, "
            f"the page's copy buttons {len(chains)}"
        )
    for block, copied in zip(python, chains, strict=True):
        if block.code.split() != copied.split():
            raise RuntimeError(f"{path}, line {block.lineno}: the chain is not what is copied")
        block.code = copied
    # only Python is run: a shell line such as the home page's `pip install` is checked by
    # tests/test_site.py (it installs what the code imports), not run into this environment
    return python


# copied text -> its run (exit status, what it wrote to stderr), started when the blocks are
# collected: each runs in its own process, one at a time, beside the rest of the suite (which
# leaves a core idle while it waits on Chromium or a server), and each test waits for its own
RUNS: dict[str, Future] = {}
COPIES = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reader-copy")
run_in_process = pytest_codeblocks.plugin.TestBlock.runtest


def is_copied(block) -> bool:
    return block.syntax == "python" and block.expected_output is None and not block.importorskip


def copied_run(code: str) -> tuple[int, str, str]:
    """(exit status, what it printed, what it wrote to stderr)."""
    run = run_copied(code)
    return run.returncode, run.stdout, run.stderr


def reader_run_of(code: str) -> tuple[int, str, str]:
    """The run of `code` in a reader's fresh Python: the one this session started, if any."""
    if code not in RUNS:
        RUNS[code] = COPIES.submit(copied_run, code)
    return RUNS[code].result()


@pytest.fixture(scope="session")
def reader_run():
    """reader_run(code) -> (status, stdout, stderr): `code` run as a reader's fresh Python
    runs it, shared with the code-block tests (a text is run once per session)."""
    return reader_run_of


def pytest_collection_finish(session):
    for item in session.items:
        if not isinstance(item, pytest_codeblocks.plugin.TestBlock):
            continue
        if is_copied(item.obj) and item.obj.code not in RUNS:
            RUNS[item.obj.code] = COPIES.submit(copied_run, item.obj.code)


def pytest_sessionfinish(session):
    for future in RUNS.values():
        future.cancel()
    COPIES.shutdown(wait=True, cancel_futures=True)


def runtest(self):
    block = self.obj
    if not is_copied(block):
        return run_in_process(self)
    status, _, stderr = reader_run_of(block.code)
    if status != 0:
        raise RuntimeError(
            f"{self.name}: what a reader copies does not run in a fresh Python with only "
            f"torch, matplotlib and numpy:\n```\n{block.code[-3000:]}```\n\n{stderr[-3000:]}"
        )


pytest_codeblocks.plugin.extract_from_file = extract_from_file
pytest_codeblocks.plugin.TestBlock.runtest = runtest
