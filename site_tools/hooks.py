"""MkDocs hooks of Tiny Nets: build-time experiments and the second language.

- on_files: adds each experiment's figures (drawn once, from the disk cache) to the site.
- on_page_markdown: replaces `{{ experiment.key }}` in the prose by the number it names,
  and shows under each Python block what it printed when the build ran the page's code.
- on_post_build: the root (English) build builds every other language's site into
  `site_dir/<path>`, in the same process, so experiments are shared and run once.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from site_tools import experiments, notebooks
from site_tools.chapter_source import python_fences, reader_markdown

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\.([a-z0-9_]+)\s*\}\}")


def on_config(config: MkDocsConfig) -> None:
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


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for result in experiments.all_results().values():
        for name, path in result.figures.items():
            files.append(File.generated(config, f"figures/{name}.svg", abs_src_path=str(path)))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return add_outputs(fill_values(markdown, page))


def fill_values(markdown: str, page: Page) -> str:
    results = experiments.all_results()

    def value(match: re.Match) -> str:
        name, key = match.groups()
        if name not in results or key not in results[name].values:
            raise PluginError(f"{page.file.src_uri}: no build-time value {match.group(0)}")
        return results[name].values[key]

    return PLACEHOLDER.sub(value, markdown)


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


def on_post_build(config: MkDocsConfig) -> None:
    sites = config.extra["language_sites"]
    if config.theme["language"] != sites[0]["lang"]:
        return  # only the root build builds the other languages
    for site in sites[1:]:
        other = load_config(
            config_file=str(ROOT / site["config"]),
            site_dir=os.path.join(config.site_dir, site["path"]),
            site_url=(config.site_url or "/") + site["path"],
            strict=config.strict,
        )
        build(other)
