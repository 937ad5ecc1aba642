"""Chapter 5 (superposition): the data, the toy model, the batched training loop, the shape
of a trained W, a privileged basis, and every claim the page makes about what training finds
(the pentagon, the dense cases, the phase diagram, polysemantic neurons), checked on the
build's runs."""

import inspect
import math

import pytest
import torch

from site_tools import experiments
from site_tools.chapters import superposition as chapter
from site_tools.results import wilson
from snippets.superposition import (
    Instances,
    ReluToyModel,
    ToyModel,
    angles,
    instance,
    make_batch,
    polysemantic,
    random_rotation,
    regular,
    represented,
    responds,
    rotated,
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


# ------------------------------------------------------------------- a privileged basis
#
# ReluToyModel is the paper's "ReLU hidden layer" model: h = ReLU(W x), x' = ReLU(W^T h + b),
# the same W read in and out as in ToyModel. The chapter's claims: rotating W changes nothing
# in ToyModel and does in ReluToyModel; with a ReLU on h, dense features get a neuron each,
# sparse ones share neurons.


def test_relu_toy_model_is_toy_model_with_relu_neurons():
    torch.manual_seed(3)
    model = ReluToyModel(n_features=5, n_hidden=2)
    torch.manual_seed(3)
    plain = ToyModel(5, 2)
    # the same parameters and, for the same seed, the same start
    assert isinstance(model, ToyModel) and model.W.shape == (2, 5) and model.b.shape == (5,)
    assert torch.equal(model.W, plain.W) and torch.equal(model.b, torch.zeros(5))
    x = make_batch(5, 0.5, 64)
    with torch.no_grad():
        model.b.copy_(torch.linspace(-0.2, 0.2, 5))
        plain.b.copy_(model.b)
        h = torch.relu(x @ model.W.T)
        assert torch.allclose(model(x), torch.relu(h @ model.W + model.b), atol=1e-6)
        # the ReLU on h matters: where some W x is negative, the outputs differ
        assert (x @ model.W.T < 0).any() and not torch.allclose(model(x), plain(x))


def three_in_two() -> ReluToyModel:
    """Three features in two neurons, the code training finds at sparsity 0.9: feature 1
    turns on both neurons, features 0 and 2 one each and the other one off."""
    model = ReluToyModel(5, 2)
    with torch.no_grad():
        model.W.copy_(torch.tensor([[1.0, 1.0, -1.0, 0.0, 0.0], [-1.0, 1.0, 1.0, 0.0, 0.0]]))
        model.b.copy_(torch.tensor([0.0, -1.0, 0.0, 0.0, 0.0]))
    return model


def test_relu_toy_model_by_hand():
    model = three_in_two()
    x = torch.tensor([[1.0, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [1, 0, 1, 0, 0]])
    with torch.no_grad():
        # h = (1, 0), (1, 1), (0, 1), (0, 0): each feature alone comes back; features 0
        # and 2 together switch both neurons off
        assert torch.equal(
            torch.relu(x @ model.W.T), torch.tensor([[1.0, 0], [1, 1], [0, 1], [0, 0]])
        )
        assert torch.equal(model(x), torch.cat([torch.eye(3, 5), torch.zeros(1, 5)]))


def test_privileged_training_starts_where_relu_toy_model_starts():
    run = train_many(
        2, torch.zeros(3), torch.ones(3, 5), [4, 7, 9], steps=1, lr=1e-12, privileged=True
    )
    for k, seed in enumerate([4, 7, 9]):
        torch.manual_seed(seed)
        assert torch.allclose(run.W[k], ReluToyModel(5, 2).W.detach(), atol=1e-9)


def test_train_privileged_is_one_instance_of_train_many():
    importance = [0.7**i for i in range(5)]
    settings = {"steps": 300, "batch_size": 48, "lr": 0.1}
    result = train(sparsity=0.9, importance=importance, seed=2, privileged=True, **settings)
    run = train_many(
        2, torch.tensor([0.9]), torch.tensor([importance]), [2], privileged=True, **settings
    )
    assert type(result.model) is ReluToyModel
    assert torch.equal(result.model.W.detach(), run.W[0])
    assert torch.equal(result.model.b.detach(), run.b[0])
    assert sum(result.losses[-50:]) / 50 < 0.5 * result.losses[0]
    # the same seed without the ReLU on h trains another model
    plain = train_many(2, torch.tensor([0.9]), torch.tensor([importance]), [2], **settings)
    assert not torch.allclose(plain.W, run.W, atol=1e-3)


def test_instance_is_one_model_of_a_run():
    run = train_many(2, torch.tensor([0.9, 0.5]), torch.ones(2, 5), [0, 1], steps=20)
    for privileged, kind in [(False, ToyModel), (True, ReluToyModel)]:
        model = instance(run, 1, privileged)
        assert type(model) is kind
        assert torch.equal(model.W.detach(), run.W[1]) and torch.equal(model.b.detach(), run.b[1])


def test_random_rotation_is_a_rotation():
    for n, seed in [(2, 0), (2, 1), (3, 5), (5, 2)]:
        R = random_rotation(n, seed)
        assert torch.allclose(R.T @ R, torch.eye(n), atol=1e-5)
        assert math.isclose(torch.linalg.det(R).item(), 1.0, abs_tol=1e-5)
    assert torch.equal(random_rotation(3, 4), random_rotation(3, 4))
    assert not torch.allclose(random_rotation(3, 4), random_rotation(3, 5))


def test_no_privileged_basis_rotating_w_changes_nothing():
    model = train(sparsity=0.95, seed=0, steps=300, batch_size=64).model
    x = make_batch(5, 0.95, 2000, seed=1)
    with torch.no_grad():
        for seed in range(5):
            R = random_rotation(2, seed)
            assert not torch.allclose(R, torch.eye(2), atol=0.05)  # the directions move ...
            turned = rotated(model, R)
            assert (turned(x) - model(x)).abs().max() < 1e-5  # ... the outputs do not
            # W^T W, all the outputs depend on, is the same to float precision
            assert torch.allclose(turned.W.T @ turned.W, model.W.T @ model.W, atol=1e-5)


def turn(degrees: float) -> torch.Tensor:
    """The 2 x 2 rotation by the given angle."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return torch.tensor([[c, -s], [s, c]])


def test_privileged_basis_rotating_w_changes_the_outputs(relu_runs):
    x = make_batch(5, 0.9, 2000, seed=1)
    swap = torch.tensor([[0.0, 1.0], [1.0, 0.0]])
    for model in relu_runs["dense"] + relu_runs["sparse"]:
        with torch.no_grad():
            # turning W by 30 degrees or more moves some output by over 0.3 (measured: at
            # least 0.36 at 30 degrees, 0.49 at 45) ...
            for degrees in [30, 45, 60]:
                assert (rotated(model, turn(degrees))(x) - model(x)).abs().max() > 0.3
            # ... while giving the neurons other names (a permutation) changes nothing
            assert torch.allclose(rotated(model, swap)(x), model(x), atol=1e-6)


def test_represented_responds_polysemantic_by_hand():
    model = three_in_two()
    assert represented(model).tolist() == [True, True, True, False, False]
    assert responds(model).int().tolist() == [[1, 1, 0, 0, 0], [0, 1, 1, 0, 0]]
    assert polysemantic(model).tolist() == [True, True]
    # one feature a neuron; the other three read from the bias alone: their output is the
    # same whether they are on or off, so they are not represented
    mono = ReluToyModel(5, 2)
    with torch.no_grad():
        mono.W.copy_(torch.eye(2, 5))
        mono.b.copy_(torch.tensor([0.0, 0.0, 0.5, 0.5, 0.5]))
    assert represented(mono).tolist() == [True, True, False, False, False]
    assert polysemantic(mono).tolist() == [False, False]
    # a neuron at 0.3 of its largest activation for a second feature: responds to it only
    # for a fraction below 0.3; a neuron with no positive weight responds to nothing
    with torch.no_grad():
        mono.W.copy_(torch.tensor([[1.0, 0.3, 0, 0, 0], [-1.0, 0, -0.5, 0, 0]]))
    assert responds(mono).int().tolist() == [[1, 0, 0, 0, 0], [0] * 5]
    assert responds(mono, fraction=0.25).int().tolist() == [[1, 1, 0, 0, 0], [0] * 5]


RELU_IMPORTANCE = [0.7**i for i in range(5)]  # feature 0 matters most, as in the paper


@pytest.fixture(scope="module")
def relu_runs(result):
    """ReluToyModels, five features, two neurons, importance 0.7**i: the same 100 seeds dense
    (sparsity 0) and sparse (0.9), trained in one batched run by the chapter's build."""
    run = Instances(
        torch.tensor(result.data["privileged"]["W"]),
        torch.tensor(result.data["privileged"]["b"]),
        None,
    )
    models = [instance(run, k, privileged=True) for k in range(200)]
    return {"dense": models[:100], "sparse": models[100:]}


def census(models, threshold=0.5, fraction=0.5):
    """(features represented, neurons polysemantic) for each model."""
    return [
        (int(represented(m, threshold).sum()), int(polysemantic(m, threshold, fraction).sum()))
        for m in models
    ]


def test_dense_features_get_a_neuron_each(relu_runs):
    counts = census(relu_runs["dense"])
    # measured: 88 seeds keep the two most important features, 12 keep only feature 0;
    # no seed has a polysemantic neuron
    assert counts.count((2, 0)) == 88 and counts.count((1, 0)) == 12
    kept = {tuple(torch.nonzero(represented(m)).flatten().tolist()) for m in relu_runs["dense"]}
    assert kept == {(0, 1), (0,)}
    _, high = wilson(0, 100)
    assert high < 0.04  # polysemantic in under 4 % of dense seeds, at 95 %
    # where two features are kept, each has a neuron of its own, which responds to it alone
    for m in relu_runs["dense"]:
        if represented(m).sum() == 2:
            assert responds(m)[:, represented(m)].int().tolist() in (
                [[1, 0], [0, 1]],
                [[0, 1], [1, 0]],
            )


def test_sparse_features_share_neurons(relu_runs):
    counts = census(relu_runs["sparse"])
    # measured: 70 seeds represent three features with two neurons, and then both neurons
    # are polysemantic; 23 represent two features, 7 one, with no polysemantic neuron
    assert counts.count((3, 2)) == 70 and counts.count((2, 0)) == 23
    assert counts.count((1, 0)) == 7
    low, high = wilson(70, 100)
    assert 0.60 < low and high < 0.79  # 60.4 % to 78.1 %
    # the code: one feature turns on both neurons, each of the other two one neuron
    for m in relu_runs["sparse"]:
        if represented(m).sum() == 3:
            per_feature = responds(m)[:, represented(m)].sum(dim=0)
            assert sorted(per_feature.tolist()) == [1, 1, 2]


def test_polysemantic_exactly_when_more_features_than_neurons(relu_runs):
    for m in relu_runs["dense"] + relu_runs["sparse"]:
        assert polysemantic(m).any() == (represented(m).sum() > 2)


def test_the_counts_do_not_hang_on_the_thresholds(relu_runs):
    # every count above stays the same for a threshold anywhere in [0.2, 0.65] and a
    # fraction anywhere in [0.2, 0.75]: no represented gain and no response ratio lies near
    # 1/2. Both counts only fall as threshold or fraction grow, so the two corners suffice
    for models in relu_runs.values():
        counts = census(models)
        assert census(models, 0.2, 0.2) == counts == census(models, 0.65, 0.75)


def test_seeds_with_one_feature_lost_a_neuron(relu_runs):
    # a neuron with no weight above 0.05 is 0 (or almost) on every input, and gets no
    # gradient to learn from: measured, it happens in exactly the seeds that keep one feature
    for m in relu_runs["dense"] + relu_runs["sparse"]:
        lost = (m.W.detach().max(dim=1).values < 0.05).any()
        assert lost == (represented(m).sum() == 1)


SMALL_RUN = train_many(2, torch.zeros(2), torch.ones(2, 5), [0, 1], steps=1)  # two instances
NAN_MODEL = ReluToyModel(5, 2)
with torch.no_grad():
    NAN_MODEL.W[0, 0] = float("nan")


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: train(privileged=1), TypeError, "privileged must be True or False"),
        (
            lambda: train_many(2, torch.zeros(1), torch.ones(1, 5), [0], privileged="yes"),
            TypeError,
            "privileged",
        ),
        (lambda: ReluToyModel(5.0, 2), TypeError, "n_features"),
        (lambda: ReluToyModel(0, 2), ValueError, "n_features"),
        (lambda: instance("run", 0), TypeError, "run must be"),
        (lambda: instance(SMALL_RUN, 2), ValueError, "k must be below"),
        (lambda: instance(SMALL_RUN, -1), ValueError, "k must be at least 0"),
        (lambda: instance(SMALL_RUN, 0.0), TypeError, "k must be an integer"),
        (lambda: instance(SMALL_RUN, 0, privileged=None), TypeError, "privileged"),
        (lambda: random_rotation(2.0), TypeError, "n must be an integer"),
        (lambda: random_rotation(0), ValueError, "n must be at least 1"),
        (lambda: random_rotation(2, seed="a"), TypeError, "seed"),
        (lambda: rotated(ToyModel(5, 2), torch.eye(3)), ValueError, "R must be 2 x 2"),
        (lambda: rotated(ToyModel(5, 2), 2 * torch.eye(2)), ValueError, "orthogonal"),
        (lambda: rotated(ToyModel(5, 2), torch.eye(2).double()), TypeError, "float32"),
        (
            lambda: rotated(ToyModel(5, 2), [[1.0, 0.0], [0.0, 1.0]]),
            TypeError,
            "R must be a tensor",
        ),
        (lambda: rotated(torch.eye(2), torch.eye(2)), TypeError, "model must be a ToyModel"),
        (lambda: represented("model"), TypeError, "model must be a ToyModel"),
        (lambda: represented(ToyModel(5, 2), threshold=1.5), ValueError, "threshold"),
        (lambda: represented(ToyModel(5, 2), threshold="half"), TypeError, "threshold"),
        (lambda: responds(ToyModel(5, 2)), TypeError, "model must be a ReluToyModel"),
        (lambda: responds(ReluToyModel(5, 2), fraction=-0.1), ValueError, "fraction"),
        (lambda: polysemantic(ToyModel(5, 2)), TypeError, "ReluToyModel"),
        (lambda: polysemantic(ReluToyModel(5, 2), fraction=2), ValueError, "fraction"),
        (lambda: polysemantic(ReluToyModel(5, 2), threshold=None), TypeError, "threshold"),
        (lambda: polysemantic(NAN_MODEL), ValueError, "NaN or infinite"),
    ],
)
def test_bad_input_to_the_privileged_basis_gets_a_clear_error(call, error, words):
    with pytest.raises(error, match=words):
        call()


