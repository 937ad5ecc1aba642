"""Chapter 5's widget (site_tools/chapters/superposition.js): it carries the trained instances
of the chapter's series (seed 0 at each sparsity), as the experiment exports them; its forward
pass is the chapter's ToyModel on them; its arrows, W^T W, kept features and squared error
are what PyTorch gives; it draws inputs as the chapter's sparse_features does; its challenge
is met only at the lowest sparsity that keeps all five features, with one feature alone at
the highest value that leaves every other read-out at 0; and the page works in Chromium by
keyboard and by pointer, in both colour schemes and both languages, on a phone, from the site
and from the offline copy.

The model runs in Node on the data the build exports; the browser tests read the number
behind every cell (data-value) and its text, and compare both with Python's."""

from __future__ import annotations

import pytest
import torch

from site_tools import experiments
from site_tools.chapters.superposition import KEPT, SERIES
from site_tools.course import Chapter
from site_tools.pages import loads, page_weights
from site_tools.widgets import data_json
from snippets.superposition import ToyModel, sparse_features

from helpers import html_path
from widget_helpers import (
    NO_BROWSER,
    drag_to_start,
    in_node,
    need_chromium,
    number,
    open_tab,
    press,
    settle,
    shared_context,
    significant,
)

CHAPTER = Chapter("superposition")
STEPS = 20  # a feature alone takes the values k / 20


@pytest.fixture(scope="module")
def result():
    return experiments.result(CHAPTER.name)


@pytest.fixture(scope="module")
def data(result):
    return result.data["widget"]


def toy(inst: dict) -> ToyModel:
    """The chapter's model with an instance's weights, in float64."""
    model = ToyModel(len(inst["b"]), len(inst["W"])).double()
    with torch.no_grad():
        model.W.copy_(torch.tensor(inst["W"], dtype=torch.float64))
        model.b.copy_(torch.tensor(inst["b"], dtype=torch.float64))
    return model


def run(model: ToyModel, x: list[list[float]]) -> tuple[torch.Tensor, ...]:
    """h = W x, z = W^T h + b (before the ReLU) and x' for each input, as the model has them."""
    x = torch.tensor(x, dtype=torch.float64)
    with torch.no_grad():
        h = x @ model.W.T
        return h, h @ model.W + model.b, model(x)


def alone(n: int, i: int, k: int) -> list[float]:
    return [k / STEPS if j == i else 0.0 for j in range(n)]


def quiet(inst: dict, i: int, k: int) -> bool:
    """Feature i alone at k / 20 leaves every other read-out at 0 (in PyTorch)."""
    out = run(toy(inst), [alone(len(inst["b"]), i, k)])[2][0]
    return all(out[j] == 0 for j in range(len(out)) if j != i)


def kept(inst: dict) -> int:
    """Arrows longer than 1/2, the static figure's blue ones."""
    return int((torch.tensor(inst["W"]).norm(dim=0) > KEPT).sum())


def test_the_data_is_the_series(data, result):
    """Seed 0 at every sparsity of the series, five features in two dimensions; the features
    each keeps are the chapter's series_kept."""
    assert data["features"] == 5
    assert [inst["sparsity"] for inst in data["instances"]] == SERIES
    for inst in data["instances"]:
        assert len(inst["W"]) == 2 and all(len(row) == 5 for row in inst["W"])
        assert len(inst["b"]) == 5
    assert [kept(inst) for inst in data["instances"]] == result.value("series_kept")


