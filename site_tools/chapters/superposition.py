"""Chapter 5 at build time: the toy model of superposition trained over seeds and sparsities
(the pentagon and what the other seeds find), the dense cases, the phase diagram of two
features in one dimension, and the trained instances the widget steps through."""

from __future__ import annotations

import math
from pathlib import Path

import torch
from matplotlib.colors import ListedColormap

from site_tools.figures import BLUE, GREY, ORANGE, PURPLE, new_figure, pin, save, text_colour_on
from site_tools.results import Data, Quoted, quote, quote_rate
from snippets.superposition import (
    Instances,
    ToyModel,
    angles,
    instance,
    make_batch,
    polysemantic,
    represented,
    rotated,
    shape,
    train_many,
)

EXPECTED_SECONDS = 16  # run() in a build: longest first
N_FEATURES, N_HIDDEN = 5, 2
SEEDS = list(range(100))
STEPS, BATCH, LR = 600, 256, 0.03  # train()'s defaults (a test checks they agree)
PENTAGON_SPARSITIES = [0.95, 0.9]
# the widget's and the figure's instances: seed 0 at each of these sparsities
SERIES = [0.0, 0.2, 0.4, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99]
SHOWN = [0.0, 0.7, 0.9, 0.95]  # the figure's four panels, from SERIES
DENSE_SEEDS = list(range(20))
DENSE_STEPS, DENSE_LR = 1500, 0.1  # the dense cases settle more slowly
DECAY = 0.9  # importance 0.9**i in the dense case that keeps two features
KEPT = 0.5  # a feature whose column of W is longer than this is represented
# the phase diagram: two features, one dimension; feature 2's importance relative to
# feature 1's, and the density 1 - S of both
PHASE_IMPORTANCE = [10 ** (k / 4) for k in range(-4, 5)]  # 0.1 ... 10
PHASE_DENSITY = [10 ** (-k / 4) for k in range(9)]  # 1 ... 0.01
PHASE_SEEDS = [0, 1, 2, 3]  # per cell; seeds 0 and 2 start with weights of opposite signs
# two numbers per input instead of five: smaller batches, more steps
PHASE_STEPS, PHASE_BATCH = 1000, 96
ABSENT = 0.2  # a weight below this leaves its feature out; between ABSENT and KEPT: mixed
PHASES = {  # what a 1 x 2 W does with the two features -> its key in the values
    "feature 1 only": "phase_first",
    "feature 2 only": "phase_second",
    "both, opposite": "phase_both",
    "mixed": "phase_mixed",
}


# --------------------------------------------------------------------- the five features


def sparse_runs() -> dict:
    """100 seeds at each pentagon sparsity and the series of seed 0, in one batched run."""
    sparsity = [s for s in PENTAGON_SPARSITIES for _ in SEEDS] + SERIES
    seeds = SEEDS * len(PENTAGON_SPARSITIES) + [0] * len(SERIES)
    run = train_many(
        N_HIDDEN,
        torch.tensor(sparsity),
        torch.ones(len(seeds), N_FEATURES),
        seeds,
        STEPS,
        BATCH,
        LR,
    )
    n = len(SEEDS)
    runs = {
        s: {"W": run.W[i * n : (i + 1) * n], "b": run.b[i * n : (i + 1) * n]}
        for i, s in enumerate(PENTAGON_SPARSITIES)
    }
    start = n * len(PENTAGON_SPARSITIES)
    series = [
        {"sparsity": s, "W": run.W[start + i], "b": run.b[start + i]} for i, s in enumerate(SERIES)
    ]
    return {"pentagon": runs, "series": series}


def key_of(sparsity: float) -> str:
    return f"{round(100 * sparsity):02d}"  # 0.95 -> "95", 0.9 -> "90"


def lost(W: torch.Tensor) -> int:
    """How many features a W has lost: columns less than half as long as the longest."""
    norms = W.norm(dim=0)
    return int((norms < 0.5 * norms.max()).sum())


def off_square(W: torch.Tensor) -> float:
    """The angle, in degrees, between the shortest column of W and the nearest other one."""
    unit = W / W.norm(dim=0)
    shortest = int(W.norm(dim=0).argmin())
    cosines = torch.cat([unit.T[:shortest], unit.T[shortest + 1 :]]) @ unit[:, shortest]
    return math.degrees(math.acos(min(cosines.max().item(), 1.0)))


