"""Chapter 2: the hand-wired network, training, the lambda family, which networks are exact,
the fewest ReLUs, and the seed sweep."""

import inspect
import math
import random
import re

import numpy as np
import pytest
import torch

from site_tools import experiments
from site_tools.chapters import minimum as chapter
from snippets.minimum import (
    MinModel,
    ReLULayer,
    branch_shapes,
    fit_lambda,
    hardwired,
    integer_grid,
    make_data,
    one_relu,
    read_lambda,
    set_weights,
    three_relus,
    train,
    two_relus_on_square,
    wire,
)


def family(lam: float, scale1: float = 1.0, scale2: float = 1.0) -> MinModel:
    """lam*a + (1-lam)*b - lam*ReLU(a-b) - (1-lam)*ReLU(b-a), with branch scales moved
    into the output weights."""
    return set_weights(
        MinModel(),
        branch1=[scale1, -scale1, 0.0],
        branch2=[-scale2, scale2, 0.0],
        output=[lam, 1 - lam, -lam / scale1, -(1 - lam) / scale2, 0.0],
    )


@pytest.fixture(scope="module")
def seed0(minimum_seed0):
    return minimum_seed0  # trained once per session (conftest.py)


def test_data():
    x, y = make_data()
    assert x.shape == (1000, 2) and y.shape == (1000, 1)
    assert x.min() >= -50 and x.max() <= 49 and torch.equal(x, x.round())
    assert torch.equal(y[:, 0], torch.minimum(x[:, 0], x[:, 1]))
    assert torch.equal(make_data()[0], x)  # its own seed: the same pairs every time
    assert not torch.equal(make_data(seed=1)[0], x)


def test_hardwired_is_exact_on_every_integer_pair():
    grid = integer_grid()
    assert len(grid) == 101 * 101
    with torch.no_grad():
        out = hardwired()(grid)
    assert torch.equal(out, grid.min(dim=1, keepdim=True).values)


@pytest.mark.parametrize("lam", [-0.5, 0.0, 0.29, 0.5, 1.0, 1.7])
@pytest.mark.parametrize("scales", [(1.0, 1.0), (0.71, 1.06), (2.0, 0.25)])
def test_every_member_of_the_family_is_exact(lam, scales):
    grid = integer_grid()
    with torch.no_grad():
        out = family(lam, *scales)(grid)
    assert (out - grid.min(dim=1, keepdim=True).values).abs().max() < 1e-4


@pytest.mark.parametrize("lam", [0.0, 0.29, 0.5, 0.72, 1.0])
def test_read_lambda_on_hand_made_networks(lam):
    assert read_lambda(family(lam, 0.71, 1.41)) == pytest.approx(lam, abs=1e-6)
    assert fit_lambda(family(lam))[1] < 1e-6


def test_read_lambda_ignores_dead_branches():
    # the source's network: one dead branch, the other 0.71*(a-b), output 1*a - 1.41*branch
    source = set_weights(MinModel(), [0.0, 0.0, 0.0], [0.71, -0.71, 0.0], [1, 0, 0, -1 / 0.71, 0])
    assert read_lambda(source) == pytest.approx(1.0, abs=1e-6)
    dead = set_weights(MinModel(), [0.3, 0.2, -100.0], [-1, 1, 0], [0, 1, 5.0, -1, 0])
    assert read_lambda(dead) == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize(
    "weights",
    [
        ([1, -1, 0], [-1, 1, 0], [0.5, 0.5, -0.5, -0.4, 0]),  # coefficients do not agree
        ([1, -1, 3.0], [-1, 1, 0], [0.5, 0.5, -0.5, -0.5, 0]),  # kink off the diagonal
        ([1, 0.5, 0], [-1, 1, 0], [0.5, 0.5, -0.5, -0.5, 0]),  # kink not along a = b
        ([1, -1, 0], [-1, 1, 0], [0.5, 0.5, -0.5, -0.5, 2.0]),  # output bias
    ],
)
def test_read_lambda_refuses_inexact_networks(weights):
    model = set_weights(MinModel(), *weights)
    assert read_lambda(model) is None
    assert fit_lambda(model)[1] > 0.05


