"""MkDocs hooks of Tiny Nets: build-time experiments and the second language.

- on_files: adds each experiment's figures (drawn once, from the disk cache) to the site.
- on_page_markdown: replaces `{{ experiment.key }}` in the prose by the number it names,
  and shows under each Python block what it printed when the build ran the page's code.
- on_files, also: each chapter becomes a notebook (notebooks/<page>.ipynb), with the
  outputs of that same run, which mkdocs-jupyter renders as a page of its own;
  on_page_content trims what nbconvert puts into those pages (600 KB of CSS, a MathJax
  script from a CDN) so that they use the site's own styles and KaTeX.
- on_page_content, on every page: formulas are typeset by KaTeX at build time.
- on_post_build: the root (English) build builds every other language's site into
  `site_dir/<path>`, in the same process, so experiments are shared and run once.
"""

from __future__ import annotations

import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from site_tools import cjk, experiments, katex, notebooks
from site_tools.chapter_source import python_fences, reader_markdown

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\.([a-z0-9_]+)\s*\}\}")
CJK = cjk.HAN


@event_priority(100)  # before Material's offline plugin, which would add a script from unpkg
def on_config(config: MkDocsConfig) -> None:
    if config.theme["language"] == "zh" and "material/search" in config.plugins:
        # search matches whole words: let jieba keep the glossary's terms (梯度下降) whole
        config.plugins["material/search"].config.jieba_dict_user = str(glossary_dictionary(config))
    if config.plugins["material/offline"].config.enabled:
        # search from file:// needs this shim; the site serves its own copy
        config.extra["polyfills"] = ["assets/javascripts/iframe-worker/shim.js"]
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


def glossary_dictionary(config: MkDocsConfig) -> Path:
    """A jieba user dictionary with the Chinese terms of the glossary page."""
    table = Path(config.docs_dir, "glossary.md").read_text(encoding="utf-8")
    terms = set()
    for row in re.findall(r"^\|(.+)\|$", table, re.M)[2:]:  # below the header
        for term in re.split(r"[，、,\s]+", row.split("|")[1]):
            if re.search(rf"[{CJK}]", term):
                terms.add(term)
    path = experiments.CACHE_DIR.parent / "jieba-glossary.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{t} 100000\n" for t in sorted(terms)), encoding="utf-8")
    return path


def warm_caches(files: Files) -> None:
    """Run whatever the cache lacks, two at a time: experiments in Pythons of their own,
    chapters' code in Jupyter kernels. Each is the same work the build would do one after
    the other; this only lets the two cores share it."""
    jobs = [partial(experiments.run_in_subprocess, name) for name in experiments.missing()]
    seen = set()
    for file in files.documentation_pages():
        markdown = Path(file.abs_src_path).read_text(encoding="utf-8")
        codes = [fence.code for fence in python_fences(reader_markdown(markdown))]
        key = notebooks.code_key(codes)
        if codes and key not in seen and not notebooks.is_cached(codes):
            seen.add(key)
            jobs.append(partial(notebooks.outputs, codes))
    if len(jobs) > 1:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            for done in [pool.submit(job) for job in jobs]:
                done.result()  # re-raises a failure here


@event_priority(50)  # before mkdocs-jupyter's on_files, which must see the notebooks
def on_files(files: Files, config: MkDocsConfig) -> Files:
    warm_caches(files)
    figures = {}
    for result in experiments.all_results().values():
        for name, path in result.figures.items():
            files.append(File.generated(config, f"figures/{name}.svg", abs_src_path=str(path)))
            figures[name] = path
    for file in list(files.documentation_pages()):
        markdown = Path(file.abs_src_path).read_text(encoding="utf-8")
        if python_fences(markdown):
            folder = write_notebook(file, fill_values(markdown, file.src_uri), figures, config)
            # a real file in a folder of its own, not File.generated: mkdocs-jupyter's
            # wrapper recomputes abs_src_path from src_dir and would lose a generated one
            files.append(
                File(notebook_uri(file), str(folder), config.site_dir, config.use_directory_urls)
            )
    return files


def notebook_uri(file: File) -> str:
    return f"notebooks/{Path(file.src_uri).stem}.ipynb"


