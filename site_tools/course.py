"""What a chapter is, found from the files: the one place the build, the tests and the
scripts ask.

A chapter is an experiment, `site_tools/chapters/<name>.py`; everything else of the
chapter follows from its name (`<page>` is `<name>` with `-` for `_`):

| file                            | what it is                                  |
|---------------------------------|---------------------------------------------|
| `site_tools/chapters/<name>.py` | the build-time experiment: `run(out_dir)`   |
| `snippets/<name>.py`            | the course code the pages include           |
| `docs/<lang>/<page>.md`         | the page, in every language                 |
| `tests/test_<name>.py`          | every claim of the chapter, checked         |
| `site_tools/chapters/<name>.js` | its interactive widget, if it has one       |
| `snippets/<name>_exercises.py`  | its exercises' stubs and checks, if it has  |
|                                 | exercises; then also:                       |
| `snippets/<name>_solutions.py`  | their worked solutions                      |
| `tests/test_<name>_exercises.py`| the checks run on stubs and solutions       |

The page is linked from the navigation of each language (one line each); its notebook
and everything else is derived.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Chapter:
    name: str  # the module spelling: snippets/<name>.py
    root: Path = ROOT

    @property
    def page(self) -> str:  # the page spelling: "-" for "_"
        return self.name.replace("_", "-")

    @property
    def experiment(self) -> Path:
        return self.root / "site_tools" / "chapters" / f"{self.name}.py"

    @property
    def module(self) -> Path:
        return self.root / "snippets" / f"{self.name}.py"

    @property
    def tests(self) -> Path:
        return self.root / "tests" / f"test_{self.name}.py"

    @property
    def widget(self) -> Path | None:
        path = self.root / "site_tools" / "chapters" / f"{self.name}.js"
        return path if path.exists() else None

    @property
    def exercises(self) -> Path | None:
        """The stubs and checks of its exercises, if it has exercises."""
        path = self.root / "snippets" / f"{self.name}_exercises.py"
        return path if path.exists() else None

    @property
    def solutions(self) -> Path:  # the worked solutions, when it has exercises
        return self.root / "snippets" / f"{self.name}_solutions.py"

    @property
    def exercise_tests(self) -> Path:  # the checks run on stubs and solutions
        return self.root / "tests" / f"test_{self.name}_exercises.py"

    @property
    def expected_seconds(self) -> float:
        """About how long its experiment runs, as the experiment declares it
        (`EXPECTED_SECONDS = 60`, read without importing it; 0 if it says nothing): the
        build starts the longest first, so that two cores finish together."""
        tree = ast.parse(self.experiment.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "EXPECTED_SECONDS" for t in node.targets
            ):
                value = ast.literal_eval(node.value)
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise TypeError(f"{self.experiment}: EXPECTED_SECONDS must be a number")
                return float(value)
        return 0.0

    def source(self, lang: str) -> Path:
        return self.root / "docs" / lang / f"{self.page}.md"

    @property
    def notebook(self) -> str:  # its path in each language's site
        return f"notebooks/{self.page}.ipynb"

    def missing(self) -> list[Path]:
        """The chapter's files that do not exist."""
        needed = [self.experiment, self.module, self.tests]
        if self.exercises:
            needed += [self.solutions, self.exercise_tests]
        needed += [self.source(lang) for lang in languages(self.root)]
        return [path for path in needed if not path.exists()]


def languages(root: Path = ROOT) -> list[str]:
    """The languages of the course: the folders of docs/."""
    return sorted(p.name for p in (root / "docs").iterdir() if p.is_dir())


def chapters(root: Path = ROOT) -> list[Chapter]:
    """Every chapter of the course, by name."""
    folder = root / "site_tools" / "chapters"
    names = sorted(p.stem for p in folder.glob("*.py") if not p.name.startswith("_"))
    return [Chapter(name, root) for name in names]


def chapter_of_page(page: str, root: Path = ROOT) -> Chapter | None:
    """The chapter whose page is `page` ("<page>" or "<page>.md"), if any."""
    stem = page.removesuffix(".md")
    return next((c for c in chapters(root) if c.page == stem), None)
