"""Chapter 3 at build time: the constructions' figures, the training sweeps, and what
happens inside the runs that fail (dead hidden layers), with 95 % Wilson intervals."""

from __future__ import annotations

import copy
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from itertools import pairwise
from math import comb
from pathlib import Path

import torch
from torch import nn

from site_tools import jobs
from site_tools.figures import BLUE, GREY, ORANGE, new_figure, save
from site_tools.results import Data, Quoted, quote, wilson
from snippets.parity import (
    SkipNet,
    compact,
    count_pieces,
    fewest_layered,
    hardwired,
    initial_model,
    laps_bound,
    make_data,
    minimal,
    relu_states,
    steps_for,
    train,
    trimmed,
    width_sequences,
)
from snippets.sweep import fit_stacked, linear_many, sequential_many, stack_parameters, unstack

EXPECTED_SECONDS = 55  # run() in a build (its width-8 sweep beside): the longest starts first
SEEDS = list(range(100))
STEPS, LR = 5000, 0.01  # train()'s defaults (a test checks they agree)
NOISE_LEVELS = [0.01, 0.03, 0.1, 0.2, 0.3, 0.5, 1.0]
OUTCOMES = ["solved", "mean", "zero", "other"]
WIDE = 8  # hidden width of the wide variants
# what else the 4-bit network is started from, besides PyTorch's default: initial_model options
VARIANTS = {
    "positive": {"positive_biases": True},
    "centred": {"centred": True},
    "wide_only": {"width": WIDE},
    "wide_positive": {"width": WIDE, "positive_biases": True},
    "wide_centred": {"width": WIDE, "centred": True},
    "wide": {"width": WIDE, "positive_biases": True, "centred": True},
}
WIDE_VARIANTS = ["wide_only", "wide_positive", "wide_centred", "wide"]  # one batch
MOVE_WINDOW = 400  # steps over which the sweep records whether each layer's weights move
WIDGET_BITS = range(2, 7)  # the widget's choice of bits


def _percent(value: float) -> str:
    text = f"{100 * value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def interval(k: int, n: int) -> Quoted:
    """The 95 % interval of k in n, in percent, shown as "lo–hi" in both languages (a range,
    not a list: no items for a Chinese page to join with 、)."""
    lo, hi = wilson(k, n)
    return Quoted([100 * lo, 100 * hi], f"{_percent(lo)}–{_percent(hi)}")


def fisher_exact(a: int, b: int, n: int) -> float:
    """Two-sided p-value of Fisher's exact test: a successes in n runs against b in n. The
    probability, with a + b successes shared at random, of a split no likelier than a : b."""
    for name, value in [("a", a), ("b", b), ("n", n)]:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if n < 1 or not (0 <= a <= n and 0 <= b <= n):
        raise ValueError(f"need 0 <= a, b <= n and n >= 1, got {a}, {b} of {n}")
    total = a + b
    ways = [Fraction(comb(n, k) * comb(n, total - k), comb(2 * n, total)) for k in range(total + 1)]
    return float(sum(w for w in ways if w <= ways[a]))


def _power_of_ten(value: float) -> str:
    """A small positive number as "3 × 10⁻⁶" (one significant digit), for both languages."""
    mantissa, exponent = f"{value:.0e}".split("e")
    digits = str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{mantissa} × 10{digits}"


def outcome(outputs: torch.Tensor, target: torch.Tensor) -> str:
    """solved (every output rounds to x mod 2), stuck at the mean 0.5, stuck at 0, other."""
    if ((outputs - target).abs() < 0.5).all():
        return "solved"
    if ((outputs - 0.5).abs() < 0.05).all():
        return "mean"
    if (outputs.abs() < 0.05).all():
        return "zero"
    return "other"


@dataclass
class Start:
    """One kind of start in a sweep: a copy of make() per seed, trained on x, or on
    Centre(n_bits)(x) if centred, with an output ReLU if output_relu."""

    make: Callable[[], nn.Sequential]  # the model as a reader builds it, without Centre
    centred: bool = False  # the batch rescales the first layer instead (see read_on_x)
    output_relu: bool = False


def variant_start(options: dict) -> Start:
    """The sweep's Start for initial_model(4, **options): the same weights; a centred
    start reads Centre(4)(x) through read_on_x instead of a Centre layer."""
    options = dict(options)
    centred = options.pop("centred", False)
    return Start(partial(initial_model, 4, **options), centred=centred)


