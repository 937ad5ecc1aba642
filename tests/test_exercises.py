"""Exercises: the machinery that shows worked solutions without running them, and the shape every
chapter's exercises share (difficulty, time, hints, solutions, checks, a mystery network).

A chapter's own exercises (stubs, checks, solutions, the numbers its solutions state) are tested
in tests/test_<chapter>_exercises.py.
"""

import math
import re
from pathlib import Path

import pytest
from test_notebooks import raw_markup

from site_tools import code_html, course, hooks, kernel, notebooks
from site_tools.chapter_source import (
    admonitions,
    executed_fences,
    python_fences,
    reader_markdown,
    solution_fences,
    without_solutions,
)

from helpers import DOCS, ROOT, html_path

# --- the machinery, on a synthetic page ---------------------------------------------------

PAGE = """# 9 · Synthetic

Some text.

```python
print("first")
```

### 9.1 · Add one · ★ · 5 min

<!--pytest-codeblocks:cont-->
??? note "Check code"
    ```python
    def check_add_one(f) -> bool:
        passed = f(1) == 2
        print("✓ right" if passed else "✗ add_one(1) is not 2")
        return passed
    ```

<!--pytest-codeblocks:cont-->
```python
def add_one(v):
    return v  # your code


check_add_one(add_one)
```

??? tip "Hint"
    One more.

??? success "Solution"
    ```python
    def add_one(v):
        return v + 1


    check_add_one(add_one)
    ```

    It adds one.

After the exercise.
"""
FIRST, CHECK, STUB = (
    fence.code for fence in python_fences(PAGE) if "return v + 1" not in fence.code
)
SOLUTION = next(fence.code for fence in python_fences(PAGE) if "return v + 1" in fence.code)
OUTPUTS = [
    [{"output_type": "stream", "name": "stdout", "text": "first\n"}],
    [],
    [{"output_type": "stream", "name": "stdout", "text": "✗ add_one(1) is not 2\n"}],
]


def test_solutions_are_found_by_their_box():
    boxes = admonitions(PAGE)
    assert [(b.kind, b.collapsible) for b in boxes] == [
        ("note", True),
        ("tip", True),
        ("success", True),
    ]
    assert [f.code for f in executed_fences(PAGE)] == [FIRST, CHECK, STUB]
    assert [f.code for f in solution_fences(PAGE)] == [SOLUTION]
    assert "return v + 1" in SOLUTION and "return v  # your code" in STUB
    # a box ends at the first line indented no deeper than its first line
    assert PAGE.split("\n")[boxes[-1].end].strip() == "It adds one."


def test_the_build_runs_every_block_but_the_solutions(monkeypatch):
    ran = []

    def fake_outputs(codes, where="a page"):
        ran.append(codes)
        return OUTPUTS

    monkeypatch.setattr(kernel, "outputs", fake_outputs)
    shown = hooks.add_outputs(PAGE, "synthetic.md")
    assert ran == [[FIRST, CHECK, STUB]]
    solution = shown[shown.index('??? success "Solution"') :]
    assert ".output" not in solution  # nothing printed under the solution
    stub = shown[shown.index("def add_one(v):\n    return v  # your code") :]
    assert stub.index("``` { .text .output }\n✗ add_one(1) is not 2\n```") < stub.index("??? tip")
    assert shown.count(".output") == 2  # the first block and the stub; the check prints nothing


def test_pytest_codeblocks_runs_what_the_build_runs(tmp_path, capsys):
    from pytest_codeblocks import plugin  # as the root conftest.py patches it

    page = tmp_path / "synthetic.md"
    page.write_text(PAGE, encoding="utf-8")
    blocks = plugin.extract_from_file(page)
    assert len(blocks) == 1  # one chain: the check and the stub continue the first block
    assert blocks[0].code == "\n\n\n".join([FIRST, CHECK, STUB]) + "\n"  # as copied
    exec(compile(blocks[0].code, "synthetic.md", "exec"), {})
    assert capsys.readouterr().out == "first\n✗ add_one(1) is not 2\n"
    assert without_solutions(PAGE).count("\n") == PAGE.count("\n")  # lines kept: line numbers


