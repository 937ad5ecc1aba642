"""Chapter 2's exercises: every check fails its untouched stub with the intended message, passes
its worked solution, and answers wrong ones without raising; every number the solutions state."""

import pytest
import torch

from snippets import minimum_exercises as ex
from snippets import minimum_solutions as sol
from snippets.minimum import MinModel, ReLULayer, hardwired, integer_grid, set_weights, wire

from helpers import DOCS, run_solutions

# what each check prints for its untouched stub: the reader's first sight of the exercise
STUB_MESSAGES = {
    "max_one_relu": "✗ off by 50 at (a, b) = (-50, -50): you give 0, the maximum is -50",
    "max_family": ("✗ λ = 0: off by 50 at (a, b) = (-50, -50): you give 0, the maximum is -50"),
    "repair": "✗ off by 77.3 at (a, b) = (-50, 50): you give 27.3, the minimum is -50",
    "mystery": "✗ off by 50 at (a, b) = (-50, -50): the network gives -50, your formula 0",
}


def verdict(check, *args, capsys) -> tuple[bool, str]:
    passed = check(*args)
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1, f"not one line: {printed!r}"
    assert isinstance(passed, bool) and printed.startswith("✓ " if passed else "✗ ")
    return passed, printed.rstrip("\n")


@pytest.fixture(scope="module")
def seed0(minimum_seed0) -> MinModel:
    return minimum_seed0.model


def test_the_untouched_stubs_fail_with_the_intended_messages(seed0, capsys):
    assert verdict(ex.check_max_one_relu, ex.max_one_relu, capsys=capsys) == (
        False,
        STUB_MESSAGES["max_one_relu"],
    )
    assert verdict(ex.check_max_family, ex.max_family, capsys=capsys) == (
        False,
        STUB_MESSAGES["max_family"],
    )
    assert verdict(ex.check_repair, ex.repair, seed0, capsys=capsys) == (
        False,
        STUB_MESSAGES["repair"],
    )
    assert verdict(ex.check_mystery, ex.mystery_formula, capsys=capsys) == (
        False,
        STUB_MESSAGES["mystery"],
    )


def test_the_solutions_pass(seed0, capsys):
    before = {k: v.clone() for k, v in seed0.state_dict().items()}
    assert verdict(ex.check_max_one_relu, sol.max_one_relu, capsys=capsys)[0]
    assert verdict(ex.check_max_family, sol.max_family, capsys=capsys)[0]
    passed, printed = verdict(ex.check_repair, sol.repair, seed0, capsys=capsys)
    assert passed and printed == "✓ branch 2 alone is within 0.102 of min(a, b) on the grid"
    assert verdict(ex.check_mystery, sol.mystery_formula, capsys=capsys)[0]
    after = seed0.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)  # the check used a copy


def relu_layer(hidden, output, skip=True) -> ReLULayer:
    return wire(hidden, output, skip=skip)


def nan_layer() -> ReLULayer:
    network = wire([[-1.0, 1.0, 0.0]], [1.0, 0.0, 1.0, 0.0], skip=True)
    with torch.no_grad():
        network.hidden.bias.fill_(float("nan"))
    return network


def raises():
    raise ValueError("output must hold 4 numbers")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (raises, "your function raised ValueError('output must hold 4 numbers')"),
        (lambda: hardwired(), "returned a MinModel, not a ReLULayer"),
        (
            lambda: relu_layer([[-1.0, 1.0, 0.0], [1.0, -1.0, 0.0]], [1, 0, 1, 0, 0.0]),
            "your network has 2 ReLU neurons; 1 is enough",
        ),
        (lambda: nan_layer(), "off by nan at (a, b) = (-50, -50)"),
        (
            lambda: relu_layer([[-1.0, 1.0, 0.0]], [1.0, 0.0, 1.001, 0.0]),
            "off by 0.1 at (a, b) = (-50, 50): you give 50.1, the maximum is 50",
        ),
        (  # the minimum, not the maximum
            lambda: relu_layer([[1.0, -1.0, 0.0]], [1.0, 0.0, -1.0, 0.0]),
            "off by 100 at (a, b) = (-50, 50): you give -50, the maximum is 50",
        ),
        (  # right on the square, wrong far away: a fold off the diagonal, outside it
            lambda: relu_layer([[-1.0, 1.0, 0.0], [1.0, 0.0, 200.0]], [1, 0, 1, 0, 0.0]),
            "your network has 2 ReLU neurons",
        ),
    ],
)
def test_max_one_relu_check_says_what_is_wrong(answer, message, capsys):
    passed, printed = verdict(ex.check_max_one_relu, answer, capsys=capsys)
    assert not passed and message in printed


def always_lambda_0(lam):
    return sol.max_family(0.0)