class DeathLog:
    """While fit_stacked trains a batch: for each copy and hidden layer, the first step at
    which the layer is dead and the last at which it is alive (-1: no such step). Room for
    `steps` steps is made at once (more is added if more come)."""

    def __init__(self, steps: int = 100):
        self.room = steps + 1  # steps 0 .. steps
        self.step = 0
        self.dead: torch.Tensor | None = None  # (room, K, L): dead at each step so far

    def record(self, hidden: list[torch.Tensor]) -> None:
        """ReLU outputs are >= 0: a layer is dead when its largest output is 0. One
        reduction per layer, over its units and points, and no copy of the outputs."""
        copies = hidden[0].shape[0]
        if self.dead is None:
            self.dead = torch.zeros((self.room, copies, len(hidden)), dtype=torch.bool)
        if self.step == len(self.dead):
            self.dead = torch.cat([self.dead, torch.zeros_like(self.dead)])
        with torch.no_grad():
            largest = torch.stack([h.amax(dim=(1, 2)) for h in hidden], dim=1)
            torch.eq(largest, 0, out=self.dead[self.step])
        self.step += 1

    @property
    def first_dead(self) -> torch.Tensor:
        """(K, L): the first step at which each hidden layer is dead, or -1."""
        dead = self.dead[: self.step]
        return torch.where(dead.any(dim=0), dead.byte().argmax(dim=0), -1)

    @property
    def last_alive(self) -> torch.Tensor:
        """(K, L): the last step at which each hidden layer is alive, or -1."""
        alive = ~self.dead[: self.step].flip(0)  # the latest step first
        last = self.step - 1 - alive.byte().argmax(dim=0)
        return torch.where(alive.any(dim=0), last, -1)


class MoveLog:
    """While fit_stacked trains a batch, up to step `window`: for each copy and hidden layer,
    the last step at which the layer's weights or bias changed (0: never), and the
    parameters at step `window` (or the last step, if fewer), to check that none moved later.
    `layers` names the hidden layers' Linear modules as the parameters do ("0", "2", ...)."""

    def __init__(self, layers: list[str], window: int = MOVE_WINDOW):
        self.layers, self.window = layers, window
        self.step = 0
        self.last_moved: torch.Tensor | None = None  # (K, L)
        self.previous: list[tuple[torch.Tensor, torch.Tensor]] | None = None

    def record(self, params: dict[str, torch.Tensor]) -> None:
        if self.step <= self.window:
            with torch.no_grad():
                now = [
                    (params[f"{n}.weight"].detach().clone(), params[f"{n}.bias"].detach().clone())
                    for n in self.layers
                ]
                if self.previous is None:
                    self.last_moved = torch.zeros((len(now[0][0]), len(now)), dtype=torch.long)
                else:
                    moved = torch.stack(
                        [
                            (w != w0).flatten(1).any(1) | (b != b0).any(1)
                            for (w, b), (w0, b0) in zip(now, self.previous, strict=True)
                        ],
                        dim=1,
                    )
                    self.last_moved[moved] = self.step
                self.previous = now
        self.step += 1

    def settled(self, end: dict[str, torch.Tensor]) -> torch.Tensor:
        """(K, L): hidden layer l of copy k ends with the parameters it had at step `window`."""
        return torch.stack(
            [
                (end[f"{n}.weight"] == w).flatten(1).all(1) & (end[f"{n}.bias"] == b).all(1)
                for n, (w, b) in zip(self.layers, self.previous, strict=True)
            ],
            dim=1,
        )


def forward_logged(template: nn.Sequential, params, x: torch.Tensor, log: DeathLog | None):
    """sequential_many(template, params, x), the same operations in the same order, and
    the hidden layers' ReLU outputs handed to log.record (if a log is given)."""
    h, hidden = forward_hidden(template, params, x)
    if log is not None:
        log.record(hidden)
    return h


@dataclass
class Runs:
    """What became of one kind of start: copy k was started from seed k."""

    make: Callable[[], nn.Sequential]
    start: dict[str, torch.Tensor]  # stacked parameters before training, as read on x
    end: dict[str, torch.Tensor]  # and after
    outputs: torch.Tensor  # (K, N): what each trained copy outputs on 0 .. 2**n - 1
    outcomes: list[str]
    first_dead: torch.Tensor  # (K, L): the first step at which hidden layer l is dead, or -1
    last_alive: torch.Tensor  # (K, L): the last step at which it is alive, or -1
    last_moved: torch.Tensor  # (K, L): the last step <= MOVE_WINDOW its weights or bias changed
    settled: torch.Tensor  # (K, L): and they did not change after MOVE_WINDOW


class MaskedReLU(nn.Module):
    """An output ReLU for the copies of a batch that have one: mask (K,) says which."""

    def __init__(self, mask: torch.Tensor):
        super().__init__()
        if not isinstance(mask, torch.Tensor) or mask.dtype != torch.bool:
            raise TypeError(f"mask must be a tensor of booleans, got {mask!r}")
        if mask.dim() != 1:
            raise ValueError(
                f"mask must be one boolean per copy, shape (K,), got {tuple(mask.shape)}"
            )
        self.mask = mask

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return torch.where(self.mask[:, None, None], torch.relu(h), h)


