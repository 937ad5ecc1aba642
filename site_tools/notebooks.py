"""A chapter as a Jupyter notebook: its prose and code, with the outputs of the build's
one run of that code (site_tools/kernel.py), and the notebook page's HTML restyled by the site.

A notebook is a workbook: every block the page runs is a cell (an exercise's stub and its
check code too), and a worked solution (`??? success`) stays in a collapsed `<details>`
block of a Markdown cell, shown, not run. A box with code to run (`??? note "Check code"`)
cannot hold a cell, so it opens up: its title becomes a bold line, its code a cell, collapsed
in Jupyter when the box was collapsed on the page.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from site_tools import cjk, katex
from site_tools.chapter_source import ADMONITION as BOX_START
from site_tools.chapter_source import (
    SOLUTION_KIND,
    admonitions,
    executed_fences,
    reader_markdown,
)
from site_tools.kernel import outputs

# --- a chapter as a notebook -----------------------------------------------------------

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
TEST_MARK = re.compile(r"^[ \t]*<!--\s*pytest[-.][^>]*-->[ \t]*(?:\n|\Z)", re.M)
FIGURE = re.compile(
    r"<figure[^>]*>\s*!\[(?P<alt>[^\]]*)\]\((?P<src>figures/[^)]+\.svg)\)[^\n]*\s*"
    r"<figcaption>(?P<caption>.*?)</figcaption>\s*</figure>",
    re.S,
)
ADMONITION = re.compile(r'^(!!!|\?\?\?\+?) \w+(?: "([^"]*)")?\n((?:(?:    .*)?\n)+)', re.M)
TITLE = re.compile(r'^[ \t]*\S+[ \t]+([\w-]+)(?:[ \t]+"([^"]*)")?')
WIDGET_BLOCK = re.compile(r'^<div class="tn-widget" markdown>\n(.*?)^</div>$', re.S | re.M)
HEADING_ID = re.compile(r"^(#{1,6} .*?)\s*\{:?\s*#([\w-]+)\s*\}[ \t]*$", re.M)
PAGE_LINK = re.compile(r"\]\(([\w-]+)\.md(#[\w-]*)?\)")


def to_notebook_markdown(
    text: str, page_url_of, figures: dict[str, Path], caption: str = "*{caption}*"
) -> tuple[str, dict]:
    """Turn a stretch of a chapter's prose into notebook Markdown, and its figures into
    attachments (so the downloaded notebook shows them without the site): the PNG that
    figures.save wrote beside each SVG, on white (Jupyter renders no SVG attachment). A
    figure's caption becomes the paragraph `caption` makes of it: in italics for English,
    plain for Chinese, which is not set in italics."""
    attachments = {}

    def figure(match: re.Match) -> str:
        name = Path(match["src"]).name
        png = figures[Path(name).stem].with_suffix(".png")
        if not png.is_file():
            raise FileNotFoundError(f"{name} has no {png.name}: save figures with figures.save")
        attachments[png.name] = {"image/png": base64.b64encode(png.read_bytes()).decode("ascii")}
        # the title names the site's copy of the figure, which the site shows (tidy_html)
        below = caption.format(caption=match["caption"].strip())
        return f'![{match["alt"]}](attachment:{png.name} "{name}")\n\n{below}'

    def admonition(match: re.Match) -> str:
        kind, title, body = match.groups()
        body = "\n".join(line[4:] for line in body.rstrip("\n").split("\n"))
        if kind.startswith("???"):  # collapsible on the site: in the notebook too
            tag = "<details open>" if kind == "???+" else "<details>"
            return f"{tag}\n<summary>{title}</summary>\n\n{body}\n\n</details>\n\n"
        quoted = "\n".join(f"> {line}" if line else ">" for line in body.split("\n"))
        return f"> **{title}**\n>\n{quoted}\n\n"

    text = TEST_MARK.sub("", text + "\n")  # every line ends: the last admonition's too
    text = WIDGET_BLOCK.sub(r"\1", text)  # a notebook shows the widget's static figure
    text = cjk.join_lines(text)  # Jupyter shows a line break as a space
    text = FIGURE.sub(figure, text)
    text = ADMONITION.sub(admonition, text)
    # a heading's own id ({ #id } on the site) is an anchor inside it: Jupyter knows no { }
    text = HEADING_ID.sub(r'\1 <a id="\2"></a>', text)
    text = PAGE_LINK.sub(lambda m: f"]({page_url_of(m[1])}{m[2] or ''})", text)
    # Jupyter reads $...$ and $$...$$
    text = re.sub(r"\\\((.+?)\\\)", r"$\1$", text)
    text = re.sub(r"\\\[(.+?)\\\]", r"$$\1$$", text, flags=re.S)
    return text.strip("\n"), attachments


def open_code_boxes(text: str) -> tuple[str, set[int]]:
    """The text with every admonition that holds code to run opened up: its title as a bold
    line, its body unindented, so that its code can become cells. Also the line indices (in
    the new text) of the fences that were in a collapsible box."""
    lines = text.split("\n")
    run = {fence.start for fence in executed_fences(text)}
    boxes = [
        box
        for box in admonitions(text)
        if box.kind != SOLUTION_KIND and any(box.start < i <= box.end for i in run)
    ]
    outermost = {
        box.start: box
        for box in boxes
        if not any(o.start < box.start <= o.end for o in boxes if o is not box)
    }
    opened: list[str] = []
    hidden: set[int] = set()
    i = 0
    while i < len(lines):
        box = outermost.get(i)
        if box is None:
            opened.append(lines[i])
            i += 1
            continue
        kind, title = TITLE.match(lines[i]).groups()
        indent = BOX_START.match(lines[i])["indent"]
        opened += [f"{indent}**{title or kind.capitalize()}**", ""]
        for j in range(box.start + 1, box.end + 1):
            if j in run and box.collapsible:
                hidden.add(len(opened))
            line = lines[j]
            opened.append(indent + line[len(indent) + 4 :] if line.strip() else "")
        i = box.end + 1
    return "\n".join(opened), hidden


def chapter_notebook(
    markdown: str,
    intro: str,
    page_url_of,
    figures: dict[str, Path],
    where: str = "a page",
    caption: str = "*{caption}*",
):
    """The chapter (placeholders already filled) as an executed notebook: its prose, its
    code blocks with includes expanded, and the outputs of the build's one run of them.
    `caption` is the Markdown of a figure's caption, as in to_notebook_markdown."""
    import nbformat

    text = reader_markdown(FRONT_MATTER.sub("", markdown)).lstrip("\n")
    text, hidden = open_code_boxes(text)
    blocks = executed_fences(text)
    results = outputs([block.code for block in blocks], where)
    lines = text.split("\n")
    cells, start = [], 0
    title = lines[0]
    for block, cell_outputs in zip([*blocks, None], [*results, None], strict=True):
        end = block.start if block else len(lines)
        prose = "\n".join(lines[start:end])
        if not cells:  # the chapter's title, then what this notebook is
            prose = prose.replace(title, f"{title}\n\n{intro}", 1)
        source, attachments = to_notebook_markdown(prose, page_url_of, figures, caption)
        if source:
            cell = nbformat.v4.new_markdown_cell(source)
            if attachments:
                cell.attachments = attachments
            cells.append(cell)
        if block:
            cell = nbformat.v4.new_code_cell(block.code.rstrip("\n"))
            if block.start in hidden:  # collapsed on the page: collapsed in Jupyter
                cell.metadata["jupyter"] = {"source_hidden": True}
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