def fails_at_half(lam):
    if lam == 0.5:
        raise ZeroDivisionError("half")
    return sol.max_family(lam)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (always_lambda_0, "with lam = 0.5 the output reads a with weight 0"),
        (fails_at_half, "with lam = 0.5 your function raised ZeroDivisionError('half')"),
        (lambda lam: sol.max_one_relu(), "returned a ReLULayer, not a MinModel"),
        (  # the family of the minimum, not of the maximum
            lambda lam: set_weights(
                MinModel(), [1.0, -1.0, 0.0], [-1.0, 1.0, 0.0], [lam, 1 - lam, -lam, lam - 1, 0]
            ),
            "λ = 0: off by 100 at (a, b) = (-50, 50): you give -50, the maximum is 50",
        ),
    ],
)
def test_max_family_check_says_what_is_wrong(answer, message, capsys):
    passed, printed = verdict(ex.check_max_family, answer, capsys=capsys)
    assert not passed and message in printed


def scale_without_ratio(model):
    """Adds branch 1's output weight to branch 2's, forgetting that the scales differ."""
    with torch.no_grad():
        model.output.weight[0, 3] += model.output.weight[0, 2].item()
        model.output.weight[0, 2] = 0.0
    return model


def change_the_skip(model):
    model = sol.repair(model)
    with torch.no_grad():
        model.output.weight[0, 0] += 0.001
    return model


def keep_branch_1(model):
    return model


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (keep_branch_1, "branch 1 still counts: its output weight is -0.808582, not 0"),
        (change_the_skip, "you changed output.weight: only branch 2 may change"),
        (scale_without_ratio, "off by 33.4 at (a, b) = (-50, 50)"),
        (lambda model: None, "your function returned a NoneType, not a MinModel"),
        (lambda model: 1 / 0, "your function raised ZeroDivisionError"),
    ],
)
def test_repair_check_says_what_is_wrong(answer, message, seed0, capsys):
    passed, printed = verdict(ex.check_repair, answer, seed0, capsys=capsys)
    assert not passed and message in printed


def test_repair_check_needs_the_network(capsys):
    passed, printed = verdict(ex.check_repair, sol.repair, "seed 0", capsys=capsys)
    assert not passed and "pass seed 0's network, result.model, as the second argument" in printed


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        (lambda a, b: min(a, b), "off by 1 at (a, b) = (-49, -50)"),  # not min(a, b)
        (lambda a, b: min(a, b + 10) + 1e-3, "off by 0.001"),
        (lambda a, b: [a], "your formula returned list"),
        (lambda a, b: float("nan"), "off by nan"),
        (
            lambda a, b: 1 / (b - 50) if b == 50 else min(a, b + 10),
            "at (a, b) = (-50, 50) your formula raised ZeroDivisionError",
        ),
    ],
)
def test_mystery_check_says_what_is_wrong(formula, message, capsys):
    passed, printed = verdict(ex.check_mystery, formula, capsys=capsys)
    assert not passed and message in printed


def test_checks_never_raise_on_odd_input(seed0, capsys):
    for answer in (None, 3, "x", [], object()):
        assert ex.check_max_one_relu(answer) is False
        assert ex.check_max_family(answer) is False
        assert ex.check_repair(answer, seed0) is False
        assert ex.check_repair(sol.repair, answer) is False
        assert ex.check_mystery(answer) is False
    assert capsys.readouterr().out.count("✗") == 25


# --- the solutions, and the numbers they state ------------------------------------------


def stated(text: str, zh: str | None = None) -> None:
    """`text` on the English page and `zh` (or the same text) on the Chinese one."""
    for lang, words in (("en", text), ("zh", zh or text)):
        assert words in (DOCS[lang] / "minimum.md").read_text("utf-8"), (lang, words)


@pytest.fixture(scope="module")
def solutions_run() -> dict:
    return run_solutions("minimum_solutions")


def test_what_the_solutions_runs_print(solutions_run):
    assert solutions_run["lines"] == [
        "A: largest error 0, branches ['diagonal', 'straight']",
        "B: largest error 1, branches ['off', 'dead']",
        "C: largest error 0, branches ['diagonal', 'diagonal']",
        "branch 1 ablated: the output moves by 0 to 90",
        "branch 2 ablated: the output moves by 10 to 110",
        "[-50.0, 100.0]",
        "✓ your formula is the network's on [-50, 50]²",
    ]
    stated("moves the output by up to 90", "输出最多改变 90")
    stated("moves it by 10 to 110", "输出都改变 10 到 110")
    stated("0 + 100 − 60 − 90 = −50")


