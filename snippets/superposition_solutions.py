"""Worked solutions to chapter 5's exercises
(snippets/superposition_exercises.py).

The chapter page shows each section in a collapsed "Solution" block and
does not run it; the tests run every one
(tests/test_superposition_exercises.py). `python -m
snippets.superposition_solutions` prints what the solutions' runs print.
"""

import math

import torch

from snippets.superposition import (
    ToyModel,
    angles,
    make_batch,
    shape,
    train,
    train_many,
)
from snippets.superposition_exercises import (
    check_mystery,
    four_in_two,
    mystery,
)


# --8<-- [start:interference]
def interference(W: torch.Tensor) -> torch.Tensor:
    """The (n_features, n_features) matrix whose entry [i, j] is the dot
    product of feature i's column of W with feature j's."""
    return W.T @ W  # column i of W is row i of W.T


# --8<-- [end:interference]


# --8<-- [start:pentagon]
def pentagon() -> ToyModel:
    """Five features in two dimensions, 72 degrees apart, with a bias
    that gives every one-hot input back."""
    model = ToyModel(n_features=5, n_hidden=2)
    near = math.cos(2 * math.pi / 5)  # a neighbour's cosine, 0.309
    # length**2 * (1 - near) = 1: what is left after the bias is 1
    length = 1 / math.sqrt(1 - near)
    theta = 2 * math.pi * torch.arange(5) / 5
    with torch.no_grad():
        model.W.copy_(length * torch.stack([theta.cos(), theta.sin()]))
        # a neighbour leaks length**2 * near: the bias takes it away
        model.b.fill_(-(length**2) * near)
    return model


# --8<-- [end:pentagon]


# --8<-- [start:rotate]
def rotate(model: ToyModel, degrees: float) -> ToyModel:
    """A copy of the 2-dimensional model with its hidden space turned
    anticlockwise by degrees."""
    n_hidden, n_features = model.W.shape
    turned = ToyModel(n_features, n_hidden)
    turned.load_state_dict(model.state_dict())
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    R = torch.tensor([[c, -s], [s, c]])
    with torch.no_grad():
        turned.W.copy_(R @ turned.W)  # every column turns; b stays
    return turned


# --8<-- [end:rotate]


# --8<-- [start:losses]
def keep_one_loss(sparsity: float) -> float:
    """The loss of W = [[1, 0]], b = (0, feature 2's best constant)."""
    p = 1 - sparsity  # the chance that a feature is present
    # feature 1 comes back exactly; feature 2 costs its variance
    return p / 3 - p**2 / 4


def pair_loss(sparsity: float) -> float:
    """The loss of W = [[1, -1]], b = (0, 0): the antipodal pair."""
    p = 1 - sparsity
    # wrong only when both are present: both outputs miss by the smaller
    return p**2 * 2 * (1 / 6)  # E[min(u, v)^2] = 1/6


# --8<-- [end:losses]


# --8<-- [start:mystery_formula]
def mystery_formula(x: list[float]) -> list[float]:
    """What the mystery model gives back for the features x = [x1, ...,
    x5], each between 0 and 1."""
    x1, x2, x3, x4, x5 = x  # x5 is never read
    return [
        max(x1 - x2, 0.0),  # 1 and 2: an antipodal pair
        max(x2 - x1, 0.0),
        max(x3 + 0.6 * x4 - 0.6, 0.0),  # 3 and 4: 0.6 apart, cut off
        max(0.6 * x3 + x4 - 0.6, 0.0),
        0.05,  # 5: dropped; the bias is its average
    ]


# --8<-- [end:mystery_formula]

if __name__ == "__main__":
    # --8<-- [start:four_in_two_look]
    G = interference(four_in_two)
    print(G)
    # with b = 0, a one-hot input of feature i comes back as ReLU(G[i])
    print(torch.relu(G))
    # --8<-- [end:four_in_two_look]

    # --8<-- [start:half_way]
    with torch.no_grad():
        out = pentagon()(0.5 * torch.eye(5))  # every feature alone, at 0.5
    print("each feature at 0.5 comes back as", out.diagonal())
    # --8<-- [end:half_way]

    # --8<-- [start:weak_fifth]
    result = train(
        n_features=5,
        n_hidden=2,
        sparsity=0.95,
        importance=[1.0, 1.0, 1.0, 1.0, 0.1],
        seed=0,
    )
    W, b = result.model.W.detach(), result.model.b.detach()
    print("shape:", shape(W))
    print("lengths", [round(v, 2) for v in W.norm(dim=0).tolist()])
    print("angles", [round(v) for v in angles(W).tolist()])
    print("b", [round(v, 3) + 0.0 for v in b.tolist()])  # + 0.0: no -0.0
    # --8<-- [end:weak_fifth]

    # --8<-- [start:two_in_one]
    # seed 0 at S = 0.2, then seeds 0 to 19 at S = 0.7, in one run
    seeds = [0] + list(range(20))
    sparsity = torch.tensor([0.2] + [0.7] * 20)
    run = train_many(1, sparsity, torch.ones(21, 2), seeds)
    for k in [0, 1, 2]:
        S, W, b = sparsity[k].item(), run.W[k], run.b[k]
        x = make_batch(2, S, 100_000, seed=1)
        out = torch.relu(x @ W.T @ W + b)
        loss = ((out - x) ** 2).sum(dim=1).mean().item()
        w = [round(v, 2) for v in W[0].tolist()]
        b = [round(v, 2) for v in b.tolist()]
        print(
            f"S = {S:.1f}, seed {seeds[k]}: W = {w}, b = {b}, loss "
            f"{loss:.4f} (keep one {keep_one_loss(S):.4f}, pair "
            f"{pair_loss(S):.4f})"
        )
    # --8<-- [end:two_in_one]

    # --8<-- [start:signs]
    starts = []
    for seed in range(20):
        torch.manual_seed(seed)  # train_many starts this seed here
        starts.append(ToyModel(2, 1).W.detach()[0])
    print(
        "start opposite:", [s for s in range(20) if starts[s].prod() < 0]
    )
    ends = run.W[1:, 0]  # the 20 runs at S = 0.7: (20, 2)
    pairs = (ends.abs() > 0.5).all(dim=1) & (ends.prod(dim=1) < 0)
    print("end as a pair: ", [s for s in range(20) if pairs[s]])
    print("seed 9 starts at", [round(v, 2) for v in starts[9].tolist()])
    # --8<-- [end:signs]

    # --8<-- [start:mystery_look]
    print(interference(mystery.W.detach()))
    with torch.no_grad():
        for value in [1.0, 0.5]:  # each feature alone, at 1 and at 0.5
            print(mystery(value * torch.eye(5)))
    # --8<-- [end:mystery_look]

    # --8<-- [start:mystery_new]
    new = torch.tensor(
        [
            [1.0, 1.0, 0.0, 0.0, 0.0],
            [0.0, 0.0, 1.0, 1.0, 0.0],
            [0.0, 0.0, 2.0, 0.0, 0.0],
        ]
    )
    with torch.no_grad():
        print(mystery(new))
    # --8<-- [end:mystery_new]

    check_mystery(mystery_formula)
