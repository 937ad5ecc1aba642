"""Chapter 3's widget (site_tools/chapters/parity.js): it starts from the experiment's
hand-wired networks, hardwired(n) and minimal(n) for 2 to 6 bits; moving a fold gives the
chapter's construction with that fold point; its forward pass is the networks' as PyTorch
computes them; its piece counter is the experiment's exact one (exact_pieces), on the
hand-wired networks, on moved folds and on noisy weights; and the page works in Chromium by
keyboard and by pointer, in both languages, from the site and from the offline copy.

The model runs in Node on the data the build exports; the browser tests read the number
behind every readout (data-value) and its text, and compare both with Python's."""

from __future__ import annotations

import random
import statistics
from pathlib import Path

import pytest
import torch
from torch import nn

from site_tools import experiments
from site_tools.chapters.parity import WIDGET_BITS, exact_pieces
from site_tools.course import Chapter
from site_tools.pages import loads, page_weights
from snippets.parity import hardwired, minimal, steps_for

from helpers import html_path
from widget_helpers import (
    NO_BROWSER,
    drag_to_start,
    in_node,
    number,
    open_tab,
    press,
    settle,
    significant,
)

CHAPTER = Chapter("parity")
KINDS = ("layered", "minimal")
BUILD = {"layered": hardwired, "minimal": minimal}


@pytest.fixture(scope="module")
def data():
    return experiments.result(CHAPTER.name).data["widget"]


def flat(model: nn.Module) -> list[float]:
    return [v for p in model.state_dict().values() for v in p.flatten().tolist()]


def with_points(kind: str, n: int, ks: list[float]) -> nn.Module:
    """The chapter's construction for n bits with its folds at ks instead of steps_for(n):
    the layered network's pair l computes ReLU(y − k) and ReLU(k − y); the chain follows
    minimal()'s recipe with these points (neuron i: ReLU(y − k_i); y ← 2h − y + k_i)."""
    model = BUILD[kind](n)
    with torch.no_grad():
        if kind == "layered":
            linears = [m for m in model if isinstance(m, nn.Linear)]
            for linear, k in zip(linears, ks, strict=False):
                linear.bias.copy_(torch.tensor([-k, k]))
            return model
        y, constant = torch.zeros(1 + n), 0.0
        y[0] = 1.0
        for i, (neuron, k) in enumerate(zip(model.neurons, ks[:n], strict=True)):
            neuron.weight.copy_(y[: i + 1])
            neuron.bias.fill_(constant - k)
            if i < n - 1:
                y, constant = -y, k - constant
                y[i + 1] = 2.0
        y[n] -= 2.0
        model.output.weight.copy_(y.reshape(1, -1))
        model.output.bias.fill_(constant)
    return model


def torch_net(kind: str, n: int, params: list[float], dtype=torch.float32) -> nn.Module:
    """The construction's module with the widget's parameters (state_dict order)."""
    model = BUILD[kind](n)
    state, at = {}, 0
    for name, value in model.state_dict().items():
        state[name] = torch.tensor(params[at : at + value.numel()]).reshape(value.shape)
        at += value.numel()
    assert at == len(params)
    model.load_state_dict(state)
    return model.to(dtype)


def cases() -> list[tuple]:
    """(kind, n, slider positions, noise index, seed): the hand-wired networks, folds moved
    (slider positions 0 to 32, k = k₀·v/16) and noise of every size the slider offers."""
    rng = random.Random(3)
    out = []
    for kind in KINDS:
        for n in WIDGET_BITS:
            out.append((kind, n, [16] * (n + 1), 0, 1))
            for _ in range(3):
                out.append((kind, n, [rng.randint(0, 32) for _ in range(n + 1)], 0, 1))
            for sigma in range(1, 10):
                moved = [16] * (n + 1) if sigma % 2 else [rng.randint(8, 24) for _ in range(n + 1)]
                out.append((kind, n, moved, sigma, rng.randint(1, 50)))
    return out


def points_of(n: int, positions: list[int]) -> list[float]:
    return [k * v / 16 for k, v in zip(steps_for(n), positions, strict=True)]


BUILT = """
const built = (c) => model.build(input.data, c[0], c[1],
  model.points(c[1]).map((k, i) => (k * c[2][i]) / 16), model.sigmas[c[3]], c[4]);
"""


