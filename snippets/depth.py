"""Chapter 6: depth. The tent map folded k times (the sawtooth), why one
wide layer cannot keep up, and how many pieces trained networks have.

The chapter pages include the sections marked `--8<-- [start:name]`; run
this file (`python -m snippets.depth`) to see what the chapter's examples
print.
"""

# --8<-- [start:tent]
import torch
from torch import nn


def tent() -> nn.Sequential:
    """The tent map on [0, 1], t(x) = 2x up to 1/2 and 2 - 2x after, as a
    strictly layered network: t(x) = 2 ReLU(x) - 4 ReLU(x - 1/2)."""
    model = nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[1.0], [1.0]]))
        model[0].bias.copy_(torch.tensor([0.0, -0.5]))
        model[2].weight.copy_(torch.tensor([[2.0, -4.0]]))
        model[2].bias.zero_()
    return model


# --8<-- [end:tent]


# --8<-- [start:sawtooth]
def sawtooth(k: int, skip: bool = False, height: float = 1.0) -> nn.Module:
    """The tent map applied k times to x in [0, 1]: a sawtooth of 2**k
    pieces. Strictly layered, k hidden layers of two ReLUs; with
    skip=True, k ReLUs in a chain (skip_sawtooth below). A height below 1
    folds with a lower tent, height * t(x)."""
    if skip:
        return skip_sawtooth(k, height)
    up, down = 2.0 * height, -4.0 * height
    layers = []
    for i in range(k):
        linear = nn.Linear(1 if i == 0 else 2, 2)
        with torch.no_grad():
            # both neurons read the tent so far: x at first, then
            # up * h1 + down * h2 from the layer before
            reads = [1.0] if i == 0 else [up, down]
            linear.weight.copy_(torch.tensor([reads, reads]))
            linear.bias.copy_(torch.tensor([0.0, -0.5]))
        layers += [linear, nn.ReLU()]
    read_out = nn.Linear(2, 1)
    with torch.no_grad():
        read_out.weight.copy_(torch.tensor([[up, down]]))
        read_out.bias.zero_()
    return nn.Sequential(*layers, read_out)


# --8<-- [end:sawtooth]


# --8<-- [start:skip_sawtooth]
def skip_sawtooth(k: int, height: float = 1.0) -> nn.Module:
    """One ReLU per fold: with y the tent so far (y = x at first), neuron
    i computes h = ReLU(y - 1/2) and the tent becomes t(y) = 2y - 4h,
    which is exact for y in [0, 1]. SkipNet is chapter 3's chain."""
    model = SkipNet(k)
    # y as weights on the signals [x, h_1, ..., h_k]; no constant is needed
    y = torch.zeros(1 + k)
    y[0] = 1.0
    with torch.no_grad():
        for i, neuron in enumerate(model.neurons):
            neuron.weight.copy_(y[: i + 1].reshape(1, -1))
            neuron.bias.fill_(-0.5)
            y = 2 * height * y
            y[i + 1] = -4.0 * height
        model.output.weight.copy_(y.reshape(1, -1))
        model.output.bias.zero_()
    return model


# --8<-- [end:skip_sawtooth]


