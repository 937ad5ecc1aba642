"""Chapter 4: XOR. The proofs checked numerically, the constructions, the pictures' claims,
the training sweeps and their mechanisms, the parity of n bits, and bad input."""

import inspect
import itertools
import math
import re
import statistics
from functools import partial

import pytest
import torch
from torch import nn

from site_tools import experiments
from site_tools.chapters import xor as chapter
from site_tools.results import wilson
from snippets.sweep import stack_parameters
from snippets.xor import (
    SkipNet,
    bit_parity,
    layered,
    make_data,
    make_model,
    one_relu,
    outcome,
    parity_data,
    train,
    truth_tables,
)

XOR, XNOR = (0, 1, 1, 0), (1, 0, 0, 1)
GRID = [i / 2 for i in range(-6, 7)]  # the page's grid of weights
MONOTONE = {
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
    "tanh": torch.tanh,
    "step": lambda z: (z > 0).float(),
    "identity": lambda z: z,
    "clamp": lambda z: z.clamp(-1, 1),
    "decreasing": lambda z: -torch.sigmoid(z),
}


@pytest.fixture(scope="module")
def result():
    return experiments.result("xor")


def value(result, key):
    return result.value(key)


# ------------------------------------------------------------------------- data, networks


def test_data():
    x, y = make_data()
    assert x.shape == (4, 2) and y.shape == (4, 1)
    assert x.dtype == y.dtype == torch.float32
    assert x.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert tuple(y.flatten().int().tolist()) == XOR
    px, py = parity_data(2)
    assert torch.equal(px, x) and torch.equal(py, y)  # XOR is the parity of two bits


def test_both_constructions_are_exact():
    x, y = make_data()
    with torch.no_grad():
        assert torch.equal(one_relu()(x), y)
        assert torch.equal(layered()(x), y)


def test_neuron_counts():
    assert isinstance(one_relu(), SkipNet) and len(one_relu().neurons) == 1
    model = layered()
    assert [type(m) for m in model] == [nn.Linear, nn.ReLU, nn.Linear]
    assert model[0].out_features == 2  # two ReLU neurons, strictly layered


def test_the_formulas_hold_on_the_whole_plane():
    points = torch.rand(10_000, 2, dtype=torch.float64) * 6 - 3
    a, b = points[:, :1], points[:, 1:]
    with torch.no_grad():
        ridge = one_relu().double()(points)
        valley = layered().double()(points)
    assert torch.allclose(ridge, a + b - 2 * torch.relu(a + b - 1))
    assert torch.allclose(valley, (a - b).abs())


def test_what_the_pictures_show():
    # one_relu: one fold line a + b = 1; output a + b below it, 2 - a - b above; 1/2 on
    # the lines a + b = 1/2 and a + b = 3/2, which hold the two 1-corners between them
    neuron = one_relu().neurons[0]
    assert neuron.weight.tolist() == [[1.0, 1.0]] and neuron.bias.item() == -1.0
    t = torch.linspace(-0.5, 1.5, 41).reshape(-1, 1)
    with torch.no_grad():
        for total in (0.5, 1.5):
            line = torch.cat([t, total - t], dim=1)
            assert torch.allclose(one_relu()(line), torch.full_like(t, 0.5), atol=1e-6)
        ridge = torch.cat([t, 1 - t], dim=1)
        assert torch.allclose(one_relu()(ridge), torch.ones_like(t), atol=1e-6)
    # layered: both fold lines are the diagonal a = b; the units face opposite ways
    first = layered()[0]
    assert first.weight.tolist() == [[1.0, -1.0], [-1.0, 1.0]] and first.bias.tolist() == [0, 0]
    with torch.no_grad():  # a valley: 0 all along the diagonal
        assert layered()(torch.cat([t, t], dim=1)).abs().max() == 0
    with torch.no_grad():
        for gap in (0.5, -0.5):
            line = torch.cat([t, t - gap], dim=1)
            assert torch.allclose(layered()(line), torch.full_like(t, 0.5), atol=1e-6)


# ------------------------------------------------------------------------- one neuron cannot


@pytest.mark.parametrize("name", MONOTONE)
@pytest.mark.parametrize("threshold", [-1.0, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0])
def test_no_monotone_neuron_on_the_grid_computes_xor(name, threshold):
    tables = truth_tables(MONOTONE[name], GRID, threshold)
    assert XOR not in tables and XNOR not in tables


