"""Chapter 1's widget (site_tools/chapters/less_than.js): its forward pass and its losses are
the network's as PyTorch computes them, its data is the build's, its challenge teaches what
the chapter says, and the page works in Chromium by keyboard and by pointer, in both
languages, from the site and from the offline copy.

The model is run in Node on the data the build exports; the browser tests read the numbers
behind every readout (data-value) and their text, and compare both with Python's."""

from __future__ import annotations

import itertools
import math
import struct

import mpmath
import pytest
import torch
import torch.nn.functional as F

from site_tools import experiments
from site_tools.course import Chapter
from site_tools.pages import loads, page_weights
from snippets.less_than import hardwired, make_data

from helpers import DOCS, html_path
from widget_helpers import (
    NO_BROWSER,
    in_node,
    need_chromium,
    number,
    open_widget,
    readouts,
    significant,
    watch,
)

CHAPTER = Chapter("less_than")
LOWEST, HIGHEST = -100, 300  # the scale slider's positions: M from 0.1 to 1000


def f32(value: float) -> float:
    return struct.unpack("f", struct.pack("f", value))[0]


def scale_at(position: int) -> float:
    """The scale M of a position of the widget's logarithmic slider."""
    return float(f"{10 ** (position / 100):.3g}")


def hand(threshold: float, scale: float) -> tuple[float, float, float]:
    """The hand-wired neuron (a, b, c) of the widget's sliders."""
    return (-scale, scale * threshold, 0.0)


def step_of(run: dict, index: int) -> tuple[float, float, float]:
    """A recorded step of a run: its float32 weights, and the run's centre."""
    return (f32(run["a"][index]), f32(run["b"][index]), run["centre"])


@pytest.fixture(scope="module")
def result():
    return experiments.result(CHAPTER.name)


@pytest.fixture(scope="module")
def data(result):
    return result.data


def every_net(data) -> list[tuple[float, float, float]]:
    """Every recorded step of every run, and hand-wired neurons across the sliders."""
    nets = [step_of(run, i) for run in data["runs"] for i in range(len(run["step"]))]
    for threshold in (-20.0, 0.0, 9.0, 9.5, 9.9, 10.0, 27.3, 39.0):
        nets += [hand(threshold, scale_at(p)) for p in (LOWEST, -37, 0, 30, 148, 230, HIGHEST)]
    return nets


def linear(net, dtype: torch.dtype):
    """nn.Linear(1, 1)'s forward, with weight a and bias b: x -> the logits of x - c."""
    a, b, c = net
    weight, bias = torch.tensor([[a]], dtype=dtype), torch.tensor([b], dtype=dtype)
    return lambda x: F.linear(x.to(dtype) - c, weight, bias)


def torch_outputs(net, xs: list[float], dtype: torch.dtype) -> list[float]:
    """nn.Sequential(nn.Linear(1, 1), nn.Sigmoid()) with weight a and bias b, on x - c."""
    inputs = torch.tensor(xs, dtype=dtype).reshape(-1, 1)
    return torch.sigmoid(linear(net, dtype)(inputs)).flatten().tolist()


X, Y = make_data()


def torch_loss32(net) -> float:
    """The loss as the chapter's training computes it, in float32."""
    return F.binary_cross_entropy_with_logits(linear(net, torch.float32)(X), Y).item()


def exact_loss(net) -> float:
    """The mean logistic loss of the neuron, to 30 digits (mpmath)."""
    a, b, c = net
    x, y = make_data()
    with mpmath.workdps(30):
        total = mpmath.mpf(0)
        for xi, yi in zip(x.flatten().tolist(), y.flatten().tolist(), strict=True):
            z = mpmath.mpf(a) * (mpmath.mpf(xi) - c) + b
            total += mpmath.log1p(mpmath.exp(-z if yi == 1 else z))
        return float(total / len(x))


def expected(net) -> dict[str, float]:
    """What each readout must show for the neuron, computed here."""
    a, b, c = net
    x, y = make_data()
    z = a * (x.double().flatten() - c) + b
    right = int(((z > 0) == (y.flatten() == 1)).sum())
    loss32 = torch_loss32(net)
    return {
        "a": a,
        "b": b,
        "threshold": c - b / a,
        "accuracy": right,
        "loss": exact_loss(net),
        "loss32": loss32,
    }