# ---------------------------------------------------- the chapter's claims, from its build


@pytest.fixture(scope="module")
def result():
    return experiments.result("superposition")


def test_train_defaults_are_the_experiments():
    defaults = {k: p.default for k, p in inspect.signature(train).parameters.items()}
    assert (defaults["steps"], defaults["batch_size"], defaults["lr"]) == (
        chapter.STEPS,
        chapter.BATCH,
        chapter.LR,
    )
    assert (defaults["n_features"], defaults["n_hidden"]) == (chapter.N_FEATURES, chapter.N_HIDDEN)


def test_pentagon_rates_with_their_intervals(result):
    seeds = result.value("seeds")
    assert seeds == 100
    # the claim: at sparsity 0.95 at least 90 % of 100 seeds end as a regular pentagon
    assert result.value("pentagon_95") >= 90
    for key in ("95", "90"):
        low, high = wilson(result.value(f"pentagon_{key}"), seeds)
        assert result.value(f"pentagon_{key}_low") == pytest.approx(100 * low)
        assert result.value(f"pentagon_{key}_high") == pytest.approx(100 * high)
    assert result.value("pentagon_90") >= 90


def test_the_pentagons_are_regular_well_within_the_test(result):
    assert result.value("pentagon_angle_error_95") < 2  # the test allows 5 degrees
    assert result.value("pentagon_angle_error_90") < 2


