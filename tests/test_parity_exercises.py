"""Chapter 3's exercises: every check fails its untouched stub with the intended message, passes
its worked solution, and answers wrong ones without raising; every number the solutions state."""

import copy

import pytest
import torch

from snippets import parity_exercises as ex
from snippets import parity_solutions as sol
from snippets.parity import SkipNet, compact, count_pieces, laps_bound, minimal, width_sequences

from helpers import DOCS, run_solutions

# what each check prints for its untouched stub: the reader's first sight of the exercise
STUB_MESSAGES = {
    "double_fold": "✗ at x = -4 your network gives 0, ||x - 8| - 4| is 8",
    "nine": "✗ at x = 1 your network gives 0, x mod 2 is 1",
    "mystery": "✗ off by 2 at x = -10: the network gives 2, your formula 0",
}
CHECKS = {
    "double_fold": (ex.check_double_fold, ex.double_fold, sol.double_fold),
    "nine": (ex.check_nine, ex.nine, sol.nine),
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


def raises():
    raise ZeroDivisionError("division by zero")


def shifted(build, by: float):
    """build() with its read-out's bias moved by `by`: off everywhere by that much."""

    def network():
        model = build()
        with torch.no_grad():
            model.output.bias += by
        return model

    return network


def nan_net():
    model = sol.double_fold()
    with torch.no_grad():
        model.neurons[0].weight.fill_(float("nan"))
    return model


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (raises, "your function raised ZeroDivisionError('division by zero')"),
        (lambda: None, "your function returned a NoneType, not a SkipNet"),
        (lambda: torch.nn.Linear(1, 1), "your function returned a Linear, not a SkipNet"),
        (lambda: minimal(2), None),  # 2 neurons, but another function: said below
        (lambda: SkipNet(3), "your network has 3 ReLU neurons; use 2"),
        (shifted(sol.double_fold, 0.5), "at x = -4 your network gives 8.5, ||x - 8| - 4| is 8"),
        (nan_net, "at x = -4 your network gives nan, ||x - 8| - 4| is 8"),
    ],
)
def test_double_fold_check_says_what_is_wrong(answer, message, capsys):
    passed, printed = verdict(ex.check_double_fold, answer, capsys)
    assert not passed
    if message is None:  # minimal(2) is x mod 2 on 0..3: right at none of the grid's ends
        assert printed.startswith("✗ at x = -4 your network gives")
    else:
        assert message in printed


def only_at_even():
    """Right on the even numbers of 0..8 and wrong on the odd ones: the constant 0."""
    model = sol.nine()
    with torch.no_grad():
        model.output.weight.zero_()
        model.output.bias.zero_()
    return model


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (raises, "your function raised ZeroDivisionError"),
        (lambda: "net", "your function returned a str, not a SkipNet"),
        (lambda: minimal(4), "your network has 4 ReLU neurons; use 3"),
        (lambda: minimal(2), "your network has 2 ReLU neurons; use 3"),
        (only_at_even, "at x = 1 your network gives 0, x mod 2 is 1"),
        (shifted(sol.nine, 1e-3), "at x = 0 your network gives 0.001, x mod 2 is 0"),
    ],
)
def test_nine_check_says_what_is_wrong(answer, message, capsys):
    passed, printed = verdict(ex.check_nine, answer, capsys)
    assert not passed and message in printed


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        (lambda x: 1 / x if x == 0 else 2.0, "at x = 0 your formula raised ZeroDivisionError"),
        (lambda x: "two", "at x = -10 your formula returned a str"),
        (lambda x: True, "at x = -10 your formula returned a bool"),
        (lambda x: float("nan"), "off by nan at x = -10"),
        (lambda x: min(max(x, 2), 5) + 0.001, "off by 0.001 at x = -10"),
        (lambda x: max(x, 2), "off by 0.01 at x = 5.01: the network gives 5"),  # no upper clamp
        (lambda x: torch.tensor(min(max(x, 2), 5)), None),  # a tensor is a number too
    ],
)
def test_mystery_check_says_what_is_wrong(formula, message, capsys):
    passed, printed = verdict(ex.check_mystery, formula, capsys)
    if message is None:
        assert passed
    else:
        assert not passed and message in printed


def test_checks_never_raise_on_odd_input(capsys):
    for check in (ex.check_double_fold, ex.check_nine, ex.check_mystery):
        for answer in (None, 3, "x", [], object()):
            assert check(answer) is False
    assert capsys.readouterr().out.count("✗") == 15


# --- the solutions, and the numbers they state ------------------------------------------


