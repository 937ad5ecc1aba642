"""A minimal site for the tests of the build machinery: the project's own `site_tools/`,
theme and configuration, one language, and one tiny chapter whose experiment takes a
fraction of a second (no torch). Nothing of the course's own chapters is copied: the
machinery finds the tiny chapter as it finds every chapter.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from helpers import ROOT

EXPERIMENT = '''"""The tiny chapter's experiment: a number, a figure, the build's thread setting."""

import base64
import os

from site_tools import checkpoints
from site_tools.results import Data, quote
from snippets.tiny import answer

LEARNING_RATE = 0.1


def run(out):
    checkpoints.reach("experiment-running")
    (out / "tiny-square.svg").write_text(SQUARE, encoding="utf-8")
    (out / "tiny-circle.svg").write_text(CIRCLE, encoding="utf-8")
    # the notebook's copies, which figures.save writes beside a real chapter's SVGs
    (out / "tiny-square.png").write_bytes(base64.b64decode(SQUARE_PNG))
    (out / "tiny-circle.png").write_bytes(base64.b64decode(CIRCLE_PNG))
    return {
        "lr": quote(LEARNING_RATE),
        "answer": quote(answer()),
        "threads": quote(os.environ.get("OMP_NUM_THREADS", "unset")),
        "weights": Data([1.5, -2.0]),
    }


SQUARE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
    '<rect width="40" height="40" fill="#0072B2"/></svg>\\n'
)
CIRCLE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
    '<circle cx="20" cy="20" r="20" fill="#D55E00"/></svg>\\n'
)
SQUARE_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAACgAAAAoAQMAAAC2MCouAAAAA1BMVEUAcrKfHPQOAAAADElEQVR42mNgGFkAAADw"
    "AAE4aVpRAAAAAElFTkSuQmCC"
)
CIRCLE_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAACgAAAAoAQMAAAC2MCouAAAABlBMVEX////VXgD6uFR/AAAAY0lEQVR42o3OoRGD"
    "UBRE0cPCDJGUQCehtJRGKb8EJILhRQQBLuaKs2ZRxKjhXYdYRKfo0mPNgDkgL0yZ8MqM4fJfF+QuXd3WP9pbqIev"
    "OB/ScGTDnh3b5Qfa9dxHidWJsRoUX0hmGcx+O0DPAAAAAElFTkSuQmCC"
)
'''

MODULE = '''"""The tiny chapter's course code."""


def answer() -> int:
    return 42


if __name__ == "__main__":
    # --8<-- [start:show]
    print("two and two make", 2 + 2, "→ α")
    # --8<-- [end:show]