def test_the_grid_search_can_find_what_exists():
    # every other truth table of two bits is found, so the search is not blind ...
    for name in ("sigmoid", "relu", "step"):
        tables = truth_tables(MONOTONE[name], GRID)
        assert len(tables) == 14
        assert tables == set(itertools.product([0, 1], repeat=4)) - {XOR, XNOR}
    # ... and a neuron whose activation goes up and down finds XOR at once:
    # z = a + b - 1 puts the two 1s at the top of the bump
    bump = truth_tables(lambda z: torch.exp(-(z**2)), GRID)
    assert len(bump) == 16 and XOR in bump
    x, _ = make_data()
    top = torch.exp(-((x.sum(dim=1) - 1) ** 2)) > 0.5
    assert tuple(top.int().tolist()) == XOR


def test_random_neurons_never_compute_xor():
    torch.manual_seed(0)
    x, _ = make_data()
    weights = torch.randn(200_000, 3) * 3
    thresholds = torch.randn(200_000) * 2
    z = x @ weights[:, :2].T + weights[:, 2]  # (4, neurons)
    for name, activation in MONOTONE.items():
        answers = (activation(z) > thresholds).int().T
        hits = (answers == torch.tensor(XOR)).all(dim=1) | (answers == torch.tensor(XNOR)).all(1)
        assert not hits.any(), name


def test_the_identity_behind_the_proof():
    w = torch.randn(1000, 3, dtype=torch.float64)
    z = {
        (a, b): w[:, 0] * a + w[:, 1] * b + w[:, 2] for a, b in itertools.product([0, 1], repeat=2)
    }
    assert torch.allclose(z[0, 0] + z[1, 1], z[0, 1] + z[1, 0])


def test_one_relu_in_layers_is_a_monotone_neuron_and_never_xor():
    # v * ReLU(z) + d, with or without a sigmoid on top, is monotone in z
    torch.manual_seed(1)
    x, _ = make_data()
    w = torch.randn(100_000, 5) * 3  # w_a, w_b, c, v, d
    z = x @ w[:, :2].T + w[:, 2]
    for hidden in (torch.relu, torch.sigmoid):
        out = w[:, 3] * hidden(z) + w[:, 4]
        for read in (lambda o: o > 0.5, lambda o: torch.sigmoid(o) > 0.5):
            answers = read(out).int().T
            assert not (answers == torch.tensor(XOR)).all(dim=1).any()
    grid = torch.linspace(-5, 5, 101)
    for v in (-2.0, 0.0, 3.0):
        values = v * torch.relu(grid) + 0.7
        steps = values[1:] - values[:-1]
        assert (steps >= 0).all() or (steps <= 0).all()


def test_the_best_linear_fit_to_xor_is_one_half():
    x, y = make_data()
    design = torch.cat([x, torch.ones(4, 1)], dim=1).double()
    fit = torch.linalg.lstsq(design, y.double()).solution.flatten()
    assert torch.allclose(fit, torch.tensor([0.0, 0.0, 0.5], dtype=torch.float64), atol=1e-12)
    assert ((design @ fit - y.flatten().double()) ** 2).mean().item() == pytest.approx(0.25)


# ------------------------------------------------------------------------- parity of n bits


@pytest.mark.parametrize("n_bits", range(1, 17))
def test_bit_parity_is_exact_on_every_vector(n_bits):
    x, y = parity_data(n_bits)
    assert x.shape == (2**n_bits, n_bits)
    model = bit_parity(n_bits)
    with torch.no_grad():
        assert torch.equal(model(x), y)
    assert len(model.neurons) == (math.ceil(math.log2(n_bits)) if n_bits > 1 else 0)


@pytest.mark.parametrize("n_bits", [17, 24, 33, 64])
def test_bit_parity_on_random_vectors_beyond_16(n_bits):
    generator = torch.Generator().manual_seed(n_bits)
    x = torch.randint(0, 2, (4000, n_bits), generator=generator).float()
    x[0], x[1] = 0, 1  # all zeros, all ones
    with torch.no_grad():
        assert torch.equal(bit_parity(n_bits)(x), x.sum(dim=1, keepdim=True) % 2)
    assert len(bit_parity(n_bits).neurons) == math.ceil(math.log2(n_bits))


