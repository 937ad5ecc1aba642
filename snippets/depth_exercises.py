"""Chapter 6's exercises: the stubs a reader fills in, and the checks that
say what is wrong.

The chapter page includes each section; the worked solutions are in
snippets/depth_solutions.py. A check never raises: whatever it is given,
it prints one verdict and returns True or False."""

import torch
from torch import nn


# --8<-- [start:check_tent]
def verdict(problem: str | None, success: str = "") -> bool:
    """Print what is wrong or that all is well, in lines that fit the
    page, and return True if all is well. Every check below ends with
    it."""
    import textwrap

    line = f"✗ {problem}" if problem else f"✓ {success}"
    print(textwrap.fill(line, width=75, subsequent_indent="  "))
    return problem is None


def close(got: float, want: float) -> bool:
    """Within float32 rounding of want (NaN is never close)."""
    return abs(got - want) <= 1e-4 * max(1.0, abs(want))


def one_layer_problem(network, width: int) -> str | None:
    """What keeps network from being x -> width ReLUs -> one number."""
    layers = list(network) if isinstance(network, nn.Sequential) else []
    kinds = [type(layer) for layer in layers]
    if kinds != [nn.Linear, nn.ReLU, nn.Linear] or (
        layers[0].in_features != 1 or layers[2].out_features != 1
    ):
        return (
            "return one hidden layer, nn.Sequential(nn.Linear(1, "
            f"{width}), nn.ReLU(), nn.Linear({width}, 1)), as the stub "
            "does"
        )
    if layers[0].out_features != width:
        count = layers[0].out_features
        return f"your hidden layer has {count} ReLUs; use {width}"
    if layers[2].in_features != width:
        count = layers[2].in_features
        return (
            f"your read-out reads {count} numbers, not the {width} ReLUs"
        )
    if layers[0].bias is None or layers[2].bias is None:
        return "keep the biases (nn.Linear's default), as the stub does"
    if not all(torch.isfinite(p).all() for p in network.parameters()):
        return "your weights hold nan or inf"
    return None


def reader(network):
    """network as a function from a list of x to a list of outputs."""

    def f(xs: list[float]) -> list[float]:
        dtype = network[0].weight.dtype
        x = torch.tensor(xs, dtype=dtype).reshape(-1, 1)
        with torch.no_grad():
            return network(x).flatten().tolist()

    return f


def bends_of(network: nn.Sequential) -> list[tuple[float, float]]:
    """Where the ReLUs of a one-layer network bend inside (0, 1), and by
    how much the slope turns there: ReLU(w x + b) bends at x = -b / w,
    and with read-out weight v it turns the slope by v |w|."""
    w = network[0].weight.detach().double().flatten().tolist()
    b = network[0].bias.detach().double().tolist()
    v = network[2].weight.detach().double().flatten().tolist()
    turns = {}
    for w_i, b_i, v_i in zip(w, b, v, strict=True):
        if w_i != 0 and 1e-6 < -b_i / w_i < 1 - 1e-6:
            where = round(-b_i / w_i, 6)
            turns[where] = turns.get(where, 0.0) + v_i * abs(w_i)
    return sorted((x, t) for x, t in turns.items() if abs(t) > 1e-6)


def slope_on(f, a: float, b: float) -> float:
    """The slope of f between a quarter and three quarters of [a, b]."""
    left, right = a + (b - a) / 4, a + 3 * (b - a) / 4
    y_left, y_right = f([left, right])
    return (y_right - y_left) / (right - left)


def grid_problem(f, target, name: str) -> str | None:
    """The first x of a grid of step 1/256 where f misses target."""
    xs = [i / 256 for i in range(257)]
    for x, got in zip(xs, f(xs), strict=True):
        if not close(got, target(x)):
            return (
                f"at x = {x:g} your network gives {got:.4g}, {name} "
                f"{target(x):.4g}"
            )
    return None


def tent_problem(network: nn.Sequential, peak: float, height: float):
    """What is wrong with network as the tent up to height at peak."""
    f = reader(network)
    try:
        (start,) = f([0.0])
    except Exception as error:
        return f"your network cannot read x: {error!r}"
    if not close(start, 0.0):
        return f"at x = 0 your tent is {start:.4g}, not 0"
    for x, _ in bends_of(network):
        if abs(x - peak) > 1e-6:
            return (
                f"your network bends at x = {x:.4g}; a tent bends only "
                f"at its peak, x = {peak:g}"
            )
    up, down = height / peak, -height / (1 - peak)
    rise, fall = slope_on(f, 0.0, peak), slope_on(f, peak, 1.0)
    if not close(rise, up):
        return (
            f"your tent's slope on [0, {peak:g}] is {rise:.4g}; to reach "
            f"{height:g} at x = {peak:g} it needs {up:.4g}"
        )
    if not close(fall, down):
        return (
            f"after the peak your tent's slope is {fall:.4g}; to fall "
            f"from {height:g} to 0 at x = 1 it needs {down:.4g}"
        )

    def tent(x: float) -> float:
        return min(up * x, down * (x - 1))

    return grid_problem(f, tent, "the tent")