def node_builds(data, cases: list[tuple], extra: str = "net => ({})") -> list[dict]:
    """What the widget makes of each case: its parameters, its piece count on [0, 2ⁿ − 1]
    and its largest error there, and `extra` of the network."""
    return in_node(
        CHAPTER,
        BUILT
        + f"""
        const more = {extra};
        console.log(JSON.stringify(input.cases.map((c) => {{
          const net = built(c);
          const hi = 2 ** c[1] - 1;
          return {{ p: net.p, pieces: model.pieces(net, 0, hi), error: model.error(net),
                    ...more(net) }};
        }})));
        """,
        {"data": data, "cases": cases},
    )


def expected(kind: str, n: int, params: list[float]) -> dict:
    """What the chapter's code says of the network: exact_pieces on [0, 2ⁿ − 1], and the
    largest error on its integers in float64."""
    model = torch_net(kind, n, params)
    x = torch.arange(2**n, dtype=torch.float64).reshape(-1, 1)
    with torch.no_grad():
        error = (model.double()(x) - x % 2).abs().max().item()
    return {"pieces": exact_pieces(model, 0, 2**n - 1), "error": error}


@pytest.fixture(scope="module")
def builds(data):
    every = cases()
    return every, node_builds(data, every)


# --- the model, in Node ------------------------------------------------------------------


def test_the_data_is_the_chapters_hand_wired_networks(data, builds):
    """The page carries hardwired(n) and minimal(n) for 2 to 6 bits and nothing else; the
    widget's fold points are steps_for(n); with its sliders in the middle and no noise it
    is these networks to the bit."""
    assert set(data) == set(KINDS)
    for kind in KINDS:
        assert set(data[kind]) == {str(n) for n in WIDGET_BITS} == {"2", "3", "4", "5", "6"}
        for n in WIDGET_BITS:
            assert data[kind][str(n)] == flat(BUILD[kind](n))
    points = in_node(CHAPTER, "console.log(JSON.stringify(input.map(model.points)));", [2, 4, 6])
    assert points == [steps_for(n) for n in (2, 4, 6)]
    for (kind, n, positions, sigma, _), built in zip(*builds, strict=True):
        if positions == [16] * (n + 1) and sigma == 0:
            assert built["p"] == flat(BUILD[kind](n))


def test_moving_a_fold_is_the_construction_with_that_point(builds):
    """A fold's slider at v puts that fold at k₀·v/16: the layered pair's biases, and in the
    chain that neuron's bias and every later one's (with_points, the chapter's recipe)."""
    moved = 0
    for (kind, n, positions, sigma, _), built in zip(*builds, strict=True):
        if sigma == 0:
            assert built["p"] == flat(with_points(kind, n, points_of(n, positions))), positions
            moved += positions != [16] * (n + 1)
    assert moved == 2 * 3 * len(WIDGET_BITS)


def test_the_noise_is_gaussian_of_the_size_shown(data):
    """Noise σ adds to every parameter a draw of mean 0 and standard deviation σ, new with
    each seed, the same for the same seed; the weights stay float32."""
    sigma = 5  # the slider's 0.1
    few = [("layered", 6, [16] * 7, sigma, seed) for seed in range(1, 41)]
    built = node_builds(data, few + few[:1])
    assert built[-1]["p"] == built[0]["p"]
    hand = flat(hardwired(6))
    draws = [p - h for b in built[:-1] for p, h in zip(b["p"], hand, strict=True)]
    assert abs(statistics.fmean(draws)) < 0.01
    assert statistics.pstdev(draws) == pytest.approx(0.1, rel=0.1)
    assert len({tuple(b["p"]) for b in built[:-1]}) == len(few)
    assert all(torch.tensor(b["p"]).tolist() == b["p"] for b in built)  # float32 values
    sigmas = in_node(CHAPTER, "console.log(JSON.stringify(model.sigmas));", 0)
    assert sigmas[0] == 0 and sigmas[sigma] == 0.1 and sigmas == sorted(sigmas)


