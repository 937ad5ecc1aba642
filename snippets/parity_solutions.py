"""Worked solutions to chapter 3's exercises (parity_exercises.py).

The chapter page shows each section in a collapsed "Solution" block and
does not run it; the tests run every one (tests/test_parity_exercises.py).
`python -m snippets.parity_solutions` prints what the solutions print."""

import torch

from snippets.parity import (
    SkipNet,
    count_pieces,
    laps_bound,
    minimal,
    width_sequences,
)
from snippets.parity_exercises import (
    check_mystery,
    mystery,
    neuron_inputs,
)


# --8<-- [start:double_fold]
def double_fold() -> SkipNet:
    """||x - 8| - 4| with two ReLU neurons and skip connections."""
    model = SkipNet(2)
    with torch.no_grad():
        # h1 = ReLU(x - 8), so |x - 8| = 2 h1 - x + 8
        model.neurons[0].weight.copy_(torch.tensor([[1.0]]))
        model.neurons[0].bias.fill_(-8.0)
        # h2 = ReLU(|x - 8| - 4) = ReLU(-x + 2 h1 + 4)
        model.neurons[1].weight.copy_(torch.tensor([[-1.0, 2.0]]))
        model.neurons[1].bias.fill_(4.0)
        # ||x - 8| - 4| = 2 h2 - (|x - 8| - 4) = x - 2 h1 + 2 h2 - 4
        model.output.weight.copy_(torch.tensor([[1.0, -2.0, 2.0]]))
        model.output.bias.fill_(-4.0)
    return model


# --8<-- [end:double_fold]


# --8<-- [start:nine]
def nine() -> SkipNet:
    """x mod 2 on the integers 0 to 8 with three ReLU neurons."""
    model = SkipNet(3)
    with torch.no_grad():
        # h1 = ReLU(x - 4); y = |x - 4| = 2 h1 - x + 4, in 0..4
        model.neurons[0].weight.copy_(torch.tensor([[1.0]]))
        model.neurons[0].bias.fill_(-4.0)
        # h2 = ReLU(y - 2); y = |y - 2| = x - 2 h1 + 2 h2 - 2, in 0..2
        model.neurons[1].weight.copy_(torch.tensor([[-1.0, 2.0]]))
        model.neurons[1].bias.fill_(2.0)
        # h3 = ReLU(y - 1); x mod 2 = y - 2 h3
        model.neurons[2].weight.copy_(torch.tensor([[1.0, -2.0, 2.0]]))
        model.neurons[2].bias.fill_(-3.0)
        model.output.weight.copy_(torch.tensor([[1.0, -2.0, 2.0, -2.0]]))
        model.output.bias.fill_(-2.0)
    return model


# --8<-- [end:nine]


# --8<-- [start:mystery_formula]
def mystery_formula(x: float) -> float:
    """What the mystery network computes, for -10 <= x <= 20."""
    return min(max(x, 2.0), 5.0)  # x clamped to [2, 5]


# --8<-- [end:mystery_formula]


if __name__ == "__main__":
    # --8<-- [start:count_double_fold]
    pieces = count_pieces(double_fold().double(), -4, 20)
    print(f"||x - 8| - 4| on [-4, 20]: {pieces} pieces")
    # --8<-- [end:count_double_fold]

    # --8<-- [start:beyond]
    outside = torch.tensor([[-1.0], [16.0], [17.0], [24.0]])
    with torch.no_grad():
        print("at -1, 16, 17, 24:", minimal(4)(outside).flatten().tolist())
    # --8<-- [end:beyond]

    # --8<-- [start:twelve]
    gaps = 12 - 1  # 0..11 alternate: one lap per gap between neighbours
    skip = next(n for n in range(1, 10) if 2**n >= gaps)
    layered = next(
        total
        for total in range(1, 10)
        if max(laps_bound(w) for w in width_sequences(total)) >= gaps
    )
    x = torch.arange(12.0).reshape(-1, 1)
    with torch.no_grad():
        exact = torch.equal(minimal(4)(x), x % 2)
    print(
        f"with skips, at least {skip} neurons; minimal(4) exact: {exact}"
    )
    print(f"strictly layered, at least {layered} ReLUs")
    # --8<-- [end:twelve]

    # --8<-- [start:mystery_look]
    import matplotlib.pyplot as plt

    xs = torch.linspace(-10, 20, 301)
    hidden = torch.relu(neuron_inputs(mystery, xs))  # (301, 3)
    readout = mystery.output.weight[0, 1:].detach()  # h1, h2, h3
    for i in range(3):
        plt.plot(xs, hidden[:, i], label=f"neuron {i + 1}")
        change = (readout[i] * hidden[:, i]).abs().max()
        print(
            f"neuron {i + 1} ablated: the output moves by up to {change:g}"
        )
    plt.legend()
    plt.show()
    # --8<-- [end:mystery_look]

    # --8<-- [start:mystery_new]
    with torch.no_grad():
        new = torch.tensor([[-30.0], [100.0]])
        print("at -30 and 100:", mystery(new).flatten().tolist())
    # --8<-- [end:mystery_new]

    check_mystery(mystery_formula)
