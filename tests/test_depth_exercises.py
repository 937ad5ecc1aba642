"""Chapter 6's exercises: every check fails its untouched stub with the intended message, passes
its worked solution, and answers wrong ones without raising; every number the pages state."""

import copy

import pytest
import torch
from torch import nn

from site_tools.chapters.depth import dead_layer
from site_tools.chapters.parity import exact_pieces, exact_slopes
from snippets import depth_exercises as ex
from snippets import depth_solutions as sol
from snippets.depth import Shallow, points, sawtooth, shallow_sawtooth, tent

from helpers import DOCS, run_solutions
from helpers import wrapped_verdict as verdict

# what each check prints for its untouched stub: the reader's first sight of the exercise
STUB_MESSAGES = {
    "tent": (
        "✗ for peak = 0.5, height = 1: your tent's slope on [0, 0.5] is 0; to reach 1 at "
        "x = 0.5 it needs 2"
    ),
    "wide": (
        "✗ on [0, 0.25] your network's slope is 0; the sawtooth rises from 0 to 1 there, with "
        "slope 4"
    ),
    "mystery": "✗ off by 0.009 at x = 0.001: the network gives 0.009, your formula 0",
}
CHECKS = {
    "tent": (ex.check_tent, [ex.tent_at], [sol.tent_at]),
    "wide": (ex.check_wide_sawtooth, [ex.wide_sawtooth], [sol.wide_sawtooth]),
    "mystery": (ex.check_mystery, [ex.mystery_formula], [sol.mystery_formula]),
}
SUCCESS = {
    "tent": "✓ all five tents, each with two ReLUs",
    "wide": "✓ the sawtooth with 2 folds, with one hidden layer of 4 ReLUs",
    "mystery": "✓ your formula is the network's on [0, 1]",
}


@pytest.mark.parametrize("name", CHECKS)
def test_the_untouched_stub_fails_with_the_intended_message(name, capsys):
    check, stub, _ = CHECKS[name]
    assert verdict(check, *stub, capsys=capsys) == (False, STUB_MESSAGES[name])


@pytest.mark.parametrize("name", CHECKS)
def test_the_solution_passes(name, capsys):
    check, _, solution = CHECKS[name]
    assert verdict(check, *solution, capsys=capsys) == (True, SUCCESS[name])


def raises(*args):
    raise RuntimeError("not yet")


def one_layer(weights, biases, read_out, read_out_bias=0.0) -> nn.Sequential:
    """x -> len(biases) ReLUs -> one number, with these weights."""
    model = nn.Sequential(nn.Linear(1, len(biases)), nn.ReLU(), nn.Linear(len(biases), 1))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor(weights).reshape(-1, 1))
        model[0].bias.copy_(torch.tensor(biases))
        model[2].weight.copy_(torch.tensor([read_out]))
        model[2].bias.fill_(read_out_bias)
    return model


# --- 6.1 -----------------------------------------------------------------------------------


def tent_with(second_weight, up=None, bias=0.0):
    """A tent_at whose second read-out weight is second_weight(up, down)."""

    def tent_at(peak, height):
        rise = height / peak if up is None else up(peak, height)
        down = -height / (1 - peak)
        return one_layer([1.0, 1.0], [0.0, -peak], [rise, second_weight(rise, down)], bias)

    return tent_at


def other_way_round(peak, height):
    """A right answer written differently: down * x - down + (down - up) ReLU(peak - x)."""
    up, down = height / peak, -height / (1 - peak)
    return one_layer([1.0, -1.0], [0.0, peak], [down, down - up], -down)