def write_notebook(file: File, markdown: str, figures: dict, config: MkDocsConfig) -> Path:
    """Write the chapter as a notebook into the cache (only when it changes); return the
    folder that holds notebooks/<page>.ipynb."""
    import nbformat

    strings = config.extra["strings"]
    url = config.site_url + file.url
    notebook = notebooks.chapter_notebook(
        markdown,
        intro=strings["notebook_intro"].format(url=url),
        page_url_of=lambda name: config.site_url + ("" if name == "index" else f"{name}/"),
        figures=figures,
    )
    text = nbformat.writes(notebook) + "\n"
    folder = notebooks.CACHE_DIR / "site" / config.theme["language"]
    path = folder / notebook_uri(file)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return folder


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    markdown = add_outputs(fill_values(markdown, page.file.src_uri))
    if files.get_file_from_path(notebook_uri(page.file)):
        markdown = add_notebook_link(markdown, page, config)
    return markdown


def fill_values(markdown: str, where: str) -> str:
    results = experiments.all_results()

    def value(match: re.Match) -> str:
        name, key = match.groups()
        if name not in results or key not in results[name].values:
            raise PluginError(f"{where}: no build-time value {match.group(0)}")
        return results[name].values[key].text

    return PLACEHOLDER.sub(value, markdown)


def add_notebook_link(markdown: str, page: Page, config: MkDocsConfig) -> str:
    """A "run it yourself" line right after the chapter's opening box."""
    link = config.extra["strings"]["run_it_yourself"]
    line = f":material-notebook-outline: [{link}]({notebook_uri(page.file)})"
    box = re.search(r"^!!! abstract.*\n(?:(?:    .*)?\n)+", markdown, re.M)
    at = box.end() if box else 0
    return markdown[:at] + f"\n{line}\n\n" + markdown[at:]


def add_outputs(markdown: str) -> str:
    """Insert, after each Python block that prints, a text block with what it printed."""
    blocks = python_fences(markdown)
    if not blocks:
        return markdown
    codes = [fence.code for fence in python_fences(reader_markdown(markdown))]
    lines = markdown.split("\n")
    for fence, cell in reversed(list(zip(blocks, notebooks.outputs(codes), strict=True))):
        printed = notebooks.stdout_text(cell).rstrip("\n")
        if printed:
            body = [fence.indent + line for line in printed.split("\n")]
            output = ["", fence.indent + "``` { .text .output }", *body, fence.indent + "```"]
            lines[fence.end + 1 : fence.end + 1] = output
    return "\n".join(lines)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    html = katex.typeset(html)
    if config.theme["language"] == "zh":
        html = cjk.join_lines(html)
    if not page.file.src_uri.startswith("notebooks/"):
        return html
    # a notebook repeats its chapter: search should find the chapter, once
    page.meta["search"] = {"exclude": True}
    name = Path(page.file.src_uri).name
    bar = notebook_links(name, config.repo_url, config.extra["site_path"], config.extra["strings"])
    anchors = list(page.toc)
    while anchors:  # the table of contents links to the ids tidy_html gives
        anchor = anchors.pop()
        anchor.id = notebooks.heading_id(anchor.title)
        anchors += anchor.children
    figures = get_relative_url("figures/", page.url)
    return bar + notebooks.tidy_html(html, figures_url=figures.rstrip("/") + "/")


def notebook_links(name: str, repo_url: str | None, site_path: str, strings: dict) -> str:
    """The buttons above a notebook: download it, and open it in Colab when the site's
    repository is on GitHub (the deploy workflow publishes the site to its gh-pages branch)."""
    links = [f'<a class="md-button" href="{name}" download>{strings["download_notebook"]}</a>']
    repo = (repo_url or "").rstrip("/")
    if repo.startswith("https://github.com/"):  # Colab opens notebooks from GitHub only
        path = f"{site_path}notebooks/{Path(name).stem}/{name}"
        colab = f"https://colab.research.google.com/github/{repo[19:]}/blob/gh-pages/{path}"
        links.append(f'<a class="md-button" href="{colab}">{strings["open_in_colab"]}</a>')
    return f'<p class="tn-notebook-links">{" ".join(links)}</p>'


def on_post_build(config: MkDocsConfig) -> None:
    sites = config.extra["language_sites"]
    if config.theme["language"] != sites[0]["lang"]:
        return  # only the root build builds the other languages
    sitemaps = "".join(
        f"Sitemap: {config.extra['top_url']}{site['path']}sitemap.xml\n" for site in sites
    )  # every language's sitemap, for crawlers
    Path(config.site_dir, "robots.txt").write_text(f"User-agent: *\nAllow: /\n{sitemaps}")
    for site in sites[1:]:
        other = load_config(
            config_file=str(ROOT / site["config"]),
            site_dir=os.path.join(config.site_dir, site["path"]),
            site_url=(config.site_url or "/") + site["path"],
            strict=config.strict,
        )
        build(other)