def test_two_bit_parity_is_one_relu():
    ours, chapters = bit_parity(2).state_dict(), one_relu().state_dict()
    assert ours.keys() == chapters.keys()
    assert all(torch.equal(ours[k], chapters[k]) for k in ours)


@pytest.mark.parametrize("n_bits", range(1, 11))
def test_one_layer_of_n_relus_suffices(n_bits):
    # the page's count for one hidden layer: ReLU(s - k) for k = 0, ..., n - 1
    x, y = parity_data(n_bits)
    s = x.sum(dim=1, keepdim=True)
    slopes = [1.0] + [2.0 * (-1) ** k for k in range(1, n_bits)]
    out = sum(c * torch.relu(s - k) for k, c in enumerate(slopes))
    assert torch.equal(out, y)


@pytest.mark.parametrize("n_bits", [2, 3, 4])
def test_a_line_meets_at_most_two_corners(n_bits):
    corners = parity_data(n_bits)[0].double()
    for u, v, w in itertools.combinations(corners, 3):
        assert torch.linalg.matrix_rank(torch.stack([v - u, w - u])) == 2


# ------------------------------------------------------------------------- training


def test_experiment_uses_the_defaults_of_train():
    defaults = inspect.signature(train).parameters
    assert (defaults["steps"].default, defaults["lr"].default) == (chapter.STEPS, chapter.LR)
    assert chapter.PARITY_UNITS_PER_BIT == 8


def test_seed_0_is_what_the_page_shows(result):
    run = train(seed=0)
    x, _ = make_data()
    with torch.no_grad():
        hidden = run.model[1](run.model[0](x))
        outputs = run.model(x).flatten()
    assert outcome(run.model, run.history["loss"]) == "dead unit"
    assert run.history["loss"][-1] == pytest.approx(1 / 6, abs=1e-4)
    assert torch.allclose(outputs, torch.tensor([1 / 3, 1, 1 / 3, 1 / 3]), atol=1e-3)
    assert (hidden[:, 1] == 0).all()  # the second neuron is dead
    assert (hidden[:, 0] > 0).tolist() == [False, True, False, False]  # on for (0, 1) only
    # three inputs merged at the hidden vector 0: no nearby weights go below 1/6
    assert chapter.relu_floor(run.model) == pytest.approx(1 / 6)
    # a dead neuron gets no gradient
    loss = ((run.model(x) - make_data()[1]) ** 2).mean()
    run.model.zero_grad()
    loss.backward()
    assert run.model[0].weight.grad[1].abs().max() == 0 and run.model[0].bias.grad[1] == 0
    # and the sweep found the same outcome for seed 0
    assert result.data["outcomes"]["relu_2"][0] == "dead unit"


def test_the_sweep_trains_each_copy_as_training_alone(monkeypatch):
    monkeypatch.setattr(chapter, "SEEDS", [5, 11])  # sigmoid: 5 unsolved at step 200, 11 solved
    monkeypatch.setattr(chapter, "STEPS", 200)
    monkeypatch.setattr(chapter, "LONG_STEPS", 300)
    monkeypatch.setattr(chapter, "ON_STEPS", 400)
    monkeypatch.setattr(chapter, "ON_EVERY", 50)
    records = chapter.sweep_all()
    assert records.pop("padding") == 0.0  # the padded neurons stay exactly 0
    # unsolved at step 200, sigmoid seed 5 (alone) went on in a process of its own, from the
    # weights and Adam's state of step 300 to step 400, as it would have trained alone
    assert [r["outcome"] == "solved" for r in records["sigmoid_2"]] == [False, True]
    kept = records.pop("on").result()[0]
    assert len(kept[0]["2.bias"]) == 1
    assert sorted(kept) == [0, 50, 100]
    alone = train(5, 2, "sigmoid", steps=400).model.state_dict()
    on = chapter.copy_of(kept[100], 0, "sigmoid", 2).state_dict()
    for name, tensor in alone.items():
        assert torch.allclose(on[name], tensor, atol=1e-4), name
    assert torch.equal(kept[0]["0.weight"][0], records["sigmoid_2"][0]["long"][0].weight)
    for key, (activation, hidden) in chapter.SETTINGS.items():
        for record in records[key]:
            # the sigmoid stack, with its gradient and Adam written out, also trains on
            later = {"model": 200} | ({"long": 300} if activation == "sigmoid" else {})
            for field, steps in later.items():
                alone = train(record["seed"], hidden, activation, steps=steps).model.state_dict()
                swept = record[field].state_dict()
                for name, tensor in alone.items():
                    assert torch.allclose(swept[name], tensor, atol=1e-4), (key, field, name)
            start = record["start"].state_dict()  # 1,000 steps before the end: the start here
            assert all(torch.equal(record["before"].state_dict()[k], start[k]) for k in start)


