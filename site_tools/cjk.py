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
# full-width punctuation (and the rest of those two blocks): no space before or after it,
# whatever its neighbour is, a formula or a number or a Latin word
PUNCT = "\u3000-\u303f\uff00-\uffef"
# curly quotes: Chinese text uses them, but so does English, so they count as Chinese only
# next to a Chinese character
QUOTES = "\u2018\u2019\u201c\u201d"
# what may sit between the two characters without changing the rule: HTML tags, and the
# Markdown ** and * of bold and emphasis
MARKUP = r"(?:<[^>\n]+>|\*{1,2})*"
# HTML elements that sit inside running text (KaTeX's formulas are spans)
INLINE = (
    r"(?:a|abbr|b|bdi|bdo|br|cite|code|data|dfn|em|i|img|kbd|mark|q|s|samp|small|span"
    r"|strong|sub|sup|time|u|var|wbr)\b"
)
# the start of a line that begins a block of its own, in Markdown or in HTML: a list item,
# a thematic break or setext underline, a heading, a quote, a table row, a fence, display
# math, an admonition, a snippet include, a reference or abbreviation definition, an
# attribute list, an HTML block or comment. A break before one of these is not inside a
# sentence.
BLOCK = (
    r"(?:[-+=#>|]|\*(?:[ \t]|$|\*\*|\[)|_(?:[ \t]|__)|\d+[.)](?:[ \t]|$)|```|~~~|\$\$"
    r"|\\\[|\\begin\{|!!!|\?\?\?|\[[^\]\n]*\]:|\{:|<(?!/?" + INLINE + r"))"
)
# the end of a line that is running text, before a break that full-width punctuation
# follows: not the end of a fence, of display math, of a table row or of a block tag
TEXT_END = r"(?:</?" + INLINE + r"[^>\n]*>|(?<!``)`|[^\s`|>\]])"

BREAK = re.compile(
    rf"(?P<han>[{HAN}]{MARKUP})\n[ \t]*(?={MARKUP}[{HAN}{QUOTES}])"
    rf"|(?P<quote>[{QUOTES}]{MARKUP})\n[ \t]*(?={MARKUP}[{HAN}])"
    rf"|(?P<after>[{PUNCT}]{MARKUP})\n[ \t]*(?!{BLOCK})(?=\S)"
    rf"|(?P<before>{TEXT_END})\n[ \t]*(?={MARKUP}[{PUNCT}])",
    re.M,
)


def join_lines(text: str) -> str:
    """`text` without the line breaks (and the next line's indentation) that fall inside a
    Chinese sentence: between two Chinese characters, between a curly quote and a Chinese
    character, after full-width punctuation (，。：；（）) or before it, with HTML tags or
    Markdown emphasis allowed on either side. A break between a Chinese character and
    anything else (a Latin letter, a digit, a formula) stays, as does a break before a new
    block (a blank line, a list item, a heading, a fence, display math, an HTML block) or
    after one (the end of a fence or of a table row)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return BREAK.sub(lambda m: m["han"] or m["quote"] or m["after"] or m["before"], text)