def with_nan(peak, height):
    model = sol.tent_at(peak, height)
    with torch.no_grad():
        model[2].bias.fill_(float("nan"))
    return model


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (raises, "for peak = 0.5, height = 1: your function raised RuntimeError('not yet')"),
        # the chapter's tent, whatever the peak
        (
            lambda peak, height: tent(),
            "for peak = 0.25, height = 1: your network bends at x = 0.5; a tent bends only at "
            "its peak, x = 0.25",
        ),
        # the slope after the peak as the second weight: flat after the peak
        (
            tent_with(lambda up, down: down),
            "for peak = 0.5, height = 1: after the peak your tent's slope is 0; to fall from 1 "
            "to 0 at x = 1 it needs -2",
        ),
        # the height forgotten
        (
            tent_with(lambda up, down: down - up, up=lambda peak, height: 1 / peak),
            "for peak = 0.7, height = 0.6: your tent's slope on [0, 0.7] is 1.429; to reach 0.6 "
            "at x = 0.7 it needs 0.8571",
        ),
        (
            tent_with(lambda up, down: down - up, bias=0.1),
            "for peak = 0.5, height = 1: at x = 0 your tent is 0.1, not 0",
        ),
        (
            lambda peak, height: sol.tent_at(peak, height)[0],
            "return one hidden layer, nn.Sequential(nn.Linear(1, 2), nn.ReLU(), "
            "nn.Linear(2, 1)), as the stub does",
        ),
        (lambda peak, height: None, "return one hidden layer"),
        (
            lambda peak, height: one_layer([1.0] * 3, [0.0, -peak, 2.0], [1.0, 1.0, 1.0]),
            "your hidden layer has 3 ReLUs; use 2",
        ),
        (
            lambda peak, height: nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(3, 1)),
            "your read-out reads 3 numbers, not the 2 ReLUs",
        ),
        (
            lambda peak, height: nn.Sequential(
                nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1, bias=False)
            ),
            "keep the biases (nn.Linear's default), as the stub does",
        ),
        (with_nan, "for peak = 0.5, height = 1: your weights hold nan or inf"),
        # a rise a little too steep
        (
            tent_with(lambda up, down: down - up, up=lambda peak, height: height / peak + 1e-3),
            "for peak = 0.5, height = 1: your tent's slope on [0, 0.5] is 2.001; to reach 1",
        ),
        (other_way_round, None),  # a right answer, written another way
        (lambda peak, height: sol.tent_at(peak, height).double(), None),  # float64 will do
    ],
)
def test_tent_check_says_what_is_wrong(answer, message, capsys):
    passed, printed = verdict(ex.check_tent, answer, capsys=capsys)
    assert passed if message is None else (not passed and message in printed)


def test_the_grid_is_the_last_guard():
    """Past the slopes and bends, the grid compares every value: its message names the point."""

    def tent_at_half(x):
        return min(2 * x, 2 - 2 * x)

    right = ex.reader(sol.tent_at(0.5, 1.0))
    assert ex.grid_problem(right, tent_at_half, "the tent") is None
    assert ex.grid_problem(right, lambda x: tent_at_half(x) + (x == 0.75), "the tent") == (
        "at x = 0.75 your network gives 0.5, the tent 1.5"
    )


def test_the_tent_weights_and_the_sawtooth_read_out():
    """6.1: the second weight is -h / (a (1 - a)), and for a = 1/2 the weights are 2h and -4h,
    the read-out of sawtooth(1, height=h)."""
    for peak, height in [(0.25, 0.75), (0.7, 0.6), (0.5, 1.0)]:
        weights = sol.tent_at(peak, height)[2].weight.detach().flatten().tolist()
        assert weights[1] == pytest.approx(-height / (peak * (1 - peak)), rel=1e-6)
    for height in [0.5, 0.75, 1.0]:
        ours = sol.tent_at(0.5, height)[2].weight.detach()
        assert torch.equal(ours, torch.tensor([[2 * height, -4 * height]]))
        assert torch.equal(ours, sawtooth(1, height=height)[2].weight.detach())


# --- 6.2 -----------------------------------------------------------------------------------

