"""The build cache: results stored under a hash of what produced them, and trusted only
when they verify.

- One function, `key`, turns what produced a result (code, versions, inputs) into its name.
- An entry is either a folder (an experiment's numbers and figures) whose `manifest.json`,
  written last, holds the hash of every file; or a JSON file that carries the hash of its
  own content. An entry that does not load and verify is a miss: it is computed again,
  never published.
- Every entry is written into a temporary name and renamed into place, so a reader sees
  the whole entry or none of it; producers take a lock, so two builds at once compute an
  entry once, and the second one takes the first one's result.
- Temporary files carry their writer's process id: the leftovers of a killed build are
  removed by the next one.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

from site_tools import checkpoints

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = "manifest.json"
log = logging.getLogger("mkdocs.tiny_nets")


def cache_root() -> Path:
    """Where the cache lives: `.cache/`, or the folder TINY_NETS_CACHE names."""
    return Path(os.environ.get("TINY_NETS_CACHE") or ROOT / ".cache")


def key(*parts: str | bytes) -> str:
    """The name of a result, from everything that produced it."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()[:16]


def versions(*packages: str) -> str:
    """Python's and the packages' versions: results depend on them too. Each is read once
    per build (forget() starts a build afresh): a build asks for them hundreds of times."""
    for package in packages:
        if package not in _versions:
            _versions[package] = version(package)
    return " ".join([sys.version, *(f"{p}=={_versions[p]}" for p in packages)])


_versions: dict[str, str] = {}


def forget() -> None:
    """Read the packages' versions afresh (a package may be upgraded under `mkdocs serve`)."""
    _versions.clear()


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if missing) for the block. The operating
    system drops it when its process ends, however it ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def acquire(path: Path, busy_checkpoint: str | None = None) -> int:
    """Take an exclusive lock on `path`, a file (created if missing) or a folder, and
    return its handle (`release` it). A lock that another process holds is waited for;
    `busy_checkpoint` is reached first."""
    if path.is_dir():
        handle = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        if busy_checkpoint:
            checkpoints.reach(busy_checkpoint)
        fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


def release(handle: int) -> None:
    fcntl.flock(handle, fcntl.LOCK_UN)
    os.close(handle)


def temporary_name(path: Path) -> str:
    """`.name.<pid>.` : a temporary file or folder of this process, next to `path`."""
    return f".{path.name}.{os.getpid()}."


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a file whole or not at all: into a temporary file, then renamed over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    handle, tmp = tempfile.mkstemp(prefix=temporary_name(path), dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(raw)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def problem(folder: Path) -> str | None:
    """Why a folder entry cannot be trusted, or None if every file matches its manifest."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "no manifest"
    except (OSError, ValueError) as error:
        return f"unreadable manifest ({error})"
    if not isinstance(manifest, dict):
        return "unreadable manifest"
    present = {p.name for p in folder.iterdir()} - {MANIFEST}
    if present != set(manifest):
        return f"files differ from the manifest: {sorted(present ^ set(manifest))}"
    for name, digest in manifest.items():
        if sha256(folder / name) != digest:
            return f"{name} does not match its hash"
    return None


def discard(path: Path) -> None:
    """Remove a damaged entry: renamed away first, so no reader sees it half deleted."""
    if not path.exists():
        return
    aside = Path(tempfile.mkdtemp(prefix=temporary_name(path) + "discarded.", dir=path.parent))
    os.replace(path, aside / "entry")
    shutil.rmtree(aside, ignore_errors=True)


def publish_folder(folder: Path, fill: Callable[[Path], None], lock: Path) -> Path:
    """The verified entry `folder`: as it is if it verifies, else made by `fill(tmp)` in a
    temporary folder, given its manifest and renamed into place, under `lock`."""
    if problem(folder) is None:
        return folder
    checkpoints.reach("publish-missed")
    with locked(lock):
        why = problem(folder)
        if why is None:  # another build published it while we waited
            return folder
        if folder.exists():
            log.info(f"cache entry {folder} is damaged ({why}): computing it again")
            discard(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=temporary_name(folder), dir=folder.parent))
        try:
            fill(tmp)
            manifest = {p.name: sha256(p) for p in sorted(tmp.iterdir())}
            (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
            checkpoints.reach("publish-ready")
            os.replace(tmp, folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return folder


def read_json(path: Path) -> Any | None:
    """A JSON entry's content, or None if it is missing or does not verify."""
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        content = entry["content"]
        ok = entry["sha256"] == hashlib.sha256(canonical(content)).hexdigest()
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.info(f"cache entry {path} is damaged ({error!r}): computing it again")
        return None
    if not ok:
        log.info(f"cache entry {path} does not match its hash: computing it again")
        return None
    return content


def write_json(path: Path, content: Any) -> None:
    digest = hashlib.sha256(canonical(content)).hexdigest()
    entry = {"sha256": digest, "content": content}
    write_atomic(path, json.dumps(entry, ensure_ascii=False, sort_keys=True))


def canonical(content: Any) -> bytes:
    return json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(folder: Path, pattern: str = "**/.*") -> list[Path]:
    """Remove the temporary files and folders (`pattern` in `folder`) that dead processes
    left behind; return what was removed."""
    removed = []
    if not folder.is_dir():
        return removed
    for path in folder.glob(pattern):
        parts = path.name.split(".")  # "", name..., pid, random
        pid = next((int(p) for p in reversed(parts[2:-1]) if p.isdigit()), None)
        if pid is None or pid == os.getpid() or alive(pid):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed
