"""Chapter 2 at build time: the target, the network's graph, one training run and a seed sweep."""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

import torch
from matplotlib.patches import Circle

from site_tools.figures import BLUE, GREY, ORANGE, new_figure, save
from site_tools.results import Data, Quoted, quote, quote_rate
from snippets.minimum import (
    MinModel,
    branch_shapes,
    fit_lambda,
    forward_many,
    hardwired,
    integer_grid,
    make_data,
    train,
)
from snippets.sweep import train_many, unstack

SEEDS = list(range(100))
EPOCHS, LR = 3000, 0.03  # train()'s defaults (a test checks they agree)
# the error tiers the page reports: largest error on the grid at most this much
# (the last, "rounds": below 0.5, so that every pair rounds to its minimum)
TIERS = {"0_001": 0.001, "0_01": 0.01, "0_05": 0.05, "rounds": 0.5}
# how the two branches of a seed fold (branch_shapes), one row of the page's table each
PATTERNS = {
    "diag_dead": ("diagonal", "dead"),
    "diag_straight": ("diagonal", "straight"),
    "diag_diag": ("diagonal", "diagonal"),
    "diag_off": ("diagonal", "off"),
    "off_off": ("off", "off"),
}
LAMBDA_GROUPS = ["near_1", "near_0", "near_half", "between"]
LOSS_WINDOW = 1000  # is the loss still falling: the last step against this many steps before


def max_error(model: MinModel) -> float:
    grid = integer_grid()
    with torch.no_grad():
        return (model(grid) - grid.min(dim=1, keepdim=True).values).abs().max().item()


def within(error: float, tier: str) -> bool:
    return error < 0.5 if tier == "rounds" else error <= TIERS[tier]


def pattern_of(shapes: list[tuple[str, float]]) -> str:
    """The table row of a seed: which shapes its two branches have, in either order."""
    names = sorted(shape for shape, _ in shapes)
    for key, pattern in PATTERNS.items():
        if names == sorted(pattern):
            return key
    return "other"


def lambda_group(lam: float) -> str:
    for name, centre in [("near_1", 1.0), ("near_0", 0.0), ("near_half", 0.5)]:
        if abs(lam - centre) <= 0.05:
            return name
    return "between"


def lists(key: str, values: list, spec: str = "") -> dict[str, Quoted]:
    """A list as English prose writes it ("1, 2 and 3"; a Chinese page gets "1、2、3")."""
    texts = [format(v, spec) for v in values]
    english = " and ".join([", ".join(texts[:-1]), texts[-1]] if len(texts) > 1 else texts)
    return {key: quote(values, spec, text=english)}


def draw_target(path: Path) -> None:
    values = torch.arange(-50.0, 51)
    a, b = (t.numpy() for t in torch.meshgrid(values, values, indexing="xy"))
    target = torch.minimum(torch.from_numpy(a), torch.from_numpy(b)).numpy()
    fig, [[ax]] = new_figure(width=4.6, height=3.8)
    image = ax.imshow(target, origin="lower", extent=(-50.5, 50.5, -50.5, 50.5), cmap="viridis")
    ax.contour(
        a,
        b,
        target,
        levels=range(-40, 50, 10),
        colors="white",
        linewidths=0.6,
        negative_linestyles="solid",
    )
    ax.plot([-50, 50], [-50, 50], color="white", linestyle="--", linewidth=1)
    ax.set_xlabel("$a$")
    ax.set_ylabel("$b$")
    ax.grid(False)
    fig.colorbar(image, ax=ax, label=r"$\min(a, b)$")
    save(fig, path)