def pentagon_values(runs: dict[float, dict]) -> dict[str, Quoted]:
    values = {}
    for sparsity, run in runs.items():
        key = key_of(sparsity)
        Ws = run["W"]
        shapes = [shape(W) for W in Ws]
        values.update(quote_rate(f"pentagon_{key}", shapes.count("regular"), len(shapes)))
        others = [W for W, s in zip(Ws, shapes, strict=True) if s != "regular"]
        values[f"others_{key}"] = quote(len(others))
        values[f"one_short_{key}"] = quote(shapes.count("one short"))
        kept_all = [W for W in others if lost(W) == 0]  # all five kept, but not evenly
        values[f"distorted_{key}"] = quote(len(kept_all))
        values[f"lost_{key}"] = quote(sorted(lost(W) for W in others))
        short = [
            W.norm(dim=0).min().item() for W, s in zip(Ws, shapes, strict=True) if s == "one short"
        ]
        values[f"short_max_{key}"] = quote(max(short, default=0.0), ".2g")
        values[f"short_min_{key}"] = quote(min(short, default=0.0), ".2g")
        # the four long arrows of those seeds
        square = [
            n
            for W, s in zip(Ws, shapes, strict=True)
            if s == "one short"
            for n in sorted(W.norm(dim=0).tolist())[1:]
        ]
        values[f"square_min_{key}"] = quote(min(square, default=0.0), ".2f")
        values[f"square_max_{key}"] = quote(max(square, default=0.0), ".2f")
        # how far the short arrow points from the nearest of the four long ones
        values[f"short_off_{key}"] = quote(
            max(
                (off_square(W) for W, s in zip(Ws, shapes, strict=True) if s == "one short"),
                default=0.0,
            ),
            ".0f",
        )
        regular = [W for W, s in zip(Ws, shapes, strict=True) if s == "regular"]
        values[f"pentagon_norm_{key}"] = quote(
            sum(W.norm(dim=0).mean().item() for W in regular) / len(regular), ".2f"
        )
        values[f"pentagon_angle_error_{key}"] = quote(
            max((angles(W) - 72).abs().max().item() for W in regular), ".1f"
        )
        values.update(interference(regular, key))
        biases = [b for b, s in zip(run["b"], shapes, strict=True) if s == "regular"]
        bias = torch.stack(biases).mean().item()
        values[f"bias_{key}"] = quote(bias, ".2f")
        values[f"bias_size_{key}"] = quote(-bias, ".2f")  # the page writes the minus sign
        values[f"bias_max_size_{key}"] = quote(-torch.stack(biases).max().item(), ".2f")
        # a neighbour's read-out ReLU(near x + bias) is 0 below x = -bias / near, that is
        # for this share of the feature's values (uniform on [0, 1])
        cut = -bias / values[f"near_{key}"].value
        values[f"near_cut_{key}"] = quote(cut, ".2f")
        values[f"near_cut_percent_{key}"] = quote(100 * min(cut, 1.0), ".0f")
        # the feature's own read-out ReLU(own x + bias) is 0 below x = -bias / own
        values[f"own_cut_{key}"] = quote(-bias / values[f"own_{key}"].value, ".2f")
    return values


def interference(regular: list[torch.Tensor], key: str) -> dict[str, Quoted]:
    """In the pentagons, averaged over seeds: a feature's own weight ||W_i||^2, what it adds
    to its two neighbours' read-outs (at 72 degrees) and to the two others' (at 144)."""
    own, near, far = [], [], []
    for W in regular:
        gram = W.T @ W
        order = torch.sort(torch.atan2(W[1], W[0])).indices.tolist()
        for place, i in enumerate(order):
            own.append(gram[i, i].item())
            near.append(gram[i, order[(place + 1) % N_FEATURES]].item())
            far.append(gram[i, order[(place + 2) % N_FEATURES]].item())
    mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
    return {
        f"own_{key}": quote(mean(own), ".2f"),
        f"near_{key}": quote(mean(near), ".2f"),
        f"far_{key}": quote(mean(far), ".2f"),
        f"far_size_{key}": quote(-mean(far), ".2f"),
    }


