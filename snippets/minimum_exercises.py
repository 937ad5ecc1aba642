"""Chapter 2's exercises: the stubs a reader fills in, and the checks that
say what is wrong.

The chapter page includes each section; the worked solutions are in
snippets/minimum_solutions.py. A check never raises: whatever it is given,
it prints one line, a verdict, and returns True or False."""

import torch

# defined on the page before the exercises
from snippets.minimum import (
    MinModel,
    ReLULayer,
    integer_grid,
    set_weights,
    wire,
)


# --8<-- [start:check_max_one_relu]
def verdict(problem: str | None, success: str = "") -> bool:
    """Print one line, what is wrong or that all is well, and return True
    if all is well. Every check below ends with it."""
    print(f"✗ {problem}" if problem else f"✓ {success}")
    return problem is None


# off the square
FAR = torch.tensor([[-3000.0, 1000.0], [4000.0, -2000.0], [-60.0, 70.0]])


def maximum(pairs: torch.Tensor) -> torch.Tensor:
    return pairs.max(dim=1).values


def minimum(pairs: torch.Tensor) -> torch.Tensor:
    return pairs.min(dim=1).values


def worst_pair(network, target, pairs) -> str | None:
    """What is wrong with network on the pairs (a, b), compared with
    target(pairs), or None."""
    try:
        with torch.no_grad():
            out = network(pairs)
        gaps = (out[:, 0] - target(pairs)).abs()
    except Exception as error:
        return f"your network cannot read (a, b): {error!r}"
    if not gaps.max() <= 1e-4:  # NaN is not <= anything
        i = int(gaps.nan_to_num(float("inf")).argmax())
        a, b = pairs[i].tolist()
        want, got = target(pairs[i : i + 1]).item(), out[i, 0].item()
        where = f"at (a, b) = ({a:g}, {b:g})"
        return (
            f"off by {gaps[i]:.3g} {where}: you give {got:.3g}, the "
            f"{target.__name__} is {want:g}"
        )
    return None


def check_max_one_relu(make_network) -> bool:
    """Is make_network() a ReLULayer with one neuron that computes
    max(a, b) everywhere?"""
    try:
        network = make_network()
    except Exception as error:
        return verdict(f"your function raised {error!r}")
    if not isinstance(network, ReLULayer):
        return verdict(
            f"your function returned a {type(network).__name__}, not a "
            "ReLULayer"
        )
    neurons = network.hidden.out_features
    if neurons != 1:
        return verdict(
            f"your network has {neurons} ReLU neurons; 1 is enough"
        )
    grid = integer_grid()
    problem = worst_pair(network, maximum, grid) or worst_pair(
        network, maximum, FAR
    )
    return verdict(
        problem, "max(a, b) with one ReLU, on the square and far from it"
    )


# --8<-- [end:check_max_one_relu]


# --8<-- [start:max_one_relu]
def max_one_relu() -> ReLULayer:
    """max(a, b) with one ReLU neuron and a skip connection."""
    # your weights
    return wire([[0.0, 0.0, 0.0]], [0.0, 0.0, 0.0, 0.0], skip=True)


# --8<-- [end:max_one_relu]


# --8<-- [start:check_max_family]
def check_max_family(make_network) -> bool:
    """Is make_network(lam) a MinModel that computes max(a, b) and reads a
    with weight lam, for lam = 0, 1/2, 1, -1 and 2.5?"""
    grid = integer_grid()
    for lam in [0.0, 0.5, 1.0, -1.0, 2.5]:
        try:
            network = make_network(lam)
        except Exception as error:
            return verdict(
                f"with lam = {lam:g} your function raised {error!r}"
            )
        if not isinstance(network, MinModel):
            return verdict(
                f"your function returned a {type(network).__name__}, not "
                "a MinModel"
            )
        problem = worst_pair(network, maximum, grid) or worst_pair(
            network, maximum, FAR
        )
        if problem:
            return verdict(f"λ = {lam:g}: {problem}")
        on_a = network.output.weight[0, 0].item()
        if abs(on_a - lam) > 1e-6:
            return verdict(
                f"with lam = {lam:g} the output reads a with weight "
                f"{on_a:g}"
            )
    return verdict(None, "every member computes max(a, b)")


# --8<-- [end:check_max_family]


# --8<-- [start:max_family]
def max_family(lam: float) -> MinModel:
    """The member lam of the family of exact networks for max(a, b)."""
    return set_weights(
        MinModel(),
        branch1=[0.0, 0.0, 0.0],  # [w_a, w_b, bias]
        branch2=[0.0, 0.0, 0.0],
        output=[0.0, 0.0, 0.0, 0.0, 0.0],  # [v_a, v_b, v_1, v_2, bias]
    )


# --8<-- [end:max_family]


