"""The widget pattern, on the fixture site's tiny chapter: a chapter's script is found with
its files, its data is embedded in the page, and its functions run outside the browser."""

import json
import re
import shutil

import pytest

from site_tools import widgets

import fixture_site as fx
from helpers import run_node


def test_the_widget_block_gets_its_data_and_scripts(reference):
    project, _, site = reference
    html = (site / "tiny" / "index.html").read_text("utf-8")
    block = re.search(
        r'<div class="tn-widget" data-widget="tiny">'
        r'<script type="application/json" class="tn-widget-data">(.*?)</script>',
        html,
    )
    assert block, "the widget block is not wired"
    assert json.loads(block[1]) == {"weights": [1.5, -2.0]}  # the experiment's Data
    sources = re.findall(r'<script src="([^"]+)" defer></script>', html)
    # the widget runtime, then the chapter's widget (the site's own scripts around them)
    widget_scripts = ["../assets/javascripts/widgets.js", "../assets/widgets/tiny.js"]
    assert [src for src in sources if "widgets" in src] == widget_scripts
    for src in [*sources, "../assets/stylesheets/widgets.css"]:
        assert (site / "tiny" / src).resolve().is_file(), src
    assert (site / "assets" / "widgets" / "tiny.js").read_bytes() == (
        project / "site_tools" / "chapters" / "tiny.js"
    ).read_bytes()
    # the static figure stays in the block, for readers without JavaScript and for print
    block = html.split('data-widget="tiny"')[1]
    assert re.search(r'<img [^>]*src="\.\./figures/tiny-square\.svg(#[\w-]+)?"', block)
    assert "data-widget" not in (site / "index.html").read_text("utf-8")
    notebook = (site / "notebooks" / "tiny" / "tiny.ipynb").read_text("utf-8")
    assert "tn-widget" not in notebook and "attachment:tiny-square.svg" in notebook


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


def test_the_widget_functions_run_in_node(reference):
    project, _, _ = reference
    script = "const m = require(process.argv[1]); console.log(JSON.stringify(m.double(21)));"
    assert run_node(script, str(project / "site_tools" / "chapters" / "tiny.js")) == "42\n"


@pytest.fixture
def project_copy(reference, tmp_path):
    return shutil.copytree(reference[0], tmp_path / "project")
