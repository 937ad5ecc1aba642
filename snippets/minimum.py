"""Chapter 2: a ReLU network that computes min(a, b), and what training finds instead.

The chapter pages include the sections marked `--8<-- [start:name]`; run this file
(`python -m snippets.minimum`) to see what the chapter's examples print.
"""

# --8<-- [start:data]
import torch


def make_data(n: int = 1000, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """n pairs of integers drawn from [-50, 50), shape (n, 2), and their minimum, shape (n, 1)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be an int >= 1, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    generator = torch.Generator().manual_seed(seed)
    x = torch.randint(-50, 50, (n, 2), generator=generator).float()
    y = x.min(dim=1, keepdim=True).values
    return x, y


# --8<-- [end:data]

# --8<-- [start:model]
from torch import nn


class MinModel(nn.Module):
    """Two one-neuron ReLU branches, and a linear output reading [a, b, branch 1, branch 2]."""

    def __init__(self):
        super().__init__()
        self.branch1 = nn.Linear(2, 1)  # meant for ReLU(a - b)
        self.branch2 = nn.Linear(2, 1)  # meant for ReLU(b - a)
        self.output = nn.Linear(4, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        relu1 = torch.relu(self.branch1(x))
        relu2 = torch.relu(self.branch2(x))
        return self.output(torch.cat([x, relu1, relu2], dim=-1))


# --8<-- [end:model]


# --8<-- [start:hardwired]
def set_weights(model: MinModel, branch1, branch2, output) -> MinModel:
    """Write [w_a, w_b, bias] into each branch and [v_a, v_b, v_1, v_2, bias] into the output."""
    with torch.no_grad():
        for layer, values in [(model.branch1, branch1), (model.branch2, branch2)]:
            layer.weight.copy_(torch.tensor([values[:2]]))
            layer.bias.fill_(values[2])
        model.output.weight.copy_(torch.tensor([output[:4]]))
        model.output.bias.fill_(output[4])
    return model


def hardwired() -> MinModel:
    """min(a, b) = (a + b - ReLU(a - b) - ReLU(b - a)) / 2."""
    return set_weights(
        MinModel(),
        branch1=[1.0, -1.0, 0.0],  # ReLU(a - b)
        branch2=[-1.0, 1.0, 0.0],  # ReLU(b - a)
        output=[0.5, 0.5, -0.5, -0.5, 0.0],
    )


# --8<-- [end:hardwired]

# --8<-- [start:train]
from dataclasses import dataclass


@dataclass
class TrainResult:
    model: MinModel
    history: dict[str, list[float]]  # "epoch" and "loss" (mean squared error)


def train(seed: int = 0, epochs: int = 3000, lr: float = 0.03) -> TrainResult:
    """Full-batch Adam on the mean squared error, from the random weights of `seed`."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"epochs must be an int >= 0, got {epochs!r}")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not lr > 0:
        raise ValueError(f"lr must be a number > 0, got {lr!r}")
    x, y = make_data()
    torch.manual_seed(seed)
    model = MinModel()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"epoch": [], "loss": []}
    for epoch in range(epochs + 1):
        loss = ((model(x) - y) ** 2).mean()
        history["epoch"].append(epoch)
        history["loss"].append(loss.item())
        if epoch == epochs:
            break
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return TrainResult(model, history)


# --8<-- [end:train]

from snippets.sweep import linear_many, train_many, unstack  # shown from sweep.py on the page


