"""Chapter 3: the parity of an integer (x mod 2), two constructions, and
training.

The chapter pages include the sections marked `--8<-- [start:name]`; run
this file (`python -m snippets.parity`) to see what the chapter's
examples print.
"""

# --8<-- [start:data]
import torch


def make_data(n_bits: int = 4) -> tuple[torch.Tensor, torch.Tensor]:
    """The integers 0 .. 2**n_bits - 1 as a column, and x mod 2."""
    x = torch.arange(2**n_bits, dtype=torch.float32).reshape(-1, 1)
    return x, x % 2


# --8<-- [end:data]

# --8<-- [start:hardwired]
from torch import nn


def steps_for(n_bits: int) -> list[int]:
    """The k of each |y - k| step: 2**(n-1), ..., 4, 2, then 1 and 1."""
    return [2**j for j in range(n_bits - 1, 0, -1)] + [1, 1]


def layered_shape(n_bits: int) -> list[int]:
    """Widths of the strictly layered network: input, two ReLUs a step,
    output."""
    return [1] + [2] * len(steps_for(n_bits)) + [1]


def layered(widths: list[int], output_relu: bool = False) -> nn.Sequential:
    """Linear, ReLU, Linear, ReLU, ..., Linear (and a last ReLU if
    asked)."""
    layers = []
    for i in range(1, len(widths)):
        layers += [nn.Linear(widths[i - 1], widths[i]), nn.ReLU()]
    return nn.Sequential(*(layers if output_relu else layers[:-1]))


def hardwired(n_bits: int = 4) -> nn.Sequential:
    """The article's construction: y -> |y - k| for each k of
    steps_for(n_bits)."""
    model = layered(layered_shape(n_bits))
    linears = [layer for layer in model if isinstance(layer, nn.Linear)]
    with torch.no_grad():
        for i, (linear, k) in enumerate(
            zip(linears, steps_for(n_bits), strict=False)
        ):
            # neurons ReLU(y - k) and ReLU(k - y); y is x at first, then
            # the sum of the pair
            sign = torch.tensor([[1.0], [-1.0]])
            linear.weight.copy_(sign if i == 0 else sign.repeat(1, 2))
            linear.bias.copy_(torch.tensor([-k, k]))
        # |y - 1| = ReLU(y - 1) + ReLU(1 - y)
        linears[-1].weight.fill_(1.0)
        linears[-1].bias.zero_()
    return model


# --8<-- [end:hardwired]


# --8<-- [start:layered_smaller]
def wire_folds(linears: list[nn.Linear], ks: list[int]) -> None:
    """Layer i gets the neurons ReLU(y - k) and ReLU(k - y), k = ks[i],
    whose sum is |y - k|; y is x for the first layer, then the sum of the
    previous pair."""
    with torch.no_grad():
        for i, (linear, k) in enumerate(
            zip(linears[: len(ks)], ks, strict=True)
        ):
            sign = torch.tensor([[1.0], [-1.0]])
            linear.weight.copy_(sign if i == 0 else sign.repeat(1, 2))
            linear.bias.copy_(torch.tensor([-k, k]))


def trimmed(n_bits: int = 4) -> nn.Sequential:
    """hardwired(n_bits) without its last fold, 2 * n_bits ReLUs: the
    read-out computes 1 - |y - 1| = 1 - ReLU(y - 1) - ReLU(1 - y) from the
    pair before it."""
    # drop the last pair of ReLUs and the read-out
    model = hardwired(n_bits)[:-3]
    readout = nn.Linear(2, 1)
    with torch.no_grad():
        readout.weight.fill_(-1.0)
        readout.bias.fill_(1.0)
    return model.append(readout)


