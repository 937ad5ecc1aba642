"""What a reader copies from a page: every code block of every page, both languages.

A block that stands alone is copied alone (Material's copy button); a block marked as
continuing earlier ones is copied with them by its own button (site_tools/continuation.py
says what it copies; tests/test_browser.py checks that the button, in the browser,
copies exactly that). The code-block tests (conftest.py) run each chain's longest copy in
a fresh Python with only torch, matplotlib and numpy; here: that those are the copies,
that both languages copy the same code, and that the fresh Python refuses the rest.
"""

import math

import pytest
import pytest_codeblocks.plugin

from site_tools import continuation
from site_tools.chapter_source import executed_fences, reader_markdown
from site_tools.reader_copy import run_copied

from helpers import DOCS, PAGES


def page_blocks(page: str, lang: str) -> tuple[list[str], list[bool]]:
    """The page's Python blocks (includes expanded) and which continue earlier ones."""
    markdown = reader_markdown((DOCS[lang] / f"{page}.md").read_text("utf-8"))
    return [fence.code for fence in executed_fences(markdown)], continuation.continues(markdown)


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


@pytest.mark.parametrize("page", PAGES)
def test_both_languages_copy_the_same_code(page):
    assert copies(page, "en") == copies(page, "zh")


def test_the_fresh_python_refuses_what_a_reader_does_not_have():
    refused = run_copied("import snippets.less_than\n")
    assert refused.returncode != 0 and "not torch, matplotlib or numpy" in refused.stderr
    allowed = run_copied("import json, math\nimport numpy\nprint(math.pi, __name__)\n")
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stdout == f"{math.pi} __main__\n"
    failing = run_copied("print(undefined_name)\n")
    assert failing.returncode != 0 and "NameError" in failing.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_the_code_block_tests_run_what_a_reader_copies(page, lang):
    """pytest-codeblocks, as conftest.py sets it up, runs each chain's longest copy."""
    blocks = pytest_codeblocks.plugin.extract_from_file(DOCS[lang] / f"{page}.md")
    ran = [block.code for block in blocks if block.syntax == "python"]
    assert ran == list(longest_copies(page).values())
    assert all(copy in copies(page, lang) for copy in ran)
