"""Chapter 4's widget (site_tools/chapters/xor.js): it carries the chapter's two exact
networks and the six trained ones of its figure, as the experiment exports them; its forward
pass, readouts (the outputs at the corners, the loss, how many are right, the dead neurons)
and fold lines are what PyTorch and the chapter's own functions give, on those weights and on
moved ones; its challenge is met by rebuilding the layered network only; and the page works
in Chromium by keyboard and by pointer, in both languages, from the site and from the
offline copy.

The model runs in Node on the data the build exports; the browser tests read the number
behind every readout (data-value) and its text, and compare both with Python's."""

from __future__ import annotations

import math
import random

import pytest
import torch

from site_tools import experiments
from site_tools.chapters.xor import unit_kinds, weights
from site_tools.course import Chapter
from site_tools.pages import loads, page_weights
from site_tools.widgets import data_json
from snippets.xor import SkipNet, layered, make_data, make_model, one_relu

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

CHAPTER = Chapter("xor")
NETWORKS = [
    "one_relu",
    "layered",
    "relu_two_folding",
    "relu_folding_affine",
    "sigmoid_solved",
    "relu_folding_dead",
    "relu_affine_affine",
    "sigmoid_merged",
]
LABELS = [0, 1, 1, 0]
SOLVED = {"relu_two_folding", "relu_folding_affine", "sigmoid_solved"}


@pytest.fixture(scope="module")
def data():
    return experiments.result(CHAPTER.name).data["widget"]


def flat(data, name: str) -> tuple[str, bool, list[float]]:
    """A network as the widget lays it out: activation, skip connection, and its parameters:
    each unit's weights on a and b and bias, the read-out's weights on the units, then on a
    and b (skip), then its bias."""
    if name == "one_relu":
        s = data["exact"]["one_relu"]
        ua, ub, v = s["output.weight"][0]
        unit = [*s["neurons.0.weight"][0], s["neurons.0.bias"][0]]
        return "relu", True, [*unit, v, ua, ub, s["output.bias"][0]]
    if name == "layered":
        act, s = "relu", data["exact"]["layered"]
    else:
        run = data["trained"][name]
        act, s = run["setting"].split("_")[0], run["weights"]
    p = [v for w, b in zip(s["0.weight"], s["0.bias"], strict=True) for v in (*w, b)]
    return act, False, [*p, *s["2.weight"][0], s["2.bias"][0]]


def torch_net(act: str, skip: bool, p: list[float], dtype=torch.float64) -> torch.nn.Module:
    """The PyTorch network with the widget's parameters p."""
    units = (len(p) - 3) // 4 if skip else (len(p) - 1) // 4
    if skip:
        model = SkipNet(2, units).to(dtype)
        state = {
            "neurons.0.weight": [p[:2]],
            "neurons.0.bias": [p[2]],
            "output.weight": [[p[4], p[5], p[3]]],
            "output.bias": [p[6]],
        }
    else:
        model = make_model(units, act).to(dtype)
        state = {
            "0.weight": [p[3 * i : 3 * i + 2] for i in range(units)],
            "0.bias": [p[3 * i + 2] for i in range(units)],
            "2.weight": [p[3 * units : 4 * units]],
            "2.bias": [p[4 * units]],
        }
    model.load_state_dict({k: torch.tensor(v, dtype=dtype) for k, v in state.items()})
    return model


def pre_activations(act: str, skip: bool, p: list[float], x: torch.Tensor) -> torch.Tensor:
    model = torch_net(act, skip, p)
    with torch.no_grad():
        return model.neurons[0](x) if skip else model[0](x)


def node_states(data, cases: list[tuple[str, list[float] | None]]) -> list[dict]:
    """The widget's model on each case (a network, with parameters p or its own): its
    state at the corners and its fold lines."""
    body = """
    const out = input.cases.map(([name, p]) => {
      const net = model.unpack(input.data, name);
      if (p) net.p = p;
      const folds = [...Array(net.units).keys()].map((i) => model.foldLine(net, i, -0.5, 1.5));
      return { net, state: model.state(net), folds, range: model.range(net) };
    });
    console.log(JSON.stringify(out));
    """
    return in_node(CHAPTER, body, {"data": data, "cases": cases})