def test_the_model_is_the_chapters(data):
    """On every instance, for inputs drawn at its sparsity (by the widget's generator), dense
    ones and each feature alone at 0, 0.35 and 1: h, each read-out before its ReLU and x', as
    ToyModel computes them in float64; the squared error; the arrows' lengths, W^T W, and the
    features kept (longer than 1/2)."""
    body = """
    const next = model.random(3);
    const out = input.instances.map((inst) => {
      const xs = [...Array(12)].map(() => model.sample(next, inst.sparsity, 5));
      xs.push(...[...Array(4)].map(() => model.sample(next, 0, 5)));
      for (let i = 0; i < 5; i++) for (const k of [0, 7, 20]) xs.push(model.alone(5, i, k));
      const runs = xs.map((x) => ({ ...model.forward(inst, x), x }));
      runs.forEach((r) => (r.error = model.error(r.x, r.out)));
      return { runs, norms: model.norms(inst), gram: model.gram(inst), kept: model.kept(inst) };
    });
    console.log(JSON.stringify(out));
    """
    found = in_node(CHAPTER, body, {"instances": data["instances"]})
    for inst, got in zip(data["instances"], found, strict=True):
        model = toy(inst)
        xs = [r["x"] for r in got["runs"]]
        h, z, out = run(model, xs)
        close = {"rel": 1e-12, "abs": 1e-12}
        assert [r["h"] for r in got["runs"]] == [pytest.approx(row, **close) for row in h.tolist()]
        assert [r["z"] for r in got["runs"]] == [pytest.approx(row, **close) for row in z.tolist()]
        assert [r["out"] for r in got["runs"]] == [
            pytest.approx(row, **close) for row in out.tolist()
        ]
        errors = ((out - torch.tensor(xs, dtype=torch.float64)) ** 2).sum(dim=1)
        assert [r["error"] for r in got["runs"]] == pytest.approx(errors.tolist(), rel=1e-12)
        W = model.W.detach()
        assert got["norms"] == pytest.approx(W.norm(dim=0).tolist(), rel=1e-12)
        assert got["gram"] == [pytest.approx(row, rel=1e-12) for row in (W.T @ W).tolist()]
        assert got["kept"] == kept(inst)


def test_inputs_are_drawn_as_the_chapter_draws_them():
    """From the same uniform numbers, the widget's sample() gives what the chapter's
    sparse_features gives; its own generator is seeded (the same inputs each time), draws
    zeros with probability S and present features uniform on [0, 1]; its first input at
    S = 0.9, the one the widget opens with, has two features on, neither close to 0."""
    u = torch.rand((400, 5), generator=torch.Generator().manual_seed(5))  # as sparse_features
    body = """
    const out = input.sparsities.map((s) => {
      let at = 0;
      const next = () => input.u[at++];
      return Array.from({ length: input.u.length / 5 }, () => model.sample(next, s, 5));
    });
    const own = (seed) => { const next = model.random(seed); return [...Array(4000)].map(
      () => model.sample(next, 0.8, 5)); };
    const first = model.sample(model.random(model.SEED), 0.9, 5);
    console.log(JSON.stringify({ out, own: own(model.SEED), again: own(model.SEED),
      other: own(model.SEED + 1), first }));
    """
    sparsities = [0.0, 0.5, 0.9]
    found = in_node(CHAPTER, body, {"u": u.flatten().tolist(), "sparsities": sparsities})
    for s, got in zip(sparsities, found["out"], strict=True):
        generator = torch.Generator().manual_seed(5)
        # sparse_features divides in float32, the widget in float64
        wanted = sparse_features((400, 5), torch.tensor(1.0 - s), generator)
        assert got == [pytest.approx(row, abs=1e-6) for row in wanted.tolist()], s
    own = torch.tensor(found["own"])
    assert found["own"] == found["again"] and found["own"] != found["other"]
    zeros = (own == 0).double().mean().item()
    assert abs(zeros - 0.8) < 5 * (0.8 * 0.2 / own.numel()) ** 0.5
    present = own[own > 0]
    assert present.max() <= 1 and abs(present.mean().item() - 0.5) < 0.02
    assert sorted(v > 0.2 for v in found["first"] if v > 0) == [True, True]


def target(data) -> int:
    """The challenge's sparsity: the lowest of the series whose five arrows are all longer
    than 1/2."""
    return min(
        (inst["sparsity"], at) for at, inst in enumerate(data["instances"]) if kept(inst) == 5
    )[1]


def highest(inst: dict, i: int) -> int | None:
    """The largest k with feature i alone at k / 20 and every other read-out at 0."""
    ks = [k for k in range(STEPS + 1) if quiet(inst, i, k)]
    return max(ks) if ks else None


def challenge(data, index: int, feature: int, k: int) -> dict:
    body = "console.log(JSON.stringify(model.challenge(input.i, input.at, input.f, input.k)))"
    payload = {"i": data["instances"], "at": index, "f": feature, "k": k}
    return in_node(CHAPTER, body, payload)