def compact(n_bits: int = 4) -> nn.Sequential:
    """2 * n_bits - 1 ReLUs in strict layers: folds at k = 2**(n-1), ..., 4
    bring y into {0, 1, 2, 3, 4} with the parity of x, then three ReLUs
    finish the job: 6 - ReLU(3y - 2) + 2 * ReLU(y - 2) - 2 * ReLU(3 - y)
    is 0, 1, 0, 1, 0 there. It needs n_bits >= 2 (for 1 bit, the read-out
    alone will do)."""
    ks = [2**j for j in range(n_bits - 1, 1, -1)]  # none for 2 bits
    model = layered([1] + [2] * len(ks) + [3, 1])
    linears = [layer for layer in model if isinstance(layer, nn.Linear)]
    wire_folds(linears, ks)
    inputs = 2 if ks else 1  # y is the sum of the last pair, or x itself
    with torch.no_grad():
        linears[-2].weight.copy_(
            torch.tensor([[3.0], [1.0], [-1.0]]).repeat(1, inputs)
        )
        linears[-2].bias.copy_(torch.tensor([-2.0, -2.0, 3.0]))
        linears[-1].weight.copy_(torch.tensor([[-1.0, 2.0, -2.0]]))
        linears[-1].bias.fill_(6.0)
    return model


# --8<-- [end:layered_smaller]


# --8<-- [start:layered_bound]
def laps_bound(widths: list[int]) -> int:
    """The most laps (stretches where the output only rises or only falls)
    that the proof allows a strictly layered network with these hidden
    widths and a linear read-out; widths [] is the read-out alone."""
    if not widths:
        return 1
    # a first layer of one ReLU adds nothing
    while len(widths) > 1 and widths[0] == 1:
        widths = widths[1:]
    pieces = 1
    for m in widths[:-1]:
        pieces *= m + 1  # m ReLUs cut each piece at most m times
    last = widths[-1]
    # laps per piece in the last layer
    return pieces * (last if last <= 2 else last + 1)


def width_sequences(total: int) -> list[list[int]]:
    """Every list of positive widths that add up to total."""
    if total == 0:
        return [[]]
    return [
        [m] + rest
        for m in range(1, total + 1)
        for rest in width_sequences(total - m)
    ]


def fewest_layered(n_bits: int) -> int:
    """The fewest ReLUs for which some strictly layered network passes the
    bound: 2**n_bits alternating labels need 2**n_bits - 1 laps."""
    total = 0
    while (
        max(laps_bound(w) for w in width_sequences(total)) < 2**n_bits - 1
    ):
        total += 1
    return total


# --8<-- [end:layered_bound]


# --8<-- [start:minimal]
class SkipNet(nn.Module):
    """ReLU neurons in a chain; each reads the input and every neuron
    before it."""

    def __init__(self, n_neurons: int):
        super().__init__()
        self.neurons = nn.ModuleList(
            nn.Linear(1 + i, 1) for i in range(n_neurons)
        )
        # a linear read-out, not a neuron
        self.output = nn.Linear(1 + n_neurons, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        signals = x
        for neuron in self.neurons:
            signals = torch.cat(
                [signals, torch.relu(neuron(signals))], dim=-1
            )
        return self.output(signals)


def minimal(n_bits: int = 4) -> SkipNet:
    """n_bits ReLU neurons: |y - k| = 2*ReLU(y - k) - (y - k) for
    k = 2**(n-1), ..., 2, then x mod 2 = y - 2*ReLU(y - 1)."""
    model = SkipNet(n_bits)
    # y as a linear combination of [x, h_1, h_2, ...] plus a constant;
    # it starts as x
    y, constant = torch.zeros(1 + n_bits), 0.0
    y[0] = 1.0
    ks = [2**j for j in range(n_bits - 1, 0, -1)] + [1]
    with torch.no_grad():
        for i, (neuron, k) in enumerate(
            zip(model.neurons, ks, strict=True)
        ):
            neuron.weight.copy_(y[: i + 1])  # h = ReLU(y - k)
            neuron.bias.fill_(constant - k)
            if k > 1:  # y <- |y - k| = 2h - y + k
                y, constant = -y, k - constant
                y[i + 1] = 2.0
        y[n_bits] -= 2.0  # output y - 2 * ReLU(y - 1)
        model.output.weight.copy_(y.reshape(1, -1))
        model.output.bias.fill_(constant)
    return model


# --8<-- [end:minimal]


# --8<-- [start:count_pieces]
def count_pieces(f, lo: float, hi: float, step: float = 1 / 16) -> int:
    """How many linear pieces the one-input function f has on [lo, hi].

    Evaluates f (in float64) on a grid of the given step and counts
    changes of slope. A kink between two grid points leaves one grid
    interval with a blended slope; such a one-interval run is not counted.
    So pieces shorter than 2 * step may be missed."""
    n = round((hi - lo) / step)
    x = torch.linspace(lo, hi, n + 1, dtype=torch.float64).reshape(-1, 1)
    with torch.no_grad():
        y = f(x).flatten()
    slopes = (y[1:] - y[:-1]) / step
    # [slope, length] of each run of equal slopes
    runs = [[slopes[0].item(), 1]]
    for s in slopes[1:].tolist():
        if abs(s - runs[-1][0]) <= 1e-6 * max(1.0, abs(s)):
            runs[-1][1] += 1
        else:
            runs.append([s, 1])
    inner_blends = sum(1 for _, length in runs[1:-1] if length == 1)
    return len(runs) - inner_blends


# --8<-- [end:count_pieces]

# --8<-- [start:train]
from dataclasses import dataclass


@dataclass
class TrainResult:
    model: nn.Sequential
    history: dict[str, list[float]]  # "step", "loss" (mean squared error)


class Centre(nn.Module):
    """A fixed first step: the inputs 0 .. 2**n_bits - 1 onto -1 .. 1."""

    def __init__(self, n_bits: int):
        super().__init__()
        self.half = (2**n_bits - 1) / 2

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.half) / self.half


