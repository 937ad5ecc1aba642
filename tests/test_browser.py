"""The built site in a real browser: Debian's Chromium driven by Playwright, on 127.0.0.1.

Every page of both languages is found in the build, so pages added later are covered too.
Without Chromium these tests are skipped (install it with `apt-get install chromium`);
with TINY_NETS_BROWSER=1 in the environment (CI sets it) they are required instead.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from helpers import CHAPTERS, DOCS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("TINY_NETS_BROWSER") == "1"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

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


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def console_error(message) -> str:
    where = message.location.get("url")
    return f"{message.text} [{where}]" if where else message.text


@pytest.fixture
def page(browser, server):
    """A fresh tab that records console errors and every request to another host."""
    origin, _ = server
    context = browser.new_context()
    tab = context.new_page()
    tab.errors, tab.foreign = [], []
    tab.on("console", lambda m: m.type == "error" and tab.errors.append(console_error(m)))
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.on(
        "request",
        lambda r: None if r.url.startswith((origin, "data:")) else tab.foreign.append(r.url),
    )
    yield tab
    context.close()


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


@pytest.mark.parametrize("path", PAGES)
def test_page_in_the_browser(page, server, path):
    origin, _ = server
    response = page.goto(origin + path, wait_until="load")
    assert response.status == 200
    assert page.errors == [], "console errors"
    assert page.foreign == [], "requests to other hosts"
    expected = "zh" if path.startswith("/zh/") else "en"
    assert page.evaluate("document.documentElement.lang") == expected
    # every image has loaded
    broken = page.evaluate(
        "[...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
    )
    assert broken == []
    # every formula is rendered by KaTeX
    unrendered = page.evaluate(
        "[...document.querySelectorAll('.arithmatex')].filter(e => !e.querySelector('.katex'))"
        ".map(e => e.textContent)"
    )
    assert unrendered == []
    if "/notebooks/" in path:
        assert page.locator(".jp-MarkdownCell .katex").count() > 0
    # every code block has a copy button
    code = page.locator(".md-content pre > code")
    buttons = page.locator('.md-content pre > .md-code__nav > button[data-md-type="copy"]')
    assert code.count() == buttons.count()
    # every figure's alt text is in the page's language
    alts = page.evaluate("[...document.querySelectorAll('.md-content img')].map(i => i.alt)")
    for alt in alts:
        assert alt.strip(), "an image without alt text"
        if expected == "zh":
            assert any("\u4e00" <= ch <= "\u9fff" for ch in alt), alt
    # the language switcher, clicked, lands on this page in the other language
    other = "en" if expected == "zh" else "zh"
    page.hover(".md-header__option .md-select")
    page.click(f"a.md-select__link[hreflang={other}]")
    page.wait_for_load_state()
    assert urlsplit(page.url).path == counterpart(path)
    assert page.errors == [] and page.foreign == []


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
    # the switcher of the 404 page, clicked, leads to the other language's home page
    other = "en" if lang == "zh" else "zh"
    page.hover(".md-header__option .md-select")
    page.click(f"a.md-select__link[hreflang={other}]")
    page.wait_for_function(f"document.documentElement.lang === '{other}'")
    assert urlsplit(page.url).path == ("/" if other == "en" else "/zh/")
    assert page.errors == [] and page.foreign == []