def test_the_challenge_is_met_at_the_lowest_sparsity_and_the_highest_quiet_value(data):
    """Met at the lowest sparsity that keeps all five features, with a feature alone at the
    highest value (in 20ths) that leaves every other read-out at 0, as PyTorch finds it; not
    one step above or below it, nor with a drawn input, nor at another sparsity. What the
    widget says when it is met (the read-out that lights up first, and where) is PyTorch's."""
    at = target(data)
    inst = data["instances"][at]
    assert inst["sparsity"] < 0.95  # the series keeps all five before its sparsest end
    tops = {i: highest(inst, i) for i in range(5)}
    assert all(top is not None and 0 < top for top in tops.values()), tops
    cases = []
    for i, top in tops.items():
        cases += [(at, i, top, True), (at, i, top - 1, False), (at, -1, top, False)]
        if top < STEPS:
            cases.append((at, i, top + 1, False))
        cases += [(other, i, top, False) for other in range(len(SERIES)) if other != at]
    body = """
    console.log(JSON.stringify({
      verdicts: input.cases.map(([at, f, k]) => model.challenge(input.i, at, f, k)),
      first: [0, 1, 2, 3, 4].map((i) => model.first(input.i[input.at], i)),
    }));
    """
    found = in_node(CHAPTER, body, {"i": data["instances"], "cases": cases, "at": at})
    for (index, i, k, met), verdict in zip(cases, found["verdicts"], strict=True):
        assert verdict["met"] == met, (index, i, k, verdict)
        if index == at:
            assert verdict["all"] and verdict["lowest"]
            assert verdict["quiet"] == (i >= 0 and k <= tops[i])
        else:
            assert not verdict["lowest"]
    W = torch.tensor(inst["W"], dtype=torch.float64)
    gram = W.T @ W
    for i, first in enumerate(found["first"]):
        starts = {
            j: -inst["b"][j] / gram[i, j].item() for j in range(5) if j != i and gram[i, j] > 0
        }
        j = min(starts, key=starts.get)
        assert first["j"] == j and first["at"] == pytest.approx(starts[j], rel=1e-12)
        assert first["near"] == pytest.approx(gram[i, j].item()) and first["bias"] == inst["b"][j]
        assert tops[i] == min(STEPS, int(starts[j] * STEPS))  # where the widget says it starts


# --- in the browser -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def page_sizes(served_site):
    return page_weights(served_site[1])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_carries_its_widget_and_stays_light(served_site, page_sizes, data, lang):
    """The page loads the widget's script and the shared runtime and styles, embeds the
    series' instances (the widget's data, whole), and weighs at most 300 KB."""
    html = html_path(served_site[1], lang, CHAPTER.page)
    assert {"superposition.js", "widgets.js", "widgets.css"} <= {p.name for p in loads(html)}
    text = html.read_text("utf-8")
    assert 'data-widget="superposition"' in text
    assert data_json(data) in text
    assert page_sizes[html] <= 300_000


@pytest.fixture(scope="module")
def context(request):
    need_chromium()
    browser = request.getfixturevalue("browser")  # the session's (tests/conftest.py)
    context = shared_context(browser)
    yield context
    context.close()


STATE = """ui => {
  const [sparsity, value] = ui.querySelectorAll("input[type=range]");
  const shown = (input) => input.closest(".tn-controls").querySelector(".tn-value span");
  const cells = (selector) => [...ui.querySelectorAll(selector)].map((c) =>
    [c.textContent, +c.dataset.value]);
  return {
    lang: document.documentElement.lang,
    index: +sparsity.value,
    sparsity: [shown(sparsity).textContent, sparsity.getAttribute("aria-valuetext")],
    value: [+value.value, value.disabled, shown(value).textContent],
    input: +ui.querySelector("select").value,
    caption: ui.querySelector(".tn-recon caption").textContent,
    table: cells(".tn-recon tbody td:not(.tn-bars)"),
    bars: [...ui.querySelectorAll(".tn-bars > span")].map((s) => s.style.transform),
    heat: cells(".tn-heat tbody td"),
    framed: [...ui.querySelectorAll(".tn-heat tbody tr")].map((r) =>
      r.classList.contains("tn-on")),
    cells: Object.fromEntries([...ui.querySelectorAll("dd[data-readout]")].map((d) =>
      [d.dataset.readout, [d.textContent, +d.dataset.value]])),
    names: [...ui.querySelectorAll("dt")].map((d) => d.textContent),
    met: [...ui.querySelectorAll(".tn-checks li")].map((li) => li.classList.contains("tn-met")),
    done: ui.querySelector(".tn-done").hidden ? null : ui.querySelector(".tn-done").textContent,
    arrows: ui.querySelector("canvas").getAttribute("aria-label"),
  };
}"""


