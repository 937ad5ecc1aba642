"""Chapter 4's exercises: the stubs a reader fills in, and the checks that
say what is wrong.

The chapter page includes each section; the worked solutions are in
snippets/xor_solutions.py. A check never raises: whatever it is given, it
prints one line, a verdict, and returns True or False."""

import torch
from torch import nn

# defined on the page before
from snippets.xor import (
    SkipNet,
    make_data,
    make_model,
)


# --8<-- [start:check_xnor]
def verdict(problem: str | None, success: str = "") -> bool:
    """Print a one-line verdict; True if all is well."""
    print(f"✗ {problem}" if problem else f"✓ {success}")
    return problem is None


def wrong_corner(
    network, labels: torch.Tensor, tolerance: float
) -> str | None:
    """The first input where network misses its label by > tolerance."""
    x, _ = make_data()
    try:
        with torch.no_grad():
            out = network(x)[:, 0].tolist()
    except Exception as error:
        return f"your network cannot read (a, b): {error!r}"
    for (a, b), got, want in zip(
        x.tolist(), out, labels.flatten().tolist(), strict=True
    ):
        if not abs(got - want) <= tolerance:  # NaN is not <= anything
            off = f"more than {tolerance:g} from" if tolerance else "not"
            return (
                f"at (a, b) = ({a:g}, {b:g}) your network gives "
                f"{digits_that_miss(got, want, tolerance)}, {off} {want:g}"
            )
    return None


def digits_that_miss(got: float, want: float, tolerance: float) -> str:
    """got with 4 significant digits, or as many more as it takes for
    the digits shown to miss want by more than tolerance too."""
    for digits in range(4, 18):
        shown = f"{got:.{digits}g}"
        if not abs(float(shown) - want) <= tolerance:
            return shown
    return repr(got)


def check_xnor(make_network) -> bool:
    """Is make_network() a SkipNet of one ReLU computing XNOR?"""
    try:
        network = make_network()
    except Exception as error:
        return verdict(f"your function raised {error!r}")
    if not isinstance(network, SkipNet):
        return verdict(
            f"your function returned a {type(network).__name__}, not a "
            "SkipNet"
        )
    if len(network.neurons) != 1:
        return verdict(
            f"your network has {len(network.neurons)} ReLU neurons; 1 is "
            "enough"
        )
    _, y = make_data()
    return verdict(
        wrong_corner(network, 1 - y, 0.0),
        "a XNOR b, exactly, with one ReLU",
    )


# --8<-- [end:check_xnor]


# --8<-- [start:xnor_one_relu]
def xnor_one_relu() -> SkipNet:
    """a XNOR b (1 when the bits agree) with one ReLU; the read-out also
    reads a and b."""
    model = SkipNet(n_inputs=2, n_neurons=1)
    with torch.no_grad():
        # your weights
        model.neurons[0].weight.copy_(torch.tensor([[0.0, 0.0]]))
        model.neurons[0].bias.fill_(0.0)
        # on a, b and the ReLU
        model.output.weight.copy_(torch.tensor([[0.0, 0.0, 0.0]]))
        model.output.bias.fill_(0.0)
    return model


# --8<-- [end:xnor_one_relu]


# --8<-- [start:check_sigmoid_xor]
def check_sigmoid_xor(make_network) -> bool:
    """Is make_network() a 2-2-1 sigmoid network within 0.1 of XOR?"""
    try:
        network = make_network()
    except Exception as error:
        return verdict(f"your function raised {error!r}")
    layers = list(network) if isinstance(network, nn.Sequential) else []
    if [type(layer) for layer in layers] != [
        nn.Linear,
        nn.Sigmoid,
        nn.Linear,
        nn.Sigmoid,
    ]:
        return verdict(
            'return make_model(hidden=2, activation="sigmoid"), as the '
            "stub does"
        )
    if layers[0].out_features != 2:
        return verdict(
            f"your network has {layers[0].out_features} hidden units; 2 "
            "are enough"
        )
    _, y = make_data()
    return verdict(
        wrong_corner(network, y, 0.1), "every output within 0.1 of a XOR b"
    )


# --8<-- [end:check_sigmoid_xor]


# --8<-- [start:sigmoid_xor]
def sigmoid_xor() -> nn.Sequential:
    """XOR with two sigmoid units in one hidden layer, sigmoid output."""
    model = make_model(hidden=2, activation="sigmoid")
    with torch.no_grad():
        # your weights
        model[0].weight.copy_(torch.tensor([[0.0, 0.0], [0.0, 0.0]]))
        model[0].bias.copy_(torch.tensor([0.0, 0.0]))
        model[2].weight.copy_(torch.tensor([[0.0, 0.0]]))
        model[2].bias.fill_(0.0)
    return model


