"""Chapter 3: both constructions, the piece counter, the lower bound, training claims."""

import inspect
import random

import pytest
import torch
from torch import nn

from site_tools import experiments
from site_tools.chapters import parity as chapter
from snippets.parity import (
    SkipNet,
    count_pieces,
    hardwired,
    initial_model,
    layered_shape,
    make_data,
    minimal,
    solves,
    train,
)
from snippets.sweep import sequential_many, train_many, unstack


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


@pytest.mark.parametrize("n_bits", range(1, 17))
def test_both_constructions_are_exact_on_every_input(n_bits):
    x, _ = make_data(n_bits)
    assert exact_on(hardwired(n_bits), x)
    assert exact_on(minimal(n_bits), x)


@pytest.mark.parametrize("n_bits", range(17, 25))
def test_both_constructions_are_exact_on_random_inputs(n_bits):
    rng = random.Random(n_bits)
    values = [0, 1, 2**n_bits - 2, 2**n_bits - 1] + [rng.randrange(2**n_bits) for _ in range(3000)]
    x = torch.tensor(values, dtype=torch.float32).reshape(-1, 1)
    assert exact_on(hardwired(n_bits), x)
    assert exact_on(minimal(n_bits), x)


@pytest.mark.parametrize("n_bits", [1, 2, 4, 10, 24])
def test_neuron_counts(n_bits):
    assert relu_neurons(minimal(n_bits)) == n_bits  # meets the lower bound
    assert relu_neurons(hardwired(n_bits)) == 2 * (n_bits + 1)
    assert layered_shape(4) == [1, 2, 2, 2, 2, 2, 1]
    assert relu_neurons(hardwired(4)) == 10  # not the article's "6 neurons"


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


def test_training_from_random_weights_sits_at_the_mean():
    result = train(n_bits=4, seed=0)
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
    assert rates[0] == 100 and rates[-1] == 0
    assert rates == sorted(rates, reverse=True)
    # random starts have far fewer pieces than the 15 the target needs
    assert result.value("init_pieces_max") < 15


def test_hardwired_has_as_many_pieces_as_the_bound_allows_not_more():
    pieces = count_pieces(hardwired(4).double(), 0, 15)
    assert pieces == 15 <= 3**5


@pytest.mark.parametrize("bad", [0, 25, -3])
def test_bad_n_bits_is_refused(bad):
    for function in (make_data, hardwired, minimal):
        with pytest.raises(ValueError, match="n_bits must be between 1 and 24"):
            function(bad)


@pytest.mark.parametrize("bad", [4.0, "4", None, True])
def test_n_bits_must_be_an_int(bad):
    for function in (make_data, hardwired, minimal):
        with pytest.raises(TypeError, match="n_bits must be an int"):
            function(bad)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"seed": 1.0}, TypeError, "seed must be an int"),
        ({"steps": -1}, ValueError, "steps must be an int >= 0"),
        ({"lr": 0}, ValueError, "lr must be a number > 0"),
        ({"noise": -0.1}, ValueError, "noise must be None or a number >= 0"),
        ({"n_bits": 30}, ValueError, "n_bits must be between 1 and 24"),
    ],
)
def test_train_refuses_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        train(**kwargs)


def test_count_pieces_refuses_an_empty_interval():
    with pytest.raises(ValueError, match="need lo < hi"):
        count_pieces(torch.relu, 1, 1)


def test_random_starts_are_uniform_in_plus_minus_one_over_sqrt_m():
    for seed in range(20):
        torch.manual_seed(seed)
        for layer in initial_model(4):
            if isinstance(layer, nn.Linear):
                bound = layer.in_features**-0.5
                assert layer.weight.abs().max() <= bound and layer.bias.abs().max() <= bound