TENTS = [(0.5, 1.0), (0.25, 1.0), (0.7, 0.6), (0.5, 0.75), (0.9, 2.0)]


def check_tent(tent_at) -> bool:
    """Is tent_at(peak, height) one hidden layer of two ReLUs that rises
    in a straight line from 0 at x = 0 to height at x = peak, then falls
    in a straight line to 0 at x = 1? Five peaks and heights."""
    if isinstance(tent_at, nn.Module):
        return verdict("pass the function, tent_at, not a network it made")
    for peak, height in TENTS:
        where = f"for peak = {peak:g}, height = {height:g}:"
        try:
            network = tent_at(peak, height)
        except Exception as error:
            return verdict(f"{where} your function raised {error!r}")
        problem = one_layer_problem(network, 2) or tent_problem(
            network, peak, height
        )
        if problem:
            return verdict(f"{where} {problem}")
    return verdict(None, "all five tents, each with two ReLUs")


# --8<-- [end:check_tent]


# --8<-- [start:tent_at]
def tent_at(peak: float, height: float) -> nn.Sequential:
    """The tent that rises from 0 at x = 0 to height at x = peak and
    falls back to 0 at x = 1 (0 < peak < 1), with two ReLUs."""
    model = nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1))
    with torch.no_grad():
        # your weights: they may use peak and height
        model[0].weight.copy_(torch.tensor([[0.0], [0.0]]))
        model[0].bias.copy_(torch.tensor([0.0, 0.0]))
        model[2].weight.copy_(torch.tensor([[0.0, 0.0]]))
        model[2].bias.zero_()
    return model


# --8<-- [end:tent_at]


# --8<-- [start:check_wide]
def sawtooth_problem(network: nn.Sequential) -> str | None:
    """What is wrong with network as the sawtooth with 2 folds: 0 at
    x = 0, slopes 4, -4, 4, -4 on the quarters of [0, 1]."""
    f = reader(network)
    try:
        (start,) = f([0.0])
    except Exception as error:
        return f"your network cannot read x: {error!r}"
    if not close(start, 0.0):
        return (
            f"at x = 0 your network gives {start:.4g}; the sawtooth is 0"
        )
    kinks, want = [0.25, 0.5, 0.75], [4.0, -4.0, 4.0, -4.0]
    for x, _ in bends_of(network):
        if min(abs(x - kink) for kink in kinks) > 1e-6:
            return (
                f"your network bends at x = {x:.4g}, where the sawtooth "
                "is straight; it bends only at 0.25, 0.5 and 0.75"
            )
    got = [slope_on(f, i / 4, (i + 1) / 4) for i in range(4)]
    if not close(got[0], want[0]):
        return (
            f"on [0, 0.25] your network's slope is {got[0]:.4g}; the "
            "sawtooth rises from 0 to 1 there, with slope 4"
        )
    for i in range(1, 4):
        if close(got[i], want[i]):
            continue
        x, turn = i / 4, want[i] - want[i - 1]
        theirs = (
            f"the sawtooth's turns from {want[i - 1]:g} to {want[i]:g}, "
            f"a bend of {turn:g}"
        )
        if close(got[i], got[i - 1]):
            return f"your network does not bend at x = {x:g}; {theirs}"
        return (
            f"at x = {x:g} your network's slope turns from "
            f"{got[i - 1]:.4g} to {got[i]:.4g}, a bend of "
            f"{got[i] - got[i - 1]:.4g}; {theirs}"
        )

    def folded_twice(x: float) -> float:
        y = 1 - abs(1 - 2 * x)  # the tent map
        return 1 - abs(1 - 2 * y)  # and again

    return grid_problem(f, folded_twice, "the sawtooth")


def check_wide_sawtooth(make_network) -> bool:
    """Is make_network() one hidden layer of 4 ReLUs that computes the
    sawtooth with 2 folds on [0, 1]?"""
    if isinstance(make_network, nn.Module):
        return verdict("pass the function, wide_sawtooth, not its network")
    try:
        network = make_network()
    except Exception as error:
        return verdict(f"your function raised {error!r}")
    problem = one_layer_problem(network, 4) or sawtooth_problem(network)
    return verdict(
        problem,
        "the sawtooth with 2 folds, with one hidden layer of 4 ReLUs",
    )


