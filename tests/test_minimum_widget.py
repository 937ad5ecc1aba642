"""Chapter 2's widget (site_tools/chapters/minimum.js): its forward pass is MinModel's as
PyTorch computes it, its seeds are the build's sweep to the bit, what it says about a network
(largest error, each branch's shape, the row of the error table, exact or not) is what the
chapter's code says, and the page works in Chromium by keyboard and by pointer, in both
languages, from the site and from the offline copy.

The model runs in Node on the data the build exports; the browser tests read the number
behind every readout (data-value) and its text, and compare both with Python's."""

from __future__ import annotations

import base64
import inspect
import struct
import tempfile
from pathlib import Path

import numpy as np
import pytest
import torch

from site_tools import experiments
from site_tools.chapters.minimum import TIERS, WEIGHT_ORDER, within
from site_tools.course import Chapter
from site_tools.pages import loads, page_weights
from snippets.minimum import MinModel, branch_shapes, integer_grid, set_weights

from helpers import html_path
from widget_helpers import (
    NO_BROWSER,
    drag_to_start,
    in_node,
    open_tab,
    press,
    settle,
    significant,
)

CHAPTER = Chapter("minimum")
LAMBDAS = range(-16, 33)  # the λ slider's positions: λ = k / 16
TOL = 0.01  # branch_shapes' default tolerance


@pytest.fixture(scope="module")
def result():
    return experiments.result(CHAPTER.name)


@pytest.fixture(scope="module")
def data(result):
    return result.data["widget"]


def net_of(weights: list[float], dtype=torch.float32) -> MinModel:
    """MinModel with the widget's eleven weights (float32, as set_weights stores them)."""
    model = set_weights(MinModel(), weights[:3], weights[3:6], weights[6:])
    return model.to(dtype)


def family(lam: float) -> list[float]:
    return [1.0, -1.0, 0.0, -1.0, 1.0, 0.0, lam, 1 - lam, -lam, lam - 1, 0.0]


def f32(values: list[float]) -> list[float]:
    return torch.tensor(values, dtype=torch.float32).tolist()


def seed_weights(record: dict) -> list[float]:
    return [v for name in WEIGHT_ORDER for v in record["weights"][name]]


# The referee's network: a − 1.5·ReLU(a − b − ¼) + 0.5·ReLU(a − b − ¾), both folds off the
# diagonal, 0 on every integer pair, 0.125 off at (0.5, 0): exact on the grid, not the square.
GRID_ONLY = f32([1.0, -1.0, -0.25, 1.0, -1.0, -0.75, 1.0, 0.0, -1.5, 0.5, 0.0])
# The challenge's solution: ReLU 1 reads b − a, no skip connection; ReLU 2 is straight
# (b + 60 > 0 on the square) and brings in b: b − ReLU(b − a) (exercise 2.6).
SOLUTION = [-1.0, 1.0, 0.0, 0.0, 1.0, 60.0, 0.0, 0.0, -1.0, 1.0, -60.0]
NEAR_MISSES = {  # one thing wrong each
    "a, as in 2.3's A": [-1.0, 1.0, 0.0, 1.0, 0.0, 60.0, 0.0, 0.0, -1.0, 1.0, -60.0],
    "fold inside the square": [-1.0, 1.0, 0.0, 0.0, 1.0, 40.0, 0.0, 0.0, -1.0, 1.0, -40.0],
    "bias off": [-1.0, 1.0, 0.0, 0.0, 1.0, 60.0, 0.0, 0.0, -1.0, 1.0, -59.0],
    "fold just inside": [-1.0, 1.0, 0.0, 0.0, 1.0, 49.5, 0.0, 0.0, -1.0, 1.0, -49.5],
    "2.3's A: ReLU 1 reads a − b": [1.0, -1.0, 0.0, 1.0, 0.0, 60.0, 0.0, 0.0, -1.0, 1.0, -60.0],
    "skip connection used": [-1.0, 1.0, 0.0, 1.0, -1.0, 0.0, 0.0, 1.0, -1.0, 0.0, 0.0],
}
EDITED = [  # weights a reader might type: off the family, folds anywhere, dead branches
    f32([0.7, -0.7, 3.0, -0.2, 0.9, -12.5, 1.0, 0.0, -1.4, 0.3, 0.25]),
    f32([0.0, 0.0, -1.0, 2.0, 1.0, 40.0, 0.5, 0.5, 7.0, -0.5, -3.0]),
    f32([1e-3, -1e-3, 0.0, -1.0, 1.0, 0.0, 0.0, 1.0, 100.0, -1.0, 0.0]),
    GRID_ONLY,
    SOLUTION,
    *NEAR_MISSES.values(),
]