def test_the_notebook_is_a_workbook(monkeypatch):
    monkeypatch.setattr(notebooks, "outputs", lambda codes, where="a page": OUTPUTS)
    book = notebooks.chapter_notebook(PAGE, intro="Intro.", page_url_of=str, figures={})
    code = [cell for cell in book.cells if cell.cell_type == "code"]
    assert [cell.source for cell in code] == [FIRST, CHECK, STUB.rstrip("\n")]
    # the check code was collapsed on the page: collapsed in Jupyter, and still run
    assert [cell.metadata.get("jupyter", {}).get("source_hidden", False) for cell in code] == [
        False,
        True,
        False,
    ]
    assert code[2].outputs[0]["text"] == "✗ add_one(1) is not 2\n"
    text = [cell.source for cell in book.cells if cell.cell_type == "markdown"]
    assert book.cells[book.cells.index(code[1]) - 1].source.endswith("**Check code**")
    solution = next(t for t in text if "return v + 1" in t)
    assert "<details>\n<summary>Solution</summary>\n\n```python\ndef add_one(v):" in solution
    assert solution.index("It adds one.") < solution.rindex("</details>")
    assert "<details>\n<summary>Hint</summary>\n\nOne more." in solution
    for source in text:
        assert "???" not in source and "--8<--" not in source
        assert raw_markup(source) == {}


def test_code_html_keeps_the_text_and_drops_spans_that_show_nothing():
    block = (
        '<div class="language-python highlight"><pre><span></span><code>'
        '<span class="k">def</span><span class="w"> </span><span class="nf">f</span>'
        '<span class="p">():</span> <span class="n">x</span>\n</code></pre></div>'
    )
    light = code_html.lighten(block)
    assert '<span class="w">' not in light and '<span class="n">' not in light
    assert '<span class="k">def</span> <span class="nf">f</span>(): x' in light
    collapsed = code_html.lighten(f'<details class="success"><summary>S</summary>{block}</details>')
    assert "<code>def f(): x\n</code>" in collapsed  # collapsed code is plain
    outside = f"<p>{block}</p>"
    assert code_html.lighten(outside) == outside.replace(block, light)


# --- the exercises of every chapter --------------------------------------------------------

WORDS = {
    "en": {
        "exercises": "## Exercises",
        "recap": "## Recap",
        "hint": "Hint",
        "solution": "Solution",
        "check": "Check code",
        "minutes": "min",
        "mystery": "A mystery network",
    },
    "zh": {
        "exercises": "## 练习",
        "recap": "## 小结",
        "hint": "提示",
        "solution": "解答",
        "check": "检查代码",
        "minutes": "分钟",
        "mystery": "神秘网络",
    },
}
# the chapters with exercises, found from their files (site_tools/course.py): page -> module
EXERCISES = {c.page: c.name for c in course.chapters() if c.exercises}
# ### 1.2 · Title · ★★ · 10 min · kind { #exercise-1-2 }: the same anchor in both languages
HEADING = re.compile(
    r"^### (\d+)\.(\d+) · (.+?) · (★{1,3}) · (\d+) (?:min|分钟)(?: · (.+?))? "
    r"\{ #exercise-\1-\2 \}$",
    re.M,
)


def exercises_of(lang: str, page: str) -> str:
    text = (DOCS[lang] / f"{page}.md").read_text(encoding="utf-8")
    words = WORDS[lang]
    return text[text.index(words["exercises"]) : text.index(words["recap"])]


def headings(lang: str, page: str) -> list[tuple]:
    return HEADING.findall(exercises_of(lang, page))