# --8<-- [end:sigmoid_xor]


# --8<-- [start:check_revive]
def check_revive(revive, model: nn.Sequential) -> bool:
    """Does revive(model) revive the dead neuron alone, near XOR?"""
    if not isinstance(model, nn.Sequential) or len(model) != 3:
        return verdict(
            "pass seed 0's network, result.model, as the second argument"
        )
    copy = make_model(hidden=model[0].out_features)
    copy.load_state_dict(model.state_dict())
    x, y = make_data()
    with torch.no_grad():
        # per neuron: 0 everywhere?
        dead = (model[1](model[0](x)) == 0).all(dim=0).tolist()
    try:
        fixed = revive(copy)
    except Exception as error:
        return verdict(f"your function raised {error!r}")
    if not isinstance(fixed, nn.Sequential) or len(fixed) != 3:
        return verdict(
            f"your function returned a {type(fixed).__name__}, not the "
            "network"
        )
    for i, was_dead in enumerate(dead):
        old = torch.cat([model[0].weight[i], model[0].bias[i : i + 1]])
        new = torch.cat([fixed[0].weight[i], fixed[0].bias[i : i + 1]])
        if not was_dead and not torch.equal(old, new):
            return verdict(
                f"you changed neuron {i + 1}, which was alive: change the "
                "dead one"
            )
        with torch.no_grad():
            if was_dead and (fixed[1](fixed[0](x))[:, i] == 0).all():
                return verdict(
                    f"neuron {i + 1} is still 0 on all four inputs"
                )
    return verdict(
        wrong_corner(fixed, y, 0.1),
        "alive again: every output within 0.1 of XOR",
    )


# --8<-- [end:check_revive]


# --8<-- [start:revive]
def revive(model: nn.Sequential) -> nn.Sequential:
    """Give seed 0's dead neuron weights that switch it on, and a read-out
    that uses it."""
    with torch.no_grad():
        # your changes to model[0] (the neurons), model[2] (the read-out)
        pass
    return model


# --8<-- [end:revive]

# --8<-- [start:mystery]
mystery = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
with torch.no_grad():
    mystery[0].weight.copy_(
        torch.tensor([[-1.0, -1.0], [2.0, 2.0], [0.5, 0.5]])
    )
    mystery[0].bias.copy_(torch.tensor([-5.0, -2.0, 1.5]))
    mystery[2].weight.copy_(torch.tensor([[0.5, -1.0, 2.0]]))
    mystery[2].bias.fill_(-3.0)
# --8<-- [end:mystery]


# --8<-- [start:check_mystery]
def check_mystery(formula, network=mystery, low=-1.0, high=2.0) -> bool:
    """Is formula(a, b) the network on [low, high]^2: at every integer
    pair, along every fold line, on a grid of step 0.05?"""
    steps = torch.linspace(low, high, int(20 * (high - low)) + 1)
    integers = torch.arange(low, high + 1)
    pairs = [
        torch.cartesian_prod(integers, integers),
        torch.cartesian_prod(steps, steps),
    ]
    for (w_a, w_b), c in zip(
        network[0].weight.tolist(), network[0].bias.tolist(), strict=True
    ):
        if w_b != 0:  # the neuron's fold line, w_a a + w_b b + c = 0
            pairs.append(
                torch.stack([steps, -(w_a * steps + c) / w_b], dim=1)
            )
        if w_a != 0:
            pairs.append(
                torch.stack([-(w_b * steps + c) / w_a, steps], dim=1)
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
    """What the mystery network computes, for -1 <= a, b <= 2."""
    return 0.0  # your formula


# --8<-- [end:mystery_formula]

if __name__ == "__main__":
    # --8<-- [start:try_xnor]
    check_xnor(xnor_one_relu)
    # --8<-- [end:try_xnor]

    # --8<-- [start:try_sigmoid_xor]
    check_sigmoid_xor(sigmoid_xor)
    # --8<-- [end:try_sigmoid_xor]

    from snippets.xor import train

    result = train(seed=0)  # the page trains it in "What training finds"
    # --8<-- [start:try_revive]
    check_revive(revive, result.model)
    # --8<-- [end:try_revive]

    # --8<-- [start:try_mystery]
    check_mystery(mystery_formula)
    # --8<-- [end:try_mystery]