def every_net(sweep: list[dict]) -> list[list[float]]:
    return [seed_weights(s) for s in sweep] + [f32(family(k / 16)) for k in LAMBDAS] + EDITED


def vertices(weights: list[float]) -> torch.Tensor:
    """Where the fold lines, the diagonal and the square's edges cross inside [−50, 50]²:
    the error is affine on every cell of their arrangement, whose corners these are."""
    lines = [(1, 0, -50), (1, 0, 50), (0, 1, -50), (0, 1, 50), (1, -1, 0)]
    lines += [tuple(weights[k : k + 3]) for k in (0, 3) if weights[k] or weights[k + 1]]
    found = []
    for i, (p, q, r) in enumerate(lines):
        for s, t, u in lines[i + 1 :]:
            matrix = np.array([[p, q], [s, t]], dtype=np.float64)
            if np.linalg.det(matrix) == 0:
                continue
            a, b = np.linalg.solve(matrix, [-r, -u])
            if max(abs(a), abs(b)) <= 50 * (1 + 1e-12):
                found.append((min(max(a, -50), 50), min(max(b, -50), 50)))
    return torch.tensor(found, dtype=torch.float64)


def exact_on_the_square(weights: list[float]) -> tuple[bool, float]:
    """PyTorch's MinModel in float64 at every vertex of the arrangement: 0 up to float64
    rounding (1e-9 of its largest weight times 50) at all of them, and the largest error."""
    points = vertices(weights)
    with torch.no_grad():
        out = net_of(weights, torch.float64)(points)[:, 0]
    error = (out - points.min(dim=1).values).abs().max().item()
    scale = max(1.0, *(abs(v) for v in weights)) ** 2 * 100
    return error <= 1e-12 * scale, error


def expected(weights: list[float]) -> dict:
    """What the widget must say about a network, from the chapter's code (PyTorch)."""
    grid = integer_grid()
    with torch.no_grad():
        out = net_of(weights, torch.float64)(grid.double())[:, 0]
    error = (out - grid.double().min(dim=1).values).abs().max().item()
    shapes = branch_shapes(net_of(weights))
    tier = next((k for k, t in enumerate(TIERS) if within(error, t)), len(TIERS))
    exact, _ = exact_on_the_square(weights)
    return {"error": error, "shapes": shapes, "tier": tier, "exact": exact}


# --- the model, in Node ------------------------------------------------------------------


def test_the_seeds_are_the_sweeps_weights_to_the_bit(data, result):
    sweep = result.data["sweep"]
    packed = base64.b64decode(data["weights"])
    assert len(packed) == 4 * 11 * len(sweep) and data["seeds"] == len(sweep) == 100
    mine = list(struct.unpack(f"<{11 * len(sweep)}f", packed))
    assert mine == [v for s in sweep for v in seed_weights(s)]
    decoded = in_node(CHAPTER, "console.log(JSON.stringify(model.seeds(input)));", data)
    assert [v for w in decoded for v in w] == mine
    assert data["tiers"] == list(TIERS.values()) and data["tol"] == TOL
    assert inspect.signature(branch_shapes).parameters["tol"].default == TOL  # the chapter's