def test_at_095_every_other_seed_lost_features(result):
    others = result.value("others_95")
    assert others == 100 - result.value("pentagon_95")
    assert result.value("distorted_95") == 0  # no lopsided pentagon
    assert len(result.value("lost_95")) == others and min(result.value("lost_95")) >= 1
    # the squares: four at right angles, the fifth dropped (the page says so)
    assert result.value("one_short_95") >= 1
    assert result.value("short_max_95") < 0.01


def test_at_09_the_other_seeds_are_described(result):
    others = result.value("others_90")
    assert others == 100 - result.value("pentagon_90") > 0
    # "no lopsided pentagon either: every other seed ends as a square ..."
    assert result.value("distorted_90") == 0
    assert result.value("one_short_90") == others
    # "... and keeps the fifth feature, shrunk to 0.2-0.4 of the length of the others ..."
    assert 0.2 <= result.value("short_min_90") <= result.value("short_max_90") < 0.5
    assert result.value("lost_90") == [1] * others
    # "... against 0.9 to 1.1 for the four ..."
    assert 0.9 < result.value("square_min_90") <= result.value("square_max_90") < 1.1
    # "... along one of the four" (within a few degrees)
    assert result.value("short_off_90") < 10


def test_why_the_interference_is_affordable(result):
    own, near, far = (result.value(f"{k}_95") for k in ("own", "near", "far"))
    # a regular pentagon: the dot products are own * cos 72 and own * cos 144
    assert near == pytest.approx(own * math.cos(math.radians(72)), abs=0.02)
    assert far == pytest.approx(own * math.cos(math.radians(144)), abs=0.02)
    assert own > 1  # "a slope above 1 makes up for the bias"
    assert near > 0 > far
    # every bias of every pentagon is negative
    assert result.value("bias_max_size_95") > 0
    assert result.value("bias_size_95") == pytest.approx(-result.value("bias_95"))
    cut = result.value("near_cut_95")
    assert cut == pytest.approx(result.value("bias_size_95") / near)
    assert 0.5 < cut < 1  # "0 for most values of x_i"
    assert result.value("near_cut_percent_95") == pytest.approx(100 * cut)
    # "a given pair is active together in one input in 400, and some pair in about one in 44"
    assert 0.95 in chapter.PENTAGON_SPARSITIES
    assert round(1 / (1 - 0.95) ** 2) == 400
    assert result.value("collide_every_95") == pytest.approx(44.2, abs=0.1)


