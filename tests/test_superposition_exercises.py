"""Chapter 5's exercises: every check fails its untouched stub with the intended message, passes
its worked solution, and answers wrong ones without raising; every number the solutions state."""

import math

import pytest
import torch

from snippets import superposition_exercises as ex
from snippets import superposition_solutions as sol
from snippets.superposition import ToyModel, make_batch

from helpers import DOCS, run_solutions
from helpers import wrapped_verdict as verdict

# what each check prints for its untouched stub: the reader's first sight of the exercise
STUB_MESSAGES = {
    "interference": (
        "✗ for W of shape (2, 3) your entry for feature 1 with itself is 0; the dot product of "
        "column 1 of W with itself is 1"
    ),
    "pentagon": "✗ column 1 of W is (0, 0): feature 1 has no direction yet",
    "rotation": "✗ with degrees = 30, W has not turned; turn it by 30 degrees",
    "losses": (
        "✗ keep_one_loss(0) is 0, but the model that keeps feature 1 alone loses 0.08327 on "
        "500,000 inputs"
    ),
    "mystery": (
        "✗ output 5 is off by 0.05 at x = (0, 0, 0, 0, 0): the model gives 0.05, your formula 0"
    ),
}
CHECKS = {
    "interference": (ex.check_interference, [ex.interference], [sol.interference]),
    "pentagon": (ex.check_pentagon, [ex.pentagon], [sol.pentagon]),
    "rotation": (ex.check_rotation, [ex.rotate], [sol.rotate]),
    "losses": (
        ex.check_losses,
        [ex.keep_one_loss, ex.pair_loss],
        [sol.keep_one_loss, sol.pair_loss],
    ),
    "mystery": (ex.check_mystery, [ex.mystery_formula], [sol.mystery_formula]),
}


@pytest.mark.parametrize("name", CHECKS)
def test_the_untouched_stub_fails_with_the_intended_message(name, capsys):
    check, stub, _ = CHECKS[name]
    assert verdict(check, *stub, capsys=capsys) == (False, STUB_MESSAGES[name])


SUCCESS = {
    "interference": "✓ every feature's dot product with every other, for 4 Ws",
    "pentagon": "✓ a regular pentagon; every one-hot input comes back",
    "rotation": "✓ turned by 30, 90, -45 and 200 degrees; the outputs moved by at most",
    "losses": "✓ both formulas within 3 % of the measured losses",
    "mystery": "✓ your formula is the model's on [0, 1]^5",
}


@pytest.mark.parametrize("name", CHECKS)
def test_the_solution_passes(name, capsys):
    check, _, solution = CHECKS[name]
    passed, printed = verdict(check, *solution, capsys=capsys)
    assert passed and printed.startswith(SUCCESS[name])


def raises(*args):
    raise RuntimeError("not yet")


# --- 5.1 -----------------------------------------------------------------------------------


def without_diagonal(W):
    G = W.T @ W
    return G - torch.diag(G.diagonal())


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (raises, "for W of shape (2, 3) your function raised RuntimeError('not yet')"),
        # the hidden dimensions' dot products, not the features'
        (lambda W: W @ W.T, "your matrix has shape (2, 2); it needs a row and a column per"),
        (lambda W: (W.T @ W).tolist(), "your function returned a list, not a tensor"),
        (
            without_diagonal,
            "your entry for feature 1 with itself is 0; the dot product of column 1 of W with "
            "itself is 1",
        ),
        (
            lambda W: W.T @ W.abs(),
            "your entry for features 1 and 3 is 1; the dot product of columns 1 and 3 of W is -1",
        ),
        (lambda W: W.T @ W / W.norm(), "your entry for feature 1 with itself is 0.4;"),
        (lambda W: torch.full((W.shape[1],) * 2, float("nan")), "with itself is nan"),
    ],
)
def test_interference_check_says_what_is_wrong(answer, message, capsys):
    passed, printed = verdict(ex.check_interference, answer, capsys=capsys)
    assert not passed and message in printed


def test_interference_accepts_any_float_type(capsys):
    assert verdict(ex.check_interference, lambda W: W.double().T @ W.double(), capsys=capsys)[0]


# --- 5.2 -----------------------------------------------------------------------------------


def pentagon_with(length: float = 1.0, bias: float = 0.0, turn: float = 0.0) -> ToyModel:
    model = ToyModel(5, 2)
    theta = turn + 2 * math.pi * torch.arange(5) / 5
    with torch.no_grad():
        model.W.copy_(length * torch.stack([theta.cos(), theta.sin()]))
        model.b.fill_(bias)
    return model


