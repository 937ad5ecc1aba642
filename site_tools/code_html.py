"""Lighter highlighted code, so that a page's weight budget goes to its content.

Pygments wraps every token of a code block in a span: about 250 bytes of HTML for a line
of 50 characters. Two changes, done on the built HTML of every page:

- Spans that change nothing a reader sees are unwrapped: names (`class="n"`), operators and
  punctuation (`o`, `ow`, `p`), which the theme draws in the code's own colour (the last
  three by extra.css), and whitespace (`class="w"`), which has none. About half of a code
  block's HTML.
- Tokens the theme draws alike share one span: Material gives every kind of string, number,
  keyword or function name one colour of its own (`SAME_LOOK`; tests/test_exercises.py
  checks it and `CODE_COLOURED` against the theme's CSS and the site's). Neighbouring spans
  of one kind, with at most whitespace between them, become one.
- Code in a collapsed block (`<details>`: an exercise's check code and worked solution, which
  a reader opens to read, not to skim) is shown plain, without colours: a fifth of the HTML.
"""

from __future__ import annotations

import re

CODE_BLOCK = re.compile(r'(<div class="[^"]*\bhighlight\b[^"]*"><pre>)(.*?)(</pre>)', re.S)
CODE_COLOURED = ("n", "o", "ow", "p", "w")  # drawn like the code around them, or not at all
INVISIBLE_SPAN = re.compile(r'<span class="(?:' + "|".join(CODE_COLOURED) + r')">([^<]*)</span>')
ANY_SPAN = re.compile(r"<span(?: [^>]*)?>([^<]*)</span>")
COLLAPSED = re.compile(r"<details[ >].*?</details>", re.S)
# Pygments class -> the class the theme draws exactly like it
SAME_LOOK = {c: "k" for c in ("kd", "kn", "kp", "kr", "kt")}
SAME_LOOK |= {c: "nf" for c in ("nc", "ne", "nn")}
SAME_LOOK |= {c: "s" for c in ("s1", "s2", "sb", "sc", "si", "ss")}
SAME_LOOK |= {c: "m" for c in ("mb", "mf", "mh", "mi", "mo")}
CLASS = re.compile(r'<span class="(' + "|".join(SAME_LOOK) + r')">')
NEIGHBOURS = re.compile(r'<span class="(\w+)">([^<]*)</span>(\s*)<span class="\1">')


def lighten(html: str) -> str:
    """`html` with its code's invisible spans unwrapped, spans that look alike merged, and
    collapsed code plain."""
    html = COLLAPSED.sub(lambda m: CODE_BLOCK.sub(plain, m[0]), html)
    return CODE_BLOCK.sub(lambda m: m[1] + lighter(m[2]) + m[3], html)


def lighter(code: str) -> str:
    code = INVISIBLE_SPAN.sub(r"\1", code)
    code = CLASS.sub(lambda m: f'<span class="{SAME_LOOK[m[1]]}">', code)
    while True:  # a run of three or more merges one pair at a time
        merged = NEIGHBOURS.sub(r'<span class="\1">\2\3', code)
        if merged == code:
            return code
        code = merged


def plain(match: re.Match) -> str:
    code = match[2]
    while True:  # spans inside spans: unwrap until none is left
        unwrapped = ANY_SPAN.sub(r"\1", code)
        if unwrapped == code:
            return match[1] + code + match[3]
        code = unwrapped
