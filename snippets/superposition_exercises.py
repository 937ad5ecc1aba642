"""Chapter 5's exercises: the stubs a reader fills in, and the checks that
say what is wrong.

The chapter page includes each section; the worked solutions are in
snippets/superposition_solutions.py. A check never raises: whatever it is
given, it prints one verdict and returns True or False."""

import math

import torch

# defined on the page before the exercises
from snippets.superposition import (
    ToyModel,
    angles,
    make_batch,
    regular,
)


# --8<-- [start:check_interference]
def verdict(problem: str | None, success: str = "") -> bool:
    """Print what is wrong or that all is well, in lines that fit the
    page, and return True if all is well. Every check below ends with
    it."""
    import textwrap

    line = f"✗ {problem}" if problem else f"✓ {success}"
    print(textwrap.fill(line, width=75, subsequent_indent="  "))
    return problem is None


def listed(values) -> str:
    """Numbers as (1, 0.309, 0), to 3 decimals: short enough for a
    message."""
    return "(" + ", ".join(f"{round(v, 3) + 0.0:g}" for v in values) + ")"


def first_gap(got: torch.Tensor, want: torch.Tensor, tolerance: float):
    """The index of the first entry of got more than tolerance from want,
    or None (a NaN counts as off)."""
    off = ~((got - want).abs() <= tolerance)
    return None if not off.any() else off.nonzero()[0].tolist()


def check_interference(interference) -> bool:
    """Is interference(W) the dot product of every pair of columns of W,
    for W of several shapes?"""
    generator = torch.Generator().manual_seed(5)
    tests = [
        torch.tensor([[1.0, 0.0, -1.0], [0.0, 2.0, 0.5]]),
        torch.randn(2, 5, generator=generator),
        torch.randn(3, 7, generator=generator),
        torch.randn(1, 2, generator=generator),
    ]
    for W in tests:
        size = f"for W of shape {tuple(W.shape)}"
        n = W.shape[1]
        try:
            G = interference(W.clone())
        except Exception as error:
            return verdict(f"{size} your function raised {error!r}")
        if not isinstance(G, torch.Tensor):
            kind = type(G).__name__
            return verdict(
                f"your function returned a {kind}, not a tensor"
            )
        if G.shape != (n, n):
            return verdict(
                f"{size} your matrix has shape {tuple(G.shape)}; it needs "
                f"a row and a column per feature: ({n}, {n})"
            )
        want = W.T @ W
        gap = first_gap(G.detach().double(), want.double(), 1e-5)
        if gap is not None:
            i, j = gap
            if i == j:
                who, of = f"feature {i + 1}", f"column {i + 1} of W"
                who, of = f"{who} with itself", f"{of} with itself"
            else:
                who = f"features {i + 1} and {j + 1}"
                of = f"columns {i + 1} and {j + 1} of W"
            return verdict(
                f"{size} your entry for {who} is {G[i, j].item():.4g}; "
                f"the dot product of {of} is {want[i, j].item():.4g}"
            )
    return verdict(
        None, "every feature's dot product with every other, for 4 Ws"
    )


# --8<-- [end:check_interference]


# --8<-- [start:interference]
def interference(W: torch.Tensor) -> torch.Tensor:
    """The (n_features, n_features) matrix whose entry [i, j] is the dot
    product of feature i's column of W with feature j's."""
    n_features = W.shape[1]
    return torch.zeros(n_features, n_features)  # your code


# --8<-- [end:interference]

# --8<-- [start:four_in_two]
four_in_two = torch.tensor([[1.0, 0.0, -1.0, 0.8], [0.0, 1.0, 0.0, 0.6]])
# --8<-- [end:four_in_two]


