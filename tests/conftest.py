"""Fixtures shared by the site tests: one strict build of the whole site per test session."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_tools.serve import free_port, serve

from helpers import CHROMIUM, REPO_URL, ROOT, build_site


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
    NU_CHECK.update(start_nu_check(site, tmp_path_factory.mktemp("nu")))
    yield url.rstrip("/"), site
    LINK_CHECK["process"].wait(timeout=600)
    if NU_CHECK.get("process"):
        NU_CHECK["process"].wait(timeout=600)
    server.shutdown()


NU_CHECK = {}  # the Nu Html Checker's run over the built site, started as soon as it is built
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"  # npm ci (make setup)


def start_nu_check(site: Path, folder: Path) -> dict:
    """The Nu Html Checker (vnu.jar, on Java) over every page, style sheet and figure of
    the site, in the background: half a minute of one core (tests/test_nu.py collects it).
    Without Java or vnu.jar: why not, for the test to skip or fail with."""
    java = shutil.which("java")
    if java is None or not VNU.exists():
        missing = "Java (apt-get install default-jre-headless)" if java is None else str(VNU)
        return {"missing": f"{missing} not found: `make setup` installs vnu.jar with npm"}
    files = sorted(
        str(p) for p in site.rglob("*") if p.suffix in {".html", ".css", ".svg"} and p.is_file()
    )
    report = folder / "report.json"
    with report.open("w") as out:
        process = subprocess.Popen(
            [
                java,
                "-Xss4m",
                "-jar",
                str(VNU),
                "--format",
                "json",
                "--also-check-css",
                "--also-check-svg",
                *files,
            ],
            stdout=subprocess.DEVNULL,
            stderr=out,
        )
    return {"process": process, "report": report, "site": site}


@pytest.fixture(scope="session")
def nu_check(served_site) -> dict:
    """The Nu Html Checker's run over the served site: its process and its report."""
    return NU_CHECK


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


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright: one for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory) -> Path:
    """The offline copy (`make offline`), which opens from the file system: one per session."""
    return build_site(tmp_path_factory.mktemp("offline") / "site", OFFLINE="true")


@pytest.fixture(scope="session", autouse=True)
def one_thread():
    """Tiny networks, many times: one thread, as the build runs them (more only fight over
    the two cores, and the numbers are the same: these reductions are too short to split)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