def test_the_forward_pass_is_the_networks(result):
    """On every integer pair of the grid, for every seed, every λ of the slider and edited
    weights: the page's pass (scan, which all its numbers come from) is PyTorch's MinModel
    in float64 within 1e-9·max(1, |y|); the page computes nothing in float32."""
    nets = every_net(result.data["sweep"])
    grid = integer_grid()
    with torch.no_grad():
        y64 = torch.stack([net_of(w, torch.float64)(grid.double())[:, 0] for w in nets])
    with tempfile.TemporaryDirectory() as folder:
        files = {"y64": Path(folder) / "y64"}
        y64.numpy().astype("<f8").tofile(files["y64"])
        worst = in_node(
            CHAPTER,
            """
            const b = require("fs").readFileSync(input.y64);
            const y64 = new Float64Array(b.buffer, b.byteOffset, b.length / 8);
            const err = new Float64Array(model.A.length);
            const P = model.A.length;
            const out = input.nets.map((w, n) => {
              model.scan(w, err);
              let d64 = 0;
              for (let i = 0; i < P; i++) {
                const t64 = y64[n * P + i];
                const mine = err[i] + Math.min(model.A[i], model.B[i]);
                d64 = Math.max(d64, Math.abs(mine - t64) / Math.max(1, Math.abs(t64)));
              }
              return d64;
            });
            console.log(JSON.stringify(out));
            """,
            {"nets": nets, **{k: str(v) for k, v in files.items()}},
        )
    assert max(worst) <= 1e-9
    assert "forward32" not in CHAPTER.widget.read_text(encoding="utf-8")  # none shipped
    # the grid is the chapter's: integer_grid(), pair by pair
    order = in_node(CHAPTER, "console.log(JSON.stringify([[...model.A], [...model.B]]));", 0)
    assert torch.equal(torch.tensor(order).T, grid.double())


def float32_scale(weights: list[float]) -> list[float]:
    """Per branch, the largest |v·(w_a·a + w_b·b + bias)| its terms can reach on the grid:
    the float32 rounding of branch_shapes' gaps is a few units of 2^-24 of it."""
    return [
        abs(weights[8 + k]) * (50 * abs(weights[3 * k]) + 50 * abs(weights[3 * k + 1]))
        + abs(weights[8 + k] * weights[3 * k + 2])
        for k in (0, 1)
    ]


def test_what_the_widget_says_is_what_the_chapter_says(result):
    """For every seed of the sweep, every λ and edited weights: the largest error (the
    chapter's float64 error of the same weights), each branch's shape and its distance to
    it (branch_shapes), the row of the error table. For the seeds, the rows and the
    shapes are the chapter's tables, seed by seed."""
    sweep = result.data["sweep"]
    nets = every_net(sweep)
    answer = in_node(
        CHAPTER,
        """
        const err = new Float64Array(model.A.length);
        console.log(JSON.stringify(input.nets.map((w) => {
          const s = model.scan(w, err);
          const shapes = s.gaps.map((g) => model.shape(g, input.tol));
          return [s.max, shapes, model.tier(s.max, input.tiers)];
        })));
        """,
        {"nets": nets, "tol": TOL, "tiers": list(TIERS.values())},
    )
    checked = [*range(len(sweep)), *range(len(sweep), len(nets) - len(EDITED), 6)]
    checked += range(len(nets) - len(EDITED), len(nets))  # seeds, every 6th λ, the edits
    for k in checked:
        weights, (error, shapes, tier) = nets[k], answer[k]
        wanted = expected(weights)
        assert error == pytest.approx(wanted["error"], rel=1e-9, abs=1e-12), weights
        assert [s for s, _ in shapes] == [s for s, _ in wanted["shapes"]], weights
        pairs = zip(shapes, wanted["shapes"], float32_scale(weights), strict=True)
        for (_, gap), (_, theirs), scale in pairs:  # theirs in float32: 16 units of its 2^-24
            assert gap == pytest.approx(theirs, rel=1e-4, abs=max(1e-5, scale * 2**-20))
        assert tier == wanted["tier"], weights
    for record, (error, shapes, tier) in zip(sweep, answer, strict=False):
        assert error == pytest.approx(record["error_float64"], rel=1e-9, abs=1e-12)
        assert [s for s, _ in shapes] == record["shapes"]
        table = [within(record["error"], t) for t in TIERS]  # the chapter's table, in float32
        assert tier == (table.index(True) if any(table) else len(TIERS)), record["seed"]
    # the exact family: every λ of the slider is exact on every pair, both folds (or one,
    # where the other's output weight is 0) on the diagonal
    for k, (error, shapes, _) in zip(LAMBDAS, answer[len(sweep) :], strict=False):
        assert error == 0, k
        lam = k / 16
        assert [s for s, _ in shapes] == [
            "dead" if lam == 0 else "diagonal",
            "dead" if lam == 1 else "diagonal",
        ]
    assert all(error > 0 for error, _, _ in answer[: len(sweep)])  # no seed is exact


