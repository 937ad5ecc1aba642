"""Code blocks that continue earlier ones, marked on the page, with a button that copies
such a block together with everything it needs.

A chapter marks a Python block that runs only after the blocks before it with
`<!--pytest-codeblocks:cont-->` (pytest-codeblocks then runs it glued to them). Such a
block needs every block back to the last one without the mark: its chain. The build
numbers the page's Python blocks (`data-tn-block`), puts a note in the page's language
above each continuing block, and a button (`data-tn-from`, `data-tn-to`) that
overrides/assets/javascripts/tiny-nets.js turns into "copy blocks from..to": what the
reader pastes into a fresh Python then runs.

Only blocks that run are numbered and chained: a worked solution (`??? success`, see
site_tools/chapter_source.py) is shown but never run, so it is no link of a chain, and a
block after it that continues goes on from the last block that ran. The mark may stand
before the box a block opens (`<!--pytest-codeblocks:cont-->`, then `??? note "Check code"`,
then the fence), where pytest-codeblocks reads it too.
"""

from __future__ import annotations

import html
import re

from site_tools.chapter_source import ADMONITION, PYTHON_FENCE, executed_fences, python_fences

CONT = re.compile(r"^[ \t]*<!--\s*pytest-codeblocks:cont\s*-->[ \t]*$")
CONT_COMMENT = re.compile(r"<!--\s*pytest-codeblocks:cont\s*-->\s*")
# a Python block as the site writes it: on a page, and on a notebook's page
BLOCK = re.compile(r'<div class="(?:language-python highlight|highlight hl-python)"')
JOIN = "\n\n\n"  # between blocks copied together: two blank lines, as between functions


def continues(markdown: str) -> list[bool]:
    """For each Python block of a page's Markdown (includes expanded) that runs, whether it
    is marked as continuing the blocks before it."""
    text = PYTHON_FENCE.sub(r"\1python", markdown)
    lines = text.split("\n")
    flags = []
    for fence in executed_fences(text):
        before = fence.start - 1
        while before >= 0 and not lines[before].strip():
            before -= 1
        if before >= 0 and ADMONITION.match(lines[before]):  # the box's first line
            before -= 1
            while before >= 0 and not lines[before].strip():
                before -= 1
        flags.append(before >= 0 and bool(CONT.match(lines[before])))
    return flags


def runs(markdown: str) -> list[bool]:
    """For each Python block of a page's Markdown (includes expanded), whether it runs (all
    but the worked solutions): the blocks `continues` speaks of."""
    text = PYTHON_FENCE.sub(r"\1python", markdown)
    ran = {fence.start for fence in executed_fences(text)}
    return [fence.start in ran for fence in python_fences(text)]


def chain_starts(flags: list[bool]) -> list[int]:
    """For each block, the first block of its chain (itself when it does not continue)."""
    starts: list[int] = []
    for i, flag in enumerate(flags):
        starts.append(starts[i - 1] if flag and i else i)
    return starts


def copied_text(codes: list[str], index: int, flags: list[bool]) -> str:
    """What the button of block `index` copies (what tiny-nets.js puts together)."""
    start = chain_starts(flags)[index]
    return JOIN.join(code.rstrip("\n") for code in codes[start : index + 1]) + "\n"


def mark(
    page_html: str, flags: list[bool], strings: dict, where: str, ran: list[bool] | None = None
) -> str:
    """Number the page's Python blocks that run and put the note and the button above each
    block that continues earlier ones. `flags` (from `continues`) and `ran` (from `runs`: the
    page's blocks, solutions included; all run if None) come from the page's source, in
    block order."""
    from mkdocs.exceptions import PluginError

    page_html = CONT_COMMENT.sub("", page_html)
    blocks = list(BLOCK.finditer(page_html))
    ran = [True] * len(flags) if ran is None else ran
    if len(blocks) != len(ran) or sum(ran) != len(flags):
        raise PluginError(
            f"{where}: {len(ran)} Python blocks in the source ({len(flags)} run), "
            f"{len(blocks)} on the page"
        )
    starts = chain_starts(flags)
    out, at, i = [], 0, 0
    for block, runs_here in zip(blocks, ran, strict=True):
        out.append(page_html[at : block.start()])
        at = block.start()
        if not runs_here:  # a worked solution: shown, no link of any chain
            continue
        if flags[i] and starts[i] < i:
            out.append(note(starts[i], i, strings))
        out.append(f'{block[0]} data-tn-block="{i}"')
        at, i = block.end(), i + 1
    out.append(page_html[at:])
    return "".join(out)


def note(start: int, index: int, strings: dict) -> str:
    done = html.escape(strings["copied_with_prerequisites"])
    return (
        f'<p class="tn-cont">{html.escape(strings["continues"])}'
        f'<button type="button" class="md-button tn-cont__copy" data-tn-from="{start}" '
        f'data-tn-to="{index}" data-tn-done="{done}" hidden>'
        f"{html.escape(strings['copy_with_prerequisites'])}</button></p>\n"
    )
