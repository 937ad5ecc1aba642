"""Chapter 6's widget (site_tools/chapters/depth.js): the tent map h·t folded k times, as the
chapter's sawtooth(k, height=h) computes it. Its forward pass is the network's; its kinks,
slopes and piece counts are the experiment's exact ones (exact_slopes, exact_pieces) for
every number of folds and many heights; the neurons it names for each network are those of
the chapter's constructions, and one hidden layer with a ReLU for each piece computes the
function exactly; its challenge is met only at the lowest height of the slider that gives
100 pieces with 8 folds, as Python finds it; and the page works in Chromium by keyboard and
by pointer, in both colour schemes and both languages, on a phone, from the site and from
the offline copy.

The model runs in Node; the browser tests read the number behind every readout (data-value)
and its text, and compare both with Python's."""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise

import pytest
import torch
from torch import nn

from site_tools import experiments
from site_tools.chapters.parity import exact_pieces, exact_slopes
from site_tools.course import Chapter
from site_tools.pages import loads, page_weights
from site_tools.widgets import data_json
from snippets.depth import Shallow, sawtooth, shallow_sawtooth

from helpers import ROOT, html_path
from widget_helpers import (
    NO_BROWSER,
    drag_to_start,
    in_node,
    number,
    open_tab,
    press,
    settle,
)

CHAPTER = Chapter("depth")
DATA = {"max_folds": 10, "heights": [0.5, 1.0], "step": 0.01}  # what the experiment gives
GRID = [c / 100 for c in range(50, 101)]  # the slider's heights, as Python writes them
FOLDS = range(11)
# heights compared fold by fold: the ends, the first step above ½, the chapter's, and
# either side of each jump of the count at 8 folds
HEIGHTS = [0.5, 0.51, 0.6, 0.63, 0.64, 0.75, 0.76, 0.8, 0.81, 0.9, 0.99, 1.0]
GOAL_FOLDS, GOAL_PIECES = 8, 100
QUOTED = {  # the counts the chapter's brief measured, for k = 1 ... 10
    0.9: [2, 4, 8, 16, 30, 56, 104, 190, 346, 628],
    0.75: [2, 4, 8, 14, 24, 38, 60, 92, 142, 216],
    0.6: [2, 4, 8, 14, 24, 38, 58, 84, 120, 166],
}


@cache
def pieces(k: int, h: float) -> int:
    """The pieces on [0, 1] of the tent of height h folded k times (k = 0: x itself, one)."""
    return 1 if k == 0 else exact_pieces(sawtooth(k, height=h), 0, 1)


@pytest.fixture(scope="module")
def data():
    return experiments.result(CHAPTER.name).data["widget"]


def test_the_data_gives_the_ranges_and_nothing_trained(data):
    """The experiment gives the widget its ranges only: 0 to 10 folds, heights ½ to 1 in
    steps of 0.01, which the widget reads as the 51 heights c / 100."""
    assert data == DATA
    body = "console.log(JSON.stringify(model.heights(input)))"
    assert in_node(CHAPTER, body, data) == GRID


@pytest.fixture(scope="module")
def found():
    """The widget's model on every number of folds at each height of HEIGHTS: its points
    (0, the kinks, 1), the function there, its slopes, kinks and pieces; its forward pass,
    at the points and at 33 others, at the height PyTorch holds (2h in float32, halved)."""
    heights32 = {h: float(torch.tensor(2 * h, dtype=torch.float32)) / 2 for h in HEIGHTS}
    body = """
    const xs = [...Array(33).keys()].map((i) => i / 32 + (i % 3) * 1e-3).filter((x) => x <= 1);
    const out = input.heights.map(([h, h32]) => input.folds.map((k) => {
      const shape = model.curve(k, h);
      const at = shape.xs.concat(xs);
      const y32 = at.map((x) => model.trace(k, h32, x)[k]);
      return { ...shape, pieces: model.pieces(k, h), at, y32 };
    }));
    console.log(JSON.stringify(out));
    """
    payload = {"heights": [[h, heights32[h]] for h in HEIGHTS], "folds": list(FOLDS)}
    return dict(zip(HEIGHTS, in_node(CHAPTER, body, payload), strict=True))