def test_exact_means_exact_on_the_whole_square(result):
    """The widget's "exact" is the chapter's: 0 error on the whole square, checked at every
    vertex of the arrangement of the folds, the diagonal and the edges (the error is affine
    on each cell), as PyTorch computes the network there. The referee's network is 0 on every
    integer pair but 0.125 off at (0.5, 0): not exact; no seed is; every λ is."""
    sweep = result.data["sweep"]
    nets = every_net(sweep)
    answer = in_node(
        CHAPTER,
        "console.log(JSON.stringify(input.map((w) => model.exact(w))));",
        nets,
    )
    for weights, mine in zip(nets, answer, strict=True):
        exact, worst = exact_on_the_square(weights)
        assert mine["exact"] == exact, weights
        assert mine["worst"] == pytest.approx(worst, rel=1e-9, abs=1e-9), weights
    assert not any(a["exact"] for a in answer[: len(sweep)])  # no seed of the sweep
    assert all(a["exact"] for a in answer[len(sweep) : len(sweep) + len(LAMBDAS)])  # every λ
    referee = answer[nets.index(GRID_ONLY)]
    assert expected(GRID_ONLY)["error"] == 0 and not referee["exact"]
    with torch.no_grad():
        off = net_of(GRID_ONLY, torch.float64)(torch.tensor([[0.5, 0.0]], dtype=torch.float64))
    assert off.item() == 0.125  # min(0.5, 0) = 0
    # a fine grid agrees: quarter steps see the error the integers miss
    fine = torch.cartesian_prod(*[torch.arange(-50, 50.01, 0.25, dtype=torch.float64)] * 2)
    for weights in [GRID_ONLY, SOLUTION, *NEAR_MISSES.values()]:
        with torch.no_grad():
            out = net_of(weights, torch.float64)(fine)[:, 0]
        error = (out - fine.min(dim=1).values).abs().max().item()
        assert (error == 0) == exact_on_the_square(weights)[0], weights


def test_the_challenge_is_met_by_the_solution_and_not_by_near_misses():
    """ReLU 1 reading s(b − a), the skip connection's weights both 0, exact on the square:
    the solution (a straight branch brings in b) meets it; each near miss fails on the
    condition it breaks, and the family (which needs the skip connection) never meets it."""
    nets = [SOLUTION, *NEAR_MISSES.values(), *(f32(family(k / 16)) for k in LAMBDAS)]
    assert len(NEAR_MISSES) == 6
    verdicts = in_node(
        CHAPTER, "console.log(JSON.stringify(input.map((w) => model.challenge(w))));", nets
    )
    assert verdicts[0] == {"bend": True, "va": True, "vb": True, "exact": True, "met": True}
    broken = dict(zip(NEAR_MISSES, verdicts[1:], strict=False))
    for name in ["a, as in 2.3's A", "fold inside the square", "bias off", "fold just inside"]:
        wrong = {"bend": True, "va": True, "vb": True, "exact": False, "met": False}
        assert broken[name] == wrong, name
    assert broken["2.3's A: ReLU 1 reads a − b"]["bend"] is False  # exact, but the other bend
    assert broken["2.3's A: ReLU 1 reads a − b"]["exact"] is True
    skip = broken["skip connection used"]  # λ = 0: b − ReLU(b − a), with the skip connection
    assert skip["bend"] and skip["exact"] and not skip["vb"]
    assert not any(v["met"] for v in verdicts[1:])
    assert expected(SOLUTION)["error"] == 0 and exact_on_the_square(SOLUTION) == (True, 0.0)
    shapes = [s for s, _ in branch_shapes(net_of(SOLUTION))]
    assert shapes == ["diagonal", "straight"]  # the theorem's shapes, as the solution says


