"""The offline copy (`make offline`: OFFLINE=true, opened from the file system): its 404
pages, its notebook downloads and its notebooks' links, read from the disk and, where
Chromium is installed, opened in it from file:// (as tests/test_browser.py, skipped
without it unless TINY_NETS_BROWSER=1)."""

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

from helpers import CHAPTERS, CHROMIUM, REQUIRED, attached_figures


def language_folder(site: Path, lang: str) -> Path:
    return site if lang == "en" else site / lang


class Links(HTMLParser):
    """Every address a page loads or links to."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_404_page_links_work_from_the_disk(offline_site, lang):
    page = language_folder(offline_site, lang) / "404.html"
    parser = Links()
    parser.feed(page.read_text("utf-8"))
    local = [u for u in parser.urls if not re.match(r"[a-z]+:", u) and not u.startswith("#")]
    assert local, "the 404 page loads the site's styles"
    for url in local:
        assert not url.startswith("/"), f"{url}: an absolute path, dead from the disk"
        target = (page.parent / unquote(urlsplit(url).path)).resolve()
        if target.is_dir():
            target = target / "index.html"
        assert target.is_file(), url


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", CHAPTERS)
def test_notebook_downloads_as_a_zip_named_by_language(offline_site, lang, page):
    folder = language_folder(offline_site, lang) / "notebooks"  # no folder per page here
    built = (folder / f"{page}.html").read_text("utf-8")
    found = re.search(r'<a class="md-button" href="([^"]+)" download>', built)
    assert found and found[1] == f"{page}.{lang}.zip"
    with zipfile.ZipFile(folder / found[1]) as archive:
        assert archive.namelist() == [f"{page}.{lang}.ipynb"]
        inside = archive.read(f"{page}.{lang}.ipynb")
    assert inside == (folder / f"{page}.ipynb").read_bytes()
    # its figures, as Jupyter shows them (tests/test_notebooks.py checks the site's too)
    assert attached_figures(
        nbformat.reads(inside.decode("utf-8"), as_version=4), offline_site / "figures"
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", CHAPTERS)
def test_offline_notebooks_link_to_the_live_site(offline_site, lang, page):
    path = language_folder(offline_site, lang) / "notebooks" / f"{page}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    urls = re.findall(r"https?://[^\s)>\"]+", text)
    assert urls
    site = "https://tiny-nets.github.io/tiny-nets/"  # mkdocs.yml's site_url
    for url in urls:
        assert not re.search(r"\.(html|md)\b", url), url
        if url.startswith(site):
            assert url.endswith("/") or "#" in url, url
    intro = notebook.cells[0].source
    expected = f"{site}{'' if lang == 'en' else 'zh/'}{page}/"
    assert expected in intro


@pytest.fixture(scope="session")
def chromium(request):
    if CHROMIUM is None:
        if REQUIRED:
            pytest.fail(
                "TINY_NETS_BROWSER=1 but Chromium is not installed: apt-get install chromium"
            )
        pytest.skip("Chromium not found: `apt-get install chromium` to open the offline copy")
    return request.getfixturevalue("browser")  # the session's (tests/conftest.py)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_404_page_is_styled_from_the_disk(offline_site, chromium, lang):
    context = chromium.new_context()
    tab = context.new_page()
    failed = []
    tab.on("requestfailed", lambda failure: failed.append(failure.url))
    tab.goto((language_folder(offline_site, lang) / "404.html").as_uri())
    assert failed == []
    # Material's style sheet is loaded: the header has its colour, not the default
    header = tab.evaluate("getComputedStyle(document.querySelector('.md-header')).position")
    assert header in ("sticky", "fixed")
    home = tab.locator(".md-content a.md-button")
    home.click()
    tab.wait_for_load_state()
    assert tab.url.endswith(("/index.html", "/zh/index.html"))
    assert Path(unquote(urlsplit(tab.url).path)).is_file()
    context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_notebook_button_saves_a_file_from_the_disk(offline_site, chromium, lang, tmp_path):
    page = CHAPTERS[0]
    context = chromium.new_context(accept_downloads=True)
    tab = context.new_page()
    tab.goto((language_folder(offline_site, lang) / "notebooks" / f"{page}.html").as_uri())
    with tab.expect_download() as download:
        tab.click("a.md-button[download]")
    assert download.value.suggested_filename == f"{page}.{lang}.zip"
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert archive.namelist() == [f"{page}.{lang}.ipynb"]
    context.close()