def read_on_x(params: dict[str, torch.Tensor], scale: torch.Tensor, shift: torch.Tensor):
    """The first layer of copies that read (x - shift) * scale, rewritten to read x:
    W ((x - shift) scale) + b = (W scale) x + (b - W scale shift). Copies with scale 1
    and shift 0 keep their parameters exactly. Gradients flow through, so training
    these parameters is training the copies on the rescaled input."""
    copies = params["0.weight"].shape[0]
    if scale.shape != (copies,) or shift.shape != (copies,):
        raise ValueError(f"need one scale and one shift per copy ({copies})")
    weight = params["0.weight"] * scale[:, None, None]
    bias = params["0.bias"] - weight[:, :, 0] * shift[:, None]
    return {**params, "0.weight": weight, "0.bias": bias}


def sweep(n_bits: int, starts: list[Start], seeds: list[int] = SEEDS) -> list[Runs]:
    """Train one copy per seed of each kind of start at once (all of one shape, in one
    batch): copy k of each kind starts from seeds[k]."""
    if not isinstance(starts, list) or not starts:
        raise ValueError(f"starts must be a non-empty list of Start, got {starts!r}")
    if not all(isinstance(s, Start) for s in starts):
        raise TypeError(f"starts must hold Start values, got {starts!r}")
    x, y = make_data(n_bits)
    template = starts[0].make()  # a model without output ReLU: the shape of the batch
    relu = torch.tensor([s.output_relu for s in starts]).repeat_interleave(len(seeds))
    if relu.any():
        template.append(MaskedReLU(relu))
    half = (2**n_bits - 1) / 2
    centred = torch.tensor([s.centred for s in starts]).repeat_interleave(len(seeds))
    scale = torch.where(centred, 1 / half, 1.0)
    shift = torch.where(centred, half, 0.0)
    groups = [stack_parameters(s.make, seeds) for s in starts]
    params = {name: torch.cat([g[name] for g in groups]) for name in groups[0]}

    log = DeathLog(STEPS)
    hidden = [str(i - 1) for i, m in enumerate(template[:-1]) if isinstance(m, nn.ReLU)]
    moves = MoveLog(hidden)
    rescaled = bool(centred.any())

    def forward(p, points, log=log):  # fit_stacked's check runs it on one point: not a step
        if log is not None and len(points) == len(x):
            moves.record(p)  # the trained parameters themselves, before read_on_x
        on_x = read_on_x(p, scale, shift) if rescaled else p
        return forward_logged(template, on_x, points, log if len(points) == len(x) else None)

    end, _ = fit_stacked(forward, params, x, y, STEPS, LR)
    with torch.no_grad():
        outputs = forward(end, x, None)[:, 0, :]
        start_on_x, end_on_x = (
            read_on_x(p, scale, shift) if rescaled else p for p in (params, end)
        )
    first_dead, last_alive = log.first_dead, log.last_alive
    last_moved, settled = moves.last_moved, moves.settled(end)
    runs = []
    for i, s in enumerate(starts):
        part = slice(i * len(seeds), (i + 1) * len(seeds))
        results = [outcome(out, y[:, 0]) for out in outputs[part]]
        first, last = ({n: v[part] for n, v in p.items()} for p in (start_on_x, end_on_x))
        deaths = first_dead[part], last_alive[part], last_moved[part], settled[part]
        runs.append(Runs(s.make, first, last, outputs[part], results, *deaths))
    return runs


def forward_hidden(template: nn.Sequential, params, x: torch.Tensor):
    """What sequential_many computes, (K, out, N), and every hidden layer's ReLU outputs:
    one (K, width, N) tensor per hidden layer."""
    h, hidden = x.T, []
    for i, layer in enumerate(template):
        if isinstance(layer, nn.Linear):
            h = linear_many(h, params[f"{i}.weight"], params[f"{i}.bias"])
        else:
            h = layer(h)
            if isinstance(layer, nn.ReLU) and i + 1 < len(template):
                hidden.append(h)
    return h, hidden


def _hidden_outputs(template: nn.Sequential, params, x: torch.Tensor) -> list[torch.Tensor]:
    """Every hidden layer's ReLU outputs: one (K, width, N) tensor per hidden layer."""
    with torch.no_grad():
        return forward_hidden(template, params, x)[1]


def _dead(layers: list[torch.Tensor]) -> torch.Tensor:
    """(K, L) booleans: hidden layer l of copy k outputs 0 from every ReLU on every input."""
    return torch.stack([(h == 0).all(dim=2).all(dim=1) for h in layers], dim=1)


def _fewest_values(layers: list[torch.Tensor], k: int) -> tuple[int, torch.Tensor]:
    """For copy k: the fewest distinct outputs any hidden layer takes over the inputs, and
    for that layer, which group (equal outputs) each input falls in."""
    best = None
    for h in layers:
        values, groups = torch.unique(h[k].T, dim=0, return_inverse=True)
        if best is None or len(values) < best[0]:
            best = (len(values), groups)
    return best