def test_right_answers_the_widget_holds_exactly_are_exact_and_others_are_not():
    """Exercise 2.6's solution: any (0, q, r) with v₂·q = 1 and r ≥ 50|q| is exact in exact
    arithmetic; the widget keeps float32 weights, where q = 2 or ½ holds v₂·q = 1 exactly and
    q = 3 (v₂ = ⅓) does not: "not exact", an error of about 3e-6, as the solution says."""

    def answer(q: float, v2: float) -> list[float]:
        return f32([-1.0, 1.0, 0.0, 0.0, q, 60.0 * q, 0.0, 0.0, -1.0, v2, -60.0 * q * v2])

    nets = [answer(2.0, 0.5), answer(0.5, 2.0), answer(3.0, 1 / 3)]
    verdicts = in_node(
        CHAPTER, "console.log(JSON.stringify(input.map((w) => model.exact(w))));", nets
    )
    assert [v["exact"] for v in verdicts] == [True, True, False]
    assert 1e-6 < verdicts[2]["worst"] < 1e-5
    assert exact_on_the_square(nets[2]) == (False, pytest.approx(verdicts[2]["worst"]))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_exercise_2_6_gives_the_challenges_solution(lang):
    """The exercise that states the challenge gives, in its collapsed solution, the weights
    the tests above check: ReLU 1, ReLU 2 and the read-out of SOLUTION."""
    text = (Path(__file__).parents[1] / "docs" / lang / f"{CHAPTER.page}.md").read_text(
        encoding="utf-8"
    )
    block = text.split("{ #exercise-2-6 }")[1].split("\n### ")[0]
    solution = block.split("??? success")[1]
    written = [minus(f"({', '.join(f'{v:g}' for v in part)})") for part in parts(SOLUTION)]
    assert written[0] in block.split("??? tip")[0]  # the statement gives ReLU 1
    for part in written:
        assert part in solution.replace("\n    ", " ").replace(", 偏置) =", ", bias) ="), part


def parts(weights: list[float]) -> list[list[float]]:
    return [weights[:3], weights[3:6], weights[6:]]


def minus(text: str) -> str:
    return text.replace("-", "−")


# --- the page ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def weights(served_site):
    return page_weights(served_site[1])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_carries_its_widget_and_stays_light(served_site, weights, lang):
    """The page loads the widget's script and the shared runtime and styles, embeds only the
    widget's data (not the sweep's full records), and weighs at most 300 KB with them."""
    _, site = served_site
    html = html_path(site, lang, CHAPTER.page)
    assert {"minimum.js", "widgets.js", "widgets.css"} <= {p.name for p in loads(html)}
    text = html.read_text("utf-8")
    assert 'data-widget="minimum"' in text and '"weights":"' in text
    assert '"error_float64"' not in text and '"rerun"' not in text
    assert weights[html] <= 300_000


SHAPE_WORDS = {
    "en": {
        "dead": "dead",
        "straight": "straight",
        "diagonal": "on the diagonal",
        "off": "off the diagonal",
    },
    "zh": {"dead": "死亡", "straight": "直通", "diagonal": "对角", "off": "偏离对角线"},
}


EXACT_WORDS = {
    "en": {True: "exact", False: "not exact"},
    "zh": {True: "精确", False: "不精确"},
}


