"""Worked solutions to chapter 4's exercises (snippets/xor_exercises.py).

The chapter page shows each section in a collapsed "Solution" block and
does not run it; the tests run every one (tests/test_xor_exercises.py).
`python -m snippets.xor_solutions` prints what the solutions' runs print.
"""

import torch
from torch import nn

from snippets.xor import SkipNet, make_data, make_model
from snippets.xor_exercises import check_mystery, mystery


# --8<-- [start:xnor_one_relu]
def xnor_one_relu() -> SkipNet:
    """a XNOR b (1 when the bits agree) with one ReLU; the read-out also
    reads a and b."""
    model = SkipNet(n_inputs=2, n_neurons=1)
    with torch.no_grad():
        # ReLU(a + b - 1)
        model.neurons[0].weight.copy_(torch.tensor([[1.0, 1.0]]))
        model.neurons[0].bias.fill_(-1.0)
        # 1 - (a XOR b)
        model.output.weight.copy_(torch.tensor([[-1.0, -1.0, 2.0]]))
        model.output.bias.fill_(1.0)
    return model


# --8<-- [end:xnor_one_relu]


# --8<-- [start:sigmoid_xor]
def sigmoid_xor() -> nn.Sequential:
    """XOR with two sigmoid units in one hidden layer, sigmoid output."""
    model = make_model(hidden=2, activation="sigmoid")
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[20.0, 20.0], [20.0, 20.0]]))
        # a OR b, a AND b
        model[0].bias.copy_(torch.tensor([-10.0, -30.0]))
        # OR and not AND
        model[2].weight.copy_(torch.tensor([[20.0, -20.0]]))
        model[2].bias.fill_(-10.0)
    return model


# --8<-- [end:sigmoid_xor]


# --8<-- [start:revive]
def revive(model: nn.Sequential) -> nn.Sequential:
    """Give seed 0's dead neuron weights that switch it on, and a read-out
    that uses it."""
    x, _ = make_data()
    with torch.no_grad():
        # neuron 2: ReLU(a - b), on at (1, 0)
        model[0].weight[1] = torch.tensor([1.0, -1.0])
        model[0].bias[1] = 0.0
        # neuron 1 at (0, 1), the one input where it is on
        h = model[1](model[0](x))[1, 0]
        # each neuron says 1 at its input
        model[2].weight[0] = torch.tensor([1 / h, 1.0])
        model[2].bias[0] = 0.0
    return model


# --8<-- [end:revive]


# --8<-- [start:mystery_formula]
def mystery_formula(a: float, b: float) -> float:
    """What the mystery network computes, for -1 <= a, b <= 2."""
    return a + b - 2 * max(a + b - 1, 0)


# --8<-- [end:mystery_formula]

if __name__ == "__main__":
    # --8<-- [start:dead_at_start]
    torch.manual_seed(0)
    # 100,000 neurons, each initialised as PyTorch does
    layer = nn.Linear(2, 100_000)
    x, _ = make_data()
    with torch.no_grad():
        # 0 on all four inputs
        dead = (layer(x) <= 0).all(dim=0).float().mean().item()
    print(
        f"dead at the start: {dead:.4f} of the neurons; 13/48 = "
        f"{13 / 48:.4f}"
    )
    # --8<-- [end:dead_at_start]

    # --8<-- [start:mystery_look]
    import matplotlib.pyplot as plt

    steps = torch.linspace(-1, 2, 61)
    # (a, b) on a grid of the square
    plane = torch.cartesian_prod(steps, steps)
    with torch.no_grad():
        hidden = mystery[1](mystery[0](plane))
    figure, axes = plt.subplots(1, 3, figsize=(10, 3))
    for i, ax in enumerate(axes):
        # where neuron i + 1 is on
        ax.scatter(plane[:, 0], plane[:, 1], c=hidden[:, i], s=4)
        ax.set_title(
            f"neuron {i + 1}: on at "
            f"{(hidden[:, i] > 0).float().mean():.0%}"
        )
    plt.show()
    # --8<-- [end:mystery_look]

    # --8<-- [start:mystery_new]
    with torch.no_grad():
        print(
            mystery(torch.tensor([[0.5, 0.5], [3.0, 3.0], [-4.0, -4.0]]))[
                :, 0
            ].tolist()
        )
    # --8<-- [end:mystery_new]

    check_mystery(mystery_formula)