def _analyse(runs: Runs, n_bits: int, key: str) -> dict[str, Quoted]:
    """Dead hidden layers at the start and at the end, by outcome, and what the stuck runs
    without a dead layer are instead."""
    x, y = make_data(n_bits)
    template = runs.make()
    linears = [i for i, layer in enumerate(template) if isinstance(layer, nn.Linear)]
    dead_start = _dead(_hidden_outputs(template, runs.start, x))
    end_layers = _hidden_outputs(template, runs.end, x)
    dead_end = _dead(end_layers)
    k_all = range(len(SEEDS))
    start_any, end_any = dead_start.any(dim=1), dead_end.any(dim=1)
    stuck = [o in ("mean", "zero") for o in runs.outcomes]

    frozen = 0  # dead at the start, and every layer up to the first dead one never moved
    for k in k_all:
        if start_any[k]:
            first = int(dead_start[k].nonzero()[0])
            names = [f"{i}.{p}" for i in linears[: first + 1] for p in ("weight", "bias")]
            frozen += all(torch.equal(runs.start[n][k], runs.end[n][k]) for n in names)
    constant = sum(  # dead at the end, and all outputs exactly equal
        bool(end_any[k]) and bool((runs.outputs[k] == runs.outputs[k][0]).all()) for k in k_all
    )
    values = {
        f"dead_{key}_start": sum(start_any.tolist()),
        f"dead_{key}_end": sum(end_any.tolist()),
        f"dead_{key}_revived": sum((start_any & ~end_any).tolist()),
        f"dead_{key}_frozen": frozen,
        f"dead_{key}_constant": constant,
        f"stuck_{key}_dead": sum(s and bool(d) for s, d in zip(stuck, end_any, strict=True)),
        f"stuck_{key}_alive": sum(s and not d for s, d in zip(stuck, end_any, strict=True)),
        f"live_{key}_dead": sum(not s and bool(d) for s, d in zip(stuck, end_any, strict=True)),
    }
    # layers alive at step 0 that die during training: when, and whether they stay dead
    died = (runs.first_dead > 0).tolist()
    steps = [int(s) for s in runs.first_dead[runs.first_dead > 0]]
    stayed = (runs.first_dead > 0) & (runs.last_alive < runs.first_dead) & dead_end
    values[f"died_{key}_layers"] = len(steps)
    values[f"died_{key}_runs"] = sum(any(row) for row in died)
    values[f"died_{key}_stayed"] = int(stayed.sum())  # dead from then to the end
    values[f"died_{key}_alive_end"] = int(((runs.first_dead > 0) & ~dead_end).sum())
    values[f"died_{key}_earliest"] = min(steps, default=0)
    values[f"died_{key}_latest"] = max(steps, default=0)
    values[f"died_{key}_median"] = int(statistics.median(steps)) if steps else 0
    # Adam's momentum: how many steps after dying a layer's own weights or bias still change
    moving = (runs.last_moved - runs.first_dead)[runs.first_dead > 0].tolist()
    values[f"died_{key}_moving_min"] = min(moving, default=0)
    values[f"died_{key}_moving_max"] = max(moving, default=0)
    values[f"died_{key}_settled"] = int((runs.settled & (runs.first_dead > 0)).sum())
    # stuck at the mean without a dead layer: a layer that tells only a few groups of
    # inputs apart, each group with as many odd as even numbers
    few, halves, spread = [], 0, 0.0
    for k in k_all:
        if runs.outcomes[k] == "mean" and not end_any[k]:
            count, groups = _fewest_values(end_layers, k)
            few.append(count)
            spread = max(spread, (runs.outputs[k].max() - runs.outputs[k].min()).item())
            means = [y[groups == g].mean().item() for g in range(count)]
            halves += all(m == 0.5 for m in means)
    values[f"alive_{key}_values"] = max(few, default=0)
    values[f"alive_{key}_halves"] = halves
    values[f"alive_{key}_mean"] = len(few)
    quoted = {name: quote(v) for name, v in values.items()}
    # how flat those runs are: not exactly, as the dead ones are (the largest output spread)
    quoted[f"alive_{key}_spread"] = quote(spread, text=_power_of_ten(spread) if spread else "0")
    return quoted


def _bending(model: nn.Module) -> list[nn.Linear]:
    """The Linear layers whose outputs go into ReLUs, in the order the model runs them."""
    if isinstance(model, SkipNet):
        return list(model.neurons)
    return [a for a, b in pairwise(model) if isinstance(a, nn.Linear) and isinstance(b, nn.ReLU)]


def _output_of(model: nn.Module, linear: nn.Linear, x: torch.Tensor) -> torch.Tensor:
    seen = []
    handle = linear.register_forward_hook(lambda module, inputs, out: seen.append(out))
    with torch.no_grad():
        model(x)
    handle.remove()
    return seen[0]