def series_values(series: list[dict]) -> dict[str, Quoted]:
    kept = [int((r["W"].norm(dim=0) > KEPT).sum()) for r in series]
    return {"series_sparsities": quote(SERIES, "g"), "series_kept": quote(kept)}


# ------------------------------------------------------------------------ the dense cases


def dense_runs() -> dict[str, torch.Tensor]:
    """Sparsity 0: importance 0.9**i, and equal importance, 20 seeds each."""
    decaying = torch.tensor([DECAY**i for i in range(N_FEATURES)])
    n = len(DENSE_SEEDS)
    importance = torch.cat([decaying.expand(n, N_FEATURES), torch.ones(n, N_FEATURES)])
    run = train_many(
        N_HIDDEN, torch.zeros(2 * n), importance, DENSE_SEEDS * 2, DENSE_STEPS, BATCH, DENSE_LR
    )
    return {"decaying": run.W[:n], "equal": run.W[n:]}


def dense_values(runs: dict[str, torch.Tensor]) -> dict[str, Quoted]:
    decaying = runs["decaying"].norm(dim=1)  # (seeds, features)
    equal = runs["equal"]
    eye = torch.eye(N_HIDDEN)
    return {
        "dense_seeds": quote(len(DENSE_SEEDS)),
        "dense_steps": quote(DENSE_STEPS, ","),
        "dense_lr": quote(DENSE_LR),
        "decay": quote(DECAY),
        "decaying_kept_min": quote(decaying[:, :2].min().item(), ".3f"),
        "decaying_dropped_max": quote(decaying[:, 2:].max().item(), ".3f"),
        "equal_orthonormal_max": quote(max((W @ W.T - eye).norm().item() for W in equal), ".3f"),
        "equal_long_min": quote(min(int((W.norm(dim=0) > 0.2).sum()) for W in equal)),
    }


# ----------------------------------------------------------------- the privileged basis

PRIVILEGED_IMPORTANCE = [0.7**i for i in range(N_FEATURES)]  # feature 1 matters most
PRIVILEGED_SPARSITIES = [0.0, 0.9]
# the cheapest settings with a wide margin; with fewer steps some neurons have not settled
PRIVILEGED_STEPS, PRIVILEGED_BATCH, PRIVILEGED_LR = 1000, 48, 0.1


def privileged_runs() -> Instances:
    """ReluToyModels (a ReLU on each hidden number), the same 100 seeds dense and sparse."""
    sparsity = [s for s in PRIVILEGED_SPARSITIES for _ in SEEDS]
    run = train_many(
        N_HIDDEN,
        torch.tensor(sparsity),
        torch.tensor(PRIVILEGED_IMPORTANCE).expand(len(sparsity), N_FEATURES),
        SEEDS * len(PRIVILEGED_SPARSITIES),
        PRIVILEGED_STEPS,
        PRIVILEGED_BATCH,
        PRIVILEGED_LR,
        privileged=True,
    )
    return run


def turn(degrees: float) -> torch.Tensor:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return torch.tensor([[c, -s], [s, c]])


def draw_neurons(models: list, path: Path) -> None:
    """ReLU models in the plane of their two neurons: one arrow per feature (a column of W),
    blue if the model represents the feature, grey if not."""
    fig, axes = new_figure(1, len(models), width=6.4, height=3.3)
    for ax, model in zip(axes[0], models, strict=True):
        W, kept = model.W.detach(), represented(model)
        ax.axhline(0, color=GREY, linewidth=0.8)
        ax.axvline(0, color=GREY, linewidth=0.8)
        for i in range(N_FEATURES):
            ax.annotate(
                "",
                xy=(W[0, i].item(), W[1, i].item()),
                xytext=(0, 0),
                arrowprops={"arrowstyle": "-|>", "color": BLUE if kept[i] else GREY},
            )
            tip = W[:, i] * (1 + 0.25 / max(W[:, i].norm().item(), 0.25))
            ax.text(tip[0].item(), tip[1].item(), str(i + 1), ha="center", va="center")
        ax.set_xlim(-1.6, 1.6)
        ax.set_ylim(-1.6, 1.6)
        ax.set_aspect("equal")
        ax.set_xticks([-1, 0, 1])
        ax.set_yticks([-1, 0, 1])
        ax.set_xlabel("$h_1$")
        ax.set_ylabel("$h_2$", rotation=0)
    save(fig, path)