def test_the_forward_pass_is_the_networks(found):
    """At its points and at 33 others of [0, 1]: the output of sawtooth(k, height=h) as
    PyTorch computes it in float64 (on its float32 weights, which the widget takes too)."""
    for h in HEIGHTS:
        for k in FOLDS[1:]:
            got = found[h][k]
            x = torch.tensor(got["at"], dtype=torch.float64).reshape(-1, 1)
            with torch.no_grad():
                y = sawtooth(k, height=h).double()(x).flatten().tolist()
            assert got["y32"] == pytest.approx(y, rel=1e-12, abs=1e-12), (h, k)


def test_the_pieces_are_the_experiments_exact_count(found):
    """For every number of folds from 0 to 10 and each height: as many pieces as
    exact_pieces finds; the counts the chapter quotes; the slopes between the widget's points
    those of exact_slopes (every piece's slope ±(2h)^k), and its kinks where they turn."""
    for h in HEIGHTS:
        got = [found[h][k]["pieces"] for k in FOLDS]
        assert got == [pieces(k, h) for k in FOLDS], h
        assert [len(found[h][k]["kinks"]) + 1 for k in FOLDS] == got, h
    assert [found[1.0][k]["pieces"] for k in FOLDS] == [2**k for k in FOLDS]
    for h, counts in QUOTED.items():
        assert [found[h][k]["pieces"] for k in FOLDS[1:]] == counts, h
    assert {found[0.5][k]["pieces"] for k in FOLDS[1:]} == {2}
    none = found[0.5][0]  # no fold: x itself
    assert [none[key] for key in ("xs", "ys", "slopes", "kinks", "pieces")] == [
        [0, 1],
        [0, 1],
        [1],
        [],
        1,
    ]
    for h in (0.51, 0.76, 1.0):
        for k in FOLDS[1:]:
            got = found[h][k]
            slopes = exact_slopes(sawtooth(k, height=h), 0, 1)
            assert got["slopes"] == pytest.approx(slopes, rel=1e-6), (h, k)
            assert {round(abs(s) / (2 * h) ** k, 9) for s in got["slopes"]} == {1}, (h, k)
            turns = [j for j in range(1, len(slopes)) if slopes[j - 1] * slopes[j] < 0]
            assert got["kinks"] == turns, (h, k)
    for k in FOLDS[1:]:  # at height 1: the kinks at i / 2^k, the values 0, 1, 0, 1, ...
        got = found[1.0][k]
        assert got["xs"] == [i / 2**k for i in range(2**k + 1)]
        assert got["ys"] == [i % 2 for i in range(2**k + 1)]


def test_the_notes_claim_holds(found):
    """What the note says of the next fold: a piece splits at it (in two) only if its values
    cross ½. At height 1 every piece's do; below it some pieces lie wholly on one side of ½
    and do not split at the next fold, though a piece below ½ may split at a later one (the
    claim is of the next fold only: at 0.51, x in [0.499993, 0.5] lies below ½ after 6 folds,
    its values about 0.4998, and splits at the 9th)."""

    def pieces_of(h: float, k: int) -> list[tuple[float, float, float, float]]:
        """The pieces of k folds: their ends, and the values there."""
        shape = found[h][k]
        ends = [0, *shape["kinks"], len(shape["xs"]) - 1]
        xs, ys = shape["xs"], shape["ys"]
        return [(xs[i], xs[j], ys[i], ys[j]) for i, j in pairwise(ends)]

    def split(h: float, k: int, lo: float, hi: float) -> int:
        """The kinks of k folds strictly inside [lo, hi]."""
        shape = found[h][k]
        return sum(lo + 1e-9 < shape["xs"][j] < hi - 1e-9 for j in shape["kinks"])

    for h in HEIGHTS:
        aside = 0
        for k in FOLDS[:-1]:
            for lo, hi, a, b in pieces_of(h, k):
                crosses = (a - 0.5) * (b - 0.5) < 0
                aside += not crosses
                assert split(h, k + 1, lo, hi) == int(crosses), (h, k, lo, hi)
        assert (aside == 0) == (h == 1.0), h
    below = [(lo, hi) for lo, hi, a, b in pieces_of(0.51, 6) if max(a, b) < 0.5]
    later = [(lo, hi) for lo, hi in below if split(0.51, 9, lo, hi)]
    assert [(round(lo, 6), round(hi, 6)) for lo, hi in later] == [(0.499993, 0.5), (0.5, 0.500007)]
    assert [split(0.51, k, lo, hi) for k in (7, 8, 9) for lo, hi in later] == [0, 0, 0, 0, 1, 1]