KINKS = [0.0, -0.25, -0.5, -0.75]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (raises, "your function raised RuntimeError('not yet')"),
        # bends of 4, not 8: every other piece flat
        (
            lambda: one_layer([1.0] * 4, KINKS, [4.0, -4.0, 4.0, -4.0]),
            "at x = 0.25 your network's slope turns from 4 to 0, a bend of -4; the sawtooth's "
            "turns from 4 to -4, a bend of -8",
        ),
        # the wrong sign at 1/2
        (
            lambda: one_layer([1.0] * 4, KINKS, [4.0, -8.0, -8.0, -8.0]),
            "at x = 0.5 your network's slope turns from -4 to -12, a bend of -8; the "
            "sawtooth's turns from -4 to 4, a bend of 8",
        ),
        # no bend at 3/4
        (
            lambda: one_layer([1.0] * 4, KINKS, [4.0, -8.0, 8.0, 0.0]),
            "your network does not bend at x = 0.75; the sawtooth's turns from 4 to -4, a bend "
            "of -8",
        ),
        # a kink in the wrong place
        (
            lambda: one_layer([1.0] * 4, [0.0, -0.3, -0.5, -0.75], [4.0, -8.0, 8.0, -8.0]),
            "your network bends at x = 0.3, where the sawtooth is straight; it bends only at "
            "0.25, 0.5 and 0.75",
        ),
        # the biases' signs turned: every ReLU is on over all of [0, 1], and at 0 already
        (
            lambda: one_layer([1.0] * 4, [0.0, 0.25, 0.5, 0.75], [4.0, -8.0, 8.0, -8.0]),
            "at x = 0 your network gives -4; the sawtooth is 0",
        ),
        (
            lambda: one_layer([1.0] * 4, KINKS, [4.0, -8.0, 8.0, -8.0], 0.5),
            "at x = 0 your network gives 0.5; the sawtooth is 0",
        ),
        # the chapter's other networks are not one hidden layer of 4
        (lambda: shallow_sawtooth(2, skip=True), "return one hidden layer, nn.Sequential("),
        (lambda: sawtooth(2), "return one hidden layer, nn.Sequential(nn.Linear(1, 4)"),
        (lambda: shallow_sawtooth(3), "your hidden layer has 8 ReLUs; use 4"),
        (lambda: "sawtooth", "return one hidden layer"),
        (lambda: shallow_sawtooth(2), None),  # the chapter's construction is the answer
        # ReLU(x / 2) with twice the weight, and ReLU(1/4 - x) turned round: right too
        (lambda: one_layer([0.5, 1.0, 1.0, 1.0], KINKS, [8.0, -8.0, 8.0, -8.0]), None),
        (
            lambda: one_layer([1.0, -1.0, 1.0, 1.0], [0.0, 0.25, -0.5, -0.75], [-4, -8, 8, -8], 2),
            None,
        ),
    ],
)
def test_wide_check_says_what_is_wrong(answer, message, capsys):
    passed, printed = verdict(ex.check_wide_sawtooth, answer, capsys=capsys)
    assert passed if message is None else (not passed and message in printed)


def test_the_sawtooth_in_one_layer_and_the_relu_shallow_spares():
    """6.2: slopes 4, -4, 4, -4, bends -8, +8, -8; Shallow does it with 3 ReLUs, reading 4x;
    sawtooth(2) has 4 ReLUs too."""
    model = sol.wide_sawtooth()
    assert exact_slopes(model, 0, 1) == [4.0, -4.0, 4.0, -4.0]
    three = Shallow(3)
    with torch.no_grad():
        three.hidden.weight.fill_(1.0)
        three.hidden.bias.copy_(torch.tensor([-0.25, -0.5, -0.75]))
        three.output.weight.copy_(torch.tensor([[4.0, -8.0, 8.0, -8.0]]))  # x, then the ReLUs
        three.output.bias.zero_()
        x = torch.linspace(0, 1, 257).reshape(-1, 1)
        assert torch.equal(three(x), model(x)) and torch.equal(model(x), sawtooth(2)(x))
    relus = sum(layer.out_features for layer in sawtooth(2)[:-1] if isinstance(layer, nn.Linear))
    assert relus == 4


# --- 6.3 -----------------------------------------------------------------------------------