STATE = """ui => ({
  cells: [...ui.querySelectorAll("dd[data-readout]")].map((d) =>
    [d.dataset.readout, d.textContent, +d.dataset.value, d.dataset.shape || null]),
  met: [...ui.querySelectorAll(".tn-checks li")].map((li) => li.classList.contains("tn-met")),
  done: !ui.querySelector(".tn-done").hidden,
  fields: [...ui.querySelectorAll("input[type=number]")].map((x) => +x.value),
  lambda: [ui.querySelector("input[type=range]").value, ui.querySelector(".tn-value").textContent],
  seed: ui.querySelector("select").value,
})"""


def check(ui, weights: list[float], lang: str) -> dict:
    """The readouts, the badge and the weight fields say what Python computes (read in one
    call to the page); returns what the page shows."""
    state = ui.evaluate(STATE)
    shown = {key: (text, value, shape) for key, text, value, shape in state["cells"]}
    exact = shown.pop("exact")
    wanted = expected(weights)
    assert shown["error"][1] == pytest.approx(wanted["error"], rel=1e-9, abs=1e-12)
    assert shown["error"][0] == significant(shown["error"][1], 3)
    assert shown["tier"][1] == wanted["tier"]
    bounds = list(TIERS.values())
    sign = ["≤ ", "≤ ", "≤ ", "< ", "≥ "][wanted["tier"]]
    assert shown["tier"][0] == sign + f"{bounds[min(wanted['tier'], 3)]:g}"
    for key, (shape, gap) in zip(["b1", "b2"], wanted["shapes"], strict=True):
        text, value, shown_shape = shown[key]
        assert shown_shape == shape
        assert value == pytest.approx(gap, rel=1e-4, abs=1e-5)
        words, digits = SHAPE_WORDS[lang][shape], significant(value, 2)
        assert text == (f"{words} ({digits})" if lang == "en" else f"{words}（{digits}）")
    assert exact[1] == wanted["exact"]
    assert exact[0] == EXACT_WORDS[lang][wanted["exact"]]
    bend = weights[0] < 0 and weights[1] == -weights[0] and weights[2] == 0
    goal = [bend, weights[6] == 0, weights[7] == 0, wanted["exact"]]
    assert state["met"] == goal and state["done"] == all(goal)
    assert state["fields"] == pytest.approx(weights, rel=1e-5, abs=1e-9)
    return state


def url(origin: str, lang: str) -> str:
    return f"{origin}{'' if lang == 'en' else '/zh'}/minimum/"


def reset(page, ui, lang: str) -> None:
    """Put the widget back to its first state in the page, as a reader can (no reload): the
    seed picker to "–" (the family at the slider's λ), then λ to 0.5. It then shows what it
    showed when it started, to the last readout, field and tick (checked)."""
    ui.locator("select").select_option("")
    ui.locator("input[type=range]").fill("8")
    settle(page)
    state = check(ui, f32(family(0.5)), lang)
    assert state["lambda"] == ["8", "0.5"] and state["seed"] == ""


def by_keyboard_and_pointer(page, ui, sweep: list[dict]) -> None:
    """λ by keys and by dragging, seeds from the list and from the histogram, a weight
    typed in: each time the numbers Python computes."""
    lam, select = ui.locator("input[type=range]"), ui.locator("select")
    state = check(ui, f32(family(0.5)), "en")  # it starts as the hand-wired network: exact
    assert state["lambda"] == ["8", "0.5"] and state["seed"] == ""
    press(page, lam, "ArrowRight", 4)  # λ = 0.75: still exact
    assert check(ui, f32(family(0.75)), "en")["lambda"] == ["12", "0.75"]
    assert lam.get_attribute("aria-valuetext") == "λ = 0.75"
    press(page, select, "ArrowDown")  # seed 0 of the sweep
    assert check(ui, seed_weights(sweep[0]), "en")["seed"] == "0"
    press(page, select, "End")  # the last seed
    check(ui, seed_weights(sweep[-1]), "en")
    bias = ui.locator("input[type=number]").nth(10)  # the read-out's bias, typed in
    bias.fill("0.5")
    bias.press("Tab")  # the edit is done: it is announced
    settle(page)
    state = check(ui, seed_weights(sweep[-1])[:10] + [0.5], "en")
    error = next(text for key, text, _, _ in state["cells"] if key == "error")
    announced(page, f"Largest error on the grid (float64): {error}")  # once the edit rests
    drag_to_start(page, lam, grab=0.4)  # by pointer: λ to its far left, the family again
    state = check(ui, f32(family(-1)), "en")
    assert state["lambda"] == ["-16", "−1"] and state["seed"] == ""
    worst = max(range(len(sweep)), key=lambda k: sweep[k]["error"])
    ui.locator(f"rect[data-seed='{worst}']").click()  # a seed from the histogram
    settle(page)
    assert check(ui, seed_weights(sweep[worst]), "en")["seed"] == str(worst)


