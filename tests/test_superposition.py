"""Chapter 5 (superposition), its course code: the data, the toy model, the batched
training loop, the shape of a trained W, and the claims the chapter will make about
what training finds (the pentagon, the dense cases), each measured here."""

import math

import pytest
import torch

from site_tools.results import wilson
from snippets.superposition import (
    ToyModel,
    angles,
    make_batch,
    regular,
    shape,
    train,
    train_many,
)

SEEDS = list(range(100))


def polygon(n: int, radius: float = 1.0, turn: float = 0.3) -> torch.Tensor:
    """n unit arrows at equal angles: the columns of a (2, n) W."""
    theta = turn + 2 * math.pi * torch.arange(n) / n
    return radius * torch.stack([torch.cos(theta), torch.sin(theta)])


# ------------------------------------------------------------------------------- the data


def test_batch_shape_values_and_sparsity():
    x = make_batch(n_features=5, sparsity=0.9, batch_size=20_000, seed=3)
    assert x.shape == (20_000, 5) and x.dtype == torch.float32
    assert (x >= 0).all() and (x <= 1).all()
    zeros = (x == 0).float().mean().item()
    # 100 000 draws: the share of zeros is within 5 standard errors of 0.9
    assert abs(zeros - 0.9) < 5 * math.sqrt(0.9 * 0.1 / 100_000)
    # the features that are present are uniform on [0, 1]: mean 1/2, quartiles 1/4, 3/4
    present = x[x > 0]
    assert abs(present.mean().item() - 0.5) < 0.01
    quartiles = torch.quantile(present, torch.tensor([0.25, 0.75]))
    assert torch.allclose(quartiles, torch.tensor([0.25, 0.75]), atol=0.02)


def test_batch_is_seeded_and_has_both_ends():
    assert torch.equal(make_batch(5, 0.5, 64, seed=1), make_batch(5, 0.5, 64, seed=1))
    assert not torch.equal(make_batch(5, 0.5, 64, seed=1), make_batch(5, 0.5, 64, seed=2))
    assert (make_batch(4, 0.0, 1000) > 0).all()  # dense: every feature present
    assert (make_batch(4, 1.0, 1000) == 0).all()  # nothing ever present


# ------------------------------------------------------------------------------ the model


def test_toy_model_is_relu_of_wt_w_x_plus_b():
    torch.manual_seed(0)
    model = ToyModel(n_features=5, n_hidden=2)
    assert model.W.shape == (2, 5) and model.b.shape == (5,)
    assert torch.equal(model.b, torch.zeros(5))
    x = make_batch(5, 0.5, 16)
    with torch.no_grad():
        model.b.copy_(torch.linspace(-0.2, 0.2, 5))
        expected = torch.relu(x @ model.W.T @ model.W + model.b)
        assert torch.allclose(model(x), expected, atol=1e-6)


def test_training_starts_where_toy_model_starts_for_each_seed():
    # a step size of almost 0: every instance ends where it started
    run = train_many(2, torch.zeros(3), torch.ones(3, 5), [4, 7, 9], steps=1, lr=1e-12)
    for k, seed in enumerate([4, 7, 9]):
        torch.manual_seed(seed)
        assert torch.allclose(run.W[k], ToyModel(5, 2).W.detach(), atol=1e-9)
    assert run.loss.shape == (1, 3)


def test_train_is_one_instance_of_train_many():
    result = train(n_features=5, n_hidden=2, sparsity=0.95, seed=0, steps=300)
    run = train_many(2, torch.tensor([0.95]), torch.ones(1, 5), [0], steps=300)
    assert isinstance(result.model, ToyModel)
    assert torch.equal(result.model.W.detach(), run.W[0])
    assert torch.equal(result.model.b.detach(), run.b[0])
    assert len(result.losses) == 300
    # training works: the last 50 steps' loss is far below the first 50 steps'
    assert sum(result.losses[-50:]) < 0.5 * sum(result.losses[:50])


def test_importance_weighs_the_loss():
    # a feature of importance 0 costs nothing, so nothing pulls it into W
    importance = torch.tensor([[1.0, 1.0, 0.0]])
    run = train_many(1, torch.zeros(1), importance, [0], steps=300, lr=0.05)
    norms = run.W[0].norm(dim=0)
    assert norms[2] < 0.1 < norms[:2].max()


# ------------------------------------------------------------------------ shapes of a W


def test_angles_go_once_round_the_circle():
    gaps = angles(polygon(5))
    assert torch.allclose(gaps, torch.full((5,), 72.0), atol=1e-4)
    assert math.isclose(angles(torch.randn(2, 7)).sum().item(), 360, abs_tol=1e-3)


def test_shape_names_each_case():
    assert shape(polygon(5)) == "regular" and regular(polygon(5))
    for fifth in [0.0, 0.35, 0.49]:  # dropped or shrunk
        square_and_short = torch.cat([polygon(4), torch.full((2, 1), fifth / 2**0.5)], 1)
        assert shape(square_and_short) == "one short"
    square_and_long = torch.cat([polygon(4), torch.full((2, 1), 0.8)], dim=1)
    assert shape(square_and_long) == "other"
    stretched = polygon(5) * torch.tensor([1.0, 1.0, 1.0, 1.0, 1.3])
    assert shape(stretched) == "other" and not regular(stretched)
    bent = polygon(5, turn=0.0)
    bent[:, 0] = torch.tensor([math.cos(0.2), math.sin(0.2)])  # 11 degrees off
    assert shape(bent) == "other"


