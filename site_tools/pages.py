"""What a page of the built site weighs, for the tests and the benchmark."""

from __future__ import annotations

import re
from pathlib import Path

# what a page loads by its own markup: scripts (a widget's when it nears the screen:
# site_tools/widgets.py) and stylesheets (its HTML holds its embedded data); images come
# as <img> or as the alternatives of a <picture>
ASSET_URL = re.compile(
    r'<(?:script[^>]* src|div class="tn-widget"[^>]* data-script)="(?P<script>[^"]+)"'
    r'|<link(?=[^>]* rel="stylesheet")[^>]* href="(?P<css>[^"]+)"'
)
PICTURE = re.compile(r"<picture>.*?</picture>", re.S)
IMAGE_URL = re.compile(r'<(?:img[^>]* src|source[^>]* srcset)="([^"]+)"')


def site_file(html: Path, url: str) -> Path | None:
    url = url.split("#")[0].split("?")[0]
    if not url or url.startswith(("data:", "http:", "https:", "//")):
        return None
    path = (html.parent / url).resolve()
    return path if path.is_file() else None


def loads(html: Path) -> set[Path]:
    """The files a reader's browser loads for a page: its scripts and stylesheets, and its
    images. A <picture> offers alternatives (a narrow drawing for phones, one per colour
    scheme) of which a browser loads one: the heaviest counts."""
    text = html.read_text("utf-8")
    found = {
        path
        for match in ASSET_URL.finditer(text)
        if (path := site_file(html, match["script"] or match["css"]))
    }

    def images(fragment: str) -> frozenset[Path]:
        return frozenset(p for url in IMAGE_URL.findall(fragment) if (p := site_file(html, url)))

    choices = {images(picture) for picture in PICTURE.findall(text)}
    choices |= {frozenset([path]) for path in images(PICTURE.sub("", text))}
    return found | {max(choice, key=lambda p: p.stat().st_size) for choice in choices if choice}


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
