"""Chapter 1: one sigmoid neuron that answers "is x < 10?".

The chapter pages include the sections marked `--8<-- [start:name]`; run
this file (`python -m snippets.less_than`) to see what the chapter's
examples print.
"""

# --8<-- [start:data]
import torch


def make_data() -> tuple[torch.Tensor, torch.Tensor]:
    """Integers -20..39 as a (60, 1) column, labelled 1.0 where x < 10."""
    x = torch.arange(-20, 40, dtype=torch.float32).reshape(-1, 1)
    y = (x < 10).float()
    return x, y


# --8<-- [end:data]

# --8<-- [start:hardwired]
from torch import nn


def hardwired(
    scale: float = 1.0, threshold: float = 10.0
) -> nn.Sequential:
    """One neuron that computes sigmoid(scale * (threshold - x))."""
    model = nn.Sequential(nn.Linear(1, 1), nn.Sigmoid())
    with torch.no_grad():
        model[0].weight.fill_(-scale)  # a = -scale
        model[0].bias.fill_(threshold * scale)  # b = threshold * scale
    return model


# --8<-- [end:hardwired]

# --8<-- [start:train]
from dataclasses import dataclass

import torch.nn.functional as F


@dataclass
class TrainResult:
    model: nn.Sequential  # the trained neuron: Linear(1, 1) then Sigmoid
    # "step", "weight", "bias", "loss": one entry per step
    history: dict[str, list[float]]


def train(
    seed: int = 0,
    steps: int = 5000,
    lr: float = 0.1,
    optimizer: str = "adam",
    centre: float = 0.0,
) -> TrainResult:
    """Fit one sigmoid neuron to make_data(): logistic loss, full batch.

    The neuron reads x - centre: it computes sigmoid(a * (x - centre) + b),
    so its threshold is centre - b/a, and the model it returns expects
    x - centre as input."""
    torch.manual_seed(seed)
    x, y = make_data()
    x = x - centre
    model = nn.Sequential(nn.Linear(1, 1), nn.Sigmoid())
    linear = model[0]
    make_optimizer = (
        torch.optim.Adam if optimizer == "adam" else torch.optim.SGD
    )
    opt = make_optimizer(model.parameters(), lr=lr)
    history = {"step": [], "weight": [], "bias": [], "loss": []}
    for step in range(steps + 1):
        # The loss is computed from the logit a*x + b: the same value as
        # the log-loss of the sigmoid's output, without rounding it first.
        loss = F.binary_cross_entropy_with_logits(linear(x), y)
        history["step"].append(step)
        history["weight"].append(linear.weight.item())
        history["bias"].append(linear.bias.item())
        history["loss"].append(loss.item())
        if step == steps:
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
    return TrainResult(model, history)


# --8<-- [end:train]


# --8<-- [start:hessian]
def loss_hessian(
    weight: float, bias: float, centre: float = 0.0
) -> torch.Tensor:
    """The 2x2 Hessian, in (weight, bias), of the mean logistic loss of
    sigmoid(weight * (x - centre) + bias) on make_data(), in float64."""
    x, _ = make_data()
    # one row (x - centre, 1) per point
    rows = torch.cat([x - centre, torch.ones_like(x)], dim=1).double()
    p = torch.sigmoid(
        rows @ torch.tensor([weight, bias], dtype=torch.float64)
    )
    curvature = p * (1 - p)  # how much each point still bends the loss
    return rows.T @ (curvature[:, None] * rows) / len(rows)


# --8<-- [end:hessian]

# Argument checks, out of the shown code: one answer to bad input
# across the course.
from snippets.checks import checked, choice, integer, number, positive

MAX_STEPS = 1_000_000
hardwired = checked(hardwired, scale=positive(), threshold=number())
train = checked(
    train,
    seed=integer(0, 2**63 - 1),
    steps=integer(0, MAX_STEPS),
    lr=positive(),
    optimizer=choice("adam", "sgd"),
    centre=number(),
)
loss_hessian = checked(
    loss_hessian, weight=number(), bias=number(), centre=number()
)