# --- the model, in Node ------------------------------------------------------------------


def test_the_forward_pass_is_the_networks(data):
    """On every exported step and hand-wired neurons, at the data's inputs and wherever the
    widget draws its curve: PyTorch in float64 within 1e-9, in float32 within 1e-6."""
    nets = every_net(data)
    answer = in_node(
        CHAPTER,
        """
        const out = input.nets.map(([a, b, c]) => {
          const net = { a, b, c };
          const xs = input.x.concat(model.samples(net, input.from, input.to));
          const xs32 = xs.map(Math.fround);
          return { xs, y: model.forward(net, xs), xs32, y32: model.forward32(net, xs32) };
        });
        console.log(JSON.stringify(out));
        """,
        {"nets": nets, "x": data["points"]["x"], "from": -21, "to": 40},
    )
    for net in nets[::25]:  # torch_outputs is the network's forward pass, to the bit
        for dtype in (torch.float64, torch.float32):
            network = torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.Sigmoid()).to(dtype)
            with torch.no_grad():
                network[0].weight.fill_(net[0])
                network[0].bias.fill_(net[1])
                wanted = network(torch.tensor(answer[0]["xs"], dtype=dtype)[:, None] - net[2])
            assert wanted.flatten().tolist() == torch_outputs(net, answer[0]["xs"], dtype)
    points = 0
    for net, got in zip(nets, answer, strict=True):
        for dtype, xs, ys, tolerance in [
            (torch.float64, got["xs"], got["y"], 1e-9),
            (torch.float32, got["xs32"], got["y32"], 1e-6),
        ]:
            for mine, theirs in zip(ys, torch_outputs(net, xs, dtype), strict=True):
                assert abs(mine - theirs) <= tolerance * max(1, abs(theirs)), (net, dtype)
        points += len(got["xs"])
    assert points > 50 * len(nets)


def test_the_float32_loss_is_pytorchs_to_the_last_bit(data):
    """PyTorch's float32 loss, op by op (Sleef's exp and log1p, its 8-lane sum): the same
    bits as the loss the chapter's training computed, at every step the widget replays, and
    for hand-wired neurons."""
    nets = every_net(data)
    answer = in_node(
        CHAPTER,
        "console.log(JSON.stringify(input.nets.map(([a, b, c]) =>"
        " model.loss32({ a, b, c }, input.x, input.y))));",
        {"nets": nets, **{k: data["points"][k] for k in ("x", "y")}},
    )
    assert answer == [torch_loss32(net) for net in nets]
    # the bits of the two functions PyTorch's log_sigmoid calls, on a wide range of floats
    z = torch.linspace(-110, 110, 20_011)
    answer = in_node(
        CHAPTER,
        "console.log(JSON.stringify(input.map(model.logsigmoid32)));",
        z.tolist(),
    )
    assert answer == F.logsigmoid(z).tolist()


def test_the_float32_loss_reaches_zero_where_the_experiment_says(data, result):
    """At threshold 9.5, the widget's float32 loss is 0 from the build's zero-loss scale on
    and not below it, and its label-0 terms are 0 from the build's label-0 scale on: each
    of its 60 terms is PyTorch's, at every scale from 1 to 1000."""
    zero_loss, label0_zero = result.value("zero_loss_scale"), result.value("label0_zero_scale")
    assert data["float32"] == {"zero_loss_scale": zero_loss, "label0_zero_scale": label0_zero}
    answer = in_node(
        CHAPTER,
        """
        const out = [];
        for (let m = 1; m <= 1000; m++) {
          const net = model.neuron(9.5, m);
          out.push([model.terms32(net, input.x, input.y), model.loss32(net, input.x, input.y)]);
        }
        console.log(JSON.stringify(out));
        """,
        {k: data["points"][k] for k in ("x", "y")},
    )
    # PyTorch's terms for all scales at once: nn.Linear's float32 product, then its sum
    x, y = make_data()
    scales = torch.arange(1, 1001, dtype=torch.float32)[:, None]
    logits = x.flatten() * -scales + 9.5 * scales
    assert torch.equal(logits[199], hardwired(200, threshold=9.5)[0](x).detach().flatten())
    theirs = F.binary_cross_entropy_with_logits(
        logits, y.flatten().expand_as(logits), reduction="none"
    )
    mine = torch.tensor([terms for terms, _ in answer], dtype=torch.float64)
    assert torch.equal(mine, theirs.double())
    losses = [loss for _, loss in answer]
    assert losses == [row.mean().item() for row in theirs]
    label0 = y.flatten() == 0
    for scale, loss in enumerate(losses, start=1):
        assert (loss == 0) == (scale >= zero_loss), scale
        assert bool((mine[scale - 1, label0] == 0).all()) == (scale >= label0_zero), scale


