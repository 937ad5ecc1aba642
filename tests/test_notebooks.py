"""The chapters' notebooks: generated from the pages, rendered on the site, runnable anywhere."""

import json
import re

import nbformat
import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

from site_tools import cjk, continuation, kernel
from site_tools.chapter_source import executed_fences, reader_markdown, solution_fences
from site_tools.hooks import notebook_links

from helpers import CHAPTERS, DOCS, REPO_URL, attached_figures, html_path


def notebook_path(site, lang, page):
    folder = site if lang == "en" else site / lang
    return folder / "notebooks" / page / f"{page}.ipynb"


def code_cells(notebook) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("page", CHAPTERS)
def test_each_chapter_has_a_notebook_in_both_languages(site, page):
    en, zh = (nbformat.read(notebook_path(site, lang, page), as_version=4) for lang in ("en", "zh"))
    nbformat.validate(en)
    nbformat.validate(zh)
    assert code_cells(en) == code_cells(zh)  # so running one language runs both
    assert len(code_cells(en)) >= 5
    assert [c.id for c in en.cells] == [f"cell-{i:03d}" for i in range(len(en.cells))]
    for notebook in (en, zh):
        assert all(cell.outputs is not None for cell in notebook.cells if cell.cell_type == "code")
        assert any(cell.outputs for cell in notebook.cells if cell.cell_type == "code")
        text = json.dumps(notebook.dict())
        assert "{{" not in text and "--8<--" not in text and "pytest-codeblocks" not in text
        assert not re.search(r"^\s*(from|import) snippets", "\n".join(code_cells(notebook)), re.M)
    assert re.search(r"[\u4e00-\u9fff]", zh.cells[0].source)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", CHAPTERS)
def test_notebook_is_a_workbook(site, lang, page):
    """Stubs and checks are cells (a check collapsed, as on the page); worked solutions are in
    collapsed <details> blocks of Markdown cells, shown, never run."""
    notebook = nbformat.read(notebook_path(site, lang, page), as_version=4)
    text = reader_markdown((DOCS[lang] / f"{page}.md").read_text("utf-8"))
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.source for cell in code] == [f.code.rstrip("\n") for f in executed_fences(text)]
    hidden = [cell.source for cell in code if cell.metadata.get("jupyter", {}).get("source_hidden")]
    assert all(re.search(r"^def check_\w+", source, re.M) for source in hidden)
    assert len(hidden) == len(re.findall(r'^\?\?\? note "(?:Check code|检查代码)"', text, re.M))
    prose = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    for fence in solution_fences(text):
        block = prose[: prose.index(fence.code)]
        assert block.rindex("<details>") > block.rfind("</details>")  # inside an open block
        assert all(fence.code not in cell.source for cell in code)


def without_counts(outputs: list[dict]) -> list[dict]:
    """Outputs as the kernel gave them, without the execution counts the notebook renumbers."""
    return [{k: v for k, v in dict(o).items() if k != "execution_count"} for o in outputs]


@pytest.mark.parametrize("page", CHAPTERS)
def test_notebook_is_one_fresh_run_of_its_cells_and_a_rerun_prints_the_same(site, reader_run, page):
    """The notebook's outputs are those of the build's run of exactly its cells, top to bottom
    in a fresh kernel (site_tools/kernel.py keys that run by the code alone); and its cells,
    run again from the top in a reader's fresh Python, print what the notebook shows. That
    second run is the one the code-block tests make of what the page's copy button copies
    (the page is one chain of blocks: the same text), so it costs nothing more here."""
    stored = nbformat.read(notebook_path(site, "en", page), as_version=4)
    markdown = reader_markdown((DOCS["en"] / f"{page}.md").read_text("utf-8"))
    codes = [fence.code for fence in executed_fences(markdown)]
    assert code_cells(stored) == [code.rstrip("\n") for code in codes]
    ran = kernel.recorded(codes)
    assert ran is not None, f"no run of {page}'s code blocks is recorded"
    cells = [cell for cell in stored.cells if cell.cell_type == "code"]
    assert [without_counts(cell.outputs) for cell in cells] == [without_counts(o) for o in ran]

    status, printed, stderr = reader_run(continuation.JOIN.join(code_cells(stored)) + "\n")
    assert status == 0, stderr[-3000:]
    shown = [o for cell in cells for o in cell.outputs if o.output_type == "stream"]
    assert all(o.name == "stdout" for o in shown), "a cell writes to stderr (a warning?)"
    assert printed == "".join(o.text for o in shown)


