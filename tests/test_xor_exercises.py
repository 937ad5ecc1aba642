"""Chapter 4's exercises: every check fails its untouched stub with the intended message, passes
its worked solution, and answers wrong ones without raising; every number the solutions state."""

import copy
import math

import pytest
import torch
from torch import nn

from site_tools import experiments
from snippets import xor_exercises as ex
from snippets import xor_solutions as sol
from snippets.xor import SkipNet, make_data, make_model, one_relu, train

from helpers import DOCS, run_solutions

# what each check prints for its untouched stub: the reader's first sight of the exercise
STUB_MESSAGES = {
    "xnor": "✗ at (a, b) = (0, 0) your network gives 0, not 1",
    "sigmoid_xor": "✗ at (a, b) = (0, 0) your network gives 0.5, more than 0.1 from 0",
    "revive": "✗ neuron 2 is still 0 on all four inputs",
    "mystery": "✗ off by 2 at (a, b) = (-1, -1): the network gives -2, your formula 0",
}


def verdict(check, *args, capsys) -> tuple[bool, str]:
    passed = check(*args)
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1, f"not one line: {printed!r}"
    assert isinstance(passed, bool) and printed.startswith("✓ " if passed else "✗ ")
    return passed, printed.rstrip("\n")


@pytest.fixture(scope="module")
def seed0() -> nn.Sequential:
    """The page's failed run: seed 0, the second neuron dead."""
    return train(seed=0).model


def test_the_untouched_stubs_fail_with_the_intended_messages(seed0, capsys):
    for name, check, args in [
        ("xnor", ex.check_xnor, [ex.xnor_one_relu]),
        ("sigmoid_xor", ex.check_sigmoid_xor, [ex.sigmoid_xor]),
        ("revive", ex.check_revive, [ex.revive, seed0]),
        ("mystery", ex.check_mystery, [ex.mystery_formula]),
    ]:
        assert verdict(check, *args, capsys=capsys) == (False, STUB_MESSAGES[name])


def test_the_solutions_pass(seed0, capsys):
    before = copy.deepcopy(seed0.state_dict())
    assert verdict(ex.check_xnor, sol.xnor_one_relu, capsys=capsys)[0]
    assert verdict(ex.check_sigmoid_xor, sol.sigmoid_xor, capsys=capsys)[0]
    assert verdict(ex.check_revive, sol.revive, seed0, capsys=capsys)[0]
    assert verdict(ex.check_mystery, sol.mystery_formula, capsys=capsys)[0]
    assert all(torch.equal(before[k], v) for k, v in seed0.state_dict().items())


def raises():
    raise RuntimeError("not yet")


def with_nan(model):
    with torch.no_grad():
        model.output.bias.fill_(float("nan"))
    return model


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (raises, "your function raised RuntimeError('not yet')"),
        (lambda: make_model(), "returned a Sequential, not a SkipNet"),
        (lambda: SkipNet(2, 2), "your network has 2 ReLU neurons; 1 is enough"),
        (one_relu, "at (a, b) = (0, 0) your network gives 0, not 1"),  # XOR, not XNOR
        (lambda: with_nan(sol.xnor_one_relu()), "at (a, b) = (0, 0) your network gives nan"),
        # a near miss, one float32 step below 1: the digits show that it misses
        (
            lambda: nudged(sol.xnor_one_relu()),
            "at (a, b) = (0, 0) your network gives 0.9999999, not 1",
        ),
    ],
)
def test_xnor_check_says_what_is_wrong(answer, message, capsys):
    passed, printed = verdict(ex.check_xnor, answer, capsys=capsys)
    assert not passed and message in printed


def nudged(model):
    with torch.no_grad():
        model.output.bias.fill_(1 - 2**-24)  # the float32 number just below 1
    return model


@pytest.mark.parametrize(
    ("got", "want", "tolerance", "shown"),
    [
        (0.5, 0.0, 0.1, "0.5"),
        (0.11920292, 0.0, 0.1, "0.1192"),
        (0.10000001, 0.0, 0.1, "0.10000001"),  # not "0.1, more than 0.1 from 0"
        (1 - 2**-24, 1.0, 0.0, "0.9999999"),  # not "1, not 1"
        (1 + 1e-15, 1.0, 0.0, "1.000000000000001"),
        (-3e-9, 0.0, 0.0, "-3e-09"),
        (float("nan"), 0.0, 0.1, "nan"),
    ],
)
def test_a_miss_is_shown_with_the_digits_that_miss(got, want, tolerance, shown):
    assert ex.digits_that_miss(got, want, tolerance) == shown