def test_the_forward_pass_is_the_networks(data, builds):
    """On integers and on a grid of eighths over [−1, 2ⁿ], for every case: the widget's pass
    (trace, which every number and curve it shows comes from) is PyTorch's in float64
    within 1e-9·max(1, |y|). Its float32 pass (Math.fround after each operation; the page
    shows nothing computed in float32) is PyTorch's float32 within 2⁻¹⁹ of the largest value
    the pass computes: PyTorch's CPU kernel for a Linear layer picks its order of sums and
    its fused multiply-adds by the layer's size and the batch's (one input: x·w fused with
    the bias; two: a fused chain, then the bias; wider: neither), so no one order is
    PyTorch's, and the noisy chain's output cancels terms many times its size. (The
    hand-wired and moved networks are exact in both: integers and sixteenths.)"""
    every, built = builds
    xs = {n: [j / 8 for j in range(-8, 8 * 2**n + 9)] for n in WIDGET_BITS}
    mine = in_node(
        CHAPTER,
        """
        console.log(JSON.stringify(input.nets.map(([kind, n, p, xs]) => {
          const net = { kind, n, p, k: model.points(n) };
          return xs.map((x) => {
            const t = model.trace(net, x);
            const sizes = t.pre.flat().concat(t.y, x, 1).map(Math.abs);
            return [t.y, model.trace(net, Math.fround(x), Math.fround).y, Math.max(...sizes)];
          });
        })));
        """,
        {"nets": [(c[0], c[1], b["p"], xs[c[1]]) for c, b in zip(every, built, strict=True)]},
    )
    worst64 = worst32 = 0.0
    for (kind, n, _, sigma, _), b, rows in zip(every, built, mine, strict=True):
        y64, y32, size = torch.tensor(rows, dtype=torch.float64).T
        x = torch.tensor(xs[n]).reshape(-1, 1)
        with torch.no_grad():
            t64 = torch_net(kind, n, b["p"], torch.float64)(x.double()).flatten()
            t32 = torch_net(kind, n, b["p"])(x.float()).flatten().double()
        worst64 = max(worst64, ((y64 - t64).abs() / t64.abs().clamp(min=1)).max().item())
        worst32 = max(worst32, ((y32 - t32).abs() / size).max().item())
        if sigma == 0:
            assert torch.equal(y32, t32) and torch.equal(y64, t64)
    assert worst64 <= 1e-9
    assert worst32 <= 2**-19


def test_the_piece_counter_and_the_error_are_the_chapters(builds):
    """Every case: the widget's exact count of linear pieces on [0, 2ⁿ − 1] is the
    experiment's exact_pieces, and its largest error on the integers is PyTorch's (float64).
    The hand-wired networks (folds in place, no noise) are exact with 2ⁿ − 1 pieces, the
    fewest that can be; no network passes its bound (2ᴺ for the chain's N = n ReLUs,
    ∏(mᵢ + 1) = 3ⁿ⁺¹ for the layered pairs)."""
    for (kind, n, positions, sigma, _), b in zip(*builds, strict=True):
        wanted = expected(kind, n, b["p"])
        assert b["pieces"] == wanted["pieces"], (kind, n, positions, sigma)
        assert b["error"] == pytest.approx(wanted["error"], rel=1e-9, abs=1e-12)
        assert b["pieces"] <= (3 ** (n + 1) if kind == "layered" else 2**n)
        if positions == [16] * (n + 1) and sigma == 0:
            assert (b["pieces"], b["error"]) == (2**n - 1, 0)
    # the cases teach something: noise breaks exactness, and moves the count both ways
    noisy = [(c, b) for c, b in zip(*builds, strict=True) if c[3] > 0]
    assert all(b["error"] > 0 for _, b in noisy)
    assert {b["pieces"] > 2 ** c[1] - 1 for c, b in noisy} == {True, False}


def test_the_fold_values_are_the_chain_of_folds(data):
    """Hand-wired, the function after fold i is |y − kᵢ| of the one before (x at first), in
    both networks; the chain's last fold, and the layered network's read-out of its last
    pair, is x mod 2 on the integers."""
    answer = in_node(
        CHAPTER,
        BUILT
        + """
        console.log(JSON.stringify(input.cases.map((c) => {
          const net = built(c);
          return [...Array(2 ** c[1]).keys()].map((x) => {
            const { folds, y } = model.trace(net, x);
            return [folds, y];
          });
        })));
        """,
        {"data": data, "cases": [(k, n, [16] * (n + 1), 0, 1) for k in KINDS for n in WIDGET_BITS]},
    )
    shown = iter(answer)
    for kind in KINDS:
        for n in WIDGET_BITS:
            for x, (folds, y) in enumerate(next(shown)):
                chain, value = [], float(x)
                for k in steps_for(n):
                    value = abs(value - k)
                    chain.append(value)
                if kind == "minimal":
                    chain = chain[: n - 1] + [x % 2]
                assert folds == chain and y == x % 2, (kind, n, x)


