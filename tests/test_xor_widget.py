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

import random

import pytest
import torch

from site_tools import experiments
from site_tools.chapters.xor import unit_kinds, weights
from site_tools.course import Chapter
from site_tools.pages import loads, page_weights
from snippets.xor import SkipNet, layered, make_data, make_model, one_relu

from helpers import html_path
from widget_helpers import (
    NO_BROWSER,
    drag_to_start,
    in_node,
    need_chromium,
    open_tab,
    press,
    settle,
    shared_context,
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


def test_the_readouts_are_the_chapters(data, cases, states):
    """Outputs as PyTorch's float32 network gives them; the loss is the mean squared error;
    "right" counts |y − label| < ½, 4 exactly when the chapter's outcome is solved; the
    dead neurons are the ReLUs whose hidden value is 0 on all four corners (the snippet's
    `outcome` test), and for the exported trained networks the chapter's unit_kinds "dead"."""
    x, target = make_data()
    kinds_seen = set()
    for (name, moved), found in zip(cases, states, strict=True):
        act, skip, p = flat(data, name)
        p = moved or p
        state = found["state"]
        model = torch_net(act, skip, p, torch.float32)
        with torch.no_grad():
            y = model(x)[:, 0]
            h = model.neurons[0](x).relu() if skip else model[1](model[0](x))
        assert state["outputs"] == pytest.approx(y.tolist(), rel=1e-5, abs=1e-6), name
        errors = torch.tensor(state["outputs"], dtype=torch.float64) - target[:, 0].double()
        assert state["loss"] == pytest.approx((errors**2).mean().item(), rel=1e-12)
        assert state["right"] == int((errors.abs() < 0.5).sum())
        assert (state["right"] == 4) == bool(((y - target[:, 0]).abs() < 0.5).all())
        dead = int((h == 0).all(dim=0).sum()) if act == "relu" else 0
        assert state["dead"] == dead, (name, moved)
        if act == "relu" and not skip and moved is None:
            assert state["dead"] == unit_kinds(model).count("dead"), name
        z = pre_activations(act, skip, p, x.double())
        assert state["on"] == [[c for c in range(4) if z[c, i] > 0] for i in range(z.shape[1])]
        kinds_seen.add((state["right"] == 4, state["dead"]))
    assert {(True, 0), (False, 0), (False, 1)} <= kinds_seen  # the cases cover each kind


def test_the_fold_lines_are_where_each_neuron_turns(data, cases, states):
    """Each fold line's ends lie on the square's edge and on the line wₐa + w_b b + b = 0;
    a neuron has none exactly when its line misses the square."""
    for (name, moved), found in zip(cases, states, strict=True):
        p = moved or flat(data, name)[2]
        for i, ends in enumerate(found["folds"]):
            wa, wb, c = p[3 * i : 3 * i + 3]
            corners = [wa * a + wb * b + c for a in (-0.5, 1.5) for b in (-0.5, 1.5)]
            crosses = min(corners) <= 0 <= max(corners) and (wa or wb)
            assert (ends is not None) == bool(crosses), (name, i, p)
            for a, b in ends or []:
                assert abs(wa * a + wb * b + c) <= 1e-9 * (1 + abs(c))
                assert min(abs(a + 0.5), abs(a - 1.5), abs(b + 0.5), abs(b - 1.5)) <= 1e-12
        assert found["range"] >= max(4, *(abs(v) for v in p))


def challenge(outputs: list[float], name: str = "layered", from_zero: bool = True) -> dict:
    body = (
        "console.log(JSON.stringify(model.challenge(input.name, input.from_zero, input.outputs)))"
    )
    return in_node(CHAPTER, body, {"outputs": outputs, "name": name, "from_zero": from_zero})


def test_the_challenge_is_met_by_rebuilding_the_layered_network():
    """Met for the layered network, started from zero, every output within 0.1 of its label;
    not for another network, nor without the zero start, nor 0.11 away."""
    assert challenge([0.1, 0.9, 0.95, 0.0])["met"]
    assert not challenge([0.1, 0.9, 0.95, 0.0], name="one_relu")["met"]
    assert not challenge([0.1, 0.9, 0.95, 0.0], from_zero=False)["met"]
    result = challenge([0.0, 0.89, 1.0, 0.0])
    assert not result["met"] and result["network"] and result["start"] and not result["close"]


@pytest.fixture(scope="module")
def page_sizes(served_site):
    return page_weights(served_site[1])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_carries_its_widget_and_stays_light(served_site, page_sizes, lang):
    """The page loads the widget's script and the shared runtime and styles, embeds the
    eight networks' weights, and weighs at most 300 KB with them."""
    html = html_path(served_site[1], lang, CHAPTER.page)
    assert {"xor.js", "widgets.js", "widgets.css"} <= {p.name for p in loads(html)}
    text = html.read_text("utf-8")
    assert 'data-widget="xor"' in text and '"neurons.0.bias":[-1.0]' in text
    assert page_sizes[html] <= 300_000


@pytest.fixture(scope="module")
def context(request):
    need_chromium()
    browser = request.getfixturevalue("browser")  # the session's (tests/conftest.py)
    context = shared_context(browser)
    yield context
    context.close()


STATE = """ui => ({
  cells: Object.fromEntries([...ui.querySelectorAll("dd[data-readout]")].map((d) =>
    [d.dataset.readout, [d.textContent, +d.dataset.value]])),
  names: [...ui.querySelectorAll("dt")].map((d) => d.textContent),
  solved: !ui.querySelector(".tn-badge").parentNode.hidden,
  met: [...ui.querySelectorAll(".tn-checks li")].map((li) => li.classList.contains("tn-met")),
  done: !ui.querySelector(".tn-done").hidden,
  network: ui.querySelector("select").value,
  sliders: [...ui.querySelectorAll(".tn-sliders input")].map((s) => +s.value),
  shown: [...ui.querySelectorAll(".tn-sliders .tn-value")].map((v) => v.textContent),
  legends: [...ui.querySelectorAll("legend")].map((l) => l.textContent),
  regions: ui.querySelectorAll("canvas")[0].getAttribute("aria-label"),
  output: ui.querySelectorAll("canvas")[1].getAttribute("aria-label"),
})"""


def check(ui, data, moved: dict[int, float] | None = None) -> dict:
    """What the widget shows against Python: the network picked, with the sliders the test
    moved (index: value) at their slider values and every other weight as exported."""
    state = ui.evaluate(STATE)
    act, skip, p = flat(data, state["network"])
    p = list(p)
    for at, value in (moved or {}).items():
        assert state["sliders"][at] == pytest.approx(value)
        p[at] = value
    x, target = make_data()
    model = torch_net(act, skip, p)
    with torch.no_grad():
        y = model(x.double())[:, 0].tolist()
    cells = state["cells"]
    for c in range(4):
        text, value = cells[f"y{c}"]
        assert value == pytest.approx(y[c], rel=1e-12, abs=1e-12)
        assert text == significant(value, 3).replace("-", "−")
    loss = sum((v - t) ** 2 for v, t in zip(y, LABELS, strict=True)) / 4
    assert cells["loss"][1] == pytest.approx(loss, rel=1e-12, abs=1e-15)
    right = sum(abs(v - t) < 0.5 for v, t in zip(y, LABELS, strict=True))
    assert cells["right"][1] == right and state["solved"] == (right == 4)
    assert state["shown"] == [significant(v, 3).replace("-", "−") for v in p]
    return state


def url(origin: str, lang: str) -> str:
    return f"{origin}{'' if lang == 'en' else '/zh'}/xor/"


def by_keyboard_and_pointer(page, ui, data) -> None:
    """The first network, exact; a network picked by key; a weight moved by keys and
    another dragged; the dead neuron brought back; the reset button."""
    state = check(ui, data)
    assert state["network"] == "one_relu" and state["solved"]
    assert state["cells"]["loss"] == ["0", 0] and state["cells"]["dead"][1] == 0
    assert state["legends"] == ["Neuron h₁", "Read-out"]
    assert "h₁ on at (1, 1)" in state["regions"]
    press(page, ui.locator("select"), "ArrowDown")  # the layered network
    state = check(ui, data)
    assert state["network"] == "layered" and len(state["sliders"]) == 9
    bias = ui.locator(".tn-sliders input").nth(2)  # h1's bias from 0 to 0.6
    press(page, bias, "ArrowRight", 6)
    state = check(ui, data, {2: 0.6})  # outputs 0.6, 1, 1.6, 0.6
    assert state["cells"]["right"] == ["1 of 4", 1] and not state["solved"]
    assert bias.get_attribute("aria-valuetext") == "0.6"
    ui.locator("select").select_option("relu_folding_dead")
    settle(page)
    state = check(ui, data)
    assert state["cells"]["dead"][1] == 1 and not state["solved"]
    dead = unit_kinds(torch_net(*flat(data, "relu_folding_dead"), torch.float32)).index("dead")
    assert f"h{'₁₂'[dead]} on at no corner" in state["regions"]
    bias = ui.locator(".tn-sliders input").nth(3 * dead + 2)
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
    assert ui.evaluate(STATE)["met"] == [True, False, True]
    zero = ui.locator(".tn-challenge button")
    zero.focus()
    page.keyboard.press("Enter")
    settle(page)
    zeros = dict.fromkeys(range(6), 0.0)
    state = check(ui, data, zeros)
    assert state["met"] == [True, True, False] and state["cells"]["dead"][1] == 2
    sliders = ui.locator(".tn-sliders input")
    for at, value in {0: 1, 1: -1, 3: -1, 4: 0.8}.items():  # h₂ = ReLU(0.8 b − a): 0.8 at (0, 1)
        sliders.nth(at).fill(str(value))
    settle(page)
    target = zeros | {0: 1.0, 1: -1.0, 3: -1.0, 4: 0.8}
    state = check(ui, data, target)
    assert state["met"] == [True, True, False] and not state["done"]
    press(page, sliders.nth(4), "ArrowRight")  # 0.9: within 0.1
    state = check(ui, data, target | {4: 0.9})
    assert state["met"] == [True, True, True] and state["done"] and state["solved"]
    page.wait_for_function(
        "t => document.querySelector('.tn-sr[aria-live=polite]').textContent.endsWith(t)",
        arg=ui.locator(".tn-done").inner_text(),
    )
    ui.locator("select").select_option("one_relu")  # another network: not met
    settle(page)
    assert ui.evaluate(STATE)["met"] == [False, False, True]


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
    assert state["legends"] == ["神经元 h₁", "读出层"]
    assert "h₁ 在 (1, 1) 处激活" in state["regions"]
    press(page, ui.locator("select"), "End")  # the last network: sigmoid, failed
    state = check(ui, data)
    assert state["network"] == "sigmoid_merged" and not state["solved"]
    ui.locator("select").select_option("layered")
    ui.locator(".tn-challenge button").click()
    for at, value in {0: 1, 1: -1, 3: -1, 4: 1}.items():
        ui.locator(".tn-sliders input").nth(at).fill(str(value))
    settle(page)
    state = check(ui, data, dict.fromkeys(range(6), 0.0) | {0: 1, 1: -1, 3: -1, 4: 1})
    assert state["met"] == [True, True, True]
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
    keyboard (English); its labels, numbers and the challenge's end (Chinese)."""
    origin = served_site[0]
    page, ui = open_tab(context, origin, url(origin, lang))
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