def test_the_loss_readout_is_the_loss(data):
    """The readout L: the exact loss (mpmath, 30 digits) to 1e-12, also where float32 and
    even PyTorch's float64 formula lose it to cancellation."""
    nets = every_net(data)[::2]
    answer = in_node(
        CHAPTER,
        "console.log(JSON.stringify(input.nets.map(([a, b, c]) =>"
        " [model.loss({ a, b, c }, input.x, input.y), model.right({ a, b, c }, input.x, input.y)]"
        ")));",
        {"nets": nets, **{k: data["points"][k] for k in ("x", "y")}},
    )
    for net, (loss, right) in zip(nets, answer, strict=True):
        wanted = expected(net)
        assert loss == pytest.approx(wanted["loss"], rel=1e-12, abs=0), net
        assert right == wanted["accuracy"], net
    # at M = 1000 the loss is still positive, and twice what PyTorch's float64 formula gives
    big = hand(9.5, 1000)
    assert exact_loss(big) > 0
    x, y = make_data()
    logits = hardwired(1000, threshold=9.5)[0](x).double()
    pytorch64 = F.binary_cross_entropy_with_logits(logits, y.double()).item()
    assert exact_loss(big) == pytest.approx(2 * pytorch64, rel=1e-6)


def test_the_scale_slider_is_logarithmic_and_reaches_the_float32_scales(data):
    positions = list(range(LOWEST, HIGHEST + 1))
    answer = in_node(
        CHAPTER,
        "console.log(JSON.stringify(input.map((p) => [model.scaleAt(p),"
        " model.positionOf(model.scaleAt(p))])));",
        positions,
    )
    assert [scale for scale, _ in answer] == [scale_at(p) for p in positions]
    assert [back for _, back in answer] == positions  # the replay finds its position again
    assert scale_at(LOWEST) == 0.1 and scale_at(0) == 1 and scale_at(HIGHEST) == 1000
    zero = data["float32"]["zero_loss_scale"]
    at = round(100 * math.log10(zero))
    assert scale_at(at) == zero and scale_at(at - 1) < zero  # the reader finds the step


def test_the_challenge_is_met_only_at_the_chapters_threshold(data):
    """Of every position of the two sliders, only one meets the challenge: the largest
    scale it allows and the maximum-margin threshold; the starting position does not."""
    challenge = data["challenge"]
    low, high = min(data["points"]["x"]), max(data["points"]["x"])
    met = in_node(
        CHAPTER,
        """
        const met = [];
        for (let k = 0; k <= input.steps; k++) {
          const threshold = Number((input.low + k / 10).toFixed(1));
          for (let p = input.lowest; p <= input.highest; p++) {
            const net = model.neuron(threshold, model.scaleAt(p));
            if (model.challenge(net, input.data).met) met.push([threshold, p]);
          }
        }
        const start = model.challenge(model.neuron(10, 1), input.data);
        console.log(JSON.stringify({ met, start }));
        """,
        {
            "data": data,
            "low": low,
            "steps": round(10 * (high - low)),
            "lowest": LOWEST,
            "highest": HIGHEST,
        },
    )
    cap = challenge["max_scale"]
    assert met["met"] == [[challenge["threshold"], round(100 * math.log10(cap))]]
    assert met["start"] == {"right": True, "scale": True, "loss": False, "met": False}
    # the widget's verdict, from here: every point right, |a| <= cap, L below the bound
    best = expected(hand(challenge["threshold"], cap))
    assert best["accuracy"] == 60 and best["loss"] < challenge["loss_below"]
    for near in (hand(9.4, cap), hand(9.6, cap), hand(9.5, scale_at(29)), hand(9.5, 2.04)):
        wanted = expected(near)
        assert wanted["loss"] >= challenge["loss_below"] or -near[0] > cap
    # what the message says: with |a| <= cap, L is lowest at that threshold, with |a| = cap.
    # At every scale the best threshold is the same (thresholds in steps of 0.001) ...
    x, y = make_data()
    thresholds = torch.linspace(-20, 39, 59_001, dtype=torch.float64)
    for scale in (0.1, 0.5, 1.0, 1.5, cap):
        z = scale * (thresholds[:, None] - x.double().flatten())
        signed = torch.where(y.flatten() == 1, -z, z)
        losses = (signed.clamp(min=0) + torch.log1p(torch.exp(-signed.abs()))).mean(dim=1)
        best_at = thresholds[losses.argmin()].item()
        assert best_at == pytest.approx(challenge["threshold"], abs=1e-9), scale
    # ... and there, a larger M gives a lower L
    scales = [exact_loss(hand(challenge["threshold"], m / 100)) for m in range(10, 201, 10)]
    assert scales == sorted(scales, reverse=True)
    assert challenge["lowest_loss"] == pytest.approx(best["loss"], rel=1e-12)