def test_exact_or_not_on_the_plane():
    """A is exact on the square only; C everywhere, far away too; B is min(a, b + 1)."""
    far = torch.tensor([[-100.0, 0.0], [-3000.0, 1000.0], [4000.0, -2000.0]])
    target = far.min(dim=1).values
    with torch.no_grad():
        assert not torch.equal(ex.candidates["A"](far)[:, 0], target)  # a < -60: branch 2 off
        assert torch.equal(ex.candidates["C"](far)[:, 0], target)
        grid = integer_grid()
        b = ex.candidates["B"](grid)[:, 0]
    assert torch.equal(b, torch.minimum(grid[:, 0], grid[:, 1] + 1))
    # where B is wrong, and by how much: 1 from a = b + 1 on, a - b between the lines
    pairs = torch.cartesian_prod(*[torch.arange(-50, 50.01, 0.25, dtype=torch.float64)] * 2)
    network = MinModel().double()
    network.load_state_dict({k: v.double() for k, v in ex.candidates["B"].state_dict().items()})
    with torch.no_grad():
        off = network(pairs)[:, 0] - pairs.min(dim=1).values
    a, b_ = pairs[:, 0], pairs[:, 1]
    assert torch.allclose(off[a >= b_ + 1], torch.ones(1, dtype=torch.float64), atol=1e-9)
    between = (b_ < a) & (a < b_ + 1)
    assert between.any() and torch.allclose(off[between], (a - b_)[between], atol=1e-9)
    assert (off[a <= b_].abs() < 1e-9).all()
    stated(
        "off by 1 wherever *a* ≥ *b* + 1, and by *a* − *b*\n    where *b* < *a* < *b* + 1",
        "凡是 *a* ≥ *b* + 1 的地方都差 1，在 *b* < *a* < *b* + 1 的地方差 *a* − *b*",
    )


def test_the_repair_numbers(seed0, capsys):
    grid = integer_grid()
    target = grid.min(dim=1).values
    ablated = MinModel()
    ablated.load_state_dict(seed0.state_dict())
    with torch.no_grad():
        ablated.output.weight[0, 2] = 0.0
        errors = (ablated(grid)[:, 0] - target).abs()
    assert f"{errors.max():.1f}" == "77.3" and grid[int(errors.argmax())].tolist() == [-50, 50]
    stated("off by 77.3 there", "网络在那里偏离 77.3")
    repaired = MinModel()
    repaired.load_state_dict(seed0.state_dict())
    repaired = sol.repair(repaired)
    with torch.no_grad():
        error = (repaired(grid)[:, 0] - target).abs().max().item()
    assert f"{error:.3f}" == "0.102"
    stated("down to 0.102", "误差就降到 0.102")
    # branch 2's fold: where s2 (b - a) + bias = 0, that is b - a = -bias / s2
    weight, bias = seed0.branch2.weight[0].tolist(), seed0.branch2.bias.item()
    scale = (weight[1] - weight[0]) / 2
    assert weight[1] == pytest.approx(-weight[0], abs=1e-3)  # it reads a multiple of b - a
    assert f"{-bias / scale:.3f}" == "0.092"
    stated("*b* − *a* = 0.092 instead of 0", "它是直线 *b* − *a* = 0.092，而不是 *b* − *a* = 0")
    # at lambda = 1/2 no rescaling of branch 2 brings back what branch 1 did
    half = hardwired()
    with torch.no_grad():
        half.output.weight[0, 2] = 0.0
        for v in torch.linspace(-3, 3, 61).tolist():
            half.output.weight[0, 3] = v
            assert (half(grid)[:, 0] - target).abs().max() >= 25
    capsys.readouterr()


def test_the_mystery_network_is_the_stated_formula_on_its_domain():
    """At every integer pair of [-50, 50]^2, along the fold line a - b = 10, and between: at
    every pair of quarter points (-49.75, -49.25, ...)."""
    network = MinModel().double()
    network.load_state_dict({k: v.double() for k, v in ex.mystery.state_dict().items()})
    steps = torch.linspace(-50, 50, 1001, dtype=torch.float64)
    fold = torch.stack([steps, steps - 10], dim=1)
    between = torch.arange(-49.75, 50, 0.5, dtype=torch.float64)
    pairs = torch.cat(
        [
            integer_grid().double(),
            torch.cartesian_prod(between, between),
            fold[fold[:, 1] >= -50],
        ]
    )
    with torch.no_grad():
        out = network(pairs)[:, 0]
    formula = [sol.mystery_formula(a, b) for a, b in pairs.tolist()]
    assert torch.allclose(out, torch.tensor(formula, dtype=torch.float64), rtol=0, atol=1e-9)
    # branch 2's fold, b = -60, misses the square; branch 1's crosses it
    assert ex.mystery.branch2.weight[0, 0] == 0 and -ex.mystery.branch2.bias / 0.5 == -60
    with torch.no_grad():
        assert ex.mystery(torch.tensor([[0.0, -100.0], [100.0, 100.0]]))[:, 0].tolist() == [
            -50.0,
            100.0,
        ]


def test_min_of_three_with_two_chained_relus():
    """The construction of 2.5, checked on a grid of triples."""
    values = torch.arange(-6.0, 7)
    a, b, c = torch.cartesian_prod(values, values, values).T
    first = torch.relu(a - b)
    second = torch.relu(a - first - c)  # reads the inputs and the first ReLU
    assert torch.equal(a - first - second, torch.minimum(torch.minimum(a, b), c))
    stated("*a* − ReLU(*a* − *b*) − ReLU(*a* − ReLU(*a* − *b*) − *c*)")