def varied(p: list[float], rng: random.Random) -> list[float]:
    """p with every weight moved, as sliders move them (steps of 0.1, within ±4)."""
    return [round(rng.uniform(-4, 4), 1) if rng.random() < 0.7 else v for v in p]


@pytest.fixture(scope="module")
def cases(data):
    """Every network as exported, and each with 12 sets of moved weights."""
    rng = random.Random(4)
    found = [(name, None) for name in NETWORKS]
    for name in NETWORKS:
        p = flat(data, name)[2]
        found += [(name, varied(p, rng)) for _ in range(12)]
    return found


@pytest.fixture(scope="module")
def states(data, cases):
    return node_states(data, cases)


def test_the_data_is_the_chapters_networks(data):
    """The exact networks are one_relu() and layered(); the trained ones are the experiment's
    figure's, each with the outcome and neuron kinds its name says."""
    assert data["exact"] == {"one_relu": weights(one_relu()), "layered": weights(layered())}
    assert sorted(data["trained"]) == sorted(NETWORKS[2:])
    wanted = {
        "relu_two_folding": ["folding", "folding"],
        "relu_folding_affine": ["affine", "folding"],
        "relu_folding_dead": ["dead", "folding"],
        "relu_affine_affine": ["affine", "affine"],
    }
    x, y = make_data()
    for name, run in data["trained"].items():
        act, skip, p = flat(data, name)
        model = torch_net(act, skip, p, torch.float32)
        with torch.no_grad():
            solved = bool(((model(x) - y).abs() < 0.5).all())
        assert solved == (run["outcome"] == "solved") == (name in SOLVED), name
        if name in wanted:
            assert sorted(unit_kinds(model)) == wanted[name], name


def test_the_forward_pass_is_the_networks(data, cases):
    """At the corners and 40 other points of the square, for every network as exported and
    with moved weights: the output and each neuron's input, as PyTorch computes them in
    float64."""
    rng = random.Random(7)
    points = [(a, b) for a in (0, 1) for b in (0, 1)]
    points += [(rng.uniform(-0.5, 1.5), rng.uniform(-0.5, 1.5)) for _ in range(40)]
    body = """
    const out = input.cases.map(([name, p]) => {
      const net = model.unpack(input.data, name);
      if (p) net.p = p;
      return input.points.map(([a, b]) => model.forward(net, a, b));
    });
    console.log(JSON.stringify(out));
    """
    found = in_node(CHAPTER, body, {"data": data, "cases": cases, "points": points})
    x = torch.tensor(points, dtype=torch.float64)
    for (name, moved), runs in zip(cases, found, strict=True):
        act, skip, p = flat(data, name)
        p = moved or p
        with torch.no_grad():
            y = torch_net(act, skip, p)(x)[:, 0].tolist()
        z = pre_activations(act, skip, p, x).tolist()
        assert [r["y"] for r in runs] == pytest.approx(y, rel=1e-12, abs=1e-12), name
        found_z = [v for r in runs for v in r["z"]]
        assert found_z == pytest.approx([v for row in z for v in row], rel=1e-12, abs=1e-12)


def on_at(p: list[float], i: int, z: float) -> bool:
    """Neuron i on, as the widget counts it: z above what rounding can make of a 0."""
    wa, wb, c = p[3 * i : 3 * i + 3]
    return z > 1e-9 * (1 + abs(wa) + abs(wb) + abs(c))


def settled(y: float) -> float:
    """An output as the widget shows and judges it: to 6 decimals."""
    return round(y, 6) + 0.0


def shown(y: float) -> str:
    """An output as the widget writes it: 3 significant digits, 6 close to ½ but not ½."""
    digits = 6 if y != 0.5 and abs(y - 0.5) < 5e-4 else 3
    return significant(y, digits).replace("-", "−")