def soft_sigmoid_xor() -> nn.Sequential:
    model = sol.sigmoid_xor()
    with torch.no_grad():
        model[2].weight.mul_(0.2)  # a gentler output: 0.88 and 0.12 at the corners
        model[2].bias.mul_(0.2)
    return model


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (lambda: make_model(2, "relu"), 'return make_model(hidden=2, activation="sigmoid")'),
        (lambda: make_model(3, "sigmoid"), "your network has 3 hidden units; 2 are enough"),
        (soft_sigmoid_xor, "at (a, b) = (0, 0) your network gives 0.1192, more than 0.1 from 0"),
        (lambda: None, 'return make_model(hidden=2, activation="sigmoid")'),
    ],
)
def test_sigmoid_check_says_what_is_wrong(answer, message, capsys):
    passed, printed = verdict(ex.check_sigmoid_xor, answer, capsys=capsys)
    assert not passed and message in printed


def change_live_neuron(model):
    model = sol.revive(model)
    with torch.no_grad():
        model[0].bias[0] += 0.01
    return model


def revive_only(model):
    with torch.no_grad():
        model[0].weight[1] = torch.tensor([1.0, -1.0])
    return model


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (change_live_neuron, "you changed neuron 1, which was alive: change the dead one"),
        (revive_only, "at (a, b) = (0, 0) your network gives 0.3333, more than 0.1 from 0"),
        (lambda model: "fixed", "your function returned a str, not the network"),
        (lambda model: model[5], "your function raised IndexError"),
    ],
)
def test_revive_check_says_what_is_wrong(answer, message, seed0, capsys):
    passed, printed = verdict(ex.check_revive, answer, seed0, capsys=capsys)
    assert not passed and message in printed


def test_revive_check_needs_the_network(capsys):
    passed, printed = verdict(ex.check_revive, sol.revive, None, capsys=capsys)
    assert not passed and "pass seed 0's network, result.model" in printed


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        (lambda a, b: float(a != b), "off by 2 at (a, b) = (-1, -1)"),  # XOR on the bits only
        (lambda a, b: a + b - 2 * max(a + b - 1, 0) + 1e-3, "off by 0.001"),
        (lambda a, b: None, "your formula returned NoneType"),
        (lambda a, b: math.sqrt(a), "at (a, b) = (-1, -1) your formula raised ValueError"),
    ],
)
def test_mystery_check_says_what_is_wrong(formula, message, capsys):
    passed, printed = verdict(ex.check_mystery, formula, capsys=capsys)
    assert not passed and message in printed


def test_checks_never_raise_on_odd_input(seed0, capsys):
    for answer in (None, 3, "x", [], object()):
        assert ex.check_xnor(answer) is False
        assert ex.check_sigmoid_xor(answer) is False
        assert ex.check_revive(answer, seed0) is False
        assert ex.check_revive(sol.revive, answer) is False
        assert ex.check_mystery(answer) is False
    assert capsys.readouterr().out.count("✗") == 25


# --- the solutions, and the numbers they state ------------------------------------------


def stated(text: str, zh: str | None = None) -> None:
    """`text` on the English page and `zh` (or the same text) on the Chinese one."""
    for lang, words in (("en", text), ("zh", zh or text)):
        assert words in (DOCS[lang] / "xor.md").read_text("utf-8"), (lang, words)


@pytest.fixture(scope="module")
def solutions_run() -> dict:
    return run_solutions("xor_solutions")


def test_what_the_solutions_runs_print(solutions_run):
    assert solutions_run["lines"] == [
        "dead at the start: 0.2716 of the neurons; 13/48 = 0.2708",
        "[1.0, -4.0, -1.5]",
        "✓ your formula is the network's on [-1, 2]²",
    ]
    stated("gives −1.5, not −8", "网络给出 −1.5，而不是 −8")


