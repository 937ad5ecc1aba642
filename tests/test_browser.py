"""The built site in a real browser: Debian's Chromium driven by Playwright, on 127.0.0.1.

Every page of both languages is found in the build, so pages added later are covered too.
Without Chromium these tests are skipped (install it with `apt-get install chromium`);
with TINY_NETS_BROWSER=1 in the environment (CI sets it) they are required instead.

Each page is checked in a fresh tab (check_page: one load per page, the checks in turn).
These checks run in the background from the moment the site is served (start_audits: two
tabs at a time, each in a Chromium of its own thread, beside the tests that run meanwhile);
each page's test waits for its page's findings. They include the audit:
- axe-core (tests/vendor/axe-core, from its npm package) finds no violation of WCAG 2.1
  A and AA, in the light and the dark scheme, at 1280 and at 390 px wide, with what
  `content-visibility` lets the browser skip forced visible. The rules that depend on the
  colour scheme (colour contrast) run in the dark one; every rule runs in the light one.
  In code blocks and formulas, contrast is measured exactly by CONTRAST instead.
- on a phone: no page is wider than its viewport at 320, 360 and 390 px; at 390 px no
  figure shows text smaller than 9 CSS px, no code is set smaller than 12 px, and no line
  starts with the punctuation that follows a formula;
- every entry of the table of contents lands on its heading, and a notebook page opened at
  an address with a heading two thirds down (#id) shows that heading at the top, on a phone;
- each "copy with the code it needs" button copies its block and the blocks it continues.
"""

import contextlib
import re
import threading
from concurrent.futures import Future, InvalidStateError
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from site_tools import continuation
from site_tools.chapter_source import executed_fences, reader_markdown

from helpers import CHAPTERS, CHROMIUM, DOCS, REQUIRED, ROOT

if CHROMIUM is None and not REQUIRED:
    pytestmark = pytest.mark.skip(
        reason="Chromium not found: `apt-get install chromium` to run the browser tests "
        "(TINY_NETS_BROWSER=1 makes them required)"
    )


def all_pages(site: Path) -> list[str]:
    """The address of every page of the build, both languages."""
    folders = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    return ["/" if f == "." else f"/{f}/" for f in folders]


def counterpart(path: str) -> str:
    return path.removeprefix("/zh") if path.startswith("/zh/") else "/zh" + path


@pytest.fixture(scope="session")
def server(served_site):
    if CHROMIUM is None:
        pytest.fail("TINY_NETS_BROWSER=1 but Chromium is not installed: apt-get install chromium")
    return served_site


def console_error(message) -> str:
    where = message.location.get("url")
    return f"{message.text} [{where}]" if where else message.text


# what tiny-nets.js copies is recorded instead of reaching the system's clipboard
RECORD_CLIPBOARD = """
window.tnCopied = [];
Object.defineProperty(navigator, "clipboard", {
  configurable: true,
  value: { writeText: (text) => { window.tnCopied.push(text); return Promise.resolve(); } },
});
"""


def new_tab(browser, origin: str):
    """A fresh tab in a context of its own, that records console errors (tab.errors) and
    every request to another host (tab.foreign)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(RECORD_CLIPBOARD)
    tab = context.new_page()
    tab.errors, tab.foreign = [], []
    tab.on("console", lambda m: m.type == "error" and tab.errors.append(console_error(m)))
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.on(
        "request",
        lambda r: None if r.url.startswith((origin, "data:")) else tab.foreign.append(r.url),
    )
    return tab


@pytest.fixture
def page(browser, server):
    """A fresh tab that records console errors and every request to another host."""
    tab = new_tab(browser, server[0])
    yield tab
    tab.context.close()


def source_pages() -> list[str]:
    """The address of every page the sources imply: each Markdown page of each language,
    and each chapter's notebook."""
    pages = []
    for lang, folder in DOCS.items():
        prefix = "" if lang == "en" else f"/{lang}"
        for md in sorted(folder.glob("*.md")):
            pages.append(f"{prefix}/" if md.stem == "index" else f"{prefix}/{md.stem}/")
        pages += [f"{prefix}/notebooks/{page}/" for page in CHAPTERS]
    return pages