def test_the_neurons_are_the_chapters_constructions(found):
    """The deep networks' ReLUs are those of sawtooth(k) (2 a fold) and sawtooth(k,
    skip=True) (1 a fold), at every height; one hidden layer's, those of shallow_sawtooth(k):
    2^k, or 2^k − 1 with a skip, at height 1. Below it, a ReLU at each kink of the widget's
    (one fewer than the pieces) with the read-out reading x computes the function exactly, on
    the points between the kinks too (and strictly layered, ReLU(x) = x takes one more)."""
    body = """
    console.log(JSON.stringify(input.cases.map(([k, n]) => model.neurons(k, n))));
    """
    cases = [(k, n) for k in FOLDS for n in (2**k, pieces(k, 0.76))]
    got = in_node(CHAPTER, body, {"cases": cases})

    def relus(model: nn.Module) -> int:
        linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
        return sum(m.out_features for m in linears[:-1]) if linears else 0

    for (k, n), need in zip(cases, got, strict=True):
        assert need == {"layered": 2 * k, "skip": k, "wide": n, "wideSkip": n - 1}
        if k:
            assert relus(sawtooth(k)) == relus(sawtooth(k, height=0.76)) == 2 * k
            assert len(sawtooth(k, skip=True).neurons) == k
        if k and n == 2**k:
            assert shallow_sawtooth(k)[0].out_features == n
            assert shallow_sawtooth(k, skip=True).hidden.out_features == n - 1
    for h, k in [(0.76, 8), (0.9, 6), (0.51, 10)]:
        shape = found[h][k]
        kinks = [shape["xs"][j] for j in shape["kinks"]]
        bends = [shape["slopes"][j] - shape["slopes"][j - 1] for j in shape["kinks"]]
        wide = Shallow(len(kinks)).double()
        with torch.no_grad():
            wide.hidden.weight.fill_(1.0)
            wide.hidden.bias.copy_(-torch.tensor(kinks, dtype=torch.float64))
            wide.output.weight.copy_(torch.tensor([[shape["slopes"][0], *bends]]))
            wide.output.bias.zero_()
        assert len(kinks) == pieces(k, h) - 1
        x = torch.linspace(0, 1, 4001, dtype=torch.float64).reshape(-1, 1)
        with torch.no_grad():
            assert torch.allclose(wide(x), sawtooth(k, height=h).double()(x), atol=1e-6)


def lowest_in_python() -> float:
    """The challenge's answer: the lowest height of the slider at which 8 folds give at
    least 100 pieces (exact_pieces on each height)."""
    return next(h for h in GRID if pieces(GOAL_FOLDS, h) >= GOAL_PIECES)