# --8<-- [start:check_pentagon]
def check_pentagon(make_model) -> bool:
    """Is make_model() a ToyModel of 5 features in 2 dimensions whose
    columns form a regular pentagon, and does every one-hot input come
    back within 0.01?"""
    try:
        model = make_model()
    except Exception as error:
        return verdict(f"your function raised {error!r}")
    if not isinstance(model, ToyModel):
        kind = type(model).__name__
        return verdict(f"your function returned a {kind}, not a ToyModel")
    W, b = model.W.detach(), model.b.detach()
    if W.shape != (2, 5) or b.shape != (5,):
        return verdict(
            f"your W has shape {tuple(W.shape)} and b {tuple(b.shape)}; "
            "five features in two dimensions need (2, 5) and (5,)"
        )
    if not (torch.isfinite(W).all() and torch.isfinite(b).all()):
        return verdict("your W or b holds nan or inf")
    for i, length in enumerate(W.norm(dim=0).tolist()):
        if length == 0:
            return verdict(
                f"column {i + 1} of W is (0, 0): feature {i + 1} has no "
                "direction yet"
            )
    if not regular(W):
        gaps = listed(angles(W).tolist())
        lengths = W.norm(dim=0)
        if ((angles(W) - 72).abs() > 5).any():
            return verdict(
                f"going round, your columns are {gaps} degrees apart; a "
                "regular pentagon's are 72 apart"
            )
        return verdict(
            f"your columns' lengths run from {lengths.min():.3g} to "
            f"{lengths.max():.3g}; a regular pentagon's are all alike"
        )
    one_hot = torch.eye(5)
    try:
        with torch.no_grad():
            out = model(one_hot)
    except Exception as error:
        return verdict(f"your model cannot read one-hot inputs: {error!r}")
    for i in range(5):
        if first_gap(out[i], one_hot[i], 0.01) is not None:
            return verdict(
                f"one-hot feature {i + 1} comes back as "
                f"{listed(out[i].tolist())}, not "
                f"{listed(one_hot[i].tolist())}"
            )
    return verdict(
        None, "a regular pentagon; every one-hot input comes back"
    )


# --8<-- [end:check_pentagon]


# --8<-- [start:pentagon]
def pentagon() -> ToyModel:
    """Five features in two dimensions, 72 degrees apart, with a bias
    that gives every one-hot input back."""
    model = ToyModel(n_features=5, n_hidden=2)
    with torch.no_grad():
        # column i of W is feature i's arrow in the plane: your columns
        model.W.copy_(torch.zeros(2, 5))
        model.b.fill_(0.0)  # your bias
    return model


# --8<-- [end:pentagon]


# --8<-- [start:check_rotation]
def turn_of(before: torch.Tensor, after: torch.Tensor) -> torch.Tensor:
    """How far each column turned from before to after, in degrees
    between -180 and 180 (anticlockwise positive)."""
    cross = before[0] * after[1] - before[1] * after[0]
    dot = (before * after).sum(dim=0)
    return torch.rad2deg(torch.atan2(cross, dot))


def wrapped(degrees: float) -> float:
    """The same angle between -180 and 180."""
    return (degrees + 180) % 360 - 180


def rotation_problem(model: ToyModel, turned, degrees: float):
    """What is wrong with turned as model turned by degrees, or None."""
    if not isinstance(turned, ToyModel):
        kind = type(turned).__name__
        return f"your function returned a {kind}, not a ToyModel"
    W, new = model.W.detach(), turned.W.detach()
    if new.shape != W.shape:
        return f"your W has shape {tuple(new.shape)}, not {tuple(W.shape)}"
    if not torch.isfinite(new).all():
        return "your W holds nan or inf"
    if not torch.equal(turned.b.detach(), model.b.detach()):
        return "you changed b: b belongs to the features; leave it"
    before, after = W.norm(dim=0), new.norm(dim=0)
    gap = first_gap(after, before, 1e-4 * before.max().item())
    if gap is not None:
        i = gap[0]
        return (
            f"column {i + 1}'s length went from {before[i].item():.4g} "
            f"to {after[i].item():.4g}: a rotation keeps lengths"
        )
    turns = turn_of(W, new)
    spread = (turns - turns[0] + 180) % 360 - 180
    if spread.abs().max() > 0.01:
        return (
            "your columns did not all turn by the same angle: "
            f"{listed(turns.tolist())} degrees"
        )
    turn = turns[0].item()
    if abs(wrapped(turn - degrees)) <= 0.01:
        return None
    if abs(turn) <= 0.01:
        return f"W has not turned; turn it by {degrees:g} degrees"
    said = f"your columns turned by {turn:.4g} degrees, not {degrees:g}"
    if abs(wrapped(turn + degrees)) <= 0.01:
        return f"{said}: the other way round"
    if abs(wrapped(turn - math.degrees(degrees))) <= 0.01:
        return f"{said}: did cos and sin get degrees, not radians?"
    return said


