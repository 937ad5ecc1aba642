"""Fixtures shared by the site tests: one strict build of the whole site per test session."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_tools.serve import free_port, serve

from helpers import REPO_URL, ROOT, build_site


@pytest.fixture(scope="session")
def minimum_seed0():
    """Chapter 2's network trained from seed 0, trained once for every test module that reads
    it (tests/test_minimum.py, tests/test_minimum_exercises.py): read it, never change it."""
    from snippets.minimum import train

    return train(seed=0)


@pytest.fixture(scope="session")
def site(served_site) -> Path:
    """The built site's folder (one build serves the file tests and the served ones)."""
    return served_site[1]


LINK_CHECK = {}  # the LinkChecker run over the served site, started as soon as it is up


def linkchecker() -> str:
    found = shutil.which("linkchecker", path=str(Path(sys.executable).parent))
    assert found, "linkchecker is not installed (it is pinned in requirements.lock)"
    return found


@pytest.fixture(scope="session")
def served_site(tmp_path_factory):
    """The site built for, and served on, a local address: (origin, folder).

    LinkChecker starts on it at once, in the background: it needs a minute of one core,
    which the other tests leave free (tests/test_links.py collects its report)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    site = build_site(tmp_path_factory.mktemp("served-site"), SITE_URL=url, REPO_URL=REPO_URL)
    server = serve(site, port)
    report = tmp_path_factory.mktemp("links") / "report.txt"
    with report.open("w") as out:
        LINK_CHECK["process"] = subprocess.Popen(
            [
                linkchecker(),
                "--config",
                str(ROOT / "tests" / "linkcheckerrc"),
                "--no-status",
                url,
                url + "zh/",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    LINK_CHECK["report"] = report
    yield url.rstrip("/"), site
    LINK_CHECK["process"].wait(timeout=600)
    server.shutdown()


@pytest.fixture(scope="session")
def link_check(served_site) -> dict:
    """The LinkChecker run started on the served site: its process and its report."""
    return LINK_CHECK


@pytest.fixture(scope="session")
def reference(tmp_path_factory):
    """The fixture site of tests/fixture_site.py: its project, its cache after one clean
    build, and that build's site."""
    import fixture_site

    folder = tmp_path_factory.mktemp("fixture")
    project = fixture_site.make(folder / "project")
    run = fixture_site.build(project, folder / "site", folder / "cache")
    assert run.returncode == 0, run.stderr[-3000:]
    return project, folder / "cache", folder / "site"
