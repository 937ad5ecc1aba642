"""Run a chapter's code blocks in a Jupyter kernel, once per version of the code.

The chapter page shows what each block printed; the chapter's notebook page shows the
same outputs. The cache key is the code alone (and the versions it runs with), so two
languages with the same code share one run, and a prose edit runs nothing. The run
happens in a child process of its own (`python -m site_tools.kernel`), which starts the
kernel with the build's settings (one thread, no display) without touching the build's
own environment.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import sys
import threading
import time
from functools import partial
from pathlib import Path

from site_tools import cache, jobs
from site_tools.course import ROOT

KERNEL_ENV = {"MPLBACKEND": "Agg", "PYTHONHASHSEED": "0", **jobs.ONE_THREAD}
log = logging.getLogger("mkdocs.tiny_nets")
# the longest path of a Unix socket, in bytes (its NUL aside)
SOCKET_PATH_MAX = 103 if sys.platform == "darwin" else 107


class CodeBlockError(Exception):
    """A chapter's code block raised: which block, and what it raised."""


def folder() -> Path:
    return cache.cache_root() / "notebooks"


def code_key(codes: list[str]) -> str:
    """The code, the versions it runs with, and how it is run: this module and jobs.py (the
    kernel's process, threads and settings), so that a change there runs the code again."""
    runner = [Path(__file__).read_bytes(), Path(jobs.__file__).read_bytes()]
    return cache.key(json.dumps(codes), cache.versions("torch", "matplotlib", "numpy"), *runner)


def recorded(codes: list[str]) -> list[list[dict]] | None:
    """Each block's outputs from the one run of exactly this code, if it has run."""
    return cache.read_json(folder() / f"{code_key(codes)}.json")


def is_cached(codes: list[str]) -> bool:
    return recorded(codes) is not None


def outputs(codes: list[str], where: str = "a page") -> list[list[dict]]:
    """Each code block's outputs (nbformat dicts), from the cache when this exact code
    has run before; else run now, in a child process. `where` names the page in errors."""
    found = recorded(codes)
    if found is not None:
        return found
    path = folder() / f"{code_key(codes)}.json"
    with cache.locked(path.with_suffix(".lock")):
        found = cache.read_json(path)  # another build may have run it meanwhile
        if found is not None:
            return found
        start = time.perf_counter()
        with jobs.scratch("code") as tmp:
            request, answer = Path(tmp, "codes.json"), Path(tmp, "outputs.json")
            request.write_text(json.dumps(codes), encoding="utf-8")
            args = ["-m", "site_tools.kernel", str(request), str(answer)]
            jobs.run_python(args, cwd=ROOT, what=f"the code of {where}")
            result = json.loads(answer.read_text(encoding="utf-8"))
        if "error" in result:
            error = result["error"]
            raise CodeBlockError(
                f"{where}: code block {error['block'] + 1} of {len(codes)} raised "
                f"{error['ename']}: {error['evalue']}\n{error['code']}"
            )
        log.info(f"executed {len(codes)} code blocks in {time.perf_counter() - start:.1f} s")
        cache.write_json(path, result["outputs"])
        return result["outputs"]


def merge_streams(outputs: list[dict]) -> list[dict]:
    """One stream output per run of prints: the kernel may split what one print wrote
    into two messages, which would make two runs of the same code differ."""
    merged: list[dict] = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and output.get("output_type") == previous.get("output_type") == "stream"
            and output.get("name") == previous.get("name")
        ):
            merged[-1] = {**previous, "text": previous["text"] + output["text"]}
        else:
            merged.append(dict(output))
    return merged


def run_notebook(
    notebook, timeout: int = 600, cwd: str | None = None, folder: Path | None = None
) -> None:
    """Execute a notebook in place, in a fresh kernel with the build's settings; the
    kernel talks over a local socket file, not TCP. The kernel is shut down at the end,
    and its sockets and connection file go with its temporary folder (`folder`, else one
    of its own)."""
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    with contextlib.ExitStack() as stack:
        sockets = folder or stack.enter_context(jobs.scratch("kernel"))
        # ipc sockets are files: an absolute path, whatever the kernel's working folder,
        # and short enough for a Unix socket (else the kernel dies and the client waits)
        if len(os.fsencode(f"{sockets}/k-99")) > SOCKET_PATH_MAX:
            raise ValueError(f"{sockets}: too long a path for the kernel's sockets: set TMPDIR")
        manager = KernelManager(
            kernel_name="python3",
            transport="ipc",
            ip=f"{sockets}/k",
            connection_file=f"{sockets}/connection.json",
        )
        client = NotebookClient(notebook, timeout=timeout, km=manager, shutdown_kernel="immediate")
        client.on_notebook_start = partial(stop_at_once, manager)
        # cleanup_kc: shut the kernel down here (a client given its manager leaves it running)
        client.execute(env={**os.environ, **KERNEL_ENV}, cwd=cwd, cleanup_kc=True)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.from_dict(o) for o in merge_streams(cell.outputs)]


async def stop_at_once(manager, notebook) -> None:
    """Once the kernel runs: Ctrl-C or SIGTERM kill it and end this process at once.
    (nbclient's own answer asks the kernel to shut down and then waits for the running
    cell, which a busy cell never ends: the build would wait out its grace period.)"""

    def stop(signum, frame) -> None:
        with contextlib.suppress(ProcessLookupError, TypeError):
            os.killpg(manager.provisioner.pgid, signal.SIGKILL)  # its own process group
        os._exit(128 + signum)

    if threading.current_thread() is threading.main_thread():  # where signals arrive
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, stop)


def execute(codes: list[str], folder: Path) -> dict:
    """Run code cells in order in a fresh kernel: {"outputs": [...]} with each cell's
    outputs, or {"error": ...} naming the first cell that raised. The kernel's files and
    working folder are in `folder`: the build's temporary folder for this run, which the
    build removes even if this process is killed."""
    import nbformat
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(code) for code in codes]
    for i, cell in enumerate(notebook.cells):
        cell.id = f"code-{i:03d}"
    cwd = folder / "cwd"
    cwd.mkdir()
    try:
        run_notebook(notebook, cwd=str(cwd), folder=folder)
    except CellExecutionError as error:
        block = next(
            i
            for i, cell in enumerate(notebook.cells)
            if any(o.get("output_type") == "error" for o in cell.outputs)
        )
        return {
            "error": {
                "block": block,
                "ename": error.ename,
                "evalue": error.evalue,
                "code": codes[block],
            }
        }
    return {"outputs": [[dict(output) for output in cell.outputs] for cell in notebook.cells]}


def stdout_text(cell_outputs: list[dict]) -> str:
    """What a cell printed, as the page shows it under the code."""
    parts = []
    for output in cell_outputs:
        if output["output_type"] == "stream":
            parts.append(output["text"])
        elif output["output_type"] == "execute_result":
            parts.append(output["data"].get("text/plain", "") + "\n")
    return "".join(parts)


if __name__ == "__main__":  # python -m site_tools.kernel CODES_JSON OUTPUTS_JSON
    jobs.die_with_parent()
    codes = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    answer = execute(codes, Path(sys.argv[1]).parent)
    Path(sys.argv[2]).write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