PAGES = source_pages()


def test_the_build_has_exactly_these_pages(server):
    _, site = server
    assert sorted(all_pages(site)) == sorted(PAGES)


@pytest.fixture(scope="session")
def page_audits(server) -> dict[str, Future]:
    """What check_page finds on each page, run in the background from the moment the site
    is served (start_audits, called by tests/conftest.py)."""
    start_audits(*server)  # if it has not started yet
    return AUDITS


@pytest.mark.parametrize("path", PAGES)
def test_page_in_the_browser(page_audits, path):
    assert page_audits[path].result() == []


def check_page(tab, origin: str, site: Path, path: str) -> list[str]:
    """Everything wrong with the page at `path`, opened in a fresh tab, as messages."""
    response = tab.goto(origin + path, wait_until="load")
    if response.status != 200:
        return [f"answered {response.status}"]
    problems = []
    if tab.errors:
        problems.append(f"console errors: {tab.errors}")
    if tab.foreign:
        problems.append(f"requests to other hosts: {tab.foreign}")
    expected = "zh" if path.startswith("/zh/") else "en"
    lang = tab.evaluate("document.documentElement.lang")
    if lang != expected:
        problems.append(f"lang is {lang!r}, not {expected!r}")
    broken = tab.evaluate(
        "[...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
    )
    problems += [f"an image did not load: {src}" for src in broken]
    unrendered = tab.evaluate(
        "[...document.querySelectorAll('.arithmatex')].filter(e => !e.querySelector('.katex'))"
        ".map(e => e.textContent)"
    )
    problems += [f"a formula not rendered by KaTeX: {tex}" for tex in unrendered]
    if "/notebooks/" in path and tab.locator(".jp-MarkdownCell .katex").count() == 0:
        problems.append("no formula of the notebook's text is rendered by KaTeX")
    code = tab.locator(".md-content pre > code").count()
    buttons = tab.locator('.md-content pre > .md-code__nav > button[data-md-type="copy"]')
    if code != buttons.count():
        problems.append(f"{code} code blocks, {buttons.count()} copy buttons")
    alts = tab.evaluate("[...document.querySelectorAll('.md-content img')].map(i => i.alt)")
    for alt in alts:
        if not alt.strip():
            problems.append("an image without alt text")
        elif expected == "zh" and not any("\u4e00" <= ch <= "\u9fff" for ch in alt):
            problems.append(f"alt text not in Chinese: {alt}")
    problems += toc_problems(tab)
    problems += audit(tab, site)
    problems += copy_problems(tab, path)
    if "/notebooks/" in path:  # the pages whose code cells the browser may skip laying out
        problems += address_problems(tab.context.browser, origin, site, path)
    # the language switcher leads to this page in the other language: it is a plain link,
    # so where it leads is its address (test_the_language_switcher_is_followed clicks it)
    other = "en" if expected == "zh" else "zh"
    href = tab.eval_on_selector(f"a.md-select__link[hreflang={other}]", "(a) => a.href")
    if urlsplit(href).path != counterpart(path):
        problems.append(f"the language switcher leads to {href}")
    if tab.errors or tab.foreign:
        problems.append(f"during the checks: errors {tab.errors}, requests {tab.foreign}")
    return problems


# --- the audits of every page, in the background ------------------------------------------

AUDITS: dict[str, Future] = {}  # path -> what check_page found, set when it has run
AUDITORS = 2  # tabs audited at once, each in a Chromium of its own thread
_stop = threading.Event()
_threads: list[threading.Thread] = []