# --8<-- [start:shallow]
class Shallow(nn.Module):
    """One hidden layer of ReLUs whose read-out also reads x itself."""

    def __init__(self, n_neurons: int):
        super().__init__()
        self.hidden = nn.Linear(1, n_neurons)
        self.output = nn.Linear(1 + n_neurons, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.output(
            torch.cat([x, torch.relu(self.hidden(x))], dim=-1)
        )


def shallow_sawtooth(k: int, skip: bool = False) -> nn.Module:
    """The same sawtooth with one hidden layer: a ReLU at every kink
    i / 2**k, weight -2**(k+1) or +2**(k+1) by turns, added to a slope of
    2**k. Strictly layered, that slope is one more ReLU, ReLU(x) = x on
    [0, 1]: 2**k neurons. With skip=True the read-out takes 2**k * x
    directly: 2**k - 1 neurons."""
    kinks = torch.arange(1, 2**k) / 2**k
    turns = torch.tensor([(-1.0) ** i for i in range(1, 2**k)])
    weights = turns * 2 ** (k + 1)
    if skip:
        model = Shallow(2**k - 1)
        hidden, read_x = model.hidden, [float(2**k)]
    else:
        model = nn.Sequential(
            nn.Linear(1, 2**k), nn.ReLU(), nn.Linear(2**k, 1)
        )
        hidden, read_x = model[0], []
        kinks = torch.cat([torch.zeros(1), kinks])  # ReLU(x) for the slope
        weights = torch.cat([torch.tensor([float(2**k)]), weights])
    output = model.output if skip else model[2]
    with torch.no_grad():
        hidden.weight.fill_(1.0)
        hidden.bias.copy_(-kinks)
        output.weight.copy_(torch.tensor([read_x + weights.tolist()]))
        output.bias.zero_()
    return model


# --8<-- [end:shallow]


# --8<-- [start:train_many]
import math
from dataclasses import dataclass


def make_model(depth: int, width: int) -> nn.Sequential:
    """x -> depth hidden layers of width ReLUs -> one linear output,
    with PyTorch's random start."""
    sizes = [1] + [width] * depth
    layers = []
    for inputs, outputs in zip(sizes[:-1], sizes[1:], strict=True):
        layers += [nn.Linear(inputs, outputs), nn.ReLU()]
    return nn.Sequential(*layers, nn.Linear(width, 1))


def target_of(name: str, x: torch.Tensor, folds: int) -> torch.Tensor:
    """ "sawtooth": the tent map applied `folds` times; "smooth":
    (1 - cos 4 pi x) / 2, two smooth bumps on [0, 1]."""
    if name == "smooth":
        return (1 - torch.cos(4 * math.pi * x)) / 2
    with torch.no_grad():
        return sawtooth(folds).to(x.dtype)(x)


def points(folds: int, per_piece: int = 16) -> torch.Tensor:
    """x = i / (per_piece * 2**folds) from 0 to 1, as a column: per_piece
    points to each piece of the sawtooth with that many folds."""
    n = per_piece * 2**folds
    return (torch.arange(n + 1) / n).reshape(-1, 1)


@dataclass
class Runs:
    models: list[nn.Sequential]  # one trained network per seed
    losses: torch.Tensor  # (steps + 1, seeds): every run's loss


def train_many(
    depth: int,
    width: int,
    seeds: list[int],
    target: str = "sawtooth",
    steps: int = 1000,
    lr: float = 0.02,
) -> Runs:
    """Train one network per seed at once: full-batch Adam on the mean
    squared error on points(depth, 4), four points to a piece of the
    sawtooth with depth folds (the target "sawtooth"). Network s starts
    where make_model does after torch.manual_seed(s)."""
    starts = []
    for seed in seeds:
        torch.manual_seed(seed)
        starts.append(make_model(depth, width))
    # the same parameter of every network stacked on a leading axis
    params = [
        torch.stack([p.detach() for p in ps]).requires_grad_()
        for ps in zip(*(m.parameters() for m in starts), strict=True)
    ]
    x = points(depth, 4).expand(len(seeds), -1, -1)  # (seeds, N, 1)
    y = target_of(target, x[0], depth)
    # fused: Adam's update for all the parameters in one go; the same
    # algorithm, about a third faster here
    optimizer = torch.optim.Adam(params, lr=lr, fused=True)
    losses = []
    for step in range(steps + 1):
        h = x
        for i in range(0, len(params), 2):  # weight, bias, weight, ...
            h = torch.baddbmm(
                params[i + 1][:, None], h, params[i].transpose(1, 2)
            )
            if i + 2 < len(params):
                h = torch.relu(h)
        loss = ((h - y) ** 2).mean(dim=(1, 2))  # one loss per network
        losses.append(loss.detach())
        if step == steps:
            break
        optimizer.zero_grad()
        loss.sum().backward()
        optimizer.step()
    with torch.no_grad():
        for k, model in enumerate(starts):
            for p, stacked in zip(model.parameters(), params, strict=True):
                p.copy_(stacked[k])
    return Runs(starts, torch.stack(losses))


# --8<-- [end:train_many]


# --8<-- [start:train]
import copy


@dataclass
class TrainResult:
    model: nn.Sequential
    losses: list[float]  # the loss before every step, and at the end


def train(
    depth: int,
    width: int,
    seed: int = 0,
    target: str = "sawtooth",
    steps: int = 1000,
    lr: float = 0.02,
) -> TrainResult:
    """One network: train_many with a single seed."""
    runs = train_many(depth, width, [seed], target, steps, lr)
    return TrainResult(runs.models[0], runs.losses[:, 0].tolist())


def largest_error(model: nn.Module, folds: int) -> float:
    """The largest |model(x) - sawtooth| over points(folds), in float64
    (on a copy: the model itself is left as it is)."""
    x = points(folds).double()
    with torch.no_grad():
        model = copy.deepcopy(model).double()
        return (
            (model(x) - target_of("sawtooth", x, folds)).abs().max().item()
        )


def solves(model: nn.Module, folds: int) -> bool:
    """Success: within 0.05 of the sawtooth at every point of
    points(folds)."""
    return largest_error(model, folds) < 0.05


# --8<-- [end:train]


# shown from parity.py on the page (chapter 3's chain and piece counter)
from snippets.parity import SkipNet, count_pieces

if __name__ == "__main__":
    # --8<-- [start:show_tent]
    x = torch.tensor([[0.0], [0.25], [0.5], [0.75], [1.0]])
    with torch.no_grad():
        print("t(x) at 0, 1/4, 1/2, 3/4, 1:", tent()(x).flatten().tolist())
    # --8<-- [end:show_tent]

    # --8<-- [start:show_sawtooth]
    for k in [1, 2, 3, 4, 8]:
        x = torch.arange(2**k + 1).reshape(-1, 1) / 2**k  # i / 2**k
        with torch.no_grad():
            y = sawtooth(k)(x).flatten()
        # 0, 1, 0, 1, ... at the points i / 2**k
        zigzag = torch.equal(y, (torch.arange(2**k + 1) % 2).float())
        model = sawtooth(k).double()
        pieces = count_pieces(model, 0, 1, step=2.0 ** -(k + 2))
        print(
            f"k = {k}: {pieces:3} pieces, 0 1 0 1 ... at i/2^k: {zigzag}"
        )
    # --8<-- [end:show_sawtooth]

    # --8<-- [start:show_chain]
    for k in [2, 3, 4, 8]:
        chain = sawtooth(k, skip=True)
        x = torch.arange(2 ** (k + 2) + 1).reshape(-1, 1) / 2 ** (k + 2)
        with torch.no_grad():
            same = torch.equal(chain(x), sawtooth(k)(x))
        print(
            f"k = {k}: {len(chain.neurons)} ReLUs in a chain, "
            f"{2 * k:2} in layers, the same function: {same}"
        )
    # --8<-- [end:show_chain]

    # --8<-- [start:show_shallow]
    for k in [1, 2, 3, 4]:
        x = torch.linspace(0, 1, 2 ** (k + 3) + 1, dtype=torch.float64)
        x = x.reshape(-1, 1)
        with torch.no_grad():
            deep = sawtooth(k).double()(x)
            wide = shallow_sawtooth(k).double()(x)
            wide_skip = shallow_sawtooth(k, skip=True).double()(x)
        print(
            f"k = {k}: {2 * k:2} ReLUs deep, {2**k:2} in one layer "
            f"({2**k - 1:2} with a skip), equal: "
            f"{torch.equal(deep, wide) and torch.equal(deep, wide_skip)}"
        )
    # --8<-- [end:show_shallow]

    # --8<-- [start:show_train]
    result = train(depth=3, width=2, seed=0)
    model = result.model
    print(
        f"loss {result.losses[-1]:.4f}, largest error "
        f"{largest_error(model, 3):.3f}, solved: {solves(model, 3)}, "
        f"pieces on [0, 1]: {count_pieces(model.double(), 0, 1, 2**-12)}"
    )
    # --8<-- [end:show_train]

# Argument checks, kept out of the shown code (snippets/checks.py)
from snippets.checks import (
    boolean,
    checked,
    choice,
    column,
    integer,
    network,
    number,
    positive,
    seeds,
)

MAX_FOLDS = 20  # float32 holds i / 2**20 and every weight of sawtooth(20)
MAX_SHALLOW_FOLDS = 14  # 2**14 neurons
MAX_TRAIN_DEPTH = 10  # points(10): 16,385 points a network
MAX_WIDTH, MAX_STEPS, MAX_SEEDS = 256, 100_000, 10_000
TARGETS = choice("sawtooth", "smooth")

sawtooth = checked(
    sawtooth, k=integer(1, MAX_FOLDS), skip=boolean(), height=number(0, 1)
)
skip_sawtooth = checked(
    skip_sawtooth, k=integer(1, MAX_FOLDS), height=number(0, 1)
)
Shallow.__init__ = checked(
    Shallow.__init__, n_neurons=integer(1, 2**MAX_SHALLOW_FOLDS)
)
shallow_sawtooth = checked(
    shallow_sawtooth, k=integer(1, MAX_SHALLOW_FOLDS), skip=boolean()
)
make_model = checked(
    make_model,
    depth=integer(1, MAX_TRAIN_DEPTH),
    width=integer(1, MAX_WIDTH),
)
target_of = checked(
    target_of, name=TARGETS, x=column(), folds=integer(1, MAX_TRAIN_DEPTH)
)
points = checked(
    points, folds=integer(1, MAX_TRAIN_DEPTH), per_piece=integer(1, 64)
)
training = {
    "depth": integer(1, MAX_TRAIN_DEPTH),
    "width": integer(1, MAX_WIDTH),
    "target": TARGETS,
    "steps": integer(0, MAX_STEPS),
    "lr": positive(10.0),
}
train_many = checked(train_many, seeds=seeds(MAX_SEEDS), **training)
train = checked(train, seed=integer(0, 2**63 - 1), **training)
largest_error = checked(
    largest_error,
    model=network(nn.Module),
    folds=integer(1, MAX_TRAIN_DEPTH),
)
solves = checked(
    solves, model=network(nn.Module), folds=integer(1, MAX_TRAIN_DEPTH)
)
