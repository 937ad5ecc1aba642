"""Named points in the build where a test can hold it, to force an interleaving.

`reach("name")` does nothing unless TINY_NETS_CHECKPOINTS names a folder holding a pipe
called `name`. Then it writes its process id into that pipe (the test, reading, learns
that the build has arrived) and waits until the test opens `name.go` and closes it. The
tests of the cache (tests/test_cache.py) use this to run two builds side by side in a
chosen order, or to kill a build at a chosen moment, without sleeping and hoping.
"""

from __future__ import annotations

import os
from pathlib import Path


def reach(name: str) -> None:
    folder = os.environ.get("TINY_NETS_CHECKPOINTS")
    if not folder or not (Path(folder) / name).exists():
        return
    with (Path(folder) / name).open("w", encoding="utf-8") as arrived:
        arrived.write(f"{os.getpid()}\n")
    with (Path(folder) / f"{name}.go").open(encoding="utf-8") as go:
        go.read()
