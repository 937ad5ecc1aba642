"""Run the build's slow work in child processes, two at a time, and stop them all promptly.

A build runs what its cache lacks (experiments, chapters' code) as child processes: each
in a fresh Python, so it runs the code as it is now, with the same settings every time.
Ctrl-C or SIGTERM stops the build within a few seconds: jobs not yet started are dropped,
running ones are terminated with everything they started, and the build waits for them
before it exits. A child also dies with the build if the build is killed outright.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# torch with one thread: tiny networks gain nothing from more, two jobs side by side
# would fight over the cores, and every run gets the same numbers whatever ran beside it
ONE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
GRACE = 5.0  # seconds a stopped child gets to clean up before it is killed
# the prefix of every temporary folder of a build and of its children, in the system's
# temporary folder, followed by the process id of its owner: a build removes those whose
# owner is dead (cache.remove_leftovers), so a killed process leaves nothing for long
SCRATCH = ".tiny-nets-build."

_running: set[subprocess.Popen] = set()
_lock = threading.Lock()


class JobFailed(Exception):
    pass


def run_python(args: list[str], cwd: Path, what: str) -> str:
    """`python -m ...args` in a child process: what it printed; JobFailed with its output
    if it fails."""
    env = {**os.environ, **ONE_THREAD, "PYTHONHASHSEED": "0", "TINY_NETS_PARENT": str(os.getpid())}
    process = subprocess.Popen(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped as one, and Ctrl-C is ours
    )
    with _lock:
        _running.add(process)
    try:
        output, _ = process.communicate()
    finally:
        with _lock:
            _running.discard(process)
    text = output.decode("utf-8", "replace")
    if process.returncode:
        raise JobFailed(f"{what} failed (exit code {process.returncode}):\n{text[-4000:]}")
    return text


def scratch(what: str) -> tempfile.TemporaryDirectory:
    """A temporary folder of this process (`with jobs.scratch("code") as folder:`), removed
    at the end of the block; if this process is killed first, by the next build."""
    return tempfile.TemporaryDirectory(prefix=f"{SCRATCH}{os.getpid()}.{what}.")


def stop_all() -> None:
    """Terminate every running child with its process group, and wait for them."""
    with _lock:
        running = list(_running)
    for process in running:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    for process in running:
        try:
            process.wait(GRACE)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run_all(jobs: list[Callable[[], object]], workers: int | None = None) -> None:
    """Run the jobs, `workers` at a time (one per core); re-raise the first failure.
    On any failure or interruption, the others are stopped before this returns."""
    if not jobs:
        return
    pool = ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 2)
    futures = [pool.submit(job) for job in jobs]
    try:
        for future in futures:
            future.result()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        stop_all()
        pool.shutdown(wait=True)
        raise
    pool.shutdown(wait=True)


def stop_on_sigterm() -> None:
    """Let SIGTERM stop this process the way Ctrl-C does, so that its jobs are stopped
    and its temporary files removed (only from the main thread; elsewhere it is a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _raise_interrupt)


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def beside(function: Callable, *args) -> Beside:
    """In an experiment: function(*args) in a process of its own, beside what the
    experiment does meanwhile; `.result()` waits for its result. For an experiment whose
    parts do not depend on each other: with a core to spare (an edit of one chapter, under
    `mkdocs serve`), it takes the time of its longest part rather than of their sum. The
    process is a copy of the experiment's (forked: its imports done, its settings: one
    thread), so `function` must not depend on what the experiment changed globally; its
    result must pickle. It ends with the experiment, however that ends."""
    receiver, sender = multiprocessing.Pipe(duplex=False)
    fork = multiprocessing.get_context("fork")
    process = fork.Process(
        target=_beside_run, args=(os.getpid(), sender, function, args), daemon=True
    )
    process.start()  # daemon: stopped when the experiment exits, even by an exception
    sender.close()
    return Beside(process, receiver)


class Beside:
    """Work running beside an experiment (jobs.beside)."""

    def __init__(self, process: multiprocessing.process.BaseProcess, receiver) -> None:
        self.process, self.receiver = process, receiver
        self.answer: tuple | None = None  # (returned, its value or what it raised)

    def result(self):
        """The function's result, once it has returned; what it raised, if it raised."""
        if self.answer is None:
            try:
                self.answer = pickle.loads(self.receiver.recv_bytes())
            except EOFError:
                self.process.join()
                code = self.process.exitcode
                raise JobFailed(
                    f"the work beside the experiment ended (exit code {code})"
                ) from None
            self.process.join()
        returned, value = self.answer
        if not returned:
            raise value
        return value


def _beside_run(parent: int, sender, function: Callable, args: tuple) -> None:
    """The process of jobs.beside: it holds nothing to clean up, so it is killed outright
    when the experiment ends."""
    os.environ["TINY_NETS_PARENT"] = str(parent)
    die_with_parent(signal.SIGKILL)
    try:
        answer = (True, function(*args))
    except BaseException as error:  # given to the experiment, which raises it
        answer = (False, error)
    # plain pickle: a copy of the data (multiprocessing's own would hand tensors over as
    # shared memory, which needs this process alive until the experiment has taken them)
    sender.send_bytes(pickle.dumps(answer))


def die_with_parent(signum: int = signal.SIGTERM) -> None:
    """In a child: end when the build that started it ends, even if it was killed: with
    `signum` from the system; on SIGTERM it stops cleanly (finally blocks run)."""
    signal.signal(signal.SIGTERM, _raise_interrupt)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signum)  # PR_SET_PDEATHSIG
    parent = os.environ.get("TINY_NETS_PARENT")
    if parent and os.getppid() != int(parent):  # it ended before we got here
        raise SystemExit(1)