def test_two_hidden_layers():
    """6.3: 2^j + 2^(k-j) ReLUs in two layers compute s_k; for k = 10 that is 64, and the
    product bound asks for at least 62; L layers of 2^(k/L): 1,024, 64, 20, 20."""
    for k, j in [(4, 2), (5, 2), (6, 3)]:
        first, second = shallow_sawtooth(j).double(), shallow_sawtooth(k - j).double()
        joint = nn.Linear(2**j, 2 ** (k - j)).double()
        with torch.no_grad():
            joint.weight.copy_(second[0].weight @ first[2].weight)
            joint.bias.copy_(second[0].weight @ first[2].bias + second[0].bias)
        two = nn.Sequential(first[0], nn.ReLU(), joint, nn.ReLU(), second[2])
        assert exact_pieces(two, 0, 1) == 2**k
        x = points(k).double()
        with torch.no_grad():
            assert torch.equal(two(x), sawtooth(k).double()(x))
    # k = 6 from two copies of shallow_sawtooth(3): a 1 x 8 read-out, an 8 x 1 input layer
    first, second = shallow_sawtooth(3), shallow_sawtooth(3)
    assert first[2].weight.shape == (1, 8) and second[0].weight.shape == (8, 1)
    assert (second[0].weight @ first[2].weight).shape == (8, 8)
    assert first[0].out_features + second[0].out_features == 16
    assert 2**5 + 2**5 == 64
    # the least m1 + m2 with (m1 + 1)(m2 + 1) >= 1,024
    least = min(a + b for a in range(1025) for b in range(1025) if (a + 1) * (b + 1) >= 1024)
    assert least == 62
    assert [L * 2 ** (10 // L) for L in [1, 2, 5, 10]] == [1024, 64, 20, 20]
    assert min(L * 2 ** (10 / L) for L in range(1, 11)) > 18  # no L of 1..10 below 20 by much
    relus = sum(layer.out_features for layer in sawtooth(6)[:-1] if isinstance(layer, nn.Linear))
    assert relus == 12


# --- 6.6 -----------------------------------------------------------------------------------


def wrong_only_at_the_first_kink(x):
    """Right except at x = 1/12, which only the kinks, not the grid of step 0.001, reach."""
    return 0.7 if abs(x - 1 / 12) < 1e-6 else sol.mystery_formula(x)


def once(x):
    return min(3 * x, 1 - x)


def the_sawtooth(x):
    y = 1 - abs(1 - 2 * x)
    return 1 - abs(1 - 2 * y)


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        (once, "off by 0.006 at x = 0.001: the network gives 0.009, your formula 0.003"),
        (the_sawtooth, "off by 0.005 at x = 0.001: the network gives 0.009, your formula 0.004"),
        (wrong_only_at_the_first_kink, "off by 0.05 at x = 0.08333: the network gives 0.75"),
        # the middle piece taken for the falling side of the tent
        (
            lambda x: 1 - x if 0.25 <= x <= 0.75 else sol.mystery_formula(x),
            "off by 0.5 at x = 0.25: the network gives 0.25, your formula 0.75",
        ),
        (lambda x: None, "at x = 0 your formula returned a NoneType"),
        (lambda x: True, "at x = 0 your formula returned a bool"),
        (lambda x: [0.0], "at x = 0 your formula returned a list"),
        (lambda x: 1 / x, "at x = 0 your formula raised ZeroDivisionError"),
        (lambda x: float("nan"), "off by nan at x = 0: the network gives 0, your formula nan"),
        (lambda x: torch.tensor(sol.mystery_formula(x)), None),  # a tensor will do
    ],
)
def test_mystery_check_says_what_is_wrong(formula, message, capsys):
    passed, printed = verdict(ex.check_mystery, formula, capsys=capsys)
    assert passed if message is None else (not passed and message in printed)


def test_the_mystery_kinks_are_found():
    assert ex.kinks_of(ex.mystery, 0.0, 1.0) == pytest.approx([1 / 12, 0.25, 0.75], abs=1e-6)


def test_a_network_passed_for_the_function_is_named(capsys):
    passed, printed = verdict(ex.check_tent, sol.tent_at(0.5, 1.0), capsys=capsys)
    assert (passed, printed) == (False, "✗ pass the function, tent_at, not a network it made")
    passed, printed = verdict(ex.check_wide_sawtooth, sol.wide_sawtooth(), capsys=capsys)
    assert (passed, printed) == (False, "✗ pass the function, wide_sawtooth, not its network")


def test_checks_never_raise_on_odd_input(capsys):
    odd = [None, 3, "x", [], object()]
    for answer in odd:
        assert ex.check_tent(answer) is False
        assert ex.check_wide_sawtooth(answer) is False
        assert ex.check_mystery(answer) is False
    assert capsys.readouterr().out.count("✗") == 3 * len(odd)