def initial_model(
    n_bits: int,
    noise: float | None = None,
    output_relu: bool = False,
    width: int = 2,
    positive_biases: bool = False,
    centred: bool = False,
) -> nn.Sequential:
    """Without noise: the article's depth, `width` ReLUs a layer, PyTorch's
    random weights (with positive_biases, every bias made |b|; with
    centred, Centre in front). With noise: hardwired(n_bits) plus Gaussian
    noise of that standard deviation on every parameter."""
    if noise is None:
        model = layered(
            [1] + [width] * len(steps_for(n_bits)) + [1], output_relu
        )
        if positive_biases:
            with torch.no_grad():
                # model is Linear, ReLU, Linear, ReLU, ...
                for linear in model[::2]:
                    linear.bias.abs_()
        return nn.Sequential(Centre(n_bits), *model) if centred else model
    model = hardwired(n_bits)
    if output_relu:
        model.append(nn.ReLU())
    with torch.no_grad():
        for p in model.parameters():
            p.add_(noise * torch.randn_like(p))
    return model


def train(
    n_bits: int = 4,
    seed: int = 0,
    steps: int = 5000,
    lr: float = 0.01,
    noise: float | None = None,
    output_relu: bool = False,
    width: int = 2,
    positive_biases: bool = False,
    centred: bool = False,
) -> TrainResult:
    """Full-batch Adam on the mean squared error on 0 .. 2**n_bits - 1."""
    x, y = make_data(n_bits)
    torch.manual_seed(seed)
    model = initial_model(
        n_bits, noise, output_relu, width, positive_biases, centred
    )
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


def solves(model: nn.Module, n_bits: int) -> bool:
    """Success: every output rounds to x mod 2."""
    x, y = make_data(n_bits)
    with torch.no_grad():
        return bool(((model(x) - y).abs() < 0.5).all())


# --8<-- [end:train]


# --8<-- [start:dead]
def relu_states(
    model: nn.Sequential, x: torch.Tensor
) -> list[torch.Tensor]:
    """For each hidden layer of a layered model, which of its ReLUs are on
    (output > 0) for each input: a (len(x), width) tensor of booleans per
    layer."""
    states, h = [], x
    with torch.no_grad():
        for i, layer in enumerate(model):
            h = layer(h)
            is_output = i + 1 == len(model)
            if isinstance(layer, nn.ReLU) and not is_output:
                states.append(h > 0)
    return states


def dead_layers(model: nn.Sequential, x: torch.Tensor) -> list[int]:
    """The hidden layers (counted from 1) in which every ReLU outputs 0 on
    every input."""
    return [
        i + 1 for i, on in enumerate(relu_states(model, x)) if not on.any()
    ]


# --8<-- [end:dead]

# Argument checks, out of the shown code: one answer to bad input
# across the course.
from snippets.checks import (  # noqa: E402
    boolean,
    checked,
    column,
    function,
    integer,
    network,
    number,
    optional,
    positive,
    sequence,
)