def test_wilson_intervals():
    assert wilson(0, 100) == (0.0, pytest.approx(0.0370, abs=1e-4))
    assert wilson(50, 100) == (
        pytest.approx(0.4038, abs=1e-4),
        pytest.approx(0.5962, abs=1e-4),
    )
    assert wilson(20, 20) == (pytest.approx(0.8389, abs=1e-4), 1.0)


def test_the_thresholds_the_page_states():
    assert chapter.MERGED == 1e-2  # "within 10^-2 in every unit"
    assert chapter.NEAR == 0.01  # "within 0.01 of 1/4"
    assert chapter.SATURATED == 0.01  # "slope h(1 - h) below 0.01"
    assert set(chapter.LIMITS) == {1 / 8, 1 / 6, 1 / 4}


def test_the_outcome_table(result):
    assert value(result, "padding_max") == 0.0  # padded neurons never moved
    seeds = value(result, "seeds")
    assert seeds >= 100
    for key in chapter.SETTINGS:
        counts = [value(result, f"{key}_{o.replace(' ', '_')}") for o in chapter.OUTCOMES]
        assert sum(counts) == seeds
        for name, count in zip(chapter.OUTCOMES, counts, strict=True):
            k = f"{key}_{name.replace(' ', '_')}"
            low, high = wilson(count, seeds)
            assert value(result, f"{k}_low") == pytest.approx(100 * low)
            assert value(result, f"{k}_high") == pytest.approx(100 * high)
    assert value(result, "sigmoid_2_dead_unit") == 0  # sigmoid units are never exactly 0
    # "about a fifth" for 2-2-1 ReLU, "almost always" with eight neurons
    assert 0.15 <= value(result, "relu_2_solved") / seeds <= 0.27
    assert value(result, "relu_8_solved") / seeds >= 0.9
    assert (
        value(result, "relu_2_solved")
        < value(result, "relu_4_solved")
        < value(result, "relu_8_solved")
    )
    assert value(result, "relu_2_solved_high") < value(result, "relu_8_solved_low")


def test_dead_units_never_move(result):
    for key in ("relu_2", "relu_4", "relu_8"):
        assert value(result, f"{key}_dead_at_start") > 0
        assert value(result, f"{key}_dead_at_start_unmoved") == value(
            result, f"{key}_dead_at_start"
        )
    # a 2-2-1 network with a dead neuron is a one-ReLU network: never solved
    assert value(result, "relu_2_runs_dead_at_start") > 0
    assert value(result, "relu_2_runs_dead_at_start_solved") == 0
    # with eight neurons few dead starts do no harm; the failures started with three or more
    few, many = value(result, "relu_8_runs_dead_few"), value(result, "relu_8_runs_dead_many")
    assert few + many == value(result, "relu_8_runs_dead_at_start")
    assert value(result, "relu_8_runs_dead_few_solved") == few > 0
    assert 0 < value(result, "relu_8_runs_dead_many_solved") < many
    dead = value(result, "relu_8_failed_dead_at_start")
    assert len(dead) == value(result, "relu_8_failed") and min(dead) >= 3
    assert max(dead) <= value(result, "relu_8_runs_dead_most")
    assert value(result, "relu_8_runs_dead_most") >= 3  # "three to ..."