def test_the_mystery_network_is_the_stated_formula():
    """On [0, 1] in float64, exactly: the tent of 6.1 with peak 1/4 and height 3/4, twice; its
    pieces 9x, 1 - 3x, x, 3 - 3x with kinks 1/12, 1/4, 3/4."""
    model = copy.deepcopy(ex.mystery).double()
    x = torch.linspace(0, 1, 12 * 36 * 8 + 1, dtype=torch.float64).reshape(-1, 1)
    with torch.no_grad():
        out = model(x).flatten()
        first = model[2](model[1](model[0](x)))[:, 0]  # what the second layer's neuron 1 reads
        tent_again = sol.tent_at(0.25, 0.75).double()(x).flatten()
    said = torch.tensor([sol.mystery_formula(v) for v in x.flatten().tolist()], dtype=out.dtype)
    assert torch.allclose(out, said, rtol=0, atol=1e-12)
    assert torch.allclose(first, tent_again, rtol=0, atol=1e-12)  # y is tent_at(0.25, 0.75)
    assert 0 <= first.min() and first.max() == pytest.approx(0.75)
    assert exact_pieces(model, 0, 1) == 4
    assert exact_slopes(model, 0, 1) == pytest.approx([9.0, -3.0, 1.0, -3.0])
    for v, want in [(0, 0), (1 / 12, 0.75), (0.25, 0.25), (0.5, 0.5), (0.75, 0.75), (1, 0)]:
        assert sol.mystery_formula(v) == pytest.approx(want)
    # the tent: slope 3 up to 1/4, then -1: a turn of -4
    assert exact_slopes(tent_like_first_layer(), 0, 1) == pytest.approx([3.0, -1.0])


def tent_like_first_layer() -> nn.Sequential:
    """The mystery's first layer with its second layer's reading of it, 3 h1 - h2."""
    model = nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1)).double()
    with torch.no_grad():
        model[0].weight.copy_(ex.mystery[0].weight)
        model[0].bias.copy_(ex.mystery[0].bias)
        model[2].weight.copy_(ex.mystery[2].weight[:1])
        model[2].bias.copy_(ex.mystery[2].bias[:1])
    return model


def test_a_third_fold_and_the_outside():
    """Three folds: 6 pieces, straight between 0, 1/36, 1/12, 1/4, 3/4, 11/12 and 1; 0 at -1 and
    2, where the formula gives -9 and -3; at x = 2 the second layer reads y = -1."""
    # every layer a copy of its own (exact_pieces visits a layer used twice only once)
    layers = [copy.deepcopy(layer) for layer in [*ex.mystery[:4], *ex.mystery[2:]]]
    three = nn.Sequential(*layers).double()
    assert exact_pieces(three, 0, 1) == 6
    ends = torch.tensor([0, 1 / 36, 1 / 12, 1 / 4, 3 / 4, 11 / 12, 1], dtype=torch.float64)
    middles = (ends[:-1] + ends[1:]) / 2
    with torch.no_grad():
        at_ends = three(ends.reshape(-1, 1)).flatten()
        at_middles = three(middles.reshape(-1, 1)).flatten()
    assert torch.allclose(at_ends, torch.tensor([0, 0.75, 0.25, 0.75, 0.25, 0.75, 0.0]).double())
    # straight between the stated kinks: the middle of each stretch is the average of its ends
    assert torch.allclose(at_middles, (at_ends[:-1] + at_ends[1:]) / 2, rtol=0, atol=1e-12)
    with torch.no_grad():
        outside = ex.mystery(torch.tensor([[-1.0], [2.0]])).flatten().tolist()
        reads = ex.mystery[2](ex.mystery[1](ex.mystery[0](torch.tensor([[2.0]]))))
    assert outside == [0.0, 0.0]
    assert reads[0, 0].item() == -1.0
    assert [sol.mystery_formula(v) for v in [-1, 2]] == [-9, -3]


# --- the solutions, and the numbers they state ------------------------------------------


@pytest.fixture(scope="module")
def solutions_run() -> dict:
    """The solutions' runs (`python -m snippets.depth_solutions`): what they print."""
    return run_solutions("depth_solutions")


HEIGHTS = {
    1.0: [2, 4, 8, 16, 32, 64, 128, 256],
    0.9: [2, 4, 8, 16, 30, 56, 104, 190],
    0.75: [2, 4, 8, 14, 24, 38, 60, 92],
    0.5: [2, 2, 2, 2, 2, 2, 2, 2],
}
WIDER = {  # width: (solved of 10, pieces by count_pieces at step 2^-14)
    2: (0, [1, 3, 1, 1, 1, 1, 1, 1, 2, 1]),
    8: (1, [3, 4, 4, 3, 4, 1, 8, 1, 3, 7]),
    32: (9, [25, 9, 19, 30, 9, 12, 15, 21, 20, 16]),
}