def exact_slopes(model: nn.Module, lo: float, hi: float) -> list[float]:
    """The slopes, left to right, of a one-input ReLU network (layered, or a SkipNet) on
    [lo, hi], from its kinks: layer by layer (neuron by neuron in a SkipNet) every
    pre-activation is linear between the points found so far, so its zero crossings
    are exact, and they are added to the points. Works in float64; points closer than
    1e-9 are merged (no network of this chapter has kinks that close)."""
    model = copy.deepcopy(model).double()
    points = torch.tensor([float(lo), float(hi)], dtype=torch.float64)
    for linear in _bending(model):
        z = _output_of(model, linear, points[:, None])  # (P, m): linear between points
        a, b = z[:-1], z[1:]
        where = (points[:-1, None] + a / (a - b) * (points[1:] - points[:-1])[:, None])[a * b < 0]
        points = torch.cat([points, where]).unique()
        points = points[torch.cat([torch.tensor([True]), points.diff() > 1e-9])]
    with torch.no_grad():
        y = model(points[:, None]).flatten()
    return ((y[1:] - y[:-1]) / (points[1:] - points[:-1])).tolist()


def pieces_of(slopes: list[float]) -> int:
    """Linear pieces, from the slopes left to right between the kinks (exact_slopes)."""
    return 1 + sum(abs(a - b) > 1e-6 * max(1.0, abs(a)) for a, b in pairwise(slopes))


def laps_of(slopes: list[float]) -> int:
    """Laps (stretches that only rise or only fall; flat parts end none), from the slopes."""
    rises = [s > 0 for s in slopes if abs(s) > 1e-9]
    return 1 + sum(a != b for a, b in pairwise(rises)) if rises else 0


def exact_pieces(model: nn.Module, lo: float, hi: float) -> int:
    """Linear pieces on [lo, hi], counted from the kinks (exact_slopes)."""
    return pieces_of(exact_slopes(model, lo, hi))


def exact_laps(model: nn.Module, lo: float, hi: float) -> int:
    """Laps on [lo, hi] (stretches that only rise or only fall; flat parts end none)."""
    return laps_of(exact_slopes(model, lo, hi))


def exact_range(model, n_bits: int) -> tuple[int, int]:
    """The longest run of integers around 0 .. 2**n - 1 on which the output is x mod 2."""
    x = torch.arange(-4 * 2**n_bits, 5 * 2**n_bits, dtype=torch.float32).reshape(-1, 1)
    with torch.no_grad():
        right = (model(x) == x % 2).flatten().tolist()
    start = end = x.flatten().tolist().index(0)
    while start > 0 and right[start - 1]:
        start -= 1
    while end + 1 < len(right) and right[end + 1]:
        end += 1
    return int(x[start]), int(x[end])


def _least_squares_line(n_bits: int) -> tuple[float, float]:
    """Slope and mean squared error of the best straight line through the labels."""
    x, y = (t.double().flatten() for t in make_data(n_bits))
    dx, dy = x - x.mean(), y - y.mean()
    slope = (dx * dy).sum() / (dx * dx).sum()
    mse = ((dy - slope * dx) ** 2).mean()
    return slope.item(), mse.item()


def _relu_count(model: nn.Sequential) -> int:
    """ReLU neurons: the outputs of every Linear that a ReLU follows (an output ReLU too)."""
    return sum(
        a.out_features
        for a, b in pairwise(model)
        if isinstance(a, nn.Linear) and isinstance(b, nn.ReLU)
    )


def _save_small(fig, path: Path) -> None:
    """save(), then drop comments and the indentation between tags: the same drawing in
    fewer bytes (this page carries five figures)."""
    save(fig, path)
    text = re.sub(r"<!--.*?-->", "", path.read_text(encoding="utf-8"), flags=re.S)
    path.write_text(re.sub(r">\s+<", "><", text), encoding="utf-8")


def draw_hardwired(path: Path) -> None:
    model = hardwired(4)
    line = torch.linspace(-4, 20, 97).reshape(-1, 1)  # every kink is on this grid
    points = torch.arange(-4.0, 21).reshape(-1, 1)
    fig, [[ax]] = new_figure(height=2.8)
    ax.axvspan(-0.5, 15.5, color=GREY, alpha=0.12)
    with torch.no_grad():
        ax.plot(line.flatten(), model(line).flatten(), color=BLUE, linewidth=1.2)
        ax.scatter(points.flatten(), model(points).flatten(), color=BLUE, s=14, zorder=3)
    ax.scatter(points.flatten(), points.flatten() % 2, marker="x", color=ORANGE, s=22, zorder=4)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$f(x)$")
    ax.set_xticks(range(-4, 21, 4))
    ax.grid(False)
    _save_small(fig, path)


