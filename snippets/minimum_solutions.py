"""Worked solutions to chapter 2's exercises
(snippets/minimum_exercises.py).

The chapter page shows each section in a collapsed "Solution" block and
does not run it; the tests run every one (tests/test_minimum_exercises.py).
`python -m snippets.minimum_solutions` prints what the solutions' runs
print."""

import torch

from snippets.minimum import (
    MinModel,
    ReLULayer,
    branch_shapes,
    integer_grid,
    set_weights,
    wire,
)
from snippets.minimum_exercises import candidates, check_mystery, mystery


# --8<-- [start:max_one_relu]
def max_one_relu() -> ReLULayer:
    """max(a, b) with one ReLU neuron and a skip connection."""
    # a + ReLU(b - a)
    return wire([[-1.0, 1.0, 0.0]], [1.0, 0.0, 1.0, 0.0], skip=True)


# --8<-- [end:max_one_relu]


# --8<-- [start:max_family]
def max_family(lam: float) -> MinModel:
    """The member lam of the family of exact networks for max(a, b)."""
    return set_weights(
        MinModel(),
        branch1=[-1.0, 1.0, 0.0],  # ReLU(b - a)
        branch2=[1.0, -1.0, 0.0],  # ReLU(a - b)
        output=[lam, 1 - lam, lam, 1 - lam, 0.0],
    )


# --8<-- [end:max_family]


# --8<-- [start:repair]
def repair(model: MinModel) -> MinModel:
    """Ablate branch 1, and rescale branch 2 so that it does branch 1's
    work too."""
    with torch.no_grad():
        s1 = (
            model.branch1.weight[0, 1] - model.branch1.weight[0, 0]
        ) / 2  # ReLU(s1 (b - a))
        s2 = (model.branch2.weight[0, 1] - model.branch2.weight[0, 0]) / 2
        v1 = model.output.weight[0, 2].item()
        model.output.weight[0, 2] = 0.0  # branch 1 ablated
        # branch 2 carries its product v1 * s1
        model.output.weight[0, 3] += v1 * s1 / s2
    return model


# --8<-- [end:repair]


# --8<-- [start:mystery_formula]
def mystery_formula(a: float, b: float) -> float:
    """What the mystery network computes, for -50 <= a, b <= 50."""
    return min(a, b + 10)


# --8<-- [end:mystery_formula]

if __name__ == "__main__":
    # --8<-- [start:exact_or_not]
    grid = integer_grid()
    for name, network in candidates.items():
        with torch.no_grad():
            error = (
                (network(grid)[:, 0] - grid.min(dim=1).values)
                .abs()
                .max()
                .item()
            )
        shapes = [shape for shape, _ in branch_shapes(network)]
        print(f"{name}: largest error {error:g}, branches {shapes}")
    # --8<-- [end:exact_or_not]

    # --8<-- [start:mystery_look]
    import matplotlib.pyplot as plt

    with torch.no_grad():
        branches = [
            mystery.branch1(grid).relu(),
            mystery.branch2(grid).relu(),
        ]
    figure, axes = plt.subplots(1, 2, figsize=(8, 4))
    for i, (ax, branch) in enumerate(zip(axes, branches, strict=True)):
        # colour: the branch's output
        ax.scatter(grid[:, 0], grid[:, 1], c=branch[:, 0], s=1)
        ax.set_title(f"branch {i + 1}")
        change = (
            mystery.output.weight[0, 2 + i] * branch[:, 0]
        ).abs()  # if ablated
        print(
            f"branch {i + 1} ablated: the output moves by "
            f"{change.min():g} to {change.max():g}"
        )
    plt.show()
    # --8<-- [end:mystery_look]

    # --8<-- [start:mystery_new]
    with torch.no_grad():
        print(
            mystery(torch.tensor([[0.0, -100.0], [100.0, 100.0]]))[
                :, 0
            ].tolist()
        )
    # --8<-- [end:mystery_new]

    check_mystery(mystery_formula)
