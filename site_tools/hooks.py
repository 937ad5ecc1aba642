"""MkDocs hooks of Tiny Nets: build-time experiments and the second language.

The hooks never name a chapter: they ask `site_tools.course` which chapters there are.

- on_config: each language's navigation gets its notebooks section, one entry per chapter.
- on_files: refuses symlinks under docs/; runs what the cache lacks (site_tools/jobs.py),
  the check of every chapter's mystery network included (site_tools/mysteries.py);
  adds each experiment's figures (drawn once, from the disk cache) to the site.
- on_page_markdown: replaces `{{ experiment.key }}` in the prose by the number it names,
  and shows under each Python block what it printed when the build ran the page's code.
- on_files, also: each chapter becomes a notebook (notebooks/<page>.ipynb), with the
  outputs of that same run, which mkdocs-jupyter renders as a page of its own;
  on_page_content trims what nbconvert puts into those pages (600 KB of CSS, a MathJax
  script from a CDN) so that they use the site's own styles and KaTeX.
- on_page_content, on every page: formulas are typeset by KaTeX at build time.
- on_files of the root (English) build, once what the languages share has run, starts
  every other language's build into `site_dir/<path>`, each in a process of its own
  (site_tools/language_site.py), beside its own; on_post_build waits for them, and fails
  if one failed.
"""

from __future__ import annotations

import atexit
import html as html_text
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import zipfile
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import get_relative_url

from site_tools import (
    cache,
    checkpoints,
    cjk,
    code_html,
    continuation,
    course,
    experiments,
    jobs,
    katex,
    kernel,
    mysteries,
    notebooks,
    widgets,
)
from site_tools.chapter_source import executed_fences, reader_markdown
from site_tools.course import ROOT
from site_tools.results import in_language

_builds: dict[int, Path] = {}  # id(config) -> this build's own folder (its notebooks)
_site_locks: dict[int, object] = {}  # id(config) -> the lock on the root build's site folder
_figures: dict[int, dict[str, Path]] = {}  # id(config) -> figure name -> its SVG file
BUILD_FOLDER = jobs.SCRATCH  # such folders are in the system's temporary folder
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\.([a-z0-9_]+)\s*\}\}")
CJK = cjk.HAN


def on_startup(command: str, dirty: bool) -> None:
    jobs.stop_on_sigterm()  # SIGTERM stops the build as Ctrl-C does: children included


@event_priority(100)  # before Material's offline plugin, which would add a script from unpkg
def on_config(config: MkDocsConfig) -> None:
    experiments.forget()  # verify the cache afresh: it may have changed since the last build
    cache.forget()
    if config.theme["language"] == config.extra["language_sites"][0]["lang"]:
        # one build at a time into a site folder: the next waits (builds elsewhere don't)
        # the lock is on the folder itself: no lock file to leave behind (mkdocs empties
        # the folder, it never removes it)
        site = Path(config.site_dir).absolute()
        site.mkdir(parents=True, exist_ok=True)
        _site_locks[id(config)] = cache.acquire(site, busy_checkpoint="site-busy")
        # what builds that were killed left behind
        cache.remove_leftovers(cache.cache_root())
        cache.remove_leftovers(Path(tempfile.gettempdir()), f"{BUILD_FOLDER}*")
    add_notebooks_to_nav(config)
    if config.theme["language"] == "zh" and "material/search" in config.plugins:
        # search matches whole words: let jieba keep the glossary's terms (梯度下降) whole
        config.plugins["material/search"].config.jieba_dict_user = str(glossary_dictionary(config))
    config.extra["offline"] = config.plugins["material/offline"].config.enabled
    if config.extra["offline"]:
        # search from file:// needs this shim; the site serves its own copy
        config.extra["polyfills"] = ["assets/javascripts/iframe-worker/shim.js"]
    # Material writes the description into an attribute as it is: escape it once
    if config.site_description and not isinstance(config.site_description, Markup):
        config.site_description = escape(config.site_description)
    # Dates in the sitemap's .gz come from here: the last commit's time, for identical builds.
    if "SOURCE_DATE_EPOCH" not in os.environ:
        stamp = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        os.environ["SOURCE_DATE_EPOCH"] = stamp or "0"
    # Includes resolve from the project root, wherever mkdocs was started.
    snippets = config.mdx_configs["pymdownx.snippets"]
    snippets["base_path"] = [str(ROOT / p) for p in snippets["base_path"]]
    # The address of the whole site, whichever language this build is: for hreflang links.
    here = next(s for s in config.extra["language_sites"] if s["lang"] == config.theme["language"])
    site_url = config.site_url or "/"
    config.extra["top_url"] = site_url[: len(site_url) - len(here["path"])]
    config.extra["site_path"] = here["path"]
    config.extra["top_path"] = urlsplit(config.extra["top_url"]).path