def privileged_values(runs: Instances, out: Path) -> dict[str, Quoted]:
    n = len(SEEDS)
    models = [instance(runs, k, privileged=True) for k in range(len(runs.W))]
    values = {}
    census = [(int(represented(m).sum()), int(polysemantic(m).sum())) for m in models]
    # the figure: the first dense seed with a neuron per feature, the first sparse seed
    # with three features in two polysemantic neurons
    dense = next(k for k in range(n) if census[k] == (2, 0))
    sparse = next(k for k in range(n, 2 * n) if census[k] == (3, 2))
    draw_neurons([models[dense], models[sparse]], out / "superposition-neurons.svg")
    values["privileged_dense_example"] = quote(SEEDS[dense])
    values["privileged_sparse_example"] = quote(SEEDS[sparse - n])
    for i, sparsity in enumerate(PRIVILEGED_SPARSITIES):
        key = "dense" if sparsity == 0 else "sparse"
        group = models[i * n : (i + 1) * n]
        census = [(int(represented(m).sum()), int(polysemantic(m).sum())) for m in group]
        for kept in (1, 2, 3):
            values[f"privileged_{key}_{kept}"] = quote(sum(c[0] == kept for c in census))
        values.update(
            quote_rate(f"privileged_{key}_poly", sum(c[1] > 0 for c in census), len(census))
        )
    x = make_batch(N_FEATURES, 0.9, 2000, seed=1)
    with torch.no_grad():
        change = [(rotated(m, turn(30))(x) - m(x)).abs().max().item() for m in models]
    values["privileged_turn_min"] = quote(min(change), ".2f")
    values["privileged_steps"] = quote(PRIVILEGED_STEPS, ",")
    values["privileged_batch"] = quote(PRIVILEGED_BATCH)
    values["privileged_lr"] = quote(PRIVILEGED_LR)
    values["privileged_decay"] = quote(0.7)
    return values


# ----------------------------------------------------------------------- the phase diagram


def phase_of(w: torch.Tensor) -> str:
    """What a 1 x 2 W does with the two features: a weight above KEPT keeps its feature, one
    below ABSENT leaves it out; anything in between is a mixture."""
    first, second = w.abs().tolist()
    if first > KEPT and second > KEPT and w[0] * w[1] < 0:
        return "both, opposite"
    if first > KEPT and second < ABSENT:
        return "feature 1 only"
    if second > KEPT and first < ABSENT:
        return "feature 2 only"
    return "mixed"


QUADRATURE = 100  # midpoints a side for the expected loss: 100 in one dimension, 100^2 in two


def expected_loss(W: torch.Tensor, b: torch.Tensor, density: float, ratio: float) -> torch.Tensor:
    """The expected loss of models of two features in one dimension (W: (K, 1, 2), b: (K, 2))
    at that density, importance (1, ratio), by the midpoint rule: no feature, one (each
    uniform on [0, 1]) or both, each case weighted by its probability. Every model is
    judged on the same integral, not on the batches it happened to train on."""
    t = (torch.arange(QUADRATURE, dtype=torch.float64) + 0.5) / QUADRATURE
    zero = torch.zeros_like(t)
    a, c = torch.meshgrid(t, t, indexing="ij")
    cases = [  # (inputs, probability)
        (torch.zeros(1, 2, dtype=torch.float64), (1 - density) ** 2),
        (torch.stack([t, zero], dim=1), density * (1 - density)),
        (torch.stack([zero, t], dim=1), density * (1 - density)),
        (torch.stack([a.flatten(), c.flatten()], dim=1), density**2),
    ]
    W, b = W.double(), b.double()
    weight = torch.tensor([1.0, ratio], dtype=torch.float64)
    total = torch.zeros(len(W), dtype=torch.float64)
    for x, probability in cases:
        out = torch.relu(x @ W.transpose(1, 2) @ W + b[:, None, :])  # (K, points, 2)
        total += probability * (weight * (out - x) ** 2).sum(dim=2).mean(dim=1)
    return total


def same_sign_starts() -> list[bool]:
    """For each of PHASE_SEEDS: do the two weights of its starting W have the same sign?"""
    same = []
    for seed in PHASE_SEEDS:
        torch.manual_seed(seed)
        w = ToyModel(2, 1).W.detach()[0]
        same.append(bool(w[0] * w[1] > 0))
    return same