def test_the_readouts_are_the_chapters(data, cases, states):
    """Outputs as PyTorch gives them, to 6 decimals; the loss is their mean squared error;
    "right" counts |y − label| < ½, 4 exactly when the chapter's outcome is solved; the dead
    neurons are the ReLUs off at all four corners (the snippet's `outcome` test, up to
    rounding: a fold line on a corner leaves the neuron off there), none counted for sigmoid
    neurons; for the exported trained networks the chapter's unit_kinds "dead"."""
    x, target = make_data()
    kinds_seen = set()
    for (name, moved), found in zip(cases, states, strict=True):
        act, skip, p = flat(data, name)
        p = moved or p
        state = found["state"]
        with torch.no_grad():
            y = torch_net(act, skip, p)(x.double())[:, 0].tolist()
            y32 = torch_net(act, skip, p, torch.float32)(x)[:, 0]
        assert state["outputs"] == pytest.approx([settled(v) for v in y], abs=1.01e-6), name
        assert state["outputs"] == pytest.approx(y32.tolist(), rel=1e-5, abs=1e-6), name
        errors = [v - t for v, t in zip(state["outputs"], LABELS, strict=True)]
        assert state["loss"] == pytest.approx(sum(e * e for e in errors) / 4, rel=1e-12)
        assert state["right"] == sum(abs(e) < 0.5 for e in errors)
        if moved is None:
            solved = bool(((y32 - target[:, 0]).abs() < 0.5).all())
            assert (state["right"] == 4) == solved, name
        z = pre_activations(act, skip, p, x.double())
        on = [[c for c in range(4) if on_at(p, i, z[c, i].item())] for i in range(z.shape[1])]
        assert state["on"] == on, (name, moved)
        dead = sum(not corners for corners in on) if act == "relu" else None
        assert state["dead"] == dead, (name, moved)
        if act == "relu" and not skip and moved is None:
            model = torch_net(act, skip, p, torch.float32)
            assert state["dead"] == unit_kinds(model).count("dead"), name
            with torch.no_grad():
                hidden = model[1](model[0](x))
            assert state["dead"] == int((hidden == 0).all(dim=0).sum()), name
        kinds_seen.add((state["right"] == 4, state["dead"]))
    assert {(True, 0), (False, 0), (False, 1), (True, None)} <= kinds_seen  # each kind seen


def test_a_fold_line_through_a_corner_leaves_the_neuron_off_there(data):
    """Weights in tenths whose fold line passes exactly through a corner: 0.1 a + 0.2 b −
    0.3 is 5.6e-17 at (1, 1) in floating point, yet the neuron is off there (dead, if off
    at the others too), and an output 0.8999999999999999 is shown and judged as 0.9."""
    p = flat(data, "layered")[2]
    p[:3] = [0.1, 0.2, -0.3]
    assert 0.1 + 0.2 - 0.3 > 0
    [found] = node_states(data, [("layered", p)])
    assert found["state"]["on"][0] == [] and found["state"]["dead"] == 1
    # after zeroing: h1 = ReLU(1.2 a − b − 0.3), h2 = ReLU(b − a), read-out h1 + h2
    p = [1.2, -1, -0.3, -1, 1, 0, 1, 1, 0]
    assert 1.2 - 0.3 == 0.8999999999999999
    [found] = node_states(data, [("layered", p)])
    assert found["state"]["outputs"] == [0, 1, 0.9, 0]
    assert challenge(p, found["state"]["outputs"])["met"]


def test_the_fold_lines_are_where_each_neuron_turns(data, cases, states):
    """Each fold line's two ends lie on the square's edge and on the line wₐa + w_b b + b =
    0, apart; a neuron has none exactly when its line misses the square. Each network's
    sliders reach ±4, or its largest weight rounded up."""
    for (name, moved), found in zip(cases, states, strict=True):
        p = moved or flat(data, name)[2]
        for i, ends in enumerate(found["folds"]):
            wa, wb, c = p[3 * i : 3 * i + 3]
            corners = [wa * a + wb * b + c for a in (-0.5, 1.5) for b in (-0.5, 1.5)]
            crosses = min(corners) < 0 < max(corners) and (wa or wb)
            assert (ends is not None) == bool(crosses), (name, i, p)
            for a, b in ends or []:
                assert abs(wa * a + wb * b + c) <= 1e-9 * (1 + abs(c))
                assert min(abs(a + 0.5), abs(a - 1.5), abs(b + 0.5), abs(b - 1.5)) <= 1e-12
            if ends:
                (a0, b0), (a1, b1) = ends
                assert abs(a0 - a1) + abs(b0 - b1) > 1e-6, (name, i, p)
        assert found["range"] == max(4, math.ceil(max(abs(v) for v in p)))