def add_notebooks_to_nav(config: MkDocsConfig) -> None:
    """After the last chapter in the navigation: a section with every chapter's notebook,
    titled as its chapter is."""
    nav = config.nav or []
    found = [
        (i, title, chapter)
        for i, entry in enumerate(nav)
        if isinstance(entry, dict)
        for title, target in entry.items()
        if isinstance(target, str) and (chapter := course.chapter_of_page(target))
    ]
    if not found:
        return
    section = [{title: chapter.notebook} for _, title, chapter in found]
    nav.insert(found[-1][0] + 1, {config.extra["strings"]["notebooks"]: section})


def glossary_dictionary(config: MkDocsConfig) -> Path:
    """A jieba user dictionary with the Chinese terms of the glossary page, named by its
    content: written once, whole, and never again (the cache may be read-only)."""
    table = Path(config.docs_dir, "glossary.md").read_text(encoding="utf-8")
    terms = set()
    for row in re.findall(r"^\|(.+)\|$", table, re.M)[2:]:  # below the header
        for term in re.split(r"[，、,\s]+", row.split("|")[1]):
            if re.search(rf"[{CJK}]", term):
                terms.add(term)
    text = "".join(f"{t} 100000\n" for t in sorted(terms))
    path = cache.cache_root() / f"jieba-glossary-{cache.key(text)}.txt"
    if not path.exists():
        cache.write_atomic(path, text)
    return path


def warm_caches(files: Files) -> None:
    """Run whatever the cache lacks, two at a time: experiments in Pythons of their own,
    chapters' code in Jupyter kernels. Each is the same work the build would do one after
    the other; this only lets the two cores share it."""
    missing = [c for c in course.chapters() if not experiments.is_cached(c)]
    missing.sort(key=lambda chapter: chapter.expected_seconds, reverse=True)  # longest first
    jobs_to_run = [partial(experiments.ensure, chapter) for chapter in missing]
    if not mysteries.is_checked():  # every chapter's mystery network against its solution
        jobs_to_run.append(mysteries.ensure_checked)
    seen = set()
    for file in files.documentation_pages():
        codes = page_codes(file)
        key = kernel.code_key(codes)
        if codes and key not in seen and not kernel.is_cached(codes):
            seen.add(key)
            jobs_to_run.append(partial(kernel.outputs, codes, file.src_uri))
    try:
        jobs.run_all(jobs_to_run)
    except (jobs.JobFailed, kernel.CodeBlockError) as error:
        raise PluginError(str(error)) from None


def page_codes(file: File) -> list[str]:
    markdown = Path(file.abs_src_path).read_text(encoding="utf-8")
    return [fence.code for fence in executed_fences(reader_markdown(markdown))]


def refuse_symlinks(files: Files, config: MkDocsConfig) -> None:
    """Nothing reached through a symbolic link is published: it could be anything on the
    machine (a repository's .git/config, the build's environment)."""
    docs = Path(config.docs_dir).absolute()
    links = []
    for file in files:
        path = Path(file.abs_src_path or "")
        if not path.is_relative_to(docs):
            continue  # the theme's own files
        real = docs.resolve() / path.relative_to(docs)
        if real.resolve() != real:
            links.append(f"{path}: a symbolic link under {config.docs_dir}")
    if links:
        raise PluginError("refusing to publish what links point to:\n" + "\n".join(links))


