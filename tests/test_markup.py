"""The built pages' markup, read as a browser or a search engine reads it: every page's
head, its formulas, its navigation, its search index, and the notebooks' links."""

import base64
import html
import io
import json
import re
from html.parser import HTMLParser

import nbformat
import pytest
from mkdocs.utils.yaml import yaml_load

from site_tools import katex
from site_tools.chapter_source import reader_markdown

from helpers import CHAPTERS, DOCS, PAGES, ROOT, html_path


class Head(HTMLParser):
    """The <meta> elements of a page's head, attributes as a browser parses them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.metas: list[dict[str, str]] = []
        self.in_head = True

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_head = False
        if tag == "meta" and self.in_head:
            self.metas.append(dict(attrs))


def front_matter(lang: str, page: str) -> dict:
    text = (DOCS[lang] / f"{page}.md").read_text("utf-8")
    found = re.match(r"\A---\n(.*?)\n---\n", text, re.S)
    return yaml_load(found[1]) if found else {}


def config_description(lang: str) -> str:
    for name in (["mkdocs.zh.yml"] if lang == "zh" else []) + ["mkdocs.yml"]:
        config = yaml_load((ROOT / name).read_text("utf-8").replace("!ENV", ""))
        if config.get("site_description"):
            return config["site_description"]
    raise LookupError("no site_description")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES + [f"notebooks/{c}" for c in CHAPTERS])
def test_description_in_the_head_is_the_front_matters(site, lang, page):
    parser = Head()
    parser.feed(html_path(site, lang, page).read_text("utf-8"))
    metas = parser.metas
    descriptions = [m for m in metas if m.get("name") == "description"]
    assert len(descriptions) == 1
    # a description is one attribute: a quote in it may not end it early
    assert set(descriptions[0]) == {"name", "content"}, descriptions[0]
    source = page if not page.startswith("notebooks/") else None
    expected = front_matter(lang, source).get("description") if source else None
    assert descriptions[0]["content"] == (expected or config_description(lang))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_navigation_titles_are_escaped(site, lang):
    page = html_path(site, lang, "less-than").read_text("utf-8")
    assert "1 · x &lt; 10" in page
    body = page.split("<body", 1)[1]
    # the text of a page has no "<" that does not start a tag (code is escaped too)
    assert not re.search(r"<(?![a-zA-Z/!])", body), re.search(r".{40}<(?![a-zA-Z/!]).{20}", body)


def visible_text(page_html: str) -> str:
    """The page's text outside code, scripts, MathML and tags."""
    text = re.sub(r"<(pre|code|script|style|math|textarea)\b.*?</\1>", " ", page_html, flags=re.S)
    text = re.sub(r"<[^>]*>", " ", text)
    return html.unescape(text)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES + [f"notebooks/{c}" for c in CHAPTERS])
def test_no_formula_is_left_as_tex(site, lang, page):
    text = visible_text(html_path(site, lang, page).read_text("utf-8"))
    raw = re.findall(
        r"\\[(\[].{0,40}|\$[^$\s][^$]{0,40}\$|\\(?:frac|bmod|mathrm|min)\b.{0,30}", text
    )
    assert raw == [], raw


def test_figure_captions_with_tex_are_typeset(site):
    """The captions that hold TeX in the sources (raw HTML, which Markdown leaves alone)
    show KaTeX."""
    for lang in DOCS:
        for page in CHAPTERS:
            source = (DOCS[lang] / f"{page}.md").read_text("utf-8")
            with_tex = [
                c for c in re.findall(r"<figcaption>(.*?)</figcaption>", source, re.S) if "\\(" in c
            ]
            built = html_path(site, lang, page).read_text("utf-8")
            shown = re.findall(r"<figcaption>(.*?)</figcaption>", built, re.S)
            assert len([c for c in shown if 'class="katex"' in c]) == len(with_tex), (lang, page)


def test_mathml_has_no_rows_inside_operators(site):
    """KaTeX's \\bmod wrote <mo><mrow>…</mrow></mo>, which MathML does not allow."""
    for path in site.rglob("*.html"):
        assert not re.search(r"<mo\b[^>]*><mrow>", path.read_text("utf-8")), path


LIGHTER = [r"\min(a, b) = a - \mathrm{ReLU}(a - b)", r"\tfrac16", r"x^{2^n} \bmod 2", r"\sqrt{2}"]


@pytest.mark.parametrize("tex", LIGHTER)
def test_lighter_formulas_keep_every_class_and_style_that_draws_them(tex):
    """lighter_html drops only the class names KaTeX's stylesheet never selects and
    writes the inline styles shorter, with the same values, and nothing else."""
    (rendered,) = katex.render([(tex, False)])
    lighter = katex.lighter_html(rendered)
    assert len(lighter) < len(rendered)

    def skeleton(text: str) -> str:  # the markup without its classes and styles
        return re.sub(r' (class|style)="[^"]*"', "", text)

    def styled(text: str) -> list[list[str]]:  # each element's classes that draw something
        names = re.findall(r'<span(?: class="([^"]*)")?', text)
        return [[n for n in found.split() if n in katex.styled_classes()] for found in names]

    def styles(text: str) -> list[list[tuple[str, float]]]:
        found = re.findall(r' style="([^"]*)"', text)
        return [
            [(k, float(v[:-2])) for k, v in (d.split(":") for d in s.split(";") if d)]
            for s in found
        ]

    assert skeleton(lighter) == skeleton(rendered)
    assert styled(lighter) == styled(rendered)
    assert styles(lighter) == styles(rendered)
    assert "mord" in rendered and "mord" not in lighter  # named, but drawn by no rule
    assert {"base", "strut", "vlist"} & katex.styled_classes() == {"base", "strut", "vlist"}


