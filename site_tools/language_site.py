"""Build one more language of the site, in a process of its own.

The root build (site_tools/hooks.py) starts one for each other language as soon as its
site folder is ready: the languages' pages are then made side by side, on both cores,
and what the languages share (experiments, the chapters' code runs) is computed once,
by whichever build comes first, through the cache's locks.

    python -m site_tools.language_site CONFIG SITE_DIR SITE_URL strict|lenient LOG_LEVEL
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from site_tools import jobs


def main(config_file: str, site_dir: str, site_url: str, strictness: str, level: str) -> None:
    jobs.die_with_parent()
    handler = logging.StreamHandler()  # as mkdocs does, as verbose as the root build
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(int(level))
    config = load_config(
        config_file=config_file,
        site_dir=site_dir,
        site_url=site_url,
        strict=strictness == "strict",
    )
    try:
        build(config)
    finally:  # stopped or failed: its build folders go now, not at the next build
        for folder in Path(tempfile.gettempdir()).glob(f"{jobs.SCRATCH}{os.getpid()}.*"):
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
