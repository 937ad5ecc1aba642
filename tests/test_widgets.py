"""The widget pattern, on the fixture site's tiny chapter: a chapter's script is found with
its files, its data is embedded in the page, and its functions run outside the browser."""

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from site_tools import course, widgets

import fixture_site as fx
from helpers import run_node


def test_the_widget_block_gets_its_data_and_scripts(reference):
    project, _, site = reference
    html = (site / "tiny" / "index.html").read_text("utf-8")
    block = re.search(
        r'<div class="tn-widget" data-widget="tiny" data-script="([^"]+)">'
        r'<script type="application/json" class="tn-widget-data">(.*?)</script>',
        html,
    )
    assert block, "the widget block is not wired"
    assert json.loads(block[2]) == {"weights": [1.5, -2.0]}  # the experiment's Data
    # the page loads the widget runtime (in the head); the runtime loads the chapter's own
    # script, named by the block, when the block nears the screen
    sources = re.findall(r'<script src="([^"]+)" defer></script>', html)
    assert [src for src in sources if "widgets" in src] == ["../assets/javascripts/widgets.js"]
    assert html.index(sources[0]) < html.index("</head>")
    assert block[1] == "../assets/widgets/tiny.js"
    assert '<link rel="stylesheet" href="../assets/stylesheets/widgets.css">' in html
    for src in [*sources, block[1], "../assets/stylesheets/widgets.css"]:
        assert (site / "tiny" / src).resolve().is_file(), src
    # the runtime and its styles are on every page, as the theme's are; a chapter's own
    # script only on its page
    home = (site / "index.html").read_text("utf-8")
    assert "assets/javascripts/widgets.js" in home and "assets/stylesheets/widgets.css" in home
    assert "assets/widgets/" not in home
    source = (project / "site_tools" / "chapters" / "tiny.js").read_text("utf-8")
    assert (site / "assets" / "widgets" / "tiny.js").read_text("utf-8") == widgets.lean(source)
    for shared in ["javascripts/widgets.js", "stylesheets/widgets.css"]:  # served lean too
        served = (site / "assets" / shared).read_text("utf-8")
        assert "/*" not in served and not re.search(r"^\s", served, re.M), shared
    # the static figure stays in the block, for readers without JavaScript and for print
    block = html.split('data-widget="tiny"')[1]
    assert re.search(r'<img [^>]*src="\.\./figures/tiny-square\.svg(#[\w-]+)?"', block)
    assert "data-widget" not in (site / "index.html").read_text("utf-8")
    notebook = (site / "notebooks" / "tiny" / "tiny.ipynb").read_text("utf-8")
    assert "tn-widget" not in notebook and "attachment:tiny-square.png" in notebook


def test_embedded_data_cannot_end_its_script_element():
    text = widgets.data_json({"note": "</script><script>alert(1)</script>", "c": "<!--"})
    assert "</" not in text and "<!--" not in text
    assert json.loads(text) == {"note": "</script><script>alert(1)</script>", "c": "<!--"}


def test_a_chapter_with_a_widget_needs_its_block(project_copy, tmp_path):
    page = project_copy / "docs" / "en" / "tiny.md"
    text = page.read_text("utf-8")
    page.write_text(text.replace('<div class="tn-widget" markdown>', "<div markdown>"), "utf-8")
    run = fx.build(project_copy, tmp_path / "site", tmp_path / "cache")
    assert run.returncode != 0
    assert 'its page needs one <div class="tn-widget" markdown> block; found 0' in run.stderr


TRICKY = r"""/* a comment */
(function () {
  "use strict"; // a comment after code
  const path = "http://example.org/*not a comment*/"; // "quotes" here
  const re = /[/"]+\/\d/g;
  const half = 10 / 2 / 5; /* block */ const t = `a ${ {x: `b ${"}"}`}.x } c
    kept indentation`;
  module.exports = { path, re: String(re), half, t, s: 'it\'s' };
})();
"""


def test_lean_drops_comments_and_indentation_and_nothing_else():
    """lean() keeps every string, template literal and regular expression whole (the
    indentation inside a multi-line template too): the lean script does what the source
    does, as Node runs both, and so does every chapter's widget."""
    slim = widgets.lean(TRICKY)
    for gone in ["/* a comment */", "after code", "quotes", "/* block */", "\n  const"]:
        assert gone not in slim
    assert "/*not a comment*/" in slim
    assert "\n    kept indentation" in slim
    script = "console.log(JSON.stringify(require(process.argv[1])));"
    with tempfile.TemporaryDirectory() as folder:
        for name, text in [("source.js", TRICKY), ("lean.js", slim)]:
            Path(folder, name).write_text(text, "utf-8")
        outputs = [run_node(script, str(Path(folder, n))) for n in ("source.js", "lean.js")]
    assert outputs[0] == outputs[1] and '"half":1' in outputs[0]
    for chapter in course.chapters():
        if chapter.widget:
            lean_file = Path(tempfile.mkdtemp()) / chapter.widget.name
            lean_file.write_text(widgets.lean(chapter.widget.read_text("utf-8")), "utf-8")
            keys = "console.log(Object.keys(require(process.argv[1])).join());"
            assert run_node(keys, str(lean_file)) == run_node(keys, str(chapter.widget))
    css = widgets.lean_css("/* note */\n.a {\n  color: red; /* x */\n}\n")
    assert css == ".a {\ncolor: red;\n}\n"


def test_the_widget_functions_run_in_node(reference):
    project, _, _ = reference
    script = "const m = require(process.argv[1]); console.log(JSON.stringify(m.double(21)));"
    assert run_node(script, str(project / "site_tools" / "chapters" / "tiny.js")) == "42\n"


@pytest.fixture
def project_copy(reference, tmp_path):
    return shutil.copytree(reference[0], tmp_path / "project")