def draw_layers(path: Path) -> None:
    """The value after each |y - k| step, as a function of x on [0, 15]."""
    ks = steps_for(4)
    x = torch.linspace(0, 15, 61)  # steps of 1/4: every kink is on the grid
    fig, axes = new_figure(1, len(ks), width=8.0, height=2.2)
    y = x
    for ax, k in zip(axes[0], ks, strict=True):
        y = (y - k).abs()
        ax.plot(x, y, color=BLUE, linewidth=1.2)
        ax.grid(False)  # small panels: the ticks are enough
        ax.set_title(f"$|y - {k}|$", fontsize=10)
        ax.set_xlabel("$x$")
        ax.set_xticks([0, 15])
        ax.set_yticks([0, int(y.max())])  # the range each fold leaves
    _save_small(fig, path)


def draw_minimal(path: Path) -> None:
    model = minimal(4)
    line = torch.linspace(-2, 17, 77).reshape(-1, 1)  # every kink is on this grid
    points = torch.arange(0.0, 16).reshape(-1, 1)
    fig, [[ax]] = new_figure(height=2.6)
    with torch.no_grad():
        ax.plot(line.flatten(), model(line).flatten(), color=BLUE, linewidth=1.2)
    ax.scatter(points.flatten(), points.flatten() % 2, marker="x", color=ORANGE, s=22, zorder=4)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$f(x)$")
    ax.grid(False)
    _save_small(fig, path)


