"""Chapter 2: a ReLU network that computes min(a, b), and what training
finds instead.

The chapter pages include the sections marked `--8<-- [start:name]`; run
this file (`python -m snippets.minimum`) to see what the chapter's
examples print.
"""

# --8<-- [start:data]
import torch


def make_data(
    n: int = 1000, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """n pairs of integers drawn from [-50, 50), shape (n, 2), and their
    minimum, shape (n, 1)."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.randint(-50, 50, (n, 2), generator=generator).float()
    y = x.min(dim=1, keepdim=True).values
    return x, y


# --8<-- [end:data]

# --8<-- [start:model]
from torch import nn


class MinModel(nn.Module):
    """Two one-neuron ReLU branches, and a linear output that reads
    [a, b, branch 1, branch 2]."""

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
    """Write [w_a, w_b, bias] into each branch and
    [v_a, v_b, v_1, v_2, bias] into the output."""
    with torch.no_grad():
        for layer, values in [
            (model.branch1, branch1),
            (model.branch2, branch2),
        ]:
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
    history: dict[str, list[float]]  # "epoch", "loss" (mean squared error)


def train(
    seed: int = 0, epochs: int = 3000, lr: float = 0.03
) -> TrainResult:
    """Full-batch Adam on the mean squared error, from the random weights
    of `seed`."""
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

# shown from sweep.py on the page
from snippets.sweep import linear_many, train_many, unstack


# --8<-- [start:forward_many]
def forward_many(
    params: dict[str, torch.Tensor], x: torch.Tensor
) -> torch.Tensor:
    """K stacked MinModels on x (N, 2) at once, points last: (K, 1, N)."""
    points = x.T  # (2, N)
    relu1 = torch.relu(
        linear_many(
            points, params["branch1.weight"], params["branch1.bias"]
        )
    )
    relu2 = torch.relu(
        linear_many(
            points, params["branch2.weight"], params["branch2.bias"]
        )
    )
    # (K, 1, 4): the output's weights on a, b, relu1, relu2
    v = params["output.weight"]
    # v_a*a + v_b*b + bias
    skip = linear_many(points, v[:, :, :2], params["output.bias"])
    return skip + v[:, :, 2:3] * relu1 + v[:, :, 3:4] * relu2


# --8<-- [end:forward_many]


# --8<-- [start:shapes]
def integer_grid() -> torch.Tensor:
    """Every integer pair (a, b) in [-50, 50]^2: 101 * 101 rows."""
    values = torch.arange(-50.0, 51)
    return torch.cartesian_prod(values, values)


def branch_shapes(
    model: MinModel, tol: float = 0.01
) -> list[tuple[str, float]]:
    """Which shape the proof allows each branch
    v*ReLU(w_a*a + w_b*b + bias) is closest to.

    On every integer pair of [-50, 50]^2 the branch is compared with
    "dead" (0), "straight" (v*(w_a*a + w_b*b + bias): never off) and
    "diagonal" (its fold moved onto a = b: v*ReLU(s*(a - b)),
    s = (w_a - w_b)/2). Returns, per branch, the first shape it is within
    tol of and how far it is from it, or ("off", distance to the nearest
    shape)."""
    grid = integer_grid()
    a_minus_b = grid[:, 0] - grid[:, 1]
    # the output's weights on the branches
    v_1, v_2 = model.output.weight.detach()[0, 2:].tolist()
    shapes = []
    with torch.no_grad():
        for branch, v in [(model.branch1, v_1), (model.branch2, v_2)]:
            z = branch(grid)[:, 0]
            s = (branch.weight[0, 0] - branch.weight[0, 1]) / 2
            term = v * torch.relu(z)
            diagonal = v * torch.relu(s * a_minus_b)
            gaps = {
                "dead": term.abs().max().item(),
                "straight": (term - v * z).abs().max().item(),
                "diagonal": (term - diagonal).abs().max().item(),
            }
            close = [name for name, gap in gaps.items() if gap <= tol]
            shapes.append(
                (close[0], gaps[close[0]])
                if close
                else ("off", min(gaps.values()))
            )
    return shapes


# --8<-- [end:shapes]


# --8<-- [start:read_lambda]
def fit_lambda(model: MinModel) -> tuple[float, float]:
    """Fit  lam*a + (1-lam)*b - lam*ReLU(a-b) - (1-lam)*ReLU(b-a)  to the
    weights.

    Dead branches are left out; a straight one adds its line to the skip
    part. Returns (lam, misfit): misfit is 0 for a network of exactly that
    form, and grows with how far its weights are from the closest member
    of the family."""
    shapes = branch_shapes(model)
    v_a, v_b, v_1, v_2 = model.output.weight.detach()[0].tolist()
    bias = model.output.bias.item()
    # the output's weight on ReLU(a-b), on ReLU(b-a)
    on_a_minus_b, on_b_minus_a = 0.0, 0.0
    misfit = 0.0
    branches = [(model.branch1, v_1), (model.branch2, v_2)]
    for (branch, v), (shape, _) in zip(branches, shapes, strict=True):
        w_a, w_b = branch.weight.detach()[0].tolist()
        beta = branch.bias.item()
        if shape == "dead":
            continue
        if shape == "straight":
            # ReLU(l) = l on the square: a line, like the skip part
            v_a, v_b, bias = v_a + v * w_a, v_b + v * w_b, bias + v * beta
            continue
        # v * ReLU(s*(a-b)) = v*s * ReLU(a-b) for s > 0: only v*s counts
        s = (w_a - w_b) / 2
        if s > 0:
            on_a_minus_b += v * s
        else:
            on_b_minus_a += v * -s
        # off the family: a kink away from the line a = b, or not along it
        misfit = max(misfit, abs(v * beta), abs(v * (w_a + w_b)))
    # four estimates of lambda, one per term; in the family they all agree
    estimates = [v_a, 1 - v_b, -on_a_minus_b, 1 + on_b_minus_a]
    lam = sum(estimates) / 4
    return lam, max(abs(bias), misfit, *(abs(e - lam) for e in estimates))


def read_lambda(model: MinModel, tol: float = 0.05) -> float | None:
    """The network's lambda, or None if its weights are more than tol
    from the family."""
    lam, misfit = fit_lambda(model)
    return lam if misfit <= tol else None


# --8<-- [end:read_lambda]


# --8<-- [start:fewest]
class ReLULayer(nn.Module):
    """ReLU neurons that read (a, b), and a linear output that reads the
    neurons and, with skip=True, (a, b) as well. With skip=False the
    network is strictly layered."""

    def __init__(self, neurons: int, skip: bool):
        super().__init__()
        self.skip = skip
        self.hidden = nn.Linear(2, neurons)
        self.output = nn.Linear(neurons + 2 if skip else neurons, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        relus = torch.relu(self.hidden(x))
        return self.output(
            torch.cat([x, relus], dim=-1) if self.skip else relus
        )


def wire(
    hidden: list[list[float]], output: list[float], skip: bool
) -> ReLULayer:
    """hidden: [w_a, w_b, bias] for each neuron; output: its weights,
    then its bias."""
    model = ReLULayer(len(hidden), skip)
    with torch.no_grad():
        model.hidden.weight.copy_(
            torch.tensor([row[:2] for row in hidden])
        )
        model.hidden.bias.copy_(torch.tensor([row[2] for row in hidden]))
        model.output.weight.copy_(torch.tensor([output[:-1]]))
        model.output.bias.fill_(output[-1])
    return model


def one_relu() -> ReLULayer:
    """min(a, b) = a - ReLU(a - b): one ReLU; the skip brings a."""
    return wire([[1.0, -1.0, 0.0]], [1.0, 0.0, -1.0, 0.0], skip=True)


def three_relus() -> ReLULayer:
    """min(a, b) = ReLU(a) - ReLU(-a) - ReLU(a - b), on the whole plane,
    without a skip."""
    return wire(
        [[1.0, 0.0, 0.0], [-1.0, 0.0, 0.0], [1.0, -1.0, 0.0]],
        [1.0, -1.0, -1.0, 0.0],
        skip=False,
    )


def two_relus_on_square() -> ReLULayer:
    """min(a, b) = ReLU(a + 50) - 50 - ReLU(a - b) wherever a >= -50,
    without a skip."""
    return wire(
        [[1.0, 0.0, 50.0], [1.0, -1.0, 0.0]],
        [1.0, -1.0, -50.0],
        skip=False,
    )


# --8<-- [end:fewest]

# Argument checks, out of the shown code: one answer to bad input
# across the course.
from snippets.checks import (  # noqa: E402
    boolean,
    checked,
    integer,
    network,
    number,
    positive,
    sequence,
)

MAX_PAIRS, MAX_EPOCHS, MAX_NEURONS = 1_000_000, 1_000_000, 1024
finite = number()
make_data = checked(
    make_data, n=integer(1, MAX_PAIRS), seed=integer(0, 2**63 - 1)
)
set_weights = checked(
    set_weights,
    model=network(MinModel),
    branch1=sequence(finite, 3),
    branch2=sequence(finite, 3),
    output=sequence(finite, 5),
)
train = checked(
    train,
    seed=integer(0, 2**63 - 1),
    epochs=integer(0, MAX_EPOCHS),
    lr=positive(),
)
branch_shapes = checked(
    branch_shapes, model=network(MinModel), tol=number(lo=0)
)
fit_lambda = checked(fit_lambda, model=network(MinModel))
read_lambda = checked(
    read_lambda, model=network(MinModel), tol=number(lo=0)
)
ReLULayer.__init__ = checked(
    ReLULayer.__init__, neurons=integer(1, MAX_NEURONS), skip=boolean()
)


def wire_shapes(arguments: dict) -> None:
    width = len(arguments["hidden"]) + (2 if arguments["skip"] else 0)
    if len(arguments["output"]) != width + 1:
        raise ValueError(
            f"output must hold {width + 1} numbers (one per input of the "
            f"output, then its bias), got {len(arguments['output'])}"
        )


wire = checked(
    wire,
    hidden=sequence(sequence(finite, 3)),
    output=sequence(finite),
    skip=boolean(),
    together=wire_shapes,
)

if __name__ == "__main__":
    # --8<-- [start:show_hardwired]
    model = hardwired()
    grid = torch.cartesian_prod(
        torch.arange(-50.0, 51), torch.arange(-50.0, 51)
    )
    target = grid.min(dim=1, keepdim=True).values
    with torch.no_grad():
        error = (model(grid) - target).abs().max()
    print(f"{len(grid)} pairs, largest error {error.item()}")
    # --8<-- [end:show_hardwired]

    # --8<-- [start:show_train]
    result = train(seed=0)
    for name, value in result.model.state_dict().items():
        print(
            f"{name:14} {[round(v, 2) for v in value.flatten().tolist()]}"
        )
    print(
        f"loss after {result.history['epoch'][-1]} epochs: "
        f"{result.history['loss'][-1]:.2g}"
    )
    # --8<-- [end:show_train]

    # --8<-- [start:show_shapes]
    for name, net in [
        ("hand-wired", hardwired()),
        ("seed 0", result.model),
    ]:
        print(
            f"{name:10}",
            [(shape, round(gap, 2)) for shape, gap in branch_shapes(net)],
        )
    # --8<-- [end:show_shapes]

    # --8<-- [start:show_lambda]
    print(
        "hand-wired: lambda = {:.3f}, misfit {:.1g}".format(
            *fit_lambda(hardwired())
        )
    )
    print(
        "trained:    lambda = {:.3f}, misfit {:.1g}".format(
            *fit_lambda(result.model)
        )
    )
    # --8<-- [end:show_lambda]

    # --8<-- [start:show_sweep]
    x, y = make_data()
    sweep = train_many(
        MinModel, forward_many, list(range(100)), x, y, steps=3000, lr=0.03
    )
    alone = train(seed=7).model.state_dict()
    copy = unstack(MinModel, sweep.params, 7).state_dict()
    gap = max(
        (alone[name] - copy[name]).abs().max().item() for name in alone
    )
    # the exact last digits depend on the machine and its threads
    if gap < 1e-4:
        print(
            "seed 7 trained alone and in the sweep: "
            "the same weights, to within 1e-4"
        )
    else:
        print(
            "seed 7 trained alone and in the sweep: "
            f"weights differ by up to {gap:.1g}"
        )
    grid = integer_grid()
    with torch.no_grad():
        errors = (
            forward_many(sweep.params, grid)[:, 0] - grid.min(dim=1).values
        ).abs()
    rounds = (errors.max(dim=1).values < 0.5).sum().item()
    print(f"every pair rounds to its minimum for {rounds} of 100 seeds")
    # --8<-- [end:show_sweep]

    # --8<-- [start:show_fewest]
    grid = integer_grid()
    target = grid.min(dim=1, keepdim=True).values
    # three points outside the square
    far = torch.tensor([[-3e6, 1e6], [4e6, -2e6], [-60.0, 0.0]])
    for name, net in [
        ("one ReLU, skip", one_relu()),
        ("three ReLUs", three_relus()),
        ("two ReLUs", two_relus_on_square()),
    ]:
        with torch.no_grad():
            error = (net(grid) - target).abs().max().item()
            print(
                f"{name:14} grid error {error},"
                f" far away {net(far)[:, 0].tolist()}"
            )
    print(f"{'min(a, b)':14} far away {far.min(dim=1).values.tolist()}")
    # --8<-- [end:show_fewest]