def challenge(p: list[float], outputs: list[float], name="layered", from_zero=True) -> dict:
    body = "console.log(JSON.stringify(model.challenge(input.name, input.from_zero, input.p, "
    body += "input.outputs)))"
    payload = {"outputs": outputs, "name": name, "from_zero": from_zero, "p": p}
    return in_node(CHAPTER, body, payload)


def test_the_challenge_is_met_by_rebuilding_the_layered_network():
    """Met by the layered network, started from zero, with its read-out h₁ + h₂ and every
    output within 0.1 of its label; not by another network, nor without the zero start, nor
    with another read-out (the one-ReLU construction: h₁ + h₂ − 2 h₂), nor 0.11 away at any
    corner."""
    p = [1, -1, 0, -1, 1, 0, 1, 1, 0]
    close = [0.1, 0.9, 0.95, 0.0]
    assert challenge(p, close)["met"]
    assert not challenge(p, close, name="one_relu")["met"]
    assert not challenge(p, close, from_zero=False)["met"]
    one_relu = [1, 1, 0, 1, 1, -1, 1, -2, 0]  # ReLU(a + b) − 2 ReLU(a + b − 1)
    result = challenge(one_relu, [0, 1, 1, 0])
    assert not result["met"] and not result["readout"] and result["close"]
    for c in range(4):
        outputs = [0.0, 1.0, 1.0, 0.0]
        outputs[c] += 0.11 if c in (0, 3) else -0.11
        result = challenge(p, outputs)
        assert not result["met"] and result["network"] and result["readout"], c
        assert not result["close"], c


@pytest.fixture(scope="module")
def page_sizes(served_site):
    return page_weights(served_site[1])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_carries_its_widget_and_stays_light(served_site, page_sizes, data, lang):
    """The page loads the widget's script and the shared runtime and styles, embeds the
    eight networks' weights (the widget's data, whole), and weighs at most 300 KB."""
    html = html_path(served_site[1], lang, CHAPTER.page)
    assert {"xor.js", "widgets.js", "widgets.css"} <= {p.name for p in loads(html)}
    text = html.read_text("utf-8")
    assert 'data-widget="xor"' in text
    assert data_json(data) in text
    assert page_sizes[html] <= 300_000


# the sliders of the network shown, in the order of its parameters (flat)
SLIDERS = ".tn-sliders input:not(:disabled)"
STATE = """ui => ({
  cells: Object.fromEntries([...ui.querySelectorAll("dd[data-readout]")].map((d) =>
    [d.dataset.readout, [d.textContent, +d.dataset.value]])),
  names: [...ui.querySelectorAll("dt")].map((d) => d.textContent),
  solved: !ui.querySelector(".tn-badge").parentNode.hidden,
  met: [...ui.querySelectorAll(".tn-checks li")].map((li) => li.classList.contains("tn-met")),
  done: !ui.querySelector(".tn-done").hidden,
  network: ui.querySelector("select").value,
  lang: document.documentElement.lang,
  sliders: [...ui.querySelectorAll(SLIDERS)].map((s) => +s.value),
  shown: [...ui.querySelectorAll(SLIDERS)].map((s) => s.parentNode.nextSibling.textContent),
  absent: [...ui.querySelectorAll(".tn-sliders input:disabled")].map((s) =>
    `${s.closest("fieldset").querySelector("legend").textContent}: ${s.labels[0].textContent}` +
    ` ${s.parentNode.nextSibling.textContent}`),
  height: ui.getBoundingClientRect().height,
  regions: ui.querySelectorAll("canvas")[0].getAttribute("aria-label"),
  output: ui.querySelectorAll("canvas")[1].getAttribute("aria-label"),
})""".replace("SLIDERS", repr(SLIDERS))