def square_and_one() -> ToyModel:
    model = pentagon_with()
    with torch.no_grad():
        model.W.copy_(torch.tensor([[1.0, 0.0, -1.0, 0.0, 0.7], [0.0, 1.0, 0.0, -1.0, 0.7]]))
    return model


def stretched() -> ToyModel:
    model = sol.pentagon()
    with torch.no_grad():
        model.W[:, 4] *= 1.3
    return model


C72 = math.cos(2 * math.pi / 5)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (raises, "your function raised RuntimeError('not yet')"),
        (lambda: ToyModel(6, 2), "your W has shape (2, 6) and b (6,); five features"),
        (lambda: torch.zeros(2, 5), "your function returned a Tensor, not a ToyModel"),
        (square_and_one, "going round, your columns are (90, 45, 45, 90, 90) degrees apart"),
        (stretched, "your columns' lengths run from 1.2 to 1.56"),
        # unit arrows, no bias: the neighbours leak cos 72
        (pentagon_with, "one-hot feature 1 comes back as (1, 0.309, 0, 0, 0.309)"),
        # the leak silenced, but the feature's own output not paid back
        (lambda: pentagon_with(bias=-C72), "one-hot feature 1 comes back as (0.691, 0, 0, 0, 0)"),
        (lambda: pentagon_with(bias=float("nan")), "your W or b holds nan or inf"),
    ],
)
def test_pentagon_check_says_what_is_wrong(answer, message, capsys):
    passed, printed = verdict(ex.check_pentagon, answer, capsys=capsys)
    assert not passed and message in printed


def test_any_turned_pentagon_passes(capsys):
    length = 1 / math.sqrt(1 - C72)
    turned = lambda: pentagon_with(length, -(length**2) * C72, turn=1.0)  # noqa: E731
    assert verdict(ex.check_pentagon, turned, capsys=capsys)[0]


# --- 5.3 -----------------------------------------------------------------------------------


def turning(matrix_of):
    """A rotate() that puts matrix_of(radians) in front of W."""

    def rotate(model, degrees):
        with torch.no_grad():
            model.W.copy_(matrix_of(math.radians(degrees)) @ model.W)
        return model

    return rotate


def R(t: float) -> torch.Tensor:
    return torch.tensor([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])


def turns_b_too(model, degrees):
    model = sol.rotate(model, degrees)
    with torch.no_grad():
        model.b.add_(0.1)
    return model


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (raises, "with degrees = 30 your function raised RuntimeError('not yet')"),
        (turning(lambda t: R(t).T), "turned by -30 degrees, not 30: the other way round"),
        (
            turning(lambda t: R(math.degrees(t))),
            "turned by -81.13 degrees, not 30: did cos and sin get degrees, not radians?",
        ),
        (turning(lambda t: 2 * R(t)), "column 1's length went from"),
        (turning(lambda t: torch.tensor([[1.0, 0.0], [0.0, -1.0]])), "did not all turn by the"),
        (lambda model, degrees: model.W @ R(degrees), "raised RuntimeError"),  # W @ R: (2,5)(2,2)
        (turns_b_too, "you changed b: b belongs to the features; leave it"),
        (lambda model, degrees: None, "your function returned a NoneType, not a ToyModel"),
        (turning(lambda t: torch.full((2, 2), float("nan"))), "your W holds nan or inf"),
        (turning(lambda t: R(0.5)), "turned by 28.65 degrees, not 30"),  # always 0.5 rad
    ],
)
def test_rotation_check_says_what_is_wrong(answer, message, capsys):
    passed, printed = verdict(ex.check_rotation, answer, capsys=capsys)
    assert not passed and message in printed


def test_a_rotation_in_place_passes(capsys):
    assert verdict(ex.check_rotation, turning(R), capsys=capsys)[0]


def test_a_model_that_cannot_run_is_reported(capsys):
    def double_W(model, degrees):
        model = sol.rotate(model, degrees)
        model.W = torch.nn.Parameter(model.W.detach().double())  # float inputs, double W
        return model

    passed, printed = verdict(ex.check_rotation, double_W, capsys=capsys)
    assert not passed and "with degrees = 30, your model cannot be run: RuntimeError" in printed


# --- 5.5 -----------------------------------------------------------------------------------


def p_of(s: float) -> float:
    return 1 - s