@pytest.mark.parametrize("page", EXERCISES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_exercise_has_a_difficulty_a_time_and_a_solution(lang, page):
    section = exercises_of(lang, page)
    words = WORDS[lang]
    found = headings(lang, page)
    assert len(found) >= 6, "at least five exercises, and the mystery network"
    assert section.count("\n### ") == len(found), "an exercise heading without stars or time"
    chapter = {number for number, *_ in found}
    assert len(chapter) == 1
    assert [int(k) for _, k, *_ in found] == list(range(1, len(found) + 1))
    assert words["mystery"] in found[-1][2]
    assert {stars for *_, stars, _, _ in found} >= {"★", "★★", "★★★"}
    for block in re.split(r"\n### ", section)[1:]:
        titles = re.findall(r'^\?\?\? (\w+) "([^"]+)"', block, re.M)
        assert ("success", words["solution"]) in titles, block[:80]
        assert all(
            title
            == {"tip": words["hint"], "note": words["check"], "success": words["solution"]}[kind]
            for kind, title in titles
        ), titles
        # a check's code comes before its stub, and the stub ends by calling it
        if ("note", words["check"]) in titles:
            checks = re.findall(r"_exercises\.py:(check_\w+)", block)
            assert len(checks) == 1
            stub = block[block.index(checks[0]) :].split("```python", 1)[1].split("```", 1)[0]
            assert re.search(r'_exercises\.py:try_\w+"\s*$', stub)


@pytest.mark.parametrize("page", EXERCISES)
def test_both_languages_have_the_same_exercises(page):
    en, zh = headings("en", page), headings("zh", page)
    assert [(n, k, stars, minutes) for n, k, _, stars, minutes, _ in en] == [
        (n, k, stars, minutes) for n, k, _, stars, minutes, _ in zh
    ]
    includes = {
        lang: re.findall(r'--8<-- "([^"]+)"', exercises_of(lang, page)) for lang in ("en", "zh")
    }
    assert includes["en"] == includes["zh"]  # the same code, in the same order


@pytest.mark.parametrize("page", EXERCISES)
def test_at_least_two_checked_code_exercises_besides_the_mystery(page):
    found = headings("en", page)
    blocks = re.split(r"\n### ", exercises_of("en", page))[1:]
    checked = [
        h for h, block in zip(found, blocks, strict=True) if '??? note "Check code"' in block
    ]
    assert len(checked) >= 3 and WORDS["en"]["mystery"] in checked[-1][2]


def sections(path: Path) -> list[str]:
    return re.findall(r"# --8<-- \[start:(\w+)\]", path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", EXERCISES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_solution_is_shown_in_a_solution_box_and_never_run(lang, page):
    name = EXERCISES[page]
    text = reader_markdown((DOCS[lang] / f"{page}.md").read_text(encoding="utf-8"))
    raw = (DOCS[lang] / f"{page}.md").read_text(encoding="utf-8")
    shown = re.findall(rf'--8<-- "{name}_solutions\.py:(\w+)"', raw)
    assert sorted(set(shown)) == sorted(sections(ROOT / "snippets" / f"{name}_solutions.py"))
    run = "\n".join(fence.code for fence in executed_fences(text))
    for fence in solution_fences(text):
        assert fence.code not in run
    # every fence of a solution box is made of includes: the code the tests run
    raw_solutions = solution_fences(raw)
    assert raw_solutions
    for fence in raw_solutions:
        assert all(line.startswith("--8<-- ") for line in fence.code.split("\n")), fence.code
    in_boxes = re.findall(r"_solutions\.py:(\w+)", "\n".join(f.code for f in raw_solutions))
    assert sorted(in_boxes) == sorted(shown)
    exercise_sections = sections(ROOT / "snippets" / f"{name}_exercises.py")
    used = set(re.findall(rf'--8<-- "{name}_exercises\.py:(\w+)"', raw))
    assert used == set(exercise_sections)


TIME = {
    "en": re.compile(
        r"\*\*Time:\*\* about (\d+) minutes to read, about (\d+) hours?(?: (\d+) minutes)? with "
        r"the exercises\. \*\*Difficulty:\*\* (★+☆*)\."
    ),
    "zh": re.compile(
        r"\*\*用时\*\*：阅读约 (\d+) 分钟，连同练习约 (\d+) 小时(?: (\d+) 分钟)?。"
        r"\*\*难度\*\*：(★+☆*)。"
    ),
}
WORDS_PER_MINUTE = 120  # careful reading of technical prose, with its figures


def reading_words(page: str) -> int:
    """The English page's words outside code, front matter, markup and the exercises."""
    text = (DOCS["en"] / f"{page}.md").read_text(encoding="utf-8")
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = text.replace(exercises_of("en", page), "")
    text = re.sub(r"```.*?```|<[^>]+>|\{\{.*?\}\}", " ", text, flags=re.S)
    return len(re.findall(r"[A-Za-z0-9][\w'’.-]*", text))


@pytest.mark.parametrize("page", EXERCISES)
def test_the_top_of_the_page_states_reading_time_exercise_time_and_difficulty(page):
    stated = {}
    for lang in ("en", "zh"):
        text = (DOCS[lang] / f"{page}.md").read_text(encoding="utf-8")
        top = text[: text.index("\n## ")]
        match = TIME[lang].search(top)
        assert match, f"{lang}/{page}.md: no time and difficulty line in the opening box"
        reading, hours, minutes, difficulty = match.groups()
        stated[lang] = (int(reading), int(hours) * 60 + int(minutes or 0), len(difficulty))
        assert len(difficulty) == 3 and 1 <= difficulty.count("★") <= 3
    assert stated["en"] == stated["zh"]
    reading, total, _ = stated["en"]
    # reading: the words at 120 a minute, to the nearest 5 minutes
    assert reading == 5 * round(reading_words(page) / WORDS_PER_MINUTE / 5)
    # with the exercises: reading plus every exercise's time, to the nearest quarter hour
    exercises = sum(int(minutes) for *_, minutes, _ in headings("en", page))
    assert total == 15 * math.floor((reading + exercises) / 15 + 0.5)


# --- the pages around the chapters ---------------------------------------------------------


def last_chapter() -> str:
    """The page of the chapter the navigation lists last."""
    from test_course import nav_pages

    chapters = {c.page for c in course.chapters()}
    return [Path(p).stem for p in nav_pages(ROOT / "mkdocs.yml") if Path(p).stem in chapters][-1]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_where_next_and_for_teachers_are_linked_from_home_and_the_last_chapter(lang):
    home = (DOCS[lang] / "index.md").read_text(encoding="utf-8")
    assert "(where-next.md)" in home and "(for-teachers.md)" in home
    last = (DOCS[lang] / f"{last_chapter()}.md").read_text(encoding="utf-8")
    assert "(where-next.md)" in last[last.rindex("\n**") :]
    where = (DOCS[lang] / "where-next.md").read_text(encoding="utf-8")
    assert len(re.findall(r"^\d\. \*\*", where, re.M)) == 5
    for name in ["Nielsen", "Prince", "Olah", "Elhage", "ARENA"]:
        assert name in where
    teachers = (DOCS[lang] / "for-teachers.md").read_text(encoding="utf-8")
    assert len(re.findall(r"^## \d · ", teachers, re.M)) >= len(EXERCISES)
    assert teachers.count("50") >= 1
    for page in EXERCISES:  # every exercise a plan assigns exists
        numbers = {f"{n}.{k}" for n, k, *_ in headings(lang, page)}
        chapter = next(iter(numbers)).split(".")[0]
        plan = teachers.split(f"\n## {chapter} · ")[1].split("\n## ")[0]
        assigned = set(re.findall(rf"\b{chapter}\.\d\b", plan))
        assert assigned and assigned <= numbers, (lang, page, assigned - numbers)
        assert assigned == numbers, (lang, page, "an exercise no plan mentions")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", EXERCISES)
def test_built_page_shows_solutions_and_checks_collapsed_plain_and_without_output(site, lang, page):
    html = html_path(site, lang, page).read_text("utf-8")
    boxes = re.findall(r'<details class="(\w+)">(.*?)</details>', html, re.S)
    solutions = [body for kind, body in boxes if kind == "success"]
    checks = [body for kind, body in boxes if kind == "note"]
    assert len(solutions) >= 6 and len(checks) >= 3
    for body in solutions + checks:
        assert "output highlight" not in body  # nothing ran there: nothing printed
        for code in re.findall(r"<code>(.*?)</code>", body, re.S):
            assert "<span" not in code  # collapsed code is plain
    stubs = html.count('<div class="language-text output highlight"><pre><span></span><code>✗')
    assert stubs == len(checks)  # each stub runs its check, which says what is missing


def test_the_build_checks_every_mystery_network(monkeypatch, capsys):
    from site_tools import mysteries
    from snippets import minimum_solutions

    assert mysteries.names() == sorted(EXERCISES.values())
    assert mysteries.check_all() == []
    monkeypatch.setattr(minimum_solutions, "mystery_formula", lambda a, b: min(a, b))
    assert mysteries.check_all() == [
        "minimum: ✗ off by 1 at (a, b) = (-49, -50): the network gives -49, your formula -50"
    ]
    assert capsys.readouterr().out == ""  # the verdicts go into the build's error, not stdout


def test_spans_merged_as_alike_look_alike_in_the_theme():
    """code_html.SAME_LOOK merges Pygments classes the theme draws the same: checked against
    Material's stylesheets and the site's own (extra.css), in both colour schemes."""
    import material

    folder = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    main_css = next(folder.glob("main.*.min.css")).read_text("utf-8")
    rules: dict[str, str] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", main_css):
        for selector in selectors.split(","):
            if match := re.fullmatch(r"\.highlight \.(\w+)", selector.strip()):
                rules[match[1]] = rules.get(match[1], "") + body
    palettes = [next(folder.glob("palette.*.min.css")).read_text("utf-8"), main_css]
    palettes.append((ROOT / "overrides/assets/stylesheets/extra.css").read_text("utf-8"))

    def values(variable: str) -> list[tuple[str, str]]:
        """(selector, value) of every declaration of a CSS variable."""
        found = []
        for css in palettes:
            for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
                for value in re.findall(rf"{variable}:\s*([^;]+)", body):
                    found.append((selectors.strip(), value.strip()))
        return found

    # the unwrapped spans: drawn by no rule (whitespace), or in the code's own colour in
    # both schemes, the site's stylesheet having the last word for all but names
    code_colour = "var(--md-code-fg-color)"
    for kind in code_html.CODE_COLOURED:
        if kind == "w":
            assert kind not in rules
            continue
        variable = re.fullmatch(r"color:var\((--[\w-]+)\)", rules[kind])[1]
        found = values(variable)
        if kind == "n":  # Material's own, in every scheme
            assert found and all(v == code_colour for _, v in found), found
        else:
            # extra.css comes last (palettes): its declaration, for every scheme, wins
            selectors, value = found[-1]
            assert selectors.endswith(":root,\n[data-md-color-scheme]") and value == code_colour

    for kind, like in code_html.SAME_LOOK.items():
        assert rules[kind] and rules[like], (kind, like)
        if rules[kind] != rules[like]:  # one colour each: the two variables are equal
            a, b = (re.fullmatch(r"color:var\((--[\w-]+)\)", rules[c])[1] for c in (kind, like))
            assert values(a) and [s for s, _ in values(a)] == [s for s, _ in values(b)]
            assert [v for _, v in values(a)] == [v for _, v in values(b)], (a, b)