def draw_graph(path: Path) -> None:
    """The hand-wired network as a graph: inputs, two ReLU neurons, the output."""
    at = {"a": (0.0, 2.0), "b": (0.0, 0.0), "h1": (2.0, 2.0), "h2": (2.0, 0.0), "y": (4.0, 1.0)}
    label = {"a": "$a$", "b": "$b$", "h1": "ReLU", "h2": "ReLU", "y": r"$\hat y$"}
    edges = [  # (from, to, weight, where along the edge its label goes)
        ("a", "h1", "+1", 0.5),
        ("b", "h1", "−1", 0.25),
        ("a", "h2", "−1", 0.25),
        ("b", "h2", "+1", 0.5),
        ("h1", "y", "−½", 0.5),
        ("h2", "y", "−½", 0.5),
    ]
    fig, [[ax]] = new_figure(width=5.4, height=3.0)
    for start, end, weight, where in edges:
        (x0, y0), (x1, y1) = at[start], at[end]
        ax.annotate(
            "",
            (x1, y1),
            (x0, y0),
            arrowprops={"arrowstyle": "-|>", "color": BLUE, "shrinkA": 17, "shrinkB": 17},
        )
        ax.text(
            x0 + where * (x1 - x0),
            y0 + where * (y1 - y0) + 0.13,
            weight,
            ha="center",
            color=BLUE,
            fontsize=11,
        )
    for start, side in [("a", 1), ("b", -1)]:  # the skip connections, around the outside
        ax.annotate(
            "",
            at["y"],
            at[start],
            arrowprops={
                "arrowstyle": "-|>",
                "color": GREY,
                "linestyle": "--",
                "shrinkA": 17,
                "shrinkB": 17,
                "connectionstyle": f"arc3,rad={-0.45 * side}",
            },
        )
        ax.text(2.0, 1.0 + side * 1.62, "+½", ha="center", color=GREY, fontsize=11)
    for key, (x, y) in at.items():
        hidden = key in ("h1", "h2")
        ax.add_patch(
            Circle(
                (x, y), 0.3, facecolor=ORANGE if hidden else "white", edgecolor="black", zorder=3
            )
        )
        ax.text(
            x,
            y,
            label[key],
            ha="center",
            va="center",
            zorder=4,
            fontsize=9 if hidden else 13,
            color="white" if hidden else "black",
        )
    ax.set_xlim(-0.5, 4.5)
    ax.set_ylim(-1.0, 3.0)
    ax.set_aspect("equal")
    ax.axis("off")
    save(fig, path)


def draw_lambdas(on_diagonal: list[float], both_off: list[float], path: Path) -> None:
    """Stacked histogram of the fitted lambdas, in bins of 1/40 centred on 0, 1/40, ...:
    seeds with a fold on the diagonal, and seeds whose two folds are both off it. Only
    the bins that hold a seed are drawn (an empty bar is bytes for nothing)."""
    width = 1 / 40
    blue = Counter(round(lam / width) for lam in on_diagonal)
    orange = Counter(round(lam / width) for lam in both_off)
    fig, [[ax]] = new_figure(height=2.6)
    ax.bar([i * width for i in sorted(blue)], [blue[i] for i in sorted(blue)], width, color=BLUE)
    ax.bar(
        [i * width for i in sorted(orange)],
        [orange[i] for i in sorted(orange)],
        width,
        bottom=[blue[i] for i in sorted(orange)],
        color=ORANGE,
    )
    for centre in (0, 0.5, 1):
        ax.axvline(centre, color=GREY, linestyle="--", linewidth=1)
    ax.set_xlim(-0.2, 1.2)
    ax.set_xlabel(r"$\lambda$")
    save(fig, path)


def branch_products(model: MinModel) -> dict[str, Quoted]:
    """For each branch of a model: its scale s = |w_a - w_b|/2, its output weight |v|, and
    their product, which is all that matters (v * ReLU(s*z) = v*s * ReLU(z) for s > 0)."""
    v = model.output.weight.detach()[0].tolist()
    values, total = {}, 0.0
    for i, branch in enumerate([model.branch1, model.branch2], start=1):
        w_a, w_b = branch.weight.detach()[0].tolist()
        scale, out = abs(w_a - w_b) / 2, abs(v[1 + i])
        values[f"seed0_scale{i}"] = quote(scale, ".2f")
        values[f"seed0_out{i}"] = quote(out, ".2f")
        values[f"seed0_product{i}"] = quote(scale * out, ".2f")
        total += scale * out
    values["seed0_product_sum"] = quote(total, ".2f")
    return values


def seed_record(seed: int, model: MinModel, loss: torch.Tensor) -> dict:
    """What the page says about one seed of the sweep, and its weights for the tests."""
    grid = integer_grid()
    with torch.no_grad():
        errors = (model(grid) - grid.min(dim=1, keepdim=True).values).abs()[:, 0]
        worst = int(errors.argmax())
        # where each branch is on: a straight branch is off at only a few pairs
        off_pairs = [int((b(grid)[:, 0] <= 0).sum()) for b in (model.branch1, model.branch2)]
        # the same weights in float64: how far from exact the weights themselves are
        exact = model.double()(grid.double()) - grid.double().min(dim=1, keepdim=True).values
        model.float()
    shapes = branch_shapes(model)
    return {
        "seed": seed,
        "error": errors.max().item(),
        "error_float64": exact.abs().max().item(),
        "worst_on_diagonal": bool(grid[worst, 0] == grid[worst, 1]),
        "shapes": [shape for shape, _ in shapes],
        "gaps": [gap for _, gap in shapes],
        "pattern": pattern_of(shapes),
        "lambda": fit_lambda(model)[0],
        "off_pairs": off_pairs,
        "loss_at_end": loss[-1].item(),
        "loss_before": loss[-1 - LOSS_WINDOW].item(),
        "weights": {name: value.flatten().tolist() for name, value in model.state_dict().items()},
    }


