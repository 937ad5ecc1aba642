"""What a page of the built site weighs, for the tests and the benchmark."""

from __future__ import annotations

import re
from pathlib import Path

# what a page loads: images, scripts, stylesheets (its HTML holds its embedded data)
LOADS = re.compile(
    r'<img[^>]* src="(?P<img>[^"]+)"'
    r'|<script[^>]* src="(?P<script>[^"]+)"'
    r'|<link(?=[^>]* rel="stylesheet")[^>]* href="(?P<css>[^"]+)"'
)


def loads(html: Path) -> set[Path]:
    """The files of the site that a page loads (by its own markup)."""
    found = set()
    for match in LOADS.finditer(html.read_text("utf-8")):
        src = next(v for v in match.groupdict().values() if v).split("#")[0].split("?")[0]
        if src.startswith(("data:", "http:", "https:", "//")):
            continue
        path = (html.parent / src).resolve()
        if path.is_file():
            found.add(path)
    return found


def page_weight(html: Path, shared: set[Path] = frozenset()) -> int:
    """The page's HTML plus every image, script and stylesheet it loads that is not in
    `shared` (what every page of its site loads: the theme's files, KaTeX's CSS)."""
    return len(html.read_bytes()) + sum(p.stat().st_size for p in loads(html) - set(shared))


def pages(site: Path) -> list[Path]:
    """Every page of a built site (both languages), as its index.html."""
    return sorted(site.rglob("index.html"))


def page_weights(site: Path) -> dict[Path, int]:
    """Every page's weight. What all pages of one language's site load is shared; a
    language's site is its own folder (site/ and site/zh/)."""
    languages: dict[Path, list[Path]] = {}
    nested = {p.parent for p in site.glob("*/sitemap.xml")}  # the other languages' roots
    for page in pages(site):
        root = next((r for r in nested if page.is_relative_to(r)), site)
        languages.setdefault(root, []).append(page)
    weights = {}
    for group in languages.values():
        shared = set.intersection(*(loads(page) for page in group))
        weights.update({page: page_weight(page, shared) for page in group})
    return weights
