"""What a page of the built site weighs, for the tests and the benchmark."""

from __future__ import annotations

import re
from pathlib import Path


def page_weight(html: Path) -> int:
    """The page's HTML plus the images it loads. The theme's and KaTeX's files are left
    out: every page shares them."""
    text = html.read_text("utf-8")
    images = {
        (html.parent / src).resolve()
        for src in re.findall(r'<img[^>]* src="([^"]+)"', text)
        if not src.startswith("data:")
    }
    return len(text.encode()) + sum(p.stat().st_size for p in images)


def pages(site: Path) -> list[Path]:
    """Every page of a built site (both languages), as its index.html."""
    return sorted(site.rglob("index.html"))