def type_weights(page, ui, weights: list[float]) -> None:
    """Type each weight that differs from its field's value, by keyboard (Tab leaves it)."""
    fields = ui.locator("input[type=number]")
    shown = ui.evaluate(STATE)["fields"]
    for j, value in enumerate(weights):
        if shown[j] != value:
            fields.nth(j).focus()
            page.keyboard.press("Control+a")
            page.keyboard.type(f"{value:g}")
            page.keyboard.press("Tab")
    settle(page)


def announced(page, text: str) -> None:
    page.wait_for_function(
        "t => document.querySelector('.tn-sr[aria-live=polite]').textContent.includes(t)",
        arg=text,
    )


def the_challenge_by_keyboard(page, ui, lang: str) -> None:
    """The challenge: each near miss typed in leaves a condition unticked; the solution
    ticks all three and is announced. Once weights are typed, the picker and λ show "–"
    (no stale seed or λ); a value out of range is framed, announced, and undone on leaving."""
    assert ui.locator(".tn-done").is_hidden()
    press(page, ui.locator("select"), "ArrowDown")  # seed 0 first: its context must go
    assert ui.evaluate(STATE)["seed"] == "0"
    miss = NEAR_MISSES["a, as in 2.3's A" if lang == "en" else "fold inside the square"]
    type_weights(page, ui, miss)
    state = check(ui, miss, lang)
    assert state["seed"] == "" and state["lambda"][1] == "–"
    assert ui.locator("input[type=range]").get_attribute("aria-valuetext") == "λ: –"
    assert page.evaluate(
        "() => [...document.querySelectorAll('rect[data-seed]')]"
        ".every((r) => r.style.opacity === '1')"
    )  # no seed highlighted
    type_weights(page, ui, SOLUTION)
    check(ui, SOLUTION, lang)
    done = ui.locator(".tn-done")
    assert done.is_visible()
    announced(page, done.inner_text())
    before = ui.evaluate(STATE)["cells"]
    # out of range: framed red and announced; leaving the field puts the kept value back
    bias = ui.locator("input[type=number]").nth(10)
    bias.fill("5000")  # at once: typed digit by digit, 500 would be taken on the way
    settle(page)
    assert bias.get_attribute("aria-invalid") == "true"
    border = "x => getComputedStyle(x).borderTopColor"
    assert bias.evaluate(border) != ui.locator("input[type=number]").nth(9).evaluate(border)
    cells = ui.evaluate(STATE)["cells"]
    assert cells == before  # the network keeps its bias: nothing else changes
    page.keyboard.press("Tab")
    settle(page)
    announced(page, "1,000")
    assert bias.get_attribute("aria-invalid") is None and float(bias.input_value()) == -60
    check(ui, SOLUTION, lang)


HITS = """ui => {
  const svg = ui.querySelectorAll("svg")[1];
  svg.scrollIntoView({block: "center"});
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll("rect")].map((r) => {
    const b = r.getBoundingClientRect();
    const inside = b.top >= box.top - 0.01 && b.bottom <= box.bottom + 0.01 &&
      b.left >= box.left - 0.01 && b.right <= box.right + 0.01 && b.width >= 4;
    const hit = document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
    return [inside, hit === r];
  });
}"""