if __name__ == "__main__":
    # --8<-- [start:show_hardwired]
    model = hardwired(scale=1.0)
    for value in [9.0, 9.5, 10.0, 10.5]:
        p = model(torch.tensor([[value]])).item()
        print(f"x = {value:4}:  output {p:.4f}")
    # --8<-- [end:show_hardwired]

    # --8<-- [start:show_sharpen]
    points = torch.tensor([[9.0], [9.5], [10.0]])
    for scale in [1, 10, 100]:
        outputs = hardwired(scale)(points).flatten().tolist()
        print(f"scale {scale:3}:", "  ".join(f"{p:.4f}" for p in outputs))
    # --8<-- [end:show_sharpen]

    # --8<-- [start:show_train]
    x, y = make_data()
    result = train(seed=0, steps=5000, lr=0.1, optimizer="adam")
    a = result.model[0].weight.item()
    b = result.model[0].bias.item()
    accuracy = ((result.model(x) > 0.5).float() == y).float().mean().item()
    print(f"a = {a:.2f}, b = {b:.2f}, threshold -b/a = {-b / a:.3f}")
    print(
        f"accuracy {accuracy:.0%}, loss {result.history['loss'][-1]:.5f}"
    )
    # --8<-- [end:show_train]

    # --8<-- [start:show_centring]
    for centre in [0.0, 9.5]:
        run = train(
            seed=0, steps=2000, lr=0.01, optimizer="sgd", centre=centre
        )
        pairs = list(
            zip(run.history["weight"], run.history["bias"], strict=True)
        )
        # every point right: x = 9 above the threshold, x = 10 below it
        right = [
            a * (9 - centre) + b > 0 > a * (10 - centre) + b
            for a, b in pairs
        ]
        first = right.index(True) if True in right else "never"
        print(
            f"input x - {centre}:  all 60 points right from step {first}"
        )
        for step in [0, 100, 1000, 2000]:
            hessian = loss_hessian(*pairs[step], centre=centre)
            threshold = centre - pairs[step][1] / pairs[step][0]
            condition = torch.linalg.cond(hessian).item()
            print(
                f"  step {step:4}:  threshold {threshold:6.2f},"
                f"  condition number {condition:6.1f}"
            )
    # --8<-- [end:show_centring]

    # --8<-- [start:show_float32]
    sign = 2 * y - 1  # +1 for label 1, -1 for label 0
    for scale in [10, 100, 1000]:
        logits = hardwired(scale, threshold=9.5)[0](x)
        loss32 = F.binary_cross_entropy_with_logits(logits, y).item()
        # reference: each term log(1 + e^-u), u = sign * logit, in float64
        reference = F.softplus(-sign * logits.double()).mean().item()
        print(
            f"scale {scale:4}:  float32 loss {loss32:.3e},"
            f"  reference {reference:.3e}"
        )
    # --8<-- [end:show_float32]

    # --8<-- [start:show_terms]
    import math

    nearest = torch.tensor([[9.0], [10.0]])  # one on each side of 9.5
    labels = torch.tensor([[1.0], [0.0]])
    for scale in [20, 30, 200]:
        logits = hardwired(scale, threshold=9.5)[0](nearest)
        terms = F.binary_cross_entropy_with_logits(
            logits, labels, reduction="none"
        ).flatten()
        # the true value of both terms
        exact = math.log1p(math.exp(-scale / 2))
        print(
            f"scale {scale:3}:  x = 9: {terms[0]:.3e},"
            f"  x = 10: {terms[1]:.3e},  exact {exact:.3e}"
        )
    z = torch.tensor(-15.0)  # the logit of x = 10 at scale 30
    print("float32 log sigmoid(-15):", F.logsigmoid(z).item())
    # --8<-- [end:show_terms]
