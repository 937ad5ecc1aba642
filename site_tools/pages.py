"""What a page of the built site weighs, for the tests and the benchmark."""

from __future__ import annotations

import re
from pathlib import Path

PICTURE = re.compile(r"<picture>.*?</picture>", re.S)
IMAGE_URL = re.compile(r'<(?:img[^>]* src|source[^>]* srcset)="([^"]+)"')


def page_weight(html: Path) -> int:
    """The page's HTML plus the images a reader's browser loads for it. A <picture>
    offers alternatives (a narrow drawing for phones, a URL fragment for each colour
    scheme, one file for both) of which a browser loads one: the heaviest counts. The
    theme's and KaTeX's files are left out: every page shares them."""
    text = html.read_text("utf-8")

    def files(fragment: str) -> frozenset[Path]:
        return frozenset(
            (html.parent / url.split("#")[0]).resolve()
            for url in IMAGE_URL.findall(fragment)
            if not url.startswith("data:")
        )

    choices = {files(picture) for picture in PICTURE.findall(text)}
    choices |= {frozenset([path]) for path in files(PICTURE.sub("", text))}
    loaded = {max(choice, key=lambda p: p.stat().st_size) for choice in choices if choice}
    return len(text.encode()) + sum(p.stat().st_size for p in loaded)


def pages(site: Path) -> list[Path]:
    """Every page of a built site (both languages), as its index.html."""
    return sorted(site.rglob("index.html"))