@pytest.mark.parametrize(
    ("keep_one", "pair", "message"),
    [
        # the bias of feature 2 left at 0: E[x^2], not the variance
        (lambda s: p_of(s) / 3, sol.pair_loss, "keep_one_loss(0) is 0.3333, but the model that"),
        # one output's miss only
        (sol.keep_one_loss, lambda s: p_of(s) ** 2 / 6, "pair_loss(0) is 0.1667, but the anti"),
        # sparsity taken for density
        (lambda s: sol.keep_one_loss(1 - s), sol.pair_loss, "keep_one_loss(0) is 0, but"),
        (sol.keep_one_loss, lambda s: (1 - s) / 3, "pair_loss(0.25) is 0.25, but the antipodal"),
        (raises, sol.pair_loss, "keep_one_loss(0) raised RuntimeError('not yet')"),
        (sol.keep_one_loss, lambda s: None, "pair_loss(0) returned a NoneType, not a number"),
        (sol.keep_one_loss, lambda s: True, "pair_loss(0) returned a bool, not a number"),
        (sol.keep_one_loss, lambda s: float("nan"), "pair_loss(0) is nan, but"),
    ],
)
def test_losses_check_says_what_is_wrong(keep_one, pair, message, capsys):
    passed, printed = verdict(ex.check_losses, keep_one, pair, capsys=capsys)
    assert not passed and message in printed


# --- 5.6 -----------------------------------------------------------------------------------


def shifted_bias(x):
    out = sol.mystery_formula(x)
    out[2] = max(x[2] + 0.6 * x[3] - 0.5, 0.0)  # -0.5, not -0.6
    return out


def no_relu_on_the_pair(x):
    out = sol.mystery_formula(x)
    out[0] = x[0] - x[1]
    return out


def fold_missed(x):
    """Right except on a sliver along output 4's fold, which only the fold points reach."""
    out = sol.mystery_formula(x)
    z = 0.6 * x[2] + x[3] - 0.6
    out[3] = 0.01 if abs(z) < 1e-6 else out[3]
    return out


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        (shifted_bias, "output 3 is off by 0.1 at x = (0, 0, 0, 1, 0)"),
        (no_relu_on_the_pair, "output 1 is off by 0.25 at x = (0, 0.25, 0, 0, 0)"),
        (lambda x: sol.mystery_formula(x)[:4], "your formula gave 4 numbers; the model gives 5"),
        (lambda x: 0.05, "your formula returned a float, not a list of 5 numbers"),
        (lambda x: [0.0] * 4 + [None], "at x = (0, 0, 0, 0, 0) output 5 is a NoneType"),
        (lambda x: [0.0] * 4 + [True], "output 5 is a bool"),
        (lambda x: [1 / x[0]] * 5, "at x = (0, 0, 0, 0, 0) your formula raised ZeroDivisionError"),
        (fold_missed, "output 4 is off by 0.01"),
        (lambda x: torch.tensor(sol.mystery_formula(x)), None),  # a tensor will do
    ],
)
def test_mystery_check_says_what_is_wrong(formula, message, capsys):
    passed, printed = verdict(ex.check_mystery, formula, capsys=capsys)
    assert passed if message is None else (not passed and message in printed)


def test_the_fold_points_lie_on_the_folds():
    x = ex.on_the_folds(ex.mystery, 100)
    G, b = ex.mystery.W.detach().T @ ex.mystery.W.detach(), ex.mystery.b.detach()
    z = x @ G + b  # every output's input to its ReLU (G is symmetric)
    assert len(x) > 200 and ((x >= 0) & (x <= 1)).all()
    assert ((z[:, :4].abs() < 1e-6).any(dim=1)).all()  # each point on some fold


def test_checks_never_raise_on_odd_input(capsys):
    odd = [None, 3, "x", [], object()]
    for answer in odd:
        assert ex.check_interference(answer) is False
        assert ex.check_pentagon(answer) is False
        assert ex.check_rotation(answer) is False
        assert ex.check_mystery(answer) is False
    for answer in odd[:2]:  # each measures the losses first: a fifth of a second
        assert ex.check_losses(answer, sol.pair_loss) is False
        assert ex.check_losses(sol.keep_one_loss, answer) is False
    assert capsys.readouterr().out.count("✗") == 4 * len(odd) + 4


# --- the solutions, and the numbers they state ------------------------------------------

