"""Chapter 3's exercises: the stubs a reader fills in, and the checks that
say what is wrong.

The chapter page includes each section; the worked solutions are in
snippets/parity_solutions.py. A check never raises: whatever it is given,
it prints one line, a verdict, and returns True or False."""

import torch

# defined on the page before the exercises
from snippets.parity import SkipNet


# --8<-- [start:check_double_fold]
def verdict(problem: str | None, success: str = "") -> bool:
    """Print one line, what is wrong or that all is well, and return True
    if all is well. Every check below ends with it."""
    print(f"✗ {problem}" if problem else f"✓ {success}")
    return problem is None


def skip_net_problem(network, neurons: int) -> str | None:
    """What keeps network from being a SkipNet of that many neurons."""
    if not isinstance(network, SkipNet):
        kind = type(network).__name__
        return f"your function returned a {kind}, not a SkipNet"
    if len(network.neurons) != neurons:
        count = len(network.neurons)
        return f"your network has {count} ReLU neurons; use {neurons}"
    return None


def first_miss(network, xs: list[float], target, name: str) -> str | None:
    """The first x where network(x) is more than 1e-4 from target(x)."""
    try:
        with torch.no_grad():
            out = network(torch.tensor(xs).reshape(-1, 1)).flatten()
    except Exception as error:
        return f"your network cannot read x: {error!r}"
    for x, got in zip(xs, out.tolist(), strict=True):
        want = target(x)
        if not abs(got - want) <= 1e-4:  # NaN is not <= anything
            return (
                f"at x = {x:g} your network gives {got:.4g}, "
                f"{name} is {want:g}"
            )
    return None


def check_double_fold(make_network) -> bool:
    """Is make_network() a SkipNet of two neurons that computes
    ||x - 8| - 4| on [-4, 20]?"""
    try:
        network = make_network()
    except Exception as error:
        return verdict(f"your function raised {error!r}")
    xs = [-4 + i / 8 for i in range(24 * 8 + 1)]
    problem = skip_net_problem(network, 2) or first_miss(
        network, xs, lambda x: abs(abs(x - 8) - 4), "||x - 8| - 4|"
    )
    return verdict(problem, "||x - 8| - 4| with two neurons")


# --8<-- [end:check_double_fold]


# --8<-- [start:double_fold]
def double_fold() -> SkipNet:
    """||x - 8| - 4| with two ReLU neurons and skip connections."""
    model = SkipNet(2)
    with torch.no_grad():
        model.neurons[0].weight.copy_(torch.tensor([[0.0]]))  # reads x
        model.neurons[0].bias.fill_(0.0)
        model.neurons[1].weight.copy_(torch.tensor([[0.0, 0.0]]))  # x, h1
        model.neurons[1].bias.fill_(0.0)
        # the read-out reads x, h1, h2
        model.output.weight.copy_(torch.tensor([[0.0, 0.0, 0.0]]))
        model.output.bias.fill_(0.0)
    return model


# --8<-- [end:double_fold]


# --8<-- [start:check_nine]
def check_nine(make_network) -> bool:
    """Is make_network() a SkipNet of three neurons that computes x mod 2
    on the integers 0 to 8?"""
    try:
        network = make_network()
    except Exception as error:
        return verdict(f"your function raised {error!r}")
    xs = [float(x) for x in range(9)]
    problem = skip_net_problem(network, 3) or first_miss(
        network, xs, lambda x: x % 2, "x mod 2"
    )
    return verdict(problem, "x mod 2 on 0 to 8 with three neurons")


# --8<-- [end:check_nine]


# --8<-- [start:nine]
def nine() -> SkipNet:
    """x mod 2 on the integers 0 to 8 with three ReLU neurons."""
    model = SkipNet(3)
    with torch.no_grad():
        for neuron in model.neurons:  # your weights, neuron by neuron
            neuron.weight.zero_()
            neuron.bias.zero_()
        model.output.weight.zero_()  # reads x, h1, h2, h3
        model.output.bias.zero_()
    return model


# --8<-- [end:nine]

# --8<-- [start:mystery]
mystery = SkipNet(3)
with torch.no_grad():
    mystery.neurons[0].weight.copy_(torch.tensor([[1.0]]))
    mystery.neurons[0].bias.fill_(-2.0)
    mystery.neurons[1].weight.copy_(torch.tensor([[0.0, 1.0]]))
    mystery.neurons[1].bias.fill_(-3.0)
    mystery.neurons[2].weight.copy_(torch.tensor([[-1.0, 0.0, 0.0]]))
    mystery.neurons[2].bias.fill_(-20.0)
    mystery.output.weight.copy_(torch.tensor([[0.0, 1.0, -1.0, 5.0]]))
    mystery.output.bias.fill_(2.0)
# --8<-- [end:mystery]


# --8<-- [start:check_mystery]
def neuron_inputs(network: SkipNet, x: torch.Tensor) -> torch.Tensor:
    """Each neuron's input z (before its ReLU) at each x: one column per
    neuron."""
    signals, inputs = x.reshape(-1, 1), []
    with torch.no_grad():
        for neuron in network.neurons:
            z = neuron(signals)
            inputs.append(z)
            signals = torch.cat([signals, torch.relu(z)], dim=-1)
    return torch.cat(inputs, dim=-1)


def kinks_of(network: SkipNet, low: float, high: float) -> list[float]:
    """Where a neuron of network bends in [low, high]: where its input
    changes sign between two points of a fine grid, narrowed down by
    halving the gap."""
    xs = torch.linspace(low, high, 3001)
    below = neuron_inputs(network, xs) < 0
    found = []
    for j, i in torch.nonzero(below[:-1] != below[1:]).tolist():
        a, b = xs[j].item(), xs[j + 1].item()
        for _ in range(30):
            mid = (a + b) / 2
            ends = neuron_inputs(network, torch.tensor([a, mid]))[:, i] < 0
            a, b = (mid, b) if ends[0] == ends[1] else (a, mid)
        found.append((a + b) / 2)
    return sorted(found)


def check_mystery(formula, network=mystery, low=-10.0, high=20.0) -> bool:
    """Does formula(x) give what the network gives, for low <= x <= high:
    at every integer, at every kink of a neuron, and on a grid of step
    0.01?"""
    points = [low + i / 100 for i in range(int((high - low) * 100) + 1)]
    points += kinks_of(network, low, high)
    points += [float(x) for x in range(int(low), int(high) + 1)]
    with torch.no_grad():
        column = torch.tensor(points).reshape(-1, 1)
        truth = network(column).flatten().tolist()
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
            kind = type(got).__name__
            return verdict(f"at x = {x:g} your formula returned a {kind}")
        # float32 rounding passes, NaN does not
        if not abs(value - want) <= 1e-4:
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
    """What the mystery network computes, for -10 <= x <= 20."""
    return 0.0  # your formula


# --8<-- [end:mystery_formula]

if __name__ == "__main__":
    # --8<-- [start:try_double_fold]
    check_double_fold(double_fold)
    # --8<-- [end:try_double_fold]

    # --8<-- [start:try_nine]
    check_nine(nine)
    # --8<-- [end:try_nine]

    # --8<-- [start:try_mystery]
    check_mystery(mystery_formula)
    # --8<-- [end:try_mystery]