def test_end_states_of_the_two_neuron_network(result):
    names = list(chapter.END_STATES)
    assert sum(value(result, f"end_{n}") for n in names) == value(result, "seeds")
    for name in ("folding_dead", "affine_affine", "affine_dead", "dead_dead"):  # theorems
        assert value(result, f"end_{name}_solved") == 0
    assert value(result, "end_folding_affine") > 0  # the skip connection in disguise
    assert value(result, "end_two_folding_solved") + value(
        result, "end_folding_affine_solved"
    ) == value(result, "relu_2_solved")
    # the kinds do not depend on the sign of a rounding error: every tolerance at which some
    # neuron's kind would change is a rounding error (up to 1e-6) or far above ON_FOLD, so
    # any tolerance between gives the same table
    assert value(result, "on_fold") == chapter.ON_FOLD == 1e-4  # the page's "10^-4"
    assert 0 <= value(result, "on_fold_max") <= 1e-6
    assert value(result, "off_fold_min") >= 100 * chapter.ON_FOLD
    # the boundary case the page names: neurons affine on the four inputs, 0 at one of them,
    # all in the row "folding, affine", all solved, and not all of it
    for name in chapter.END_STATES:
        if name != "folding_affine":
            assert value(result, f"end_{name}_corner") == 0
    corner = value(result, "end_folding_affine_corner")
    assert 0 < corner == value(result, "end_folding_affine_corner_solved")
    assert corner < value(result, "end_folding_affine")


def relu_with_pre_activations(z: list[list[float]]) -> nn.Sequential:
    """A 2-h-1 ReLU network whose hidden units have these values at (0,0), (0,1), (1,0), (1,1):
    unit j's z = c + w_a a + w_b b, set from z(0,0), z(1,0) and z(0,1) (z(1,1) must follow)."""
    model = make_model(len(z), "relu")
    with torch.no_grad():
        for j, (z00, z01, z10, z11) in enumerate(z):
            assert z11 == pytest.approx(z01 + z10 - z00, abs=1e-9)
            model[0].weight[j] = torch.tensor([z10 - z00, z01 - z00])
            model[0].bias[j] = z00
    return model


def test_a_fold_through_a_corner_is_affine_whatever_the_rounding():
    # seed 60's and seed 82's neuron: about 1.52, 0.76, 0.76 and 0 at (1, 1), its fold line
    # a + b = 2 through that corner; the sign of the 0 is a rounding error, and decides nothing
    for zero in (0.0, 1e-7, -1e-7, 5e-5, -5e-5):
        z = [1.52 + zero, 0.76 + zero, 0.76 + zero, zero]
        model = relu_with_pre_activations([z, [1.0, 0.0, -1.0, -2.0]])
        assert chapter.unit_kinds(model) == ["affine", "folding"]
        assert chapter.corner_folds(model) == 1
    # beyond the tolerance the sign counts again
    model = relu_with_pre_activations([[0.5, 0.5, -0.5, -0.5], [1.0, 1.0, 1.0, 1.0]])
    assert chapter.unit_kinds(model) == ["folding", "affine"] and chapter.corner_folds(model) == 0
    model = relu_with_pre_activations([[-1.0, -1.0, -1.0, -1.0], [1e-5, -1.0, -1.0, -2.0 - 1e-5]])
    assert chapter.unit_kinds(model) == ["dead", "dead"]


def test_every_failure_is_explained(result):
    for key in chapter.SETTINGS:
        failed = value(result, f"{key}_failed")
        kinds = [value(result, f"{key}_fail_{k}") for k in ("no_folding", "merged", "neither")]
        assert sum(kinds) == failed == value(result, "seeds") - value(result, f"{key}_solved")
        assert kinds[2] == 0
    assert value(result, "sigmoid_2_fail_no_folding") == 0
    for key in ("sigmoid_2", "relu_2"):
        near = [value(result, f"{key}_fail_near_{n}") for n in chapter.LIMITS.values()]
        assert sum(near) == value(result, f"{key}_failed")
    assert value(result, "sigmoid_2_fail_near_quarter") == 0  # "near 1/8 or 1/6"
    # merging tells failed runs from solved ones: exact for ReLU, close for sigmoid units,
    # and far from it in every solved sigmoid run
    assert value(result, "relu_merged_gap_max") == 0
    assert value(result, "sigmoid_merged_gap_max") < chapter.MERGED
    assert value(result, "sigmoid_solved_gap_min") > 10 * chapter.MERGED