def test_the_challenge_is_met_at_the_lowest_height_for_100_pieces():
    """Met with 8 folds at the lowest height of the grid that gives 100 pieces or more, as
    exact_pieces finds it (0.76: 106 pieces; 0.75 gives 92): not a step below it nor above
    it, nor with another number of folds."""
    answer = lowest_in_python()
    assert answer == 0.76 and pieces(8, 0.76) == 106 and pieces(8, 0.75) == 92
    assert all(pieces(GOAL_FOLDS, h) < GOAL_PIECES for h in GRID if h < answer)
    below, above = GRID[GRID.index(answer) - 1], GRID[GRID.index(answer) + 1]
    cases = [(8, answer, True), (8, below, False), (8, above, False), (8, 1.0, False)]
    cases += [(k, answer, False) for k in FOLDS if k != GOAL_FOLDS]
    body = """
    const grid = model.heights(input.data);
    console.log(JSON.stringify({
      lowest: model.lowest(grid, 8, 100),
      goal: model.GOAL,
      verdicts: input.cases.map(([k, h]) => model.challenge(grid, k, h)),
    }));
    """
    got = in_node(CHAPTER, body, {"data": DATA, "cases": cases})
    assert got["lowest"] == answer and got["goal"] == {"folds": 8, "pieces": 100}
    for (k, h, met), verdict in zip(cases, got["verdicts"], strict=True):
        assert verdict["met"] == met, (k, h, verdict)
        assert verdict["folds"] == (k == 8)
        assert verdict["enough"] == (pieces(k, h) >= 100), (k, h)
        assert verdict["lowest"] == met


def test_the_chinese_labels_keep_to_the_glossary():
    """The widget's Chinese strings avoid every translation the glossary avoids, and use its
    terms: 线性段 for a linear piece, 对折 for a fold, 跳跃连接, 严格分层, 读出层."""
    source = CHAPTER.widget.read_text("utf-8")
    chinese = source[source.index("    zh: {") : source.index("  const COLOURS")]
    glossary = (ROOT / "docs" / "zh" / "glossary.md").read_text("utf-8")
    rows = re.findall(r"^\| (.+?) \| (.+?) \| (.+?) \|", glossary, re.M)
    avoided = [t.strip() for _, _, terms in rows[2:] for t in re.split("[，,]", terms)]
    assert avoided and not [t for t in avoided if t and t in chinese]
    for term in ["线性段", "对折", "跳跃连接", "严格分层", "读出层", "隐藏层", "折点"]:
        assert term in chinese, term
    # the measure word for 线性段 is 个, as on the page: never 条
    assert not re.search(r"条线性段|\d 条|\} 条", chinese)


# --- in the browser -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def page_sizes(served_site):
    return page_weights(served_site[1])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_carries_its_widget_and_stays_light(served_site, page_sizes, data, lang):
    """The page loads the widget's script and the shared runtime and styles, embeds the
    widget's data (its ranges, whole), and weighs at most 300 KB."""
    html = html_path(served_site[1], lang, CHAPTER.page)
    assert {"depth.js", "widgets.js", "widgets.css"} <= {p.name for p in loads(html)}
    text = html.read_text("utf-8")
    assert 'data-widget="depth"' in text
    assert data_json(data) in text
    assert page_sizes[html] <= 300_000


STATE = """ui => {
  const [folds, height] = ui.querySelectorAll("input[type=range]");
  const shown = (input) => input.parentNode.nextElementSibling.textContent;
  const history = ui.querySelector("canvas + p > span");
  const done = ui.querySelector(".tn-done");
  return {
    lang: document.documentElement.lang,
    k: +folds.value,
    h: +height.value,
    folds: [shown(folds), folds.getAttribute("aria-valuetext")],
    height: [shown(height), height.getAttribute("aria-valuetext")],
    cells: Object.fromEntries([...ui.querySelectorAll("dd[data-readout]")].map((d) =>
      [d.dataset.readout, [d.textContent, +d.dataset.value]])),
    names: [...ui.querySelectorAll("dt")].map((d) => d.textContent),
    history: [history.textContent, JSON.parse(history.dataset.value)],
    met: [...ui.querySelectorAll(".tn-checks li")].map((li) => li.classList.contains("tn-met")),
    done: done.hidden ? null : done.textContent,
    label: ui.querySelector("canvas").getAttribute("aria-label"),
  };
}"""
WORDS = {
    "en": {
        "relus": lambda n: "1 ReLU" if n == 1 else f"{number(n, 0)} ReLUs",
        "pieces": lambda n: "1 linear piece" if n == 1 else f"{number(n, 0)} linear pieces",
        "history": "Pieces after each fold, from 0 folds: ",
        "comma": ", ",
    },
    "zh": {
        "relus": lambda n: f"{number(n, 0)} 个 ReLU",
        "pieces": lambda n: f"{number(n, 0)} 个线性段",
        "history": "从 0 次起，每次对折后的线性段数：",
        "comma": "、",
    },
}


