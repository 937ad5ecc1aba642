"""Chinese text puts no spaces between words, so a line break inside a Chinese sentence must
not turn into one. Browsers show a break in HTML as a space, and so does Jupyter in a
notebook's Markdown: `join_lines` removes those breaks, in the built pages' HTML (hooks.py)
and in the notebooks' Markdown (notebooks.py).
"""

from __future__ import annotations

import re

# Chinese characters and the punctuation Chinese text uses: CJK symbols and punctuation
# (。、《》), the unified ideographs, and the full-width forms (，：；（）)
HAN = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
# curly quotes: Chinese text uses them, but so does English, so they count as Chinese only
# next to a Chinese character
QUOTES = "\u2018\u2019\u201c\u201d"
# what may sit between the two characters without changing the rule: HTML tags, and the
# Markdown ** and * of bold and emphasis
MARKUP = r"(?:<[^>\n]+>|\*{1,2})*"

BREAK = re.compile(
    rf"(?P<han>[{HAN}]{MARKUP})\n[ \t]*(?={MARKUP}[{HAN}{QUOTES}])"
    rf"|(?P<quote>[{QUOTES}]{MARKUP})\n[ \t]*(?={MARKUP}[{HAN}])"
)


def join_lines(text: str) -> str:
    """`text` without the line breaks (and the next line's indentation) that fall between two
    Chinese characters, or between a curly quote and a Chinese character, with HTML tags or
    Markdown emphasis allowed on either side. A break next to anything else (a Latin letter,
    a digit, a formula, a list marker, a blank line) stays."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return BREAK.sub(lambda match: match["han"] or match["quote"], text)
