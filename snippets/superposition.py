"""Chapter 5: superposition. More features than neurons: the toy model of
Elhage et al. (2022), the pentagon, and where reading one neuron stops
working.

The chapter pages include the sections marked `--8<-- [start:name]`; run
this file (`python -m snippets.superposition`) to see what the chapter's
examples print.
"""

# --8<-- [start:data]
import torch


def sparse_features(
    shape: tuple[int, ...], keep: torch.Tensor, generator: torch.Generator
) -> torch.Tensor:
    """Features uniform on [0, 1], each present with probability keep
    (broadcast against shape) and 0 otherwise."""
    u = torch.rand(shape, generator=generator)
    # u < keep happens with probability keep, and then u / keep is
    # uniform on [0, 1]: one random number gives both
    return torch.where(u < keep, u / keep, 0.0)


def make_batch(
    n_features: int, sparsity: float, batch_size: int, seed: int = 0
) -> torch.Tensor:
    """batch_size inputs of n_features features, shape (batch_size,
    n_features): each feature is 0 with probability sparsity."""
    generator = torch.Generator().manual_seed(seed)
    keep = torch.tensor(1.0 - sparsity)
    return sparse_features((batch_size, n_features), keep, generator)


# --8<-- [end:data]

# --8<-- [start:model]
from torch import nn


class ToyModel(nn.Module):
    """n_features squeezed into n_hidden dimensions, h = W x, and read
    back as x' = ReLU(W^T h + b)."""

    def __init__(self, n_features: int, n_hidden: int):
        super().__init__()
        self.W = nn.Parameter(torch.empty(n_hidden, n_features))
        nn.init.xavier_normal_(self.W)
        self.b = nn.Parameter(torch.zeros(n_features))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x @ self.W.T  # (N, n_hidden)
        return torch.relu(h @ self.W + self.b)


# --8<-- [end:model]


