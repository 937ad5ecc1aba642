"""Chapter 6 (depth): the tent map, the sawtooth in layers, in a chain and in one hidden layer,
the proofs' claims checked on the constructions, the approximation lemma on random networks,
and every claim the page makes about what training finds, checked on the build's runs."""

import inspect
import itertools
import math
from pathlib import Path

import pytest
import torch
from torch import nn

from site_tools import experiments
from site_tools.chapters import depth as chapter
from site_tools.chapters.parity import exact_pieces, exact_slopes
from site_tools.results import wilson
from snippets.depth import (
    Shallow,
    largest_error,
    make_model,
    points,
    sawtooth,
    shallow_sawtooth,
    skip_sawtooth,
    solves,
    target_of,
    tent,
    train,
    train_many,
)
from snippets.parity import SkipNet, count_pieces

FOLDS = range(1, 13)


def dyadic(k: int, finer: int = 2) -> torch.Tensor:
    """Every x = i / 2**(k + finer) in [0, 1], float64, as a column: holds every kink."""
    n = 2 ** (k + finer)
    return (torch.arange(n + 1, dtype=torch.float64) / n).reshape(-1, 1)


def relus(model: nn.Module) -> int:
    """The ReLU neurons of a network of this chapter."""
    if isinstance(model, SkipNet):
        return len(model.neurons)
    if isinstance(model, Shallow):
        return model.hidden.out_features
    return sum(
        a.out_features
        for a, b in zip(model, list(model)[1:], strict=False)
        if isinstance(a, nn.Linear) and isinstance(b, nn.ReLU)
    )