def check(ui) -> dict:
    """What the widget shows against Python: the folds and height of its sliders, its
    readouts, the counts after each fold, the plot's description."""
    state = ui.evaluate(STATE)
    k, h = state["k"], state["h"]
    words = WORDS[state["lang"]]
    assert h in GRID and state["folds"] == [str(k)] * 2
    assert state["height"] == [number(h, 2)] * 2
    n = pieces(k, h)
    cells = state["cells"]
    assert cells["pieces"] == [number(n, 0), n]
    assert cells["full"] == [number(2**k, 0), 2**k]
    for key, relus in [("layered", 2 * k), ("skip", k), ("wide", n), ("wideSkip", n - 1)]:
        assert cells[key] == [words["relus"](relus), relus], key
    counts = [pieces(j, h) for j in range(k + 1)]
    listed = words["comma"].join(number(c, 0) for c in counts)
    assert state["history"] == [words["history"] + listed, counts]
    assert words["pieces"](n) in state["label"] and number(h, 2) in state["label"]
    met = [k == 8, n >= 100, k == 8 and h == lowest_in_python()]
    assert state["met"] == met and (state["done"] is not None) == all(met)
    return state


# the canvas's pixels at points (x, y) of the plot: its margins (CSS pixels) around [0, 1]²,
# as many canvas pixels to a CSS pixel as the screen has
PIXELS = """(ui, points) => {
  const canvas = ui.querySelector("canvas");
  const context = canvas.getContext("2d");
  const ratio = canvas.width / canvas.clientWidth;
  const [left, right, top, bottom] = [26, 10, 10, 26];
  return points.map(([x, y]) => {
    const i = Math.round(ratio * (left + x * (canvas.clientWidth - left - right)));
    const j = Math.round(ratio * (top + (1 - y) * (canvas.clientHeight - top - bottom)));
    return [...context.getImageData(i - 1, j - 1, 3, 3).data];
  });
}"""
BACKGROUND = """ui => { const s = document.createElement("span"); ui.append(s);
  s.style.color = "var(--md-default-bg-color)"; const c = getComputedStyle(s).color;
  s.remove(); return c.match(/[\\d.]+/g).map(Number).slice(0, 3); }"""
COLOURS = {"default": ("#0072b2", "#d55e00"), "slate": ("#56b4e9", "#e69f00")}


def rgb(colour: str) -> list[int]:
    return [int(colour[k : k + 2], 16) for k in (1, 3, 5)]


def has(block: list[int], colour: list[int], within: float = 12) -> bool:
    """Whether a 3 × 3 block of pixels holds the colour."""
    return any(all(abs(block[4 * p + c] - colour[c]) <= within for c in range(3)) for p in range(9))


def luminance(colour) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def the_drawing(page, ui) -> None:
    """One fold at height 1 (the tent): the line in blue through (¼, ½) and (¾, ½), its kink
    at (½, 1) an orange dot, nothing drawn at (¼, 0.9); lighter colours in the dark scheme,
    each 3:1 or more on the page's background (WCAG's contrast for graphics)."""
    for scheme, (line, kink) in COLOURS.items():
        page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
        settle(page)
        bg = ui.evaluate(BACKGROUND)
        blocks = ui.evaluate(PIXELS, [[0.25, 0.5], [0.75, 0.5], [0.5, 1], [0.25, 0.9]])
        assert [has(b, rgb(line)) for b in blocks] == [True, True, False, False], scheme
        assert has(blocks[2], rgb(kink)) and not has(blocks[0], rgb(kink)), scheme
        assert has(blocks[3], bg, 2), scheme
        for colour in (line, kink):
            assert contrast(rgb(colour), bg) >= 3, (scheme, colour)
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'default')")
    settle(page)


