"""Worked solutions to chapter 6's exercises (snippets/depth_exercises.py).

The chapter page shows each section in a collapsed "Solution" block and
does not run it; the tests run every one (tests/test_depth_exercises.py).
`python -m snippets.depth_solutions` prints what the solutions' runs print.
"""

import torch
from torch import nn

from snippets.depth import sawtooth, shallow_sawtooth, solves, train_many
from snippets.depth_exercises import check_mystery, mystery
from snippets.parity import count_pieces


# --8<-- [start:tent_at]
def tent_at(peak: float, height: float) -> nn.Sequential:
    """The tent that rises from 0 at x = 0 to height at x = peak and
    falls back to 0 at x = 1 (0 < peak < 1), with two ReLUs."""
    model = nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1))
    up, down = height / peak, -height / (1 - peak)  # the two slopes
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[1.0], [1.0]]))
        model[0].bias.copy_(torch.tensor([0.0, -peak]))  # kinks: 0, peak
        # ReLU(x) rises with slope up; at the peak the slope turns by
        # down - up, the weight of ReLU(x - peak)
        model[2].weight.copy_(torch.tensor([[up, down - up]]))
        model[2].bias.zero_()
    return model


# --8<-- [end:tent_at]


# --8<-- [start:wide_sawtooth]
def wide_sawtooth() -> nn.Sequential:
    """The sawtooth with 2 folds, sawtooth(2) on [0, 1], with one hidden
    layer of 4 ReLUs, strictly layered: every weight written out."""
    model = nn.Sequential(nn.Linear(1, 4), nn.ReLU(), nn.Linear(4, 1))
    with torch.no_grad():
        # ReLU(x), which is x on [0, 1], then a ReLU at each kink
        model[0].weight.copy_(torch.tensor([[1.0], [1.0], [1.0], [1.0]]))
        model[0].bias.copy_(torch.tensor([0.0, -0.25, -0.5, -0.75]))
        # slope 4 at first; at each kink it turns by -8, +8, -8
        model[2].weight.copy_(torch.tensor([[4.0, -8.0, 8.0, -8.0]]))
        model[2].bias.zero_()
    return model


# --8<-- [end:wide_sawtooth]


# --8<-- [start:mystery_formula]
def mystery_formula(x: float) -> float:
    """What the mystery network computes, for 0 <= x <= 1."""
    y = min(3 * x, 1 - x)  # the first layer: a tent, 3/4 high at 1/4
    return min(3 * y, 1 - y)  # the second layer: the same tent again


# --8<-- [end:mystery_formula]

if __name__ == "__main__":
    from snippets.depth_exercises import check_tent, check_wide_sawtooth

    check_tent(tent_at)

    # --8<-- [start:half_tent]
    print(
        "tent_at(0.5, 0.75):",
        tent_at(0.5, 0.75)[2].weight.tolist(),
        " sawtooth(1, height=0.75):",
        sawtooth(1, height=0.75)[2].weight.tolist(),
    )
    # --8<-- [end:half_tent]

    check_wide_sawtooth(wide_sawtooth)

    # --8<-- [start:two_layers]
    first, second = shallow_sawtooth(3), shallow_sawtooth(3)  # s_3, twice
    joint = nn.Linear(8, 8)  # first's read-out, then second's input layer
    with torch.no_grad():
        joint.weight.copy_(second[0].weight @ first[2].weight)
        joint.bias.copy_(second[0].weight @ first[2].bias + second[0].bias)
    two = nn.Sequential(first[0], nn.ReLU(), joint, nn.ReLU(), second[2])
    x = torch.linspace(0, 1, 2**10 + 1).reshape(-1, 1)
    with torch.no_grad():
        gap = (two(x) - sawtooth(6)(x)).abs().max().item()
    print(
        f"two hidden layers of 8 ReLUs; largest difference from s_6: {gap}"
    )
    # --8<-- [end:two_layers]

    # --8<-- [start:heights]
    for h in [1.0, 0.9, 0.75, 0.5]:
        counts = [
            count_pieces(sawtooth(k, height=h).double(), 0, 1, 2**-12)
            for k in range(1, 9)
        ]
        print(f"h = {h:g}: {counts}")
    # --8<-- [end:heights]

    # --8<-- [start:middle]
    middle = torch.tensor([[0.5]], dtype=torch.float64)  # x = 1/2
    for h in [0.9, 0.75, 0.5]:
        with torch.no_grad():
            values = [
                sawtooth(k, height=h).double()(middle).item()
                for k in range(1, 6)
            ]
        print(f"h = {h:g}, at x = 1/2:", [round(v, 4) for v in values])
    # --8<-- [end:middle]

    # --8<-- [start:wider]
    for width in [2, 8, 32]:
        runs = train_many(depth=2, width=width, seeds=list(range(10)))
        # solves() takes the network as trained, in float32, so first
        solved = sum(solves(model, 2) for model in runs.models)
        pieces = [
            count_pieces(model.double(), 0, 1, 2**-14)
            for model in runs.models
        ]
        print(
            f"width {width}: solved {solved} of 10; pieces {pieces}; "
            f"bound {(width + 1) ** 2}"
        )
    # --8<-- [end:wider]

    # --8<-- [start:mystery_look]
    import copy

    x = torch.tensor([[0.0], [1 / 12], [0.25], [0.5], [0.75], [1.0]])
    with torch.no_grad():
        print([round(v, 4) for v in mystery(x).flatten().tolist()])
    twice = copy.deepcopy(
        mystery
    ).double()  # a copy: mystery stays float32
    print("pieces:", count_pieces(twice, 0, 1, 2**-12))
    # --8<-- [end:mystery_look]

    check_mystery(mystery_formula)

    # --8<-- [start:mystery_new]
    import copy

    # the middle layer a second time: the same tent, a third fold
    three = copy.deepcopy(nn.Sequential(*mystery[:4], *mystery[2:]))
    print("three folds:", count_pieces(three.double(), 0, 1, 2**-12))
    with torch.no_grad():
        outside = mystery(torch.tensor([[-1.0], [2.0]])).flatten().tolist()
    print("at -1 and 2:", outside, [mystery_formula(x) for x in [-1, 2]])
    # --8<-- [end:mystery_new]
