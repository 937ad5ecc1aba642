"""Train many copies of a tiny network at once, one per seed, as one
batched computation.

Training one tiny network costs almost nothing in arithmetic and a lot in
Python and PyTorch overhead per step. Stacking K copies (every parameter
gets a leading axis of size K) pays that overhead once per step for all of
them. Seed s of a sweep starts from exactly the weights
`torch.manual_seed(s); make_model()` gives, and since each copy's loss
only depends on its own weights, in exact arithmetic it would follow the
same path as training it alone. In float32 the sums run in another order:
the last digits differ from the first step on, and over many steps the
difference can grow far beyond them, on fast seeds as well as slow ones,
so that a seed trained alone may end in another place than its copy in a
sweep.

Activations are kept "points last": shape (K, units, N) for N examples.
Every operation then runs over long contiguous rows, which is what makes a
sweep fast.
"""

# --8<-- [start:stack]
import torch
from torch import nn


def stack_parameters(
    make_model, seeds: list[int]
) -> dict[str, torch.Tensor]:
    """Build one model per seed; stack each parameter along a new first
    axis."""
    models = []
    for seed in seeds:
        torch.manual_seed(seed)
        models.append(make_model())
    params = [dict(m.named_parameters()) for m in models]
    return {
        name: torch.stack([p[name].detach() for p in params])
        for name in params[0]
    }


def unstack(
    make_model, params: dict[str, torch.Tensor], k: int
) -> nn.Module:
    """Copy number k of a stacked sweep, as an ordinary model."""
    model = make_model()
    model.load_state_dict(
        {name: value[k].detach().clone() for name, value in params.items()}
    )
    return model


# --8<-- [end:stack]


# --8<-- [start:linear_many]
def linear_many(
    h: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor
) -> torch.Tensor:
    """K linear layers at once: weight (K, out, in), bias (K, out),
    h (in, N) or (K, in, N)."""
    k, out, inputs = weight.shape
    if h.dim() == 2:
        # the same input for every copy: one matrix product does them all
        z = weight.reshape(k * out, inputs) @ h
        return z.view(k, out, -1) + bias[:, :, None]
    return torch.baddbmm(bias[:, :, None], weight, h)


# --8<-- [end:linear_many]


# --8<-- [start:sequential_many]
def sequential_many(
    model: nn.Sequential, params: dict[str, torch.Tensor], x: torch.Tensor
) -> torch.Tensor:
    """Run K stacked copies of an nn.Sequential of Linear and activation
    layers on x (N, in)."""
    h = x.T  # points last: (in, N)
    for i, layer in enumerate(model):
        if isinstance(layer, nn.Linear):
            h = linear_many(h, params[f"{i}.weight"], params[f"{i}.bias"])
        else:
            h = layer(h)  # ReLU, Sigmoid: elementwise, any shape
    return h  # (K, out, N): copy k's model(x), transposed


# --8<-- [end:sequential_many]

# --8<-- [start:train_many]
from dataclasses import dataclass


@dataclass
class Sweep:
    seeds: list[int]
    # each (K, ...): copy k was started from seeds[k]
    params: dict[str, torch.Tensor]
    # (steps + 1, K): every copy's mean squared error, step by step
    loss: torch.Tensor


def train_many(
    make_model, forward, seeds: list[int], x, y, steps: int, lr: float
) -> Sweep:
    """Full-batch Adam on the mean squared error, for one copy per seed,
    all at once.

    forward(params, x) must return (K, out, N): what the K models output
    for x (N, in), points last. y is (N, out), as for a single model.
    """
    params = stack_parameters(make_model, seeds)
    params, loss = fit_stacked(forward, params, x, y, steps, lr)
    return Sweep(list(seeds), params, loss)


def fit_stacked(
    forward, params: dict[str, torch.Tensor], x, y, steps: int, lr: float
):
    """Train stacked parameters in place of K models; return them and the
    (steps + 1, K) losses."""
    params = {
        name: p.detach().clone().requires_grad_()
        for name, p in params.items()
    }
    # fused: one kernel for all
    optimizer = torch.optim.Adam(params.values(), lr=lr, fused=True)
    history = []
    for step in range(steps + 1):
        # copy k's loss depends only on copy k's weights, so the gradient
        # of the sum gives every copy exactly the gradient of its own loss
        loss = ((forward(params, x) - y.T) ** 2).mean(dim=(1, 2))
        history.append(loss.detach())
        if step == steps:
            break
        optimizer.zero_grad()
        loss.sum().backward()
        optimizer.step()
    trained = {name: p.detach() for name, p in params.items()}
    return trained, torch.stack(history)


# --8<-- [end:train_many]


# Argument checks, out of the shown code: one answer to bad input
# across the course.
from snippets.checks import checked, integer, positive, seeds  # noqa: E402

MAX_SEEDS, MAX_STEPS = 10_000, 1_000_000


def points_and_targets(arguments: dict) -> None:
    """x is (N, inputs) and y is (N, outputs): one row of each per
    example. A target of another shape would broadcast against the outputs
    and train on the wrong numbers."""
    x, y = arguments["x"], arguments["y"]
    for name, value in [("x", x), ("y", y)]:
        if not isinstance(value, torch.Tensor):
            raise TypeError(
                f"{name} must be a tensor, got {type(value).__name__}"
            )
        if value.dim() != 2:
            raise ValueError(
                f"{name} must have shape (N, features), "
                f"got {tuple(value.shape)}"
            )
    if len(x) != len(y):
        raise ValueError(
            f"x has {len(x)} rows but y has {len(y)}: "
            "one target per example"
        )
    if "params" in arguments:
        with torch.no_grad():
            out = arguments["forward"](arguments["params"], x[:1])
        if out.shape[1:] != (y.shape[1], 1):
            raise ValueError(
                f"forward gives {out.shape[1]} outputs per example "
                f"but y has {y.shape[1]}"
            )


stack_parameters = checked(stack_parameters, seeds=seeds(MAX_SEEDS))
train_many = checked(
    train_many,
    seeds=seeds(MAX_SEEDS),
    steps=integer(0, MAX_STEPS),
    lr=positive(),
    together=points_and_targets,
)
fit_stacked = checked(
    fit_stacked,
    steps=integer(0, MAX_STEPS),
    lr=positive(),
    together=points_and_targets,
)
