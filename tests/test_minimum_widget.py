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
from widget_helpers import NO_BROWSER, in_node, need_chromium, open_widget, significant, watch

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


EDITED = [  # weights a reader might type: off the family, folds anywhere, dead branches
    f32([0.7, -0.7, 3.0, -0.2, 0.9, -12.5, 1.0, 0.0, -1.4, 0.3, 0.25]),
    f32([0.0, 0.0, -1.0, 2.0, 1.0, 40.0, 0.5, 0.5, 7.0, -0.5, -3.0]),
    f32([1e-3, -1e-3, 0.0, -1.0, 1.0, 0.0, 0.0, 1.0, 100.0, -1.0, 0.0]),
]


def every_net(sweep: list[dict]) -> list[list[float]]:
    return [seed_weights(s) for s in sweep] + [f32(family(k / 16)) for k in LAMBDAS] + EDITED


def expected(weights: list[float]) -> dict:
    """What the widget must say about a network, from the chapter's code (PyTorch)."""
    grid = integer_grid()
    with torch.no_grad():
        out = net_of(weights, torch.float64)(grid.double())[:, 0]
    error = (out - grid.double().min(dim=1).values).abs().max().item()
    shapes = branch_shapes(net_of(weights))
    tier = next((k for k, t in enumerate(TIERS) if within(error, t)), len(TIERS))
    return {"error": error, "shapes": shapes, "tier": tier}


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
    in float64 within 1e-9·max(1, |y|). forward32 is it in float32 within 2 float32 steps
    of the largest term: PyTorch's CPU kernel for the read-out adds its four products in an
    order of its own (the branches' fused multiply-add is reproduced), so a sum whose
    terms (up to 50 and more) cancel can differ in its last bit of those terms, more than
    1e-6·max(1, |y|) where y is small; the page shows no float32 number."""
    nets = every_net(result.data["sweep"])
    grid = integer_grid()
    with torch.no_grad():
        y64 = torch.stack([net_of(w, torch.float64)(grid.double())[:, 0] for w in nets])
        y32 = torch.stack([net_of(w)(grid)[:, 0] for w in nets])
    with tempfile.TemporaryDirectory() as folder:
        files = {"y64": Path(folder) / "y64", "y32": Path(folder) / "y32"}
        y64.numpy().astype("<f8").tofile(files["y64"])
        y32.numpy().astype("<f4").tofile(files["y32"])
        worst = in_node(
            CHAPTER,
            """
            const fs = require("fs");
            const read = (p, T) => {
              const b = fs.readFileSync(p);
              return new T(b.buffer, b.byteOffset, b.length / T.BYTES_PER_ELEMENT);
            };
            const [y64, y32] = [read(input.y64, Float64Array), read(input.y32, Float32Array)];
            const err = new Float64Array(model.A.length);
            const P = model.A.length;
            const out = input.nets.map((w, n) => {
              model.scan(w, err);
              const w32 = w.map(Math.fround);
              let [d64, d32] = [0, 0];
              for (let i = 0; i < P; i++) {
                const [a, b] = [model.A[i], model.B[i]];
                const [t64, t32] = [y64[n * P + i], y32[n * P + i]];
                const mine = err[i] + Math.min(a, b);
                d64 = Math.max(d64, Math.abs(mine - t64) / Math.max(1, Math.abs(t64)));
                const m32 = model.forward32(w32, Math.fround(a), Math.fround(b));
                // float32 rounds each term: the largest term sets the scale of its error
                const r = [0, 3].map((k) => Math.max(0, w[k] * a + w[k + 1] * b + w[k + 2]));
                const terms = [w[6] * a, w[7] * b, w[8] * r[0], w[9] * r[1], w[10], t32];
                const scale = Math.max(1, ...terms.map(Math.abs));
                d32 = Math.max(d32, Math.abs(m32 - t32) / scale);
              }
              return [d64, d32];
            });
            console.log(JSON.stringify(out));
            """,
            {"nets": nets, **{k: str(v) for k, v in files.items()}},
        )
    assert max(d64 for d64, _ in worst) <= 1e-9
    assert max(d32 for _, d32 in worst) <= 2**-22
    # the grid is the chapter's: integer_grid(), pair by pair
    order = in_node(CHAPTER, "console.log(JSON.stringify([[...model.A], [...model.B]]));", 0)
    assert torch.equal(torch.tensor(order).T, grid.double())


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
        for (_, gap), (_, theirs) in zip(shapes, wanted["shapes"], strict=True):
            assert gap == pytest.approx(theirs, rel=1e-4, abs=1e-5)  # theirs in float32
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


@pytest.fixture
def page(request, served_site):
    need_chromium()
    browser = request.getfixturevalue("browser")  # the session's (tests/conftest.py)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    watch(tab, served_site[0])
    yield tab
    context.close()


def settle(page) -> None:
    """Wait for the frame in which the widget draws what an input changed."""
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => setTimeout(r)))")


SHAPE_WORDS = {
    "en": {
        "dead": "dead",
        "straight": "straight",
        "diagonal": "on the diagonal",
        "off": "off the diagonal",
    },
    "zh": {"dead": "死亡", "straight": "直通", "diagonal": "对角", "off": "偏离对角线"},
}


STATE = """ui => ({
  cells: [...ui.querySelectorAll("dd[data-readout]")].map((d) =>
    [d.dataset.readout, d.textContent, +d.dataset.value, d.dataset.shape || null]),
  badge: !ui.querySelector(".tn-badge").hidden,
  fields: [...ui.querySelectorAll("input[type=number]")].map((x) => +x.value),
  lambda: [ui.querySelector("input[type=range]").value, ui.querySelector(".tn-value").textContent],
  seed: ui.querySelector("select").value,
})"""


def check(ui, weights: list[float], lang: str) -> dict:
    """The readouts, the badge and the weight fields say what Python computes (read in one
    call to the page); returns what the page shows."""
    state = ui.evaluate(STATE)
    shown = {key: (text, value, shape) for key, text, value, shape in state["cells"]}
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
    assert state["badge"] == (wanted["error"] == 0)
    assert state["fields"] == pytest.approx(weights, rel=1e-5, abs=1e-9)
    return state


def press(page, locator, key: str, times: int = 1) -> None:
    locator.focus()
    for _ in range(times):
        page.keyboard.press(key)
    settle(page)


def drag_to_start(page, slider) -> None:
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 0.4 * box["width"], y)
    page.mouse.down()
    page.mouse.move(box["x"] + 2, y, steps=4)
    page.mouse.up()
    settle(page)


def url(origin: str, lang: str) -> str:
    return f"{origin}{'' if lang == 'en' else '/zh'}/minimum/"


@NO_BROWSER
def test_the_widget_by_keyboard_and_pointer(page, served_site, result):
    """λ by keys and by dragging, seeds from the list and from the histogram, a weight
    typed in: each time the numbers Python computes."""
    ui = open_widget(page, url(served_site[0], "en"))
    lam, select = ui.locator("input[type=range]"), ui.locator("select")
    state = check(ui, f32(family(0.5)), "en")  # it starts as the hand-wired network: exact
    assert state["lambda"] == ["8", "0.5"] and state["seed"] == ""
    press(page, lam, "ArrowRight", 4)  # λ = 0.75: still exact
    assert check(ui, f32(family(0.75)), "en")["lambda"] == ["12", "0.75"]
    assert lam.get_attribute("aria-valuetext") == "λ = 0.75"
    sweep = result.data["sweep"]
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
    page.wait_for_function(  # announced, once the edit rests
        "t => document.querySelector('.tn-sr[aria-live=polite]').textContent.includes(t)",
        arg=f"Largest error: {error}",
    )
    drag_to_start(page, lam)  # by pointer: λ to its far left, the family again
    state = check(ui, f32(family(-1)), "en")
    assert state["lambda"] == ["-16", "−1"] and state["seed"] == ""
    worst = max(range(len(sweep)), key=lambda k: sweep[k]["error"])
    ui.locator(f"rect[data-seed='{worst}']").click()  # a seed from the histogram
    settle(page)
    assert check(ui, seed_weights(sweep[worst]), "en")["seed"] == str(worst)
    assert page.errors == [] and page.foreign == []


@NO_BROWSER
def test_the_widget_in_chinese(page, served_site, result):
    """The Chinese page: its labels and numbers, by keyboard and by pointer."""
    ui = open_widget(page, url(served_site[0], "zh"))
    check(ui, f32(family(0.5)), "zh")
    assert ui.locator(".tn-badge").inner_text() == "精确"
    assert ui.locator("dt").all_inner_texts() == ["最大误差", "误差表中的行", "ReLU 1", "ReLU 2"]
    press(page, ui.locator("select"), "ArrowDown")
    check(ui, seed_weights(result.data["sweep"][0]), "zh")
    drag_to_start(page, ui.locator("input[type=range]"))
    check(ui, f32(family(-1)), "zh")
    assert page.errors == [] and page.foreign == []


@NO_BROWSER
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_widget_works_in_the_offline_copy(browser, offline_site, result, lang):
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    watch(page, "file://")
    folder = offline_site if lang == "en" else offline_site / "zh"
    ui = open_widget(page, (folder / "minimum.html").as_uri())
    press(page, ui.locator("select"), "ArrowDown")
    check(ui, seed_weights(result.data["sweep"][0]), lang)
    assert page.errors == [] and page.foreign == []
    context.close()


def test_no_seed_of_the_histogram_is_left_out(result):
    """The histogram spans 10⁻⁶ to 10: every seed's largest error falls inside it."""
    errors = np.array([s["error_float64"] for s in result.data["sweep"]])
    assert errors.min() >= 1e-6 and errors.max() < 10