# --------------------------------------------------------------- what training finds


@pytest.fixture(scope="module")
def sparse_runs():
    """100 seeds at sparsity 0.95 and the same 100 at 0.9, five features of equal
    importance in two dimensions, in one batched run."""
    sparsity = torch.tensor([0.95] * 100 + [0.9] * 100)
    run = train_many(2, sparsity, torch.ones(200, 5), SEEDS + SEEDS)
    return {0.95: run.W[:100], 0.9: run.W[100:]}


def lost_features(W: torch.Tensor) -> int:
    """How many columns are less than half as long as the longest."""
    norms = W.norm(dim=0)
    return int((norms < 0.5 * norms.max()).sum())


def test_pentagon_at_sparsity_095(sparse_runs):
    shapes = [shape(W) for W in sparse_runs[0.95]]
    assert shapes.count("regular") >= 90
    # measured: 98 pentagons; of the two other seeds, one keeps four features at
    # right angles and drops the fifth, one keeps three and drops two. No seed ends in
    # a distorted pentagon: every seed that misses it has lost a feature
    assert shapes.count("one short") == 1
    others = [W for W, s in zip(sparse_runs[0.95], shapes, strict=True) if s != "regular"]
    assert sorted(lost_features(W) for W in others) == [1, 2]


def test_pentagon_rate_at_sparsity_09(sparse_runs):
    shapes = [shape(W) for W in sparse_runs[0.9]]
    pentagons = shapes.count("regular")
    low, high = wilson(pentagons, len(shapes))
    # measured: 99 of 100, interval 94.6 % to 99.8 %
    assert pentagons == 99 and low > 0.94
    # the other seed: four features at right angles, the fifth shrunk to about 0.35
    # and lying almost along one of the four
    (W,) = [W for W, s in zip(sparse_runs[0.9], shapes, strict=True) if s != "regular"]
    assert shape(W) == "one short"
    norms = W.norm(dim=0)
    assert 0.25 < norms.min() < 0.45
    assert angles(W).min() < 10


@pytest.fixture(scope="module")
def dense_runs():
    """Sparsity 0, 20 seeds with importance 0.9**i and 20 with equal importance."""
    decaying = torch.tensor([0.9**i for i in range(5)])
    importance = torch.cat([decaying.expand(20, 5), torch.ones(20, 5)])
    run = train_many(2, torch.zeros(40), importance, list(range(20)) * 2, steps=2000, lr=0.1)
    return {"decaying": run.W[:20], "equal": run.W[20:]}


def test_dense_features_keep_the_two_most_important(dense_runs):
    norms = dense_runs["decaying"].norm(dim=1)  # (seeds, features)
    assert (norms[:, :2] > 0.9).all()
    assert (norms[:, 2:] < 0.1).all()


def test_dense_equal_importance_ends_in_a_mixed_subspace(dense_runs):
    for W in dense_runs["equal"]:
        # the two rows of W are orthonormal: W projects onto a plane ...
        assert (W @ W.T - torch.eye(2)).norm() < 0.1
        # ... that mixes the features instead of keeping two of them
        assert (W.norm(dim=0) > 0.2).sum() >= 3


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: make_batch(5.0, 0.9, 10), TypeError, "n_features must be an integer"),
        (lambda: make_batch(5, 1.5, 10), ValueError, "sparsity"),
        (lambda: make_batch(5, 0.9, 0), ValueError, "batch_size"),
        (lambda: ToyModel(5, "2"), TypeError, "n_hidden"),
        (lambda: train(n_features=5, n_hidden=5), ValueError, "smaller than n_features"),
        (lambda: train(importance=[1.0, 2.0]), ValueError, "one number per feature"),
        (lambda: train(importance="high"), TypeError, "importance"),
        (lambda: train(sparsity=1.0), ValueError, "sparsity"),
        (lambda: train(lr=0), ValueError, "lr"),
        (lambda: train(steps=True), TypeError, "steps"),
        (
            lambda: train_many(2, torch.zeros(2), torch.ones(3, 5), [0, 1, 2]),
            ValueError,
            "one row per seed",
        ),
        (lambda: train_many(2, [0.9], torch.ones(1, 5), [0]), TypeError, "sparsity"),
        (
            lambda: train_many(5, torch.zeros(1), torch.ones(1, 5), [0]),
            ValueError,
            "n_hidden must be smaller",
        ),
        (lambda: train_many(2, torch.ones(1), torch.ones(1, 5), [0]), ValueError, "in \\[0, 1\\)"),
        (lambda: shape(torch.zeros(3, 5)), ValueError, "2 rows"),
        (lambda: shape([[1, 0], [0, 1]]), TypeError, "W must be a tensor"),
        (lambda: angles(torch.full((2, 5), float("nan"))), ValueError, "finite"),
    ],
)
def test_bad_input_gets_a_clear_error(call, error, words):
    with pytest.raises(error, match=words):
        call()