INLINED = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>", re.S | re.I)


def tidy_html(html: str, figures_url: str) -> str:
    """nbconvert's page, restyled by the site: no inlined CSS or scripts (the theme and
    KaTeX do that job), code in Material's highlight blocks so it gets copy buttons, and
    the figures taken from the site (figures_url) rather than from the notebook."""
    from bs4 import BeautifulSoup, Comment

    html = INLINED.sub("", html)  # most of the page: dropped before parsing, not after
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
    # What nothing on the site styles or fills, out of a page whose weight is budgeted
    # (300 KB, as a chapter page's): Jupyter's empty collapser, prompt and clipboard boxes,
    # the empty span that starts each code block, and the spans around white space in code
    for box in soup.select(
        ".jp-Collapser, .jp-InputPrompt, .jp-OutputPrompt, .zeroclipboard-container"
    ):
        if not box.get_text(strip=True) and box.find(True) is None:
            box.decompose()
    for span in soup.select(".highlight pre > code > span"):
        if not span.attrs and not span.contents:
            span.decompose()
        elif span.get("class") == ["w"]:
            span.unwrap()
    return blank_lines(str(soup))


PRESERVED = re.compile(r"(<(pre|textarea|script)\b.*?</\2>)", re.S)
BLANK = re.compile(r">[ \t]*\n\s*<")


def blank_lines(html: str) -> str:
    """The page with every run of white space between two tags that holds a line break
    made one line break (the same white space to a browser), except inside <pre>,
    <textarea> and <script>, where white space is content."""
    parts = PRESERVED.split(html)
    for i in range(0, len(parts), 3):
        parts[i] = BLANK.sub(">\n<", parts[i])
    return "".join(part for i, part in enumerate(parts) if i % 3 != 2)


def heading_id(title: str) -> str:
    """The id the site gives a heading (pymdownx.slugs, which keeps Chinese characters)."""
    from pymdownx.slugs import slugify

    return slugify(case="lower")(title.strip(), "-")