def check(ui, data, moved: dict[int, float] | None = None) -> dict:
    """What the widget shows against Python: the network picked, with the sliders the test
    moved (index: value) at their slider values and every other weight as exported."""
    state = ui.evaluate(STATE)
    act, skip, p = flat(data, state["network"])
    p = list(p)
    for at, value in (moved or {}).items():
        assert state["sliders"][at] == pytest.approx(value)
        p[at] = value
    x, _ = make_data()
    with torch.no_grad():
        y = torch_net(act, skip, p)(x.double())[:, 0].tolist()
    cells = state["cells"]
    for c in range(4):
        text, value = cells[f"y{c}"]
        assert value == pytest.approx(settled(y[c]), abs=1.01e-6)
        assert text == shown(value)
    y = [cells[f"y{c}"][1] for c in range(4)]
    loss = sum((v - t) ** 2 for v, t in zip(y, LABELS, strict=True)) / 4
    assert cells["loss"][1] == pytest.approx(loss, rel=1e-12, abs=1e-15)
    right = sum(abs(v - t) < 0.5 for v, t in zip(y, LABELS, strict=True))
    assert cells["right"][1] == right and state["solved"] == (right == 4)
    if act == "sigmoid":  # "dead" does not apply
        assert cells["dead"][0] == {"en": "n/a", "zh": "不适用"}[state["lang"]]
    assert state["shown"] == [significant(v, 3).replace("-", "−") for v in p]
    return state


SIZE = 240  # the canvases' pixels over the square [−0.5, 1.5]²
PIXELS = """(ui, [which, points]) => {
  const canvas = ui.querySelectorAll("canvas")[which];
  const context = canvas.getContext("2d");
  return points.map(([i, j]) => [...context.getImageData(i, j, 1, 1).data.slice(0, 3)]);
}"""
WHITE_PIXELS = """ui => {
  const data = ui.querySelectorAll("canvas")[1].getContext("2d").getImageData(0, 0, 240, 240).data;
  const found = [];
  for (let at = 0; at < data.length; at += 4) {
    if (data[at] === 255 && data[at + 1] === 255 && data[at + 2] === 255) found.push(at / 4);
  }
  return found;
}"""


FITS = """ui => [ui.getBoundingClientRect().right, ui.querySelector('select')
  .getBoundingClientRect().right,
  ...[...ui.querySelectorAll('canvas')].map((c) => c.clientWidth)]"""


def pixel(a: float, b: float) -> list[int]:
    """The canvas pixel at the point (a, b) of the square."""
    return [int((a + 0.5) / 2 * SIZE), int((1.5 - b) / 2 * SIZE)]


def colours(ui, which: int, points: list[tuple[float, float]]) -> list[list[int]]:
    """The colours of a canvas (0: regions, 1: output) at points of the square."""
    return ui.evaluate(PIXELS, [which, [pixel(a, b) for a, b in points]])


def near(found: list[int], wanted: list[float], within: float = 3) -> bool:
    return all(abs(f - w) <= within for f, w in zip(found, wanted, strict=True))


def mixed(bg: list[int], colour: str, t: float) -> list[float]:
    rgb = [int(colour[k : k + 2], 16) for k in (1, 3, 5)]
    return [b + (c - b) * t for b, c in zip(bg, rgb, strict=True)]