def challenge_cases(n: int) -> dict[str, list[int]]:
    """The challenge's solution for n bits (every fold at its hand-wired point, slider 16)
    and near misses: the start (every fold at 0), and each fold one step off either way."""
    cases = {"solution": [16] * (n + 1), "start": [0] * (n + 1)}
    for i in range(n):
        for step in (-1, 1):
            cases[f"fold {i + 1} {step:+d}"] = [16 + step * (j == i) for j in range(n + 1)]
    return cases


def test_the_challenge_is_met_by_the_halving_folds_only(data):
    """The challenge (the chain exact, placed from 0, no noise, 4 bits or more): the folds at
    2ⁿ⁻¹, …, 2, 1 meet it for 4, 5 and 6 bits, and PyTorch agrees the chain is exact
    there; every fold one step off, the start, noise, or 3 bits does not."""
    named = {n: challenge_cases(n) for n in WIDGET_BITS}
    every = [("minimal", n, v, 0, 1) for n in WIDGET_BITS for v in named[n].values()]
    built_all = iter(node_builds(data, every))  # every case of every n, in one Node run
    built = {n: [next(built_all) for _ in named[n]] for n in WIDGET_BITS}
    assert next(built_all, None) is None
    for n in WIDGET_BITS:
        for (name, _), b in zip(named[n].items(), built[n], strict=True):
            wanted = expected("minimal", n, b["p"])
            assert b["error"] == pytest.approx(wanted["error"], rel=1e-9, abs=1e-12)
            assert (b["error"] == 0) == (name == "solution"), (n, name)
    asked = {
        n: [
            [n, True, 0, built[n][0]["error"]],  # the solution
            [n, False, 0, built[n][0]["error"]],  # not placed from 0
            [n, True, 0.001, built[n][0]["error"]],  # with noise
            *([n, True, 0, b["error"]] for b in built[n][1:]),
        ]
        for n in WIDGET_BITS
    }
    answers = iter(
        in_node(
            CHAPTER,
            "console.log(JSON.stringify(input.map((c) => model.challenge(...c))));",
            [c for n in WIDGET_BITS for c in asked[n]],
        )
    )
    for n in WIDGET_BITS:
        verdicts = [next(answers) for _ in asked[n]]
        assert verdicts[0]["met"] is (n >= 4), n
        assert verdicts[0]["bits"] is (n >= 4)
        assert not any(v["met"] for v in verdicts[1:]), n
        assert verdicts[1]["start"] is False and verdicts[2]["noise"] is False
        assert all(v["exact"] is False for v in verdicts[3:])
    assert next(answers, None) is None


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_exercise_3_6_gives_the_challenges_solution(lang):
    """The exercise that states the challenge gives the folds the tests above check: the
    hand-wired points, for 4 bits 8, 4, 2, 1 (every slider at 16, its middle)."""
    text = (Path(__file__).parents[1] / "docs" / lang / f"{CHAPTER.page}.md").read_text(
        encoding="utf-8"
    )
    solution = text.split("{ #exercise-3-6 }")[1].split("\n### ")[0].split("??? success")[1]
    comma = ", " if lang == "en" else "、"
    assert comma.join(f"{k:g}" for k in steps_for(4)[:4]) in solution
    assert challenge_cases(4)["solution"][:4] == [16] * 4
    # the statement names the widget's button as the widget writes it
    button = {"en": "Every fold at 0", "zh": "所有对折位置归零"}[lang]
    assert f'zero: "{button}"' in CHAPTER.widget.read_text(encoding="utf-8")
    assert button in text.split("{ #exercise-3-6 }")[1].split("??? tip")[0]


# --- the page ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def weights(served_site):
    return page_weights(served_site[1])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_carries_its_widget_and_stays_light(served_site, weights, lang, data):
    """The page loads the widget's script and the shared runtime and styles, embeds only the
    hand-wired weights, and weighs at most 300 KB with them."""
    _, site = served_site
    html = html_path(site, lang, CHAPTER.page)
    assert {"parity.js", "widgets.js", "widgets.css"} <= {p.name for p in loads(html)}
    text = html.read_text("utf-8")
    assert 'data-widget="parity"' in text and '"layered":{"2":[1,-1,' in text
    assert weights[html] <= 300_000


