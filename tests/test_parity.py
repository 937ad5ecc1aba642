"""Chapter 3: both constructions, the piece counter, the lower bound, training claims."""

import inspect
import math
import random
import re
from functools import partial
from itertools import pairwise

import numpy as np
import pytest
import torch
from torch import nn

from site_tools import experiments
from site_tools.chapters import parity as chapter
from site_tools.results import in_language, wilson
from snippets import parity
from snippets.parity import (
    MAX_BITS,
    MAX_LAYERED_BITS,
    MAX_POINTS,
    MAX_TOTAL,
    Centre,
    SkipNet,
    compact,
    count_pieces,
    dead_layers,
    fewest_layered,
    hardwired,
    initial_model,
    laps_bound,
    layered,
    layered_shape,
    make_data,
    minimal,
    relu_states,
    solves,
    steps_for,
    train,
    trimmed,
    width_sequences,
    wire_folds,
)
from snippets.sweep import fit_stacked, sequential_many, stack_parameters, train_many, unstack

from helpers import DOCS


def relu_neurons(model: nn.Module) -> int:
    if isinstance(model, SkipNet):
        return len(model.neurons)
    linears = [m for m in model if isinstance(m, nn.Linear)]
    return sum(lin.out_features for lin in linears[:-1])  # the last Linear is the read-out


def exact_on(model: nn.Module, x: torch.Tensor) -> bool:
    with torch.no_grad():
        return torch.equal(model(x), x % 2)


def test_data():
    x, y = make_data(4)
    assert x.shape == y.shape == (16, 1)
    assert x.flatten().tolist() == list(range(16))
    assert y.flatten().tolist() == [0.0, 1.0] * 8  # x mod 2: 1 for odd numbers


def constructions(n_bits: int) -> list[nn.Module]:
    built = [hardwired(n_bits), trimmed(n_bits), minimal(n_bits)]
    return built + ([compact(n_bits)] if n_bits >= 2 else [])


@pytest.mark.parametrize("n_bits", range(1, 17))
def test_every_construction_is_exact_on_every_input(n_bits):
    x, _ = make_data(n_bits)
    for model in constructions(n_bits):
        assert exact_on(model, x)


@pytest.mark.parametrize("n_bits", range(17, 25))
def test_every_construction_is_exact_on_random_inputs(n_bits):
    rng = random.Random(n_bits)
    values = [0, 1, 2**n_bits - 2, 2**n_bits - 1] + [rng.randrange(2**n_bits) for _ in range(3000)]
    x = torch.tensor(values, dtype=torch.float32).reshape(-1, 1)
    for model in constructions(n_bits):
        assert exact_on(model, x)


@pytest.mark.parametrize("n_bits", [1, 2, 4, 10, 24])
def test_neuron_counts(n_bits):
    assert relu_neurons(minimal(n_bits)) == n_bits  # meets the lower bound
    assert relu_neurons(hardwired(n_bits)) == 2 * (n_bits + 1)
    assert relu_neurons(trimmed(n_bits)) == 2 * n_bits  # the last fold was redundant
    if n_bits >= 2:
        assert relu_neurons(compact(n_bits)) == 2 * n_bits - 1
    assert layered_shape(4) == [1, 2, 2, 2, 2, 2, 1]
    assert relu_neurons(hardwired(4)) == 10  # not the article's "6 neurons"


