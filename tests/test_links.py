"""A real link checker (LinkChecker) over the built site: every internal link and anchor."""

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def test_no_broken_links_or_anchors(served_site):
    origin, _ = served_site
    linkchecker = shutil.which("linkchecker", path=str(Path(sys.executable).parent))
    assert linkchecker, "linkchecker is not installed (it is pinned in requirements.lock)"
    run = subprocess.run(
        [
            linkchecker,
            "--config",
            str(HERE / "linkcheckerrc"),
            "--no-status",
            f"{origin}/",
            f"{origin}/zh/",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = run.stdout + run.stderr
    assert "That's it." in report, report[-3000:]
    assert run.returncode == 0, report[-5000:]
    assert " 0 warnings found" in report and " 0 errors found" in report, report[-5000:]
