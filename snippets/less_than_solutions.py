"""Worked solutions to chapter 1's exercises
(snippets/less_than_exercises.py).

The chapter page shows each section in a collapsed "Solution" block and
does not run it; the tests run every one
(tests/test_less_than_exercises.py). `python -m
snippets.less_than_solutions` prints what the solutions' runs print."""

import torch
from torch import nn

from snippets.less_than import hardwired
from snippets.less_than_exercises import check_mystery, mystery


# --8<-- [start:threshold_at_3]
def threshold_at_3() -> nn.Sequential:
    """One sigmoid neuron: threshold at x = 3, output at least 0.99 at x =
    2."""
    return hardwired(scale=5.0, threshold=3.0)  # sigmoid(5) = 0.9933


# --8<-- [end:threshold_at_3]


# --8<-- [start:interval_3_to_7]
def interval_3_to_7() -> nn.Sequential:
    """Two sigmoid neurons and a linear read-out: 1 for 3 < x < 7, else 0
    (on integers)."""
    network = nn.Sequential(nn.Linear(1, 2), nn.Sigmoid(), nn.Linear(2, 1))
    with torch.no_grad():
        # up at 3.5, down at 6.5
        network[0].weight.copy_(torch.tensor([[10.0], [-10.0]]))
        network[0].bias.copy_(torch.tensor([-35.0, 65.0]))
        # both on: 1 + 1 - 1
        network[2].weight.copy_(torch.tensor([[1.0, 1.0]]))
        network[2].bias.fill_(-1.0)
    return network


# --8<-- [end:interval_3_to_7]

# --8<-- [start:fit_neuron]
import torch.nn.functional as F


def fit_neuron(
    x, y, steps: int, lr: float, optimizer: str = "adam"
) -> nn.Linear:
    """train() on any data: one neuron's logit a * x + b, full batch, seed
    0."""
    torch.manual_seed(0)
    neuron = nn.Linear(1, 1)
    make_optimizer = (
        torch.optim.Adam if optimizer == "adam" else torch.optim.SGD
    )
    opt = make_optimizer(neuron.parameters(), lr=lr)
    for _ in range(steps):
        loss = F.binary_cross_entropy_with_logits(neuron(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return neuron


# --8<-- [end:fit_neuron]


# --8<-- [start:mystery_formula]
def mystery_formula(x: float) -> float:
    """What the mystery network computes, for -20 <= x <= 39."""
    return min(max(10 - x, 0), 1)


# --8<-- [end:mystery_formula]

if __name__ == "__main__":
    # --8<-- [start:wide_run]
    for low in [-20, -100]:
        x = torch.arange(low, 40, dtype=torch.float32).reshape(-1, 1)
        neuron = fit_neuron(x, (x < 10).float(), steps=2000, lr=0.1)
        print(
            f"{low}..39: threshold "
            f"{-neuron.bias.item() / neuron.weight.item():.3f}"
        )
    # --8<-- [end:wide_run]

    # --8<-- [start:gap_run]
    x = torch.cat(
        [torch.arange(-20.0, 0), torch.arange(100.0, 120)]
    ).reshape(-1, 1)
    neuron = fit_neuron(
        x, (x < 0).float(), steps=5000, lr=0.001, optimizer="sgd"
    )
    print(
        "threshold after 5000 steps: "
        f"{-neuron.bias.item() / neuron.weight.item():.3f}"
    )
    # --8<-- [end:gap_run]

    # --8<-- [start:mystery_look]
    import matplotlib.pyplot as plt

    xs = torch.linspace(-20, 39, 600).reshape(-1, 1)
    with torch.no_grad():
        # (600, 3): each neuron's output
        hidden = mystery[1](mystery[0](xs))
        output = mystery(xs)[:, 0]
    for i in range(3):
        plt.plot(xs, hidden[:, i], label=f"neuron {i + 1}")
        # what ablating neuron i removes
        change = mystery[2].weight[0, i] * hidden[:, i]
        print(
            f"neuron {i + 1} ablated: the output changes by up to "
            f"{change.abs().max():.1f}"
        )
    plt.plot(xs, output, "k--", label="output")
    plt.legend()
    plt.show()
    # --8<-- [end:mystery_look]

    # --8<-- [start:mystery_new]
    with torch.no_grad():
        print(
            mystery(torch.tensor([[9.5], [60.0], [-1000.0]]))
            .flatten()
            .tolist()
        )
    # --8<-- [end:mystery_new]

    check_mystery(mystery_formula)
