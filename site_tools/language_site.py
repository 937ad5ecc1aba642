"""Build one more language of the site, in a process of its own.

The root build (site_tools/hooks.py) starts one for each other language as soon as its
site folder is ready: the languages' pages are then made side by side, on both cores,
and what the languages share (experiments, the chapters' code runs) is computed once,
by whichever build comes first, through the cache's locks.

    python -m site_tools.language_site CONFIG SITE_DIR SITE_URL strict|lenient LOG_LEVEL
"""

from __future__ import annotations

import logging
import sys

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
    build(config)  # stopped or failed, its build folders go at exit (hooks.build_folder)


if __name__ == "__main__":
    main(*sys.argv[1:])