def url(origin: str) -> str:
    return f"{origin}/{CHAPTER.page}/"


def announced(page, text: str) -> None:
    page.wait_for_function(
        "t => document.querySelector('.tn-sr[aria-live=polite]').textContent.endsWith(t)",
        arg=text,
    )


def by_keyboard_and_pointer(page, ui) -> None:
    """It opens on one fold at height 1, the tent; folds added by keys double the pieces up
    to 1,024 at 10 folds; the height dragged to ½ leaves 2 pieces; a click on the folds
    slider's middle gives 5 folds; the height raised by keys."""
    state = check(ui)
    assert (state["k"], state["h"]) == (1, 1)
    assert state["names"] == [
        "Linear pieces",
        "At height 1 (2ᵏ)",
        "Deep, strict layers",
        "Deep, with skip connections",
        "One hidden layer",
        "One layer, with a skip",
    ]
    assert state["label"] == (
        "The line after 1 fold at height 1.00, over x from 0 to 1: 2 linear pieces, 1 kink; "
        "values from 0 to 1, 0 at x = 0 and 0 at x = 1."
    )
    note = ui.locator(".tn-note").first.inner_text()
    assert note.endswith(
        "A piece splits in two at the next fold only if its values cross ½: at height 1 every "
        "piece's values run from 0 to 1; below a height of 1 some pieces lie wholly on one "
        "side of ½ and do not split at the next fold."
    )
    the_drawing(page, ui)
    folds, height = ui.locator("input[type=range]").first, ui.locator("input[type=range]").nth(1)
    for k in (2, 3, 4):
        press(page, folds, "ArrowRight")
        assert check(ui)["cells"]["pieces"][1] == 2**k
    press(page, folds, "End")
    state = check(ui)
    assert state["cells"]["pieces"] == ["1,024", 1024] and state["k"] == 10
    assert state["history"][1] == [2**k for k in FOLDS]
    press(page, folds, "Home")
    state = check(ui)
    assert state["label"].startswith("The line after 0 folds at height 1.00, over x from 0 to")
    assert (
        ": 1 linear piece, no kink; values from 0 to 1, 0 at x = 0 and 1 at x = 1."
        in (state["label"])
    )
    press(page, folds, "End")
    drag_to_start(page, height)
    state = check(ui)
    assert state["h"] == 0.5 and state["cells"]["pieces"][1] == 2
    assert state["cells"]["layered"][1] == 20  # the same neurons at any height
    box = folds.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    settle(page)
    assert check(ui)["k"] == 5
    press(page, height, "ArrowRight", 10)
    state = check(ui)
    assert state["h"] == 0.6 and state["cells"]["pieces"][1] == 24


def the_challenge_by_keyboard(page, ui) -> None:
    """With 8 folds, the height moved down by keys from 0.77: met at 0.76 (106 pieces) and
    announced, with why; at 0.75 too few pieces (92)."""
    folds, height = ui.locator("input[type=range]").first, ui.locator("input[type=range]").nth(1)
    folds.fill("8")
    height.fill("0.77")
    settle(page)
    state = check(ui)
    assert state["met"] == [True, True, False] and state["done"] is None
    press(page, height, "ArrowLeft")
    state = check(ui)
    assert state["h"] == 0.76 and state["met"] == [True] * 3
    assert state["done"] == (
        "Done! At height 0.76, 8 folds give 106 pieces; at 0.75, only 92: a piece splits only "
        "where its values cross ½, and the lower the tent, the fewer pieces cross ½, fold after "
        "fold."
    )
    announced(page, state["done"])
    press(page, height, "ArrowLeft")
    state = check(ui)
    assert state["met"] == [True, False, False] and state["cells"]["pieces"][1] == 92


WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
# the widget's right edge, and that of every control, readout and the canvas; the canvas's
# width; what overflows the fixed boxes of the counts fold by fold (in either direction)
# and of the readouts (sideways: their line boxes are taller than their boxes, as in every
# widget, but nothing is drawn there)
FITS = """ui => ({
  right: ui.getBoundingClientRect().right,
  inside: [...ui.querySelectorAll("canvas, input, dd, .tn-value, .tn-checks li")].map((e) =>
    e.getBoundingClientRect().right),
  canvas: ui.querySelector("canvas").clientWidth,
  over: [...ui.querySelectorAll("canvas + p > span, dd")].map((e, i) =>
    Math.max(i ? 0 : e.scrollHeight - e.clientHeight, e.scrollWidth - e.clientWidth)),
})"""


def in_chinese(page, ui, width: int) -> None:
    """The Chinese page on a phone: its labels and numbers; it fits the screen (at 390 px,
    and at 320 px, with 10 folds' counts listed); the challenge met, announced in Chinese."""
    state = check(ui)
    assert state["names"] == [
        "线性段",
        "高度为 1 时（2ᵏ）",
        "深层网络，严格分层",
        "深层网络，带跳跃连接",
        "单隐藏层",
        "单隐藏层，带跳跃连接",
    ]
    assert state["label"].startswith("对折 1 次、高度为 1.00 时的曲线，x 从 0 到 1：2 个线性段，")
    assert ui.locator("label").first.inner_text() == "对折次数 k"
    note = ui.locator(".tn-note").first.inner_text()
    assert note.endswith(
        "一个线性段只有取值跨过 ½，下一次对折时才会一分为二：高度为 1 时，每个线性段的取值都"
        "从 0 到 1；高度低于 1 时，有些线性段的取值整段落在 ½ 的一侧，下一次对折时不会分裂。"
    )
    ui.locator("input[type=range]").first.fill("8")
    ui.locator("input[type=range]").nth(1).fill("0.76")
    settle(page)
    state = check(ui)
    assert state["done"] == (
        "完成！高度为 0.76 时，对折 8 次得到 106 个线性段；高度为 0.75 时只有 92 个：线性段只在"
        "取值跨过 ½ 的地方分裂，帐篷越低，一次次对折下来，能跨过 ½ 的线性段就越少。"
    )
    announced(page, state["done"])
    ui.locator("input[type=range]").first.fill("10")
    ui.locator("input[type=range]").nth(1).fill("1")
    settle(page)
    check(ui)
    for narrow in (width, 320):
        page.set_viewport_size({"width": narrow, "height": 800})
        settle(page)
        fits = ui.evaluate(FITS)
        assert max(fits["inside"]) <= fits["right"] <= narrow, (narrow, fits)
        assert page.evaluate(WIDTH) <= narrow and fits["canvas"] >= 240, (narrow, fits)
        assert fits["over"] == [0] * 7, (narrow, fits)


@NO_BROWSER
def test_the_widget_by_keyboard_and_pointer(context, served_site):
    """The English page at 1280 px: by keyboard and pointer, its drawing in both schemes,
    then the challenge by keyboard."""
    origin = served_site[0]
    page, ui = open_tab(context, origin, url(origin))
    by_keyboard_and_pointer(page, ui)
    the_challenge_by_keyboard(page, ui)
    assert page.errors == [] and page.foreign == []
    page.close()


@NO_BROWSER
def test_the_chinese_page_on_a_phone_in_the_offline_copy(context, offline_site):
    """The Chinese page of the offline copy (from file://, where nothing can be fetched), on a
    phone's 390 px, with reduced motion: its labels, numbers and the challenge (the served
    Chinese page carries the same script and data: test_the_page_carries_its_widget...)."""
    page, ui = open_tab(
        context,
        "file://",
        (offline_site / "zh" / "depth.html").as_uri(),
        {"width": 390, "height": 800},
        reduced_motion=True,
    )
    in_chinese(page, ui, 390)
    assert page.errors == [] and page.foreign == []
    page.close()