def start_audits(origin: str, site: Path) -> None:
    """Run check_page on every page, AUDITORS at a time, each worker in a thread with its
    own Playwright and Chromium (Playwright's objects belong to the thread that made them),
    beside the tests that run meanwhile."""
    if AUDITS or CHROMIUM is None:
        return
    queue = list(PAGES)
    AUDITS.update({path: Future() for path in queue})
    lock = threading.Lock()

    def next_path() -> str | None:
        with lock:
            return queue.pop(0) if queue and not _stop.is_set() else None

    def worker() -> None:
        from playwright.sync_api import sync_playwright

        from conftest import CHROMIUM_ARGS

        try:
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                while (path := next_path()) is not None:
                    tab = new_tab(chromium, origin)
                    try:
                        found = check_page(tab, origin, site, path)
                    except Exception as error:  # reported by the page's test
                        settle(AUDITS[path], error=error)
                    else:
                        settle(AUDITS[path], result=found)
                    finally:
                        tab.context.close()
                chromium.close()
        except Exception as error:  # Chromium did not start: every page's test says so
            for future in AUDITS.values():
                settle(future, error=error)

    for i in range(AUDITORS):
        thread = threading.Thread(target=worker, name=f"page-audit-{i}", daemon=True)
        _threads.append(thread)
        thread.start()


def settle(future: Future, result=None, error: BaseException | None = None) -> None:
    with contextlib.suppress(InvalidStateError):  # done already, or cancelled at the end
        future.set_exception(error) if error else future.set_result(result)


def stop_audits() -> None:
    """At the end of the session: no page is started any more, and the audits end."""
    _stop.set()
    for future in AUDITS.values():
        future.cancel()
    for thread in _threads:
        thread.join(timeout=60)


def search(page, origin: str, path: str, query: str) -> list[str]:
    page.goto(origin + path, wait_until="networkidle")  # the search index has loaded
    page.click("input.md-search__input")
    page.keyboard.type(query, delay=20)
    page.keyboard.press("End")  # a key event: typing CJK text inserts it without one
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item > a", "links => links.map(a => a.href)"
    )
    return [urlsplit(h).path for h in hrefs]


@pytest.mark.parametrize("path", ["/parity/", "/zh/notebooks/minimum/"])
def test_the_language_switcher_is_followed(page, server, path):
    """Clicked as a reader clicks it, the switcher opens this page in the other language
    (check_page reads where it leads on every page)."""
    page.goto(server[0] + path, wait_until="load")
    other = "en" if path.startswith("/zh/") else "zh"
    page.hover(".md-header__option .md-select")
    page.click(f"a.md-select__link[hreflang={other}]")
    page.wait_for_function(f"document.documentElement.lang === '{other}'")
    assert urlsplit(page.url).path == counterpart(path)
    assert page.errors == [] and page.foreign == []


@pytest.mark.parametrize(
    ("where", "query", "expected"),
    [
        ("/less-than/", "sigmoid", "/less-than/"),
        ("/parity/", "parity", "/parity/"),
        ("/zh/", "神经元", "/zh/less-than/"),
        ("/zh/less-than/", "梯度下降", "/zh/less-than/"),
        ("/zh/minimum/", "奇偶性", "/zh/parity/"),
    ],
)
def test_search_stays_in_the_page_language(page, server, where, query, expected):
    origin, _ = server
    found = search(page, origin, where, query)
    assert expected in found
    if where.startswith("/zh/"):
        assert all(p.startswith("/zh/") for p in found), found
    else:
        assert not any(p.startswith("/zh/") for p in found), found
    assert page.errors == [] and page.foreign == []


@pytest.mark.parametrize(
    ("path", "lang", "title"),
    [("/no/such/page/", "en", "Page not found"), ("/zh/no/such/page/", "zh", "页面不存在")],
)
def test_missing_page_answers_in_its_language(page, server, path, lang, title):
    origin, _ = server
    response = page.goto(origin + path, wait_until="networkidle")
    assert response.status == 404
    page.wait_for_function(f"document.documentElement.lang === '{lang}'")
    assert page.locator("h1").first.inner_text() == title
    assert page.foreign == []
    # the one error: the browser's note that the address it was asked for is missing
    missing = f"the server responded with a status of 404 (Not Found) [{origin}{path}]"
    assert [e for e in page.errors if not e.endswith(missing)] == []
    page.errors.clear()
    assert audit(page, server[1]) == []
    page.set_viewport_size({"width": 1280, "height": 800})
    # the switcher of the 404 page, clicked, leads to the other language's home page
    other = "en" if lang == "zh" else "zh"
    page.hover(".md-header__option .md-select")
    page.click(f"a.md-select__link[hreflang={other}]")
    page.wait_for_function(f"document.documentElement.lang === '{other}'")
    assert urlsplit(page.url).path == ("/" if other == "en" else "/zh/")
    assert page.errors == [] and page.foreign == []