def formula_texts(page_html: str) -> set[str]:
    """The text of each formula's MathML on a page."""
    found = re.findall(r'<span class="katex-mathml">(.*?)</span>', page_html, re.S)
    return {html.unescape(re.sub(r"<[^>]*>", "", f)) for f in found}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_search_index_holds_each_formula_once(site, lang):
    """KaTeX writes each formula twice, as MathML and as HTML: the index holds one."""
    folder = site if lang == "en" else site / lang
    index = json.loads((folder / "search" / "search_index.json").read_text("utf-8"))
    text = "\n".join(doc["text"] for doc in index["docs"])
    formulas = {
        f for page in PAGES for f in formula_texts(html_path(site, lang, page).read_text("utf-8"))
    }
    long = [f for f in formulas if len(f) >= 4]
    assert any(f in text for f in long), "the formulas are in the index"
    assert [f for f in long if f + f in text] == []


def test_chinese_strings_have_no_folded_spaces():
    """YAML folds a line break into a space: none may stand between Chinese characters."""
    config = yaml_load((ROOT / "mkdocs.zh.yml").read_text("utf-8").replace("!ENV", ""))
    for key, value in config["extra"]["strings"].items():
        assert not re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef] [\u4e00-\u9fff]", value), (
            key
        )


def test_chinese_bold_lead_ins_end_before_their_colon():
    """A bold lead-in of a Chinese page is "**证明**：", as in running Chinese text. Not
    "**证明。** ": the space after the full stop shows on the page, and without it a
    CommonMark renderer (the notebooks') would not close the bold."""
    for path in sorted((ROOT / "docs" / "zh").glob("*.md")):
        text = path.read_text("utf-8")
        assert not re.findall(r"\*\*[^*\n]+。\*\* ", text), path.name


def test_both_languages_have_every_string():
    en = yaml_load((ROOT / "mkdocs.yml").read_text("utf-8").replace("!ENV", ""))
    zh = yaml_load((ROOT / "mkdocs.zh.yml").read_text("utf-8").replace("!ENV", ""))
    assert set(en["extra"]["strings"]) == set(zh["extra"]["strings"])


def notebook_file(site, lang, page):
    folder = site if lang == "en" else site / lang
    return folder / "notebooks" / page / f"{page}.ipynb"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", CHAPTERS)
def test_notebook_is_saved_under_a_name_of_its_language(site, lang, page):
    built = html_path(site, lang, f"notebooks/{page}").read_text("utf-8")
    assert f'href="{page}.ipynb" download="{page}.{lang}.ipynb"' in built


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", CHAPTERS)
def test_notebook_links_point_at_the_live_sites_pages(site, lang, page):
    notebook = nbformat.read(notebook_file(site, lang, page), as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    links = re.findall(r"\]\(([^)\s]+)|<(https?://[^>]+)>", text)
    urls = [a or b for a, b in links if (a or b).startswith("http")]
    assert urls, "the notebook links to its page"
    for url in urls:
        assert not re.search(r"\.html\b|\.md\b", url), url
    intro = notebook.cells[0].source
    assert not re.search(r"[\u3002\uff0c] ", intro), "a space after Chinese punctuation"


def test_every_continuing_block_is_marked(site):
    from site_tools import continuation

    for lang in DOCS:
        for page in PAGES:
            markdown = reader_markdown((DOCS[lang] / f"{page}.md").read_text("utf-8"))
            flags = continuation.continues(markdown)
            starts = continuation.chain_starts(flags)
            for path in (html_path(site, lang, page), html_path(site, lang, f"notebooks/{page}")):
                if not path.exists():
                    continue
                built = path.read_text("utf-8")
                buttons = re.findall(r'data-tn-from="(\d+)" data-tn-to="(\d+)"', built)
                expected = [
                    (str(starts[i]), str(i)) for i, f in enumerate(flags) if f and starts[i] < i
                ]
                assert buttons == expected, (lang, page, path)
                assert "pytest-codeblocks" not in built


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", CHAPTERS)
def test_notebook_figures_have_a_white_ground(site, lang, page):
    """A notebook shows its figures in its own theme, light or dark: on white, opaque."""
    from PIL import Image

    notebook = nbformat.read(notebook_file(site, lang, page), as_version=4)
    pngs = [
        base64.b64decode(data["image/png"])
        for cell in notebook.cells
        for data in (cell.get("attachments") or {}).values()
    ]
    assert pngs
    for png in pngs:
        image = Image.open(io.BytesIO(png)).convert("RGBA")
        assert image.getextrema()[3] == (255, 255)  # no pixel lets the theme through
        width, height = image.size
        corners = [(0, 0), (width - 1, 0), (0, height - 1), (width - 1, height - 1)]
        assert {image.getpixel(corner) for corner in corners} == {(255, 255, 255, 255)}


def test_every_table_column_has_a_header(site):
    """A table whose first header cell is empty leaves that column's cells without a header:
    screen readers read them unlabelled (Lighthouse's td-has-header). Every built page,
    every table of the content, every header cell holds text."""
    empty = []
    for path in site.rglob("*.html"):
        html = path.read_text("utf-8")
        for table in re.findall(r"<table\b.*?</table>", html, re.S):
            if 'class="tn-' in table:  # a widget's own tables, built by its script
                continue
            for head in re.findall(r"<thead>(.*?)</thead>", table, re.S):
                cells = re.findall(r"<th\b[^>]*>(.*?)</th>", head, re.S)
                if any(not re.sub(r"<[^>]+>", "", c).strip() for c in cells):
                    empty.append(path.relative_to(site).as_posix())
    assert empty == []
