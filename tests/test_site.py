"""The built site: both languages, every page, its figures, its code blocks, its numbers."""

import ast
import hashlib
import re
import sys
from pathlib import Path

import pytest
from pytest_codeblocks.main import extract_from_buffer

from site_tools.chapter_source import (
    executed_fences,
    python_fences,
    reader_markdown,
    solution_fences,
    without_solutions,
)
from site_tools.pages import page_weight, page_weights

from helpers import CHAPTERS, DOCS, PAGES, REPO_URL, build_site, html_path


def test_both_languages_have_the_same_pages():
    assert PAGES == sorted(p.stem for p in DOCS["zh"].glob("*.md"))
    assert set(CHAPTERS) <= set(PAGES)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_page_is_built_in_its_language(site, lang, page):
    html = html_path(site, lang, page).read_text(encoding="utf-8")
    assert f'<html lang="{lang}"' in html
    assert "{{" not in html.split("<body", 1)[1], "a build-time value was not filled in"
    assert re.search(r'<meta name="description" content="[^"]{20,}"', html)


def test_no_script_holds_up_the_first_paint(site):
    """Every script file any built page loads (pages, notebooks, 404s) is deferred,
    Material's too (overrides/main.html): none runs before the page is parsed and its first
    screen can be drawn."""
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 2 * len(PAGES)
    for path in pages:
        html = path.read_text(encoding="utf-8")
        scripts = re.findall(r"<script\b[^>]*(?<![\w-])src=[^>]*>", html)
        if "<article" in html or path.name == "404.html":
            assert any("bundle." in tag for tag in scripts), f"{path}: no Material script"
        blocking = [
            tag
            for tag in scripts
            if not re.search(r"\sdefer(?:[\s>=/]|$)", tag) and 'type="module"' not in tag
        ]
        assert blocking == [], f"{path.relative_to(site)}: {blocking}"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", CHAPTERS)
def test_chapter_figures_exist_and_are_shared(site, lang, page):
    path = html_path(site, lang, page)
    # each figure is shown twice, one per colour scheme (#only-light, #only-dark)
    found = re.findall(
        r'<img alt="([^"]+)" src="([^"#]+\.svg)#only-light"', path.read_text("utf-8")
    )
    images = list(dict.fromkeys(found))
    assert len(images) >= 3
    for alt, src in images:
        figure = (path.parent / src).resolve()
        assert figure.is_file(), src
        assert figure.read_bytes() == (site / "figures" / figure.name).read_bytes()
        assert len(alt) > 30, f"alt text too short to say what {src} shows"
        if lang == "zh":
            assert re.search(r"[\u4e00-\u9fff]", alt), f"alt text of {src} is not in Chinese"


def test_switcher_leads_to_the_same_page_in_the_other_language(site):
    for page in PAGES:
        for lang, other in [("en", "zh"), ("zh", "en")]:
            path = html_path(site, lang, page)
            html = path.read_text("utf-8")
            href = re.search(rf'<a href="([^"]+)"\s+hreflang="{other}"', html).group(1)
            assert (path.parent / href / "index.html").resolve() == html_path(site, other, page)


def page_urls(origin: str) -> dict[str, dict[str, str]]:
    """Every page's absolute address in each language, for a site served at origin."""

    prefixes = {"en": "/", "zh": "/zh/"}
    paths = {page: "" if page == "index" else page + "/" for page in PAGES}
    return {
        page: {lang: origin + prefix + path for lang, prefix in prefixes.items()}
        for page, path in paths.items()
    }


def test_every_page_has_its_absolute_canonical_address(served_site):
    origin, site = served_site
    for page, urls in page_urls(origin).items():
        for lang in DOCS:
            html = html_path(site, lang, page).read_text("utf-8")
            assert f'<link rel="canonical" href="{urls[lang]}">' in html, (lang, page)
            # the hreflang alternates live in the sitemaps: Material's script fetches a
            # sitemap.xml next to every <link rel="alternate"> in a page's head
            assert '<link rel="alternate"' not in html, (lang, page)