def check_rotation(rotate) -> bool:
    """Does rotate(model, degrees) turn the hidden space of a ToyModel
    by degrees, for a few angles, and leave every output as it was?"""
    generator = torch.Generator().manual_seed(2)
    model = ToyModel(n_features=5, n_hidden=2)
    with torch.no_grad():
        model.W.copy_(torch.randn(2, 5, generator=generator))
        model.b.copy_(0.1 * torch.randn(5, generator=generator))
    x = make_batch(n_features=5, sparsity=0.7, batch_size=1000)
    largest = 0.0
    for degrees in [30.0, 90.0, -45.0, 200.0]:
        given = ToyModel(n_features=5, n_hidden=2)
        given.load_state_dict(model.state_dict())
        try:
            turned = rotate(given, degrees)
        except Exception as error:
            return verdict(
                f"with degrees = {degrees:g} your function raised "
                f"{error!r}"
            )
        try:
            problem = rotation_problem(model, turned, degrees)
            if problem is None:
                with torch.no_grad():
                    change = (turned(x) - model(x)).abs().max().item()
                largest = max(largest, change)
        except Exception as error:
            problem = f"your model cannot be run: {error!r}"
        if problem:
            return verdict(f"with degrees = {degrees:g}, {problem}")
    return verdict(
        None,
        "turned by 30, 90, -45 and 200 degrees; the outputs moved by at "
        f"most {largest:.1g}",
    )


# --8<-- [end:check_rotation]


# --8<-- [start:rotate]
def rotate(model: ToyModel, degrees: float) -> ToyModel:
    """A copy of the 2-dimensional model with its hidden space turned
    anticlockwise by degrees."""
    n_hidden, n_features = model.W.shape
    turned = ToyModel(n_features, n_hidden)
    turned.load_state_dict(model.state_dict())
    with torch.no_grad():
        pass  # your rotation of turned.W
    return turned


# --8<-- [end:rotate]


# --8<-- [start:check_losses]
def measured_losses(sparsity: float) -> dict[str, float]:
    """The loss of the two models of two features in one dimension,
    measured on half a million inputs of that sparsity."""
    x = torch.cat(
        [make_batch(2, sparsity, 100_000, seed=seed) for seed in range(5)]
    )
    keep, pair = ToyModel(2, 1), ToyModel(2, 1)
    with torch.no_grad():
        keep.W.copy_(torch.tensor([[1.0, 0.0]]))
        # feature 2's best constant: its average
        keep.b.copy_(torch.tensor([0.0, x[:, 1].mean().item()]))
        pair.W.copy_(torch.tensor([[1.0, -1.0]]))
        pair.b.zero_()
        return {
            name: ((model(x) - x) ** 2).sum(dim=1).mean().item()
            for name, model in [("keep_one", keep), ("pair", pair)]
        }


MODELS = {
    "keep_one": "the model that keeps feature 1 alone",
    "pair": "the antipodal pair",
}


def check_losses(keep_one_loss, pair_loss) -> bool:
    """Are the two formulas within 3 % of the losses measured, at
    sparsity 0, 0.25, 0.5 and 0.75?"""
    for sparsity in [0.0, 0.25, 0.5, 0.75]:
        measured = measured_losses(sparsity)
        formulas = {"keep_one": keep_one_loss, "pair": pair_loss}
        for name, formula in formulas.items():
            call = f"{name}_loss({sparsity:g})"
            try:
                got = formula(sparsity)
            except Exception as error:
                return verdict(f"{call} raised {error!r}")
            try:
                value = None if isinstance(got, bool) else float(got)
            except (TypeError, ValueError):
                value = None
            if value is None:
                kind = type(got).__name__
                return verdict(f"{call} returned a {kind}, not a number")
            want, model = measured[name], MODELS[name]
            if not abs(value - want) <= 0.03 * want:  # NaN is not <=
                return verdict(
                    f"{call} is {value:.4g}, but {model} loses "
                    f"{want:.4g} on 500,000 inputs"
                )
    return verdict(None, "both formulas within 3 % of the measured losses")


# --8<-- [end:check_losses]


# --8<-- [start:losses]
def keep_one_loss(sparsity: float) -> float:
    """The loss of W = [[1, 0]], b = (0, feature 2's best constant)."""
    return 0.0  # your formula


def pair_loss(sparsity: float) -> float:
    """The loss of W = [[1, -1]], b = (0, 0): the antipodal pair."""
    return 0.0  # your formula