def test_seed0_computes_b_minus_relu_b_minus_a(seed0):
    model = seed0.model
    for branch in (model.branch1, model.branch2):  # both branches read b - a
        w_a, w_b = branch.weight[0].tolist()
        assert w_a < 0 < w_b and abs(w_a + w_b) < 0.01
    lam, misfit = fit_lambda(model)
    assert abs(lam) < 0.01 and misfit < 0.05
    assert chapter.max_error(model) < 0.05


def test_trained_model_is_accurate_on_pairs_it_never_saw(seed0):
    x, y = make_data(n=2000, seed=123)
    seen = {tuple(p) for p in make_data()[0].tolist()}
    unseen = torch.tensor([p for p in x.tolist() if tuple(p) not in seen])
    assert len(unseen) > 1000
    with torch.no_grad():
        error = (seed0.model(unseen) - unseen.min(dim=1, keepdim=True).values).abs().max()
    assert error < 0.05


def test_experiment_uses_the_chapter_defaults():
    defaults = inspect.signature(train).parameters
    assert (chapter.EPOCHS, chapter.LR) == (defaults["epochs"].default, defaults["lr"].default)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: make_data(n=0), ValueError, "n must be at least 1, got 0"),
        (lambda: make_data(n=10**9), ValueError, "n must be at most 1000000, got 1000000000"),
        (lambda: make_data(seed=0.5), TypeError, "seed must be an integer, got float 0.5"),
        (lambda: train(seed="1"), TypeError, "seed must be an integer, got str '1'"),
        (lambda: train(epochs=-3), ValueError, "epochs must be at least 0, got -3"),
        (lambda: train(lr=-0.1), ValueError, "lr must be greater than 0, got -0.1"),
        (lambda: train(lr=math.inf), ValueError, "lr must be finite, got inf"),
        (lambda: fit_lambda("model"), TypeError, "model must be a MinModel, got str"),
        (lambda: read_lambda(hardwired(), tol=-1), ValueError, "tol must be at least 0"),
        (lambda: branch_shapes(hardwired(), tol="0.1"), TypeError, "tol must be a number"),
        (lambda: branch_shapes(three_relus()), TypeError, "model must be a MinModel"),
        (lambda: ReLULayer(0, skip=True), ValueError, "neurons must be at least 1, got 0"),
        (lambda: ReLULayer(2, skip=1), TypeError, "skip must be True or False, got int 1"),
        (lambda: wire([[1, -1]], [1, 0, -1, 0], skip=True), ValueError, "must hold 3 items"),
        (lambda: wire([[1, -1, 0]], [1, -1, 0], skip=True), ValueError, "output must hold 4"),
        (lambda: set_weights(MinModel(), [1, 2], [1, 2, 3], [0] * 5), ValueError, "branch1"),
    ],
)
def test_bad_arguments_are_refused_clearly(call, error, words):
    with pytest.raises(error, match=re.escape(words)):
        call()


def test_numpy_numbers_are_numbers():
    x, y = make_data(n=np.int64(5), seed=np.int32(2))
    assert x.shape == (5, 2)
    assert train(seed=np.int64(1), epochs=np.int64(2)).history["epoch"] == [0, 1, 2]


def test_pairs_on_the_diagonal_are_about_one_in_a_hundred():
    x, _ = make_data()
    share = (x[:, 0] == x[:, 1]).float().mean().item()
    assert 0.003 < share < 0.03  # "about one in a hundred" say where the kink belongs


# --- NaN and infinite weights ---------------------------------------------------------


@pytest.mark.parametrize("bad", [math.nan, math.inf])
@pytest.mark.parametrize("name", ["branch1.weight", "branch2.bias", "output.weight", "output.bias"])
def test_a_weight_that_is_not_a_number_is_refused(name, bad):
    model = hardwired()
    with torch.no_grad():
        model.state_dict()[name].view(-1)[0] = bad
    for call in (fit_lambda, read_lambda, branch_shapes):
        with pytest.raises(ValueError, match="NaN or infinite"):
            call(model)


# --- branch shapes, straight branches and the family ----------------------------------


