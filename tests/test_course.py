"""A chapter is one unit: found from its files, listed once per language in the navigation,
and its cache key follows the code it imports."""

import re
import shutil
from pathlib import Path

import pytest
from mkdocs.utils.yaml import yaml_load

from site_tools import course, experiments
from site_tools.chapter_source import python_fences, reader_markdown

from helpers import LANGS, ROOT


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
