"""A chapter's interactive widget: its script, its data, and where the page shows it.

A chapter has a widget when `site_tools/chapters/<name>.js` exists (site_tools/course.py).
The page marks the place with a block that also holds the static figure, shown to readers
without JavaScript, in print and in the notebook:

    <div class="tn-widget" markdown>
    <figure markdown="span"> ... </figure>
    </div>

The build gives that block the chapter's name, the experiment's `Data` as JSON inside the
page (nothing is fetched: the offline copy opens from file://, where fetch is blocked),
and the scripts: the shared runtime (`overrides/assets/javascripts/widgets.js`, which
starts a widget when it scrolls into view) and the chapter's own script, both plain
JavaScript that runs with nothing else.
"""

from __future__ import annotations

import json
import re

from mkdocs.exceptions import PluginError

from site_tools.course import Chapter

WIDGET = re.compile(r'<div class="tn-widget">')
RUNTIME = "assets/javascripts/widgets.js"
STYLES = "assets/stylesheets/widgets.css"


def script_uri(chapter: Chapter) -> str:
    return f"assets/widgets/{chapter.page}.js"


def data_json(data: dict) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c")  # no "</script>" or "<!--" can end it early


def embed(html: str, chapter: Chapter, data: dict, url_of) -> str:
    """The page's HTML with its widget wired: its name, its data, its scripts.
    `url_of(uri)` gives the address of a site file relative to the page."""
    found = WIDGET.findall(html)
    if len(found) != 1:
        raise PluginError(
            f"{chapter.source('en').name}: chapter {chapter.name} has a widget "
            f'({chapter.widget.name}), so its page needs one <div class="tn-widget" markdown> '
            f"block; found {len(found)}"
        )
    opening = (
        f'<div class="tn-widget" data-widget="{chapter.page}">'
        f'<script type="application/json" class="tn-widget-data">{data_json(data)}</script>'
    )
    scripts = (
        f'<link rel="stylesheet" href="{url_of(STYLES)}">'
        f'<script src="{url_of(RUNTIME)}" defer></script>'
        f'<script src="{url_of(script_uri(chapter))}" defer></script>'
    )
    return WIDGET.sub(opening, html) + scripts
