"""A real link checker (LinkChecker) over the built site: every internal link and anchor.

It runs in the background from the moment the site is served (see conftest.py); this
test waits for its report.
"""


def test_no_broken_links_or_anchors(link_check):
    assert link_check["process"].wait(timeout=600) == 0, link_check["report"].read_text(
        encoding="utf-8"
    )[-5000:]
    report = link_check["report"].read_text(encoding="utf-8")
    assert "That's it." in report, report[-3000:]
    assert " 0 warnings found" in report and " 0 errors found" in report, report[-5000:]