def test_dense_features(result):
    assert result.value("decaying_kept_min") > 0.9
    assert result.value("decaying_dropped_max") < 0.1
    assert result.value("equal_orthonormal_max") < 0.1
    assert result.value("equal_long_min") >= 3


def test_series_matches_the_figure(result):
    assert result.value("series_sparsities") == chapter.SERIES
    kept = dict(zip(chapter.SERIES, result.value("series_kept"), strict=True))
    assert kept[0.7] == 4 and kept[0.9] == kept[0.95] == 5  # the figure's alt text
    widget = result.data["widget"]
    assert [r["sparsity"] for r in widget["instances"]] == chapter.SERIES
    for trained in widget["instances"]:
        W = torch.tensor(trained["W"])
        assert W.shape == (2, 5) and len(trained["b"]) == 5
        if trained["sparsity"] in (0.9, 0.95):
            assert shape(W) == "regular"
    sparsity_07 = next(r for r in widget["instances"] if r["sparsity"] == 0.7)
    assert shape(torch.tensor(sparsity_07["W"])) == "one short"  # the square of the figure


def test_phase_diagram(result):
    grid = result.data["phases"]
    flat = [p for row in grid for p in row]
    assert len(flat) == result.value("phase_cells") == 81
    for phase, key in chapter.PHASES.items():
        assert flat.count(phase) == result.value(key)
    # the figure's alt text: one mixture, at the top in the middle (equal importance, dense)
    assert result.value("phase_mixed") == 1 and grid[0][4] == "mixed"
    assert result.value("phase_seeds") == len(chapter.PHASE_SEEDS) >= 2
    assert 0 < result.value("phase_split") <= 81
    # dense (the top row): the more important feature only, never both
    assert "both, opposite" not in grid[0]
    assert grid[0][0] == "feature 1 only" and grid[0][-1] == "feature 2 only"
    # in every row, feature 1 only on the left of feature 2 only (importance grows)
    for row in grid:
        firsts = [i for i, p in enumerate(row) if p == "feature 1 only"]
        seconds = [i for i, p in enumerate(row) if p == "feature 2 only"]
        assert not firsts or not seconds or max(firsts) < min(seconds)
    # from the quoted density down, every cell keeps both
    cut = result.value("phase_all_both_density")
    for density, row in zip(chapter.PHASE_DENSITY, grid, strict=True):
        if density <= cut + 1e-12:
            assert set(row) == {"both, opposite"}
    assert cut >= 0.1
    # the figure's alt text: the top three rows are not all "both", every row below is
    all_both = [set(row) == {"both, opposite"} for row in grid]
    assert all_both == [False] * 3 + [True] * 6
    assert cut == pytest.approx(chapter.PHASE_DENSITY[3])
    # the wedge grows downwards: each row holds at least as many "both" cells as the one above
    counts = [row.count("both, opposite") for row in grid]
    assert counts == sorted(counts) and counts[0] == 0 < counts[1]