'''

PAGE = """---
description: A tiny chapter, for the tests of the build machinery.
---

# 1 · Tiny

!!! abstract "What you will learn"
    - that the build quotes its numbers.

With learning rate {{ tiny.lr }} the answer is {{ tiny.answer }}; threads: {{ tiny.threads }}.
A formula: \\(\\alpha + \\beta\\).

```python
--8<-- "tiny.py:show"
```

<div class="tn-widget" markdown>
<figure markdown="span">
  ![A blue square drawn by the tiny experiment.](figures/tiny-square.svg)
  <figcaption>The tiny figure.</figcaption>
</figure>
</div>

<figure markdown="span">
  ![An orange disc drawn by the tiny experiment.](figures/tiny-circle.svg)
  <figcaption>The other tiny figure.</figcaption>
</figure>
"""

WIDGET = """/* The tiny chapter's widget: doubles the first weight the experiment exported. */
(function () {
  "use strict";
  const model = { double: (x) => 2 * x };
  if (typeof module === "object" && module.exports) {
    module.exports = model; // Node, for the tests
    return;
  }
  TinyNets.widget("tiny", (element, data, ui) => {
    const readout = document.createElement("p");
    readout.className = "tn-widget-ui";
    readout.textContent = ui.number(model.double(data.weights[0]), 2);
    element.append(readout);
  });
})();
"""

OTHER = """---
description: A page with code that is not a chapter, for the tests of the build machinery.
---

# Other

```python
import os
from pathlib import Path

held = Path(os.environ.get("TINY_NETS_CHECKPOINTS", "/nowhere"), "code-running")
if held.exists():  # a test holds this page's code here (site_tools/checkpoints.py)
    held.write_text(f"{os.getpid()}\\n")
    Path(f"{held}.go").read_text()
print("another page's code")
```
"""

INDEX = """---
description: The home page of the fixture site for the build's tests.
---

# Fixture

The [tiny chapter](tiny.md).
"""


def make(folder: Path) -> Path:
    """Write the fixture project into `folder` and return it. Its machinery (site_tools/,
    overrides/, mkdocs.yml) is this project's, or that of the checkout TINY_NETS_FIXTURE_FROM
    names (to run these tests against an older version of the machinery)."""
    source = Path(os.environ.get("TINY_NETS_FIXTURE_FROM") or ROOT)
    shutil.copytree(
        source / "site_tools", folder / "site_tools", ignore=shutil.ignore_patterns("__pycache__")
    )
    chapters = folder / "site_tools" / "chapters"
    for path in chapters.iterdir():
        if path.name != "__init__.py":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    shutil.copytree(source / "overrides", folder / "overrides")
    write(chapters / "tiny.py", EXPERIMENT)
    write(chapters / "tiny.js", WIDGET)
    write(folder / "snippets" / "__init__.py", "")
    write(folder / "snippets" / "tiny.py", MODULE)
    write(folder / "tests" / "test_tiny.py", '"""The tiny chapter\'s claims."""\n')
    write(folder / "docs" / "en" / "tiny.md", PAGE)
    write(folder / "docs" / "en" / "index.md", INDEX)
    write(folder / "docs" / "en" / "other.md", OTHER)
    config = (source / "mkdocs.yml").read_text(encoding="utf-8")
    nav = '\nnav:\n  - Home: index.md\n  - "1 · Tiny": tiny.md\n  - Other: other.md\n'
    if "notebooks:" not in config:  # a machinery that does not derive the notebooks' entries
        nav += '  - Notebooks:\n      - "1 · Tiny": notebooks/tiny.ipynb\n'
    config = re.sub(r"\nnav:\n(?:  .*\n)+", nav, config)
    config = re.sub(
        r"(\n  language_sites:.*\n)(?:    - .*\n)+",
        r"\1    - {lang: en, name: English, path: \"\", config: mkdocs.yml}\n",
        config,
    )
    config = re.sub(r"\nwatch:\n(?:  .*\n)+", "\n", config)
    write(folder / "mkdocs.yml", config)
    return folder


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def environment(cache: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "TINY_NETS_CACHE": str(cache),
        "SITE_URL": "http://127.0.0.1:8000/",
        **extra,
    }


def build_command(site: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]


def build(project: Path, site: Path, cache: Path, **extra: str) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of the fixture; the completed process (check returncode)."""
    return subprocess.run(
        build_command(site),
        cwd=project,
        env=environment(cache, **extra),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
    )


# Ctrl-C's default action restored, then the build: a terminal starts a command so, but a
# test run started in the background by a script (`cmd &`) has SIGINT ignored, and every
# process it starts inherits that (seen: the build then ignored the test's Ctrl-C)
AS_A_TERMINAL = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"
)


def start(project: Path, site: Path, cache: Path, **extra: str) -> subprocess.Popen:
    """The same build, started in the background, in a process group of its own (as a
    terminal starts it: Ctrl-C there signals the whole group)."""
    command = build_command(site)
    return subprocess.Popen(
        [command[0], "-c", AS_A_TERMINAL, *command[1:]],
        cwd=project,
        env=environment(cache, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
        start_new_session=True,
    )


class Checkpoints:
    """Hold a build at named points of site_tools/checkpoints.py, and let it go on."""

    def __init__(self, folder: Path, *names: str):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            os.mkfifo(folder / name)
            os.mkfifo(folder / f"{name}.go")

    @property
    def env(self) -> dict[str, str]:
        return {"TINY_NETS_CHECKPOINTS": str(self.folder)}

    def arrived(self, name: str, timeout: float = 120) -> int:
        """Wait until a build reaches `name` (it is then held there); its process id."""
        fd = os.open(self.folder / name, os.O_RDONLY | os.O_NONBLOCK)
        data = b""
        try:
            while True:
                ready, _, _ = select.select([fd], [], [], timeout)
                assert ready, f"no build reached the checkpoint {name!r}"
                chunk = os.read(fd, 64)
                if not chunk:
                    break
                data += chunk
        finally:
            os.close(fd)
        return int(data)

    def release(self, name: str, timeout: float = 120) -> None:
        """Let the build held at `name` go on."""
        go = self.folder / f"{name}.go"
        opener = threading.Thread(target=lambda: go.open("w").close(), daemon=True)
        opener.start()
        opener.join(timeout)
        assert not opener.is_alive(), f"the build held at {name!r} is gone"