def test_branch_shapes_of_hand_made_branches():
    assert branch_shapes(hardwired()) == [("diagonal", 0.0), ("diagonal", 0.0)]
    assert inspect.signature(branch_shapes).parameters["tol"].default == 0.01  # as the page says
    # branch 1 never on (dead); branch 2 never off on the square (straight)
    model = set_weights(MinModel(), [0.3, 0.2, -100.0], [0.2, 0.1, 20.0], [0, 0, 5.0, 0.5, 0])
    assert branch_shapes(model) == [("dead", 0.0), ("straight", 0.0)]
    # a fold on a = b + 3, and a tiny output weight that makes a crossing branch dead
    model = set_weights(MinModel(), [1, -1, 3.0], [1, 2, 0], [0, 0, -0.5, 1e-6, 0])
    [(shape1, gap1), (shape2, gap2)] = branch_shapes(model)
    assert shape1 == "off" and gap1 == pytest.approx(1.5)  # 0.5 * 3: moving the fold by 3
    assert shape2 == "dead" and gap2 < 1e-3


def straight_member(lam: float) -> MinModel:
    """A family member whose branch 2 is straight on the square: it adds 0.1*a + 0.05*b + 10,
    and the skip connection takes exactly that away again."""
    v_2 = 0.5  # times ReLU(0.2*a + 0.1*b + 20), which is >= 5 on the square
    s = 1.0 if lam >= 0.5 else -1.0  # branch 1: ReLU(a - b) or ReLU(b - a)
    skip = [lam - 0.1, 1 - lam - 0.05, -10.0]
    if s > 0:  # lam*a + (1-lam)*b - lam*ReLU(a-b) - (1-lam)*ReLU(b-a) needs lam = 1 here
        return set_weights(MinModel(), [1, -1, 0], [0.2, 0.1, 20], [*skip[:2], -1, v_2, skip[2]])
    return set_weights(MinModel(), [-1, 1, 0], [0.2, 0.1, 20], [*skip[:2], -1, v_2, skip[2]])


@pytest.mark.parametrize("lam", [0.0, 1.0])
def test_a_straight_branch_counts_as_part_of_the_skip_connection(lam):
    model = straight_member(lam)
    grid = integer_grid()
    with torch.no_grad():
        error = (model(grid) - grid.min(dim=1, keepdim=True).values).abs().max().item()
    assert error < 1e-4  # exact, though its weights are not of the family's form
    assert [shape for shape, _ in branch_shapes(model)] == ["diagonal", "straight"]
    assert read_lambda(model) == pytest.approx(lam, abs=1e-6)


# --- the theorem: which networks are exact --------------------------------------------


def general_network(points: torch.Tensor, affine, branches) -> torch.Tensor:
    """p*a + q*b + c + sum of v*ReLU(w*a + w'*b + beta), in float64."""
    a, b = points[:, 0], points[:, 1]
    p, q, c = affine
    out = p * a + q * b + c
    for v, w, w2, beta in branches:
        out = out + v * torch.relu(w * a + w2 * b + beta)
    return out


def random_points(rng: random.Random, n: int = 4000) -> torch.Tensor:
    """Random real pairs in the open square, and every integer pair of the grid."""
    inside = [[rng.uniform(-49.999, 49.999), rng.uniform(-49.999, 49.999)] for _ in range(n)]
    return torch.cat([torch.tensor(inside, dtype=torch.float64), integer_grid().double()])


def exact_by_the_theorem(rng: random.Random):
    """A random network meeting (i) and (ii): folds on the diagonal with any scales, straight
    and dead branches, a cancelling pair on a line off the diagonal, and the affine part
    chosen so that it adds up to a - ReLU(a - b)."""
    branches, p, q, c, bend = [], 0.0, 0.0, 0.0, 0.0
    for _ in range(3):  # on the diagonal: v*ReLU(k*(a - b))
        k, v = rng.choice([-1, 1]) * rng.uniform(0.2, 3), rng.uniform(-2, 2)
        branches.append((v, k, -k, 0.0))
        bend += v * abs(k)
        if k < 0:  # v*|k|*(ReLU(a-b) - (a-b))
            p, q = p - v * abs(k), q + v * abs(k)
    branches.append((-1 - bend, 1.0, -1.0, 0.0))  # brings the bend on the diagonal to -1
    w, w2 = rng.uniform(-1, 1), rng.uniform(-1, 1)
    beta = 50 * (abs(w) + abs(w2)) + rng.uniform(0.1, 5)  # positive on the whole square
    v = rng.uniform(-2, 2)
    branches.append((v, w, w2, beta))  # straight
    p, q, c = p + v * w, q + v * w2, c + v * beta
    branches.append((rng.uniform(-2, 2), w, w2, -beta))  # dead
    w, w2, beta = rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-5, 5)  # crosses
    k1, k2, v1 = rng.uniform(0.2, 2), -rng.uniform(0.2, 2), rng.uniform(-2, 2)
    v2 = -v1 * k1 / abs(k2)  # v1*|k1| + v2*|k2| = 0: the two bends cancel
    branches += [(v1, k1 * w, k1 * w2, k1 * beta), (v2, k2 * w, k2 * w2, k2 * beta)]
    # ReLU(k*l) = |k|*(ReLU(l) - l) for k < 0: what the pair leaves is the line v2*k2*l
    p, q, c = p + v2 * k2 * w, q + v2 * k2 * w2, c + v2 * k2 * beta
    return (1 - p, -q, -c), branches