def draw_states(models: list[nn.Sequential], path: Path) -> None:
    """Which ReLU is on (a filled square) for which input x, one panel per model, one row
    per ReLU, two rows per layer."""
    x, _ = make_data(4)
    fig, axes = new_figure(1, len(models), width=8.0, height=2.6)
    for number, (ax, model) in enumerate(zip(axes[0], models, strict=True)):
        on = torch.cat(relu_states(model, x), dim=1).T.tolist()  # (ReLUs, inputs)
        for row, states in enumerate(on):  # each run of inputs that turn this ReLU on
            runs, start = [], None
            for column, state in enumerate([*states, False]):
                if state and start is None:
                    start = column
                elif not state and start is not None:
                    runs.append((start - 0.45, column - start - 0.1))
                    start = None
            ax.broken_barh(runs, (row - 0.4, 0.8), facecolors=BLUE)
        ax.set_xlim(-0.6, 15.6)
        ax.set_ylim(len(on) - 0.4, -0.6)
        for boundary in range(2, len(on), 2):  # between two layers
            ax.axhline(boundary - 0.5, color=GREY, linewidth=0.8)
        ax.set_xticks([0, 5, 10, 15])
        ax.set_yticks([0.5 + 2 * j for j in range(len(on) // 2)])
        ax.set_yticklabels([str(j + 1) for j in range(len(on) // 2)])
        ax.grid(False)
        ax.set_xlabel("$x$")
        ax.set_title(f"({'abc'[number]})", fontsize=10)
    axes[0][0].set_ylabel("$\\ell$")
    _save_small(fig, path)


def draw_noise(rates: list[float], bars: list[tuple[float, float]], path: Path) -> None:
    fig, [[ax]] = new_figure(height=2.6)
    below = [max(0.0, rate - lo) for rate, (lo, _) in zip(rates, bars, strict=True)]
    above = [max(0.0, hi - rate) for rate, (_, hi) in zip(rates, bars, strict=True)]
    ax.errorbar(NOISE_LEVELS, rates, yerr=[below, above], color=BLUE, marker="o", capsize=3)
    ax.set_xscale("log")
    ax.set_xlabel(r"$\sigma$")
    ax.set_ylabel("%")
    ax.set_ylim(-5, 105)
    ax.grid(False)
    ax.grid(True, axis="y")  # the rates are what to read off
    _save_small(fig, path)


def widget_data() -> dict:
    """What the page's widget starts from: the two hand-wired constructions for each number
    of bits it offers, hardwired(n) (layered) and minimal(n) (one ReLU a fold), each as its
    parameters in state_dict order, flattened (small integers, written as such). The widget
    moves the folds, adds noise and counts pieces itself."""

    def flat(model: nn.Module) -> list[int]:
        values = [v for p in model.state_dict().values() for v in p.flatten().tolist()]
        assert all(v.is_integer() for v in values)
        return [int(v) for v in values]

    return {
        kind: {str(n): flat(build(n)) for n in WIDGET_BITS}
        for kind, build in (("layered", hardwired), ("minimal", minimal))
    }


def run(out: Path) -> dict[str, Quoted | Data]:
    draw_hardwired(out / "parity-hardwired.svg")
    draw_layers(out / "parity-layers.svg")
    draw_minimal(out / "parity-minimal.svg")
    n = len(SEEDS)
    values = {"seeds": quote(n), "steps": quote(STEPS, ","), "lr": quote(LR)}

    lo, hi = exact_range(hardwired(4), 4)
    values.update(hardwired_lo=quote(lo), hardwired_hi=quote(hi))
    with torch.no_grad():
        values["hardwired_at_20"] = quote(hardwired(4)(torch.tensor([[20.0]])).item(), "g")
    for bits in range(2, 11):
        count = count_pieces(minimal(bits).double(), 0, 2**bits - 1)
        values[f"minimal_pieces_{bits}"] = quote(count, ",")  # 1,023: as 5,000 is shown
        # on the whole line (every kink lies in [0, 2**bits]): 2**bits, all the bound allows
        line = exact_pieces(minimal(bits), -(2**bits), 2 ** (bits + 1))
        values[f"minimal_line_pieces_{bits}"] = quote(line, ",")

    # strictly layered networks: two constructions and the bound
    values["hardwired_relus"] = quote(_relu_count(hardwired(4)))
    values["article_relus"] = quote(_relu_count(initial_model(4, output_relu=True)))
    values["trimmed_relus"] = quote(_relu_count(trimmed(4)))
    for bits in (2, 3, 4):
        values[f"compact_relus_{bits}"] = quote(_relu_count(compact(bits)))
        values[f"layered_bound_{bits}"] = quote(fewest_layered(bits))
    below = [w for total in range(1, fewest_layered(4)) for w in width_sequences(total)]
    values["bound_sequences_4"] = quote(len(below))  # every shape with fewer ReLUs ...
    values["bound_largest_4"] = quote(max(laps_bound(w) for w in below))  # ... and its best

    slope, mse = _least_squares_line(4)
    values.update(lsq_slope=quote(slope, ".4f"), lsq_mse=quote(mse, ".4f"))

    # the training sweeps: every start of one shape in one batch; the width-8 one in a
    # process of its own, beside the others (the sweeps share nothing)
    wide_sweep = jobs.beside(sweep, 4, [variant_start(VARIANTS[k]) for k in WIDE_VARIANTS])
    random_2, random_3 = (sweep(b, [Start(partial(initial_model, b))])[0] for b in (2, 3))
    base = partial(initial_model, 4)
    starts = [Start(base), *(Start(partial(initial_model, 4, s)) for s in NOISE_LEVELS)]
    with_relu = Start(partial(initial_model, 4, output_relu=True), output_relu=True)
    # the same shape with positive biases, and with centred input (see read_on_x)
    positive, centred = (variant_start(VARIANTS[k]) for k in ("positive", "centred"))
    starts += [with_relu, positive, centred]
    random_4, *noisy, random_relu, positive, centred = sweep(4, starts)
    wide = dict(zip(WIDE_VARIANTS, wide_sweep.result(), strict=True))

    nets = {"2": (random_2, 2), "3": (random_3, 3), "4": (random_4, 4), "relu": (random_relu, 4)}
    for key, (runs, bits) in nets.items():
        for name in OUTCOMES:
            values[f"random_{key}_{name}"] = quote(runs.outcomes.count(name))
        values[f"random_{key}_solved_ci"] = interval(runs.outcomes.count("solved"), n)
        values.update(_analyse(runs, bits, key))
    x4, _ = make_data(4)
    first_dead = _dead(_hidden_outputs(random_4.make(), random_4.start, x4))
    for layer in range(first_dead.shape[1]):  # which hidden layer is the first dead one
        count = sum(bool(row.any()) and int(row.nonzero()[0]) == layer for row in first_dead)
        values[f"dead_4_first_{layer + 1}"] = quote(count)
    with torch.no_grad():  # the output ReLU's input, below 0 on every x: a dead output
        before_relu = sequential_many(random_relu.make()[:-1], random_relu.end, x4)[:, 0, :]
    off = [bool((before_relu[k] <= 0).all()) for k in range(n)]
    zero = [o == "zero" for o in random_relu.outcomes]
    values["relu_zero_off"] = quote(sum(a and b for a, b in zip(zero, off, strict=True)))

    others = [k for k in range(n) if random_4.outcomes[k] == "other"]
    # every run that fails without a dead layer at the end ("other", and stuck but alive)
    dead_end = _dead(_hidden_outputs(random_4.make(), random_4.end, x4)).any(dim=1).tolist()
    alive_failed = [k for k in range(n) if not dead_end[k] and random_4.outcomes[k] != "solved"]
    pieces_at_end = {  # counted once for the runs of both lists
        k: exact_pieces(unstack(random_4.make, random_4.end, k), 0, 15)
        for k in sorted({*others, *alive_failed})
    }
    end_pieces = [pieces_at_end[k] for k in others]
    values["other_pieces_median"] = quote(int(statistics.median(end_pieces)))
    values["other_pieces_max"] = quote(max(end_pieces))
    values["alive_4_failed"] = quote(len(alive_failed))
    values["alive_4_failed_pieces_max"] = quote(max(pieces_at_end[k] for k in alive_failed))

    for key, runs in [("positive", positive), ("centred", centred), *wide.items()]:
        for name in OUTCOMES:
            values[f"{key}_{name}"] = quote(runs.outcomes.count(name))
        values[f"{key}_solved_ci"] = interval(runs.outcomes.count("solved"), n)
        analysis = _analyse(runs, 4, key)
        for name in ("start", "end"):
            values[f"dead_{key}_{name}"] = analysis[f"dead_{key}_{name}"]
        # which seeds the sweep counts as solved, and against width 8 alone, Fisher's test
        solved_seeds = [SEEDS[k] for k, o in enumerate(runs.outcomes) if o == "solved"]
        values[f"{key}_solved_seeds"] = quote(solved_seeds, "d")
        if key in WIDE_VARIANTS[1:]:
            p = fisher_exact(len(solved_seeds), wide["wide_only"].outcomes.count("solved"), n)
            values[f"{key}_p"] = quote(p, ".2g")

    rates, bars, largest, solved_runs = [], [], 0.0, 0
    y4 = make_data(4)[1][:, 0]
    for sigma, runs in zip(NOISE_LEVELS, noisy, strict=True):
        solved = runs.outcomes.count("solved")
        key = f"noise_{str(sigma).replace('.', '_')}"
        # how far the solved runs are from exact: the largest |output - label|
        errors = [
            (out - y4).abs().max().item()
            for out, o in zip(runs.outputs, runs.outcomes, strict=True)
            if o == "solved"
        ]
        values[f"{key}_error"] = quote(max(errors, default=0.0), ".2g")
        # the columns of the "What helps" table: dead starts, and runs stuck at the mean
        dead_start = _dead(_hidden_outputs(runs.make(), runs.start, x4)).any(dim=1)
        values[f"dead_{key}_start"] = quote(int(dead_start.sum()))
        values[f"{key}_mean"] = quote(runs.outcomes.count("mean"))
        largest = max([largest, *errors])
        solved_runs += solved
        values[key] = quote(100 * solved / n, ".0f")
        values[f"{key}_solved"] = quote(solved)
        values[f"{key}_ci"] = interval(solved, n)
        rates.append(100 * solved / n)
        bars.append(tuple(values[f"{key}_ci"].value))
    draw_noise(rates, bars, out / "parity-noise.svg")
    values["noise_solved_runs"] = quote(solved_runs)
    values["noise_solved_error"] = quote(largest, ".2g")  # over every solved noisy run

    pieces = []
    for seed in SEEDS:  # how many pieces a random start has on [0, 15]
        torch.manual_seed(seed)
        pieces.append(exact_pieces(initial_model(4), 0, 15))
    values["init_pieces_median"] = quote(int(statistics.median(pieces)))
    values["init_pieces_max"] = quote(max(pieces))
    # the starts without a dead layer (a dead start is constant: one piece)
    alive = [p for p, dead in zip(pieces, first_dead.any(dim=1).tolist(), strict=True) if not dead]
    values["init_alive"] = quote(len(alive))
    values["init_pieces_alive_median"] = quote(int(statistics.median(alive)))
    values["init_pieces_alive_max"] = quote(max(alive))
    # the "other" runs at their start: as many pieces as at their end?
    values["other_start_pieces_median"] = quote(int(statistics.median(pieces[k] for k in others)))
    values["other_start_pieces_max"] = quote(max(pieces[k] for k in others))
    change = [pieces_at_end[k] - pieces[k] for k in others]  # what training did, run by run
    values["other_most_lost"] = quote(-min(change))
    values["other_most_gained"] = quote(max(change))

    single = train(n_bits=4, seed=0)
    values["seed0_loss"] = quote(single.history["loss"][-1], ".3f")
    # the same seed in the sweep: the same sums in another order, so not the same last bits
    batched = unstack(random_4.make, random_4.end, 0).state_dict()
    gap = max((batched[k] - v).abs().max().item() for k, v in single.model.state_dict().items())
    values["seed0_batch_gap"] = quote(gap, text=_power_of_ten(gap) if gap else "0")
    torch.manual_seed(0)
    start = initial_model(4)
    draw_states([hardwired(4), start, single.model], out / "parity-states.svg")
    values["widget"] = Data(widget_data())
    return values


def benchmarks() -> dict:
    """The chapter's seed sweep of the 4-bit network from PyTorch's random start, as run()
    trains it (sweep()), for scripts/bench.py: name -> (sweep of seeds, one seed alone)."""
    start = Start(partial(initial_model, 4))
    return {
        "parity_4_bits": (
            lambda seeds: sweep(4, [start], seeds),
            lambda: train(n_bits=4, seed=0, steps=STEPS, lr=LR),
        )
    }
