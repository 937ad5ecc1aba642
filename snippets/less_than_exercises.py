"""Chapter 1's exercises: the stubs a reader fills in, and the checks that
say what is wrong.

The chapter page includes each section; the worked solutions are in
snippets/less_than_solutions.py. A check never raises: whatever it is
given, it prints one line, a verdict, and returns True or False."""

import math

import torch
from torch import nn

# defined on the page before the exercises
from snippets.less_than import (
    hardwired,
)


# --8<-- [start:check_threshold_at_3]
def verdict(problem: str | None, success: str = "") -> bool:
    """Print one line, what is wrong or that all is well, and return True
    if all is well. Every check below ends with it."""
    print(f"✗ {problem}" if problem else f"✓ {success}")
    return problem is None


def check_threshold_at_3(make_neuron) -> bool:
    """Is make_neuron() one sigmoid neuron, threshold 3, output at least
    0.99 at x = 2?"""
    try:
        neuron = make_neuron()
    except Exception as error:
        return verdict(f"your function raised {error!r}")
    if not isinstance(neuron, nn.Module):
        return verdict(
            f"your function returned a {type(neuron).__name__}, not a "
            "network"
        )
    size = sum(p.numel() for p in neuron.parameters())
    if size != 2:
        return verdict(
            f"your network has {size} weights and biases; one neuron has 2"
        )
    try:
        with torch.no_grad():
            out = {
                x: float(neuron(torch.tensor([[x]])))
                for x in (2.0, 3.0, 4.0)
            }
    except Exception as error:
        return verdict(f"your network cannot read x: {error!r}")
    problem = None
    if not all(math.isfinite(p) for p in out.values()):
        problem = (
            f"your neuron outputs {out[2.0]}, {out[3.0]}, {out[4.0]} at x "
            "= 2, 3, 4"
        )
    elif abs(out[3.0] - 0.5) > 1e-4:
        problem = (
            f"the output at x = 3 is {out[3.0]:.4f}, not 0.5: the "
            "threshold is not at 3"
        )
    elif out[4.0] > 0.5:
        problem = (
            f"the output at x = 4 is {out[4.0]:.4f}: it should say 0 to "
            "the right of 3"
        )
    elif out[2.0] < 0.99:
        problem = f"the output at x = 2 is {out[2.0]:.4f}, below 0.99"
    return verdict(
        problem, f"threshold at 3, output {out[2.0]:.4f} at x = 2"
    )


# --8<-- [end:check_threshold_at_3]


# --8<-- [start:threshold_at_3]
def threshold_at_3() -> nn.Sequential:
    """One sigmoid neuron: threshold at x = 3, output at least 0.99 at x =
    2."""
    return hardwired(scale=1.0, threshold=10.0)  # change the two numbers


# --8<-- [end:threshold_at_3]


# --8<-- [start:check_interval]
def check_interval(make_network) -> bool:
    """Two sigmoid neurons and a linear read-out: above 0.9 at x = 4, 5, 6
    and below 0.1 at every other integer from -20 to 39?"""
    try:
        network = make_network()
    except Exception as error:
        return verdict(f"your function raised {error!r}")
    layers = list(network) if isinstance(network, nn.Sequential) else []
    kinds = [type(layer) for layer in layers]
    if kinds != [nn.Linear, nn.Sigmoid, nn.Linear]:
        return verdict(
            "return nn.Sequential(Linear, Sigmoid, Linear), as the stub "
            "does"
        )
    if layers[0].out_features != 2:
        return verdict(
            f"your network has {layers[0].out_features} sigmoid neurons; "
            "use 2"
        )
    x = torch.arange(-20.0, 40.0).reshape(-1, 1)
    try:
        with torch.no_grad():
            out = network(x).flatten().tolist()
    except Exception as error:
        return verdict(f"your network cannot read x: {error!r}")
    for v, p in zip(range(-20, 40), out, strict=True):
        inside = 3 < v < 7
        if not (p > 0.9 if inside else p < 0.1):  # NaN fails both
            bound, where = (
                ("above 0.9", "inside")
                if inside
                else ("below 0.1", "outside")
            )
            return verdict(
                f"at x = {v} the output is {p:.4f}; {where} the interval, "
                f"{bound}"
            )
    return verdict(
        None, "above 0.9 exactly at x = 4, 5, 6, below 0.1 elsewhere"
    )


