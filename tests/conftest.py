"""Fixtures shared by the site tests: one strict build of the whole site per test session."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from site_tools.serve import free_port, serve

ROOT = Path(__file__).resolve().parent.parent


def build_site(site_dir: Path, **env: str) -> Path:
    """`mkdocs build --strict` into site_dir, as a user would run it; fail with its log."""
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
    )
    assert run.returncode == 0, f"mkdocs build --strict failed:\n{run.stderr[-5000:]}"
    return site_dir


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def served_site(tmp_path_factory):
    """The site built for, and served on, a local address: (origin, folder)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    site = build_site(tmp_path_factory.mktemp("served-site"), SITE_URL=url)
    server = serve(site, port)
    yield url.rstrip("/"), site
    server.shutdown()