def shown(v: float) -> str:
    """A number of the widget's tables: "0", "≈0" below 0.005, else 2 decimals."""
    if v == 0:
        return "0"
    return "≈0" if abs(v) < 0.005 else number(v, 2).replace("-", "−")


def check(ui, data, x: list[float] | None = None) -> dict:
    """What the widget shows against Python: the instance picked and its input (x, if given;
    else the feature alone at the value of its slider)."""
    state = ui.evaluate(STATE)
    inst = data["instances"][state["index"]]
    s = significant(inst["sparsity"], 3)
    assert state["sparsity"] == [s, s]
    k, disabled, value = state["value"]
    if x is None:
        assert state["input"] >= 0 and not disabled and value == significant(k / STEPS, 2)
        x = alone(5, state["input"], k)
    else:
        assert state["input"] == -1 and disabled and value == "—"
    assert state["framed"] == [i == state["input"] for i in range(5)]
    h, z, out = (t[0].tolist() for t in run(toy(inst), [x]))
    table = state["table"]
    for i in range(5):
        for c, wanted in enumerate([x[i], z[i], out[i]]):
            text, got = table[3 * i + c]
            assert got == pytest.approx(wanted, rel=1e-12, abs=1e-15), (i, c)
            assert text == shown(got), (i, c)
        bars = [float(b[7:-1]) for b in state["bars"][2 * i : 2 * i + 2]]  # scaleX(…)
        assert bars == pytest.approx([min(1, v / 1.5) for v in (x[i], out[i])], abs=1e-6)
    W = torch.tensor(inst["W"], dtype=torch.float64)
    gram = (W.T @ W).flatten().tolist()
    assert [v for _, v in state["heat"]] == pytest.approx(gram, rel=1e-12)
    assert [t for t, _ in state["heat"]] == [shown(v) for _, v in state["heat"]]
    cells = state["cells"]
    of = "{} of 5" if state["lang"] == "en" else "{} / 5"
    assert cells["kept"] == [of.format(kept(inst)), kept(inst)]
    active = sum(v > 0 for v in x)
    assert cells["active"] == [of.format(active), active]
    error = sum((o - v) ** 2 for o, v in zip(out, x, strict=True))
    assert cells["error"][1] == pytest.approx(error, rel=1e-12, abs=1e-15)
    assert cells["error"][0] == significant(cells["error"][1], 3).replace("-", "−")
    return state


SIZE = 300  # the canvas's pixels over the plane [-1.6, 1.6]^2
PIXELS = """(ui, points) => {
  const context = ui.querySelector("canvas").getContext("2d");
  return points.map(([i, j]) => [...context.getImageData(i - 1, j - 1, 3, 3).data]);
}"""


def to_pixel(u: float, v: float) -> tuple[float, float]:
    return SIZE / 2 + u * SIZE / 3.2, SIZE / 2 - v * SIZE / 3.2


def colours_near(ui, points, wanted: list[str], within: float = 12) -> list[bool]:
    """Whether the canvas has the colour wanted[k] (#rrggbb) within a pixel of point k."""
    rgbs = [[int(w[k : k + 2], 16) for k in (1, 3, 5)] for w in wanted]
    found = ui.evaluate(PIXELS, [[round(a), round(b)] for a, b in points])
    return [
        any(all(abs(block[4 * p + c] - rgb[c]) <= within for c in range(3)) for p in range(9))
        for block, rgb in zip(found, rgbs, strict=True)
    ]


def along(inst: dict, i: int, t: float) -> tuple[float, float]:
    """The canvas pixel a share t along arrow i."""
    return to_pixel(t * inst["W"][0][i], t * inst["W"][1][i])