def test_what_the_solutions_runs_print(solutions_run):
    heights = [f"h = {h:g}: {counts}" for h, counts in HEIGHTS.items()]
    wider = [
        f"width {w}: solved {solved} of 10; pieces {pieces}; bound {(w + 1) ** 2}"
        for w, (solved, pieces) in WIDER.items()
    ]
    assert solutions_run["lines"] == [
        "✓ all five tents, each with two ReLUs",
        "tent_at(0.5, 0.75): [[1.5, -3.0]]  sawtooth(1, height=0.75): [[1.5, -3.0]]",
        "✓ the sawtooth with 2 folds, with one hidden layer of 4 ReLUs",
        "two hidden layers of 8 ReLUs; largest difference from s_6: 0.0",
        *heights,
        "h = 0.9, at x = 1/2: [0.9, 0.18, 0.324, 0.5832, 0.7502]",
        "h = 0.75, at x = 1/2: [0.75, 0.375, 0.5625, 0.6562, 0.5156]",
        "h = 0.5, at x = 1/2: [0.5, 0.5, 0.5, 0.5, 0.5]",
        *wider,
        "[0.0, 0.75, 0.25, 0.5, 0.75, 0.0]",
        "pieces: 4",
        "✓ your formula is the network's on [0, 1]",
        "three folds: 6",
        "at -1 and 2: [0.0, 0.0] [-9, -3]",
    ]


def test_the_counts_of_the_lower_tents_are_exact():
    """6.4: count_pieces on its grid gives the exact counts; the doubling first fails at fold 4
    for h = 0.75 and fold 5 for h = 0.9, where the valley at x = 1/2 left by the fold before is
    above 1/2, between two peaks of h."""
    for h, counts in HEIGHTS.items():
        assert [exact_pieces(sawtooth(k, height=h), 0, 1) for k in range(1, 9)] == counts
    first_short = {
        h: next((k for k, n in enumerate(c, start=1) if n < 2**k), None) for h, c in HEIGHTS.items()
    }
    assert first_short == {1.0: None, 0.9: 5, 0.75: 4, 0.5: 2}
    for h, folds, valley in [(0.75, 3, 0.5625), (0.9, 4, 0.5832)]:
        model = sawtooth(folds, height=h).double()
        x = torch.tensor([[0.5 - 1e-3], [0.5], [0.5 + 1e-3]], dtype=torch.float64)
        with torch.no_grad():
            left, middle, right = model(x).flatten().tolist()
        assert middle == pytest.approx(valley, abs=1e-6) and left > middle < right
        # the pieces on either side run up to a peak of h without crossing 1/2
        slopes = exact_slopes(model, 0, 1)
        half = len(slopes) // 2
        assert slopes[half - 1] < 0 < slopes[half]
        rise = 0.5 + (h - valley) / slopes[half]  # where the piece right of 1/2 reaches h
        with torch.no_grad():
            assert model(torch.tensor([[rise]], dtype=torch.float64)).item() == pytest.approx(h)
        # the fold before leaves no such valley: the doubling still holds
        assert HEIGHTS[h][folds - 1] == 2**folds
    # below height 1 the network keeps its 2k ReLUs
    for k in range(1, 9):
        layers = sawtooth(k, height=0.5)[:-1]
        assert sum(layer.out_features for layer in layers if isinstance(layer, nn.Linear)) == 2 * k
    # h = 1/2: the tent is the identity on [0, 1/2]
    y = torch.linspace(0, 0.5, 101, dtype=torch.float64).reshape(-1, 1)
    with torch.no_grad():
        assert torch.allclose(sawtooth(1, height=0.5).double()(y), y, rtol=0, atol=1e-7)