def test_the_replayed_runs_are_the_chapters(data, result):
    """The runs the widget replays: the chapter's settings, the steps the page quotes, and
    at each the neuron the page describes."""
    adam, sgd, centred = data["runs"]
    assert (adam["optimizer"], adam["lr"], adam["step"][-1]) == ("adam", 0.1, 5000)
    assert (sgd["optimizer"], sgd["lr"], sgd["step"][-1]) == ("sgd", 0.01, 25000)
    assert (centred["optimizer"], centred["centre"], centred["step"][-1]) == ("sgd", 9.5, 2000)
    for run, first in [
        (adam, result.value("adam_first_separated")),
        (sgd, result.value("sgd_first_separated")),
        (centred, result.value("centred_first_separated")),
    ]:
        at = run["step"].index(first)
        assert run["step"][at - 1] == first - 1
        assert expected(step_of(run, at))["accuracy"] == 60
        assert expected(step_of(run, at - 1))["accuracy"] < 60
        steps = run["step"]
        assert steps == sorted(set(steps)) and steps[0] == 0 and len(steps) >= 50
        for value in run["a"] + run["b"]:  # each weight as PyTorch stored it, in float32
            assert f32(value) == pytest.approx(value, rel=1e-7)
    for t in (100, 1000, 5000):
        a = step_of(adam, adam["step"].index(t))[0]
        assert f"{abs(a):.2f}" == result.text(f"adam_a_at_{t}")
    end = step_of(sgd, sgd["step"].index(20000))
    assert f"{expected(end)['threshold']:.3f}" == result.text("sgd_threshold")
    x, y = make_data()
    assert data["points"]["x"] == x.flatten().int().tolist()
    assert data["points"]["y"] == y.flatten().int().tolist()
    assert data["points"]["band"] == [9, 10]


# --- the page ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_weighs_its_widget_and_stays_light(served_site, lang):
    """The page's weight counts the widget's script (no other page loads it) and its
    embedded data, and stays within 300 KB; the shared runtime and styles are loaded by
    every page, as the theme's files are."""
    _, site = served_site
    html = html_path(site, lang, CHAPTER.page)
    weight = page_weights(site)[html]
    own = {path.name for path in loads(html)}
    assert {"less-than.js", "widgets.js", "widgets.css"} <= own
    assets = (site if lang == "en" else site / lang) / "assets"
    home = (site if lang == "en" else site / lang) / "index.html"
    assert {"widgets.js", "widgets.css"} <= {path.name for path in loads(home)}
    assert "less-than.js" not in {path.name for path in loads(home)}
    assert weight >= len(html.read_bytes()) + (assets / "widgets/less-than.js").stat().st_size
    assert 'class="tn-widget-data"' in html.read_text("utf-8")
    assert weight <= 300_000


# --- the page, in Chromium ---------------------------------------------------------------

ACCURACY = {"en": "{pct} ({right}/{n})", "zh": "{pct}（{right}/{n}）"}


@pytest.fixture
def page(request, served_site):
    need_chromium()
    browser = request.getfixturevalue("browser")  # the session's (tests/conftest.py)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    watch(tab, served_site[0])
    yield tab
    context.close()