# --8<-- [start:forward_many]
def forward_many(params: dict[str, torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """K stacked MinModels on x (N, 2) at once, points last: returns (K, 1, N)."""
    points = x.T  # (2, N)
    relu1 = torch.relu(linear_many(points, params["branch1.weight"], params["branch1.bias"]))
    relu2 = torch.relu(linear_many(points, params["branch2.weight"], params["branch2.bias"]))
    v = params["output.weight"]  # (K, 1, 4): the output's weights on a, b, relu1, relu2
    skip = linear_many(points, v[:, :, :2], params["output.bias"])  # v_a*a + v_b*b + bias
    return skip + v[:, :, 2:3] * relu1 + v[:, :, 3:4] * relu2


# --8<-- [end:forward_many]


# --8<-- [start:read_lambda]
def fit_lambda(model: MinModel) -> tuple[float, float]:
    """Fit  lam*a + (1-lam)*b - lam*ReLU(a-b) - (1-lam)*ReLU(b-a)  to the weights.

    Returns (lam, misfit): misfit is 0 for a network of exactly that form, and grows
    with how far its weights are from the closest member of the family."""
    v_a, v_b, v_1, v_2 = model.output.weight.detach()[0].tolist()
    on_a_minus_b, on_b_minus_a = 0.0, 0.0  # output weight on ReLU(a-b), on ReLU(b-a)
    misfit = abs(model.output.bias.item())
    for branch, v in [(model.branch1, v_1), (model.branch2, v_2)]:
        w_a, w_b = branch.weight.detach()[0].tolist()
        bias = branch.bias.item()
        if 50 * (abs(w_a) + abs(w_b)) + bias <= 0:
            continue  # never active on [-50, 50]^2: the branch is dead
        # v * ReLU(s*(a-b)) = v*s * ReLU(a-b) for s > 0: only the product v*s counts
        s = (w_a - w_b) / 2
        if s > 0:
            on_a_minus_b += v * s
        else:
            on_b_minus_a += v * -s
        # off the family: a kink away from the line a = b, or not along it
        misfit = max(misfit, abs(v * bias), abs(v * (w_a + w_b)))
    # four estimates of lambda, one per term; in the family they all agree
    estimates = [v_a, 1 - v_b, -on_a_minus_b, 1 + on_b_minus_a]
    lam = sum(estimates) / 4
    return lam, max(misfit, *(abs(e - lam) for e in estimates))


def read_lambda(model: MinModel, tol: float = 0.05) -> float | None:
    """The network's lambda, or None if its weights are more than tol from the family."""
    lam, misfit = fit_lambda(model)
    return lam if misfit <= tol else None


# --8<-- [end:read_lambda]

if __name__ == "__main__":
    # --8<-- [start:show_hardwired]
    model = hardwired()
    grid = torch.cartesian_prod(torch.arange(-50.0, 51), torch.arange(-50.0, 51))
    with torch.no_grad():
        error = (model(grid) - grid.min(dim=1, keepdim=True).values).abs().max()
    print(f"{len(grid)} pairs, largest error {error.item()}")
    # --8<-- [end:show_hardwired]

    # --8<-- [start:show_train]
    result = train(seed=0)
    for name, value in result.model.state_dict().items():
        print(f"{name:14} {[round(v, 2) for v in value.flatten().tolist()]}")
    print(f"loss after {result.history['epoch'][-1]} epochs: {result.history['loss'][-1]:.2g}")
    # --8<-- [end:show_train]

    # --8<-- [start:show_lambda]
    print("hand-wired: lambda = {:.3f}, misfit {:.1g}".format(*fit_lambda(hardwired())))
    print("trained:    lambda = {:.3f}, misfit {:.1g}".format(*fit_lambda(result.model)))
    # --8<-- [end:show_lambda]

    # --8<-- [start:show_sweep]
    x, y = make_data()
    sweep = train_many(MinModel, forward_many, list(range(100)), x, y, steps=3000, lr=0.03)
    alone = train(seed=7).model.state_dict()
    copy = unstack(MinModel, sweep.params, 7).state_dict()
    gap = max((alone[name] - copy[name]).abs().max().item() for name in alone)
    print(f"seed 7 trained alone vs in the sweep: largest weight difference {gap:.1g}")
    lambdas = [read_lambda(unstack(MinModel, sweep.params, k)) for k in range(100)]
    print("lambda readable for", sum(lam is not None for lam in lambdas), "of 100 seeds")
    # --8<-- [end:show_sweep]