def clear_points(inst: dict, x: list[float]) -> list[tuple[int, tuple[float, float]]]:
    """For each arrow at least 20 px long: a point 60 % along it, 6 px or more from every
    other arrow, 14 px from the numbers beyond their tips and from the dot of h = W x."""
    W = torch.tensor(inst["W"], dtype=torch.float64)
    h = (W @ torch.tensor(x, dtype=torch.float64)).clamp(-1.55, 1.55)
    origin = torch.tensor([SIZE / 2, SIZE / 2], dtype=torch.float64)
    marks = [torch.tensor(to_pixel(*h.tolist()), dtype=torch.float64)]
    for j in range(5):
        away = 1 + 0.25 / max(W[:, j].norm().item(), 0.25)  # where the widget writes j + 1
        marks.append(torch.tensor(along(inst, j, away), dtype=torch.float64))
    found = []
    for i in range(5):
        p = torch.tensor(along(inst, i, 0.6), dtype=torch.float64)
        if W[:, i].norm() * SIZE / 3.2 < 20 or min((p - m).norm() for m in marks) < 14:
            continue
        gaps = []
        for j in set(range(5)) - {i}:
            d = torch.tensor(along(inst, j, 1.0), dtype=torch.float64) - origin
            t = float((p - origin) @ d / (d @ d)) if d @ d > 0 else 0.0
            gaps.append((p - origin - min(1.0, max(0.0, t)) * d).norm())
        if min(gaps) >= 6:
            found.append((i, tuple(p.tolist())))
    return found


def both_kinds(inst: dict, x: list[float]) -> bool:
    """Clear points on an arrow longer than 1/2 and on a shorter one."""
    W = torch.tensor(inst["W"])
    lengths = {W[:, i].norm().item() > KEPT for i, _ in clear_points(inst, x)}
    return lengths == {True, False}


BACKGROUND = """ui => { const s = document.createElement("span"); ui.append(s);
  s.style.color = "var(--md-default-bg-color)"; const c = getComputedStyle(s).color;
  s.remove(); return c.match(/[\\d.]+/g).map(Number).slice(0, 3); }"""


def the_arrows(page, ui, data, index: int, x: list[float]) -> None:
    """Arrows longer than 1/2 in blue, the others in grey, as the static figure; both
    lighter in the dark scheme; every colour 4.5:1 or more on the page (the numbers at the
    tips are written in them); W^T W's numbers readable on their cells."""
    inst = data["instances"][index]
    points = clear_points(inst, x)
    long = [i for i, _ in points if torch.tensor(inst["W"])[:, i].norm() > KEPT]
    for scheme, blue, grey in [("default", "#0072b2", "#666666"), ("slate", "#56b4e9", "#a3a3a3")]:
        page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
        settle(page)
        wanted = [blue if i in long else grey for i, _ in points]
        found = colours_near(ui, [p for _, p in points], wanted)
        assert found == [True] * len(points), (scheme, points, wanted, found)
        bg = ui.evaluate(BACKGROUND)
        for colour in (blue, grey):
            rgb = [int(colour[k : k + 2], 16) for k in (1, 3, 5)]
            assert contrast(rgb, bg) >= 4.5, (scheme, colour)
        heat_contrast(ui, scheme)
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'default')")


def luminance(rgb) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


HEAT_COLOURS = """ui => [...ui.querySelectorAll(".tn-heat tbody td")].map((c) => {
  const s = getComputedStyle(c);
  return [s.color, s.backgroundColor].map((v) => v.match(/[\\d.]+/g).map(Number).slice(0, 3));
})"""


def heat_contrast(ui, scheme: str) -> None:
    """Every number of W^T W 4.5:1 or more on its cell's colour; red cells above 0, blue
    below, as the static figure."""
    for (fg, bg), (_, v) in zip(ui.evaluate(HEAT_COLOURS), ui.evaluate(STATE)["heat"], strict=True):
        assert contrast(fg, bg) >= 4.5, (scheme, fg, bg, v)
        if abs(v) > 0.3:
            assert (bg[0] > bg[2]) == (v > 0), (scheme, bg, v)


