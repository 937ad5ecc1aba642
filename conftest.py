"""Let pytest-codeblocks test each chapter exactly as its reader sees it.

pytest-codeblocks reads the raw Markdown: it would run `--8<-- "file.py:part"` as Python and
skip fences with attributes. Here it reads the Markdown that the site renders instead,
with includes expanded and fences made plain (site_tools/chapter_source.py), and without
the worked solutions, which the build does not run either: it runs what the build runs.
"""

import io
import os
from pathlib import Path

import pytest_codeblocks.plugin
from pytest_codeblocks.main import extract_from_buffer

from site_tools.chapter_source import reader_markdown, without_solutions

os.environ.setdefault("MPLBACKEND", "Agg")  # code blocks may draw; nothing opens a window
# one thread for torch, as the build runs it: tiny networks gain nothing from more, and
# the tests' own processes would otherwise fight over this machine's two cores
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")


def extract_from_file(path, encoding="utf-8", *args, **kwargs):
    text = without_solutions(reader_markdown(Path(path).read_text(encoding=encoding)))
    return extract_from_buffer(io.StringIO(text), *args, **kwargs)


pytest_codeblocks.plugin.extract_from_file = extract_from_file