STATE = """ui => {
const [folds, noise] = ui.querySelectorAll(".tn-controls");
return {
  cells: [...ui.querySelectorAll("dd[data-readout]")].map((d) =>
    [d.dataset.readout, d.textContent, +d.dataset.value]),
  badges: [...ui.querySelectorAll(".tn-badge")].map((b) => !b.parentNode.hidden),
  met: [...ui.querySelectorAll(".tn-checks li")].map((li) => li.classList.contains("tn-met")),
  done: !ui.querySelector(".tn-done").hidden,
  bits: +ui.querySelector("select").value,
  folds: [...folds.querySelectorAll(".tn-slider:not([hidden]) > input")].map((s) => +s.value),
  shown: [...folds.querySelectorAll(".tn-value:not([hidden])")].map((v) => v.textContent),
  sigma: +noise.querySelector("input").value,
  seed: +(ui.querySelector("button + span").textContent.slice(1) || 1),
  panels: [...ui.querySelector(".tn-folds").children]
    .filter((p) => !p.hidden).map((p) => p.textContent),
};
}"""


class Checks:
    """The checks of the page's readouts and badges, made on every state the widget is seen
    in: what the page says is read at once (check, which checks at once what needs no
    network), and compared with what Python computes for the networks the controls set in
    one go at the end (confirm): the widget's model builds them all in one Node run."""

    def __init__(self, data) -> None:
        self.data = data
        self.seen: list[dict] = []

    def check(self, ui) -> dict:
        """Read what the widget shows, check the fold points and the pieces needed, and
        keep it for confirm; returns it."""
        state = ui.evaluate(STATE)
        n = state["bits"]
        shown = {key: (text, value) for key, text, value in state["cells"]}
        assert shown["need"] == (number(2**n - 1, 0), 2**n - 1)
        ks = points_of(n, state["folds"])
        assert state["shown"] == [significant(k, 4) for k in ks]
        assert not any("-" in panel for panel in state["panels"])  # negatives with −
        self.seen.append(state)
        return state

    def confirm(self) -> None:
        """For every state checked: each network's pieces against its bound, its largest
        error and its "exact" badge are the chapter's (exact_pieces, PyTorch in float64)
        for the network the widget's model builds from the controls."""
        cases = [
            (kind, s["bits"], s["folds"], s["sigma"], s["seed"])
            for s in self.seen
            for kind in KINDS
        ]
        built = iter(node_builds(self.data, cases))
        for step, state in enumerate(self.seen):
            n = state["bits"]
            shown = {key: (text, value) for key, text, value in state["cells"]}
            for kind, key, bound, badge in zip(
                KINDS, "lm", [3 ** (n + 1), 2**n], state["badges"], strict=True
            ):
                wanted = expected(kind, n, next(built)["p"])
                pieces, error = shown[key + "p"], shown[key + "e"]
                assert pieces == (
                    f"{number(wanted['pieces'], 0)} / {number(bound, 0)}",
                    wanted["pieces"],
                ), (step, kind)
                assert error[1] == pytest.approx(wanted["error"], rel=1e-9, abs=1e-12), step
                assert error[0] == significant(error[1], 3), step
                assert badge == (wanted["error"] == 0), (step, kind)
        self.seen.clear()


def url(origin: str, lang: str) -> str:
    return f"{origin}{'' if lang == 'en' else '/zh'}/parity/"


def reset(page, ui, checks: Checks) -> None:
    """Put the widget back to its first state in the page, as a reader can (no reload):
    4 bits (which wires the folds by hand again), no noise, the layered network's folds
    shown. It then shows the hand-wired networks again, both exact (checked)."""
    ui.locator("select").first.select_option("4")
    ui.locator(".tn-controls").nth(1).locator("input").fill("0")
    ui.locator("select").nth(1).select_option("layered")
    settle(page)
    state = checks.check(ui)
    assert (state["bits"], state["folds"], state["sigma"]) == (4, [16] * 5, 0)
    assert state["badges"] == [True, True] and len(state["panels"]) == 5