def run(out: Path) -> dict[str, Quoted | Data]:
    draw_target(out / "minimum-target.svg")
    draw_graph(out / "minimum-graph.svg")
    x, y = make_data()
    single = train(seed=0, epochs=EPOCHS, lr=LR)
    sweep = train_many(MinModel, forward_many, SEEDS, x, y, steps=EPOCHS, lr=LR)
    seeds = [
        seed_record(seed, unstack(MinModel, sweep.params, k), sweep.loss[:, k])
        for k, seed in enumerate(SEEDS)
    ]
    rounds = [s for s in seeds if within(s["error"], "rounds")]
    draw_lambdas(
        [s["lambda"] for s in rounds if "diagonal" in s["shapes"]],
        [s["lambda"] for s in rounds if "diagonal" not in s["shapes"]],
        out / "minimum-lambdas.svg",
    )
    n = len(SEEDS)
    values: dict[str, Quoted | Data] = {
        **branch_products(single.model),
        "seeds": quote(n),
        "epochs": quote(EPOCHS, ","),
        "lr": quote(LR),
        "loss_window": quote(LOSS_WINDOW, ","),
        "grid_pairs": quote(len(integer_grid()), ","),
        "data_on_diagonal": quote(int((x[:, 0] == x[:, 1]).sum())),
        "data_pairs": quote(len(x), ","),
        "hardwired_error": quote(max_error(hardwired()), "g"),
        "seed0_error": quote(max_error(single.model), ".2g"),
        "seed0_gap": quote(max(gap for _, gap in branch_shapes(single.model)), ".2f"),
        "seed0_lambda": quote(abs(fit_lambda(single.model)[0]), ".2f"),
        "worst_error": quote(max(s["error"] for s in seeds), ".2f"),
        "best_error": quote(min(s["error_float64"] for s in seeds), ".1g"),
        "sweep": Data(seeds),
    }
    for tier in TIERS:
        count = sum(within(s["error"], tier) for s in seeds)
        values.update(quote_rate(f"within_{tier}", count, n))
    for key in [*PATTERNS, "other"]:
        group = [s for s in seeds if s["pattern"] == key]
        values[f"count_{key}"] = quote(len(group))
        for tier in TIERS:
            values[f"{key}_within_{tier}"] = quote(sum(within(s["error"], tier) for s in group))
        worst = max((s["error"] for s in group), default=None)
        values[f"worst_error_{key}"] = quote(worst, ".2g") if group else quote(None, text="–")
    # the seeds with a straight branch: which, and at how many pairs that branch is off
    straight = [s for s in seeds if s["pattern"] == "diag_straight"]
    values.update(lists("straight_seeds", [s["seed"] for s in straight]))
    values["straight_off_pairs_max"] = quote(
        max((s["off_pairs"][s["shapes"].index("straight")] for s in straight), default=0)
    )
    # both folds off the diagonal: where the largest error sits, and is the loss still falling
    both_off = [s for s in seeds if s["pattern"] == "off_off"]
    values["off_off_worst_on_diagonal"] = quote(sum(s["worst_on_diagonal"] for s in both_off))
    values["off_off_loss_falling"] = quote(
        sum(s["loss_at_end"] < s["loss_before"] for s in both_off)
    )
    values["off_off_median_error"] = quote(statistics.median(s["error"] for s in both_off), ".2g")
    # where the seeds that round correctly sit in the family
    groups = [lambda_group(s["lambda"]) for s in rounds]
    for name in LAMBDA_GROUPS:
        values[f"lambda_{name}"] = quote(groups.count(name))
    values["lambda_elsewhere"] = quote(groups.count("near_half") + groups.count("between"))
    return values


def benchmarks() -> dict:
    """The chapter's seed sweep, for scripts/bench.py: name -> (sweep of seeds, one seed alone)."""
    x, y = make_data()

    def sweep(seeds: list[int]):
        return train_many(MinModel, forward_many, seeds, x, y, steps=EPOCHS, lr=LR)

    return {"minimum": (sweep, lambda: train(seed=0, epochs=EPOCHS, lr=LR))}
