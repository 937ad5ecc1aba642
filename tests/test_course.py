"""A chapter is one unit: found from its files, listed once per language in the navigation,
and its cache key follows the code it imports."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from mkdocs.utils.yaml import yaml_load

from site_tools import cache, course, experiments
from site_tools.chapter_source import python_fences, reader_markdown

from helpers import LANGS, REPO_URL, ROOT, build_site, html_path


@pytest.mark.parametrize("chapter", course.chapters(), ids=lambda c: c.name)
def test_every_chapter_has_all_its_files(chapter):
    assert chapter.missing() == []


def nav_pages(config: Path) -> list[str]:
    """The Markdown pages the navigation of one language's config links, in order."""
    with config.open(encoding="utf-8") as file:
        nav = yaml_load(file)["nav"]
    pages, entries = [], list(nav)
    while entries:
        entry = entries.pop(0)
        for target in entry.values() if isinstance(entry, dict) else [entry]:
            if isinstance(target, list):
                entries[:0] = target
            else:
                pages.append(target)
    return pages


def nav_problems(root: Path) -> list[str]:
    """Where the navigation and the chapters found in the files disagree."""
    problems = []
    chapters = {c.page for c in course.chapters(root)}
    configs = {"en": root / "mkdocs.yml"} | {
        lang: root / f"mkdocs.{lang}.yml" for lang in course.languages(root) if lang != "en"
    }
    for lang, config in configs.items():
        pages = nav_pages(config)
        listed = [Path(p).stem for p in pages if Path(p).stem in chapters]
        for page in sorted(chapters - set(listed)):
            problems.append(f"{config.name}: chapter {page} is not in the navigation")
        for page in {p for p in listed if listed.count(p) > 1}:
            problems.append(f"{config.name}: chapter {page} is listed twice")
        for target in pages:
            if target.startswith("notebooks/"):
                problems.append(f"{config.name}: {target} is listed by hand (it is derived)")
            source = root / "docs" / lang / target
            if source.suffix == ".md" and Path(target).stem not in chapters:
                code = python_fences(reader_markdown(source.read_text(encoding="utf-8")))
                if code:
                    problems.append(f"{config.name}: {target} has Python code but no experiment")
    return problems


def test_the_navigation_lists_exactly_the_chapters():
    assert nav_problems(ROOT) == []


def test_a_chapter_missing_from_the_navigation_is_found(tmp_path):
    root = tmp_path / "project"
    for name in ["mkdocs.yml", *[f"mkdocs.{lang}.yml" for lang in LANGS if lang != "en"]]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "docs", root / "docs")
    shutil.copytree(ROOT / "site_tools" / "chapters", root / "site_tools" / "chapters")
    assert nav_problems(root) == []
    first = course.chapters(root)[0]
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(rf"\n  - .*: {first.page}\.md", "", text), encoding="utf-8")
    assert nav_problems(root) == [f"mkdocs.yml: chapter {first.page} is not in the navigation"]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_cache_key_follows_the_imports(tmp_path):
    """A module a chapter starts to import is part of its key, without anyone listing it."""
    write(tmp_path / "site_tools" / "__init__.py", "")
    write(tmp_path / "site_tools" / "chapters" / "__init__.py", "")
    write(tmp_path / "snippets" / "__init__.py", "")
    write(tmp_path / "site_tools" / "chapters" / "demo.py", "from snippets.demo import f\n")
    write(tmp_path / "snippets" / "demo.py", "import torch\n\ndef f():\n    return 1\n")
    write(tmp_path / "snippets" / "other.py", "X = 1\n")
    demo = course.Chapter("demo", tmp_path)

    def key() -> str:
        return experiments.cache_key(demo)

    names = [
        p.relative_to(tmp_path).as_posix()
        for p in experiments.imported_files(demo.experiment, tmp_path)
    ]
    assert names == [
        "site_tools/chapters/demo.py",
        "snippets/__init__.py",
        "snippets/demo.py",
    ]
    before = key()
    write(tmp_path / "snippets" / "other.py", "X = 2\n")  # not imported: no effect
    assert key() == before
    write(tmp_path / "snippets" / "demo.py", "from snippets import helper\n\ndef f():\n    ...\n")
    write(tmp_path / "snippets" / "helper.py", "SCALE = 1\n")
    with_helper = key()
    assert with_helper != before
    write(tmp_path / "snippets" / "helper.py", "SCALE = 2\n")  # a module found by following
    assert key() != with_helper


def test_the_real_chapters_keys_cover_the_course_code_they_use():
    for chapter in course.chapters():
        files = {
            p.relative_to(ROOT).as_posix() for p in experiments.imported_files(chapter.experiment)
        }
        assert f"snippets/{chapter.name}.py" in files
        assert "site_tools/figures.py" in files