@pytest.mark.parametrize("page", CHAPTERS)
def test_figure_captions_are_in_italics_in_english_only(site, page):
    """A figure's caption follows it as a paragraph: in italics in English, plain in Chinese,
    which is not set in italics (extra.strings.notebook_caption of each language)."""
    for lang in ("en", "zh"):
        notebook = nbformat.read(notebook_path(site, lang, page), as_version=4)
        captions = [
            match[1]
            for cell in notebook.cells
            if cell.cell_type == "markdown"
            for match in re.finditer(r"\]\(attachment:[^)\n]+\)\n\n([^\n]+)", cell.source)
        ]
        assert captions, f"no figure in the {lang} notebook {page}"
        for caption in captions:
            html = MarkdownIt("commonmark").render(caption)
            if lang == "en":
                assert html.startswith("<p><em>") and html.rstrip().endswith("</em></p>"), caption
            else:
                assert not re.search(rf"<em>[^<]*[{cjk.HAN}]", html), caption


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", CHAPTERS)
def test_notebook_figures_are_attachments_jupyter_shows(site, lang, page):
    """Every figure of the page, attached to the notebook as a PNG: JupyterLab and Notebook 7
    show an SVG attachment as a broken image (they render raster types only, from base64);
    PNG, they, nbconvert, VS Code, Colab and GitHub all show. The notebook page shows the
    site's SVG instead, and carries no PNG."""
    notebook = nbformat.read(notebook_path(site, lang, page), as_version=4)
    shown = attached_figures(notebook, site / "figures")
    text = (DOCS[lang] / f"{page}.md").read_text("utf-8")
    assert sorted(shown) == sorted(re.findall(r"\]\(figures/([\w-]+)\.svg\)", text))
    for cell in notebook.cells:  # nbconvert's notebook page, before the site restyles it
        for name, bundle in (cell.get("attachments") or {}).items():
            html = nbconvert_html(cell.source, cell.attachments)
            assert f'src="data:image/png;base64,{bundle["image/png"]}"' in html, name
    page_html = html_path(site, lang, f"notebooks/{page}").read_text("utf-8")
    assert "data:image/png" not in page_html
    assert all(f'src="../../figures/{name}.svg#only-light"' in page_html for name in shown)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", CHAPTERS)
def test_notebook_page(site, lang, page):
    path = html_path(site, lang, f"notebooks/{page}")
    html = path.read_text("utf-8")
    assert re.search(
        rf'<a class="md-button" href="{page}.ipynb" download="{page}.{lang}.ipynb">', html
    )
    colab = (
        f"https://colab.research.google.com/github/{REPO_URL[19:]}/blob/gh-pages/"
        f"{'' if lang == 'en' else 'zh/'}notebooks/{page}/{page}.ipynb"
    )
    assert f'href="{colab}"' in html
    assert not re.search(r"mathjax|cdnjs|jsdelivr|unpkg|<style", html, re.I)
    assert 'class="highlight hl-python"' in html and "<pre><code" in html
    # the chapter links to its notebook
    chapter = html_path(site, lang, page).read_text("utf-8")
    assert f'href="../notebooks/{page}/"' in chapter


def test_colab_link_only_for_a_github_repository():
    strings = {"download_notebook": "Download", "open_in_colab": "Colab"}
    for repo in (None, "", "https://gitlab.com/someone/tiny-nets"):
        assert "colab" not in notebook_links("parity.ipynb", repo, "zh/", strings)
    links = notebook_links("parity.ipynb", "https://github.com/someone/tiny-nets/", "zh/", strings)
    url = (
        "https://colab.research.google.com/github/someone/tiny-nets/blob/gh-pages/"
        "zh/notebooks/parity/parity.ipynb"
    )
    assert f'href="{url}"' in links and 'href="parity.ipynb" download' in links


