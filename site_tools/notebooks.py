"""Run a chapter's code blocks as a notebook, once per build, cached on disk by the code.

The chapter page shows what each block printed; the chapter's notebook page shows the
same outputs. The cache key is the code alone, so two languages with the same code share
one run, and a prose edit runs nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from site_tools import cjk, katex
from site_tools.chapter_source import python_fences, reader_markdown
from site_tools.experiments import CACHE_DIR as EXPERIMENTS_CACHE
from site_tools.experiments import ONE_THREAD

CACHE_DIR = EXPERIMENTS_CACHE.parent / "notebooks"
log = logging.getLogger("mkdocs.tiny_nets")


def code_key(codes: list[str]) -> str:
    digest = hashlib.sha256(json.dumps(codes).encode())
    for package in ("torch", "matplotlib", "numpy"):
        digest.update(f"{package}=={version(package)}".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:16]


def execute(codes: list[str], timeout: int = 600) -> list[list[dict]]:
    """Run code cells in order in a fresh kernel; return each cell's outputs (nbformat dicts)."""
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(code) for code in codes]
    for i, cell in enumerate(notebook.cells):
        cell.id = f"code-{i:03d}"
    run_notebook(notebook, timeout=timeout)
    return [[dict(output) for output in cell.outputs] for cell in notebook.cells]


KERNEL_ENV = {"MPLBACKEND": "Agg", "PYTHONHASHSEED": "0", **ONE_THREAD}


def run_notebook(notebook, timeout: int = 600, cwd: str | None = None) -> None:
    """Execute a notebook in place, in a fresh kernel with the build's settings (one
    thread, no display): the same numbers on every run. The build's own environment is
    left alone; the kernel talks over a local socket file, not TCP."""
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory(prefix="tiny-nets-kernel-") as sockets:
        # ipc sockets are files: an absolute path, whatever the kernel's working folder
        manager = KernelManager(kernel_name="python3", transport="ipc", ip=f"{sockets}/k")
        client = NotebookClient(notebook, timeout=timeout, km=manager)
        client.execute(env={**os.environ, **KERNEL_ENV}, cwd=cwd)


def is_cached(codes: list[str]) -> bool:
    return (CACHE_DIR / f"{code_key(codes)}.json").exists()


def outputs(codes: list[str]) -> list[list[dict]]:
    """`execute(codes)`, from the disk cache when this exact code has run before."""
    path = CACHE_DIR / f"{code_key(codes)}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    start = time.perf_counter()
    result = execute(codes)
    log.info(f"executed {len(codes)} code cells in {time.perf_counter() - start:.1f} s")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
    return result


def stdout_text(cell_outputs: list[dict]) -> str:
    """What a cell printed, as the page shows it under the code."""
    parts = []
    for output in cell_outputs:
        if output["output_type"] == "stream":
            parts.append(output["text"])
        elif output["output_type"] == "execute_result":
            parts.append(output["data"].get("text/plain", "") + "\n")
    return "".join(parts)


# --- a chapter as a notebook -----------------------------------------------------------

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
TEST_MARK = re.compile(r"^[ \t]*<!--\s*pytest[-.][^>]*-->[ \t]*(?:\n|\Z)", re.M)
FIGURE = re.compile(
    r"<figure[^>]*>\s*!\[(?P<alt>[^\]]*)\]\((?P<src>figures/[^)]+\.svg)\)[^\n]*\s*"
    r"<figcaption>(?P<caption>.*?)</figcaption>\s*</figure>",
    re.S,
)
ADMONITION = re.compile(r'^(!!!|\?\?\?) \w+(?: "([^"]*)")?\n((?:(?:    .*)?\n)+)', re.M)
PAGE_LINK = re.compile(r"\]\(([\w-]+)\.md(#[\w-]*)?\)")