# --8<-- [start:check_repair]
def check_repair(repair, model: MinModel) -> bool:
    """Does repair(model) ablate branch 1, change nothing but branch 2, and
    stay within 0.15 of min(a, b) on the grid? (For seed 0; a copy of model
    is passed, never model.)"""
    if not isinstance(model, MinModel):
        return verdict(
            "pass seed 0's network, result.model, as the second argument"
        )
    copy = MinModel()
    copy.load_state_dict(model.state_dict())
    try:
        fixed = repair(copy)
    except Exception as error:
        return verdict(f"your function raised {error!r}")
    if not isinstance(fixed, MinModel):
        return verdict(
            f"your function returned a {type(fixed).__name__}, not a "
            "MinModel"
        )
    before, after = model.state_dict(), fixed.state_dict()
    weight = after["output.weight"][0, 2].item()
    if weight != 0:
        return verdict(
            f"branch 1 still counts: its output weight is {weight:g}, not "
            "0"
        )
    for name in [
        "output.weight",
        "output.bias",
        "branch1.weight",
        "branch1.bias",
    ]:
        keep = [0, 1] if name == "output.weight" else slice(None)
        if not torch.equal(
            before[name][..., keep], after[name][..., keep]
        ):
            return verdict(f"you changed {name}: only branch 2 may change")
    grid = integer_grid()
    problem = worst_pair(fixed, minimum, grid)
    if problem is None:
        return verdict(None, "exact on the grid")
    with torch.no_grad():
        error = (fixed(grid)[:, 0] - minimum(grid)).abs().max().item()
    if error <= 0.15:
        return verdict(
            None,
            f"branch 2 alone is within {error:.3f} of min(a, b) on the "
            "grid",
        )
    return verdict(problem)


# --8<-- [end:check_repair]


# --8<-- [start:repair]
def repair(model: MinModel) -> MinModel:
    """Ablate branch 1, and rescale branch 2 so that it does branch 1's
    work too."""
    with torch.no_grad():
        model.output.weight[0, 2] = 0.0  # branch 1 ablated
        # rescale branch 2 here
    return model


# --8<-- [end:repair]

# --8<-- [start:candidates]
candidates = {
    "A": set_weights(
        MinModel(),
        [1.0, -1.0, 0.0],
        [1.0, 0.0, 60.0],
        [0.0, 0.0, -1.0, 1.0, -60.0],
    ),
    "B": set_weights(
        MinModel(),
        [1.0, -1.0, -1.0],
        [0.0, 0.0, -1.0],
        [1.0, 0.0, -1.0, 0.5, 0.0],
    ),
    "C": set_weights(
        MinModel(),
        [1.0, -1.0, 0.0],
        [-1.0, 1.0, 0.0],
        [2.0, -1.0, -2.0, 1.0, 0.0],
    ),
}
# --8<-- [end:candidates]

# --8<-- [start:mystery]
mystery = set_weights(
    MinModel(),
    branch1=[2.0, -2.0, -20.0],
    branch2=[0.0, 0.5, 30.0],
    output=[1.0, -1.0, -0.5, 2.0, -60.0],
)
# --8<-- [end:mystery]


# --8<-- [start:check_mystery]
def check_mystery(formula, network=mystery, low=-50.0, high=50.0) -> bool:
    """Does formula(a, b) give what the network gives on the square
    [low, high]^2: at every integer pair, at every pair of halves in
    between, and along every fold line?"""
    steps, halves = (
        torch.linspace(low, high, 201),
        torch.arange(low + 0.5, high),
    )
    pairs = [integer_grid(), torch.cartesian_prod(halves, halves)]
    for branch in [
        network.branch1,
        network.branch2,
    ]:  # points on its fold line
        (w_a, w_b), beta = branch.weight[0].tolist(), branch.bias.item()
        if w_b != 0:
            pairs.append(
                torch.stack([steps, -(w_a * steps + beta) / w_b], dim=1)
            )
        if w_a != 0:
            pairs.append(
                torch.stack([-(w_b * steps + beta) / w_a, steps], dim=1)
            )
    pairs = torch.cat(pairs)
    pairs = pairs[((pairs >= low) & (pairs <= high)).all(dim=1)]
    with torch.no_grad():
        truth = network(pairs)[:, 0].tolist()
    for (a, b), want in zip(pairs.tolist(), truth, strict=True):
        try:
            got = formula(a, b)
        except Exception as error:
            return verdict(
                f"at (a, b) = ({a:g}, {b:g}) your formula raised {error!r}"
            )
        try:
            value = float(got)
        except (TypeError, ValueError):
            value = None
        if value is None or isinstance(got, bool):
            return verdict(
                f"at (a, b) = ({a:g}, {b:g}) your formula returned "
                f"{type(got).__name__}"
            )
        if not abs(value - want) <= 1e-4:  # NaN is not <= anything
            return verdict(
                f"off by {abs(value - want):g} at (a, b) = ({a:g}, "
                f"{b:g}): "
                f"the network gives {want:g}, your formula {value:g}"
            )
    return verdict(
        None, f"your formula is the network's on [{low:g}, {high:g}]²"
    )


# --8<-- [end:check_mystery]


# --8<-- [start:mystery_formula]
def mystery_formula(a: float, b: float) -> float:
    """What the mystery network computes, for -50 <= a, b <= 50."""
    return 0.0  # your formula


# --8<-- [end:mystery_formula]

if __name__ == "__main__":
    # --8<-- [start:try_max_one_relu]
    check_max_one_relu(max_one_relu)
    # --8<-- [end:try_max_one_relu]

    # --8<-- [start:try_max_family]
    check_max_family(max_family)
    # --8<-- [end:try_max_family]

    from snippets.minimum import train

    # the page trains it in "What gradient descent finds"
    result = train(seed=0)
    # --8<-- [start:try_repair]
    check_repair(repair, result.model)
    # --8<-- [end:try_repair]

    # --8<-- [start:try_mystery]
    check_mystery(mystery_formula)
    # --8<-- [end:try_mystery]