def the_half_level(ui, data, name: str) -> None:
    """The ½ level drawn in white on the output: only on pixels where the output (as Python
    computes it on the canvas's grid, to 6 decimals) crosses ½ to a neighbour, and dashed:
    between 30 and 70 % of those pixels (away from the corners' marks)."""
    act, skip, p = flat(data, name)
    centres = (torch.arange(SIZE, dtype=torch.float64) + 0.5) / SIZE * 2
    a, b = torch.meshgrid(centres - 0.5, 1.5 - centres, indexing="xy")  # [j, i]
    with torch.no_grad():
        y = torch_net(act, skip, p)(torch.stack([a, b], dim=-1).reshape(-1, 2))
    above = (torch.round(y.reshape(SIZE, SIZE) * 1e6) / 1e6) > 0.5
    crossing = torch.zeros_like(above)
    crossing[:, :-1] |= above[:, :-1] != above[:, 1:]
    crossing[:, 1:] |= above[:, 1:] != above[:, :-1]
    crossing[:-1, :] |= above[:-1, :] != above[1:, :]
    crossing[1:, :] |= above[1:, :] != above[:-1, :]
    corners = [pixel(a, b) for a in (0, 1) for b in (0, 1)]

    def clear(i: int, j: int) -> bool:
        return min(abs(i - x) + abs(j - y) for x, y in corners) >= 24

    white = {(at % SIZE, at // SIZE) for at in ui.evaluate(WHITE_PIXELS)}
    white = {(i, j) for i, j in white if clear(i, j)}
    level = {(i, j) for j, i in crossing.nonzero().tolist() if clear(i, j)}
    assert white <= level, sorted(white - level)[:5]
    assert 0.3 <= len(white) / len(level) <= 0.7, (len(white), len(level))


def fills(ui) -> None:
    """Corners filled where a ⊕ b = 1, hollow where it is 0: in the text colour or the
    background's on the left (light scheme: black, white), black or white on the right."""
    for canvas in (0, 1):
        found = colours(ui, canvas, [(0, 0), (0, 1), (1, 0), (1, 1)])
        assert [max(c) < 60 for c in found] == [False, True, True, False], (canvas, found)
        assert [min(c) > 200 for c in found] == [True, False, False, True], (canvas, found)


def the_pictures(page, ui, data) -> None:
    """The layered network, as drawn: both canvases at least 150 px wide; h₁'s region in
    blue and h₂'s in orange, lighter in the dark scheme (redrawn when it changes); the output
    dark blue at 0 and yellow at 1 and above (cividis); its ½ level, white, only where
    |a − b| = ½ (away from the corners); rings at the corners on the wrong side of ½ only."""
    widths = ui.evaluate("ui => [...ui.querySelectorAll('canvas')].map((c) => c.clientWidth)")
    assert min(widths) >= 150, widths
    h1, h2 = (1.2, 0.2), (0.2, 1.2)  # a − b = 1 and −1: one neuron on, away from every line
    white = [255, 255, 255]
    assert near(colours(ui, 0, [h1])[0], mixed(white, "#0072b2", 0.3))
    assert near(colours(ui, 0, [h2])[0], mixed(white, "#d55e00", 0.3))
    low, high = colours(ui, 1, [(0.7, 0.55), (1.3, -0.3)])  # outputs 0.15 and 1.6
    assert near(low, [31.8, 55, 96]) and near(high, [254, 232, 56])
    the_half_level(ui, data, "layered")
    fills(ui)
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    settle(page)
    bg = ui.evaluate(
        "ui => { const s = document.createElement('span'); ui.append(s);"
        " s.style.color = 'var(--md-default-bg-color)'; const c = getComputedStyle(s).color;"
        " s.remove(); return c.match(/[\\d.]+/g).map(Number).slice(0, 3); }"
    )
    dark = colours(ui, 0, [h1])[0]
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'default')")
    settle(page)
    assert sum(dark) < 300 and near(dark, mixed(bg, "#56b4e9", 0.3)), (dark, bg)


def rings(ui, wrong: list[bool]) -> None:
    """A black ring (over a white halo) 15 px from each corner on the wrong side of ½."""
    found = ui.evaluate(
        PIXELS,
        [1, [[x + 15, y] for x, y in (pixel(a, b) for a, b in [(0, 0), (0, 1), (1, 0), (1, 1)])]],
    )
    assert [max(c) < 80 for c in found] == wrong, found


def url(origin: str, lang: str) -> str:
    return f"{origin}{'' if lang == 'en' else '/zh'}/xor/"


def by_keyboard_and_pointer(page, ui, data) -> None:
    """The first network, exact; a network picked by key; a weight moved by keys and
    another dragged; the dead neuron brought back; the reset button."""
    state = check(ui, data)
    assert state["network"] == "one_relu" and state["solved"]
    assert state["cells"]["loss"] == ["0", 0] and state["cells"]["dead"][1] == 0
    assert state["absent"] == [  # its rows, disabled: the same rows for every network
        "Neuron h₂: weight on a —",
        "Neuron h₂: weight on b —",
        "Neuron h₂: bias —",
        "Read-out: weight on h₂ —",
    ]
    assert "h₁ on at (1, 1)" in state["regions"]
    the_half_level(ui, data, "one_relu")  # a + b = ½ and 3/2
    page.set_viewport_size({"width": 390, "height": 800})  # on a phone
    right, select = ui.evaluate(FITS)[:2]
    assert select <= right, (right, select)
    page.set_viewport_size({"width": 1280, "height": 800})
    settle(page)
    press(page, ui.locator("select"), "ArrowDown")  # the layered network
    height = state["height"]
    state = check(ui, data)
    assert state["network"] == "layered" and len(state["sliders"]) == 9
    assert state["absent"] == ["Read-out: weight on a —", "Read-out: weight on b —"]
    assert state["height"] == height  # nothing below the widget moves
    the_pictures(page, ui, data)
    rings(ui, [False] * 4)
    bias = ui.locator(SLIDERS).nth(2)  # h1's bias from 0 to 0.6
    press(page, bias, "ArrowRight", 6)
    state = check(ui, data, {2: 0.6})  # outputs 0.6, 1, 1.6, 0.6
    assert state["cells"]["right"] == ["1 of 4", 1] and not state["solved"]
    rings(ui, [True, False, True, True])
    assert bias.get_attribute("aria-valuetext") == "0.6"
    ui.locator("select").select_option("relu_folding_dead")
    settle(page)
    state = check(ui, data)
    assert state["cells"]["dead"][1] == 1 and not state["solved"]
    dead = unit_kinds(torch_net(*flat(data, "relu_folding_dead"), torch.float32)).index("dead")
    assert f"h{'₁₂'[dead]} on at no corner" in state["regions"]
    bias = ui.locator(SLIDERS).nth(3 * dead + 2)
    lowest = -float(bias.get_attribute("max"))
    drag_to_start(page, bias)  # a lower bias: still dead
    state = check(ui, data, {3 * dead + 2: lowest})
    assert state["cells"]["dead"][1] == 1
    press(page, bias, "End")  # the highest bias: on at (0, 0) at least
    state = check(ui, data, {3 * dead + 2: -lowest})
    assert state["cells"]["dead"][1] == 0 and f"h{'₁₂'[dead]} on at (0, 0)" in state["regions"]
    ui.locator(".tn-sliders + .tn-row button").click()  # back to the exported weights
    settle(page)
    assert check(ui, data)["cells"]["dead"][1] == 1


def the_challenge_by_keyboard(page, ui, data) -> None:
    """On the layered network: zero its hidden layer (by keyboard) and set its weights (one
    slider by keys): one step short of the margin leaves the challenge unmet, the step to it
    meets it, and that is announced."""
    ui.locator("select").select_option("layered")
    settle(page)
    assert ui.evaluate(STATE)["met"] == [True, False, True, True]
    ui.locator(SLIDERS).nth(7).fill("-2")  # a read-out moved first: the button sets it again
    zero = ui.locator(".tn-challenge button")
    zero.focus()
    page.keyboard.press("Enter")
    settle(page)
    zeros = dict.fromkeys(range(6), 0.0) | {6: 1.0, 7: 1.0, 8: 0.0}
    state = check(ui, data, zeros)
    assert state["met"] == [True, True, True, False] and state["cells"]["dead"][1] == 2
    sliders = ui.locator(SLIDERS)
    for at, value in {0: 1, 1: -1, 3: -1, 4: 0.8}.items():  # h₂ = ReLU(0.8 b − a): 0.8 at (0, 1)
        sliders.nth(at).fill(str(value))
    settle(page)
    target = zeros | {0: 1.0, 1: -1.0, 3: -1.0, 4: 0.8}
    state = check(ui, data, target)
    assert state["met"] == [True, True, True, False] and not state["done"]
    press(page, sliders.nth(4), "ArrowRight")  # 0.9: within 0.1
    state = check(ui, data, target | {4: 0.9})
    assert state["met"] == [True] * 4 and state["done"] and state["solved"]
    page.wait_for_function(
        "t => document.querySelector('.tn-sr[aria-live=polite]').textContent.endsWith(t)",
        arg=ui.locator(".tn-done").inner_text(),
    )
    press(page, sliders.nth(8), "ArrowRight")  # the read-out's bias moved: not met
    assert ui.evaluate(STATE)["met"] == [True, True, False, True]
    ui.locator("select").select_option("one_relu")  # another network: not met
    settle(page)
    assert ui.evaluate(STATE)["met"] == [False, False, False, True]


def in_chinese(page, ui, data) -> None:
    """The Chinese page: its labels and numbers, a network picked by key, and the
    challenge's end, announced in Chinese."""
    state = check(ui, data)
    assert state["names"][:5] == [
        "(0, 0) 处的输出",
        "(0, 1) 处的输出",
        "(1, 0) 处的输出",
        "(1, 1) 处的输出",
        "均方误差",
    ]
    assert state["cells"]["right"][0] == "4 / 4"
    assert state["absent"][0] == "神经元 h₂: a 的权重 —"
    assert "h₁ 在 (1, 1) 处激活" in state["regions"]
    right, select, *widths = ui.evaluate(FITS)
    assert select <= right and min(widths) >= 140, (right, select, widths)
    press(page, ui.locator("select"), "End")  # the last network: sigmoid, failed
    state = check(ui, data)
    assert state["network"] == "sigmoid_merged" and not state["solved"]
    p = flat(data, "sigmoid_merged")[2]
    reach = max(4, math.ceil(max(abs(v) for v in p)))
    ranges = ui.locator(SLIDERS).evaluate_all("s => s.map((s) => [+s.min, +s.max])")
    assert ranges == [[-reach, reach]] * len(p)
    ui.locator("select").select_option("relu_affine_affine")  # both neurons on at (½, ½)
    settle(page)
    act, skip, p = flat(data, "relu_affine_affine")
    assert (pre_activations(act, skip, p, torch.tensor([[0.5, 0.5]]).double()) > 0).all()
    white = [255, 255, 255]
    assert near(colours(ui, 0, [(0.5, 0.5)])[0], mixed(white, "#7e57c2", 0.3))
    state = check(ui, data)  # its outputs are ½ up to float32's rounding: on neither side
    assert state["cells"]["right"][1] == 0
    ui.locator("select").select_option("layered")
    ui.locator(".tn-challenge button").click()
    for at, value in {0: 1, 1: -1, 3: -1, 4: 1}.items():
        ui.locator(SLIDERS).nth(at).fill(str(value))
    settle(page)
    zeros = dict.fromkeys(range(6), 0.0) | {6: 1.0, 7: 1.0, 8: 0.0}
    state = check(ui, data, zeros | {0: 1, 1: -1, 3: -1, 4: 1})
    assert state["met"] == [True] * 4
    done = ui.locator(".tn-done").inner_text()
    assert done.startswith("完成！") and "h₁ = ReLU(a − b)" in done
    page.wait_for_function(
        "t => document.querySelector('.tn-sr[aria-live=polite]').textContent.endsWith(t)",
        arg=done,
    )


@NO_BROWSER
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_widget_in_each_language(context, served_site, data, lang):
    """Each language's page, loaded once: by keyboard and pointer, then the challenge by
    keyboard (English, 1280 px); its labels, numbers and the challenge's end (Chinese, on
    a phone's 390 px)."""
    origin = served_site[0]
    phone = {"width": 390, "height": 800} if lang == "zh" else None
    page, ui = open_tab(context, origin, url(origin, lang), phone)
    if lang == "en":
        by_keyboard_and_pointer(page, ui, data)
        the_challenge_by_keyboard(page, ui, data)
    else:
        in_chinese(page, ui, data)
    assert page.errors == [] and page.foreign == []
    page.close()


@NO_BROWSER
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_widget_works_in_the_offline_copy(context, offline_site, data, lang):
    folder = offline_site if lang == "en" else offline_site / "zh"
    page, ui = open_tab(
        context,
        "file://",
        (folder / "xor.html").as_uri(),
        {"width": 1280, "height": 720},
        reduced_motion=True,
    )
    press(page, ui.locator("select"), "End")
    assert check(ui, data)["network"] == "sigmoid_merged"
    assert page.errors == [] and page.foreign == []
    page.close()