@event_priority(50)  # before mkdocs-jupyter's on_files, which must see the notebooks
def on_files(files: Files, config: MkDocsConfig) -> Files:
    refuse_symlinks(files, config)
    warm_caches(files)
    sites = config.extra["language_sites"]
    if config.theme["language"] == sites[0]["lang"]:
        # what the languages share is computed (and the site folder emptied): the other
        # languages are built beside this one, from the cache, on the other core
        _other_languages[id(config)] = start_other_languages(config, sites)
    figures = {}
    for result in experiments.all_results().values():
        for name, path in result.figures.items():
            files.append(File.generated(config, f"figures/{name}.svg", abs_src_path=str(path)))
            figures[name] = path
    _figures[id(config)] = figures
    folder = build_folder(config)
    for uri, slim in [(widgets.RUNTIME, widgets.lean), (widgets.STYLES, widgets.lean_css)]:
        shared = files.get_file_from_path(uri)  # what every widget's page loads: served lean
        if shared is not None:
            files.remove(shared)
            text = Path(shared.abs_src_path).read_text(encoding="utf-8")
            files.append(File.generated(config, uri, content=slim(text)))
    for chapter in course.chapters():
        if chapter.widget:
            uri = widgets.script_uri(chapter)
            script = widgets.lean(chapter.widget.read_text(encoding="utf-8"))
            files.append(File.generated(config, uri, content=script))
        file = files.get_file_from_path(f"{chapter.page}.md")
        if file is None:
            raise PluginError(f"chapter {chapter.name}: no page {chapter.page}.md")
        markdown = Path(file.abs_src_path).read_text(encoding="utf-8")
        filled = fill_values(markdown, file.src_uri, config.theme["language"])
        path = write_notebook(file, filled, figures, config, folder)
        # a real file in a folder of its own, not File.generated: mkdocs-jupyter's
        # wrapper recomputes abs_src_path from src_dir and would lose a generated one
        notebook = File(chapter.notebook, str(folder), config.site_dir, config.use_directory_urls)
        files.append(notebook)
        if config.extra["offline"]:  # from file:// a browser shows an .ipynb: offer a .zip
            name = download_name(notebook.src_uri, config)
            zipped = f"{Path(notebook.dest_uri).parent.as_posix()}/{Path(name).stem}.zip"
            files.append(File.generated(config, zipped, content=zip_one(name, path)))
    checkpoints.reach("files-ready")
    return files


def build_folder(config: MkDocsConfig) -> Path:
    """A folder of this build's own, for what depends on its settings (the notebooks
    name the page's address): two builds at once never share it. Removed at the end of
    the build; if the build is killed, by the next one."""
    if id(config) not in _builds:
        prefix = f"{BUILD_FOLDER}{os.getpid()}.{config.theme['language']}."
        _builds[id(config)] = Path(tempfile.mkdtemp(prefix=prefix))
        atexit.register(shutil.rmtree, _builds[id(config)], True)  # stopped by Ctrl-C too
    return _builds[id(config)]