# --8<-- [end:check_wide]


# --8<-- [start:wide_sawtooth]
def wide_sawtooth() -> nn.Sequential:
    """The sawtooth with 2 folds, sawtooth(2) on [0, 1], with one hidden
    layer of 4 ReLUs, strictly layered: every weight written out."""
    model = nn.Sequential(nn.Linear(1, 4), nn.ReLU(), nn.Linear(4, 1))
    with torch.no_grad():
        # your weights
        model[0].weight.copy_(torch.tensor([[0.0], [0.0], [0.0], [0.0]]))
        model[0].bias.copy_(torch.tensor([0.0, 0.0, 0.0, 0.0]))
        model[2].weight.copy_(torch.tensor([[0.0, 0.0, 0.0, 0.0]]))
        model[2].bias.zero_()
    return model


# --8<-- [end:wide_sawtooth]

# --8<-- [start:mystery]
mystery = nn.Sequential(
    nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1)
)
with torch.no_grad():
    mystery[0].weight.copy_(torch.tensor([[1.0], [4.0]]))
    mystery[0].bias.copy_(torch.tensor([0.0, -1.0]))
    mystery[2].weight.copy_(torch.tensor([[3.0, -1.0], [12.0, -4.0]]))
    mystery[2].bias.copy_(torch.tensor([0.0, -1.0]))
    mystery[4].weight.copy_(torch.tensor([[3.0, -1.0]]))
    mystery[4].bias.zero_()
# --8<-- [end:mystery]


# --8<-- [start:check_mystery]
def relu_inputs(network: nn.Sequential, x: torch.Tensor) -> torch.Tensor:
    """What each ReLU of a strictly layered network gets at each x: one
    column per ReLU."""
    h, inputs = x.reshape(-1, 1), []
    with torch.no_grad():
        for layer in network:
            if isinstance(layer, nn.ReLU):
                inputs.append(h)
            h = layer(h)
    return torch.cat(inputs, dim=1)


def kinks_of(network: nn.Sequential, low: float, high: float):
    """Where a ReLU of network bends in [low, high]: where its input
    changes sign between two points of a fine grid, narrowed down by
    halving the gap."""
    xs = torch.linspace(low, high, 3001)
    below = relu_inputs(network, xs) < 0
    found = []
    for j, i in torch.nonzero(below[:-1] != below[1:]).tolist():
        a, b = xs[j].item(), xs[j + 1].item()
        for _ in range(30):
            mid = (a + b) / 2
            ends = relu_inputs(network, torch.tensor([a, mid]))[:, i] < 0
            a, b = (mid, b) if ends[0] == ends[1] else (a, mid)
        found.append((a + b) / 2)
    return found


def check_mystery(formula, network=mystery, low=0.0, high=1.0) -> bool:
    """Does formula(x) give what the network gives, for low <= x <= high:
    at every kink of a ReLU and on a grid of step 0.001?"""
    points = [low + (high - low) * i / 1000 for i in range(1001)]
    points = sorted(points + kinks_of(network, low, high))
    with torch.no_grad():
        truth = network(torch.tensor(points).reshape(-1, 1)).flatten()
    for x, want in zip(points, truth.tolist(), strict=True):
        try:
            got = formula(x)
        except Exception as error:
            return verdict(f"at x = {x:.4g} your formula raised {error!r}")
        try:
            value = None if isinstance(got, bool) else float(got)
        except (TypeError, ValueError):
            value = None
        if value is None:
            kind = type(got).__name__
            return verdict(
                f"at x = {x:.4g} your formula returned a {kind}"
            )
        if not abs(value - want) <= 1e-4:  # NaN is not <= anything
            return verdict(
                f"off by {abs(value - want):.3g} at x = {x:.4g}: the "
                f"network gives {want:.4g}, your formula {value:.4g}"
            )
    return verdict(
        None, f"your formula is the network's on [{low:g}, {high:g}]"
    )


# --8<-- [end:check_mystery]


# --8<-- [start:mystery_formula]
def mystery_formula(x: float) -> float:
    """What the mystery network computes, for 0 <= x <= 1."""
    return 0.0  # your formula


# --8<-- [end:mystery_formula]

if __name__ == "__main__":
    # --8<-- [start:try_tent]
    check_tent(tent_at)
    # --8<-- [end:try_tent]

    # --8<-- [start:try_wide]
    check_wide_sawtooth(wide_sawtooth)
    # --8<-- [end:try_wide]

    # --8<-- [start:try_mystery]
    check_mystery(mystery_formula)
    # --8<-- [end:try_mystery]
