"""Chapter 1's exercises: every check fails its untouched stub with the intended message, passes
its worked solution, and answers wrong ones without raising; every number the solutions state."""

import copy
import itertools
import math

import pytest
import torch
from torch import nn

from snippets import less_than_exercises as ex
from snippets import less_than_solutions as sol
from snippets.less_than import hardwired

from helpers import DOCS, run_solutions

# what each check prints for its untouched stub: the reader's first sight of the exercise
STUB_MESSAGES = {
    "threshold_at_3": "✗ the output at x = 3 is 0.9991, not 0.5: the threshold is not at 3",
    "interval": "✗ at x = 4 the output is 0.0000; inside the interval, above 0.9",
    "mystery": "✗ off by 1 at x = -20: the network gives 1, your formula 0",
}
CHECKS = {
    "threshold_at_3": (ex.check_threshold_at_3, ex.threshold_at_3, sol.threshold_at_3),
    "interval": (ex.check_interval, ex.interval_3_to_7, sol.interval_3_to_7),
    "mystery": (ex.check_mystery, ex.mystery_formula, sol.mystery_formula),
}


def verdict(check, answer, capsys) -> tuple[bool, str]:
    passed = check(answer)
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1, f"not one line: {printed!r}"
    assert isinstance(passed, bool) and printed.startswith("✓ " if passed else "✗ ")
    return passed, printed.rstrip("\n")


@pytest.mark.parametrize("name", CHECKS)
def test_the_untouched_stub_fails_with_the_intended_message(name, capsys):
    check, stub, _ = CHECKS[name]
    assert verdict(check, stub, capsys) == (False, STUB_MESSAGES[name])


@pytest.mark.parametrize("name", CHECKS)
def test_the_solution_passes(name, capsys):
    check, _, solution = CHECKS[name]
    assert verdict(check, solution, capsys)[0] is True


def sequential(weight: list, bias: list, read_out=None) -> nn.Sequential:
    layers = [nn.Linear(1, len(bias)), nn.Sigmoid()]
    if read_out is not None:
        layers.append(nn.Linear(len(bias), 1))
    network = nn.Sequential(*layers)
    with torch.no_grad():
        network[0].weight.copy_(torch.tensor(weight).reshape(-1, 1))
        network[0].bias.copy_(torch.tensor(bias))
        if read_out is not None:
            network[2].weight.copy_(torch.tensor([read_out[:-1]]))
            network[2].bias.fill_(read_out[-1])
    return network


def nan_neuron() -> nn.Sequential:
    return sequential([float("nan")], [1.0])


def raises():
    raise ZeroDivisionError("division by zero")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (raises, "your function raised ZeroDivisionError('division by zero')"),
        (lambda: None, "your function returned a NoneType, not a network"),
        (lambda: "neuron", "your function returned a str, not a network"),
        (lambda: nn.Sequential(nn.Linear(1, 2), nn.Sigmoid()), "has 4 weights and biases"),
        (lambda: nn.Linear(2, 1), "has 3 weights and biases"),
        (nan_neuron, "your neuron outputs nan, nan, nan at x = 2, 3, 4"),
        (lambda: hardwired(4.5, 3.0), "the output at x = 2 is 0.9890, below 0.99"),
        (lambda: hardwired(5.0, 3.01), "the output at x = 3 is 0.5125, not 0.5"),
        (lambda: sequential([5.0], [-15.0]), "the output at x = 4 is 0.9933"),  # rising
    ],
)
def test_threshold_check_says_what_is_wrong(answer, message, capsys):
    passed, printed = verdict(ex.check_threshold_at_3, answer, capsys)
    assert not passed and message in printed


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (raises, "your function raised ZeroDivisionError"),
        (lambda: None, "return nn.Sequential(Linear, Sigmoid, Linear), as the stub does"),
        (lambda: nn.Sequential(nn.Linear(1, 3), nn.Sigmoid(), nn.Linear(3, 1)), "3 sigmoid"),
        (lambda: nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1)), "as the stub does"),
        (
            lambda: sequential([float("nan"), 1.0], [0.0, 0.0], [1.0, 1.0, -1.0]),
            "at x = -20 the output is nan; outside the interval, below 0.1",
        ),
        (  # a read-out scaled down: 0.9 times 0.9933 at x = 4 and 6
            lambda: sequential([10.0, -10.0], [-35.0, 65.0], [0.9, 0.9, -0.9]),
            "at x = 4 the output is 0.8940; inside the interval, above 0.9",
        ),
        (  # thresholds on the data points 3 and 7: 0.5 there
            lambda: sequential([10.0, -10.0], [-30.0, 70.0], [1.0, 1.0, -1.0]),
            "at x = 3 the output is 0.5000; outside the interval, below 0.1",
        ),
    ],
)
def test_interval_check_says_what_is_wrong(answer, message, capsys):
    passed, printed = verdict(ex.check_interval, answer, capsys)
    assert not passed and message in printed


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        (lambda x: 1 / x if x == 0 else 1.0, "at x = 0 your formula raised ZeroDivisionError"),
        (lambda x: "one", "at x = -20 your formula returned a str"),
        (lambda x: True, "at x = -20 your formula returned a bool"),
        (lambda x: float("nan"), "off by nan at x = -20"),
        (lambda x: min(max(10 - x, 0), 1) + 0.001, "off by 0.001 at x = -20"),
        (lambda x: 1.0 if x < 9.5 else 0.0, "at x = 9.01: the network gives 0.99"),  # a step
        (lambda x: torch.tensor(min(max(10 - x, 0), 1)), None),  # a tensor is a number too
    ],
)
def test_mystery_check_says_what_is_wrong(formula, message, capsys):
    passed, printed = verdict(ex.check_mystery, formula, capsys)
    if message is None:
        assert passed
    else:
        assert not passed and message in printed