# --8<-- [end:check_interval]


# --8<-- [start:interval_3_to_7]
def interval_3_to_7() -> nn.Sequential:
    """Two sigmoid neurons and a linear read-out: 1 for 3 < x < 7, else 0
    (on integers)."""
    network = nn.Sequential(nn.Linear(1, 2), nn.Sigmoid(), nn.Linear(2, 1))
    with torch.no_grad():
        # the neurons' weights
        network[0].weight.copy_(torch.tensor([[0.0], [0.0]]))
        network[0].bias.copy_(torch.tensor([0.0, 0.0]))  # and their biases
        # the read-out's weights
        network[2].weight.copy_(torch.tensor([[0.0, 0.0]]))
        network[2].bias.fill_(0.0)  # and its bias
    return network


# --8<-- [end:interval_3_to_7]

# --8<-- [start:mystery]
mystery = nn.Sequential(nn.Linear(1, 3), nn.ReLU(), nn.Linear(3, 1))
with torch.no_grad():
    mystery[0].weight.copy_(torch.tensor([[-2.0], [0.25], [-0.5]]))
    mystery[0].bias.copy_(torch.tensor([20.0, -12.5, 4.5]))
    mystery[2].weight.copy_(torch.tensor([[0.5, 4.0, -2.0]]))
    mystery[2].bias.fill_(0.0)
# --8<-- [end:mystery]


# --8<-- [start:check_mystery]
def check_mystery(formula, network=mystery, low=-20.0, high=39.0) -> bool:
    """Does formula(x) give what the network gives, for low <= x <= high:
    at every integer, at every kink of a neuron, and on a grid of step
    0.01?"""
    layer = network[0]
    kinks = (
        -layer.bias / layer.weight[:, 0]
    ).tolist()  # where each neuron's input is 0
    points = [low + i / 100 for i in range(int((high - low) * 100) + 1)]
    points += [k for k in kinks if low <= k <= high] + list(
        range(int(low), int(high) + 1)
    )
    with torch.no_grad():
        truth = (
            network(torch.tensor(points).reshape(-1, 1)).flatten().tolist()
        )
    for x, want in zip(points, truth, strict=True):
        try:
            got = formula(x)
        except Exception as error:
            return verdict(f"at x = {x:g} your formula raised {error!r}")
        try:
            value = float(got)
        except (TypeError, ValueError):
            value = None
        if value is None or isinstance(got, bool):
            return verdict(
                f"at x = {x:g} your formula returned a "
                f"{type(got).__name__}"
            )
        if (
            not abs(value - want) <= 1e-4
        ):  # float32 rounding passes, NaN does not
            return verdict(
                f"off by {abs(value - want):g} at x = {x:g}: "
                f"the network gives {want:g}, your formula {value:g}"
            )
    return verdict(
        None, f"your formula is the network's on [{low:g}, {high:g}]"
    )


# --8<-- [end:check_mystery]


# --8<-- [start:mystery_formula]
def mystery_formula(x: float) -> float:
    """What the mystery network computes, for -20 <= x <= 39."""
    return 0.0  # your formula


# --8<-- [end:mystery_formula]

if __name__ == "__main__":
    # --8<-- [start:try_threshold_at_3]
    check_threshold_at_3(threshold_at_3)
    # --8<-- [end:try_threshold_at_3]

    # --8<-- [start:try_interval]
    check_interval(interval_3_to_7)
    # --8<-- [end:try_interval]

    # --8<-- [start:try_mystery]
    check_mystery(mystery_formula)
    # --8<-- [end:try_mystery]