def test_layered_constructions_are_strictly_layered():
    # each Linear reads only the layer before it: an nn.Sequential of Linear and ReLU
    for model in [hardwired(4), trimmed(4), compact(4)]:
        kinds = [type(layer) for layer in model]
        assert kinds == [nn.Linear, nn.ReLU] * (len(model) // 2) + [nn.Linear]
    widths = [m.out_features for m in compact(4) if isinstance(m, nn.Linear)]
    assert widths == [2, 2, 3, 1]


def test_counts_quoted_by_the_page():
    result = experiments.result("parity")
    assert result.value("hardwired_relus") == 10 and result.value("trimmed_relus") == 8
    for n_bits in (2, 3, 4):
        assert result.value(f"compact_relus_{n_bits}") == relu_neurons(compact(n_bits))
        assert result.value(f"layered_bound_{n_bits}") == fewest_layered(n_bits)
    # the bound and the construction meet for 2 and 3 bits, not (yet) for 4
    assert result.value("layered_bound_2") == result.value("compact_relus_2") == 3
    assert result.value("layered_bound_3") == result.value("compact_relus_3") == 5
    assert result.value("layered_bound_4") == 6 < result.value("compact_relus_4") == 7
    assert result.value("bound_sequences_4") == 2**5 - 1  # every shape with 1 to 5 ReLUs
    assert result.value("bound_largest_4") == 12 < 2**4 - 1


def test_the_layers_figure_says_where_the_zeros_are():
    # the folds the figure draws, |y - k| for k = 8, 4, 2, 1, 1, on x = 0 .. 15: where is
    # the value 0 after the fourth fold, and after the fifth?
    x = torch.arange(16.0)
    y, zeros = x, []
    for k in steps_for(4):
        y = (y - k).abs()
        zeros.append({int(v) for v in x[y == 0]})
    assert steps_for(4) == [8, 4, 2, 1, 1]
    kind = {
        frozenset(range(1, 16, 2)): ("odd", "奇数"),
        frozenset(range(0, 16, 2)): ("even", "偶数"),
    }
    (en_before, zh_before), (en_after, zh_after) = (kind[frozenset(z)] for z in zeros[3:])
    assert (en_before, en_after) == ("odd", "even")  # the arithmetic, said once in words
    alts = {}
    for lang in ("en", "zh"):
        page = (DOCS[lang] / "parity.md").read_text(encoding="utf-8")
        [alts[lang]] = re.findall(r"!\[([^\]]*)\]\(figures/parity-layers\.svg\)", page)
    assert f"the zeros moving from the {en_before} to the {en_after} numbers" in alts["en"]
    assert f"零点从{zh_before}移到了{zh_after}" in alts["zh"]


def test_hardwired_is_exact_on_minus_1_to_17_and_grows_outside():
    assert chapter.exact_range(hardwired(4), 4) == (-1, 17)
    with torch.no_grad():
        far = hardwired(4)(torch.tensor([[20.0], [30.0], [-10.0]])).flatten().tolist()
    assert far == [4.0, 14.0, 10.0]  # linear growth, slope 1, outside the range


def piecewise(knots: list[tuple[float, float]]):
    """The continuous piecewise linear function through the given (x, y) knots."""
    xs = torch.tensor([k[0] for k in knots], dtype=torch.float64)
    ys = torch.tensor([k[1] for k in knots], dtype=torch.float64)

    def f(x):
        x = x.flatten()
        i = torch.clamp(torch.searchsorted(xs, x) - 1, 0, len(xs) - 2)
        t = (x - xs[i]) / (xs[i + 1] - xs[i])
        return ys[i] + t * (ys[i + 1] - ys[i])

    return f


@pytest.mark.parametrize(
    ("knots", "pieces"),
    [
        ([(0, 0), (10, 5)], 1),
        ([(0, 0), (3, 3), (10, 3)], 2),
        ([(0, 0), (3.3, 1), (7.77, -2), (10, 0)], 3),  # kinks between grid points
        ([(0, 0), (1, 1), (2, 0), (3, 1), (4, 0)], 4),
        ([(0, 0), (5, 5), (10, 10)], 1),  # a knot that is not a kink
    ],
)
def test_count_pieces_on_hand_made_functions(knots, pieces):
    assert count_pieces(piecewise(knots), 0, knots[-1][0]) == pieces


def test_count_pieces_on_relu():
    assert count_pieces(torch.relu, -1, 1) == 2
    assert count_pieces(lambda x: torch.relu(x - 0.3), -1, 1) == 2


@pytest.mark.parametrize("n_bits", range(1, 11))
def test_minimal_has_one_piece_per_gap(n_bits):
    pieces = count_pieces(minimal(n_bits).double(), 0, 2**n_bits - 1)
    assert pieces == 2**n_bits - 1
    assert pieces <= 2 ** relu_neurons(minimal(n_bits))  # the upper bound of the theorem


def test_lower_bound_arithmetic():
    # 2**N pieces at most, 2**n - 1 needed: N >= n for n >= 2; N = 0 suffices for n = 1
    for n in range(2, 25):
        assert min(N for N in range(64) if 2**N >= 2**n - 1) == n
    assert min(N for N in range(64) if 2**N >= 2**1 - 1) == 0


def test_experiment_uses_the_chapter_defaults():
    defaults = inspect.signature(train).parameters
    assert (defaults["steps"].default, defaults["lr"].default) == (chapter.STEPS, chapter.LR)


@pytest.fixture(scope="module")
def seed0():
    """train(n_bits=4, seed=0), trained once for the tests that read it (never change it)."""
    return train(n_bits=4, seed=0)


def test_training_from_random_weights_sits_at_the_mean(seed0):
    result = seed0
    x, _ = make_data(4)
    with torch.no_grad():
        out = result.model(x)
    assert not solves(result.model, 4)
    assert (out - 0.5).abs().max() < 0.01 and result.history["loss"][-1] == pytest.approx(0.25)


def test_output_relu_collapses_to_zero():
    result = train(n_bits=4, seed=0, output_relu=True)
    x, _ = make_data(4)
    with torch.no_grad():
        assert result.model(x).abs().max() < 1e-6
    assert result.history["loss"][-1] == pytest.approx(0.5)


def test_small_noise_finds_its_way_back():
    assert solves(train(n_bits=4, seed=3, noise=0.03).model, 4)


def test_sweep_equals_training_alone_parity():
    x, y = make_data(4)
    template = initial_model(4)

    def make():
        return initial_model(4, 0.1)

    sweep = train_many(
        make, lambda p, x: sequential_many(template, p, x), [5, 8], x, y, steps=800, lr=0.01
    )
    alone = train(n_bits=4, seed=8, steps=800, noise=0.1).model.state_dict()
    copy = unstack(make, sweep.params, 1).state_dict()
    for name, value in alone.items():
        assert torch.allclose(copy[name], value, atol=1e-4), name


def test_sweep_claims_of_the_chapter():
    result = experiments.result("parity")
    seeds = result.value("seeds")
    assert seeds >= 100
    for key in ("2", "3", "4", "relu"):
        assert sum(result.value(f"random_{key}_{o}") for o in chapter.OUTCOMES) == seeds
    # from random weights, training almost never solves parity, and mostly sits at the mean
    assert result.value("random_3_solved") == result.value("random_4_solved") == 0
    assert result.value("random_2_solved") < seeds / 5
    assert result.value("random_4_mean") > seeds / 2
    # with the output ReLU, most runs collapse to a constant 0 instead
    assert result.value("random_relu_zero") > seeds / 2
    # near the hand-wired weights, training finds its way back; far away, it does not
    rates = [result.value(f"noise_{str(s).replace('.', '_')}") for s in chapter.NOISE_LEVELS]
    assert rates[0] == rates[1] == 100 and rates[-1] == 0  # sigma 0.01 and 0.03: all of them
    assert result.value("noise_0_03_solved") == seeds == 100
    assert result.text("noise_0_03_ci") == "96.3–100"
    # the solved runs end close to exact, which the page states as within a quarter of their
    # labels: at sigma 0.01 and 0.03 every output is within a hundredth of its label, and no
    # solved noisy run is off by a quarter. The page quotes this build's largest errors (0.086
    # over all); another summation order moves them (a referee's trainer: 0.117), so the
    # bound leaves room
    levels = [f"noise_{str(s).replace('.', '_')}" for s in chapter.NOISE_LEVELS]
    errors = [result.value(f"{key}_error") for key in levels]
    assert 0 < max(errors[:2]) < 0.01 and result.value("noise_solved_error") == max(errors) < 0.25
    solved = sum(result.value(f"{key}_solved") for key in levels)
    assert result.value("noise_solved_runs") == solved
    assert rates == sorted(rates, reverse=True)
    # random starts have far fewer pieces than the 15 the target needs
    assert result.value("init_pieces_max") < 15


def test_hardwired_has_as_many_pieces_as_the_bound_allows_not_more():
    pieces = count_pieces(hardwired(4).double(), 0, 15)
    assert pieces == 15 <= 3**5


def test_random_starts_are_uniform_in_plus_minus_one_over_sqrt_m():
    for seed in range(20):
        torch.manual_seed(seed)
        for layer in initial_model(4):
            if isinstance(layer, nn.Linear):
                bound = layer.in_features**-0.5
                assert layer.weight.abs().max() <= bound and layer.bias.abs().max() <= bound


# --- laps and the bound for strictly layered networks ---


def laps(f, lo: float, hi: float, step: float = 1 / 64) -> int:
    """Stretches on which f only rises or only falls, read off a fine grid (flat steps
    and blends of two slopes inside one grid step add none; a lap shorter than a step
    may be missed, so this can only undercount)."""
    n = round((hi - lo) / step)
    x = torch.linspace(lo, hi, n + 1, dtype=torch.float64).reshape(-1, 1)
    with torch.no_grad():
        y = f(x).flatten()
    rises = [d > 0 for d in (y[1:] - y[:-1]).tolist() if abs(d) > 1e-9]
    return 1 + sum(a != b for a, b in pairwise(rises)) if rises else 0


def test_laps_counter_on_hand_made_functions():
    assert laps(piecewise([(0, 0), (1, 1), (2, 0), (3, 1), (4, 0)]), 0, 4) == 4
    assert laps(piecewise([(0, 0), (1, 1), (2, 1), (3, 2)]), 0, 3) == 1  # a flat part
    assert laps(piecewise([(0, 0), (1.3, 2), (2.71, -1), (4, 0)]), 0, 4) == 3


@pytest.mark.parametrize("n_bits", [2, 3, 4, 5])
def test_alternating_labels_need_one_lap_per_gap(n_bits):
    for model in constructions(n_bits):
        assert laps(model.double(), 0, 2**n_bits - 1) >= 2**n_bits - 1


def test_laps_bound_values():
    assert laps_bound([]) == 1  # the read-out alone: a straight line
    assert [laps_bound([m]) for m in (1, 2, 3, 4)] == [1, 2, 4, 5]
    assert laps_bound([1, 1, 3]) == laps_bound([3]) == 4  # leading single ReLUs dropped
    assert laps_bound([2, 3]) == 3 * 4 and laps_bound([3, 3]) == 4 * 4
    assert laps_bound([2, 2, 3]) == 3 * 3 * 4


def random_layered(widths: list[int], generator: torch.Generator) -> nn.Sequential:
    model = layered([1, *widths, 1]).double()
    with torch.no_grad():
        for layer in model:
            if isinstance(layer, nn.Linear):
                layer.weight.copy_(torch.randn(layer.weight.shape, generator=generator))
                layer.bias.copy_(3 * torch.randn(layer.bias.shape, generator=generator))
    return model


def test_two_relus_in_one_layer_never_make_three_laps():
    # the lemma the bound rests on: c + v1 ReLU(a1 x + b1) + v2 ReLU(a2 x + b2)
    generator = torch.Generator().manual_seed(0)
    most = max(chapter.exact_laps(random_layered([2], generator), -100, 100) for _ in range(2000))
    assert most == 2
    three = max(chapter.exact_laps(random_layered([3], generator), -100, 100) for _ in range(2000))
    assert three == 4  # with three ReLUs the bound m + 1 is reached


@pytest.mark.parametrize("total", [2, 3, 4, 5])
def test_random_layered_networks_stay_within_the_bound(total):
    # laps counted exactly from the kinks, over a range wider than any kink here: a grid
    # counter could only undercount, and would hide a bound that is too small
    generator = torch.Generator().manual_seed(total)
    for widths in width_sequences(total):
        for _ in range(40):
            model = random_layered(widths, generator)
            assert chapter.exact_laps(model, -100, 100) <= laps_bound(widths), widths


def test_exact_counts_on_hand_built_networks():
    # a bump of width 0.1: slopes 0, 1, -1, 0; the grid of count_pieces misses it
    model = layered([1, 3, 1]).double()
    with torch.no_grad():
        model[0].weight.fill_(1.0)
        model[0].bias.copy_(torch.tensor([-0.5, -0.55, -0.6]))
        model[2].weight.copy_(torch.tensor([[1.0, -2.0, 1.0]]))
        model[2].bias.zero_()
    assert chapter.exact_slopes(model, 0, 1) == pytest.approx([0, 1, -1, 0])
    assert chapter.exact_pieces(model, 0, 1) == 4 and chapter.exact_laps(model, 0, 1) == 2
    assert count_pieces(model, 0, 1) < 4  # the grid counter gives a lower bound
    for build in (hardwired, trimmed, compact, minimal):
        assert chapter.exact_pieces(build(4), 0, 15) == chapter.exact_laps(build(4), 0, 15) == 15
    assert chapter.exact_pieces(nn.Sequential(nn.Linear(1, 1)), -5, 5) == 1


def test_the_grid_counter_undercounts_random_starts_the_exact_one_does_not():
    exact, grid = [], []
    for seed in range(100):
        torch.manual_seed(seed)
        model = initial_model(4)
        exact.append(chapter.exact_pieces(model, 0, 15))
        grid.append(count_pieces(model.double(), 0, 15))
    assert all(g <= e for g, e in zip(grid, exact, strict=True))
    missed = [s for s in range(100) if grid[s] < exact[s]]
    assert missed == [5, 34, 43, 61, 81]  # pieces shorter than two grid steps
    assert [exact[s] for s in missed] == [5, 4, 5, 4, 5]
    result = experiments.result("parity")
    assert result.value("init_pieces_max") == max(exact)
    assert result.value("init_pieces_median") == int(np.median(exact))
    # a median of 1 piece over all starts only says that more than half of them are dead
    # (a dead start is constant); the starts without a dead layer have more
    x, _ = make_data(4)
    alive, dead = [], []
    for seed in range(100):
        torch.manual_seed(seed)
        (dead if dead_layers(initial_model(4), x) else alive).append(exact[seed])
    assert set(dead) == {1}  # every dead start is one straight piece
    assert result.value("init_pieces_median") == 1
    assert result.value("dead_4_start") > result.value("seeds") / 2
    assert result.value("init_alive") == len(alive) == 100 - result.value("dead_4_start")
    assert result.value("init_pieces_alive_median") == int(np.median(alive)) > 1
    assert result.value("init_pieces_alive_max") == max(alive) < 3**5  # far below the bound


@pytest.mark.parametrize("n_bits", range(2, 11))
def test_minimal_uses_every_piece_the_bound_allows(n_bits):
    # on the whole line (every kink lies in [0, 2**n]): 2**n pieces, one outside [0, 2**n - 1]
    line = chapter.exact_pieces(minimal(n_bits), -(2**n_bits), 2 ** (n_bits + 1))
    assert line == 2**n_bits == 2 ** relu_neurons(minimal(n_bits))
    assert chapter.exact_pieces(minimal(n_bits), 0, 2**n_bits - 1) == 2**n_bits - 1
    assert experiments.result("parity").value(f"minimal_line_pieces_{n_bits}") == line


def test_fewest_layered_for_small_sizes():
    assert [fewest_layered(n) for n in (1, 2, 3, 4)] == [0, 3, 5, 6]
    # compact meets the bound for 2 and 3 bits
    for n_bits in (2, 3):
        assert relu_neurons(compact(n_bits)) == fewest_layered(n_bits)
        assert exact_on(compact(n_bits), make_data(n_bits)[0])


def test_width_sequences():
    assert width_sequences(0) == [[]]
    assert sorted(width_sequences(3)) == [[1, 1, 1], [1, 2], [2, 1], [3]]
    assert len(width_sequences(6)) == 2**5


# --- dead layers ---


def test_relu_states_of_the_hardwired_network():
    x, _ = make_data(4)
    states = relu_states(hardwired(4), x)
    assert [tuple(s.shape) for s in states] == [(16, 2)] * 5
    # first fold: ReLU(x - 8) is on for x > 8, ReLU(8 - x) for x < 8
    assert states[0][:, 0].tolist() == [v > 8 for v in range(16)]
    assert states[0][:, 1].tolist() == [v < 8 for v in range(16)]
    assert dead_layers(hardwired(4), x) == []


def test_dead_layers_finds_a_layer_switched_off():
    model = hardwired(4)
    with torch.no_grad():
        model[4].bias.fill_(-100.0)  # layer 3 off on every input
    x, _ = make_data(4)
    # layer 4 then reads y = 0 on every input, so layer 5 reads y = |0 - 1| = 1, where
    # both of its ReLUs, ReLU(y - 1) and ReLU(1 - y), are 0: it is dead too
    assert dead_layers(model, x) == [3, 5]
    with torch.no_grad():
        outputs = model(x)
    assert (outputs == outputs[0]).all()  # a dead layer makes the output a constant


def test_no_gradient_reaches_a_dead_layer_or_any_before_it():
    model = hardwired(4)
    with torch.no_grad():
        model[4].bias.fill_(-100.0)
    x, y = make_data(4)
    ((model(x) - y) ** 2).mean().backward()
    linears = [layer for layer in model if isinstance(layer, nn.Linear)]
    for layer in linears[:3]:  # layers 1, 2 and the dead layer 3
        assert not layer.weight.grad.any() and not layer.bias.grad.any()
    assert not linears[3].weight.grad.any()  # layer 4 reads only zeros
    assert linears[-1].bias.grad.abs().item() > 0  # the constant can still move


def test_an_output_relu_is_not_a_hidden_layer():
    x, _ = make_data(4)
    model = initial_model(4, output_relu=True)
    assert len(relu_states(model, x)) == 5
    centred = initial_model(4, centred=True)
    assert len(relu_states(centred, x)) == 5


def test_seed_0_is_dead_from_the_start_and_its_first_layers_never_move(seed0):
    x, _ = make_data(4)
    torch.manual_seed(0)
    start = initial_model(4)
    result = seed0
    assert dead_layers(start, x) == [3]
    assert 3 in dead_layers(result.model, x)
    for i in (0, 2, 4):  # the Linear layers of hidden layers 1 to 3
        assert torch.equal(start[i].weight, result.model[i].weight)
        assert torch.equal(start[i].bias, result.model[i].bias)
    # layer 4 reads only zeros: its weights get no gradient either, only its biases do
    assert torch.equal(start[6].weight, result.model[6].weight)
    assert not torch.equal(start[6].bias, result.model[6].bias)
    assert dead_layers(result.model, x) == [3, 5]  # as the page and its figure say
    with torch.no_grad():
        assert result.model(x).unique().tolist() == [0.5]


def test_dead_layer_claims_of_the_chapter():
    result = experiments.result("parity")
    seeds = result.value("seeds")
    for key in ("2", "3", "4", "relu"):
        start, end = result.value(f"dead_{key}_start"), result.value(f"dead_{key}_end")
        assert 0 < start <= end
        assert result.value(f"dead_{key}_revived") == 0  # a dead layer never comes back
        assert result.value(f"dead_{key}_frozen") == start  # nothing up to it ever moved
        assert result.value(f"dead_{key}_constant") == end  # the output is one number
        assert result.value(f"live_{key}_dead") == 0  # no solved or other run is dead
        stuck = result.value(f"random_{key}_mean") + result.value(f"random_{key}_zero")
        assert result.value(f"stuck_{key}_dead") == end
        assert result.value(f"stuck_{key}_dead") + result.value(f"stuck_{key}_alive") == stuck
        # layers that die during training (alive at step 0): a layer per run at least
        # for the runs that end dead without a dead start; most stay dead once dead
        assert result.value(f"died_{key}_runs") >= end - start
        assert result.value(f"died_{key}_layers") >= result.value(f"died_{key}_runs")
        assert result.value(f"died_{key}_stayed") >= 0.9 * result.value(f"died_{key}_layers")
    # stuck at the mean without a dead layer, 4 bits: the one such run has a layer that tells
    # only two groups of inputs apart, each with as many odd as even numbers
    assert result.value("alive_4_mean") == result.value("stuck_4_alive") == 1
    assert result.value("alive_4_halves") == 1 and result.value("alive_4_values") == 2
    # 4 bits: every layer that dies during training is dead at the end; all but one stay
    # dead from the step they die, and that one comes back for a while, then dies again
    assert result.value("died_4_alive_end") == 0
    assert result.value("died_4_layers") - result.value("died_4_stayed") == 1
    # momentum can bring a layer that died mid-run back: for 2 bits some are alive at the end
    assert result.value("died_2_alive_end") > 0
    # they die early (within the first hundred of 5,000 steps), but not at once
    assert result.value("died_4_latest") < 100 < chapter.STEPS
    # about three quarters of the 4-bit runs end with a dead layer (the Recap)
    assert 0.65 * seeds <= result.value("dead_4_end") <= 0.85 * seeds
    assert result.value("died_4_layers") >= result.value("died_4_runs") > 0
    assert 0 < result.value("died_4_earliest") <= result.value("died_4_median")
    assert result.value("died_4_median") <= result.value("died_4_latest") <= chapter.STEPS
    # about half of the random starts of the 4-bit network are dead before training
    assert 0.4 * seeds <= result.value("dead_4_start") <= 0.6 * seeds
    # almost every run stuck at the mean has a dead layer
    assert result.value("stuck_4_alive") <= 0.05 * seeds
    assert result.value("dead_4_end") > result.value("dead_4_start")  # more die on the way
    assert result.value("dead_4_start") > result.value("dead_4_end") / 2  # most before step 1
    first = [result.value(f"dead_4_first_{layer}") for layer in range(1, 6)]
    assert sum(first) == result.value("dead_4_start") and min(first) > 0  # any layer can
    # with the output ReLU, every run stuck at 0 has its output ReLU off on every input
    assert result.value("relu_zero_off") == result.value("random_relu_zero")
    # the live failures have far fewer pieces than the 15 the target needs (exact counts),
    # and training changed few: the same runs at their start had about as many
    assert result.value("other_pieces_max") < 15
    # the abstract: every 4-bit run fails, most with a dead layer at the end, the rest alive
    # (the "other" runs and the one stuck at the mean) and all with too few pieces
    alive = result.value("alive_4_failed")
    assert result.value("random_4_solved") == 0
    assert result.value("dead_4_end") + alive == seeds and result.value("dead_4_end") > alive
    assert alive == result.value("random_4_other") + result.value("stuck_4_alive")
    assert result.value("other_pieces_max") <= result.value("alive_4_failed_pieces_max") < 15
    assert result.value("other_start_pieces_median") == result.value("other_pieces_median")
    assert result.value("other_start_pieces_max") <= result.value("init_pieces_max")
    assert abs(result.value("other_pieces_max") - result.value("other_start_pieces_max")) <= 1
    # "training changes the count little": a few pieces either way, run by run
    lost, gained = result.value("other_most_lost"), result.value("other_most_gained")
    assert 0 < lost <= 5 and 0 < gained <= 5
    # the runs stuck with a dead layer are exactly flat; the one without is not, but nearly
    assert (
        result.value("dead_4_constant")
        == result.value("dead_4_end")
        == result.value("stuck_4_dead")
    )
    spread = result.value("alive_4_spread")
    assert 0 < spread < 1e-5
    assert result.text("alive_4_spread") == chapter._power_of_ten(spread)
    # Adam's momentum: every layer that dies mid-run keeps moving its own weights or bias
    # for a while after it dies, and the window the build watches covers the last move
    assert result.value("died_4_settled") == result.value("died_4_layers")
    assert 0 < result.value("died_4_moving_min") <= result.value("died_4_moving_max")
    latest = result.value("died_4_latest") + result.value("died_4_moving_max")
    assert latest < chapter.MOVE_WINDOW


def test_the_death_log_and_the_logged_forward():
    log = chapter.DeathLog()
    alive, dead = torch.ones(2, 1, 3), torch.zeros(2, 1, 3)  # two copies, one ReLU, 3 inputs
    for hidden in ([alive, dead], [dead, dead], [alive, dead], [dead, dead], [dead, alive]):
        log.record(hidden)
    # layer 1: dead at steps 1 and 3, alive last at step 2; layer 2: dead from 0 to 3
    assert log.first_dead.tolist() == [[1, 0], [1, 0]]
    assert log.last_alive.tolist() == [[2, 4], [2, 4]]
    template = initial_model(4)
    params = stack_parameters(partial(initial_model, 4), [0, 1, 2])
    x, _ = make_data(4)
    logged = chapter.forward_logged(template, params, x, chapter.DeathLog())
    assert torch.equal(logged, sequential_many(template, params, x))  # bit for bit


def test_the_move_log():
    log = chapter.MoveLog(["0", "2"], window=3)
    w, b = torch.zeros(2, 1, 1), torch.zeros(2, 1)  # two copies, one unit per layer
    steps = [  # (layer 0's weight of copy 0, layer 2's bias of copy 1) at steps 0 .. 4
        (0.0, 0.0),
        (1.0, 0.0),
        (1.0, 2.0),
        (1.0, 2.0),
        (5.0, 2.0),  # after the window: not recorded
    ]
    for w00, b21 in steps:
        params = {"0.weight": w.clone(), "0.bias": b.clone(), "2.weight": w.clone()}
        params["2.bias"] = b.clone()
        params["0.weight"][0, 0, 0], params["2.bias"][1, 0] = w00, b21
        log.record(params)
    assert log.last_moved.tolist() == [[1, 0], [0, 2]]
    assert log.settled(params).tolist() == [[False, True], [True, True]]


def test_the_sweep_logs_every_step_and_nothing_else(monkeypatch):
    # step 0 is the start and the last step the end, as _dead reads them
    monkeypatch.setattr(chapter, "STEPS", 60)
    [runs] = chapter.sweep(2, [chapter.Start(partial(initial_model, 2))])
    x, _ = make_data(2)
    template = runs.make()
    dead_start = chapter._dead(chapter._hidden_outputs(template, runs.start, x))
    dead_end = chapter._dead(chapter._hidden_outputs(template, runs.end, x))
    assert torch.equal(runs.first_dead == 0, dead_start)
    assert torch.equal(runs.last_alive < 60, dead_end)
    assert runs.last_alive.max() == 60 and dead_start.any() and (runs.first_dead > 0).any()
    # a layer dead from the start never moves (no gradient, so Adam's averages stay 0);
    # one that dies later (before the last step) has moved, and moves on after it dies
    assert (runs.last_moved[runs.first_dead == 0] == 0).all()
    later = (runs.first_dead > 0) & (runs.first_dead < 60)
    assert (runs.last_moved[later] > runs.first_dead[later]).all()


def test_relu_has_zero_gradient_at_zero():
    # PyTorch's convention relu'(0) = 0: a pre-activation exactly 0 passes no gradient
    z = torch.zeros(3, requires_grad=True)
    torch.relu(z).sum().backward()
    assert z.grad.tolist() == [0.0, 0.0, 0.0]


def test_the_best_line_is_not_flat():
    result = experiments.result("parity")
    m = 16
    assert result.value("lsq_slope") == pytest.approx(3 / (m**2 - 1))
    assert result.value("lsq_mse") == pytest.approx(1 / 4 - 3 / (4 * (m**2 - 1)))
    assert result.value("lsq_mse") < 0.25 and result.text("lsq_mse") == "0.2471"


def test_what_helps_claims_of_the_chapter():
    result = experiments.result("parity")
    seeds = result.value("seeds")
    for key in ("positive", "centred", *chapter.WIDE_VARIANTS):
        assert sum(result.value(f"{key}_{o}") for o in chapter.OUTCOMES) == seeds
    # positive biases: far fewer dead starts, fewer runs stuck at the mean, none solved
    assert result.value("dead_positive_start") < result.value("dead_4_start") / 4
    assert result.value("positive_mean") < result.value("random_4_mean")
    assert result.value("positive_solved") == 0
    # ... but layers then die during training: many more runs end dead than start dead
    assert result.value("dead_positive_end") > 5 * result.value("dead_positive_start")
    # centring the input alone, at width 2: more dead starts, not fewer; none solved
    assert result.value("dead_centred_start") > result.value("dead_4_start")
    assert result.value("centred_solved") == 0
    # width 8 alone: no dead start, and still none solved: alive layers are not enough
    assert result.value("dead_wide_only_start") == 0
    assert result.value("wide_only_solved") == 0
    assert result.value("dead_wide_only_end") <= 0.05 * seeds  # and few die on the way
    assert result.text("wide_only_solved_ci") == "0–3.7"
    # width 8 with positive biases, centring or both: the only random starts that solve,
    # a few each; centring leaves one start dead at width 8 (the page says "start")
    assert result.value("dead_wide_positive_start") == result.value("dead_wide_start") == 0
    assert result.value("dead_wide_centred_start") == 1
    # in this build, width with both solves more runs than width alone; the page quotes the
    # counts and Fisher's p as this build's and claims no more. With one of the two, the
    # counts cannot be told apart from none
    assert result.value("wide_solved") > result.value("wide_only_solved")
    assert min(result.value("wide_positive_p"), result.value("wide_centred_p")) > 0.05
    for key in chapter.WIDE_VARIANTS:
        solved = result.value(f"{key}_solved_seeds")
        assert len(solved) == result.value(f"{key}_solved")
        if key != "wide_only":
            p = chapter.fisher_exact(len(solved), result.value("wide_only_solved"), seeds)
            assert result.value(f"{key}_p") == p and result.text(f"{key}_p") == f"{p:.2g}"
    # ... and the page says a few runs fewer would leave the difference in doubt: two fewer
    # already give a p above 0.05 (another summation order moves a few runs near the edge)
    fewer = result.value("wide_solved") - 2
    assert chapter.fisher_exact(fewer, result.value("wide_only_solved"), seeds) > 0.05
    assert result.value("wide_solved") < seeds / 10  # a handful: success stays rare
    assert result.value("wide_mean") < result.value("random_4_mean") / 4


def test_the_noisy_row_of_the_what_helps_table():
    # sigma = 0.03: no start has a dead layer (counted here from the reader's own
    # initial_model and dead_layers), no run ends stuck at the mean, and every run solves
    result = experiments.result("parity")
    seeds = result.value("seeds")
    x, _ = make_data(4)
    dead = 0
    for seed in range(seeds):
        torch.manual_seed(seed)
        dead += bool(dead_layers(initial_model(4, 0.03), x))
    assert result.value("dead_noise_0_03_start") == dead == 0
    assert result.value("noise_0_03_mean") == 0
    assert result.value("noise_0_03_solved") == seeds
    # what the page relies on: up to sigma = 0.03, no start is dead and no run sticks at
    # the mean; from sigma = 0.5 on both happen
    for sigma in chapter.NOISE_LEVELS:
        key = f"noise_{str(sigma).replace('.', '_')}"
        dead_start, mean = result.value(f"dead_{key}_start"), result.value(f"{key}_mean")
        if sigma <= 0.03:
            assert dead_start == mean == 0, sigma
        if sigma >= 0.5:
            assert dead_start > 0 and mean > 0, sigma


def test_fisher_exact():
    # against nothing solved in 100, k successes in 100 split k : 0; the two extremes are the
    # least likely splits, each with probability C(100, k) / C(200, k)
    for k in (1, 3, 7):
        both_ends = 2 * math.comb(100, k) / math.comb(200, k)
        assert chapter.fisher_exact(k, 0, 100) == pytest.approx(min(1.0, both_ends))
    assert chapter.fisher_exact(7, 0, 100) == pytest.approx(0.0140, abs=1e-4)
    assert chapter.fisher_exact(3, 3, 100) == 1.0  # the same counts: nothing to tell
    assert chapter.fisher_exact(0, 7, 100) == chapter.fisher_exact(7, 0, 100)
    assert chapter._power_of_ten(2.68e-6) == "3 × 10⁻⁶"
    assert chapter._power_of_ten(0.004) == "4 × 10⁻³"


def test_a_batched_success_near_the_edge_can_fail_alone():
    # the sweep adds the same numbers as train() in another order: for seed 0 the two end a
    # few units of the last bit apart ...
    result = experiments.result("parity")
    assert 0 < result.value("seed0_batch_gap") < 1e-6
    # ... and of the sweep's successes with width 8, positive biases and centred input, at
    # least one fails under train(): tried in turn until one does
    solved = result.value("wide_solved_seeds")
    assert len(solved) == result.value("wide_solved") > 0
    alone = (train(n_bits=4, seed=seed, **chapter.VARIANTS["wide"]) for seed in solved)
    assert any(not solves(run.model, 4) for run in alone)


def test_the_wide_variants_are_batched_as_train_builds_them():
    # each row of the width-8 ablation starts from what initial_model(4, **options) draws
    for key in chapter.WIDE_VARIANTS:
        options = chapter.VARIANTS[key]
        assert options["width"] == chapter.WIDE == 8
        start = chapter.variant_start(options)
        assert start.centred == options.get("centred", False)
        torch.manual_seed(11)
        model = initial_model(4, **options)
        linears = [m for m in model if isinstance(m, nn.Linear)]
        torch.manual_seed(11)
        plain = [m for m in start.make() if isinstance(m, nn.Linear)]
        for a, b in zip(linears, plain, strict=True):
            assert torch.equal(a.weight, b.weight) and torch.equal(a.bias, b.bias)
        assert isinstance(model[0], Centre) == start.centred


def test_variants_are_what_train_builds():
    assert chapter.VARIANTS["wide"] == {"width": 8, "positive_biases": True, "centred": True}
    torch.manual_seed(3)
    model = initial_model(4, **chapter.VARIANTS["wide"])
    assert isinstance(model[0], Centre)
    widths = [m.out_features for m in model if isinstance(m, nn.Linear)]
    assert widths == [8, 8, 8, 8, 8, 1]
    assert all((m.bias >= 0).all() for m in model if isinstance(m, nn.Linear))
    torch.manual_seed(3)
    plain = initial_model(4, width=8)  # the same weights; only the biases' signs differ
    for a, b in zip([m for m in model if isinstance(m, nn.Linear)], plain[::2], strict=True):
        assert torch.equal(a.weight, b.weight) and torch.equal(a.bias, b.bias.abs())


def test_centre_maps_the_inputs_to_minus_one_one():
    x, _ = make_data(4)
    expected = torch.tensor([(v - 7.5) / 7.5 for v in range(16)])
    assert torch.allclose(Centre(4)(x).flatten(), expected)
    assert Centre(4)(x)[[0, -1]].flatten().tolist() == [-1.0, 1.0]


def test_batched_centring_equals_training_on_centred_input():
    # the sweep trains centred copies by rescaling their first layer (read_on_x)
    x, y = make_data(4)
    starts = [
        chapter.Start(partial(initial_model, 4)),
        chapter.Start(partial(initial_model, 4), centred=True),
    ]
    half = 7.5
    centred = torch.tensor([False, True]).repeat_interleave(2)
    scale, shift = torch.where(centred, 1 / half, 1.0), torch.where(centred, half, 0.0)
    template = initial_model(4)
    params = stack_parameters(starts[0].make, [5, 6])
    params = {n: torch.cat([v, v]) for n, v in params.items()}

    def forward(p, x):
        return sequential_many(template, chapter.read_on_x(p, scale, shift), x)

    end, _ = fit_stacked(forward, params, x, y, steps=800, lr=0.01)
    alone = train(n_bits=4, seed=6, steps=800, centred=True).model.state_dict()
    plain = train(n_bits=4, seed=6, steps=800).model.state_dict()
    for i in range(6):
        name = f"{2 * i}.weight"
        assert torch.allclose(end[name][3], alone[f"{2 * i + 1}.weight"], atol=1e-4), name
        assert torch.allclose(end[name][1], plain[name], atol=1e-4), name


def test_batched_output_relu_equals_training_alone():
    x, y = make_data(4)
    template = initial_model(4)
    relu = torch.tensor([False, True]).repeat_interleave(2)
    template.append(chapter.MaskedReLU(relu))
    params = stack_parameters(partial(initial_model, 4), [1, 2])
    params = {n: torch.cat([v, v]) for n, v in params.items()}
    end, _ = fit_stacked(lambda p, x: sequential_many(template, p, x), params, x, y, 800, 0.01)
    alone = train(n_bits=4, seed=2, steps=800, output_relu=True).model.state_dict()
    for name, value in alone.items():
        assert torch.allclose(end[name][3], value, atol=1e-4), name


# --- 95 % intervals ---


def test_every_success_rate_has_its_interval():
    result = experiments.result("parity")
    seeds = result.value("seeds")
    keys = [f"random_{k}" for k in ("2", "3", "4", "relu")] + ["positive", "centred"]
    keys += chapter.WIDE_VARIANTS
    for key in keys:
        lo, hi = result.value(f"{key}_solved_ci")
        assert (lo, hi) == pytest.approx(
            [100 * v for v in wilson(result.value(f"{key}_solved"), seeds)]
        )
    for sigma in chapter.NOISE_LEVELS:
        key = f"noise_{str(sigma).replace('.', '_')}"
        lo, hi = result.value(f"{key}_ci")
        assert lo <= result.value(key) <= hi
    assert result.text("random_4_solved_ci") == "0–3.7"
    # a range reads the same on the Chinese page, not as two raw numbers joined by 、
    assert in_language(result.values["random_4_solved_ci"], "zh") == "0–3.7"
    assert in_language(chapter.interval(7, 100), "zh") == "3.4–13.7"


def test_experiment_helpers_refuse_bad_arguments():
    with pytest.raises(TypeError, match="mask must be a tensor of booleans"):
        chapter.MaskedReLU(torch.tensor([1, 0]))
    with pytest.raises(ValueError, match="one boolean per copy"):
        chapter.MaskedReLU(torch.zeros(2, 2, dtype=torch.bool))
    with pytest.raises(ValueError, match="non-empty list of Start"):
        chapter.sweep(4, [])
    with pytest.raises(TypeError, match="must hold Start values"):
        chapter.sweep(4, [partial(initial_model, 4)])
    params = stack_parameters(partial(initial_model, 4), [0, 1])
    with pytest.raises(ValueError, match="one scale and one shift per copy"):
        chapter.read_on_x(params, torch.ones(3), torch.zeros(3))
    with pytest.raises(TypeError, match="a must be an int"):
        chapter.fisher_exact(1.0, 0, 100)
    with pytest.raises(ValueError, match="need 0 <= a, b <= n"):
        chapter.fisher_exact(101, 0, 100)


def test_benchmark_is_the_chapter_sweep(monkeypatch):
    monkeypatch.setattr(chapter, "STEPS", 100)  # both read it when called: a short run
    sweep, alone = chapter.benchmarks()["parity_4_bits"]
    [runs] = sweep([5, 0])
    assert len(runs.outcomes) == 2
    trained = alone()
    assert trained.history["step"][-1] == 100
    for name, value in trained.model.state_dict().items():
        assert torch.allclose(runs.end[name][1], value, atol=1e-4), name


# --- bad input: TypeError for a wrong type, ValueError for a value out of range ---

N_BITS_FUNCTIONS = [
    make_data,
    steps_for,
    layered_shape,
    hardwired,
    trimmed,
    minimal,
    fewest_layered,
    Centre,
    initial_model,
    train,
    partial(solves, nn.Linear(1, 1)),
    compact,
]


@pytest.mark.parametrize("function", N_BITS_FUNCTIONS)
def test_n_bits_is_checked_everywhere(function):
    for bad in [4.0, "4", None, True]:
        with pytest.raises(TypeError, match="n_bits must be an integer"):
            function(n_bits=bad)
    for bad in [0, -3]:
        with pytest.raises(ValueError, match="n_bits must be at least"):
            function(n_bits=bad)
    top = {fewest_layered: MAX_LAYERED_BITS}.get(function, MAX_BITS)
    with pytest.raises(ValueError, match=f"n_bits must be at most {top}, got {top + 1}"):
        function(n_bits=top + 1)


def test_the_caps_and_numpy_integers():
    assert MAX_BITS == 24  # float32 holds every integer below 2**24 exactly
    assert torch.equal(make_data(np.int64(3))[0], make_data(3)[0])
    with pytest.raises(ValueError, match="n_bits must be at least 2, got 1"):
        compact(1)  # for 1 bit, the read-out alone will do
    # fewest_layered at its cap stays within width_sequences' cap
    assert fewest_layered(MAX_LAYERED_BITS) == MAX_LAYERED_BITS + 2 <= MAX_TOTAL
    assert len(width_sequences(MAX_TOTAL)) == 2 ** (MAX_TOTAL - 1)
    # count_pieces: a grid of exactly MAX_POINTS steps is accepted
    assert count_pieces(torch.relu, -MAX_POINTS // 2, MAX_POINTS // 2, 1) == 2


def nan_model() -> nn.Sequential:
    model = hardwired(4)
    with torch.no_grad():
        model[0].bias[0] = math.nan
    return model


BAD_INPUT = [
    # function, arguments, error, message (a regular expression)
    (layered, ([1, 2.0, 1],), TypeError, r"widths\[1\] must be an integer, got float"),
    (layered, ("12",), TypeError, "widths must be a list, got str"),
    (layered, ([1, 2, 1], 1), TypeError, "output_relu must be True or False, got int 1"),
    (layered, ([1],), ValueError, "widths must hold 2 to 102 items, got 1"),
    (layered, ([1] * 103,), ValueError, "widths must hold 2 to 102 items, got 103"),
    (layered, ([1, 0, 1],), ValueError, r"widths\[1\] must be at least 1, got 0"),
    (layered, ([1, 1025, 1],), ValueError, r"widths\[1\] must be at most 1024"),
    (wire_folds, ([nn.ReLU()], [8]), TypeError, r"linears\[0\] must be a Linear, got ReLU"),
    (wire_folds, ([nn.Linear(1, 2)], [8.0]), TypeError, r"ks\[0\] must be an integer"),
    (wire_folds, ([nn.Linear(1, 2)], 8), TypeError, "ks must be a list, got int"),
    (wire_folds, ([nn.Linear(1, 2)], [8, 4]), ValueError, "ks holds 2 folds but linears only 1"),
    (wire_folds, ([nn.Linear(2, 2)], [8]), ValueError, r"linears\[0\] must map 1 input"),
    (wire_folds, ([nn.Linear(1, 2), nn.Linear(2, 3)], [8, 4]), ValueError, "got 2 to 3"),
    (laps_bound, ("12",), TypeError, "widths must be a list, got str"),
    (laps_bound, ([2, 2.0],), TypeError, r"widths\[1\] must be an integer, got float"),
    (laps_bound, ([True],), TypeError, r"widths\[0\] must be an integer, got bool"),
    (laps_bound, ([2, 0],), ValueError, r"widths\[1\] must be at least 1, got 0"),
    (width_sequences, (2.0,), TypeError, "total must be an integer, got float"),
    (width_sequences, (-1,), ValueError, "total must be at least 0, got -1"),
    (width_sequences, (MAX_TOTAL + 1,), ValueError, f"total must be at most {MAX_TOTAL}"),
    (SkipNet, (2.0,), TypeError, "n_neurons must be an integer, got float"),
    (SkipNet, (-1,), ValueError, "n_neurons must be at least 0, got -1"),
    (SkipNet, (1025,), ValueError, "n_neurons must be at most 1024, got 1025"),
    # count_pieces: a function, a finite interval lo < hi, and a grid of 1 to MAX_POINTS steps
    (count_pieces, (5, 0, 1), TypeError, "f must be a function, got int"),
    (count_pieces, (torch.relu, "0", 1), TypeError, "lo must be a number, got str"),
    (count_pieces, (torch.relu, 0, None), TypeError, "hi must be a number, got NoneType"),
    (count_pieces, (torch.relu, 0, 1, True), TypeError, "step must be a number, got bool"),
    (count_pieces, (torch.relu, 1, 1), ValueError, "lo must be less than hi, got lo=1.0, hi=1.0"),
    (count_pieces, (torch.relu, 2, 1), ValueError, "lo must be less than hi"),
    (count_pieces, (torch.relu, -math.inf, 1), ValueError, "lo must be finite, got -inf"),
    (count_pieces, (torch.relu, 0, math.nan), ValueError, "hi must be finite, got nan"),
    (count_pieces, (torch.relu, 0, 1, 0), ValueError, "step must be greater than 0, got 0.0"),
    (count_pieces, (torch.relu, 0, 1, -0.5), ValueError, "step must be greater than 0"),
    (count_pieces, (torch.relu, 0, 1, math.inf), ValueError, "step must be finite, got inf"),
    (count_pieces, (torch.relu, 0, 1, math.nan), ValueError, "step must be finite, got nan"),
    (count_pieces, (torch.relu, 0, 1, 2), ValueError, "step must be at most hi - lo = 1.0"),
    (count_pieces, (torch.relu, 0, 1, 1e-7), ValueError, "must be at most 1,000,000, got 1e"),
    (count_pieces, (torch.relu, 0, 1, 5e-324), ValueError, "must be at most 1,000,000, got inf"),
    (count_pieces, (torch.relu, -1e308, 1e308), ValueError, "must be at most 1,000,000"),
    (solves, ("model", 4), TypeError, "model must be a Module, got str"),
    (solves, (nan_model(), 4), ValueError, "model has a weight that is NaN or infinite"),
]
# initial_model and train share the options of the start (keyword arguments)
START = [
    ({"noise": "0.1"}, TypeError, "noise must be a number, got str"),
    ({"noise": True}, TypeError, "noise must be a number, got bool True"),
    ({"noise": -0.1}, ValueError, "noise must be at least 0, got -0.1"),
    ({"noise": math.inf}, ValueError, "noise must be finite, got inf"),
    ({"noise": math.nan}, ValueError, "noise must be finite, got nan"),
    ({"output_relu": "no"}, TypeError, "output_relu must be True or False, got str"),
    ({"width": 2.0}, TypeError, "width must be an integer, got float"),
    ({"width": 0}, ValueError, "width must be at least 1, got 0"),
    ({"width": 1025}, ValueError, "width must be at most 1024, got 1025"),
    ({"positive_biases": None}, TypeError, "positive_biases must be True or False"),
    ({"centred": 1}, TypeError, "centred must be True or False, got int 1"),
    ({"noise": 0.1, "width": 8}, ValueError, "a noisy start is hardwired"),
    ({"noise": 0.1, "centred": True}, ValueError, "a noisy start is hardwired"),
    ({"noise": 0, "positive_biases": True}, ValueError, "a noisy start is hardwired"),
]
BAD_INPUT += [(f, {"n_bits": 4, **kw}, e, m) for f in (initial_model, train) for kw, e, m in START]
BAD_INPUT += [
    (train, {"seed": 1.0}, TypeError, "seed must be an integer, got float"),
    (train, {"seed": -1}, ValueError, "seed must be at least 0, got -1"),
    (train, {"steps": 1.5}, TypeError, "steps must be an integer, got float"),
    (train, {"steps": -1}, ValueError, "steps must be at least 0, got -1"),
    (train, {"steps": 10**7}, ValueError, "steps must be at most 1000000"),
    (train, {"lr": "0.1"}, TypeError, "lr must be a number, got str"),
    (train, {"lr": 0}, ValueError, "lr must be greater than 0, got 0.0"),
    (train, {"lr": math.inf}, ValueError, "lr must be finite, got inf"),
]
# relu_states and dead_layers: a layered model (nn.Sequential) and a column of float inputs
for function in (relu_states, dead_layers):
    x4 = make_data(4)[0]
    BAD_INPUT += [
        (function, (nn.Linear(1, 1), x4), TypeError, "model must be a Sequential, got Linear"),
        (function, (nan_model(), x4), ValueError, "model has a weight that is NaN or infinite"),
        (function, (hardwired(4), [[0.0]]), TypeError, "x must be a tensor, got list"),
        (function, (hardwired(4), x4.long()), TypeError, "x must hold floats, got torch.int64"),
        (function, (hardwired(4), torch.zeros(3)), ValueError, r"x must be a column.*got \(3,\)"),
        (function, (hardwired(4), torch.zeros(0, 1)), ValueError, "x must be a column"),
        (function, (hardwired(4), torch.zeros(3, 2)), ValueError, r"got \(3, 2\)"),
    ]


@pytest.mark.parametrize(("function", "arguments", "error", "message"), BAD_INPUT)
def test_bad_input_gets_the_course_wide_errors(function, arguments, error, message):
    with pytest.raises(error, match=message):
        if isinstance(arguments, dict):
            function(**arguments)
        else:
            function(*arguments)


def test_every_public_function_has_a_wrong_type_and_an_out_of_range_case():
    def name_of(function) -> str:
        return function.func.__name__ if isinstance(function, partial) else function.__name__

    cases = [(name_of(f), e) for f, _, e, _ in BAD_INPUT]
    cases += [(name_of(f), e) for f in N_BITS_FUNCTIONS for e in (TypeError, ValueError)]
    public = {
        name
        for name, value in vars(parity).items()
        if not name.startswith("_")
        and (inspect.isfunction(value) or inspect.isclass(value))
        and value.__module__ == "snippets.parity"
        and name not in {"TrainResult", "fold_layers", "grid", "noisy_start"}
    }
    assert "relu_states" in public and "Centre" in public and "TrainResult" not in public
    for name in sorted(public):
        assert {e for n, e in cases if n == name} == {TypeError, ValueError}, name