STRADDLE = """ui => {
  const svg = ui.querySelectorAll("svg")[1];
  const lines = [...svg.querySelectorAll("line")].map((l) => +l.getAttribute("x1"));
  return [...svg.querySelectorAll("rect")].filter((r) => {
    const [x, w] = [+r.getAttribute("x"), +r.getAttribute("width")];
    return lines.some((at) => x < at && at < x + w);
  }).map((r) => r.dataset.seed);
}"""


def every_seed_can_be_seen_and_clicked(page, ui) -> None:
    """Every seed's square lies inside the histogram's drawing, at least 4 px wide, and is
    what a click at its centre hits, from a phone's width (where the page was opened) to a
    wide screen's; no column sits across a row's line."""
    for width in [390, 1000, 1920]:
        page.set_viewport_size({"width": width, "height": 900})
        settle(page)
        settle(page)  # the resize observed, then drawn
        hits = ui.evaluate(HITS)
        assert len(hits) == 100, width
        assert all(inside and hit for inside, hit in hits), (
            width,
            [k for k, h in enumerate(hits) if not all(h)],
        )
        straddled = ui.evaluate(STRADDLE)
        assert straddled == [], (width, straddled)  # no column sits across a row's line


def in_chinese(page, ui, sweep: list[dict]) -> None:
    """The Chinese page: its labels and numbers, by keyboard and by pointer."""
    check(ui, f32(family(0.5)), "zh")
    assert ui.locator("dd[data-readout=exact]").inner_text() == "精确"
    assert ui.locator("dt").all_inner_texts() == [
        "网格上的最大误差（float64）",
        "误差表中的行",
        "ReLU 1",
        "ReLU 2",
        "在整个正方形上",
    ]
    press(page, ui.locator("select"), "ArrowDown")
    check(ui, seed_weights(sweep[0]), "zh")
    drag_to_start(page, ui.locator("input[type=range]"), grab=0.4)
    check(ui, f32(family(-1)), "zh")


@NO_BROWSER
def test_the_widget_in_english(context, served_site, result):
    """The English page, loaded once, at a phone's width: every seed of the histogram seen
    and clicked at 390, 1000 and 1920 px; then at 1280 × 800, from its first state, by
    keyboard and pointer; then, reset in the page, the challenge by keyboard."""
    origin = served_site[0]
    page, ui = open_tab(context, origin, url(origin, "en"), {"width": 390, "height": 900})
    every_seed_can_be_seen_and_clicked(page, ui)
    page.set_viewport_size({"width": 1280, "height": 800})
    settle(page)
    settle(page)  # the resize observed, then drawn
    by_keyboard_and_pointer(page, ui, result.data["sweep"])
    reset(page, ui, "en")
    the_challenge_by_keyboard(page, ui, "en")
    assert page.errors == [] and page.foreign == []
    page.close()


@NO_BROWSER
def test_the_widget_in_chinese(context, served_site, result):
    """The Chinese page, loaded once: its labels and numbers from its first state, by
    keyboard and pointer; then, reset in the page, the challenge by keyboard."""
    origin = served_site[0]
    page, ui = open_tab(context, origin, url(origin, "zh"))
    in_chinese(page, ui, result.data["sweep"])
    reset(page, ui, "zh")
    the_challenge_by_keyboard(page, ui, "zh")
    assert page.errors == [] and page.foreign == []
    page.close()


@NO_BROWSER
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_widget_works_in_the_offline_copy(context, offline_site, result, lang):
    folder = offline_site if lang == "en" else offline_site / "zh"
    page, ui = open_tab(
        context,
        "file://",
        (folder / "minimum.html").as_uri(),
        {"width": 1280, "height": 720},  # a new context's size
        reduced_motion=True,
    )
    press(page, ui.locator("select"), "ArrowDown")
    check(ui, seed_weights(result.data["sweep"][0]), lang)
    assert page.errors == [] and page.foreign == []
    page.close()


def test_no_seed_of_the_histogram_is_left_out(result):
    """The histogram spans 10⁻⁶ to 10: every seed's largest error falls inside it."""
    errors = np.array([s["error_float64"] for s in result.data["sweep"]])
    assert errors.min() >= 1e-6 and errors.max() < 10