def test_the_wider_networks(solutions_run):
    """6.5: width 2 solves none, eight of its networks ending as one flat piece; width 8 one; width
    32 nine (seeds 1 to 9), with 9 to 30 pieces by count_pieces, within 0.05 of s_2 without
    being it; the bound (w + 1)^2 is 1,089 at width 32."""
    solved = WIDER[32][1][1:]  # seeds 1 to 9, as the errors below show
    assert (min(solved), max(solved)) == (9, 30)
    assert sum(p == 1 for p in WIDER[2][1]) > 5 and (32 + 1) ** 2 == 1089
    # the width-32 runs, as the solutions left them (converted to float64 by count_pieces)
    runs = solutions_run["names"]["runs"]
    x = points(2).double()
    with torch.no_grad():
        target = sawtooth(2).double()(x)
        errors = [(m(x) - target).abs().max().item() for m in runs.models]
    assert [e < 0.05 for e in errors] == [False] + [True] * 9
    assert all(e > 1e-3 for e in errors)  # within 0.05, but none is s_2
    exact = [exact_pieces(m, 0, 1) for m in runs.models]
    # count_pieces can miss pieces shorter than two steps of its grid, never add one
    assert all(e >= c for e, c in zip(exact, WIDER[32][1], strict=True))
    assert min(exact[1:]) > 4 and max(exact) < 100
    # width 2: eight end as one straight, flat piece, four of them with a dead layer
    from snippets.depth import train_many

    narrow = train_many(2, 2, list(range(10))).models
    flat = [k for k in range(10) if WIDER[2][1][k] == 1]
    assert len(flat) == 8
    slopes = [exact_slopes(narrow[k], 0, 1) for k in flat]
    assert all(len(s) == 1 and abs(s[0]) < 1e-4 for s in slopes)  # one flat piece
    assert sum(dead_layer(narrow[k], points(2)) for k in flat) == 4


# what the pages say, English and Chinese, each backed by a test above
STATED = [
    # 6.1
    ("−*h*/(*a*(1 − *a*))", None),
    ("1.5 and −3", "1.5 和 −3"),
    ("2*h* and −4*h*", "2*h* 和 −4*h*"),
    ("flat after the peak", "水平线"),
    # 6.2
    ("4, −4, 4, −4", "4、−4、4、−4"),
    ("−8, +8 and −8", "−8、+8、−8"),
    ("\\(2^k - 1 = 3\\)", None),
    ("also has four ReLUs", "也是四个 ReLU"),
    # 6.3
    ("32 + 32 = 64", None),
    ("1,024 in one layer", "单隐藏层则要 1,024 个"),
    ("at least 62", "至少要 62 个"),
    ("between 62 and 64", "在 62 到 64 之间"),
    ("20 with five", "五层（每层 4 个）要 20 个"),
    ("20 with ten layers of 2", "十层（每层 2 个，即本章的网络）也是 20 个"),
    ("does it with 12", "只用 12 个"),
    # 6.4
    ("0.5625", None),
    ("14 pieces, not 16", "得到 14 个线性段，而不是 16 个"),
    ("0.5832", None),
    ("30, not 32", "得到 30 个，而不是 32 个"),
    ("190 and 92 against 256", "190 个和 92 个，高度为 1 时则是 256 个"),
    ("2 pieces for every *k*", "都只有 2 个线性段"),
    # 6.5
    ("solves none of the ten", "一个也没解出"),
    ("solves 1 of the 10", "宽度 8 解出了 1 个"),
    ("eight of its networks end as one", "其中八个最后只剩一条平直的线段"),
    ("four of them with a dead layer", "四个有一层死掉了"),
    ("Width 32 solves 9", "宽度 32 解出了 9 个"),
    ("9 to 30 pieces", "9 到 30 个线性段"),
    ("1,089", None),
    ("within 0.05", "不到 0.05"),
    # 6.6
    ("1/12", None),
    ("9*x*", None),
    ("1 − 3*x*", None),
    ("3 − 3*x*", None),
    ("min(3*x*, 1 − *x*)", None),
    ("`tent_at(0.25, 0.75)`", None),
    ("1/36", None),
    ("11/12", None),
    ("stay whole: 6 pieces", "一共 6 个线性段，而不是 8 个"),
    ("3 · 2 − 7 = −1", None),
    ("−9 and −3", "−9 和 −3"),
]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_pages_state_these_numbers(lang):
    page = DOCS[lang] / "depth.md"
    text = page.read_text("utf-8") if page.exists() else ""
    if "{ #exercise-6-1 }" not in text:
        pytest.skip("the chapter's page has no exercises yet")
    for en, zh in STATED:
        said = en if lang == "en" else zh or en
        assert said in text, (lang, said)