def test_relu_failures_sit_at_a_local_minimum(result):
    # every failed ReLU run is covered by one of the page's two arguments, at its bound
    assert value(result, "relu_failed") == sum(value(result, f"relu_{h}_failed") for h in (2, 4, 8))
    assert value(result, "relu_fail_proved") == value(result, "relu_failed")
    assert value(result, "relu_fail_floor_gap") < 1e-6
    # the runs with every neuron affine are among those with no folding neuron
    no_folding = sum(value(result, f"relu_{h}_fail_no_folding") for h in (2, 4, 8))
    assert value(result, "end_affine_affine") <= value(result, "relu_all_affine") <= no_folding
    assert value(result, "relu_all_affine_moved") < 1e-4  # "stay small"


def test_relu_floor_proves_what_the_page_says():
    x, y = make_data()
    model = make_model(2, "relu")
    with torch.no_grad():
        # both neurons on everywhere: affine on the four inputs, bound 1/4
        model[0].weight.copy_(torch.tensor([[1.0, 0.5], [0.3, 1.0]]))
        model[0].bias.fill_(1.0)
        assert chapter.relu_floor(model) == 0.25
        # a neuron exactly at 0 on an input: no strict pattern, no proof
        model[0].bias.copy_(torch.tensor([0.0, 1.0]))
        assert chapter.relu_floor(model) is None
        # both off at (0, 0) and (1, 1), on elsewhere: folding, and the merged inputs share a
        # label, so no bound follows
        model[0].weight.copy_(torch.tensor([[1.0, -1.0], [-1.0, 1.0]]))
        model[0].bias.fill_(-0.5)
        assert chapter.relu_floor(model) is None
        # both off at (0, 0), (0, 1), (1, 0): labels 0, 1, 1 merged, around their mean 2/3
        model[0].weight.copy_(torch.tensor([[1.0, 1.0], [1.0, 1.0]]))
        model[0].bias.fill_(-1.5)
        assert chapter.relu_floor(model) == pytest.approx((4 / 9 + 1 / 9 + 1 / 9) / 4)


def test_sigmoid_failures_are_merged_saturated_and_unsolved(result):
    failed, solved = value(result, "sigmoid_2_failed"), value(result, "sigmoid_2_solved")
    assert failed > 0
    # saturated at the merged inputs
    assert value(result, "sigmoid_fail_saturated") == failed
    assert value(result, "sigmoid_fail_slope_max") < chapter.SATURATED
    assert value(result, "sigmoid_2_plateau") == 0  # not plateaus ...
    assert value(result, "sigmoid_fail_still_falling") == failed  # ... still falling
    assert float(result.text("sigmoid_fail_drop_min")) > 1e-6
    # ... as are the solved runs, and every run grows its weights: no sign of failure
    assert value(result, "sigmoid_solved_still_falling") == solved
    assert value(result, "sigmoid_solved_outward") == solved
    assert value(result, "sigmoid_failed_outward") == failed
    assert value(result, "sigmoid_solved_outward_min") > 0
    assert value(result, "sigmoid_failed_outward_min") > 0
    # trained on to LONG_STEPS: the weights keep growing, none has got out yet
    assert value(result, "long_steps") > chapter.STEPS
    assert value(result, "sigmoid_long_grew") == failed
    assert value(result, "sigmoid_long_norm") > value(result, "sigmoid_fail_norm")
    assert value(result, "sigmoid_long_escaped") == 0
    _, high = wilson(0, failed)
    assert value(result, "sigmoid_long_escaped_high") == pytest.approx(100 * high)
    assert value(result, "sigmoid_long_kept") == solved
    assert value(result, "sigmoid_long_gap_max") < value(result, "sigmoid_merged_gap_max")
    assert value(result, "sigmoid_long_limit_gap") < chapter.NEAR