def phase_diagram() -> tuple[list[list[str]], float, float, int, dict[str, Quoted]]:
    """For each (density, importance), PHASE_SEEDS models, and the one with the lowest
    expected loss: its phase, a row per density; the largest bias of a best model that
    keeps both features; and, over those models, the largest value of one feature, alone,
    that still leaks into the other's read-out."""
    cells = [(d, r) for d in PHASE_DENSITY for r in PHASE_IMPORTANCE]
    tries = len(PHASE_SEEDS)
    run = train_many(
        1,
        torch.tensor([1 - d for d, _ in cells for _ in PHASE_SEEDS]),
        torch.tensor([[1.0, r] for _, r in cells for _ in PHASE_SEEDS]),
        PHASE_SEEDS * len(cells),
        PHASE_STEPS,
        PHASE_BATCH,
        LR,
    )
    final = torch.stack(
        [
            expected_loss(
                run.W[c * tries : (c + 1) * tries], run.b[c * tries : (c + 1) * tries], d, r
            )
            for c, (d, r) in enumerate(cells)
        ]
    )
    best = [c * tries + int(final[c].argmin()) for c in range(len(cells))]
    phases = [phase_of(run.W[k][0]) for k in best]
    # how many cells' seeds do not all end in the same phase
    split = sum(
        len({phase_of(run.W[c * tries + t][0]) for t in range(tries)}) > 1
        for c in range(len(cells))
    )
    both = [k for k, p in zip(best, phases, strict=True) if p == "both, opposite"]
    leaks = []
    for k in both:
        (w1, w2), (b1, b2) = run.W[k][0].tolist(), run.b[k].tolist()
        # feature 1 alone at x: feature 2 reads ReLU(w1 w2 x + b2), w1 w2 < 0, so it is
        # positive only for x < b2 / (-w1 w2); the same the other way round
        leaks += [max(b2, 0) / -(w1 * w2), max(b1, 0) / -(w1 * w2)]
    n = len(PHASE_IMPORTANCE)
    grid = [phases[i * n : (i + 1) * n] for i in range(len(PHASE_DENSITY))]
    # how often a run ends as the pair, by the signs of its start
    same = same_sign_starts() * len(cells)
    pair = [phase_of(run.W[k][0]) == "both, opposite" for k in range(len(same))]
    starts = {
        "phase_same_runs": quote(sum(same)),
        "phase_same_pair": quote(sum(p for p, s in zip(pair, same, strict=True) if s)),
        "phase_opposite_runs": quote(len(same) - sum(same)),
        "phase_opposite_pair": quote(sum(p for p, s in zip(pair, same, strict=True) if not s)),
    }
    return grid, max(run.b[k].max().item() for k in both), max(leaks), split, starts


def phase_values(grid: list[list[str]]) -> dict[str, Quoted]:
    flat = [p for row in grid for p in row]
    values = {key: quote(flat.count(phase)) for phase, key in PHASES.items()}
    values["phase_cells"] = quote(len(flat))
    # the densest row at which every importance is in superposition
    both = [d for d, row in zip(PHASE_DENSITY, grid, strict=True) if set(row) == {"both, opposite"}]
    values["phase_all_both_density"] = quote(max(both) if both else 0.0, ".2g")
    return values


# ------------------------------------------------------------------------------- figures