def check_readouts(ui, net, lang: str) -> None:
    """The widget shows the numbers computed here for the neuron, written for `lang`."""
    shown = readouts(ui)
    wanted = expected(net)
    for key in ("a", "b", "threshold", "accuracy", "loss32"):
        assert shown[key][1] == wanted[key], (key, shown[key], wanted[key])
    assert shown["loss"][1] == pytest.approx(wanted["loss"], rel=1e-12)
    pct = f"{round(100 * wanted['accuracy'] / 60)}%"
    texts = {
        "a": significant(wanted["a"], 4),
        "b": significant(wanted["b"], 4),
        "threshold": number(wanted["threshold"], 2),
        "accuracy": ACCURACY[lang].format(pct=pct, right=wanted["accuracy"], n=60),
        "loss": significant(wanted["loss"], 3),
        "loss32": significant(wanted["loss32"], 3),
    }
    assert {key: text for key, (text, _) in shown.items()} == texts


def press(page, locator, key: str, times: int = 1) -> None:
    locator.focus()
    for _ in range(times):
        page.keyboard.press(key)


def move_scale(page, slider, to: int) -> None:
    """The scale slider to a position, by keyboard: Page Up and Page Down move a range
    input by a tenth of its range, the arrows by one step."""
    at, big = int(slider.input_value()), (HIGHEST - LOWEST) // 10
    pages = round((to - at) / big)
    press(page, slider, "PageUp" if pages > 0 else "PageDown", abs(pages))
    rest = to - int(slider.input_value())
    press(page, slider, "ArrowRight" if rest > 0 else "ArrowLeft", abs(rest))
    assert int(slider.input_value()) == to


def hand_net(ui) -> tuple[float, float, float]:
    threshold, scale = ui.locator("input[type=range]").all()[:2]
    return hand(float(threshold.input_value()), scale_at(int(scale.input_value())))


@NO_BROWSER
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_widget_by_keyboard(page, served_site, data, lang):
    origin, _ = served_site
    ui = open_widget(page, f"{origin}{'' if lang == 'en' else '/zh'}/less-than/")
    threshold, scale, step = ui.locator("input[type=range]").all()
    check_readouts(ui, hand(10, 1), lang)  # it starts as the riddle's σ(10 − x)
    # the challenge: the threshold to 9.5, the scale to 2
    press(page, threshold, "ArrowLeft", 5)
    check_readouts(ui, hand(9.5, 1), lang)
    assert ui.locator(".tn-done").is_hidden()
    move_scale(page, scale, round(100 * math.log10(data["challenge"]["max_scale"])))
    check_readouts(ui, hand(9.5, 2), lang)
    assert ui.locator(".tn-done").is_visible()
    done = ui.locator(".tn-done").inner_text()
    page.wait_for_function(  # announced, once the keys rest
        "done => document.querySelector('.tn-sr[aria-live=polite]').textContent.endsWith(done)",
        arg=done,
    )
    # the float32 loss: 0 from the zero-loss scale on, not below it
    zero = data["float32"]["zero_loss_scale"]
    move_scale(page, scale, round(100 * math.log10(zero)))
    assert hand_net(ui) == hand(9.5, zero)
    check_readouts(ui, hand(9.5, zero), lang)
    assert readouts(ui)["loss32"] == ("0", 0.0) and readouts(ui)["loss"][1] > 0
    press(page, scale, "ArrowLeft")
    check_readouts(ui, hand_net(ui), lang)
    assert readouts(ui)["loss32"][1] > 0
    # the replay: the next run, its last step and its first
    press(page, ui.locator("select"), "ArrowDown")
    sgd = data["runs"][1]
    check_readouts(ui, step_of(sgd, 0), lang)
    press(page, step, "End")
    check_readouts(ui, step_of(sgd, len(sgd["step"]) - 1), lang)
    assert ui.locator(".tn-value").nth(2).inner_text() == f"{sgd['step'][-1]:,}"
    press(page, step, "Home")
    check_readouts(ui, step_of(sgd, 0), lang)
    button = ui.locator("button")
    press(page, button, "Enter")  # play ...
    page.wait_for_function("s => +s.value > 3", arg=step.element_handle())
    press(page, button, "Enter")  # ... and pause
    index = int(step.input_value())
    assert 3 < index < len(sgd["step"]) - 1
    page.wait_for_timeout(200)
    assert int(step.input_value()) == index
    check_readouts(ui, step_of(sgd, index), lang)
    assert page.errors == [] and page.foreign == []


