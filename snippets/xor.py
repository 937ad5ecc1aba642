"""Chapter 4: XOR. Why one neuron cannot, the smallest networks that can,
what training finds, and the parity of n bits.

The chapter pages include the sections marked `--8<-- [start:name]`; run
this file (`python -m snippets.xor`) to see what the chapter's examples
print.
"""

# --8<-- [start:data]
import torch


def make_data() -> tuple[torch.Tensor, torch.Tensor]:
    """The four inputs (a, b) as the rows of a (4, 2) tensor, and a XOR b
    as a (4, 1) column."""
    x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = (x[:, :1] != x[:, 1:]).float()  # 1 where the two bits differ
    return x, y


def parity_data(n_bits: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Every vector of n_bits bits, shape (2**n_bits, n_bits), and its
    parity, shape (2**n_bits, 1)."""
    numbers = torch.arange(2**n_bits).reshape(-1, 1)
    # the binary digits of each number
    x = ((numbers >> torch.arange(n_bits - 1, -1, -1)) & 1).float()
    return x, x.sum(dim=1, keepdim=True) % 2


# --8<-- [end:data]

# --8<-- [start:one_neuron]
import itertools


def truth_tables(
    activation, weights: list[float], threshold: float = 0.5
) -> set[tuple]:
    """The truth tables one neuron activation(w_a * a + w_b * b + c)
    computes on the four inputs, read as 1 where its output is above
    threshold, for w_a, w_b, c in weights."""
    x, _ = make_data()
    # one row (w_a, w_b, c) per neuron
    grid = torch.tensor(list(itertools.product(weights, repeat=3)))
    z = x @ grid[:, :2].T + grid[:, 2]  # (4, neurons): a column each
    answers = (activation(z) > threshold).int().T  # (neurons, 4)
    return {tuple(row) for row in answers.tolist()}


# --8<-- [end:one_neuron]

# --8<-- [start:one_relu]
from torch import nn


class SkipNet(nn.Module):
    """ReLU neurons in a chain, each reading the inputs and every neuron
    before it, and a linear read-out of all of them: chapter 3's network,
    with any number of inputs."""

    def __init__(self, n_inputs: int, n_neurons: int):
        super().__init__()
        self.neurons = nn.ModuleList(
            nn.Linear(n_inputs + i, 1) for i in range(n_neurons)
        )
        # a read-out, not a neuron
        self.output = nn.Linear(n_inputs + n_neurons, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        signals = x
        for neuron in self.neurons:
            signals = torch.cat(
                [signals, torch.relu(neuron(signals))], dim=-1
            )
        return self.output(signals)


def one_relu() -> SkipNet:
    """a XOR b = a + b - 2 * ReLU(a + b - 1): one ReLU; the read-out also
    reads a and b."""
    model = SkipNet(n_inputs=2, n_neurons=1)
    with torch.no_grad():
        model.neurons[0].weight.copy_(torch.tensor([[1.0, 1.0]]))
        model.neurons[0].bias.fill_(-1.0)
        # the output's weights on a, b and the ReLU
        model.output.weight.copy_(torch.tensor([[1.0, 1.0, -2.0]]))
        model.output.bias.fill_(0.0)
    return model


# --8<-- [end:one_relu]


# --8<-- [start:layered]
def layered() -> nn.Sequential:
    """a XOR b = |a - b| = ReLU(a - b) + ReLU(b - a): chapter 2's pair of
    ReLUs, in layers."""
    model = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[1.0, -1.0], [-1.0, 1.0]]))
        model[0].bias.zero_()
        model[2].weight.copy_(torch.tensor([[1.0, 1.0]]))
        model[2].bias.zero_()
    return model


# --8<-- [end:layered]

# --8<-- [start:bit_parity]
import math


def bit_parity(n_bits: int) -> SkipNet:
    """The parity of n_bits bits with ceil(log2(n_bits)) ReLUs: fold their
    sum s at 2**(m-1), ..., 4, 2 as in chapter 3, then y - 2 * ReLU(y - 1).
    One bit needs none."""
    n_neurons = math.ceil(math.log2(n_bits))
    model = SkipNet(n_bits, n_neurons)
    # y as weights on the signals [x_1, ..., x_n, h_1, h_2, ...] plus a
    # constant; at first y = s
    y, constant = torch.zeros(n_bits + n_neurons), 0.0
    y[:n_bits] = 1.0
    # 2**(m-1), ..., 4, 2, then 1
    folds = [2**j for j in range(n_neurons - 1, -1, -1)]
    with torch.no_grad():
        for i, (neuron, k) in enumerate(
            zip(model.neurons, folds, strict=True)
        ):
            # h = ReLU(y - k)
            neuron.weight.copy_(y[: n_bits + i].reshape(1, -1))
            neuron.bias.fill_(constant - k)
            # y <- |y - k| = 2h - y + k keeps the parity: k is even
            if k > 1:
                y, constant = -y, k - constant
                y[n_bits + i] = 2.0
            else:  # the last neuron: the output is y - 2h
                y[n_bits + i] = -2.0
        model.output.weight.copy_(y.reshape(1, -1))
        model.output.bias.fill_(constant)
    return model


# --8<-- [end:bit_parity]

# --8<-- [start:train]
from dataclasses import dataclass


def make_model(
    hidden: int = 2, activation: str = "relu", n_bits: int = 2
) -> nn.Sequential:
    """n_bits inputs, one hidden layer, one output. ReLU units get a linear
    read-out, as in chapters 2 and 3; sigmoid units a sigmoid output too,
    like the networks of the XOR papers."""
    if activation == "relu":
        return nn.Sequential(
            nn.Linear(n_bits, hidden), nn.ReLU(), nn.Linear(hidden, 1)
        )
    return nn.Sequential(
        nn.Linear(n_bits, hidden),
        nn.Sigmoid(),
        nn.Linear(hidden, 1),
        nn.Sigmoid(),
    )


@dataclass
class TrainResult:
    model: nn.Sequential
    history: dict[str, list[float]]  # "step", "loss" (mean squared error)


def train(
    seed: int = 0,
    hidden: int = 2,
    activation: str = "relu",
    n_bits: int = 2,
    steps: int = 2000,
    lr: float = 0.01,
) -> TrainResult:
    """Full-batch Adam on the mean squared error over all 2**n_bits inputs
    (n_bits = 2: XOR)."""
    x, y = parity_data(n_bits)
    torch.manual_seed(seed)
    model = make_model(hidden, activation, n_bits)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"step": [], "loss": []}
    for step in range(steps + 1):
        loss = ((model(x) - y) ** 2).mean()
        history["step"].append(step)
        history["loss"].append(loss.item())
        if step == steps:
            break
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return TrainResult(model, history)


# --8<-- [end:train]


# --8<-- [start:outcome]
def outcome(model: nn.Sequential, losses: list[float]) -> str:
    """solved: every output on the right side of 1/2. Otherwise: dead unit,
    if a hidden ReLU is 0 on every input; plateau, if the loss moved less
    than 1e-6 over the last 1000 steps; other."""
    x, y = parity_data(model[0].in_features)
    with torch.no_grad():
        if ((model(x) - y).abs() < 0.5).all():
            return "solved"
        # (inputs, units): every hidden unit on every input
        hidden = model[1](model[0](x))
    if isinstance(model[1], nn.ReLU) and (hidden == 0).all(dim=0).any():
        return "dead unit"
    last = losses[-1001:]
    if max(last) - min(last) < 1e-6:
        return "plateau"
    return "other"


# --8<-- [end:outcome]

if __name__ == "__main__":
    # --8<-- [start:show_one_neuron]
    # -3, -2.5, ..., 3 for w_a, w_b and c
    weights = [i / 2 for i in range(-6, 7)]
    activations = {
        "sigmoid": torch.sigmoid,
        "ReLU": torch.relu,
        "step": lambda z: (z > 0).float(),
        "bump": lambda z: torch.exp(-(z**2)),  # not monotone
    }
    for name, activation in activations.items():
        tables = truth_tables(activation, weights)
        print(
            f"{name:7}: {len(tables):2} of 16 truth tables, "
            f"XOR: {(0, 1, 1, 0) in tables}"
        )
    # --8<-- [end:show_one_neuron]

    # --8<-- [start:show_exact]
    x, y = make_data()
    with torch.no_grad():
        for name, model in [
            ("one_relu", one_relu()),
            ("layered", layered()),
        ]:
            outputs = model(x)
            print(
                f"{name:8}: {outputs.flatten().tolist()}, "
                f"exact: {torch.equal(outputs, y)}"
            )
    print("a XOR b :", y.flatten().tolist())
    # --8<-- [end:show_exact]

    # --8<-- [start:show_bit_parity]
    for n_bits in [1, 2, 3, 4, 5, 8, 9, 16]:
        x, y = parity_data(n_bits)
        model = bit_parity(n_bits)
        with torch.no_grad():
            exact = torch.equal(model(x), y)
        print(
            f"{n_bits:2} bits: {len(model.neurons)} ReLUs, "
            f"exact on all {len(x)} vectors: {exact}"
        )
    # --8<-- [end:show_bit_parity]

    # --8<-- [start:show_train]
    result = train(seed=0)
    x, y = make_data()
    with torch.no_grad():
        # the two ReLUs on the four inputs
        hidden = result.model[1](result.model[0](x))
        outputs = result.model(x).flatten()
    print("outcome:", outcome(result.model, result.history["loss"]))
    print(
        f"loss {result.history['loss'][-1]:.4f}, "
        f"outputs {[round(v, 3) for v in outputs.tolist()]}"
    )
    print("hidden layer, one row per input:")
    print(hidden)
    # --8<-- [end:show_train]

# Argument checks, kept out of the shown code (snippets/checks.py)
import numbers

from snippets.checks import checked, choice, integer, number, positive

# bit_parity: sums up to 64 and weights of 1 and 2 are exact in float32
MAX_BITS = 64
MAX_DATA_BITS = 20  # parity_data: 2**20 rows of 20 bits, 80 MB
MAX_TRAIN_BITS = 16


def a_function(name: str, value):
    if not callable(value):
        raise TypeError(
            f"{name} must be a function of a tensor, "
            f"got {type(value).__name__}"
        )
    return value


def weight_list(name: str, value):
    if not isinstance(value, (list, tuple)):
        raise TypeError(
            f"{name} must be a list of numbers, got {type(value).__name__}"
        )
    if not 1 <= len(value) <= 101:
        raise ValueError(
            f"{name} must hold 1 to 101 numbers, got {len(value)}"
        )
    each = number()
    return [each(f"{name}[{i}]", v) for i, v in enumerate(value)]


def a_trained_network(name: str, value):
    if not isinstance(value, nn.Sequential) or not isinstance(
        value[0], nn.Linear
    ):
        raise TypeError(
            f"{name} must be a network made by make_model, "
            f"got {type(value).__name__}"
        )
    return value


def a_loss_history(name: str, value):
    if not isinstance(value, (list, tuple)):
        raise TypeError(
            f"{name} must be a list of losses, got {type(value).__name__}"
        )
    if not value:
        raise ValueError(f"{name} must hold at least one loss")
    if not all(
        isinstance(v, numbers.Real) and not isinstance(v, bool)
        for v in value
    ):
        raise TypeError(f"{name} must hold numbers only")
    return [float(v) for v in value]


truth_tables = checked(
    truth_tables,
    activation=a_function,
    weights=weight_list,
    threshold=number(),
)
SkipNet.__init__ = checked(
    SkipNet.__init__, n_inputs=integer(1, 1024), n_neurons=integer(0, 64)
)
parity_data = checked(parity_data, n_bits=integer(1, MAX_DATA_BITS))
bit_parity = checked(bit_parity, n_bits=integer(1, MAX_BITS))
make_model = checked(
    make_model,
    hidden=integer(1, 1024),
    activation=choice("relu", "sigmoid"),
    n_bits=integer(1, MAX_TRAIN_BITS),
)
train = checked(
    train,
    seed=integer(),
    hidden=integer(1, 1024),
    activation=choice("relu", "sigmoid"),
    n_bits=integer(1, MAX_TRAIN_BITS),
    steps=integer(0, 100_000),
    lr=positive(10.0),
)
outcome = checked(outcome, model=a_trained_network, losses=a_loss_history)