def test_same_sign_starts_find_the_pair_less_often(result):
    # "X of the Y runs that start with weights of the same sign end as the pair, against
    # Z of the W that start with opposite signs"
    same, opposite = result.value("phase_same_runs"), result.value("phase_opposite_runs")
    assert same + opposite == len(chapter.PHASE_SEEDS) * result.value("phase_cells")
    assert chapter.same_sign_starts() == [False, True, False, True]  # seeds 0 and 2: opposite
    rate_same = result.value("phase_same_pair") / same
    rate_opposite = result.value("phase_opposite_pair") / opposite
    assert 0 < rate_same < rate_opposite / 2


def test_the_best_seed_is_judged_by_its_expected_loss():
    """The quadrature agrees with the loss measured on a million inputs, for models of each
    phase, at a sparse and a dense cell."""
    W = torch.tensor([[[1.0, 0.0]], [[0.0, 1.0]], [[0.9, -0.9]], [[0.6, 0.5]]])
    b = torch.tensor([[0.0, 0.3], [0.2, 0.0], [0.05, 0.05], [-0.1, 0.1]])
    for density, ratio in [(0.1, 2.0), (0.9, 0.5)]:
        x = torch.cat([make_batch(2, 1 - density, 100_000, seed=s) for s in range(10)]).double()
        out = torch.relu(x @ W.double().transpose(1, 2) @ W.double() + b.double()[:, None, :])
        weight = torch.tensor([1.0, ratio], dtype=torch.float64)
        measured = (weight * (out - x) ** 2).sum(dim=2).mean(dim=1)
        exact = chapter.expected_loss(W, b, density, ratio)
        assert torch.allclose(exact, measured, rtol=0.01)