# --- the solutions, and the numbers they state ------------------------------------------


def stated(text: str) -> None:
    """`text` appears on both language pages."""
    for lang in ("en", "zh"):
        assert text in (DOCS[lang] / "less-than.md").read_text("utf-8"), (lang, text)


def test_the_scales_the_solutions_state():
    sigmoid = torch.sigmoid
    # 1.1: sigma(M) >= 0.99 from M = ln 99 = 4.60 on; 5 gives 0.9933
    assert f"{math.log(99):.2f}" == "4.60" and sigmoid(torch.tensor(5.0)).item() > 0.99
    assert f"{sigmoid(torch.tensor(5.0)).item():.4f}" == "0.9933"
    stated("ln 99 ≈ 4.60")
    # 1.2: the points 9 and 10 are nearest 9.5; M = 2 ln 99 = 9.19, b = 87.3
    scale = 2 * math.log(99)
    assert f"{scale:.2f}" == "9.19" and f"{9.5 * 9.19:.1f}" == "87.3"
    x = torch.arange(-20.0, 40).reshape(-1, 1)
    with torch.no_grad():
        out = hardwired(scale, threshold=9.5)(x).flatten()
        worse = hardwired(9.18, threshold=9.5)(x).flatten()
    labels = (x.flatten() < 10).float()
    assert (out - labels).abs().max() <= 0.01 + 1e-6 < (worse - labels).abs().max()
    stated("2 ln 99 ≈ 9.19")
    stated("≈ 87.3")


def test_the_interval_solution_values():
    network = sol.interval_3_to_7()
    with torch.no_grad():
        out = network(torch.tensor([[3.0], [4.0]])).flatten().tolist()
    assert f"{out[1]:.4f}" == "0.9933" and f"{out[0]:.4f}" == "0.0067"
    stated("σ(5) + σ(25) − 1 = 0.9933")
    stated("σ(−5) + σ(35) − 1 = 0.0067")


def sgd_bound(x: torch.Tensor) -> float:
    """2 over the largest curvature the mean logistic loss can have on inputs x (p(1 - p) <=
    1/4): 8 over the largest eigenvalue of [[mean x^2, mean x], [mean x, 1]]."""
    x = x.double().flatten()
    p, q = (x**2).mean().item(), x.mean().item()
    return 8 / ((p + 1) / 2 + math.sqrt(((p - 1) / 2) ** 2 + q**2))


def margin_threshold(x: torch.Tensor, y: torch.Tensor) -> float:
    """The threshold t of the maximum-margin direction (a, b) = (-1, t), from a fine grid."""
    t = torch.linspace(-1, 100, 101_001, dtype=torch.float64)  # steps of 0.001
    sign = torch.where(y.flatten() > 0.5, 1.0, -1.0).double()
    margins = (sign[:, None] * (t - x.flatten().double()[:, None])).min(dim=0).values
    return t[int((margins / torch.sqrt(1 + t**2)).argmax())].item()


@pytest.fixture(scope="module")
def solutions_run() -> dict:
    """The solutions' runs (`python -m snippets.less_than_solutions`): what they print."""
    return run_solutions("less_than_solutions")


def test_what_the_solutions_runs_print(solutions_run):
    assert solutions_run["lines"] == [
        "-20..39: threshold 9.470",
        "-100..39: threshold 9.472",
        "threshold after 5000 steps: 1.187",
        "neuron 1 ablated: the output changes by up to 30.0",
        "neuron 2 ablated: the output changes by up to 0.0",
        "neuron 3 ablated: the output changes by up to 29.0",
        "[0.5, 10.0, 1.0]",
        "✓ your formula is the network's on [-20, 39]",
    ]
    for text in ["9.470", "9.472", "1.187", "[−20, 39]"]:
        stated(text)
    en = (DOCS["en"] / "less-than.md").read_text("utf-8")
    zh = (DOCS["zh"] / "less-than.md").read_text("utf-8")
    assert "up to 30 or 29" in en and "最多分别改变 30 和 29" in zh
    assert "at 60 it gives 10" in en and "60 处却是 10" in zh