@pytest.mark.parametrize("seed", range(20))
def test_networks_meeting_the_conditions_are_exact(seed):
    rng = random.Random(seed)
    affine, branches = exact_by_the_theorem(rng)
    points = random_points(rng)
    out = general_network(points, affine, branches)
    assert (out - points.min(dim=1).values).abs().max() < 1e-9


@pytest.mark.parametrize("seed", range(20))
def test_a_bend_off_the_diagonal_shows_inside_the_square(seed):
    """The proof's key step: at a point P of a fold L (not the diagonal) inside the square,
    f - min bends by J_L across L, however the other branches are set."""
    rng = random.Random(seed)
    affine, branches = exact_by_the_theorem(rng)
    angle, norm = rng.uniform(0, 2 * math.pi), rng.uniform(0.1, 2)
    w, w2 = norm * math.cos(angle), norm * math.sin(angle)
    px, py = rng.uniform(-40, -5), rng.uniform(5, 40)  # P, above the diagonal, in the square
    jump = rng.choice([-1, 1]) * rng.uniform(0.01, 2)
    branches = [*branches, (jump, w, w2, -(w * px + w2 * py))]  # its fold runs through P
    eps = 0.1  # the disc of radius eps around P stays 7 away from the diagonal
    n = torch.tensor([w / norm, w2 / norm], dtype=torch.float64) * eps
    p = torch.tensor([px, py], dtype=torch.float64)
    points = torch.stack([p + n, p - n, p])
    f_minus_min = general_network(points, affine, branches) - points.min(dim=1).values
    second_difference = f_minus_min[0] + f_minus_min[1] - 2 * f_minus_min[2]
    assert second_difference.item() == pytest.approx(jump * norm * eps, rel=1e-6)


@pytest.mark.parametrize("seed", range(20))
def test_a_fold_that_misses_the_square_leaves_a_line_there(seed):
    rng = random.Random(seed)
    w, w2 = rng.uniform(-1, 1), rng.uniform(-1, 1)
    beta = rng.choice([-1, 1]) * (50 * (abs(w) + abs(w2)) + rng.uniform(0, 3))
    points = random_points(rng)
    z = w * points[:, 0] + w2 * points[:, 1] + beta
    relu = torch.relu(z)
    assert torch.equal(relu, z) or torch.equal(relu, torch.zeros_like(z))


# --- the fewest ReLUs --------------------------------------------------------------------


def test_the_fewest_networks_have_the_neurons_the_page_counts():
    for net, neurons, skip in [(one_relu(), 1, True), (three_relus(), 3, False)]:
        assert net.hidden.out_features == neurons and net.skip is skip
    net = two_relus_on_square()
    assert net.hidden.out_features == 2 and not net.skip
    assert three_relus().output.in_features == 3  # strictly layered: it reads only the ReLUs


@pytest.mark.parametrize("make", [one_relu, three_relus, two_relus_on_square])
def test_the_fewest_networks_are_exact_on_the_grid(make):
    grid = integer_grid()
    with torch.no_grad():
        assert torch.equal(make()(grid), grid.min(dim=1, keepdim=True).values)


def test_one_and_three_relus_are_exact_far_away_too():
    rng = random.Random(0)
    big = 2**22  # a - b stays below 2**24: every float32 operation exact
    pairs = [[rng.randint(-big, big), rng.randint(-big, big)] for _ in range(20000)]
    pairs += [[-3e6, 1e6], [4e6, -2e6], [-60, 0], [big, -big], [-big, big], [5, 5]]
    points = torch.tensor(pairs, dtype=torch.float32)
    with torch.no_grad():
        for net in (one_relu(), three_relus()):
            assert torch.equal(net(points), points.min(dim=1, keepdim=True).values)