MAX_BITS = 24  # float32 holds every integer below 2**24 exactly
# fewest_layered: the search doubles with each bit; 10 bits need 12 ReLUs
MAX_LAYERED_BITS = 10
MAX_TOTAL = 16  # width_sequences(16) is 2**15 = 32,768 lists
MAX_WIDTH, MAX_DEPTH, MAX_NEURONS = 1024, 100, 1024
MAX_STEPS, MAX_POINTS = 1_000_000, 1_000_000
bits = integer(1, MAX_BITS)


def fold_layers(arguments: dict) -> None:
    """wire_folds writes fold i into linears[i]: 1 input for the first,
    2 after, 2 outputs."""
    linears, ks = arguments["linears"], arguments["ks"]
    if len(ks) > len(linears):
        raise ValueError(
            f"ks holds {len(ks)} folds "
            f"but linears only {len(linears)} layers"
        )
    for i, linear in enumerate(linears[: len(ks)]):
        inputs = 1 if i == 0 else 2
        if (linear.in_features, linear.out_features) != (inputs, 2):
            raise ValueError(
                f"linears[{i}] must map {inputs} input(s) to 2 outputs, "
                f"got {linear.in_features} to {linear.out_features}"
            )


def grid(arguments: dict) -> None:
    """count_pieces samples [lo, hi] in steps of step: at least one step,
    at most MAX_POINTS."""
    lo, hi, step = arguments["lo"], arguments["hi"], arguments["step"]
    if not lo < hi:
        raise ValueError(f"lo must be less than hi, got lo={lo}, hi={hi}")
    if step > hi - lo:
        raise ValueError(
            f"step must be at most hi - lo = {hi - lo}, got {step}"
        )
    steps = (hi - lo) / step
    if steps > MAX_POINTS:
        raise ValueError(
            f"(hi - lo) / step must be at most {MAX_POINTS:,}, "
            f"got {steps:.3g}"
        )


def noisy_start(arguments: dict) -> None:
    """A noisy start is hardwired(n_bits) plus noise: the random start's
    options do not apply."""
    options = (
        arguments["width"],
        arguments["positive_biases"],
        arguments["centred"],
    )
    if arguments["noise"] is not None and options != (2, False, False):
        raise ValueError(
            "a noisy start is hardwired(n_bits) plus noise: width, "
            "positive_biases and centred must keep their defaults "
            "(2, False, False)"
        )


make_data = checked(make_data, n_bits=bits)
steps_for = checked(steps_for, n_bits=bits)
layered_shape = checked(layered_shape, n_bits=bits)
layered = checked(
    layered,
    widths=sequence(integer(1, MAX_WIDTH), fewest=2, most=MAX_DEPTH + 2),
    output_relu=boolean(),
)
hardwired = checked(hardwired, n_bits=bits)
wire_folds = checked(
    wire_folds,
    linears=sequence(network(nn.Linear)),
    ks=sequence(integer()),
    together=fold_layers,
)
trimmed = checked(trimmed, n_bits=bits)
compact = checked(compact, n_bits=integer(2, MAX_BITS))
laps_bound = checked(laps_bound, widths=sequence(integer(1)))
width_sequences = checked(width_sequences, total=integer(0, MAX_TOTAL))
fewest_layered = checked(
    fewest_layered, n_bits=integer(1, MAX_LAYERED_BITS)
)
SkipNet.__init__ = checked(
    SkipNet.__init__, n_neurons=integer(0, MAX_NEURONS)
)
minimal = checked(minimal, n_bits=bits)
count_pieces = checked(
    count_pieces,
    f=function(),
    lo=number(),
    hi=number(),
    step=positive(),
    together=grid,
)
Centre.__init__ = checked(Centre.__init__, n_bits=bits)
start_options = {
    "n_bits": bits,
    "noise": optional(number(lo=0)),
    "output_relu": boolean(),
    "width": integer(1, MAX_WIDTH),
    "positive_biases": boolean(),
    "centred": boolean(),
}
initial_model = checked(
    initial_model, **start_options, together=noisy_start
)
train = checked(
    train,
    **start_options,
    seed=integer(0, 2**63 - 1),
    steps=integer(0, MAX_STEPS),
    lr=positive(),
    together=noisy_start,
)
solves = checked(solves, model=network(nn.Module), n_bits=bits)
relu_states = checked(
    relu_states, model=network(nn.Sequential), x=column()
)
dead_layers = checked(
    dead_layers, model=network(nn.Sequential), x=column()
)