# --8<-- [end:losses]

# --8<-- [start:mystery]
mystery = ToyModel(n_features=5, n_hidden=3)
with torch.no_grad():
    mystery.W.copy_(
        torch.tensor(
            [
                [1.0, -1.0, 0.0, 0.0, 0.0],
                [0.0, 0.0, 1.0, 0.6, 0.0],
                [0.0, 0.0, 0.0, 0.8, 0.0],
            ]
        )
    )
    mystery.b.copy_(torch.tensor([0.0, 0.0, -0.6, -0.6, 0.05]))
# --8<-- [end:mystery]


# --8<-- [start:check_mystery]
def on_the_folds(model: ToyModel, count: int) -> torch.Tensor:
    """Inputs in [0, 1]^n on which some output's ReLU is at its fold:
    row i of W^T W times x, plus b_i, is 0."""
    generator = torch.Generator().manual_seed(0)
    G, b = model.W.detach().T @ model.W.detach(), model.b.detach()
    n = G.shape[0]
    found = []
    for i in range(n):
        for j in range(n):
            if G[i, j] != 0:  # solve for x_j, the others at random
                x = torch.rand(count, n, generator=generator)
                x[:, j] = 0.0
                x[:, j] = -(x @ G[i] + b[i]) / G[i, j]
                found.append(x)
    x = torch.cat(found) if found else torch.zeros(0, n)
    return x[((x >= 0) & (x <= 1)).all(dim=1)]


def check_mystery(formula, model=mystery) -> bool:
    """Does formula(x) give the model's outputs for every x in [0, 1]^n:
    on a grid of step 0.25, at random points, and on every fold?"""
    n = model.W.shape[1]
    steps = torch.linspace(0, 1, 5)
    generator = torch.Generator().manual_seed(1)
    inputs = torch.cat(
        [
            torch.cartesian_prod(*[steps] * n).reshape(-1, n),
            torch.rand(500, n, generator=generator),
            on_the_folds(model, 100),
        ]
    )
    with torch.no_grad():
        truth = model(inputs).tolist()
    for x, want in zip(inputs.tolist(), truth, strict=True):
        where = f"at x = {listed(x)}"
        try:
            got = formula(x)
        except Exception as error:
            return verdict(f"{where} your formula raised {error!r}")
        if not isinstance(got, (list, tuple, torch.Tensor)):
            kind = type(got).__name__
            return verdict(
                f"{where} your formula returned a {kind}, not a list of "
                f"{n} numbers"
            )
        if len(got) != n:
            return verdict(
                f"{where} your formula gave {len(got)} numbers; the model "
                f"gives {n}, one per feature"
            )
        for k, (value, target) in enumerate(zip(got, want, strict=True)):
            try:
                number = None if isinstance(value, bool) else float(value)
            except (TypeError, ValueError):
                number = None
            if number is None:
                kind = type(value).__name__
                return verdict(f"{where} output {k + 1} is a {kind}")
            if not abs(number - target) <= 1e-4:  # NaN is not <= anything
                return verdict(
                    f"output {k + 1} is off by {abs(number - target):.3g} "
                    f"{where}: the model gives {target:.4g}, your formula "
                    f"{number:.4g}"
                )
    return verdict(None, f"your formula is the model's on [0, 1]^{n}")


# --8<-- [end:check_mystery]


# --8<-- [start:mystery_formula]
def mystery_formula(x: list[float]) -> list[float]:
    """What the mystery model gives back for the features x = [x1, ...,
    x5], each between 0 and 1."""
    return [0.0, 0.0, 0.0, 0.0, 0.0]  # your formula


# --8<-- [end:mystery_formula]

if __name__ == "__main__":
    # --8<-- [start:try_interference]
    check_interference(interference)
    # --8<-- [end:try_interference]

    # --8<-- [start:try_pentagon]
    check_pentagon(pentagon)
    # --8<-- [end:try_pentagon]

    # --8<-- [start:try_rotation]
    check_rotation(rotate)
    # --8<-- [end:try_rotation]

    # --8<-- [start:try_losses]
    check_losses(keep_one_loss, pair_loss)
    # --8<-- [end:try_losses]

    # --8<-- [start:try_mystery]
    check_mystery(mystery_formula)
    # --8<-- [end:try_mystery]