SCAFFOLD = {
    "site_tools/chapters/scaffold.py": '''"""A throwaway chapter's experiment."""

import base64

from site_tools.results import quote
from snippets.scaffold import double

DOT_PNG = (  # the notebook's copy, which figures.save writes beside a real chapter's SVG
    "iVBORw0KGgoAAAANSUhEUgAAAAoAAAAKAQMAAAC3/F3+AAAABlBMVEX///8AAABVwtN+AAAAIklEQVR42mOQY2BS"
    "ZGCsZ2T8f5CJgQGCmBkeMtgzMP//CAA/zgWgTTwAZgAAAABJRU5ErkJggg=="
)


def run(out):
    (out / "scaffold-dot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<circle cx="5" cy="5" r="5"/></svg>\\n',
        encoding="utf-8",
    )
    (out / "scaffold-dot.png").write_bytes(base64.b64decode(DOT_PNG))
    return {"doubled": quote(double(21))}
''',
    "snippets/scaffold.py": '''"""A throwaway chapter's code."""

# --8<-- [start:double]


def double(x: int) -> int:
    return 2 * x


print(double(4))
# --8<-- [end:double]
''',
    "tests/test_scaffold.py": '"""A throwaway chapter\'s claims."""\n',
}
PAGE = """---
description: {description}
---

# 9 · Scaffold

!!! abstract "{abstract}"
    - {learn}

{text} {{{{ scaffold.doubled }}}}.

```python
--8<-- "scaffold.py:double"
```

<figure markdown="span">
  ![{alt}](figures/scaffold-dot.svg)
  <figcaption>{caption}</figcaption>
</figure>
"""
WORDS = {
    "en": dict(
        description="A throwaway chapter that proves a chapter needs only its own files.",
        abstract="What you will learn",
        learn="that a chapter is its own files and one line of navigation.",
        text="Twice twenty-one is",
        alt="A small black dot drawn by the throwaway experiment.",
        caption="The throwaway figure.",
    ),
    "zh": dict(
        description="一个临时章节，用来证明新增章节只需要它自己的文件。",
        abstract="本章内容",
        learn="一章就是它自己的几个文件，加上导航里的一行。",
        text="二十一的两倍是",
        alt="临时实验画出的一个黑色小圆点。",
        caption="临时章节的插图。",
    ),
}


def test_a_new_chapter_needs_only_its_own_files_and_a_nav_line(served_site, tmp_path):
    """Scaffold a chapter in a copy of the project and build it, with no other edit."""
    origin, _ = served_site
    project = tmp_path / "project"
    names = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, names.split("\0")):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, project / name)
    # the other chapters' results, as the session's build left them: their keys are the
    # same in the copy, so only the new chapter is computed (a clean copy would run them all)
    if cache.cache_root().is_dir():
        shutil.copytree(
            cache.cache_root(),
            project / ".cache",
            ignore=shutil.ignore_patterns("*.lock", "builds", ".*"),
        )
    for name, text in SCAFFOLD.items():
        write(project / name, text)
    for lang, words in WORDS.items():
        write(project / "docs" / lang / "scaffold.md", PAGE.format(**words))
        config = project / ("mkdocs.yml" if lang == "en" else f"mkdocs.{lang}.yml")
        text = config.read_text(encoding="utf-8")
        last = [line for line in text.splitlines() if line.startswith("  - ") and ".md" in line]
        chapter_lines = [
            line for line in last if any(f": {c.page}.md" in line for c in course.chapters())
        ]
        text = text.replace(
            chapter_lines[-1], chapter_lines[-1] + '\n  - "9 · scaffold": scaffold.md'
        )
        config.write_text(text, encoding="utf-8")
    assert nav_problems(project) == []
    site = build_site(tmp_path / "site", cwd=project, SITE_URL=origin + "/", REPO_URL=REPO_URL)
    for lang in LANGS:
        html = html_path(site, lang, "scaffold").read_text("utf-8")
        assert 'output highlight"><pre><span></span><code>8\n</code>' in html  # what it printed
        assert "42." in html  # the experiment's number
        notebook = (
            site / ("" if lang == "en" else lang) / "notebooks" / "scaffold" / "scaffold.ipynb"
        )
        assert "def double" in notebook.read_text("utf-8")
        home = html_path(site, lang, "index").read_text("utf-8")
        assert 'href="notebooks/scaffold/"' in home  # in the derived navigation
    assert (site / "figures" / "scaffold-dot.svg").is_file()


def test_an_experiment_declares_how_long_it_runs(tmp_path):
    folder = tmp_path / "site_tools" / "chapters"
    folder.mkdir(parents=True)
    for name, line in [
        ("slow", "EXPECTED_SECONDS = 60\n"),
        ("quiet", ""),
        ("odd", "EXPECTED_SECONDS = '1'\n"),
    ]:
        (folder / f"{name}.py").write_text(
            f"import torch\n{line}\n\ndef run(out):\n    return {{}}\n"
        )
    assert course.Chapter("slow", tmp_path).expected_seconds == 60.0
    assert course.Chapter("quiet", tmp_path).expected_seconds == 0.0
    with pytest.raises(TypeError, match="EXPECTED_SECONDS must be a number"):
        _ = course.Chapter("odd", tmp_path).expected_seconds
    # the course's own: each declared, the longest first in the build's queue
    assert all(chapter.expected_seconds > 0 for chapter in course.chapters())
