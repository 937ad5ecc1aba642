"""What the tests of a chapter's widget share: its model run in Node, and the page in
Chromium (driven by Playwright, launched as tests/test_browser.py launches it).

Without Chromium the browser tests are skipped (`apt-get install chromium` enables them);
with TINY_NETS_BROWSER=1 in the environment (CI sets it) they are required instead.
"""

from __future__ import annotations

import json
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from site_tools.course import Chapter

from helpers import CHROMIUM, REQUIRED, run_node

NO_BROWSER = pytest.mark.skipif(
    CHROMIUM is None and not REQUIRED,
    reason="Chromium not found: `apt-get install chromium` to run the browser tests "
    "(TINY_NETS_BROWSER=1 makes them required)",
)


def need_chromium() -> str:
    if CHROMIUM is None:
        pytest.fail("TINY_NETS_BROWSER=1 but Chromium is not installed: apt-get install chromium")
    return CHROMIUM


def in_node(chapter: Chapter, body: str, payload) -> object:
    """Run `body` in Node with `model` (the widget's exports) and `input` (the payload, as
    JSON) defined; it prints its answer as JSON, which this returns."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(payload, file)
    try:
        script = (
            "const model = require(process.argv[1]);\n"
            "const input = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));\n"
            f"{body}\n"
        )
        return json.loads(run_node(script, str(chapter.widget), file.name))
    finally:
        Path(file.name).unlink()


def watch(page, origin: str) -> None:
    """Record on the page its console errors (page.errors) and its requests to any other
    place than `origin` (page.foreign)."""
    page.errors, page.foreign = [], []

    def error(message) -> None:
        where = message.location.get("url")
        page.errors.append(f"{message.text} [{where}]" if where else message.text)

    page.on("console", lambda m: m.type == "error" and error(m))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on(
        "request",
        lambda r: None if r.url.startswith((origin, "data:")) else page.foreign.append(r.url),
    )


def shared_context(browser):
    """One browser context for a module's browser tests (1280 × 800, as each test's own
    context was): each page of it, a language of the site or of the offline copy, is loaded
    once, in its own tab (open_tab), and the tests that read it share it."""
    return browser.new_context(viewport={"width": 1280, "height": 800})


def open_tab(context, origin: str, url: str, viewport=None, reduced_motion: bool = False):
    """A new tab of `context`, watched (watch: errors, and requests to any other place than
    `origin`), of the size `viewport` (the context's if None) and with `reduced_motion`
    emulated from the start, with the page at `url` opened (open_widget): the tab and the
    widget's interface."""
    page = context.new_page()
    if viewport:
        page.set_viewport_size(viewport)
    if reduced_motion:
        page.emulate_media(reduced_motion="reduce")
    watch(page, origin)
    return page, open_widget(page, url)


def open_widget(page, url: str):
    """Open the page at `url`, check that its widget waits until it is scrolled to, scroll
    to it, and return the widget's interface (a Playwright locator)."""
    page.goto(url, wait_until="load")
    block = page.locator(".tn-widget")
    assert page.locator(".tn-widget--live").count() == 0, "started before it was in view"
    block.scroll_into_view_if_needed()
    page.wait_for_selector(".tn-widget--live .tn-widget-ui")
    return block.locator(".tn-widget-ui")


def settle(page) -> None:
    """Wait for the frame in which the widget draws what an input changed."""
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => setTimeout(r)))")


def press(page, locator, key: str, times: int = 1) -> None:
    """Press a key `times` times on a control, then wait for the widget's frame."""
    locator.focus()
    for _ in range(times):
        page.keyboard.press(key)
    settle(page)


def drag_to_start(page, slider, grab: float = 0.5) -> None:
    """Drag a range input by pointer from `grab` (a fraction of its width) to its start."""
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + grab * box["width"], y)
    page.mouse.down()
    page.mouse.move(box["x"] + 2, y, steps=4)
    page.mouse.up()
    settle(page)


def readouts(ui) -> dict[str, tuple[str, float]]:
    """Each readout of the widget: its text, and the number it shows."""
    cells = ui.evaluate(
        "ui => [...ui.querySelectorAll('dd[data-readout]')]"
        ".map(cell => [cell.dataset.readout, cell.textContent, cell.dataset.value])"
    )
    return {name: (text, float(value)) for name, text, value in cells}


SUPERSCRIPT = str.maketrans(
    "-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
)


def rounded(x: float, digits: int, significant: bool) -> Decimal:
    """x to `digits` significant digits or decimals, halves away from zero, as Intl and
    toExponential round (Python's format() rounds halves to even)."""
    value = Decimal(repr(x))
    if significant and value != 0:
        digits -= value.adjusted() + 1
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def number(x: float, decimals: int) -> str:
    """x as the widgets' runtime writes it (ui.number) for English and Chinese pages."""
    return f"{rounded(x, decimals, False):,f}"


def significant(x: float, digits: int) -> str:
    """x as the widgets' runtime writes it (ui.significant) for English and Chinese pages:
    `digits` significant digits, grouped by commas, as m × 10ⁿ below 0.001 and from 10⁶."""
    if x != 0 and not 1e-3 <= abs(x) < 1e6:
        value = rounded(x, digits, True)
        mantissa = significant(float(value.scaleb(-value.adjusted())), digits)
        return f"{mantissa} × 10{str(value.adjusted()).translate(SUPERSCRIPT)}"
    value = rounded(x, digits, True)
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