def test_antipodal_pairs_leak_only_for_tiny_values(result):
    # "the biases of these models are small ... below {leak} in every one of them"
    assert 0 < result.value("phase_both_bias_max") < 0.25
    assert result.value("phase_leak_max") < 0.25


def test_the_own_read_out_loses_small_values(result):
    # ReLU(own x - bias) is 0 below bias / own, and below 1 for x < 1
    assert result.value("own_cut_95") == pytest.approx(
        result.value("bias_size_95") / result.value("own_95")
    )
    assert 0 < result.value("own_cut_95") < 0.5


def test_privileged_counts_on_the_page_are_the_census(result, relu_runs):
    for key in ("dense", "sparse"):
        counts = census(relu_runs[key])
        for kept in (1, 2, 3):
            assert result.value(f"privileged_{key}_{kept}") == sum(c[0] == kept for c in counts)
        polysemantic_seeds = sum(c[1] > 0 for c in counts)
        assert result.value(f"privileged_{key}_poly") == polysemantic_seeds
        low, high = wilson(polysemantic_seeds, len(counts))
        assert result.value(f"privileged_{key}_poly_low") == pytest.approx(100 * low)
        assert result.value(f"privileged_{key}_poly_high") == pytest.approx(100 * high)
    assert result.value("privileged_turn_min") > 0.3
    assert (
        result.value("privileged_steps"),
        result.value("privileged_batch"),
        result.value("privileged_lr"),
    ) == (
        chapter.PRIVILEGED_STEPS,
        chapter.PRIVILEGED_BATCH,
        chapter.PRIVILEGED_LR,
    )


def test_a_feature_on_one_neuron_holds_the_other_below_zero(relu_runs):
    # "each of the other two switches one on while its negative weight holds the other below 0"
    for m in relu_runs["sparse"]:
        kept = represented(m)
        if kept.sum() == 3:
            W = m.W.detach()
            for i in torch.nonzero(kept).flatten().tolist():
                on = responds(m)[:, i]
                if on.sum() == 1:
                    assert W[~on, i].item() < 0


def test_the_neurons_figure_shows_what_its_alt_text_says(result, relu_runs):
    dense = relu_runs["dense"][result.value("privileged_dense_example")]
    sparse = relu_runs["sparse"][result.value("privileged_sparse_example")]
    assert census([dense]) == [(2, 0)] and census([sparse]) == [(3, 2)]
    for model in (dense, sparse):
        W, kept = model.W.detach(), represented(model)
        assert (W[:, ~kept].norm(dim=0) < 0.2).all()  # the short grey arrows
    # dense: each blue arrow along one positive axis
    W = dense.W.detach()[:, represented(dense)]
    assert (W.max(dim=0).values > 0.5).all() and (W.min(dim=0).values.abs() < 0.1).all()
    # sparse: one blue arrow between the positive axes, two with one negative coordinate
    W = sparse.W.detach()[:, represented(sparse)]
    assert sorted(int((column > 0).sum()) for column in W.T) == [1, 1, 2]
    assert int((W < 0).any(dim=0).sum()) == 2