def first_inputs(count: int, sparsities: list[float]) -> list[list[float]]:
    """The widget's first `count` inputs, each drawn at its sparsity, from its own seed."""
    body = """
    const next = model.random(model.SEED);
    console.log(JSON.stringify(input.s.map((s) => model.sample(next, s, 5))));
    """
    return in_node(CHAPTER, body, {"s": sparsities[:count]})


def url(origin: str) -> str:
    return f"{origin}/{CHAPTER.page}/"


def by_keyboard_and_pointer(page, ui, data) -> None:
    """It opens at S = 0.9 with its first drawn input; the sparsity moves by keys (and the
    drawn input stays); a new input by the keyboard; an arrow clicked switches its feature
    on alone; the value dragged to 0; the input picked by keys."""
    start = SERIES.index(0.9)
    first, second = first_inputs(2, [0.9, SERIES[start - 1]])
    state = check(ui, data, first)
    assert state["index"] == start and state["caption"] == "Input x drawn at S = 0.9"
    assert state["names"] == [
        "Arrows longer than ½",
        "Features on in x",
        "Squared error Σ(x′ᵢ − xᵢ)²",
    ]
    assert state["arrows"].startswith("The five columns of W as arrows: 1: length ")
    sparsity = ui.locator("input[type=range]").first
    press(page, sparsity, "ArrowLeft")
    state = check(ui, data, first)  # the same input, on the model one step less sparse
    assert state["index"] == start - 1 and state["caption"] == "Input x drawn at S = 0.9"
    button = ui.locator(".tn-row > button")
    button.focus()
    page.keyboard.press("Enter")
    settle(page)
    state = check(ui, data, second)
    s = significant(SERIES[start - 1], 3)
    assert state["caption"] == f"Input x drawn at S = {s}"
    zeros = [0.0] * 5  # h at the origin
    mixed = [i for i, inst in enumerate(data["instances"]) if both_kinds(inst, zeros)][0]
    press(page, sparsity, "Home")  # the densest end: some arrows short
    press(page, sparsity, "ArrowRight", mixed)
    # a click on a long arrow: its feature alone, at the value of its slider (1)
    inst = data["instances"][mixed]
    W = torch.tensor(inst["W"])
    i, point = next((i, p) for i, p in clear_points(inst, second) if W[:, i].norm() > KEPT)
    canvas = ui.locator("canvas")
    box = canvas.bounding_box()
    canvas.click(
        position={"x": point[0] / SIZE * box["width"], "y": point[1] / SIZE * box["height"]}
    )
    settle(page)
    state = check(ui, data)
    assert state["index"] == mixed and state["input"] == i and state["value"][0] == STEPS
    assert state["caption"] == f"Feature {i + 1} alone, at 1"
    drag_to_start(page, ui.locator("input[type=range]").nth(1))
    state = check(ui, data)
    assert state["value"][0] == 0 and state["cells"]["active"][1] == 0
    assert state["caption"] == f"Feature {i + 1} alone, at 0"
    the_arrows(page, ui, data, mixed, zeros)
    press(page, ui.locator("select"), "ArrowUp", i + 1)  # back to the drawn input
    check(ui, data, second)


