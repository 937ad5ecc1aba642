"""A chapter's interactive widget: its script, its data, and where the page shows it.

A chapter has a widget when `site_tools/chapters/<name>.js` exists (site_tools/course.py).
The page marks the place with a block that also holds the static figure, shown to readers
without JavaScript, in print and in the notebook:

    <div class="tn-widget" markdown>
    <figure markdown="span"> ... </figure>
    </div>

The build gives that block the chapter's name, the experiment's `Data` as JSON inside the
page (only the entry named `widget`, if the experiment returns one: the rest is then for the
tests, and the page stays light; nothing is fetched: the offline copy opens from file://,
where fetch is blocked), and the address of the chapter's own script (`data-script`), which
the runtime loads when the block nears the screen, as a <script> element (which file://
allows), not while the page first draws. Every page loads the shared runtime
(`overrides/assets/javascripts/widgets.js`, from the head: `overrides/main.html`), which
loads a chapter's script and starts its widget as the block nears the screen, and the
styles (`widgets.css`, in `extra_css`), as it loads the theme's: 3 and 6 KB that a reader
fetches once for every chapter. All are plain JavaScript that runs with nothing
else, served lean (`lean`, `lean_css`): without comments and indentation, which weigh a
quarter of them.
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


def lean(source: str) -> str:
    """The script as the page loads it: without its comments, indentation and blank lines,
    which weigh a quarter of a readable script and do nothing in the browser. Everything
    else is kept as it is, line breaks included (so no statement runs into the next), and
    so is every character inside a string, a template literal or a regular expression."""
    out: list[str] = []
    i, n = 0, len(source)
    nesting: list[int] = []  # for each template literal open around here: its ${ depth
    depth = 0  # braces open in the code being read
    line_start = True
    last = ""  # the last character of code kept: a "/" after it starts a regex or divides

    def keep(text: str) -> None:
        nonlocal line_start, last
        out.append(text)
        line_start = False
        if text.strip():
            last = text.rstrip()[-1]

    while i < n:
        c = source[i]
        if line_start and c in " \t":
            i += 1
            continue
        if c == "\n":
            if not line_start:
                out.append("\n")
            line_start = True
            i += 1
        elif source.startswith("//", i):
            i = source.find("\n", i) if "\n" in source[i:] else n
            while out and out[-1] in (" ", "\t"):
                out.pop()
        elif source.startswith("/*", i):
            i = source.index("*/", i) + 2
        elif c in "'\"`" or (c == "}" and nesting and nesting[-1] == depth):
            i = _skip_string(source, i, nesting, depth, keep)
        elif c == "/" and last not in ")]}" and not (last.isalnum() or last in "_$"):
            end = i + 1  # a regular expression: to its closing "/", past classes and escapes
            in_class = False
            while source[end] != "/" or in_class:
                in_class = (in_class or source[end] == "[") and source[end] != "]"
                end += 2 if source[end] == "\\" else 1
            keep(source[i : end + 1])
            i = end + 1
        else:
            depth += {"{": 1, "}": -1}.get(c, 0)
            keep(c)
            i += 1
    return "".join(out).rstrip("\n") + "\n"


def lean_css(source: str) -> str:
    """A style sheet without its comments, indentation and blank lines (none of the widget
    styles has "/*" inside a string)."""
    text = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip()) + "\n"


def _skip_string(source: str, i: int, nesting: list[int], depth: int, keep) -> int:
    """Copy a string or the text of a template literal from i (its opening quote, or the
    "}" that ends a ${...} inside it) to where code resumes; return that index."""
    quote = "`" if source[i] == "}" else source[i]
    if source[i] == "}":
        nesting.pop()
    end = i + 1
    while source[end] != quote:
        if source[end] == "\\":
            end += 1
        elif quote == "`" and source.startswith("${", end):
            nesting.append(depth)
            keep(source[i : end + 2])
            return end + 2
        end += 1
    keep(source[i : end + 1])
    return end + 1


def data_json(data: dict) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c")  # no "</script>" or "<!--" can end it early


def page_data(data: dict) -> dict:
    """What the page carries of the experiment's data: its `widget` entry if it has one (the
    other entries, full records say, are for the tests), else all of it."""
    return data.get("widget", data)


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
    payload = data_json(page_data(data))
    opening = (
        f'<div class="tn-widget" data-widget="{chapter.page}" '
        f'data-script="{url_of(script_uri(chapter))}">'
        f'<script type="application/json" class="tn-widget-data">{payload}</script>'
    )
    return WIDGET.sub(opening, html)