def test_the_numbers_of_the_solutions(seed0):
    x, y = make_data()
    with torch.no_grad():
        # 4.3: 0.99995 and 0.00005 at the corners
        out = sol.sigmoid_xor()(x)[:, 0].tolist()
        hidden = seed0[1](seed0[0](x))
    assert [f"{v:.5f}" for v in out] == ["0.00005", "0.99995", "0.99995", "0.00005"]
    stated("0.99995")
    stated("0.00005")
    # 4.4: seed 0's first neuron is on only at (0, 1), at 0.825; the second is dead
    assert (hidden[:, 1] == 0).all() and (hidden[[0, 2, 3], 0] == 0).all()
    assert f"{hidden[1, 0]:.3f}" == "0.825"
    # "divided by its value at (0, 1), 0.825…": 0.825 itself would leave XOR off at (0, 1)
    assert abs(hidden[1, 0].item() / 0.825 - 1) > 1e-5
    stated("its value at (0, 1), 0.825…", "除以它在 (0, 1) 处的值（0.825…）")
    with torch.no_grad():
        assert torch.allclose(sol.revive(copy.deepcopy(seed0))(x), y, atol=1e-6)  # exactly XOR


def test_the_probability_of_a_dead_start():
    """13/48 by the integral of the solution, checked against PyTorch's own initialisation."""
    assert (7 / 3 - 1 / 6) / 8 == pytest.approx(13 / 48)
    assert f"{13 / 48:.3f}" == "0.271" and f"{1 - (35 / 48) ** 2:.3f}" == "0.468"
    stated("13/48 ≈ 0.271")
    stated("1 − (35/48)² ≈ 0.468")
    torch.manual_seed(1)
    layer = nn.Linear(2, 200_000)
    bound = 1 / math.sqrt(2)
    for tensor in (layer.weight, layer.bias):  # uniform on (-1/sqrt 2, 1/sqrt 2), as stated
        assert tensor.abs().max().item() <= bound
        assert tensor.abs().max().item() > bound - 1e-3
    x, _ = make_data()
    with torch.no_grad():
        dead = (layer(x) <= 0).all(dim=0).float().mean().item()
    assert dead == pytest.approx(13 / 48, abs=0.005)  # 5 standard errors
    # and the chapter's sweep: its share of dead starts is consistent with 13/48
    result = experiments.result("xor")
    units = result.value("relu_2_units")
    share = result.value("relu_2_dead_at_start") / units
    assert abs(share - 13 / 48) < 3 * math.sqrt(13 / 48 * 35 / 48 / units)


def test_the_mystery_network_is_the_stated_formula_on_its_domain():
    """At every integer pair of [-1, 2]^2, along the fold line a + b = 1, and on a grid of step
    0.02 between."""
    network = copy.deepcopy(ex.mystery).double()
    steps = torch.linspace(-1, 2, 151, dtype=torch.float64)
    integers = torch.arange(-1.0, 3, dtype=torch.float64)
    fold = torch.stack([steps, 1 - steps], dim=1)
    pairs = torch.cat(
        [
            torch.cartesian_prod(integers, integers),
            torch.cartesian_prod(steps, steps),
            fold[(fold[:, 1] >= -1) & (fold[:, 1] <= 2)],
        ]
    )
    with torch.no_grad():
        out = network(pairs)[:, 0]
        hidden = network[1](network[0](pairs))
    formula = [sol.mystery_formula(a, b) for a, b in pairs.tolist()]
    assert torch.allclose(out, torch.tensor(formula, dtype=torch.float64), rtol=0, atol=1e-9)
    # on the square: neuron 1 dead, neuron 3 on everywhere, neuron 2 folds
    assert (hidden[:, 0] == 0).all() and (hidden[:, 2] > 0).all()
    assert (hidden[:, 1] == 0).any() and (hidden[:, 1] > 0).any()
    with torch.no_grad():
        new = ex.mystery(torch.tensor([[0.5, 0.5], [3.0, 3.0], [-4.0, -4.0]]))[:, 0].tolist()
    assert new == [1.0, -4.0, -1.5] and sol.mystery_formula(-4.0, -4.0) == -8.0