# --- the audit: axe-core, phone widths, figures' text, line starts ----------------------

AXE = (ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# for the audit: every block laid out (content-visibility would let the browser skip
# those off screen, and axe would misjudge them), no colour halfway through a transition
AUDIT_STYLE = (
    "*, *::before, *::after { content-visibility: visible !important;"
    " transition: none !important; animation: none !important; }"
)
PHONES = [390, 360, 320]
SMALLEST_TEXT = 9  # CSS px, at 390 px
LEGIBLE_CODE = 12  # CSS px: the least a phone reads unzoomed (Lighthouse's legible text)
RUN_AXE = """async (options) => (await axe.run(document, options)).violations.map(
  (v) => v.id + ": " + v.help + " (" + v.nodes.length + "): " + v.nodes.slice(0, 3).map(
    (n) => n.target.join(" ") + " " + n.failureSummary.replace(/\\s+/g, " ").slice(0, 160)
  ).join(" | "))"""
# Code blocks and formulas are thousands of small elements (a span for each token, for
# each piece of a formula) in a few colours on one background: axe's contrast rule, which
# finds what lies behind each element one at a time, spent a third of the audit on them,
# and left most of a formula's pieces "to review", unmeasured. It leaves them out here;
# CONTRAST measures every text in them, at once.
EXACT_CONTRAST = [".md-content pre > code", ".katex"]
LEAVE_OUT = """(selectors) => axe.configure({ rules: [{ id: "color-contrast",
  selector: "*" + selectors.map((s) => `:not(${s}):not(${s} *)`).join("") }] })"""


def axe(tab, where: str, colours_only: bool = False) -> list[str]:
    """What axe-core finds against WCAG 2.1 A and AA (colour rules only, or every rule),
    and CONTRAST in what axe leaves to it."""
    colours = {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}
    options = {
        "runOnly": colours if colours_only else {"type": "tag", "values": WCAG},
        "resultTypes": ["violations"],
    }
    found = tab.evaluate(RUN_AXE, options)
    found += tab.evaluate(CONTRAST, ", ".join(EXACT_CONTRAST))
    return [f"{where}: {v}" for v in found]


# The text of every element under `selector` (one with text of its own, laid out) against
# what lies behind it: its colour over the background colours of it and its ancestors,
# composited, the ratio WCAG 2.1 defines, at least 4.5:1 (3:1 for large text: 24 px, or
# 18.66 px bold). Where that is not all there is to it (a background image, opacity, a
# filter, a blend mode, a text shadow, a colour it cannot read), it says so: not passed.
CONTRAST = """(selector) => {
  const parse = (css) => {
    let m = css.match(/^rgba?\\(([\\d.]+),? ([\\d.]+),? ([\\d.]+)(?:[,/] ?([\\d.]+))?\\)$/);
    if (m) return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
    m = css.match(/^color\\(srgb ([\\d.]+) ([\\d.]+) ([\\d.]+)(?: \\/ ([\\d.]+))?\\)$/);
    if (m) return [255 * m[1], 255 * m[2], 255 * m[3], m[4] === undefined ? 1 : +m[4]];
    throw new Error("a colour this check cannot read: " + css);
  };
  const over = (top, below) => [0, 1, 2].map((i) => top[i] * top[3] + below[i] * (1 - top[3]));
  const luminance = (rgb) => rgb.map((v) => v / 255)
    .map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const backgrounds = new Map();  // element -> the opaque colour behind its text
  const behind = (element) => {
    if (!element) return [255, 255, 255];  // the canvas
    if (backgrounds.has(element)) return backgrounds.get(element);
    const style = getComputedStyle(element);
    const unsure = [["backgroundImage", "none"], ["opacity", "1"], ["filter", "none"],
      ["mixBlendMode", "normal"]].find(([p, plain]) => style[p] !== plain);
    if (unsure) {
      const name = element.localName + (element.className ? "." + element.className : "");
      throw new Error(`${unsure[0]} ${style[unsure[0]]} on ${name}`);
    }
    const colour = parse(style.backgroundColor);
    const result = colour[3] === 1 ? colour.slice(0, 3)
      : over(colour, behind(element.parentElement));
    backgrounds.set(element, result);
    return result;
  };
  const found = new Map();
  for (const element of document.querySelectorAll(selector + ", :is(" + selector + ") *")) {
    const text = [...element.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.data).join("").trim();
    if (!text || !element.getClientRects().length || element.closest(".katex-mathml")) continue;
    const style = getComputedStyle(element);
    if (style.visibility !== "visible") continue;
    let message;
    try {
      if (style.textShadow !== "none") throw new Error("a text shadow");
      const background = behind(element);
      const colour = parse(style.color);
      const [a, b] = [luminance(over(colour, background)), luminance(background)];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
      const least = size >= 24 || (size >= 18.66 && bold) ? 3 : 4.5;
      if (ratio < least) {
        message = `contrast ${ratio.toFixed(2)}:1, not ${least}:1, ${style.color} on ` +
          `rgb(${background.map(Math.round).join(", ")})`;
      }
    } catch (error) {
      message = "contrast not measured: " + error.message;
    }
    if (message && !found.has(message)) found.set(message, text.slice(0, 30));
  }
  return [...found].map(([message, text]) => `${message}: ${text}`);
}"""


def scheme(tab, name: str) -> None:
    """Material's colour scheme, as its toggle sets it."""
    tab.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{name}')")


def test_the_contrast_checks_find_what_each_is_given(page, server):
    """Axe's contrast rule still measures the text around code and formulas, CONTRAST
    measures theirs, and says so where it cannot (a background image, a text shadow)."""
    page.goto(server[0] + "/less-than/", wait_until="load")
    prepare_audit(page)
    scheme(page, "slate")
    assert axe(page, "dark", colours_only=True) == []
    page.add_style_tag(
        content=".katex .mathnormal { color: #3a3a3a } .highlight .k { color: #3b3b3b }"
        " .highlight .m { text-shadow: 0 0 1px red }"
        " .highlight:has(.nf) pre > code { background-image: linear-gradient(red, red) }"
    )
    found = "\n".join(axe(page, "dark", colours_only=True))
    assert "color-contrast" not in found  # axe leaves code and formulas to CONTRAST
    for colour in ("58, 58, 58", "59, 59, 59"):  # a formula's, a code block's
        assert re.search(rf"not 4.5:1, rgb\({colour}\) on rgb\(\d+, \d+, \d+\): \S", found)
    assert "contrast not measured: a text shadow" in found
    assert "contrast not measured: backgroundImage linear-gradient" in found
    page.add_style_tag(content=".md-typeset p { color: #393939 }")
    found = "\n".join(axe(page, "dark", colours_only=True))
    assert re.search(r"color-contrast: .* \(\d+\): .*#393939", found), found
    assert page.errors == [] and page.foreign == []


# the regions tiny-nets.js makes focusable when they scroll sideways: its own list, read from it
SCROLLERS = ",".join(
    re.findall(
        r'"([^"]+)"',
        re.search(
            r"var SCROLLERS = \[(.*?)\]",
            (ROOT / "overrides/assets/javascripts/tiny-nets.js").read_text("utf-8"),
            re.S,
        ).group(1),
    )
)
# every one of them that scrolls sideways, as laid out now, has had its tabindex set
SCROLLERS_MEASURED = """(scrollers) => [...document.querySelectorAll(scrollers)]
  .filter((r) => !r.checkVisibility || r.checkVisibility({ contentVisibilityAuto: true }))
  .every((r) => r.scrollWidth <= r.clientWidth + 1 || r.hasAttribute("tabindex"))"""


def resize(tab, width: int, settle: bool) -> None:
    tab.set_viewport_size({"width": width, "height": 800})
    if settle:  # tiny-nets.js measures again what scrolls, 150 ms after a resize
        tab.evaluate("() => new Promise((r) => setTimeout(r, 200))")
        # on a busy machine its timer can run later: wait for it (up to 3 s; if it never
        # comes, axe reports the regions it left unfocusable), looking every 50 ms: at
        # every frame, Playwright's default, the browser would draw frames to no purpose
        with contextlib.suppress(PlaywrightTimeout):
            tab.wait_for_function(SCROLLERS_MEASURED, arg=SCROLLERS, polling=50, timeout=3000)


def prepare_audit(tab) -> None:
    """The open page made ready for the audit: its style, and axe set to leave code and
    formulas to CONTRAST."""
    tab.add_style_tag(content=AUDIT_STYLE)
    tab.add_script_tag(content=AXE)
    tab.evaluate(LEAVE_OUT, EXACT_CONTRAST)


def audit(tab, site: Path) -> list[str]:
    """Everything the audit finds wrong with the open page, as messages."""
    prepare_audit(tab)
    # what content-visibility skipped is laid out now: tiny-nets.js measures it on the next
    # resize (a reader's browser has it measure each block as it comes to be laid out)
    tab.evaluate("window.dispatchEvent(new Event('resize'))")
    problems = []
    for width in (1280, *PHONES):
        resize(tab, width, settle=width in (1280, 390))
        wide = tab.evaluate(
            "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        )
        if wide > width:
            problems.append(f"{width} px: the page is {wide} px wide")
        if width == 1280:  # shown code fits without scrolling sideways (75 characters)
            problems += [f"{width} px: {p}" for p in tab.evaluate(CODE_SCROLLS)]
        if width not in (1280, 390):
            continue
        scheme(tab, "default")
        problems += axe(tab, f"{width} px, light")
        scheme(tab, "slate")
        problems += axe(tab, f"{width} px, dark", colours_only=True)
        scheme(tab, "default")
        problems += [f"{width} px: {p}" for p in tab.evaluate(BUTTONS_OVER_CODE)]
        if width == 390:
            problems += figure_text_problems(tab, site)
            problems += tab.evaluate(SMALL_CODE, LEGIBLE_CODE)
            problems += line_start_problems(tab)
    return problems


# the code blocks and printed outputs that scroll sideways
CODE_SCROLLS = """[...document.querySelectorAll(
    ".md-content .language-python pre > code, .md-content .output pre > code")]
  .filter((code) => code.scrollWidth > code.clientWidth + 1)
  .map((code) => "code scrolls sideways: " + code.textContent.slice(0, 40))"""


# code of every kind, in the text, in blocks, in admonitions and collapsed blocks, at least
# as large as the least legible size
SMALL_CODE = """(least) => [...document.querySelectorAll(".md-content code")]
  .map((code) => [code, parseFloat(getComputedStyle(code).fontSize)])
  .filter(([code, size]) => size < least && code.textContent.trim())
  .map(([code, size]) => `code of ${size.toFixed(1)} px: ${code.textContent.slice(0, 30)}`)
  .slice(0, 5)"""


# a code block's copy button lies over none of its code or printed output
BUTTONS_OVER_CODE = """[...document.querySelectorAll(".md-content pre")].flatMap((pre) => {
  const nav = pre.querySelector(":scope > .md-code__nav");
  const code = pre.querySelector(":scope > code");
  if (!nav || !code) return [];
  const a = nav.getBoundingClientRect(), b = code.getBoundingClientRect();
  const across = a.left < b.right && b.left < a.right;
  const over = a.width > 0 && across && a.top < b.bottom && b.top < a.bottom;
  return over ? ["a copy button over " + code.textContent.slice(0, 40)] : [];
})"""


SVG_VIEWBOX = re.compile(r'<svg\b[^>]*\bviewBox="0 0 ([\d.]+) [\d.]+"')
FONT_SIZE = re.compile(r"font(?:-size)?:[^;\"}]*?([\d.]+)px")


def smallest_font(svg: str) -> tuple[float, float]:
    """(smallest font size, width) of an SVG figure, in its own units."""
    assert not re.search(r"<text[^>]*scale\(", svg), "text scaled by a transform: measure it so"
    return min(float(size) for size in FONT_SIZE.findall(svg)), float(SVG_VIEWBOX.search(svg)[1])


def figure_text_problems(tab, site: Path) -> list[str]:
    """At this width, the smallest text of every figure shown, in CSS px."""
    shown = tab.evaluate(
        """[...document.querySelectorAll('.md-content img')]
             .filter((i) => i.offsetWidth > 0 && /\\/figures\\/.*\\.svg/.test(i.currentSrc))
             .map((i) => [new URL(i.currentSrc).pathname, i.getBoundingClientRect().width])"""
    )
    problems = []
    for url, width in shown:
        font, units = smallest_font((site / url.lstrip("/")).read_text(encoding="utf-8"))
        size = font * width / units
        if size < SMALLEST_TEXT:
            problems.append(f"{url}: text of {size:.1f} px at 390 px")
    return problems


LINE_STARTS = """() => {
  const closing = /^[，。、；：！？）》」』】〉,.;:!?)\u2019\u201d]/;
  const found = [];
  for (const formula of document.querySelectorAll(".md-content .katex")) {
    if (formula.closest(".katex-display")) continue;
    const outer = formula.parentElement.classList.contains("arithmatex")
      ? formula.parentElement : formula;
    const next = outer.nextSibling;
    if (!next || next.nodeType !== Node.TEXT_NODE || !closing.test(next.data)) continue;
    const range = document.createRange();
    range.setStart(next, 0);
    range.setEnd(next, 1);
    const mark = range.getBoundingClientRect();
    const boxes = outer.getClientRects();
    const last = boxes[boxes.length - 1];
    if (last && mark.top >= last.bottom - 1) {
      found.push(outer.textContent.slice(0, 30) + next.data[0]);
    }
  }
  return found;
}"""


def line_start_problems(tab) -> list[str]:
    return [f"a line starts with the punctuation after {f}" for f in tab.evaluate(LINE_STARTS)]


def toc_problems(tab) -> list[str]:
    """Each entry of the page's table of contents, clicked, brings its heading to the top
    of the window (below the header). Followed from the last to the first on a page just
    loaded, each heading is reached with what lies above it not yet laid out (what
    content-visibility lets the browser skip), as when a reader follows a link to it.
    Where it lands is read once the browser has drawn two frames: what it skipped above the
    heading, laid out as it nears the screen, could still move it. With nothing above left
    to the browser to skip, nothing can, and it is read at once (after the first entry:
    two frames for each of hundreds of entries were a tenth of the audit's time)."""
    return tab.evaluate(
        """async () => {
          const found = [];
          const links = [...document.querySelectorAll(".md-nav--secondary a.md-nav__link")];
          const ids = [...new Set(links.map((a) => decodeURIComponent(a.hash.slice(1))))];
          const skippable = [...document.querySelectorAll(".md-main *")]
            .filter((e) => getComputedStyle(e).contentVisibility === "auto");
          const following = Node.DOCUMENT_POSITION_FOLLOWING;
          let first = true;
          for (const id of ids.filter(Boolean).reverse()) {
            const heading = document.getElementById(id);
            links.find((a) => decodeURIComponent(a.hash.slice(1)) === id).click();
            const skippedAbove = skippable.some((e) => e.compareDocumentPosition(heading)
              & following && getComputedStyle(e).contentVisibility === "auto");
            if (first || skippedAbove) {
              for (let i = 0; i < 2; i++) await new Promise((r) => requestAnimationFrame(r));
            }
            first = false;
            const margin = parseFloat(getComputedStyle(heading).scrollMarginTop) || 0;
            const top = heading.getBoundingClientRect().top;
            const end = document.documentElement.scrollHeight - innerHeight - scrollY < 2;
            if (Math.abs(top - margin) > 8 && !(end && top > margin)) {
              found.push(`#${id} lands at ${Math.round(top)} px, not ${Math.round(margin)}`);
            }
          }
          history.replaceState(null, "", location.pathname);
          scrollTo(0, 0);
          return found;
        }"""
    )


def address_problems(browser, origin: str, site: Path, path: str, width: int = 390) -> list[str]:
    """A page opened at a heading two thirds of the way down (an address ending in #id, as
    a link from another page or site gives it), in a tab of its own on a phone, shows that
    heading at the top of the window, whatever the browser skipped laying out above it."""
    html = (site / path.strip("/") / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r'<a href="#([^"]+)" class="md-nav__link">', html)
    if not headings:
        return ["no heading in the table of contents to open the page at"]
    target = headings[2 * len(headings) // 3]
    tab = new_tab(browser, origin)
    tab.set_viewport_size({"width": width, "height": 800})
    try:
        tab.goto(f"{origin}{path}#{target}", wait_until="load")
        tab.evaluate("() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100)))")
        top, margin, end = tab.evaluate(
            """(id) => {
              const h = document.getElementById(decodeURIComponent(id));
              const margin = parseFloat(getComputedStyle(h).scrollMarginTop) || 0;
              const end = document.documentElement.scrollHeight - innerHeight - scrollY < 2;
              return [h.getBoundingClientRect().top, margin, end];
            }""",
            target,
        )
        problems = [f"opened at #{target}: {e}" for e in tab.errors]
        if end:
            problems.append(f"#{target} is too near the end of the page to test")
        elif abs(top - margin) > 8:
            problems.append(f"opened at #{target}, it lands at {top:.0f} px, not {margin:.0f}")
        return problems
    finally:
        tab.context.close()


def page_source(path: str) -> Path | None:
    """The Markdown file whose code a page shows (a notebook shows its chapter's)."""
    lang = "zh" if path.startswith("/zh/") else "en"
    name = path.removeprefix("/zh").strip("/").removeprefix("notebooks/") or "index"
    source = DOCS[lang] / f"{name}.md"
    return source if source.exists() else None


def copy_problems(tab, path: str) -> list[str]:
    """Every Python block shows its source's code; each copy button copies its block
    with the blocks it continues (site_tools/continuation.py), and nothing else."""
    source = page_source(path)
    if source is None:
        return []
    markdown = reader_markdown(source.read_text(encoding="utf-8"))
    codes = [fence.code for fence in executed_fences(markdown)]
    flags = continuation.continues(markdown)
    shown = tab.evaluate(
        "[...document.querySelectorAll('[data-tn-block]')].map((b) => "
        "[+b.dataset.tnBlock, b.querySelector('pre > code').textContent])"
    )
    problems = []
    if [i for i, _ in shown] != list(range(len(codes))):
        problems.append(f"blocks numbered {[i for i, _ in shown]}, not 0..{len(codes) - 1}")
    problems += [
        f"block {i} shows other code" for i, code in shown if code.rstrip() != codes[i].rstrip()
    ]
    buttons = tab.locator("button.tn-cont__copy")
    expected = [
        continuation.copied_text(codes, i, flags)
        for i, flag in enumerate(flags)
        if flag and continuation.chain_starts(flags)[i] < i
    ]
    if buttons.count() != len(expected):
        return problems + [f"{buttons.count()} copy buttons, {len(expected)} continuing blocks"]
    if expected:
        buttons.first.click()  # as a reader does; the others by script
        tab.evaluate(
            "[...document.querySelectorAll('button.tn-cont__copy')].slice(1)"
            ".forEach((b) => b.click())"
        )
        tab.wait_for_function(f"window.tnCopied.length === {len(expected)}")
        copied = tab.evaluate("window.tnCopied")
        problems += [
            f"button {i} copied other text"
            for i, (a, b) in enumerate(zip(copied, expected, strict=True))
            if a != b
        ]
        if not buttons.first.is_visible():
            problems.append("the copy buttons are hidden")
    return problems
