"""The chapters' notebooks: generated from the pages, rendered on the site, runnable anywhere."""

import json
import re

import nbformat
import pytest
from nbclient import NotebookClient

from site_tools.notebooks import stdout_text

from test_site import CHAPTERS, html_path


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


@pytest.mark.parametrize("page", CHAPTERS)
def test_notebook_runs_top_to_bottom_and_prints_what_the_site_shows(site, page, tmp_path):
    """Runs the English notebook in a fresh kernel (the Chinese one has the same code)."""
    stored = nbformat.read(notebook_path(site, "en", page), as_version=4)
    fresh = nbformat.read(notebook_path(site, "en", page), as_version=4)
    for cell in fresh.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    NotebookClient(
        fresh, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    ran = [stdout_text(c.outputs) for c in fresh.cells if c.cell_type == "code"]
    shown = [stdout_text(c.outputs) for c in stored.cells if c.cell_type == "code"]
    assert ran == shown


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", CHAPTERS)
def test_notebook_page(site, lang, page):
    path = html_path(site, lang, f"notebooks/{page}")
    html = path.read_text("utf-8")
    assert re.search(rf'<a class="md-button" href="{page}.ipynb" download>', html)
    assert "colab.research.google.com" not in html  # no repository configured: no Colab link
    assert not re.search(r"mathjax|cdnjs|jsdelivr|unpkg|<style", html, re.I)
    assert 'class="highlight hl-python"' in html and "<pre><code" in html
    # the chapter links to its notebook
    chapter = html_path(site, lang, page).read_text("utf-8")
    assert f'href="../notebooks/{page}/"' in chapter


def test_colab_link_with_a_github_repository(tmp_path):
    from conftest import build_site

    site = build_site(tmp_path / "site", REPO_URL="https://github.com/someone/tiny-nets")
    html = html_path(site, "zh", "notebooks/parity").read_text("utf-8")
    url = (
        "https://colab.research.google.com/github/someone/tiny-nets/blob/gh-pages/"
        "zh/notebooks/parity/parity.ipynb"
    )
    assert f'href="{url}"' in html
