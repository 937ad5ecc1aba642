"""A real link checker (LinkChecker) over the built site: every internal link and anchor.

It runs in the background from the moment the site is served (see conftest.py); this
test waits for its report.
"""

from conftest import LINK_CHECK


def test_no_broken_links_or_anchors(served_site):
    assert LINK_CHECK["process"].wait(timeout=600) == 0, LINK_CHECK["report"].read_text()[-5000:]
    report = LINK_CHECK["report"].read_text()
    assert "That's it." in report, report[-3000:]
    assert " 0 warnings found" in report and " 0 errors found" in report, report[-5000:]