def by_keyboard_and_pointer(page, ui, checks: Checks) -> None:
    """Bits, a fold, the noise by keys; a fold dragged and new noise clicked; the folds of
    either network: each time the numbers Python computes."""
    check = checks.check
    state = check(ui)  # 4 bits, hand-wired: both exact, 15 pieces
    assert state["bits"] == 4 and state["badges"] == [True, True]
    assert state["panels"] == [
        f"after fold {i}: 0 to {h}" for i, h in enumerate([8, 4, 2, 1, 1], 1)
    ]
    press(page, ui.locator("select").first, "ArrowDown")  # 5 bits
    state = check(ui)
    assert state["bits"] == 5 and len(state["folds"]) == 6 and state["shown"][0] == "16"
    fold = ui.locator(".tn-controls").first.locator("input").first
    press(page, fold, "ArrowLeft", 3)  # fold 1 from 16 to 13
    state = check(ui)
    assert state["shown"][0] == "13" and state["badges"] == [False, False]
    assert fold.get_attribute("aria-valuetext") == "k = 13"
    press(page, fold, "ArrowRight", 3)
    noise = ui.locator(".tn-controls").nth(1).locator("input")
    press(page, noise, "ArrowRight", 4)  # σ = 0.03
    state = check(ui)
    assert ui.locator(".tn-value").last.inner_text() == "0.03" and state["sigma"] == 4
    page.wait_for_function(  # announced, once the keys rest
        "t => document.querySelector('.tn-sr[aria-live=polite]').textContent.includes(t)",
        arg="Pieces needed: 31",
    )
    ui.locator("button").first.click()  # new noise, by pointer
    settle(page)
    assert check(ui)["seed"] == 2
    drag_to_start(page, ui.locator(".tn-controls").first.locator(":not([hidden]) > input").last)
    state = check(ui)
    assert state["folds"][-1] == 0
    ui.locator("select").nth(1).select_option("minimal")  # the chain's folds
    settle(page)
    assert len(check(ui)["panels"]) == 5


def the_challenge_by_keyboard(page, ui, checks: Checks) -> None:
    """From every fold at 0 (the button, by keyboard), the folds moved by arrow keys: one
    step short is not exact; the halving folds tick every condition and are announced."""
    check = checks.check
    assert ui.evaluate(STATE)["met"] == [True, False, True, True]  # 4 bits, hand-wired
    zero = ui.locator(".tn-challenge button")
    zero.focus()
    page.keyboard.press("Enter")
    settle(page)
    state = check(ui)
    assert state["folds"] == [0] * 5 and state["met"] == [True, True, True, False]
    sliders = ui.locator(".tn-controls").first.locator("input")
    for i in range(4):
        press(page, sliders.nth(i), "ArrowRight", 16 if i < 3 else 15)
    state = check(ui)
    assert state["met"] == [True, True, True, False] and not state["done"]
    press(page, sliders.nth(3), "ArrowRight")  # the last fold to 1
    state = check(ui)
    assert state["met"] == [True] * 4 and state["done"]
    page.wait_for_function(
        "t => document.querySelector('.tn-sr[aria-live=polite]').textContent.endsWith(t)",
        arg=ui.locator(".tn-done").inner_text(),
    )
    press(page, ui.locator("select").first, "ArrowUp")  # 3 bits: the folds are wired again
    assert ui.evaluate(STATE)["met"] == [False, False, True, True]


def in_chinese(page, ui, checks: Checks) -> None:
    """The Chinese page: its labels and numbers, by keyboard and by pointer."""
    state = checks.check(ui)
    assert ui.locator("dt").all_inner_texts()[:2] == [
        "至少需要的线性段",
        "严格分层网络：线性段 / 上界",
    ]
    assert state["panels"][0] == "第 1 次对折之后：0 到 8"
    assert ui.locator(".tn-badge").first.inner_text() == "严格分层网络：精确"
    press(page, ui.locator("select").first, "End")  # 6 bits: 2,187 for the layered bound
    assert checks.check(ui)["bits"] == 6
    drag_to_start(page, ui.locator(".tn-controls").nth(1).locator("input"))
    checks.check(ui)


@NO_BROWSER
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_widget_in_each_language(context, served_site, data, lang):
    """Each language's page, loaded once: from its first state, by keyboard and pointer
    (English), or its labels and numbers (Chinese); then, reset in the page, the
    challenge by keyboard."""
    origin = served_site[0]
    page, ui = open_tab(context, origin, url(origin, lang))
    checks = Checks(data)
    first = {"en": by_keyboard_and_pointer, "zh": in_chinese}[lang]
    first(page, ui, checks)
    reset(page, ui, checks)
    the_challenge_by_keyboard(page, ui, checks)
    checks.confirm()
    assert page.errors == [] and page.foreign == []
    page.close()


@NO_BROWSER
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_widget_works_in_the_offline_copy(context, offline_site, data, lang):
    folder = offline_site if lang == "en" else offline_site / "zh"
    page, ui = open_tab(
        context,
        "file://",
        (folder / "parity.html").as_uri(),
        {"width": 1280, "height": 720},  # a new context's size
        reduced_motion=True,
    )
    checks = Checks(data)
    press(page, ui.locator(".tn-controls").nth(1).locator("input"), "End")  # σ = 1
    assert checks.check(ui)["badges"] == [False, False]
    checks.confirm()
    assert page.errors == [] and page.foreign == []
    page.close()