def test_each_language_has_a_sitemap_with_every_page_in_both_languages(served_site):
    origin, site = served_site
    for lang in DOCS:
        sitemap = (site if lang == "en" else site / lang) / "sitemap.xml"
        xml = sitemap.read_text("utf-8")
        for page, urls in page_urls(origin).items():
            assert f"<loc>{urls[lang]}</loc>" in xml, (lang, page)
            for other, url in urls.items():
                assert f'hreflang="{other}" href="{url}"' in xml, (lang, page, other)
        assert "<lastmod>" not in xml  # no build dates: two builds are identical
    robots = (site / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {origin}/sitemap.xml" in robots
    assert f"Sitemap: {origin}/zh/sitemap.xml" in robots


def test_chinese_headings_keep_chinese_anchors(site):
    html = html_path(site, "zh", "less-than").read_text("utf-8")
    assert 'id="谜题"' in html


def count_code_blocks(html: str) -> int:
    return len(re.findall(r'<div class="language-python highlight"[ >]', html))


def executed_code_blocks(page: Path) -> tuple[int, int, int]:
    """(blocks pytest-codeblocks runs, blocks it skips, worked solutions: shown, not run, and
    tested by their chapter's tests) for one Markdown page."""
    import io

    text = reader_markdown(page.read_text("utf-8"))
    blocks = extract_from_buffer(io.StringIO(without_solutions(text)))
    python = [b for b in blocks if b.syntax == "python"]
    skipped = [b for b in python if any("skip" in mark for mark in b.marks)]
    # a block marked "cont" is glued to the one before it: count the fences it holds
    fences = len(executed_fences(text))
    return fences - sum(1 for _ in skipped), len(skipped), len(solution_fences(text))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_every_code_block_on_the_page_is_executed(site, lang, page):
    shown = count_code_blocks(html_path(site, lang, page).read_text("utf-8"))
    executed, skipped, solutions = executed_code_blocks(DOCS[lang] / f"{page}.md")
    assert shown == executed + skipped + solutions
    assert skipped == 0, "a Python block is skipped"


@pytest.mark.parametrize("page", PAGES)
def test_code_is_the_same_in_both_languages(page):
    en, zh = (
        python_fences(reader_markdown((DOCS[lang] / f"{page}.md").read_text("utf-8")))
        for lang in ("en", "zh")
    )
    assert [f.code for f in en] == [f.code for f in zh]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_code_blocks_need_only_torch_and_matplotlib(lang):
    allowed = {"torch", "matplotlib", "numpy"} | set(sys.stdlib_module_names)
    assert shown_imports(lang) <= allowed


def shown_imports(lang: str) -> set[str]:
    """The top-level packages the Python blocks of a language's pages import."""
    names = set()
    for page in DOCS[lang].glob("*.md"):
        for fence in python_fences(reader_markdown(page.read_text("utf-8"))):
            for node in ast.walk(ast.parse(fence.code)):
                if isinstance(node, ast.Import):
                    names |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_home_page_installs_what_the_code_imports(lang):
    """The home page's one shell line installs every package the shown code imports,
    and only packages the copied code may import."""
    home = (DOCS[lang] / "index.md").read_text("utf-8")
    installs = re.findall(r"^pip install (.+)$", home, re.M)
    assert len(installs) == 1, "one install line"
    installed = set(installs[0].split())
    assert shown_imports(lang) - set(sys.stdlib_module_names) <= installed
    assert installed <= {"torch", "matplotlib", "numpy"}


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_builds_are_identical(served_site, tmp_path):
    origin, site = served_site
    again = build_site(tmp_path / "again", SITE_URL=origin + "/", REPO_URL=REPO_URL)
    assert digest(again) == digest(site)


NAMES = {"Adam", "SGD", "ReLU", "min"}  # names, the same in both languages


def test_figures_carry_no_words(site):
    """One figure serves both languages: its text is symbols, numbers and names."""
    figures = sorted((site / "figures").glob("*.svg"))
    assert figures
    for figure in figures:
        text = " ".join(
            re.findall(r">([^<>]+)<", figure.read_text("utf-8").split("</defs>", 1)[-1])
        )
        words = set(re.findall(r"[A-Za-z]{3,}", text))
        assert words <= NAMES, f"{figure.name} has words {words - NAMES}"


def glossary_rows(lang: str) -> list[list[str]]:
    lines = (DOCS[lang] / "glossary.md").read_text("utf-8").splitlines()
    rows = [line.strip("|").split("|") for line in lines if line.startswith("| ")]
    return [[cell.strip() for cell in row] for row in rows[1:]]  # without the header


def test_glossaries_list_the_same_terms():
    en = {row[0]: row[1] for row in glossary_rows("en")}
    zh = {row[0]: row[1] for row in glossary_rows("zh")}
    assert en == zh


def test_chinese_pages_keep_to_the_glossary():
    avoided = [term.strip() for row in glossary_rows("zh") for term in row[2].split("，")]
    for page in DOCS["zh"].glob("*.md"):
        if page.stem == "glossary":
            continue
        prose = page.read_text("utf-8")
        for term in avoided:
            assert term not in prose, f"{page.name} uses {term!r}; the glossary avoids it"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", CHAPTERS)
def test_page_weight_budgets(site_weights, site, lang, page):
    """HTML plus everything only it loads (images, scripts, stylesheets, embedded data)."""
    assert site_weights[html_path(site, lang, page)] <= 300_000
    assert site_weights[html_path(site, lang, f"notebooks/{page}")] <= 400_000


@pytest.fixture(scope="module")
def site_weights(site):
    return page_weights(site)


def test_page_weight_counts_what_only_that_page_loads(tmp_path):
    widget = '<div class="tn-widget" data-widget="w" data-script="../w.js"></div>'
    for name, extra in [("plain", ""), ("widget", widget)]:
        (tmp_path / name).mkdir()
        html = f'<link rel="stylesheet" href="../all.css"><img src="../fig.svg">{extra}'
        (tmp_path / name / "index.html").write_text(html, encoding="utf-8")
    (tmp_path / "all.css").write_text("x" * 1000)
    (tmp_path / "fig.svg").write_text("y" * 300)
    (tmp_path / "w.js").write_text("z" * 5000)
    weights = {p.parent.name: w for p, w in page_weights(tmp_path).items()}
    plain = len((tmp_path / "plain" / "index.html").read_bytes())
    widget = len((tmp_path / "widget" / "index.html").read_bytes())
    assert weights == {"plain": plain, "widget": widget + 5000}  # both load all.css, fig.svg
    assert page_weight(tmp_path / "widget" / "index.html") == widget + 1000 + 300 + 5000