def remove_build_folder(config: MkDocsConfig) -> None:
    folder = _builds.pop(id(config), None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def notebook_uri(file: File) -> str:
    return f"notebooks/{Path(file.src_uri).stem}.ipynb"


def write_notebook(
    file: File, markdown: str, figures: dict, config: MkDocsConfig, folder: Path
) -> Path:
    """Write the chapter as notebooks/<page>.ipynb into this build's folder."""
    import nbformat

    strings = config.extra["strings"]
    url = live_url(config, file.src_uri)
    notebook = notebooks.chapter_notebook(
        markdown,
        intro=strings["notebook_intro"].format(url=url),
        page_url_of=lambda name: live_url(config, f"{name}.md"),
        figures=figures,
        where=file.src_uri,
        caption=strings["notebook_caption"],
    )
    path = folder / notebook_uri(file)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
    return path


def live_url(config: MkDocsConfig, src_uri: str) -> str:
    """A page's address on the live site (folder addresses), whatever this build's URL
    style: the offline copy's notebooks point readers at the site, not at a file."""
    stem = Path(src_uri).with_suffix("").as_posix()
    folder = "" if stem == "index" else stem.removesuffix("/index") + "/"
    return (config.site_url or "/") + folder


def download_name(src_uri: str, config: MkDocsConfig) -> str:
    """The file name a reader saves a notebook under: the language in it, so that the
    English and the Chinese notebook of a chapter do not overwrite each other."""
    return f"{Path(src_uri).stem}.{config.theme['language']}.ipynb"


def zip_one(name: str, path: Path) -> bytes:
    """A .zip holding one file, byte-identical from build to build."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        archive.writestr(entry, path.read_bytes())
    return buffer.getvalue()


@event_priority(-50)  # after mkdocs-jupyter's on_pre_page, which sets page.render
def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    """mkdocs-jupyter converts a notebook page on every build, about a second each: keep
    its output in the build cache, keyed by the notebook and the converter's versions."""
    if not page.file.src_uri.startswith("notebooks/"):
        return page
    convert = page.render
    settings = json.dumps(config.plugins["mkdocs-jupyter"].config, sort_keys=True, default=str)

    def render(config: MkDocsConfig, files: Files) -> None:
        source = Path(page.file.abs_src_path).read_bytes()
        versions = cache.versions("mkdocs-jupyter", "nbconvert", "mistune", "pygments")
        path = (
            cache.cache_root() / "notebook-pages" / f"{cache.key(source, versions, settings)}.json"
        )
        stored = cache.read_json(path)
        if stored is None:
            convert(config, files)
            stored = {"content": page.content, "title": page.title, "toc": toc_data(page.toc)}
            cache.write_json(path, stored)
        page.content, page.title = stored["content"], stored["title"]
        page.toc = TableOfContents([toc_entry(entry) for entry in stored["toc"]])

    page.render = render
    return page


def toc_data(entries) -> list[dict]:
    return [
        {"title": e.title, "id": e.id, "level": e.level, "children": toc_data(e.children)}
        for e in entries
    ]


def toc_entry(data: dict) -> AnchorLink:
    entry = AnchorLink(data["title"], data["id"], data["level"])
    entry.children = [toc_entry(child) for child in data["children"]]
    return entry


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    markdown = display_formulas_apart(markdown)
    filled = fill_values(markdown, page.file.src_uri, config.theme["language"])
    markdown = add_outputs(filled, page.file.src_uri)
    if files.get_file_from_path(notebook_uri(page.file)):
        markdown = add_notebook_link(markdown, page, config)
    return markdown


def display_formulas_apart(markdown: str) -> str:
    """A display formula written inside a paragraph (`\\[` on the line after text, as in
    a box) is a block of its own, as arithmatex needs: else Markdown reads `\\[` as an
    escaped bracket and the page shows the TeX. Blank lines go around it; code blocks are
    left alone."""
    lines, out, fence = markdown.split("\n"), [], None
    for i, line in enumerate(lines):
        stripped = line.strip()
        opening = re.match(r"(`{3,}|~{3,})", stripped)
        if fence is None and opening:
            fence = opening[1]
        elif fence is not None and stripped.startswith(fence):
            fence = None
        elif fence is None:
            if stripped.startswith("\\[") and out and out[-1].strip():
                out.append("")
            if out and out[-1].strip().endswith("\\]") and stripped and i > 0:
                out.append("")
        out.append(line)
    return "\n".join(out)


def fill_values(markdown: str, where: str, lang: str) -> str:
    results = experiments.all_results()

    def value(match: re.Match) -> str:
        name, key = match.groups()
        if name not in results or key not in results[name].values:
            raise PluginError(f"{where}: no build-time value {match.group(0)}")
        return in_language(results[name].values[key], lang)

    return PLACEHOLDER.sub(value, markdown)


def add_notebook_link(markdown: str, page: Page, config: MkDocsConfig) -> str:
    """A "run it yourself" line right after the chapter's opening box."""
    link = config.extra["strings"]["run_it_yourself"]
    line = f":material-notebook-outline: [{link}]({notebook_uri(page.file)})"
    box = re.search(r"^!!! abstract.*\n(?:(?:    .*)?\n)+", markdown, re.M)
    at = box.end() if box else 0
    return markdown[:at] + f"\n{line}\n\n" + markdown[at:]


def add_outputs(markdown: str, where: str) -> str:
    """Insert, after each Python block that prints, a text block with what it printed
    (worked solutions are not run: they print nothing)."""
    blocks = executed_fences(markdown)
    if not blocks:
        return markdown
    codes = [fence.code for fence in executed_fences(reader_markdown(markdown))]
    lines = markdown.split("\n")
    for fence, cell in reversed(list(zip(blocks, kernel.outputs(codes, where), strict=True))):
        printed = kernel.stdout_text(cell).rstrip("\n")
        if printed:
            body = [fence.indent + line for line in printed.split("\n")]
            output = ["", fence.indent + "``` { .text .output }", *body, fence.indent + "```"]
            lines[fence.end + 1 : fence.end + 1] = output
    return "\n".join(lines)


def on_nav(nav, config: MkDocsConfig, files: Files):
    """Material writes navigation titles into the page as HTML: "1 · x < 10" must arrive
    as "1 · x &lt; 10" (a Markup string: templates that escape leave it as it is, and
    Material's <title> unescapes it)."""
    items = list(nav.items)
    while items:
        item = items.pop()
        title = vars(item).get("title")
        if isinstance(title, str) and not isinstance(title, Markup):
            item.title = escape(title)
        items += getattr(item, "children", None) or []
    return nav


@event_priority(100)  # before Material's search (priority 0) indexes the page
def _before_search(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    """Material writes the description into an attribute unescaped: a quote in it would
    end the attribute. Escape it once. And let search index each formula once, as its
    MathML reads (the text a screen reader reads), not also KaTeX's HTML rendering of it;
    _after_search puts the rendering back."""
    description = page.meta.get("description")
    if isinstance(description, str) and not isinstance(description, Markup):
        page.meta["description"] = escape(description)
    _rendered[id(page)] = page.content
    page.content = without_rendering(page.content or "")
    return context


@event_priority(-100)  # after Material's search
def _after_search(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    page.content = _rendered.pop(id(page), page.content)
    return context


on_page_context = CombinedEvent(_before_search, _after_search)
_rendered: dict[int, str] = {}  # id(page) -> its content while search reads it without
KATEX_HTML = '<span class="katex-html" aria-hidden="true">'


def without_rendering(html: str) -> str:
    """The page without KaTeX's HTML renderings of its formulas (their MathML stays)."""
    out, at = [], 0
    while (start := html.find(KATEX_HTML, at)) >= 0:
        out.append(html[at:start])
        depth, cursor = 0, start
        for tag in re.finditer(r"<(/?)span\b[^>]*>", html[start:]):
            depth += -1 if tag[1] else 1
            if depth == 0:
                cursor = start + tag.end()
                break
        at = cursor
    out.append(html[at:])
    return "".join(out)


def on_template_context(context: dict, template_name: str, config: MkDocsConfig) -> dict:
    """The 404 page links with absolute paths, as it may be served at any address; the
    offline copy is opened from the disk, where only relative links work."""
    if template_name == "404.html" and config.extra.get("offline"):
        context["base_url"] = "."
    return context


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    html = code_html.lighten(katex.typeset(html))  # lighter code: the same colours
    if config.theme["language"] == "zh":
        html = cjk.join_lines(html)
    chapter = course.chapter_of_page(page.file.src_uri)
    if chapter and chapter.widget:
        data = experiments.result(chapter.name).data
        html = widgets.embed(html, chapter, data, lambda uri: get_relative_url(uri, page.url))
    strings = config.extra["strings"]
    figures = _figures.get(id(config), {})
    figures_url = get_relative_url("figures/", page.url).rstrip("/") + "/"
    if not page.file.src_uri.startswith("notebooks/"):
        source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
        shown = reader_markdown(source)
        flags, ran = continuation.continues(shown), continuation.runs(shown)
        html = continuation.mark(html, flags, strings, page.file.src_uri, ran)
        return figure_pictures(html, figures, figures_url)
    # a notebook repeats its chapter: search should find the chapter, once
    page.meta["search"] = {"exclude": True}
    name = Path(page.file.src_uri).name
    bar = notebook_links(
        name,
        config.repo_url,
        config.extra["site_path"],
        strings,
        download_as=download_name(page.file.src_uri, config),
        zipped=config.extra["offline"],
    )
    anchors = list(page.toc)
    while anchors:  # the table of contents links to the ids tidy_html gives
        anchor = anchors.pop()
        anchor.id = notebooks.heading_id(anchor.title)
        anchors += anchor.children
    html = tidied_notebook(html, figures_url)
    chapter = Path(config.docs_dir, Path(page.file.src_uri).with_suffix(".md").name)
    if chapter.is_file():  # its code cells continue as the chapter's blocks do
        flags = continuation.continues(reader_markdown(chapter.read_text(encoding="utf-8")))
        html = continuation.mark(html, flags, strings, page.file.src_uri)
    return bar + figure_pictures(html, figures, figures_url)


def tidied_notebook(html: str, figures_url: str) -> str:
    """notebooks.tidy_html(html, figures_url), half a second a page, kept in the build
    cache: keyed by the page, the figures' address, the build's code (every module of
    site_tools), the KaTeX it typesets with and the packages it parses with."""
    machinery = [path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py"))]
    packages = cache.versions("beautifulsoup4", "soupsieve", "pymdown-extensions")
    parts = [html, figures_url, katex.cache_path().name, packages, *machinery]
    path = cache.cache_root() / "notebook-pages" / f"tidy-{cache.key(*parts)}.json"
    tidied = cache.read_json(path)
    if tidied is None:
        tidied = notebooks.tidy_html(html, figures_url=figures_url)
        cache.write_json(path, tidied)
    return tidied


FIGURE_IMG = re.compile(
    r'<img\b(?P<attrs>[^>]*?)\s+src="(?P<src>[^"#]*figures/(?P<name>[\w-]+)\.svg)"'
    r"(?P<more>[^>]*?)\s*/?>"
)
SVG_WIDTH = re.compile(r'<svg\b[^>]*\swidth="(?P<width>[\d.]+)pt"')


def figure_pictures(html: str, figures: dict[str, Path], figures_url: str) -> str:
    """Each figure of the build as two <picture>s, one per colour scheme (its SVG with
    #only-light or #only-dark: see site_tools/figures.py; Material's CSS shows the one of
    the current scheme), each offering the narrow drawing to screens narrower than the
    figure, where the wide one would shrink."""

    def pictures(match: re.Match) -> str:
        name, src = match["name"], match["src"]
        if name not in figures:
            return match[0]
        attrs = match["attrs"] + match["more"]
        narrow = ""
        if f"{name}.narrow" in figures:
            found = SVG_WIDTH.search(figures[name].read_text(encoding="utf-8")[:2000])
            fits = round(float(found["width"]) * 4 / 3) + 32  # CSS px, and the page's margins
            narrow = f'media="(max-width: {fits}px)" srcset="{figures_url}{name}.narrow.svg'
        out = []
        for scheme in ("light", "dark"):
            source = f'<source {narrow}#only-{scheme}">' if narrow else ""
            out.append(f'<picture>{source}<img{attrs} src="{src}#only-{scheme}"></picture>')
        return "".join(out)

    return FIGURE_IMG.sub(pictures, html)


def notebook_links(
    name: str,
    repo_url: str | None,
    site_path: str,
    strings: dict,
    download_as: str | None = None,
    zipped: bool = False,
) -> str:
    """The buttons above a notebook: download it (saved as `download_as`; from the offline
    copy a .zip of it, as a browser shows an .ipynb opened from the disk instead of saving
    it), and open it in Colab when the site's repository is on GitHub (the deploy workflow
    publishes the site to its gh-pages branch)."""
    if zipped:
        stem = Path(download_as or name).stem
        download = f'href="{stem}.zip" download>{strings["download_notebook_zip"]}'
    else:
        saved_as = f'="{html_text.escape(download_as)}"' if download_as else ""
        download = f'href="{name}" download{saved_as}>{strings["download_notebook"]}'
    links = [f'<a class="md-button" {download}</a>']
    repo = (repo_url or "").rstrip("/")
    if repo.startswith("https://github.com/"):  # Colab opens notebooks from GitHub only
        path = f"{site_path}notebooks/{Path(name).stem}/{name}"
        colab = f"https://colab.research.google.com/github/{repo[19:]}/blob/gh-pages/{path}"
        links.append(f'<a class="md-button" href="{colab}">{strings["open_in_colab"]}</a>')
    return f'<p class="tn-notebook-links">{" ".join(links)}</p>'


def on_build_error(error: Exception) -> None:
    jobs.stop_all()  # the other languages' builds and any job still running
    _other_languages.clear()
    for folder in list(_builds.values()):
        shutil.rmtree(folder, ignore_errors=True)
    _builds.clear()
    for handle in list(_site_locks.values()):
        cache.release(handle)
    _site_locks.clear()


def on_post_build(config: MkDocsConfig) -> None:
    remove_build_folder(config)
    sites = config.extra["language_sites"]
    if config.theme["language"] != sites[0]["lang"]:
        return  # only the root build builds the other languages
    checkpoints.reach("pages-written")
    try:
        write_robots_txt(config, sites)
        for other in _other_languages.pop(id(config), []):
            other.join()
            sys.stderr.write(other.output)  # its log, after this build's
            if other.error:
                raise PluginError(str(other.error))
    finally:
        handle = _site_locks.pop(id(config), None)
        if handle:
            cache.release(handle)


_other_languages: dict[int, list[OtherLanguage]] = {}


class OtherLanguage(threading.Thread):
    """The build of another language (site_tools/language_site.py), in a child process
    watched from a thread of this one: a daemon, so that Ctrl-C never waits for it (the
    child, started from this thread, ends with it)."""

    def __init__(self, args: list[str], lang: str):
        super().__init__(daemon=True, name=f"build-{lang}")
        self.args, self.lang = args, lang
        self.output, self.error = "", None

    def run(self) -> None:
        try:
            self.output = jobs.run_python(self.args, cwd=ROOT, what=f"the {self.lang} site")
        except jobs.JobFailed as error:
            self.error = error


def start_other_languages(config: MkDocsConfig, sites: list[dict]) -> list[OtherLanguage]:
    started = []
    for site in sites[1:]:
        args = [
            "-m",
            "site_tools.language_site",
            str(ROOT / site["config"]),
            os.path.join(config.site_dir, site["path"]),
            (config.site_url or "/") + site["path"],
            "strict" if config.strict else "lenient",
            str(logging.getLogger("mkdocs").getEffectiveLevel()),
        ]
        started.append(OtherLanguage(args, site["lang"]))
        started[-1].start()
    return started


def write_robots_txt(config: MkDocsConfig, sites: list[dict]) -> None:
    sitemaps = "".join(
        f"Sitemap: {config.extra['top_url']}{site['path']}sitemap.xml\n" for site in sites
    )  # every language's sitemap, for crawlers
    Path(config.site_dir, "robots.txt").write_text(
        f"User-agent: *\nAllow: /\n{sitemaps}", encoding="utf-8"
    )
