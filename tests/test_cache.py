"""The build cache can be trusted: whatever happens to a build (kills, builds side by side,
damaged files, another locale), it never publishes what the current code did not produce,
and it never needs `make clean`.

Every test runs against a minimal fixture site (tests/fixture_site.py: one tiny chapter,
one language). Interleavings are forced with the build's checkpoints
(site_tools/checkpoints.py), never by sleeping.
"""

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

from site_tools import cache, kernel
from site_tools.serve import free_port, serve

import fixture_site as fx
from helpers import ROOT


def digest(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def built(run: subprocess.CompletedProcess) -> None:
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


@pytest.fixture
def project(reference, tmp_path):
    """A fresh copy of the fixture project (tests may edit it)."""
    return Path(shutil.copytree(reference[0], tmp_path / "project"))


@pytest.fixture
def warm_cache(reference, tmp_path):
    """A copy of the cache the reference build filled."""
    return Path(shutil.copytree(reference[1], tmp_path / "cache"))


@pytest.fixture
def cold_cache(warm_cache):
    """The warm cache without the experiment's entry: a build must run the experiment
    (and need not run the page's code again)."""
    shutil.rmtree(warm_cache / "experiments")
    return warm_cache


@pytest.fixture
def scratch():
    """An empty folder for a build's TMPDIR, with a short path (a kernel's sockets are
    files in it, and a Unix socket's path is short: pytest's tmp_path may be too long)."""
    folder = Path(tempfile.mkdtemp(prefix="tn-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def experiment_entry(cache_folder: Path) -> Path:
    [entry] = [p for p in (cache_folder / "experiments").iterdir() if p.is_dir()]
    return entry


def leftovers(cache_folder: Path) -> list[Path]:
    return [p for p in cache_folder.rglob(".*")] if cache_folder.exists() else []


# --- 1. a build runs the experiment code as it is now ------------------------------------

EDITS = """
import re, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

experiment, page = Path("site_tools/chapters/tiny.py"), Path(sys.argv[1], "tiny", "index.html")
for rate in ["0.1", "0.2", "0.3"]:  # like `mkdocs serve`: one process, one build per edit
    text = experiment.read_text(encoding="utf-8")
    experiment.write_text(re.sub(r"LEARNING_RATE = [0-9.]+", f"LEARNING_RATE = {rate}", text))
    build(load_config("mkdocs.yml", site_dir=sys.argv[1]))
    html = page.read_text(encoding="utf-8")
    print(re.search(r"rate ([0-9.]+) the", html)[1], re.search(r"threads: (\\w+)", html)[1])
"""


def test_each_rebuild_in_one_process_runs_the_edited_experiment(
    project, warm_cache, tmp_path, monkeypatch
):
    """What `mkdocs serve` does on each edit: the numbers come from the code as edited,
    with one thread every time, and a later clean build in a new process agrees."""
    run = subprocess.run(
        [sys.executable, "-c", EDITS, str(tmp_path / "site")],
        cwd=project,
        env=fx.environment(warm_cache),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.split("\n")[:3] == ["0.1 1", "0.2 1", "0.3 1"]
    # what the cache holds for the code as it is now, as a later build in a new process
    # finds it (no experiment runs: the entry is there)
    from site_tools import experiments

    def entries() -> dict:
        return {p.name: p.stat().st_ino for p in (warm_cache / "experiments").iterdir()}

    before = entries()
    monkeypatch.setenv("TINY_NETS_CACHE", str(warm_cache))
    experiments.forget()
    assert experiments.result("tiny", project).value("lr") == 0.3
    assert entries() == before


# --- 2. builds side by side ----------------------------------------------------------------


def test_two_builds_at_once_each_publish_their_own_settings(project, warm_cache, tmp_path):
    """A build held after it wrote its notebooks, another build with another address run
    to the end meanwhile: each notebook names its own build's address."""
    held = fx.Checkpoints(tmp_path / "held", "files-ready")
    first = fx.start(project, tmp_path / "a", warm_cache, SITE_URL="http://a.test/", **held.env)
    held.arrived("files-ready")
    built(fx.build(project, tmp_path / "b", warm_cache, SITE_URL="http://b.test/"))
    held.release("files-ready")
    assert first.wait(timeout=120) == 0, first.stdout.read()[-3000:]
    for name in ("a", "b"):
        notebook = (tmp_path / name / "notebooks" / "tiny" / "tiny.ipynb").read_text("utf-8")
        assert f"http://{name}.test/tiny/" in notebook
        assert "http://" + ("b" if name == "a" else "a") + ".test/" not in notebook
    assert digest(tmp_path / "a").keys() == digest(tmp_path / "b").keys()


def test_two_clean_builds_at_once_compute_once_and_both_succeed(
    project, cold_cache, tmp_path, reference
):
    """Both miss the experiment; the first computes it while the second waits; the second
    takes the first one's result rather than failing on it."""
    empty = cold_cache
    first_held = fx.Checkpoints(tmp_path / "first", "publish-ready")
    second_held = fx.Checkpoints(tmp_path / "second", "publish-missed")
    first = fx.start(project, tmp_path / "a", empty, **first_held.env)
    first_held.arrived("publish-ready")  # computed, holding the lock, not yet published
    second = fx.start(project, tmp_path / "b", empty, **second_held.env)
    second_held.arrived("publish-missed")  # it too has found no entry
    second_held.release("publish-missed")
    first_held.release("publish-ready")
    logs = [first.communicate(timeout=120)[0], second.communicate(timeout=120)[0]]
    assert first.returncode == second.returncode == 0, logs
    assert sum(log.count("experiment tiny: ran") for log in logs) == 1
    assert digest(tmp_path / "a") == digest(tmp_path / "b") == digest(reference[2])
    assert leftovers(empty) == []


def cache_state(folder: Path) -> dict:
    return {str(p): (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("*")}


def test_two_builds_into_one_site_folder_take_turns(project, warm_cache, tmp_path, reference):
    """Two builds of one checkout into the same folder (make build twice, or beside an
    editor's build): the second waits for the first, and the folder ends complete. Both
    find everything in the cache, and neither writes into it (so it may be read-only)."""
    cached = cache_state(warm_cache)
    site = tmp_path / "site"
    first_held = fx.Checkpoints(tmp_path / "first", "pages-written")
    second_held = fx.Checkpoints(tmp_path / "second", "site-busy")
    first = fx.start(project, site, warm_cache, **first_held.env)
    first_held.arrived("pages-written")
    second = fx.start(project, site, warm_cache, **second_held.env)
    second_held.arrived("site-busy")  # it found the folder taken
    second_held.release("site-busy")
    first_held.release("pages-written")
    logs = [first.communicate(timeout=120)[0], second.communicate(timeout=120)[0]]
    assert first.returncode == second.returncode == 0, logs
    assert digest(site) == digest(reference[2])
    assert cache_state(warm_cache) == cached


# --- 3. damaged entries are misses ---------------------------------------------------------


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])


DAMAGES = {
    "values.json truncated": lambda e: truncate(e / "values.json"),
    "values.json deleted, figures left": lambda e: (e / "values.json").unlink(),
    "half the figures deleted": lambda e: (e / "tiny-circle.svg").unlink(),
    "a figure truncated": lambda e: truncate(e / "tiny-square.svg"),
    "manifest deleted": lambda e: (e / cache.MANIFEST).unlink(),
    "a stray file added": lambda e: (e / "stray.svg").write_text("<svg/>"),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_experiment_entry_is_computed_again(damage, project, warm_cache, monkeypatch):
    from site_tools import experiments

    monkeypatch.setenv("TINY_NETS_CACHE", str(warm_cache))
    entry = experiment_entry(warm_cache)
    good = {p.name: p.read_bytes() for p in entry.iterdir()}
    DAMAGES[damage](entry)
    experiments.forget()
    result = experiments.result("tiny", project)
    assert result.value("answer") == 42
    assert {p.name: p.read_bytes() for p in entry.iterdir()} == good
    assert leftovers(warm_cache) == []


def test_every_damaged_entry_is_repaired_by_the_next_build(project, warm_cache, reference, scratch):
    """The experiment's figure, the code's outputs, the formulas and a notebook page,
    all damaged at once: the next build publishes exactly what a clean build does. That
    build runs the experiment and both pages' code (two kernels) again, and leaves in the
    system's temporary folder no lock, no folder, no kernel connection file."""
    truncate(experiment_entry(warm_cache) / "tiny-square.svg")
    for kind in ("notebooks", "notebook-pages"):
        for entry in (warm_cache / kind).glob("*.json"):
            truncate(entry)
    for entry in warm_cache.glob("katex-*.json"):
        truncate(entry)
    site = warm_cache.parent / "site"
    run = fx.build(project, site, warm_cache, TMPDIR=str(scratch))
    built(run)
    assert "is damaged" in run.stderr or "does not match" in run.stderr
    assert "experiment tiny: ran" in run.stderr
    assert run.stderr.count("executed 1 code blocks") == 2
    assert digest(site) == digest(reference[2])
    assert sorted(p.name for p in scratch.iterdir()) == []


# --- 4. the locale ---------------------------------------------------------------------------


def latin1_locale(folder: Path) -> dict[str, str]:
    """Environment variables for an ISO-8859-1 locale, compiled into `folder`."""
    if not Path("/usr/share/i18n/locales/en_US").exists() or not shutil.which("localedef"):
        pytest.fail("needs localedef and /usr/share/i18n (Debian's locales data)")
    subprocess.run(
        ["localedef", "-i", "en_US", "-f", "ISO-8859-1", str(folder / "en_US.ISO-8859-1")],
        check=True,
        capture_output=True,
    )
    return {"LOCPATH": str(folder), "LC_ALL": "en_US.ISO-8859-1", "LANG": "en_US.ISO-8859-1"}


def test_formulas_and_outputs_are_utf8_in_a_latin1_locale(project, warm_cache, tmp_path):
    """The formulas (KaTeX, in Node) and the code's outputs (a kernel) computed under an
    ISO-8859-1 locale: the cache without them (the experiment's entry may stay)."""
    check = [sys.executable, "-c", "import locale; print(locale.getpreferredencoding())"]
    env = latin1_locale(tmp_path)
    assert (
        subprocess.run(
            check, env={**os.environ, **env}, capture_output=True, text=True
        ).stdout.strip()
        == "ISO-8859-1"
    )
    for entry in [*warm_cache.glob("katex-*.json"), *(warm_cache / "notebooks").glob("*")]:
        entry.unlink()
    shutil.rmtree(warm_cache / "notebook-pages")
    run = fx.build(project, tmp_path / "site", warm_cache, **env)
    built(run)
    assert run.stderr.count("executed 1 code blocks") == 2
    html = (tmp_path / "site" / "tiny" / "index.html").read_text("utf-8")
    assert "<mi>α</mi>" in html and "→ α" in html
    assert "Î" not in html


# --- 5. stopping a build ------------------------------------------------------------------


def processes_with(marker: str) -> list[int]:
    """The processes whose environment carries `marker` (a build and all it started)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker.encode() in environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


def wait_for_exit(pids: list[int], timeout: float = 30) -> None:
    """Wait until these processes (not our children) have ended."""
    import select

    for pid in pids:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue
        try:
            assert select.select([fd], [], [], timeout)[0], f"process {pid} is still running"
        finally:
            os.close(fd)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_stopping_a_build_stops_everything_it_started(
    signum, project, cold_cache, tmp_path, scratch
):
    """Ctrl-C or SIGTERM while an experiment runs: the build stops at once, takes its
    experiment and kernel along, and leaves no temporary files."""
    marker = f"TINY_NETS_TEST_RUN={uuid.uuid4()}"
    name, value = marker.split("=")
    held = fx.Checkpoints(tmp_path / "held", "experiment-running", "code-running")
    for entry in (cold_cache / "notebooks").glob("*.json"):
        entry.unlink()  # so both pages' code must run again
    # scratch: the build's system temporary folder (TMPDIR)
    build = fx.start(
        project, tmp_path / "site", cold_cache, **held.env, **{name: value}, TMPDIR=str(scratch)
    )
    # two workers: the experiment and one page's code run (held), the other page's waits
    experiment, kernel = held.arrived("experiment-running"), held.arrived("code-running")
    assert {experiment, kernel} <= set(processes_with(marker))
    os.killpg(build.pid, signum)  # as a terminal does: the build's whole process group
    build.wait(timeout=30)
    assert build.returncode != 0
    wait_for_exit(processes_with(marker))  # the kernel it shut down may take a moment
    assert processes_with(marker) == []
    assert list((cold_cache / "notebooks").glob("*.json")) == []  # the waiting job never ran
    assert leftovers(cold_cache) == []
    # nothing left in the temporary folder: no lock, no kernel's files or working folder
    assert sorted(p.name for p in scratch.iterdir()) == []


def test_a_build_killed_at_any_moment_is_followed_by_a_clean_one(
    project, cold_cache, tmp_path, reference, scratch
):
    """Killed outright while its experiment runs, with its result ready but not yet in
    place, and with its notebooks written: each time the next build starts cleanly (it is
    itself killed at the next moment), and the last one publishes what a clean build does."""
    marker = f"TINY_NETS_TEST_RUN={uuid.uuid4()}"
    name, value = marker.split("=")
    killed = []  # scratch: the builds' system temporary folder (TMPDIR)
    for moment in ["experiment-running", "publish-ready", "files-ready"]:
        held = fx.Checkpoints(tmp_path / moment, moment)
        build = fx.start(
            project, tmp_path / "site", cold_cache, **held.env, **{name: value}, TMPDIR=str(scratch)
        )
        held.arrived(moment)
        build.kill()
        build.wait(timeout=30)
        wait_for_exit(processes_with(marker))  # its children end with it
        assert processes_with(marker) == []
        killed.append(build.pid)
    assert list(scratch.iterdir()), "the killed builds left their temporary folders"
    built(fx.build(project, tmp_path / "site", cold_cache, TMPDIR=str(scratch)))
    assert digest(tmp_path / "site") == digest(reference[2])
    assert leftovers(cold_cache) == []
    # what the killed builds and their kernels left is gone, and the last one left nothing
    assert sorted(p.name for p in scratch.iterdir()) == []


BESIDE = """
import os, sys, time
from site_tools import jobs

if __name__ == "__main__":
    print(jobs.beside(os.getpid).result(), os.getpid(), os.environ["OMP_NUM_THREADS"], flush=True)
    print(jobs.beside(os.getenv, "OMP_NUM_THREADS").result(), flush=True)
    held = jobs.beside(time.sleep, 600)  # killed with its experiment, long before it ends
    time.sleep(1)
    print("started", flush=True)
    time.sleep(600)
"""


def test_work_beside_an_experiment_has_its_settings_and_ends_with_it(tmp_path):
    """jobs.beside: the work runs in a process of its own, with the experiment's one thread,
    and ends when the experiment is killed outright."""
    marker = f"TINY_NETS_TEST_RUN={uuid.uuid4()}"
    name, value = marker.split("=")
    experiment = subprocess.Popen(
        [sys.executable, "-c", BESIDE],
        cwd=ROOT,
        env={**os.environ, "OMP_NUM_THREADS": "1", name: value},
        stdout=subprocess.PIPE,
        text=True,
    )
    child, parent, threads = experiment.stdout.readline().split()
    assert child != parent and threads == "1"
    assert experiment.stdout.readline().strip() == "1"  # the setting, in the child
    assert experiment.stdout.readline().strip() == "started"
    assert len(processes_with(marker)) >= 2  # the experiment and its sleeping child at least
    experiment.kill()
    experiment.wait(timeout=30)
    wait_for_exit(processes_with(marker))
    assert processes_with(marker) == []


BESIDE_STOPPED = """
import time
from site_tools import jobs

if __name__ == "__main__":
    jobs.die_with_parent()  # as an experiment: SIGTERM stops it as Ctrl-C would
    held = jobs.beside(time.sleep, 600)
    print("started", held.process.pid, flush=True)
    time.sleep(600)
"""


def test_work_beside_an_experiment_ends_when_the_experiment_is_stopped():
    """SIGTERM, as an experiment gets when its build dies: the experiment ends at once and
    its work beside it with it, rather than waiting for that work to finish."""
    marker = f"TINY_NETS_TEST_RUN={uuid.uuid4()}"
    name, value = marker.split("=")
    experiment = subprocess.Popen(
        [sys.executable, "-c", BESIDE_STOPPED],
        cwd=ROOT,
        env={**os.environ, name: value},
        stdout=subprocess.PIPE,
        text=True,
    )
    said, child = experiment.stdout.readline().split()
    assert said == "started" and int(child) in processes_with(marker)
    experiment.send_signal(signal.SIGTERM)
    experiment.wait(timeout=30)  # not 600 s
    assert experiment.returncode != 0
    wait_for_exit(processes_with(marker), timeout=10)
    assert processes_with(marker) == []


# --- 6. kernels -------------------------------------------------------------------------------


def test_a_change_to_how_code_is_run_runs_it_again(tmp_path, monkeypatch):
    """The keys of a page's code run and of an experiment cover the modules that run them
    (their process, threads and settings), not only the code."""
    from site_tools import course, experiments

    def edited(module_file: str) -> Path:
        copy = tmp_path / Path(module_file).name
        copy.write_bytes(Path(module_file).read_bytes() + b"\n# edited\n")
        return copy

    codes = ["print(1)\n"]
    before = kernel.code_key(codes)
    monkeypatch.setattr(kernel, "__file__", str(edited(kernel.__file__)))
    assert kernel.code_key(codes) != before
    monkeypatch.undo()
    assert kernel.code_key(codes) == before
    for chapter in course.chapters():
        before = experiments.cache_key(chapter)
        for i, runner in enumerate(experiments.RUNNER):
            changed = list(experiments.RUNNER)
            changed[i] = edited(str(runner))
            monkeypatch.setattr(experiments, "RUNNER", changed)
            assert experiments.cache_key(chapter) != before, runner.name
            monkeypatch.undo()


def test_split_prints_are_merged():
    split = [
        {"output_type": "stream", "name": "stdout", "text": "seed 7: largest "},
        {"output_type": "stream", "name": "stdout", "text": "difference 2e-06\n"},
        {"output_type": "stream", "name": "stderr", "text": "a warning\n"},
        {"output_type": "stream", "name": "stdout", "text": "done\n"},
    ]
    assert kernel.merge_streams(split) == [
        {"output_type": "stream", "name": "stdout", "text": "seed 7: largest difference 2e-06\n"},
        {"output_type": "stream", "name": "stderr", "text": "a warning\n"},
        {"output_type": "stream", "name": "stdout", "text": "done\n"},
    ]


UNTOUCHED = """
import os
from site_tools import kernel

os.environ.pop("OMP_NUM_THREADS", None)
before = dict(os.environ)
[[printed]] = kernel.outputs(["import os; print(os.environ['OMP_NUM_THREADS'])"])
print(printed["text"].strip(), dict(os.environ) == before)
"""


def test_code_runs_without_touching_the_build_environment(tmp_path, scratch):
    """...and the kernel leaves nothing in the system's temporary folder (its sockets,
    its connection file, its working folder). In a process of its own, whose temporary
    folder is `scratch`: this one's is shared with the code-block runs beside the tests."""
    run = subprocess.run(
        [sys.executable, "-c", UNTOUCHED],
        cwd=ROOT,
        env={**os.environ, "TINY_NETS_CACHE": str(tmp_path / "cache"), "TMPDIR": str(scratch)},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.split() == ["1", "True"]  # one thread in the kernel; os.environ as it was
    assert sorted(p.name for p in scratch.iterdir()) == []


def test_a_code_block_that_raises_fails_the_build_naming_page_and_block(
    project, warm_cache, tmp_path
):
    page = project / "docs" / "en" / "tiny.md"
    page.write_text(page.read_text("utf-8") + "\n```python\nprint(1 / 0)\n```\n", "utf-8")
    run = fx.build(project, tmp_path / "site", warm_cache)
    assert run.returncode != 0
    assert "tiny.md: code block 2 of 2 raised ZeroDivisionError" in run.stderr


def test_a_warning_in_another_language_fails_the_build(project, warm_cache, tmp_path):
    """The other languages are built in processes of their own, beside the root build: a
    warning in one of them (here a broken link on a Chinese page) fails `--strict`, and
    says where."""
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    zh = '    - {lang: zh, name: 简体中文, path: "zh/", config: mkdocs.zh.yml}\n'
    config = re.sub(r"(\n  language_sites:.*\n(?:    - .*\n)+)", lambda m: m[1] + zh, config)
    fx.write(project / "mkdocs.yml", config)
    fx.write(
        project / "mkdocs.zh.yml",
        "INHERIT: mkdocs.yml\ndocs_dir: docs/zh\nsite_dir: site/zh\n"
        "nav:\n  - 首页: index.md\n  - 1 · Tiny: tiny.md\n  - 其他: other.md\n"
        "  - 术语表: glossary.md\n"
        "theme:\n  language: zh\n",
    )
    glossary = "# 术语表\n\n| English | 中文 |\n|---|---|\n| neuron | 神经元 |\n"
    fx.write(project / "docs" / "zh" / "glossary.md", glossary)  # the search's dictionary
    fx.write(project / "docs" / "zh" / "tiny.md", fx.PAGE)  # every chapter, in every language
    fx.write(project / "docs" / "zh" / "index.md", "# 首页\n\n[其他](other.md)\n")
    fx.write(project / "docs" / "zh" / "other.md", "# 其他\n\n[不存在的页面](missing.md)\n")
    run = fx.build(project, tmp_path / "site", warm_cache)
    assert run.returncode != 0
    assert "the zh site failed" in run.stderr and "missing.md" in run.stderr
    assert (tmp_path / "site" / "tiny" / "index.html").exists()  # the root build went on


# --- 7. what gets published ------------------------------------------------------------------


def test_symbolic_links_under_docs_are_refused(project, tmp_path):
    docs = project / "docs" / "en"
    (docs / "secret.txt").symlink_to("../../.git/config")
    (docs / "environment.txt").symlink_to("/proc/self/environ")
    run = fx.build(project, tmp_path / "site", tmp_path / "cache")
    assert run.returncode != 0
    for name in ("secret.txt", "environment.txt"):
        assert f"{name}: a symbolic link under" in run.stderr
        assert not (tmp_path / "site" / name).exists()


def test_the_local_server_answers_like_github_pages(tmp_path):
    import urllib.error
    import urllib.request

    site = tmp_path / "site"
    (site / "page").mkdir(parents=True)
    (site / "page" / "index.html").write_text("a page")
    (site / "bare").mkdir()
    (site / "bare" / "data.txt").write_text("no index here")
    (site / "404.html").write_text("not found")
    (tmp_path / "outside.txt").write_text("secret")
    (site / "link.txt").symlink_to(tmp_path / "outside.txt")
    (site / "linked").symlink_to(site / "page")
    port = free_port()
    server = serve(site, port)
    try:
        url = f"http://127.0.0.1:{port}/"
        assert urllib.request.urlopen(url + "page/").read() == b"a page"
        for path in ("bare/", "link.txt", "linked/", "missing/"):
            with pytest.raises(urllib.error.HTTPError) as answer:
                urllib.request.urlopen(url + path)
            assert answer.value.code == 404, path
            assert answer.value.read() == b"not found"
    finally:
        server.shutdown()


def test_the_deploy_workflow_builds_without_write_access():
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text("utf-8"))
    assert workflow.get("permissions") in ({}, {"contents": "read"})
    jobs = workflow["jobs"]
    writers = [
        name for name, job in jobs.items() if job.get("permissions", {}).get("contents") == "write"
    ]
    assert len(writers) == 1
    build_jobs = [name for name in jobs if name not in writers]
    assert build_jobs and all(
        jobs[name].get("permissions") == {"contents": "read"} for name in build_jobs
    )
    assert all(name in str(jobs[writers[0]].get("needs")) for name in build_jobs)
    for job in jobs.values():
        for step in job["steps"]:
            if "uses" in step:
                action, _, ref = step["uses"].partition("@")
                assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), step["uses"]
                if action == "actions/checkout":
                    assert step.get("with", {}).get("persist-credentials") is False
    assert "make build" in json.dumps(jobs[build_jobs[0]])


def test_the_search_dictionary_is_written_once(tmp_path, monkeypatch):
    """jieba's dictionary of glossary terms is named by its content and never rewritten."""
    from types import SimpleNamespace

    from site_tools import hooks

    monkeypatch.setenv("TINY_NETS_CACHE", str(tmp_path))
    config = SimpleNamespace(docs_dir=str(ROOT / "docs" / "zh"))
    first = hooks.glossary_dictionary(config)
    written = first.stat()
    again = hooks.glossary_dictionary(config)
    assert again == first
    assert (again.stat().st_ino, again.stat().st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    assert "梯度下降 100000" in first.read_text("utf-8")