def test_two_relus_are_exact_while_a_stays_at_least_minus_50_and_wrong_below():
    rng = random.Random(1)
    points = torch.tensor(
        [[rng.randint(-50, 2**22), rng.randint(-(2**22), 2**22)] for _ in range(20000)],
        dtype=torch.float32,
    )
    with torch.no_grad():
        net = two_relus_on_square()
        assert torch.equal(net(points), points.min(dim=1, keepdim=True).values)
        below = torch.tensor([[-3e6, 1e6], [-60.0, 0.0], [-51.0, 100.0]])
        out = net(below)[:, 0]
        assert (out != below.min(dim=1).values).all()  # the first and last far-away points
        assert out[:2].tolist() == [-50.0, -50.0]
        # "wrong as soon as a < -50": at every such point
        below = torch.tensor(
            [[rng.randint(-(2**22), -51), rng.randint(-(2**22), 2**22)] for _ in range(20000)],
            dtype=torch.float32,
        )
        assert (net(below)[:, 0] != below.min(dim=1).values).all()


def test_no_relu_is_too_few():
    # every affine f has f(2, 0) + f(0, 2) = 2 f(1, 1); the minimum does not
    rng = random.Random(2)
    for _ in range(100):
        p, q, c = (rng.uniform(-5, 5) for _ in range(3))
        f = lambda a, b, p=p, q=q, c=c: p * a + q * b + c  # noqa: E731
        assert f(2, 0) + f(0, 2) == pytest.approx(2 * f(1, 1))
    assert min(2, 0) + min(0, 2) != 2 * min(1, 1)


def test_one_neuron_in_the_first_layer_is_too_few():
    # along d = (w', -w) the output of such a network never changes; the minimum changes
    # along every direction d != 0, near (-10, 10) or near (10, -10)
    rng = random.Random(3)
    for _ in range(1000):
        angle = rng.uniform(0, 2 * math.pi)
        d = (math.cos(angle), math.sin(angle))
        assert any(min(x + d[0], y + d[1]) != min(x, y) for x, y in [(-10, 10), (10, -10)])


def test_two_relus_reading_a_minus_b_only_are_constant_along_the_diagonal():
    # the last step of the plane's proof: branches folding on the diagonal see only a - b
    rng = random.Random(4)
    t = torch.linspace(-1000, 1000, 101, dtype=torch.float64)
    points = torch.stack([t, t], dim=1)
    for _ in range(100):
        branches = [(rng.uniform(-3, 3), k, -k, 0.0) for k in (rng.uniform(-3, 3), 1.0)]
        out = general_network(points, (0.0, 0.0, rng.uniform(-3, 3)), branches)
        assert torch.allclose(out, out[:1].expand_as(out))


# --- the sweep ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def result():
    return experiments.result("minimum")


@pytest.fixture(scope="module")
def sweep(result):
    return result.data["sweep"]


def error_in_float64(weights: dict[str, list[float]]) -> tuple[float, float, float]:
    """Largest error on the grid, off the diagonal and on it, computed from the weights."""
    grid = integer_grid().double()
    w = {name: torch.tensor(values, dtype=torch.float64) for name, values in weights.items()}
    branches = [
        (w["output.weight"][2 + i], *w[f"branch{i + 1}.weight"], w[f"branch{i + 1}.bias"][0])
        for i in range(2)
    ]
    v = w["output.weight"]
    out = general_network(grid, (v[0], v[1], w["output.bias"][0]), branches)
    errors = (out - grid.min(dim=1).values).abs()
    diagonal = grid[:, 0] == grid[:, 1]
    return errors.max().item(), errors[~diagonal].max().item(), errors[diagonal].max().item()


def shapes_in_float64(weights: dict[str, list[float]], tol: float = 0.01) -> list[str]:
    """branch_shapes, written again: each branch against 0, its line, its diagonal fold."""
    grid = integer_grid().double()
    a, b = grid[:, 0], grid[:, 1]
    shapes = []
    for i in (1, 2):
        (w, w2), beta = weights[f"branch{i}.weight"], weights[f"branch{i}.bias"][0]
        v = weights["output.weight"][1 + i]
        z = w * a + w2 * b + beta
        term = v * torch.relu(z)
        gaps = [
            ("dead", term.abs().max()),
            ("straight", (term - v * z).abs().max()),
            ("diagonal", (term - v * torch.relu((w - w2) / 2 * (a - b))).abs().max()),
        ]
        shapes.append(next((name for name, gap in gaps if gap <= tol), "off"))
    return shapes