# --8<-- [start:relu_model]
class ReluToyModel(ToyModel):
    """ToyModel with ReLU neurons in the middle: h = ReLU(W x), x' =
    ReLU(W^T h + b). The same W and b, and the same start for the same
    seed; only forward differs."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(x @ self.W.T)  # (N, n_hidden): the neurons
        return torch.relu(h @ self.W + self.b)


# --8<-- [end:relu_model]

# --8<-- [start:train_many]
import math
from dataclasses import dataclass


@dataclass
class Instances:
    W: torch.Tensor  # (K, n_hidden, n_features): one W per instance
    b: torch.Tensor  # (K, n_features)
    loss: torch.Tensor  # (steps, K): every instance's loss, step by step


def train_many(
    n_hidden: int,
    sparsity: torch.Tensor,
    importance: torch.Tensor,
    seeds: list[int],
    steps: int = 600,
    batch_size: int = 256,
    lr: float = 0.03,
    privileged: bool = False,
) -> Instances:
    """Train K toy models at once, one per seed: instance k sees features
    of sparsity[k] (shape (K,)), weighted by importance[k] (shape (K,
    n_features)), a new batch every step. privileged=True trains
    ReluToyModels, with ReLU neurons, instead of ToyModels."""
    n_features = importance.shape[1]
    starts = []
    for seed in seeds:  # instance k starts where ToyModel does
        torch.manual_seed(seed)
        starts.append(ToyModel(n_features, n_hidden).W.detach())
    W = torch.stack(starts).requires_grad_()
    b = torch.zeros(len(seeds), 1, n_features, requires_grad=True)
    keep = (1.0 - sparsity).reshape(-1, 1, 1)
    weight = importance[:, None, :]  # (K, 1, n_features)
    generator = torch.Generator().manual_seed(seeds[0])
    optimizer = torch.optim.Adam([W, b], lr=lr)
    losses = []
    for step in range(steps):
        shape = (len(seeds), batch_size, n_features)
        x = sparse_features(shape, keep, generator)
        if privileged:  # h = ReLU(W x), x' = ReLU(W^T h + b)
            h = torch.relu(x @ W.transpose(1, 2))  # (K, batch, hidden)
            out = torch.relu(torch.baddbmm(b, h, W))
        else:  # x' = ReLU(x W^T W + b) for every instance
            out = torch.relu(torch.baddbmm(b, x, W.transpose(1, 2) @ W))
        loss = (weight * (out - x) ** 2).sum(dim=2).mean(dim=1)
        # the step size falls from lr to 0 along half a cosine, so that
        # every instance settles instead of jittering with its batches
        optimizer.param_groups[0]["lr"] = (
            lr * (1 + math.cos(math.pi * step / steps)) / 2
        )
        optimizer.zero_grad()
        loss.sum().backward()
        optimizer.step()
        losses.append(loss.detach())
    return Instances(W.detach(), b.detach()[:, 0], torch.stack(losses))


# --8<-- [end:train_many]


# --8<-- [start:train]
def instance(run: Instances, k: int, privileged: bool = False) -> ToyModel:
    """Instance k of a batched run as a model of its own: a ToyModel, or
    a ReluToyModel if the run was privileged."""
    n_hidden, n_features = run.W.shape[1:]
    if privileged:
        model = ReluToyModel(n_features, n_hidden)
    else:
        model = ToyModel(n_features, n_hidden)
    with torch.no_grad():
        model.W.copy_(run.W[k])
        model.b.copy_(run.b[k])
    return model


@dataclass
class TrainResult:
    model: ToyModel  # a ReluToyModel if privileged
    losses: list[float]  # the loss at every step


def train(
    n_features: int = 5,
    n_hidden: int = 2,
    sparsity: float = 0.9,
    importance: list[float] | None = None,
    seed: int = 0,
    steps: int = 600,
    batch_size: int = 256,
    lr: float = 0.03,
    privileged: bool = False,
) -> TrainResult:
    """One toy model: train_many with a single instance."""
    if importance is None:
        importance = [1.0] * n_features  # every feature equally important
    run = train_many(
        n_hidden,
        torch.tensor([sparsity]),
        torch.tensor([importance]),
        [seed],
        steps,
        batch_size,
        lr,
        privileged,
    )
    model = instance(run, 0, privileged)
    return TrainResult(model, run.loss[:, 0].tolist())


# --8<-- [end:train]


# --8<-- [start:shape]
def angles(W: torch.Tensor) -> torch.Tensor:
    """The angles, in degrees, between neighbouring columns of a 2-row W,
    going once round the circle (they add up to 360)."""
    around = torch.sort(torch.atan2(W[1], W[0])).values
    gaps = torch.diff(around, append=around[:1] + 2 * math.pi)
    return torch.rad2deg(gaps)


def regular(W: torch.Tensor) -> bool:
    """Do the columns of a 2-row W form a regular polygon round 0: all of
    one length (within 10 %), neighbours 360/n degrees apart (within 5)?"""
    norms = W.norm(dim=0)
    same_length = norms.max() <= 1.1 * norms.min()
    even_angles = (angles(W) - 360 / W.shape[1]).abs() <= 5
    return bool(same_length and even_angles.all())


def shape(W: torch.Tensor) -> str:
    """What a trained 2-row W draws: "regular" (for 5 features, the
    pentagon); "one short" (the other columns regular, for 5 features four
    at right angles, and one less than half as long: shrunk or dropped);
    or "other"."""
    if regular(W):
        return "regular"
    norms = W.norm(dim=0)
    shortest = norms.argmin()
    others = torch.arange(W.shape[1]) != shortest
    if (
        W.shape[1] > 3
        and regular(W[:, others])
        and norms[shortest] < 0.5 * norms[others].min()
    ):
        return "one short"
    return "other"


# --8<-- [end:shape]

# --8<-- [start:rotation]
import copy


def random_rotation(n: int, seed: int = 0) -> torch.Tensor:
    """A random n x n rotation matrix R: orthogonal (R^T R = I, so it
    keeps lengths and angles) with determinant 1."""
    generator = torch.Generator().manual_seed(seed)
    # the Q of any QR decomposition is orthogonal
    R, _ = torch.linalg.qr(torch.randn(n, n, generator=generator))
    if torch.linalg.det(R) < 0:
        R[:, 0] = -R[:, 0]  # a mirror image: one flip makes it a rotation
    return R


def rotated(model: ToyModel, R: torch.Tensor) -> ToyModel:
    """A copy of model with W replaced by R W, for an orthogonal R: a
    rotation, or a mirror image such as swapping two neurons."""
    turned = copy.deepcopy(model)
    with torch.no_grad():
        turned.W.copy_(R @ model.W)
    return turned


# --8<-- [end:rotation]


# --8<-- [start:neurons]
def represented(model: ToyModel, threshold: float = 0.5) -> torch.Tensor:
    """Which features the model represents, one bool per feature: feature
    i is represented if its output x'_i, given feature i alone at 1 (x =
    e_i), is more than threshold above its output for x = 0."""
    n_features = model.W.shape[1]
    with torch.no_grad():
        alone = model(torch.eye(n_features)).diagonal()  # x'_i for e_i
        nothing = model(torch.zeros(1, n_features))[0]
    return alone - nothing > threshold


def responds(model: ReluToyModel, fraction: float = 0.5) -> torch.Tensor:
    """Which features each neuron responds to, shape (n_hidden,
    n_features): neuron j responds to feature i if its activation on
    x = e_i is above 0 and at least fraction of its largest activation
    on any single feature."""
    # on x = e_i the neurons are h = ReLU(W e_i): column i of ReLU(W)
    h = torch.relu(model.W.detach())
    largest = h.max(dim=1, keepdim=True).values
    return (h > 0) & (h >= fraction * largest)


def polysemantic(
    model: ReluToyModel, threshold: float = 0.5, fraction: float = 0.5
) -> torch.Tensor:
    """Which neurons are polysemantic, one bool per neuron: those that
    respond to two or more represented features."""
    both = responds(model, fraction) & represented(model, threshold)
    return both.sum(dim=1) >= 2


# --8<-- [end:neurons]

if __name__ == "__main__":
    # --8<-- [start:show_batch]
    x = make_batch(n_features=5, sparsity=0.9, batch_size=8, seed=0)
    print(x)
    print(
        "share of zeros:", (make_batch(5, 0.9, 10_000) == 0).float().mean()
    )
    # --8<-- [end:show_batch]

    # --8<-- [start:show_train]
    result = train(n_features=5, n_hidden=2, sparsity=0.95, seed=0)
    W = result.model.W.detach()
    print("loss", round(result.losses[-1], 4), "shape:", shape(W))
    print("column lengths", [round(v, 3) for v in W.norm(dim=0).tolist()])
    print(
        "angles between neighbours",
        [round(a, 1) for a in angles(W).tolist()],
    )
    # --8<-- [end:show_train]

    # --8<-- [start:show_rotation]
    R = random_rotation(2, seed=0)
    x = make_batch(5, 0.95, 1000, seed=1)
    with torch.no_grad():
        change = rotated(result.model, R)(x) - result.model(x)
    print("W -> R W changes the outputs by at most", change.abs().max())
    # --8<-- [end:show_rotation]

    # --8<-- [start:show_neurons]
    importance = [0.7**i for i in range(5)]  # feature 0 matters most
    for sparsity in [0.0, 0.9]:
        model = train(
            sparsity=sparsity,
            importance=importance,
            steps=1000,
            batch_size=48,
            lr=0.1,
            privileged=True,
        ).model
        print("sparsity", sparsity, "W, one row per neuron:")
        for row in model.W.tolist():
            print("   ", [round(v, 2) + 0.0 for v in row])
        print("represented features", represented(model))
        print("polysemantic neurons", polysemantic(model))
        with torch.no_grad():
            change = rotated(model, R)(x) - model(x)
        print("W -> R W changes the outputs by", change.abs().max())
    # --8<-- [end:show_neurons]

# Argument checks, kept out of the shown code (snippets/checks.py)
from snippets.checks import (
    boolean,
    checked,
    integer,
    network,
    number,
    optional,
    positive,
    seeds,
    sequence,
)

MAX_FEATURES = 1000
MAX_BATCH = 100_000
MAX_INSTANCES = 10_000


def float_tensor(dims: int):
    def check(name: str, value):
        if not isinstance(value, torch.Tensor):
            raise TypeError(
                f"{name} must be a tensor, got {type(value).__name__}"
            )
        if not value.is_floating_point():
            raise TypeError(f"{name} must hold floats, got {value.dtype}")
        if value.dim() != dims or 0 in value.shape:
            raise ValueError(
                f"{name} must have {dims} non-empty dimension(s), "
                f"got shape {tuple(value.shape)}"
            )
        if not torch.isfinite(value).all():
            raise ValueError(f"{name} must hold finite numbers only")
        return value

    return check


def two_rows(name: str, value):
    value = float_tensor(2)(name, value)
    if value.shape[0] != 2 or value.shape[1] < 2:
        raise ValueError(
            f"{name} must have 2 rows and at least 2 columns, "
            f"got shape {tuple(value.shape)}"
        )
    return value


def fewer_hidden(arguments: dict) -> None:
    n_features, n_hidden = arguments["n_features"], arguments["n_hidden"]
    if n_hidden >= n_features:
        raise ValueError(
            f"n_hidden must be smaller than n_features ({n_features}), "
            f"got {n_hidden}"
        )
    importance = arguments["importance"]
    if importance is not None and len(importance) != n_features:
        raise ValueError(
            f"importance must hold one number per feature "
            f"({n_features}), got {len(importance)}"
        )


def instances_agree(arguments: dict) -> None:
    sparsity, importance = arguments["sparsity"], arguments["importance"]
    count = len(arguments["seeds"])
    if sparsity.shape != (count,) or importance.shape[0] != count:
        raise ValueError(
            f"sparsity must have shape ({count},) and importance "
            f"({count}, n_features), one row per seed; got "
            f"{tuple(sparsity.shape)} and {tuple(importance.shape)}"
        )
    if ((sparsity < 0) | (sparsity >= 1)).any():
        raise ValueError("every sparsity must be in [0, 1)")
    if (importance < 0).any():
        raise ValueError("every importance must be 0 or more")
    if arguments["n_hidden"] >= importance.shape[1]:
        raise ValueError(
            f"n_hidden must be smaller than the number of features "
            f"({importance.shape[1]}), got {arguments['n_hidden']}"
        )


def a_run(name: str, value):
    if not isinstance(value, Instances):
        raise TypeError(
            f"{name} must be what train_many returns (Instances), "
            f"got {type(value).__name__}"
        )
    return value


def k_in_run(arguments: dict) -> None:
    count = arguments["run"].W.shape[0]
    if arguments["k"] >= count:
        raise ValueError(
            f"k must be below the number of instances ({count}), "
            f"got {arguments['k']}"
        )


def square_orthogonal(arguments: dict) -> None:
    R, W = arguments["R"], arguments["model"].W
    n_hidden = W.shape[0]
    if R.dtype != W.dtype:
        raise TypeError(f"R must hold {W.dtype} like W, got {R.dtype}")
    if R.shape != (n_hidden, n_hidden):
        raise ValueError(
            f"R must be {n_hidden} x {n_hidden}, one row and column per "
            f"hidden dimension; got shape {tuple(R.shape)}"
        )
    if not torch.allclose(R.T @ R, torch.eye(n_hidden), atol=1e-4):
        raise ValueError("R must be orthogonal: R^T R = I")


make_batch = checked(
    make_batch,
    n_features=integer(1, MAX_FEATURES),
    sparsity=number(0.0, 1.0),
    batch_size=integer(1, MAX_BATCH),
    seed=integer(),
)
ToyModel.__init__ = checked(
    ToyModel.__init__,
    n_features=integer(1, MAX_FEATURES),
    n_hidden=integer(1, MAX_FEATURES),
)
train_many = checked(
    train_many,
    together=instances_agree,
    n_hidden=integer(1, MAX_FEATURES),
    sparsity=float_tensor(1),
    importance=float_tensor(2),
    seeds=seeds(MAX_INSTANCES),
    steps=integer(1, 100_000),
    batch_size=integer(1, MAX_BATCH),
    lr=positive(10.0),
    privileged=boolean(),
)
instance = checked(
    instance,
    together=k_in_run,
    run=a_run,
    k=integer(0),
    privileged=boolean(),
)
train = checked(
    train,
    together=fewer_hidden,
    n_features=integer(2, MAX_FEATURES),
    n_hidden=integer(1, MAX_FEATURES),
    sparsity=number(0.0, 0.999),
    importance=optional(sequence(number(0.0), fewest=2)),
    seed=integer(),
    steps=integer(1, 100_000),
    batch_size=integer(1, MAX_BATCH),
    lr=positive(10.0),
    privileged=boolean(),
)
angles = checked(angles, W=two_rows)
regular = checked(regular, W=two_rows)
shape = checked(shape, W=two_rows)
random_rotation = checked(
    random_rotation, n=integer(1, MAX_FEATURES), seed=integer()
)
rotated = checked(
    rotated,
    together=square_orthogonal,
    model=network(ToyModel),
    R=float_tensor(2),
)
represented = checked(
    represented, model=network(ToyModel), threshold=number(0.0, 1.0)
)
responds = checked(
    responds, model=network(ReluToyModel), fraction=number(0.0, 1.0)
)
polysemantic = checked(
    polysemantic,
    model=network(ReluToyModel),
    threshold=number(0.0, 1.0),
    fraction=number(0.0, 1.0),
)
