"""Run code as a reader who copied it from a page runs it: a fresh Python (`python -I`: no
project folder on the path, no PYTHONPATH, no user packages), in an empty folder, whose
code may import only torch, matplotlib, numpy and the standard library (what those
import for themselves is theirs). The code-block tests (conftest.py) run every page's
blocks this way.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

from site_tools import jobs

GUARD = """
import builtins, sys
ALLOWED = {"torch", "matplotlib", "numpy"} | set(sys.stdlib_module_names)
real_import = builtins.__import__
def guarded(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0 and name.split(".")[0] not in ALLOWED:
        raise ImportError(f"the copied code imports {name}: not torch, matplotlib or numpy")
    return real_import(name, globals, locals, fromlist, level)
code = sys.stdin.read()
scope = {"__name__": "__main__", "__builtins__": {**vars(builtins), "__import__": guarded}}
exec(compile(code, "<copied from the page>", "exec"), scope)
"""


def run_copied(code: str, timeout: int = 900) -> subprocess.CompletedProcess:
    """Run `code` as a reader's fresh Python would; figures drawn go nowhere (Agg)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    # one thread, as the build runs the same code: torch's default of one per core only
    # makes the cores fight when other work shares them
    env.update(MPLBACKEND="Agg", **jobs.ONE_THREAD)
    with tempfile.TemporaryDirectory(prefix="tiny-nets-copied-") as folder:
        return subprocess.run(
            [sys.executable, "-I", "-c", GUARD],
            input=code,
            capture_output=True,
            text=True,
            cwd=folder,
            env=env,
            timeout=timeout,
        )
