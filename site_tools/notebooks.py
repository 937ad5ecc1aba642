"""Run a chapter's code blocks as a notebook, once per build, cached on disk by the code.

The chapter page shows what each block printed; the chapter's notebook page shows the
same outputs. The cache key is the code alone, so two languages with the same code share
one run, and a prose edit runs nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import time
from importlib.metadata import version

from site_tools.experiments import CACHE_DIR as EXPERIMENTS_CACHE

CACHE_DIR = EXPERIMENTS_CACHE.parent / "notebooks"
log = logging.getLogger("mkdocs.tiny_nets")


def code_key(codes: list[str]) -> str:
    digest = hashlib.sha256(json.dumps(codes).encode())
    for package in ("torch", "matplotlib", "numpy"):
        digest.update(f"{package}=={version(package)}".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:16]


def execute(codes: list[str], timeout: int = 600) -> list[list[dict]]:
    """Run code cells in order in a fresh kernel; return each cell's outputs (nbformat dicts)."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(code) for code in codes]
    for i, cell in enumerate(notebook.cells):
        cell.id = f"code-{i:03d}"
    env = {"MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        NotebookClient(notebook, timeout=timeout, kernel_name="python3").execute()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return [[dict(output) for output in cell.outputs] for cell in notebook.cells]


def outputs(codes: list[str]) -> list[list[dict]]:
    """`execute(codes)`, from the disk cache when this exact code has run before."""
    path = CACHE_DIR / f"{code_key(codes)}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    start = time.perf_counter()
    result = execute(codes)
    log.info(f"executed {len(codes)} code cells in {time.perf_counter() - start:.1f} s")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
    return result


def stdout_text(cell_outputs: list[dict]) -> str:
    """What a cell printed, as the page shows it under the code."""
    parts = []
    for output in cell_outputs:
        if output["output_type"] == "stream":
            parts.append(output["text"])
        elif output["output_type"] == "execute_result":
            parts.append(output["data"].get("text/plain", "") + "\n")
    return "".join(parts)