def stated(text: str, zh: str | None = None) -> None:
    """`text` appears on the English page, `zh` (or `text`) on the Chinese one."""
    for lang, said in (("en", text), ("zh", zh or text)):
        assert said in (DOCS[lang] / "parity.md").read_text("utf-8"), (lang, said)


@pytest.fixture(scope="module")
def solutions_run() -> dict:
    """The solutions' runs (`python -m snippets.parity_solutions`): what they print."""
    return run_solutions("parity_solutions")


def test_what_the_solutions_runs_print(solutions_run):
    assert solutions_run["lines"] == [
        "||x - 8| - 4| on [-4, 20]: 4 pieces",
        "at -1, 16, 17, 24: [-1.0, 0.0, -1.0, -8.0]",
        "with skips, at least 4 neurons; minimal(4) exact: True",
        "strictly layered, at least 5 ReLUs",
        "neuron 1 ablated: the output moves by up to 18",
        "neuron 2 ablated: the output moves by up to 15",
        "neuron 3 ablated: the output moves by up to 0",
        "at -30 and 100: [52.0, 5.0]",
        "✓ your formula is the network's on [-10, 20]",
    ]
    stated("`count_pieces` finds 4 on [−4, 20]", "`count_pieces` 在 [−4, 20] 上数出 4 段")
    stated("up to\n    18 or 15", "最多分别变化 18 和 15")
    stated("At −30 it gives 52", "−30 处却输出 52")


def test_the_pieces_and_kinks_the_solutions_count():
    # 3.1: kinks at 4, 8, 12, slopes -1, +1, -1, +1
    g = copy.deepcopy(sol.double_fold()).double()
    x = torch.linspace(-4, 20, 24 * 64 + 1, dtype=torch.float64).reshape(-1, 1)
    with torch.no_grad():
        y = g(x).flatten()
    slopes = ((y[1:] - y[:-1]) / (x[1, 0] - x[0, 0])).round().unique_consecutive().tolist()
    assert slopes == [-1.0, 1.0, -1.0, 1.0]
    assert count_pieces(g, -4, 20) == 4
    stated("slopes −1, +1, −1, +1", "斜率依次是 −1、+1、−1、+1")
    # 3.2: three neurons make at most 8 pieces: 9 alternating labels, not 10; the solution's
    # weights are minimal(3)'s, which is exact at 8 too
    assert 2**3 == 9 - 1 < 10 - 1
    pairs = zip(sol.nine().named_parameters(), minimal(3).named_parameters(), strict=True)
    for (name, a), (_, b) in pairs:
        assert torch.equal(a, b), name
    stated("weights of `minimal(3)`", "`minimal(3)` 的权重")


def test_beyond_and_the_symmetry_of_minimal_4():
    model = copy.deepcopy(minimal(4)).double()
    x = torch.arange(-40.0, 57.0, dtype=torch.float64).reshape(-1, 1)
    with torch.no_grad():
        out = model(x).flatten()
        mirrored = model(16 - x).flatten()
    assert torch.equal(out, mirrored)  # symmetric about 8
    past = x.flatten() >= 15
    assert torch.equal(out[past], 16 - x.flatten()[past])  # one straight line past 15
    stated("16 − *x*")


def test_the_bounds_for_twelve_integers():
    gaps = 11
    assert 2**3 < gaps <= 2**4  # with skips: 4 neurons
    best = {total: max(laps_bound(w) for w in width_sequences(total)) for total in range(1, 6)}
    assert best[4] < gaps <= best[5]  # strictly layered: at least 5
    x = torch.arange(12.0).reshape(-1, 1)
    with torch.no_grad():
        assert torch.equal(compact(4)(x), x % 2)
    assert sum(layer.out_features for layer in compact(4)[:-1:2]) == 7
    stated("`compact(4)` uses 7", "`compact(4)` 用了 7 个")


def test_the_mystery_network_is_the_stated_formula_on_its_domain():
    """At every integer of [-10, 20], at every kink, and on a grid of step 0.001 between."""
    kinks = ex.kinks_of(ex.mystery, -30, 20)
    assert kinks == pytest.approx([-20.0, 2.0, 5.0], abs=1e-5)
    points = torch.cat(
        [
            torch.arange(-10.0, 21),
            torch.tensor([2.0, 5.0]),
            torch.linspace(-10, 20, 30_001),
        ]
    ).double()
    network = copy.deepcopy(ex.mystery).double()  # float64: every operation exact here
    with torch.no_grad():
        out = network(points.reshape(-1, 1)).flatten()
    formula = torch.tensor([sol.mystery_formula(x) for x in points.tolist()], dtype=torch.float64)
    assert torch.equal(out, formula)
    assert ex.mystery.output.weight.dtype == torch.float32  # the copy left the page's alone