def model_from(weights: dict[str, list[float]]) -> MinModel:
    model = MinModel()
    state = model.state_dict()
    model.load_state_dict(
        {name: torch.tensor(weights[name]).view_as(state[name]) for name in state}
    )
    return model


def tier(error: float, name: str) -> bool:
    return error < 0.5 if name == "rounds" else error <= chapter.TIERS[name]


def test_sweep_records_agree_with_their_weights(sweep, result):
    assert [s["seed"] for s in sweep] == list(range(result.value("seeds")))
    for s in sweep:
        error, _, _ = error_in_float64(s["weights"])
        assert error == pytest.approx(s["error"], abs=1e-4)
        assert shapes_in_float64(s["weights"]) == s["shapes"]
        assert fit_lambda(model_from(s["weights"]))[0] == pytest.approx(s["lambda"], abs=1e-9)


def test_no_trained_branch_is_exactly_one_of_the_shapes(sweep):
    assert all(gap > 0 for s in sweep for gap in s["gaps"])


def test_a_branch_off_the_diagonal_folds_inside_the_square(sweep):
    grid = integer_grid()
    for s in sweep:
        for i, shape in enumerate(s["shapes"], start=1):
            if shape == "off":  # its input changes sign on the grid: the fold crosses it
                (w, w2), beta = (
                    s["weights"][f"branch{i}.weight"],
                    s["weights"][f"branch{i}.bias"][0],
                )
                z = w * grid[:, 0] + w2 * grid[:, 1] + beta
                assert z.min() < 0 < z.max()


def test_error_tiers_and_their_intervals(sweep, result):
    n = result.value("seeds")
    errors = [error_in_float64(s["weights"])[0] for s in sweep]
    for name in chapter.TIERS:
        count = sum(tier(e, name) for e in errors)
        assert result.value(f"within_{name}") == count
        # the 95 % Wilson interval: the p with (count/n - p)^2 = z^2 p (1 - p) / n
        for bound in ("low", "high"):
            p = result.value(f"within_{name}_{bound}") / 100
            assert (count / n - p) ** 2 == pytest.approx(1.959964**2 * p * (1 - p) / n, rel=1e-5)
        assert result.value(f"within_{name}_low") < 100 * count / n
        assert result.value(f"within_{name}_high") > 100 * count / n
    assert chapter.wilson(97, 100) == pytest.approx((0.9155, 0.9897), abs=1e-4)
    assert result.value("within_rounds") >= 90  # "almost every time"
    assert result.value("within_0_05") < n / 2  # "fewer than half come within 0.05"
    # "none is exact": in float64, so that no rounding can hide an error or make one
    assert result.value("best_error") == pytest.approx(min(errors), abs=1e-12)
    assert min(errors) > 1e-6
    assert result.value("worst_error") == pytest.approx(max(errors), abs=1e-4)


def test_the_table_of_fold_shapes(sweep, result):
    rows = [*chapter.PATTERNS, "other"]
    assert sum(result.value(f"count_{row}") for row in rows) == result.value("seeds")
    for row in rows:
        group = [s for s in sweep if s["pattern"] == row]
        assert result.value(f"count_{row}") == len(group)
        for name in chapter.TIERS:
            assert result.value(f"{row}_within_{name}") == sum(
                tier(s["error"], name) for s in group
            )
        if group:
            assert result.value(f"worst_error_{row}") == max(s["error"] for s in group)
    for name in chapter.TIERS:  # the table's last row
        assert sum(result.value(f"{row}_within_{name}") for row in rows) == result.value(
            f"within_{name}"
        )
    for s in sweep:  # each row holds exactly the seeds with its two shapes
        pair = sorted(s["shapes"])
        expected = [k for k, shapes in chapter.PATTERNS.items() if sorted(shapes) == pair]
        assert s["pattern"] == (expected[0] if expected else "other")


