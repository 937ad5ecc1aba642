"""The built site under the Nu Html Checker (vnu.jar, the W3C's HTML checker, from npm's
vnu-jar; it runs on Java): every page of both languages, the 404 pages, the notebooks'
pages, every style sheet and every figure.

The site's own markup, TeX, templates and CSS give no message at all. What the checker
still reports comes from upstream files the project uses as they are; each is listed below
with the message's exact pattern and the file that emits it, and any other message fails
the test. Plain notes ("info" messages that are neither errors nor warnings, such as the
trailing slash Python-Markdown writes in <br />) are not problems and are not listed.

The check starts in the background as soon as the site is built (tests/conftest.py).
Without Java or vnu.jar it is skipped, with a message; TINY_NETS_BROWSER=1 (CI sets it:
.ci/run installs Java as it installs Chromium) makes it required.
"""

import json
import os
import re

import pytest

REQUIRED = os.environ.get("TINY_NETS_BROWSER") == "1"

# (message pattern, where in the checked file, the upstream file that writes it)
ALLOWED = [
    (
        r"Attribute “autocomplete” is only allowed when the input type is .*",
        r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox"',
        "mkdocs-material 9.8.1, material/templates/base.html: the drawer's and the search's "
        'hidden checkboxes carry autocomplete="off"',
    ),
    (
        r"Text run starts with a composing character\.",
        r">\u0302",
        "matplotlib, matplotlib/backends/backend_svg.py: with svg.fonttype 'none' it writes "
        "a mathtext accent ($\\hat y$) as a text run of its own, the combining accent alone",
    ),
]


def allowed(message: dict) -> bool:
    extract = message.get("extract", "")
    return any(
        re.fullmatch(pattern, message["message"]) and re.search(where, extract)
        for pattern, where, _ in ALLOWED
    )


def is_problem(message: dict) -> bool:
    return message["type"] != "info" or message.get("subType") == "warning"


def test_the_nu_html_checker_finds_nothing_of_ours(nu_check):
    if "missing" in nu_check:
        if REQUIRED:
            pytest.fail(f"TINY_NETS_BROWSER=1 but {nu_check['missing']}")
        pytest.skip(nu_check["missing"])
    nu_check["process"].wait(timeout=600)
    messages = json.loads(nu_check["report"].read_text(encoding="utf-8"))["messages"]
    site = str(nu_check["site"])
    problems = [
        f"{m['url'].split(site, 1)[-1]}:{m.get('lastLine')}: {m['type']}: {m['message']} "
        f"[{m.get('extract', '').strip()[:120]}]"
        for m in messages
        if is_problem(m) and not allowed(m)
    ]
    assert problems == []
    # every allowance still matches something: an upstream fix retires its entry
    for pattern, where, upstream in ALLOWED:
        assert any(
            re.fullmatch(pattern, m["message"]) and re.search(where, m.get("extract", ""))
            for m in messages
        ), f"nothing matches the allowance for {upstream}: remove it"


def test_the_allowances_name_their_upstream_file():
    for pattern, where, upstream in ALLOWED:
        assert re.compile(pattern) and re.compile(where)
        assert re.search(r"\w+/[\w/]+\.(html|py|js|css)\b", upstream), upstream