def run64(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        return model.double()(x).flatten()


# -------------------------------------------------------------------------- constructions


def test_tent_is_the_tent_map():
    x = dyadic(4)
    want = torch.where(x <= 0.5, 2 * x, 2 - 2 * x).flatten()
    assert torch.equal(run64(tent(), x), want)
    with torch.no_grad():
        got = tent()(torch.tensor([[0.0], [0.25], [0.5], [0.75], [1.0]])).flatten()
    assert got.tolist() == [0.0, 0.5, 1.0, 0.5, 0.0]
    assert relus(tent()) == 2 and exact_pieces(tent(), 0, 1) == 2


@pytest.mark.parametrize("k", FOLDS)
def test_sawtooth_is_exact_with_2_to_the_k_pieces(k):
    model = sawtooth(k)
    assert relus(model) == 2 * k
    # float32, at every i / 2**k: 0, 1, 0, 1, ...
    x = torch.arange(2**k + 1).reshape(-1, 1) / 2**k
    with torch.no_grad():
        assert torch.equal(model(x).flatten(), (torch.arange(2**k + 1) % 2).float())
    # exactly 2**k pieces, slope 2**k and -2**k by turns (the theorem)
    slopes = exact_slopes(model, 0, 1)
    assert exact_pieces(model, 0, 1) == 2**k
    merged = [slopes[0]] + [b for a, b in zip(slopes, slopes[1:], strict=False) if b != a]
    assert merged == [(-1) ** i * 2.0**k for i in range(2**k)]
    # chapter 3's grid counter agrees, on a grid holding every kink
    assert count_pieces(sawtooth(k).double(), 0, 1, step=2.0 ** -(k + 2)) == 2**k


@pytest.mark.parametrize("k", FOLDS)
def test_the_chain_is_the_same_function_with_k_relus(k):
    chain = sawtooth(k, skip=True)
    assert isinstance(chain, SkipNet) and relus(chain) == k
    x = dyadic(k)
    assert torch.equal(run64(chain, x), run64(sawtooth(k), x))
    assert exact_pieces(chain, 0, 1) == 2**k  # chapter 3's bound 2**N, reached


@pytest.mark.parametrize("k", range(1, 11))  # 2**10 neurons; 2**12 takes seconds
def test_one_hidden_layer_is_the_same_function(k):
    wide, wide_skip = shallow_sawtooth(k), shallow_sawtooth(k, skip=True)
    assert relus(wide) == 2**k and relus(wide_skip) == 2**k - 1
    assert isinstance(wide, nn.Sequential) and len(wide) == 3  # strictly layered
    x = dyadic(k)
    deep = run64(sawtooth(k), x)
    assert torch.equal(run64(wide, x), deep) and torch.equal(run64(wide_skip, x), deep)


def test_one_hidden_layer_has_at_most_m_plus_1_pieces():
    """On the whole line (well past every kink), for random networks of each kind."""
    generator = torch.Generator().manual_seed(0)
    for m in [1, 2, 5, 20]:
        for _ in range(20):
            model = nn.Sequential(nn.Linear(1, m), nn.ReLU(), nn.Linear(m, 1))
            with torch.no_grad():
                for p in model.parameters():
                    p.copy_(torch.randn(p.shape, generator=generator))
            kinks = (-model[0].bias / model[0].weight.flatten()).abs().max().item()
            assert exact_pieces(model, -kinks - 1, kinks + 1) <= m + 1


def test_the_slope_argument():
    """Strictly layered, one hidden layer of 2**k - 1 ReLUs cannot be the sawtooth: each
    neuron must bend at its own kink, so only which side each is on (w > 0 or w < 0) and the
    read-out are free. For every such choice the best read-out (least squares on a grid
    holding every kink) still misses."""
    for k in [1, 2, 3]:
        kinks = [i / 2**k for i in range(1, 2**k)]
        x = dyadic(k, finer=3).flatten()
        target = run64(sawtooth(k), x.reshape(-1, 1))
        best = math.inf
        for sides in itertools.product([1.0, -1.0], repeat=len(kinks)):
            # ReLU(w (x - kink)) with w = +1 or -1: the same kink, either side on
            columns = [torch.relu(w * (x - c)) for w, c in zip(sides, kinks, strict=True)]
            A = torch.stack([torch.ones_like(x), *columns], dim=1)  # constant + neurons
            solution = torch.linalg.lstsq(A, target.reshape(-1, 1)).solution
            best = min(best, (A @ solution - target.reshape(-1, 1)).abs().max().item())
        assert best > 0.05, (k, best)
    # with one more neuron (ReLU(x), the slope at the start) it is exact: shallow_sawtooth
    for k in [1, 2, 3]:
        x = dyadic(k, finer=3)
        assert torch.equal(run64(shallow_sawtooth(k), x), run64(sawtooth(k), x))


def test_height_folds_a_lower_tent():
    x = dyadic(6)
    for h in [0.5, 0.6, 0.75, 0.9, 1.0]:
        y = x.flatten()
        for _ in range(4):
            y = h * torch.where(y <= 0.5, 2 * y, 2 - 2 * y)
        assert torch.allclose(run64(sawtooth(4, height=h), x), y, atol=1e-12)
        assert torch.allclose(run64(sawtooth(4, skip=True, height=h), x), y, atol=1e-12)
    # the page: at height 1/2 the pieces stop at 2
    assert [exact_pieces(sawtooth(k, height=0.5), 0, 1) for k in range(1, 8)] == [2] * 7
    counts = [exact_pieces(sawtooth(k, height=0.75), 0, 1) for k in range(1, 9)]
    assert counts[:3] == [2, 4, 8] and all(b > a for a, b in zip(counts, counts[1:], strict=False))
    assert counts[-1] < 2**8  # more slowly than doubling


# ------------------------------------------------------------------------- the lemma


def l1_distance(g: nn.Module, k: int) -> float:
    """The integral of |s_k - g| over [0, 1], by the trapezoid rule on a grid 256 times finer
    than the sawtooth's pieces."""
    x = dyadic(k, finer=8)
    gap = (run64(sawtooth(k), x) - run64(g, x)).abs()
    return ((gap[1:] + gap[:-1]) / 2).mean().item()


def test_few_pieces_stay_far_from_the_sawtooth():
    """Lemma: a g of p pieces is at least 1/8 - p / 2**(k+1) away; checked on random
    networks of one hidden layer (p <= m + 1) and on shallower sawtooths."""
    generator = torch.Generator().manual_seed(1)
    k = 6
    for m in [1, 3, 7, 15]:
        for _ in range(10):
            g = nn.Sequential(nn.Linear(1, m), nn.ReLU(), nn.Linear(m, 1))
            with torch.no_grad():
                for p in g.parameters():
                    p.copy_(torch.rand(p.shape, generator=generator) * 4 - 2)
            p = exact_pieces(g, 0, 1)
            assert p <= m + 1
            assert l1_distance(g, k) >= 1 / 8 - p / 2 ** (k + 1) - 1e-9
    for j in range(1, k):  # the sawtooth of fewer folds: 2**j pieces
        assert l1_distance(sawtooth(j), k) >= 1 / 8 - 2**j / 2 ** (k + 1)
    # the constant 1/2 is 1/4 away
    half = nn.Linear(1, 1)
    with torch.no_grad():
        half.weight.zero_()
        half.bias.fill_(0.5)
    assert l1_distance(half, k) == pytest.approx(0.25, abs=1e-9)


def test_near_approximations_stay_as_far_as_the_lemma_says():
    """The lemma against g's close to the sawtooth: g follows s_k exactly on part of [0, 1]
    (every kink there) and is straight on the rest, with p pieces in all."""
    k = 7
    x = dyadic(k, finer=1).flatten()
    s = run64(sawtooth(k), x.reshape(-1, 1))
    for kept in [2, 4, 8, 16]:  # how many of the 2**k pieces g copies
        cut = kept / 2**k
        # s_k up to the cut, then a straight line to (1, 1/2)
        g = torch.where(
            x <= cut, s, s[x <= cut][-1] + (x - cut) * (0.5 - s[x <= cut][-1]) / (1 - cut)
        )
        p = kept + 1
        gap = (s - g).abs()
        l1 = ((gap[1:] + gap[:-1]) / 2).mean().item()
        assert l1 >= 1 / 8 - p / 2 ** (k + 1), (kept, l1)


def test_the_page_quotes_the_lemma_right():
    """'to come within 1/16 ... it needs m + 1 > 2**(k-3): for k = 20 that is more than
    131,000 neurons, where 40 layered ones are exact'"""
    text = (Path(__file__).parent.parent / "docs" / "en" / "depth.md").read_text("utf-8")
    text = " ".join(text.split())  # the page wraps its lines
    assert "more than 131,000 neurons, where 40 layered ones are exact" in text
    k = 20
    # the smallest m whose lemma bound, with p = m + 1 pieces, drops to 1/16
    m = next(m for m in range(2**k) if 1 / 8 - (m + 1) / 2 ** (k + 1) <= 1 / 16)
    assert m + 1 == 2 ** (k - 3) and m > 131_000 and 2 * k == relus(sawtooth(k))


# ----------------------------------------------------------------------------- training


def test_train_is_one_instance_of_train_many():
    alone = train(2, 2, seed=3, steps=30)
    together = train_many(2, 2, [5, 3], steps=30)
    for a, b in zip(alone.model.parameters(), together.models[1].parameters(), strict=True):
        assert torch.allclose(a, b, atol=1e-6)
    assert len(alone.losses) == 31


def test_train_many_starts_where_make_model_starts():
    runs = train_many(3, 4, [7], steps=0)
    torch.manual_seed(7)
    start = make_model(3, 4)
    for a, b in zip(runs.models[0].parameters(), start.parameters(), strict=True):
        assert torch.equal(a, b)


def test_train_defaults_are_the_experiments():
    defaults = {k: p.default for k, p in inspect.signature(train).parameters.items()}
    assert (defaults["steps"], defaults["lr"]) == (chapter.STEPS, chapter.LR)
    assert defaults["target"] == "sawtooth"


def test_points_and_success():
    assert points(3).shape == (129, 1) and points(3, 4).shape == (33, 1)
    assert largest_error(sawtooth(3), 3) == 0.0 and solves(sawtooth(3), 3)
    assert not solves(tent(), 3)
    smooth = target_of("smooth", points(2), 2).flatten()
    assert smooth[0] == 0 and smooth[16] == pytest.approx(1.0) and smooth[32] == pytest.approx(0)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: sawtooth(0), ValueError, "k must be at least 1"),
        (lambda: sawtooth(2.0), TypeError, "k must be an integer"),
        (lambda: sawtooth(21), ValueError, "k must be at most 20"),
        (lambda: sawtooth(2, skip="yes"), TypeError, "skip must be True or False"),
        (lambda: sawtooth(2, height=1.5), ValueError, "height must be at most 1"),
        (lambda: sawtooth(2, height="1"), TypeError, "height must be a number"),
        (lambda: skip_sawtooth(-1), ValueError, "k must be at least 1"),
        (lambda: shallow_sawtooth(15), ValueError, "k must be at most 14"),
        (lambda: Shallow(0), ValueError, "n_neurons must be at least 1"),
        (lambda: make_model(0, 2), ValueError, "depth must be at least 1"),
        (lambda: make_model(2, 2.5), TypeError, "width must be an integer"),
        (lambda: points(2, per_piece=0), ValueError, "per_piece must be at least 1"),
        (lambda: target_of("square", points(2), 2), ValueError, "name"),
        (lambda: target_of("smooth", [0.5], 2), TypeError, "x must be a tensor"),
        (lambda: train(2, 2, target="saw"), ValueError, "target"),
        (lambda: train(2, 2, steps=-1), ValueError, "steps must be at least 0"),
        (lambda: train(2, 2, lr=0), ValueError, "lr must be greater than 0"),
        (lambda: train(2, 2, seed=-1), ValueError, "seed must be at least 0"),
        (lambda: train_many(2, 2, []), ValueError, "seeds must hold 1 to"),
        (lambda: train_many(2, 2, 3), TypeError, "seeds must be a list"),
        (lambda: train_many(11, 2, [0]), ValueError, "depth must be at most 10"),
        (lambda: largest_error("model", 2), TypeError, "model must be a Module"),
        (lambda: solves(tent(), 0), ValueError, "folds must be at least 1"),
    ],
)
def test_bad_input_gets_a_clear_error(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_a_nan_network_is_refused():
    model = tent()
    with torch.no_grad():
        model[0].weight[0, 0] = float("nan")
    with pytest.raises(ValueError, match="NaN or infinite"):
        solves(model, 2)


# ---------------------------------------------------- the chapter's claims, from its build


@pytest.fixture(scope="module")
def result():
    return experiments.result("depth")


def test_every_run_is_solved_dead_or_alive_and_failed(result):
    n = result.value("seeds")
    assert n == len(chapter.SEEDS) == 100
    for k in chapter.FOLDS:
        for w in chapter.WIDTHS:
            key = f"{k}_{w}"
            solved, dead = result.value(f"solved_{key}"), result.value(f"dead_{key}")
            alive = result.value(f"alive_failed_{key}")
            assert solved + dead + alive == n
            low, high = wilson(solved, n)
            assert result.value(f"solved_{key}_low") == pytest.approx(100 * low)
            assert result.value(f"solved_{key}_high") == pytest.approx(100 * high)
            assert 0 <= result.value(f"few_laps_{key}") <= alive


def test_the_sawtooths_own_shape_never_finds_it(result):
    # "The network the sawtooth was built in, two ReLUs a layer, never finds it", and the
    # riddle's answer: "none of 100 runs, for k = 2, 3 and 4 alike"
    assert [result.value(f"solved_{k}_2") for k in chapter.FOLDS] == [0, 0, 0]
    assert chapter.FOLDS == [2, 3, 4] and chapter.WIDTHS == [2, 8]
    # "the deeper the network, the more often" a dead layer
    dead = [result.value(f"dead_{k}_2") for k in chapter.FOLDS]
    assert dead == sorted(dead) and dead[0] < dead[-1]
    # and at width 2 every failure that stays alive has too few laps
    for k in chapter.FOLDS:
        assert result.value(f"few_laps_{k}_2") == result.value(f"alive_failed_{k}_2")


def test_wider_helps_only_at_two_folds(result):
    assert result.value("solved_2_8") > 0
    assert result.value("solved_3_8") == result.value("solved_4_8") == 0


def test_the_failures_have_too_few_laps_or_are_near_misses(result):
    total = sum(
        result.value(f"alive_failed_{k}_{w}") for k in chapter.FOLDS for w in chapter.WIDTHS
    )
    few = sum(result.value(f"few_laps_{k}_{w}") for k in chapter.FOLDS for w in chapter.WIDTHS)
    assert result.value("alive_failed_all") == total and result.value("few_laps_all") == few
    enough = result.value("enough_laps_all")
    assert enough == total - few and few > 0.9 * total
    # "N of them are near misses: within 0.04 of every training point ... the other M miss
    # training points too"
    near = result.value("near_misses")
    assert 0 < near <= enough and result.value("enough_laps_far") == enough - near
    assert result.value("near_miss_train_max") < 0.05


def test_most_dead_layers_were_dead_at_the_start(result):
    for k in chapter.FOLDS:
        dead, from_start = result.value(f"dead_{k}_2"), result.value(f"dead_from_start_{k}_2")
        assert dead / 2 < from_start <= dead  # "most of these were dead before the first step"
    starts = [result.value(f"dead_from_start_{k}_2") for k in chapter.FOLDS]
    assert starts == sorted(starts)  # "dies more often the deeper a narrow network is"


def test_training_reshapes_the_pieces_it_starts_with(result):
    # "the networks that fail end with a median of 4 pieces, where the same networks started
    # with a median of 5, and the sawtooth needs 16"
    assert result.value("failed_pieces_median_4_8") <= result.value("failed_start_median_4_8")
    assert result.value("failed_start_median_4_8") < 16


def test_a_seed_alone_can_end_elsewhere(result):
    seed = result.value("alone_seed")
    alone = train(2, 8, seed=seed).model
    assert largest_error(alone, 2) == pytest.approx(result.value("alone_error"))
    assert result.value("alone_error") >= 0.05  # alone: misses (the experiment picks it
    # among the seeds the batch solves)


def test_trained_networks_have_few_pieces(result):
    bound = result.value("smooth_bound")
    assert bound == (chapter.SMOOTH_WIDTH + 1) ** chapter.SMOOTH_DEPTH == 729
    assert result.value("smooth_neurons") == chapter.SMOOTH_WIDTH * chapter.SMOOTH_DEPTH
    # "only 26 fit ... most stall on a plateau": fewer than half fit, the median run barely
    # beats the constant 1/2
    fit = result.value("smooth_fit")
    assert 0 < fit < result.value("seeds") / 2
    assert (
        chapter.FIT_LOSS < result.value("smooth_loss_median") < result.value("smooth_constant_loss")
    )
    # "random networks have a handful of pieces"
    assert result.value("smooth_start_max") < 20
    # "the runs that fit end with about twice the pieces they started with ... still dozens of
    # times fewer than the 729 allowed"
    ratio = result.value("smooth_fit_median") / result.value("smooth_fit_start_median")
    assert 1.5 <= ratio <= 2.5
    assert result.value("smooth_fit_max") * 24 <= bound


def test_the_trained_figure_shows_what_its_caption_says(result):
    # one solved (blue), one with a dead layer (flat, 1 piece) and the failed live run with
    # the most pieces (orange); the figure's networks are of the quoted shape
    assert (result.value("trained_shown_folds"), result.value("trained_shown_width")) == (2, 8)
    shown, pieces = result.value("trained_shown"), result.value("trained_shown_pieces")
    assert len(shown) == 3 and pieces[1] == 1
    # orange: too few laps, one rise and one fall (the alt text)
    assert result.value("trained_shown_laps")[0] == 2 < 2**2


def test_the_widget_data():
    assert chapter.WIDGET["max_folds"] >= 8
