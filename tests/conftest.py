"""Fixtures shared by the site tests: one strict build of the whole site per test session."""

import shutil
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
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


# --- the session's builds, started as soon as the tests are collected -------------------
#
# The served site (and after it the offline copy) is built in a background thread from the
# moment the tests are collected, and the tests that need no build run first, beside it
# (pytest_collection_modifyitems). As soon as the site is built, it is served, and the
# LinkChecker, the Nu Html Checker and the browser audit of every page (tests/test_browser.py)
# start on it, each in the background; the tests that need them wait for their results.

SITE_FIXTURES = {"site", "served_site", "server", "offline_site"}
BUILDS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="session-build")
SESSION: dict[str, Future] = {}  # "served" -> (origin, folder); "offline" -> folder
LINK_CHECK = {}  # the LinkChecker run over the served site, started as soon as it is up
NU_CHECK = {}  # the Nu Html Checker's run over the built site, started as soon as it is built
SERVERS = []


# the results of what runs in the background on the built site
BACKGROUND_FIXTURES = {"page_audits", "link_check", "nu_check"}


def order(item) -> tuple[bool, bool]:
    names = set(getattr(item, "fixturenames", ()))
    background = bool(BACKGROUND_FIXTURES & names)
    return background or bool(SITE_FIXTURES & names), background


def pytest_collection_modifyitems(session, config, items):
    """The tests that need the session's site after the others, so that the others run
    while the site builds; last, those that collect what runs in the background once it is
    built (a stable sort: each group keeps its order)."""
    items.sort(key=order)


def pytest_collection_finish(session):
    if session.config.option.collectonly:
        return
    needed = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    factory = session.config._tmp_path_factory  # pytest's tmp_path_factory, as fixtures get it
    # Its base folder made here, before the build thread starts: made lazily, by that thread
    # and a test's fixture at once, it is made twice, and the fixture's mktemp fails (seen:
    # "fixture is not a normalized and relative path").
    factory.getbasetemp()
    if needed & (SITE_FIXTURES | BACKGROUND_FIXTURES):
        audits = "page_audits" in needed  # else started by the fixture, if ever asked for
        SESSION["served"] = BUILDS.submit(build_and_serve, factory, audits)
    if "offline_site" in needed:  # after the served site: it reuses that build's results
        SESSION["offline"] = BUILDS.submit(build_offline, factory)


def pytest_sessionfinish(session):
    BUILDS.shutdown(wait=True, cancel_futures=True)
    if "test_browser" in sys.modules:  # its background audits, if they started
        sys.modules["test_browser"].stop_audits()
    for check in (LINK_CHECK, NU_CHECK):
        if check.get("process") and check["process"].poll() is None:
            check["process"].kill()
            check["process"].wait()
    for server in SERVERS:
        server.shutdown()


def linkchecker() -> str:
    found = shutil.which("linkchecker", path=str(Path(sys.executable).parent))
    assert found, "linkchecker is not installed (it is pinned in requirements.lock)"
    return found


def build_and_serve(factory, audits: bool = False) -> tuple[str, Path]:
    """The site built for, and served on, a local address: (origin, folder). LinkChecker,
    the Nu Html Checker and (if `audits`) the browser audits of every page start on it at
    once, in the background."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    site = build_site(factory.mktemp("served-site"), SITE_URL=url, REPO_URL=REPO_URL)
    SERVERS.append(serve(site, port))
    report = factory.mktemp("links") / "report.txt"
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
    NU_CHECK.update(start_nu_check(site, factory.mktemp("nu")))
    if audits:
        import test_browser

        test_browser.start_audits(url.rstrip("/"), site)
    return url.rstrip("/"), site


def build_offline(factory) -> Path:
    return build_site(factory.mktemp("offline") / "site", OFFLINE="true")


def session_build(name: str, tmp_path_factory) -> Future:
    if name not in SESSION:  # not started at collection (a test asked for it by name)
        start = build_and_serve if name == "served" else build_offline
        SESSION[name] = BUILDS.submit(start, tmp_path_factory)
    return SESSION[name]


@pytest.fixture(scope="session")
def served_site(tmp_path_factory):
    """The site built for, and served on, a local address: (origin, folder)."""
    return session_build("served", tmp_path_factory).result()


VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"  # npm ci (make setup)


def start_nu_check(site: Path, folder: Path) -> dict:
    """The Nu Html Checker (vnu.jar, on Java) over every page, style sheet and figure of
    the site, in the background: about 5 s of one core (tests/test_nu.py collects it).
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
                "-XX:TieredStopAtLevel=1",  # a short run: the quick compiler alone, half the CPU
                "-XX:+UseSerialGC",
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


@pytest.fixture(scope="module")
def context(request):
    """One browser context for a widget's test module: each page (a language of the site or
    of the offline copy) is loaded once, in a tab of its own, and its checks run one after
    the other on it."""
    from widget_helpers import need_chromium, shared_context

    need_chromium()
    browser = request.getfixturevalue("browser")
    context = shared_context(browser)
    yield context
    context.close()


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory) -> Path:
    """The offline copy (`make offline`), which opens from the file system: one per session."""
    return session_build("offline", tmp_path_factory).result()


@pytest.fixture(scope="session", autouse=True)
def one_thread():
    """Tiny networks, many times: one thread, as the build runs them (more only fight over
    the two cores, and the numbers are the same: these reductions are too short to split)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