def test_failed_sigmoid_runs_trained_on(result):
    """Trained on to ON_STEPS, a few get out of the merged state, each after a stretch that
    passes the page's plateau test; the others are still merged."""
    failed = value(result, "sigmoid_2_failed")
    assert value(result, "on_steps") == chapter.ON_STEPS > chapter.LONG_STEPS
    assert value(result, "on_every") == chapter.ON_EVERY == 1000  # "per 1,000 steps"
    solved = value(result, "on_solved")
    assert 0 < solved < failed  # "some ... get out", "the other ..."
    assert value(result, "on_unmerged") == solved  # solved = no longer merged
    assert value(result, "on_stayed") == solved  # solved once, solved to the end
    assert value(result, "on_stuck") == failed - solved > failed / 2  # "most of them"
    low, high = wilson(solved, failed)
    assert value(result, "on_solved_low") == pytest.approx(100 * low)
    assert value(result, "on_solved_high") == pytest.approx(100 * high)
    seeds, first = value(result, "on_seeds"), value(result, "on_first")
    assert len(seeds) == len(first) == len(value(result, "on_flat")) == solved
    assert (
        first == sorted(first) and chapter.LONG_STEPS < first[0] and first[-1] <= chapter.ON_STEPS
    )
    outcomes = zip(chapter.SEEDS, result.data["outcomes"]["sigmoid_2"], strict=True)
    failed_seeds = [seed for seed, o in outcomes if o != "solved"]
    assert set(seeds) <= set(failed_seeds)
    # long plateau-like stretches first: at least 10,000 steps each
    assert min(value(result, "on_flat")) >= 10_000
    # the others: still merged, losses still at 1/8 or 1/6
    assert value(result, "on_gap_max") < chapter.MERGED
    assert value(result, "on_limit_gap") < chapter.NEAR


def test_the_sigmoid_stack_goes_on_where_it_stopped():
    """Trained in two calls, Adam's state handed on, the stack ends where one call ends."""
    start = stack_parameters(partial(make_model, 2, "sigmoid"), [3, 4])
    whole, _, _ = chapter.train_sigmoid_stack(start, 60, {60})
    half, _, adam = chapter.train_sigmoid_stack(start, 30, {30})
    assert adam["steps"] == 30
    rest, losses, _ = chapter.train_sigmoid_stack(half[30], 30, {30}, adam)
    assert all(torch.equal(rest[30][name], whole[60][name]) for name in whole[60])


def test_saturation_is_measured_at_the_merged_inputs(result):
    weights = result.data["widget"]["trained"]["sigmoid_merged"]["weights"]
    model = network(weights, "sigmoid")
    pairs = chapter.merged_pairs(model)
    assert pairs, "the shown sigmoid failure has merged inputs"
    merged = sorted({i for pair in pairs for i in pair})
    with torch.no_grad():
        h = model[1](model[0](make_data()[0]))[merged]
    assert (h * (1 - h)).max().item() <= value(result, "sigmoid_fail_slope_max") * (1 + 1e-6)


def network(weights: dict, activation: str) -> nn.Sequential:
    model = make_model(len(weights["0.bias"]), activation)
    model.load_state_dict({k: torch.tensor(v) for k, v in weights.items()})
    return model


def test_the_shown_runs_are_what_the_caption_says(result):
    shown = result.data["widget"]["trained"]
    models = {
        name: network(e["weights"], "sigmoid" if e["setting"].startswith("sigmoid") else "relu")
        for name, e in shown.items()
    }
    for name, run in shown.items():
        assert result.value(f"seed_{name}") == run["seed"]
        solved = run["outcome"] == "solved"
        assert solved == (name in ("relu_two_folding", "relu_folding_affine", "sigmoid_solved"))
    kinds = chapter.unit_kinds
    assert kinds(models["relu_two_folding"]) == ["folding", "folding"]
    assert sorted(kinds(models["relu_folding_affine"])) == ["affine", "folding"]
    assert sorted(kinds(models["relu_folding_dead"])) == ["dead", "folding"]
    assert chapter.failure_kind(models["relu_folding_dead"], "relu") == "merged"
    assert kinds(models["relu_affine_affine"]) == ["affine", "affine"]
    assert chapter.failure_kind(models["sigmoid_merged"], "sigmoid") == "merged"


def test_all_affine_is_a_local_minimum(result):
    """Small moves keep both neurons on at all four inputs: the loss cannot drop below 1/4."""
    weights = result.data["widget"]["trained"]["relu_affine_affine"]["weights"]
    model = network(weights, "relu").double()
    x, y = make_data()
    x, y = x.double(), y.double()
    with torch.no_grad():
        assert (model[0](x) > 0).all()
        loss = ((model(x) - y) ** 2).mean().item()
        assert loss == pytest.approx(0.25, abs=1e-6)
        torch.manual_seed(2)
        start = [p.clone() for p in model.parameters()]
        for _ in range(300):
            for p, p0 in zip(model.parameters(), start, strict=True):
                p.copy_(p0 + 1e-3 * torch.randn_like(p0))
            assert ((model(x) - y) ** 2).mean().item() >= 0.25 - 1e-12