def draw_series(series: list[dict], path: Path) -> None:
    """For a few sparsities: the columns of W as arrows, and W^T W as a heat map."""
    shown = [r for r in series if r["sparsity"] in SHOWN]
    fig, axes = new_figure(2, len(shown), width=8.0, height=4.4)
    for col, r in enumerate(shown):
        W = r["W"]
        ax = axes[0][col]
        for i in range(N_FEATURES):
            colour = BLUE if W[:, i].norm() > KEPT else GREY
            ax.annotate(
                "",
                xy=(W[0, i].item(), W[1, i].item()),
                xytext=(0, 0),
                arrowprops={"arrowstyle": "-|>", "color": colour, "linewidth": 1.5},
            )
            tip = W[:, i] * (1 + 0.25 / max(W[:, i].norm().item(), 0.25))
            ax.text(tip[0].item(), tip[1].item(), str(i + 1), ha="center", va="center")
        ax.set_xlim(-1.5, 1.5)
        ax.set_ylim(-1.5, 1.5)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"$S = {r['sparsity']:g}$")
        image = axes[1][col].imshow(
            (W.T @ W).numpy(), cmap="RdBu_r", vmin=-1.3, vmax=1.3, interpolation="nearest"
        )
        axes[1][col].set_xticks(range(N_FEATURES), [str(i + 1) for i in range(N_FEATURES)])
        axes[1][col].set_yticks(range(N_FEATURES), [str(i + 1) for i in range(N_FEATURES)])
    fig.colorbar(image, ax=axes[1], shrink=0.8, ticks=[-1, 0, 1])
    save(fig, path)


def draw_phases(grid: list[list[str]], path: Path) -> None:
    colours = {"feature 1 only": GREY, "feature 2 only": ORANGE, "both, opposite": BLUE}
    colours["mixed"] = PURPLE
    order = list(PHASES)
    codes = [[order.index(p) for p in row] for row in grid]
    fig, [[ax]] = new_figure(width=4.6, height=3.6)
    ax.imshow(
        codes,
        cmap=ListedColormap([colours[p] for p in order]),
        vmin=-0.5,
        vmax=len(PHASES) - 0.5,
        origin="upper",
        aspect="auto",
    )
    ax.set_xticks([0, 4, 8], ["0.1", "1", "10"])
    ax.set_yticks([0, 4, 8], ["1", "0.1", "0.01"])
    ax.set_xlabel("$I_2 / I_1$")
    ax.set_ylabel("$1 - S$")
    for i, row in enumerate(grid):
        for j, p in enumerate(row):
            mark = {"feature 1 only": "1", "feature 2 only": "2", "both, opposite": "±"}.get(p, "~")
            colour = text_colour_on(colours[p])  # the cells keep their colours in both schemes
            pin(ax.text(j, i, mark, ha="center", va="center", color=colour, fontsize=9))
    save(fig, path)


# ---------------------------------------------------------------------------------- run


def matrix(t: torch.Tensor) -> list:
    return [[round(v, 6) for v in row] for row in t.tolist()]


def run(out: Path) -> dict[str, Quoted | Data]:
    values: dict[str, Quoted | Data] = {
        "features": quote(N_FEATURES),
        "hidden": quote(N_HIDDEN),
        "seeds": quote(len(SEEDS)),
        "steps": quote(STEPS, ","),
        "batch": quote(BATCH),
        "lr": quote(LR),
    }
    sparse = sparse_runs()
    values.update(pentagon_values(sparse["pentagon"]))
    values.update(series_values(sparse["series"]))
    draw_series(sparse["series"], out / "superposition-series.svg")
    values.update(dense_values(dense_runs()))
    privileged = privileged_runs()
    values.update(privileged_values(privileged, out))
    values["privileged"] = Data({"W": privileged.W.tolist(), "b": privileged.b.tolist()})
    grid, both_bias, leak, split, starts = phase_diagram()
    values.update(starts)
    values.update(phase_values(grid))
    values["phase_seeds"] = quote(len(PHASE_SEEDS))
    values["phase_steps"] = quote(PHASE_STEPS, ",")
    values["phase_batch"] = quote(PHASE_BATCH)
    values["phase_split"] = quote(split)
    values["phase_both_bias_max"] = quote(both_bias, ".2f")
    values["phase_leak_max"] = quote(leak, ".2f")
    values["phases"] = Data(grid)
    draw_phases(grid, out / "superposition-phases.svg")
    values["widget"] = Data(
        {
            "features": N_FEATURES,
            "instances": [
                {
                    "sparsity": r["sparsity"],
                    "W": matrix(r["W"]),
                    "b": [round(v, 6) for v in r["b"].tolist()],
                }
                for r in sparse["series"]
            ],
        }
    )
    # at S = 0.95: how often two or more of the five features are active at once
    p = 1 - 0.95
    two_or_more = 1 - (1 - p) ** N_FEATURES - N_FEATURES * p * (1 - p) ** (N_FEATURES - 1)
    values["collide_every_95"] = quote(1 / two_or_more, ".0f")
    return values