def test_the_margins_the_solutions_prove():
    # 1.4: on -100..39 the maximum-margin threshold is still 9.5
    wide = torch.arange(-100.0, 40).reshape(-1, 1)
    t = torch.linspace(9, 10, 1001, dtype=torch.float64)
    margins = torch.minimum(t - 9, 10 - t) / torch.sqrt(1 + t**2)
    assert t[int(margins.argmax())].item() == pytest.approx(9.5)
    new = wide[wide < -20]  # the points added to -20..39
    assert (9 - new).min().item() == 30  # 30 or more from every threshold between 9 and 10
    # 1.5: labels 1 up to -1 and 0 from 100: the maximum margin is at t = 1, sqrt 2 there
    gap = torch.cat([torch.arange(-20.0, 0), torch.arange(100.0, 120)]).reshape(-1, 1)
    labels = (gap < 0).float()
    assert margin_threshold(gap, labels) == pytest.approx(1.0, abs=1e-3)
    assert 2 / math.sqrt(2) == pytest.approx(1.41, abs=5e-3)
    assert 50.5 / math.sqrt(1 + 49.5**2) < 1.03
    # the learning rate of the run is below the bound the page states
    assert f"{sgd_bound(gap):.4f}" == "0.0013" and 0.001 < sgd_bound(gap)
    stated("0.0013")


def test_the_mystery_network_is_the_stated_formula_on_its_domain():
    """At every integer of [-20, 39], at every kink, and on a grid of step 0.001 between."""
    layer = ex.mystery[0]
    kinks = (-layer.bias / layer.weight[:, 0]).tolist()
    assert sorted(kinks) == [9.0, 10.0, 50.0]
    points = torch.cat(
        [
            torch.arange(-20.0, 40),
            torch.tensor([k for k in kinks if -20 <= k <= 39]),
            torch.linspace(-20, 39, 59_001),
        ]
    ).double()
    network = copy.deepcopy(ex.mystery).double()  # float64: every operation exact here
    with torch.no_grad():
        out = network(points.reshape(-1, 1)).flatten()
    formula = torch.tensor([sol.mystery_formula(x) for x in points.tolist()], dtype=torch.float64)
    assert torch.equal(out, formula)
    assert ex.mystery[0].weight.dtype == torch.float32  # the copy above left the page's alone
    with torch.no_grad():
        far = ex.mystery(torch.tensor([[9.5], [60.0], [-1000.0]])).flatten().tolist()
    assert far == [0.5, 10.0, 1.0]


def test_checks_never_raise_on_odd_input(capsys):
    for check in (ex.check_threshold_at_3, ex.check_interval, ex.check_mystery):
        for answer in (None, 3, "x", [], object()):
            assert check(answer) is False
    assert capsys.readouterr().out.count("✗") == 15


def test_the_gap_run_passes_through_1_and_goes_on_down():
    """1.5: plain gradient descent (lr 0.001, seed 0's start) on the gapped data, in float64
    and plain Python: the threshold passes 1 near step 12,700 and is 0.94 at step 20,000."""
    torch.manual_seed(0)
    start = nn.Linear(1, 1)
    a, b = start.weight.item(), start.bias.item()
    points = [(x, 1.0) for x in range(-20, 0)] + [(x, 0.0) for x in range(100, 120)]
    thresholds = [-b / a]
    for _ in range(20_000):
        errors = [(1 / (1 + math.exp(-(a * x + b))) - y, x) for x, y in points]
        a -= 0.001 * sum(e * x for e, x in errors) / len(points)
        b -= 0.001 * sum(e for e, _ in errors) / len(points)
        thresholds.append(-b / a)
    assert f"{thresholds[5000]:.3f}" == "1.187"  # as the solution's float32 run prints
    crossing = next(step for step, t in enumerate(thresholds) if t < 1)
    assert all(t < 1 for t in thresholds[crossing:])  # it passes 1 once and stays below
    assert round(crossing, -2) == 12_700
    assert all(later < earlier for earlier, later in itertools.pairwise(thresholds[5000:]))
    assert f"{thresholds[20_000]:.2f}" == "0.94"
    stated("0.94")
    en = (DOCS["en"] / "less-than.md").read_text("utf-8")
    zh = (DOCS["zh"] / "less-than.md").read_text("utf-8")
    assert "passes 1 near step 12,700" in en and "第 12,700 步附近越过 1" in zh


def test_the_linf_margins_of_exercise_1_4():
    """1.4 for Adam: with the length max(|a|, |b|) = t of (-1, t), the margins (t - 9)/t and
    (10 - t)/t rise and fall on (9, 10) and meet at 9.5; on -100..39 too."""
    t = torch.linspace(9, 10, 1001, dtype=torch.float64)[1:-1]
    low, high = (t - 9) / t, (10 - t) / t
    assert (low.diff() > 0).all() and (high.diff() < 0).all()
    assert t[int(torch.minimum(low, high).argmax())].item() == pytest.approx(9.5)
    wide = torch.arange(-100.0, 40, dtype=torch.float64)
    sign = torch.where(wide < 10, 1.0, -1.0)
    grid = torch.linspace(9, 10, 10_001, dtype=torch.float64)
    margins = (sign[:, None] * (grid - wide[:, None])).min(dim=0).values / grid  # ℓ∞: t
    assert grid[int(margins.argmax())].item() == pytest.approx(9.5, abs=1e-4)
    stated("(10 − *t*)/*t*")