# what the pages say, English and Chinese, each backed by a test below
STATED = [
    ("1 + 1/√5 ≈ 1.447", None),
    ("−1/√5 ≈ −0.447", None),
    ("0.2764", None),
    ("cos 72° ≈ 0.309", None),
    ("(1 − 0.95) × ½ = 0.025", None),
    ("3/7 ≈ 0.43", None),
    ("*p*/3 − *p*²/4", None),
    ("*p*²/3", None),
    ("0.0294", None),
    ("0.0300", None),
    ("0.1051", None),
    ("0.1067", None),
    ("0.0753", None),
    ("(1.01, 0.43)", None),
    ("(0.94, −0.43)", None),
    ("0.49", None),
    ("(1 − 0.9) × ½ = 0.05", None),
    ("0.0775", None),
    ("at 0.04", "是 0.04"),
    ("seed 9", "种子 9"),
]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_pages_state_these_numbers(lang):
    page = DOCS[lang] / "superposition.md"
    text = page.read_text("utf-8") if page.exists() else ""
    if "{ #exercise-5-1 }" not in text:
        pytest.skip("the chapter's page has no exercises yet")
    for en, zh in STATED:
        said = en if lang == "en" else zh or en
        assert said in text, (lang, said)


@pytest.fixture(scope="module")
def solutions_run() -> dict:
    """The solutions' runs (`python -m snippets.superposition_solutions`): what they print."""
    return run_solutions("superposition_solutions")


def test_what_the_solutions_runs_print(solutions_run):
    lines = solutions_run["lines"]
    start = next(i for i, line in enumerate(lines) if line.startswith("each feature at 0.5"))
    assert start == 8  # after the two 4-line matrices of 5.1
    assert lines[start : start + 8] == [
        "each feature at 0.5 comes back as tensor([0.2764, 0.2764, 0.2764, 0.2764, 0.2764])",
        "shape: one short",
        "lengths [1.0, 1.0, 1.0, 1.0, 0.0]",
        "angles [90, 90, 40, 50, 90]",
        "b [0.0, 0.0, 0.0, 0.0, 0.025]",
        "S = 0.2, seed 0: W = [0.94, -0.43], b = [0.2, 0.49], loss 0.1051 (keep one 0.1067, "
        "pair 0.2133)",
        "S = 0.7, seed 0: W = [1.01, -1.01], b = [0.02, 0.02], loss 0.0294 (keep one 0.0775, "
        "pair 0.0300)",
        "S = 0.7, seed 1: W = [1.01, 0.43], b = [-0.15, 0.05], loss 0.0753 (keep one 0.0775, "
        "pair 0.0300)",
    ]
    assert lines[-1] == "✓ your formula is the model's on [0, 1]^5"
    # 5.1: four_in_two's interference, and what each one-hot input gives back
    G = solutions_run["names"]["G"]
    assert torch.allclose(
        G,
        torch.tensor([[1, 0, -1, 0.8], [0, 1, 0, 0.6], [-1, 0, 1, -0.8], [0.8, 0.6, -0.8, 1]]),
        atol=1e-6,
    )
    clean = [bool((torch.relu(G[i]) * (torch.arange(4) != i)).abs().max() < 1e-6) for i in range(4)]
    assert clean == [False, False, True, False]  # only feature 3 comes back clean


def test_the_pentagon_numbers():
    # L^2 = 1 / (1 - cos 72) = 1 + 1/sqrt 5, b = -L^2 cos 72 = -1/sqrt 5
    assert 1 / (1 - C72) == pytest.approx(1 + 1 / math.sqrt(5))
    assert C72 / (1 - C72) == pytest.approx(1 / math.sqrt(5))
    assert f"{1 + 1 / math.sqrt(5):.3f}" == "1.447" and f"{1 / math.sqrt(5):.3f}" == "0.447"
    assert f"{C72:.3f}" == "0.309"
    model = sol.pentagon().double()
    with torch.no_grad():
        for t in [0.0, 0.2, C72, 0.5, 0.8, 1.0]:
            out = model(t * torch.eye(5, dtype=torch.float64))
            # the feature itself: L^2 (t - cos 72), cut at 0; the others: 0
            own = max((1 + 1 / math.sqrt(5)) * (t - C72), 0.0)
            want = torch.full((5,), own, dtype=torch.float64)
            assert torch.allclose(out.diagonal(), want, rtol=0, atol=1e-6)
            assert (out - torch.diag(out.diagonal())).abs().max() < 1e-6
        assert f"{(1 + 1 / math.sqrt(5)) * (0.5 - C72):.4f}" == "0.2764"