def drag(page, slider, fraction_from: float, fraction_to: float) -> None:
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + fraction_from * box["width"], y)
    page.mouse.down()
    page.mouse.move(box["x"] + fraction_to * box["width"], y, steps=4)
    page.mouse.up()


@NO_BROWSER
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_widget_by_pointer(page, served_site, data, lang):
    origin, _ = served_site
    ui = open_widget(page, f"{origin}{'' if lang == 'en' else '/zh'}/less-than/")
    threshold, scale, step = ui.locator("input[type=range]").all()
    drag(page, threshold, 0.5, 0.62)  # from the thumb at 10, to the right
    assert float(threshold.input_value()) > 15
    check_readouts(ui, hand_net(ui), lang)
    assert readouts(ui)["accuracy"][1] < 60
    drag(page, scale, 0.25, 0.8)
    assert int(scale.input_value()) > 150
    check_readouts(ui, hand_net(ui), lang)
    adam = data["runs"][0]
    drag(page, step, 0.01, 0.4)  # the scrubber: Adam's run
    index = int(step.input_value())
    assert 0 < index < len(adam["step"]) - 1
    check_readouts(ui, step_of(adam, index), lang)
    assert float(threshold.input_value()) == round(expected(step_of(adam, index))["threshold"], 1)
    ui.locator("button").click()  # play, then pause
    page.wait_for_function(f"s => +s.value > {index + 2}", arg=step.element_handle())
    ui.locator("button").click()
    check_readouts(ui, step_of(adam, int(step.input_value())), lang)
    drag(page, threshold, 0.3, 0.2)  # a slider again: back to the hand-wired neuron
    check_readouts(ui, hand_net(ui), lang)
    assert page.errors == [] and page.foreign == []


@NO_BROWSER
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_widget_works_in_the_offline_copy(browser, offline_site, data, lang):
    """From file://, for a reader who asks for reduced motion: the replay jumps to the end."""
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    watch(page, "file://")
    folder = offline_site if lang == "en" else offline_site / "zh"
    ui = open_widget(page, (folder / "less-than.html").as_uri())
    threshold = ui.locator("input[type=range]").first
    press(page, threshold, "ArrowLeft", 5)
    check_readouts(ui, hand(9.5, 1), lang)
    button = ui.locator("button")
    assert button.inner_text() == {"en": "Show the last step", "zh": "显示最后一步"}[lang]
    button.click()
    adam = data["runs"][0]
    assert ui.locator("input[type=range]").nth(2).input_value() == str(len(adam["step"]) - 1)
    check_readouts(ui, step_of(adam, len(adam["step"]) - 1), lang)
    assert page.errors == [] and page.foreign == []
    context.close()


def test_exercise_1_2_can_be_checked_with_the_sliders(data):
    """Exercise 1.2 sends the reader to the sliders: at threshold 10 the loss readout never goes
    below ln 2 / 60 (the point 10 stays at 1/2) and shows 0.0116 at the largest scale; at 9.5
    it keeps falling as the scale grows."""
    positions = list(range(0, HIGHEST + 1, 10))
    answer = in_node(
        CHAPTER,
        "console.log(JSON.stringify([10, 9.5].map((t) => input.positions.map((p) =>"
        " model.loss(model.neuron(t, model.scaleAt(p)), input.x, input.y)))));",
        {"positions": positions, **{k: data["points"][k] for k in ("x", "y")}},
    )
    at_ten, at_nine_and_a_half = answer
    floor = math.log(2) / 60
    assert all(loss >= floor * (1 - 1e-12) for loss in at_ten)
    assert at_ten[-1] == pytest.approx(floor, rel=1e-12)
    assert significant(at_ten[-1], 3) == "0.0116" == significant(floor, 3)
    assert all(b < a for a, b in itertools.pairwise(at_nine_and_a_half))
    assert at_nine_and_a_half[-1] < 1e-100
    for lang in ("en", "zh"):
        page = (DOCS[lang] / "less-than.md").read_text("utf-8")
        assert "0.0116" in page and "ln 2 / 60" in page