def to_notebook_markdown(text: str, page_url_of, figures: dict[str, Path]) -> tuple[str, dict]:
    """Turn a stretch of a chapter's prose into notebook Markdown, and its figures into
    attachments (so the downloaded notebook shows them without the site)."""
    attachments = {}

    def figure(match: re.Match) -> str:
        name = Path(match["src"]).name
        attachments[name] = {"image/svg+xml": figures[Path(name).stem].read_text("utf-8")}
        # the title names the figure, so that the site can show its own copy (tidy_html)
        return f'![{match["alt"]}](attachment:{name} "{name}")\n\n*{match["caption"].strip()}*'

    def admonition(match: re.Match) -> str:
        kind, title, body = match.groups()
        body = "\n".join(line[4:] for line in body.rstrip("\n").split("\n"))
        if kind == "???":  # collapsed on the site: collapsed in the notebook too
            return f"<details>\n<summary>{title}</summary>\n\n{body}\n\n</details>\n\n"
        quoted = "\n".join(f"> {line}" if line else ">" for line in body.split("\n"))
        return f"> **{title}**\n>\n{quoted}\n\n"

    text = TEST_MARK.sub("", text)
    text = cjk.join_lines(text)  # Jupyter shows a line break as a space
    text = FIGURE.sub(figure, text)
    text = ADMONITION.sub(admonition, text)
    text = PAGE_LINK.sub(lambda m: f"]({page_url_of(m[1])}{m[2] or ''})", text)
    # Jupyter reads $...$ and $$...$$
    text = re.sub(r"\\\((.+?)\\\)", r"$\1$", text)
    text = re.sub(r"\\\[(.+?)\\\]", r"$$\1$$", text, flags=re.S)
    return text.strip("\n"), attachments


def chapter_notebook(markdown: str, intro: str, page_url_of, figures: dict[str, Path]):
    """The chapter (placeholders already filled) as an executed notebook: its prose, its
    code blocks with includes expanded, and the outputs of the build's one run of them."""
    import nbformat

    text = reader_markdown(FRONT_MATTER.sub("", markdown)).lstrip("\n")
    blocks = python_fences(text)
    results = outputs([block.code for block in blocks])
    lines = text.split("\n")
    cells, start = [], 0
    title = lines[0]
    for block, cell_outputs in zip([*blocks, None], [*results, None], strict=True):
        end = block.start if block else len(lines)
        prose = "\n".join(lines[start:end])
        if not cells:  # the chapter's title, then what this notebook is
            prose = prose.replace(title, f"{title}\n\n{intro}", 1)
        source, attachments = to_notebook_markdown(prose, page_url_of, figures)
        if source:
            cell = nbformat.v4.new_markdown_cell(source)
            if attachments:
                cell.attachments = attachments
            cells.append(cell)
        if block:
            cell = nbformat.v4.new_code_cell(block.code.rstrip("\n"))
            cell.outputs = [nbformat.from_dict(o) for o in cell_outputs]
            cells.append(cell)
            start = block.end + 1
    count = 0
    for i, cell in enumerate(cells):
        cell.id = f"cell-{i:03d}"  # stable ids: two builds, the same file
        if cell.cell_type == "code":
            count += 1
            cell.execution_count = count
            for output in cell.outputs:
                if "execution_count" in output:
                    output.execution_count = count
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return notebook


def tidy_html(html: str, figures_url: str) -> str:
    """nbconvert's page, restyled by the site: no inlined CSS or scripts (the theme and
    KaTeX do that job), code in Material's highlight blocks so it gets copy buttons, and
    the figures taken from the site (figures_url) rather than from the notebook."""
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["style", "script", "link", "clipboard-copy"]):
        tag.decompose()
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    for tag in soup.select(".clipboard-copy-txt"):
        tag.decompose()
    for image in soup.select("img[title]"):  # an attached figure: the site has it already
        image["src"] = figures_url + image["title"]
        del image["title"]
    for anchor in soup.select("a.anchor-link"):
        anchor["class"] = ["headerlink"]
    for cell in soup.select(".jp-MarkdownCell"):  # Jupyter's $...$, typeset now
        typeset = BeautifulSoup(katex.typeset(cell.decode_contents(), dollars=True), "html.parser")
        cell.clear()
        cell.append(typeset)
    for heading in soup.select("h1, h2, h3, h4, h5, h6"):  # ids as the site makes them
        link = heading.select_one("a.headerlink")
        heading["id"] = heading_id(heading.get_text().removesuffix("¶"))
        if link:
            link["href"] = "#" + heading["id"]
    for block in soup.select(".highlight-ipynb"):
        block["class"] = ["highlight" if c == "highlight-ipynb" else c for c in block["class"]]
    for pre in soup.select(".highlight > pre, .jp-OutputArea-output > pre"):
        if pre.code is None:
            code = soup.new_tag("code")
            for child in list(pre.contents):
                code.append(child.extract())
            pre.append(code)
    return str(soup)


def heading_id(title: str) -> str:
    """The id the site gives a heading (pymdownx.slugs, which keeps Chinese characters)."""
    from pymdownx.slugs import slugify

    return slugify(case="lower")(title.strip(), "-")