def test_the_weak_fifth(solutions_run):
    """5.4: four columns of length 1 at right angles, the fifth dropped, its bias its average."""
    assert f"{(1 - 0.95) / 2:.3f}" == "0.025"
    W = solutions_run["names"]["result"].model.W.detach()
    bias = solutions_run["names"]["result"].model.b.detach()
    assert (W.norm(dim=0)[:4] - 1).abs().max() < 0.02 and W.norm(dim=0)[4] < 0.01
    assert abs(bias[4] - 0.025) < 0.001 and bias[:4].abs().max() < 0.002


def test_the_two_losses_and_where_they_cross():
    # E[min(u, v)^2] = integral of t^2 * 2(1 - t) over [0, 1] = 2 (1/3 - 1/4) = 1/6
    assert 2 * (1 / 3 - 1 / 4) == pytest.approx(1 / 6)
    # p^2/3 = p/3 - p^2/4 at p = 4/7, sparsity 3/7
    assert sol.pair_loss(3 / 7) == pytest.approx(sol.keep_one_loss(3 / 7))
    assert sol.pair_loss(0.5) < sol.keep_one_loss(0.5) and sol.pair_loss(0.4) > sol.keep_one_loss(
        0.4
    )
    assert f"{3 / 7:.2f}" == "0.43"
    # "every model that stores one feature": keep-one is the best of W = (w, 0)
    x = torch.cat([make_batch(2, 0.3, 100_000, seed=s) for s in range(3)])
    for w, c in [(0.9, 0.35), (1.1, 0.35), (1.0, 0.3), (1.0, 0.4)]:
        out = torch.stack([torch.relu(w * w * x[:, 0]), torch.full_like(x[:, 0], c)], dim=1)
        assert ((out - x) ** 2).sum(dim=1).mean() > sol.keep_one_loss(0.3)


def test_the_signs_at_the_start_mostly_decide_the_pair(solutions_run):
    """5.5: at sparsity 0.7, 19 of seeds 0-19 end as a pair exactly when their two weights start
    with opposite signs; seed 9 starts next to 0 and crosses; seed 1 starts with both positive."""
    assert solutions_run["lines"][16:19] == [
        "start opposite: [0, 2, 4, 7, 8, 15, 16, 17, 18]",
        "end as a pair:  [0, 2, 4, 7, 8, 9, 15, 16, 17, 18]",
        "seed 9 starts at [0.04, 1.56]",
    ]
    torch.manual_seed(1)
    assert (ToyModel(2, 1).W > 0).all()


def test_the_mystery_model_is_the_stated_formula_and_its_blocks():
    W, b = ex.mystery.W.detach(), ex.mystery.b.detach()
    G = W.T @ W
    assert torch.allclose(
        G,
        torch.tensor(
            [
                [1, -1, 0, 0, 0],
                [-1, 1, 0, 0, 0],
                [0, 0, 1, 0.6, 0],
                [0, 0, 0.6, 1, 0],
                [0, 0, 0, 0, 0],
            ]
        ),
        atol=1e-6,
    )
    assert W[:, 4].abs().max() == 0 and f"{(1 - 0.9) / 2:.2f}" == "0.05"
    # -0.6 is the smallest bias that keeps output 4 silent for a lone x3 in [0, 1]
    assert 0.6 * 1.0 + b[3] <= 1e-7 and 0.6 * 1.0 + (b[3] + 0.01) > 0
    # the new inputs of step 5
    model = ToyModel(5, 3).double()
    model.load_state_dict({k: v.double() for k, v in ex.mystery.state_dict().items()})
    new = torch.tensor([[1.0, 1, 0, 0, 0], [0, 0, 1, 1, 0], [0, 0, 2, 0, 0]], dtype=torch.float64)
    with torch.no_grad():
        out = model(new)
    want = torch.tensor(
        [[0, 0, 0, 0, 0.05], [0, 0, 1, 1, 0.05], [0, 0, 1.4, 0.6, 0.05]], dtype=torch.float64
    )
    assert torch.allclose(out, want, atol=1e-6)
    said = torch.tensor([sol.mystery_formula(x) for x in new.tolist()], dtype=torch.float64)
    assert torch.allclose(said, want, rtol=0, atol=1e-12)
    # float64 on a finer grid than the check's: the formula is the model, exactly
    steps = torch.linspace(0, 1, 7, dtype=torch.float64)
    grid = torch.cartesian_prod(*[steps] * 5)
    with torch.no_grad():
        truth = model(grid)
    formula = torch.tensor([sol.mystery_formula(x) for x in grid.tolist()], dtype=torch.float64)
    assert torch.allclose(truth, formula, atol=1e-6)