def test_the_most_accurate_seeds_let_one_branch_fold_on_the_diagonal(sweep, result):
    best = [s for s in sweep if s["error"] <= 0.01]
    assert best and all("diagonal" in s["shapes"] for s in best)
    dead = [s for s in best if s["pattern"] == "diag_dead"]
    assert result.value("diag_dead_within_0_01") == len(dead) > len(best) / 2
    # the straight seeds: which, how few pairs their straight branch is off at, how close
    straight = [s for s in sweep if s["pattern"] == "diag_straight"]
    assert result.value("straight_seeds") == [s["seed"] for s in straight]
    assert len(straight) >= 2  # the page names "seeds ... and ..."
    off = [s["off_pairs"][s["shapes"].index("straight")] for s in straight]
    assert result.value("straight_off_pairs_max") == max(off)
    assert max(off) < 0.01 * result.value("grid_pairs")  # "only grazes the square"
    assert all(s["error"] <= 0.01 for s in straight)
    assert result.value("grid_pairs") == len(integer_grid()) == 101 * 101
    grid = integer_grid()
    for s in straight:  # off_pairs counted again, from the weights
        i = s["shapes"].index("straight") + 1
        (w, w2), beta = s["weights"][f"branch{i}.weight"], s["weights"][f"branch{i}.bias"][0]
        z = w * grid[:, 0] + w2 * grid[:, 1] + beta
        assert int((z <= 0).sum()) == s["off_pairs"][i - 1]
    assert result.value("count_diag_diag") == 0  # "no seed has both folds on the diagonal"


def test_why_the_seeds_with_both_folds_off_are_slow(sweep, result):
    both_off = [s for s in sweep if s["pattern"] == "off_off"]
    on_diagonal = 0
    for s in both_off:
        _, off, on = error_in_float64(s["weights"])
        assert (on >= off) == s["worst_on_diagonal"]
        on_diagonal += on >= off
    assert result.value("off_off_worst_on_diagonal") == on_diagonal > 0.9 * len(both_off)
    falling = sum(s["loss_at_end"] < s["loss_before"] for s in both_off)
    assert result.value("off_off_loss_falling") == falling > 0.9 * len(both_off)
    errors = sorted(s["error"] for s in both_off)
    assert result.value("off_off_median_error") == pytest.approx(
        (errors[(len(errors) - 1) // 2] + errors[len(errors) // 2]) / 2
    )
    x, _ = make_data()
    assert result.value("data_on_diagonal") == int((x[:, 0] == x[:, 1]).sum())
    assert result.value("data_pairs") == len(x)


def test_where_the_seeds_sit_in_the_family(sweep, result):
    rounds = [s for s in sweep if s["error"] < 0.5]
    lambdas = [s["lambda"] for s in rounds]
    near_0 = sum(abs(lam) <= 0.05 for lam in lambdas)
    near_1 = sum(abs(lam - 1) <= 0.05 for lam in lambdas)
    near_half = sum(abs(lam - 0.5) <= 0.05 for lam in lambdas)
    assert (result.value("lambda_near_0"), result.value("lambda_near_1")) == (near_0, near_1)
    assert result.value("lambda_near_half") == near_half
    assert result.value("lambda_elsewhere") == len(rounds) - near_0 - near_1
    # every seed with a branch on the diagonal sits within 0.05 of 0 or 1
    for s in rounds:
        if "diagonal" in s["shapes"]:
            assert min(abs(s["lambda"]), abs(s["lambda"] - 1)) <= 0.05
    elsewhere = [lam for lam in lambdas if min(abs(lam), abs(lam - 1)) > 0.05]
    assert all(0.05 < lam < 0.95 for lam in elsewhere)  # "spread over the interval between"
    assert max(elsewhere) - min(elsewhere) > 0.5
    # "most seeds land at 0 or 1; the identity is rare"
    assert near_0 + near_1 > len(rounds) / 2
    assert near_half < min(near_0, near_1)


def test_seed0_gap_is_about_its_largest_error(result):
    assert 0.5 < result.value("seed0_gap") / result.value("seed0_error") < 2


def test_seed7_trained_alone_is_the_sweep_copy_to_within_1e_4(sweep):
    alone = train(seed=7).model.state_dict()
    for name, value in alone.items():
        copy = torch.tensor(sweep[7]["weights"][name]).view_as(value)
        assert (value - copy).abs().max() < 1e-4