if __name__ == "__main__":
    # --8<-- [start:show_hardwired]
    model = hardwired(4)
    x, y = make_data(4)
    with torch.no_grad():
        print("outputs:", model(x).flatten().tolist()[:8], "...")
        print("equal to x mod 2 on 0..15:", torch.equal(model(x), y))
        outside = torch.tensor(
            [[-3.0], [-2.0], [-1.0], [16.0], [17.0], [18.0], [20.0]]
        )
        print("outside:", model(outside).flatten().tolist())
    relus = sum(isinstance(layer, nn.ReLU) for layer in model)
    print("shape", layered_shape(4), "->", 2 * relus, "ReLU neurons")
    # --8<-- [end:show_hardwired]

    # --8<-- [start:show_minimal]
    for n_bits in [4, 8, 16]:
        model = minimal(n_bits)
        x, y = make_data(n_bits)
        with torch.no_grad():
            exact = torch.equal(model(x), y)
        print(
            f"{n_bits:2} bits: {len(model.neurons)} neurons, "
            f"exact on 0..{2**n_bits - 1}: {exact}"
        )
    # --8<-- [end:show_minimal]

    # --8<-- [start:show_layered]
    x, y = make_data(4)
    for build in [hardwired, trimmed, compact]:
        model = build(4)
        widths = [
            layer.out_features
            for layer in model
            if isinstance(layer, nn.Linear)
        ][:-1]
        with torch.no_grad():
            exact = torch.equal(model(x), y)
        print(
            f"{build.__name__:9} widths {widths}: {sum(widths)} ReLUs, "
            f"exact: {exact}"
        )
    # --8<-- [end:show_layered]

    # --8<-- [start:show_bound]
    for n_bits in [2, 3, 4]:
        print(
            f"{n_bits} bits: the bound asks for "
            f"{fewest_layered(n_bits)} ReLUs,",
            f"compact uses {2 * n_bits - 1}",
        )
    shapes = [w for total in range(1, 6) for w in width_sequences(total)]
    # the most laps; the fewest layers on a tie
    best = max(shapes, key=lambda w: (laps_bound(w), -len(w)))
    print(
        f"{len(shapes)} shapes with 1 to 5 ReLUs; "
        f"the best, {best}, allows {laps_bound(best)} laps"
    )
    # --8<-- [end:show_bound]

    # --8<-- [start:show_pieces]
    for n_bits in [2, 3, 4, 5]:
        pieces = count_pieces(minimal(n_bits).double(), 0, 2**n_bits - 1)
        print(f"{n_bits} bits: {pieces} pieces on [0, {2**n_bits - 1}]")
    # --8<-- [end:show_pieces]

    # --8<-- [start:show_train]
    for output_relu in [False, True]:
        result = train(n_bits=4, seed=0, output_relu=output_relu)
        x, y = make_data(4)
        with torch.no_grad():
            outputs = result.model(x).flatten()
        print(
            f"output ReLU {output_relu}: "
            f"loss {result.history['loss'][-1]:.3f},",
            f"solved {solves(result.model, 4)}, "
            f"outputs {outputs.min():.2f} .. {outputs.max():.2f}",
        )
    # --8<-- [end:show_train]

    # --8<-- [start:show_dead]
    x, _ = make_data(4)
    torch.manual_seed(0)
    start = initial_model(4)  # the start that train(seed=0) draws
    end = train(n_bits=4, seed=0).model
    print(
        "dead layers at the start:",
        dead_layers(start, x),
        "at the end:",
        dead_layers(end, x),
    )
    with torch.no_grad():
        print("different outputs:", end(x).unique().tolist())
    print("layer: weight unchanged, bias unchanged")
    layers = zip(start[::2], end[::2], strict=True)  # the Linears
    for i, (before, after) in enumerate(layers, start=1):
        weight = torch.equal(before.weight, after.weight)
        bias = torch.equal(before.bias, after.bias)
        print(f"{i}: {weight}, {bias}")
    # --8<-- [end:show_dead]