def test_training_on_n_bit_parity(result):
    assert value(result, "parity_all_solved") is True
    seeds = value(result, "parity_seeds")
    medians = [value(result, f"parity_{n}_median") for n in chapter.PARITY_BITS]
    for n in chapter.PARITY_BITS:
        assert value(result, f"parity_{n}_solved") == seeds
        assert value(result, f"parity_{n}_max") <= chapter.PARITY_MAX_STEPS
    assert medians == sorted(medians) and medians[0] < medians[-1]  # it grew with n
    assert value(result, "parity_medians") == medians
    # the medians of 20 seeds, not truncated: the sweep for two bits again, and its median
    steps = chapter.steps_to_solve(2, chapter.PARITY_SEEDS)
    assert value(result, "parity_2_median") == statistics.median(steps)
    assert result.text("parity_2_median") == format(statistics.median(steps), "g")
    # one seed trained alone, for a little longer than the sweep's slowest seed
    n = 4
    run = train(seed=0, hidden=8 * n, n_bits=n, steps=value(result, f"parity_{n}_max") + 50)
    assert outcome(run.model, run.history["loss"]) == "solved"


def test_figures_exist_and_carry_no_words(result):
    names = {"xor-one-relu", "xor-layered", "xor-trained", "xor-parity-steps"}
    # each figure, and its narrow drawing for phones where it has one
    assert {name.removesuffix(".narrow") for name in result.figures} == names
    for path in result.figures.values():
        svg = path.read_text("utf-8").split("</defs>", 1)[-1]
        words = set(re.findall(r"[A-Za-z]{3,}", " ".join(re.findall(r">([^<>]+)<", svg))))
        assert not words, f"{path.name} has words {words}"


# ------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: train(seed=1.5), TypeError, "seed must be an integer"),
        (lambda: train(hidden=0), ValueError, "hidden must be at least 1"),
        (lambda: train(activation="tanh"), ValueError, "activation must be one of"),
        (lambda: train(n_bits=17), ValueError, "n_bits must be at most 16"),
        (lambda: train(steps=-1), ValueError, "steps must be at least 0"),
        (lambda: train(lr=0), ValueError, "lr must be greater than 0"),
        (lambda: train(lr=float("nan")), ValueError, "lr must be finite"),
        (lambda: make_model(hidden="2"), TypeError, "hidden must be an integer"),
        (lambda: make_model(activation=None), ValueError, "activation must be one of"),
        (lambda: bit_parity(0), ValueError, "n_bits must be at least 1"),
        (lambda: bit_parity(65), ValueError, "n_bits must be at most 64"),
        (lambda: bit_parity(True), TypeError, "n_bits must be an integer"),
        (lambda: parity_data(21), ValueError, "n_bits must be at most 20"),
        (lambda: parity_data(2.0), TypeError, "n_bits must be an integer"),
        (lambda: SkipNet(0, 1), ValueError, "n_inputs must be at least 1"),
        (lambda: SkipNet(2, -1), ValueError, "n_neurons must be at least 0"),
        (lambda: truth_tables("relu", GRID), TypeError, "activation must be a function"),
        (lambda: truth_tables(torch.relu, 3), TypeError, "weights must be a list"),
        (lambda: truth_tables(torch.relu, []), ValueError, "weights must hold 1 to 101"),
        (lambda: truth_tables(torch.relu, [1, "2"]), TypeError, r"weights\[1\] must be a number"),
        (lambda: truth_tables(torch.relu, [math.inf]), ValueError, "must be finite"),
        (lambda: truth_tables(torch.relu, GRID, None), TypeError, "threshold must be a number"),
        (lambda: outcome(one_relu(), [0.1]), TypeError, "model must be a network"),
        (lambda: outcome(make_model(), 0.1), TypeError, "losses must be a list"),
        (lambda: outcome(make_model(), []), ValueError, "losses must hold at least one"),
        (lambda: outcome(make_model(), [0.1, "x"]), TypeError, "losses must hold numbers"),
    ],
)
def test_bad_arguments_are_refused_clearly(call, error, words):
    with pytest.raises(error, match=words):
        call()