def the_challenge_by_keyboard(page, ui, data) -> None:
    """At the lowest sparsity that keeps all five, feature 1 alone by keys, its value moved
    by keys from one step past the highest that leaves the other read-outs at 0: the last
    condition is met only at that value, and that is announced; one step sparser, the
    sparsity is no longer the lowest."""
    at = target(data)
    inst = data["instances"][at]
    top = highest(inst, 0)
    sparsity, value = ui.locator("input[type=range]").first, ui.locator("input[type=range]").nth(1)
    sparsity.fill(str(at))
    press(page, ui.locator("select"), "ArrowDown")  # feature 1 alone
    if top < STEPS:
        value.fill(str(top + 1))
        settle(page)
        state = check(ui, data)
        assert state["met"] == [True, True, False, False] and state["done"] is None
        press(page, value, "ArrowLeft")
    else:
        press(page, value, "End")
    state = check(ui, data)
    assert state["value"][0] == top and state["met"] == [True] * 4
    assert state["done"].startswith(f"Done! Below S = {significant(inst['sparsity'], 3)} ")
    W = torch.tensor(inst["W"], dtype=torch.float64)
    gram = W.T @ W
    starts = {j: -inst["b"][j] / gram[0, j].item() for j in range(1, 5) if gram[0, j] > 0}
    j = min(starts, key=starts.get)  # the read-out that lights up first
    near, bias, lights = (number(v, 3) for v in (gram[0, j].item(), inst["b"][j], starts[j]))
    assert (
        f"feature {j + 1}'s read-out gets {near} times feature 1's value, from the overlap of "
        f"their arrows, plus a bias of {bias.replace('-', '−')}: the bias holds it at 0 while "
        f"the value is at most {lights}."
    ) in state["done"]
    assert top / STEPS <= float(lights) < (top + 1) / STEPS + 5e-4
    page.wait_for_function(
        "t => document.querySelector('.tn-sr[aria-live=polite]').textContent.endsWith(t)",
        arg=state["done"],
    )
    press(page, sparsity, "ArrowRight")  # sparser: not the lowest
    state = ui.evaluate(STATE)
    assert state["met"][1] is False and state["done"] is None


def in_chinese(page, ui, data) -> None:
    """The Chinese page on a phone: its labels, caption and numbers; it fits the screen (at
    390 px, and at 320 px); the challenge met by picking, announced in Chinese."""
    first = first_inputs(1, [0.9])[0]
    state = check(ui, data, first)
    assert state["caption"] == "在 S = 0.9 下随机抽取的输入 x"
    assert state["names"] == ["长于 ½ 的箭头", "x 中非零的特征", "平方误差 Σ(x′ᵢ − xᵢ)²"]
    assert state["arrows"].startswith("W 的五列画成箭头：1：长 ")
    assert ui.locator("label").first.inner_text() == "稀疏度 S"
    wide = ui.evaluate(
        """ui => [ui.getBoundingClientRect().right, ...[...ui.querySelectorAll(
        'canvas, table, select, button, input')].map((e) => e.getBoundingClientRect().right),
        Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
        ui.querySelector('canvas').clientWidth]"""
    )
    right, *inside, page_width, canvas = wide
    assert max(inside) <= right <= 390 and page_width <= 390 and canvas >= 240, wide
    at = target(data)
    top = highest(data["instances"][at], 2)
    ui.locator("input[type=range]").first.fill(str(at))
    ui.locator("select").select_option("2")
    ui.locator("input[type=range]").nth(1).fill(str(top))
    settle(page)
    state = check(ui, data)
    assert (
        state["met"] == [True] * 4
        and state["caption"] == f"只开特征 3，取值 {significant(top / STEPS, 2)}"
    )
    assert state["done"].startswith("完成！稀疏度低于 ")
    page.wait_for_function(
        "t => document.querySelector('.tn-sr[aria-live=polite]').textContent.endsWith(t)",
        arg=state["done"],
    )
    page.set_viewport_size({"width": 320, "height": 800})  # the narrowest phone: still fits
    assert page.evaluate(WIDTH) <= 320


WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


@NO_BROWSER
def test_the_widget_by_keyboard_and_pointer(context, served_site, data):
    """The English page at 1280 px: by keyboard and pointer, the arrows' colours and W^T W's
    in both schemes, then the challenge by keyboard."""
    origin = served_site[0]
    page, ui = open_tab(context, origin, url(origin))
    by_keyboard_and_pointer(page, ui, data)
    the_challenge_by_keyboard(page, ui, data)
    assert page.errors == [] and page.foreign == []
    page.close()


@NO_BROWSER
def test_the_chinese_page_on_a_phone_in_the_offline_copy(context, offline_site, data):
    """The Chinese page of the offline copy (from file://, where nothing can be fetched), on a
    phone's 390 px, with reduced motion: its labels, numbers and the challenge (the served
    Chinese page carries the same script and data: test_the_page_carries_its_widget...)."""
    page, ui = open_tab(
        context,
        "file://",
        (offline_site / "zh" / "superposition.html").as_uri(),
        {"width": 390, "height": 800},
        reduced_motion=True,
    )
    in_chinese(page, ui, data)
    assert page.errors == [] and page.foreign == []
    page.close()