# --- the notebooks' Markdown, as the notebook pages, Jupyter and Colab render it ----------

# markup that a renderer left as text: unclosed bold, underscores, admonitions and includes
# of the site's Markdown, build-time placeholders, and the site's \( formula delimiters
RAW_MARKUP = ["**", "__", "!!!", "???", "--8<--", "{{", "\\(", "{ #", "{#"]


def nbconvert_html(markdown: str, attachments: dict) -> str:
    """A Markdown cell as the notebook pages render it: mkdocs-jupyter uses nbconvert's
    HTMLExporter, whose markdown2html filter is this mistune renderer."""
    renderer = IPythonRenderer(escape=False, attachments=attachments)
    return MarkdownWithMath(renderer=renderer).render(markdown)


def commonmark_html(markdown: str, attachments: dict) -> str:
    """The same cell as a CommonMark reader (Jupyter, Colab) renders it."""
    return MarkdownIt("commonmark").enable("table").render(markdown)


RENDERERS = {"mistune": nbconvert_html, "commonmark": commonmark_html}
MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.S)  # Jupyter's $...$ and $$...$$


def rendered_text(html: str) -> str:
    """The text a reader sees, without code, preformatted blocks and formulas."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["code", "pre", "script", "style"]):
        tag.decompose()
    return MATH.sub(" ", soup.get_text())


def raw_markup(markdown: str, attachments: dict | None = None) -> dict[str, list[str]]:
    """For each renderer, the pieces of raw markup in the rendered text, with some context."""
    found = {}
    for name, render in RENDERERS.items():
        text = rendered_text(render(markdown, attachments or {}))
        hits = [
            text[max(0, m.start() - 15) : m.end() + 15]
            for token in RAW_MARKUP
            for m in re.finditer(re.escape(token), text)
        ]
        if hits:
            found[name] = hits
    return found


def test_raw_markup_is_found_where_it_is_left():
    found = raw_markup("**下一章：**用 ReLU 网络")  # CommonMark does not close this bold
    assert set(found) == set(RENDERERS)
    assert all("**下一章：**用" in hit for hits in found.values() for hit in hits)
    assert raw_markup("**下一章**：用 ReLU 网络") == {}
    assert raw_markup("the formula \\(x\\) and {{ less_than.key }}") != {}
    assert raw_markup("### 1.4 · Far more data { #exercise-1-4 }") != {}
    assert raw_markup("math $a_1 \\cdot b__2$ and `**code**`\n\n```\n!!! note\n```") == {}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", CHAPTERS)
def test_notebook_markdown_renders_without_raw_markup(site, lang, page):
    notebook = nbformat.read(notebook_path(site, lang, page), as_version=4)
    problems = {}
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            found = raw_markup(cell.source, cell.get("attachments", {}))
            if found:
                problems[cell.id] = found
    assert not problems, f"raw markup in the {lang} notebook {page}: {problems}"


def prose(markdown: str) -> str:
    """A Markdown cell without its code: fenced blocks and inline code spans."""
    without_blocks = re.sub(r"```.*?```", "\n", markdown, flags=re.S)
    return re.sub(r"`[^`\n]*`", "x", without_blocks)  # a code span reads as a Latin word


@pytest.mark.parametrize("page", CHAPTERS)
def test_chinese_notebooks_have_no_line_break_between_chinese_characters(site, page):
    """Jupyter shows a line break in Markdown as a space, which Chinese text does not have."""
    notebook = nbformat.read(notebook_path(site, "zh", page), as_version=4)
    han = cjk.HAN
    breaks = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            text = prose(cell.source)
            breaks += re.findall(rf".{{0,10}}[{han}]\n(?:>?[ \t]*)[{han}].{{0,10}}", text)
            breaks += [m.group() for m in cjk.BREAK.finditer(text)]
    assert not breaks
