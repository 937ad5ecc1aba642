"""Chapter 2 at build time: the target, the network's graph, one training run and a seed sweep."""

from __future__ import annotations

import statistics
from pathlib import Path

import torch
from matplotlib.patches import Circle

from site_tools.figures import BLUE, GREY, ORANGE, new_figure, save
from site_tools.results import Quoted, quote
from snippets.minimum import (
    MinModel,
    fit_lambda,
    forward_many,
    hardwired,
    make_data,
    read_lambda,
    train,
)
from snippets.sweep import train_many, unstack

SEEDS = list(range(100))
EPOCHS, LR = 3000, 0.03  # train()'s defaults (a test checks they agree)
GROUPS = ["near_1", "near_0", "near_half", "between", "unreadable", "not_exact"]


def integer_grid() -> torch.Tensor:
    """Every integer pair in [-50, 50]^2."""
    values = torch.arange(-50.0, 51)
    return torch.cartesian_prod(values, values)


def max_error(model: MinModel) -> float:
    grid = integer_grid()
    with torch.no_grad():
        return (model(grid) - grid.min(dim=1, keepdim=True).values).abs().max().item()


def group_of(lam: float | None, error: float) -> str:
    if error >= 0.5:
        return "not_exact"  # some integer pair does not even round to its minimum
    if lam is None:
        return "unreadable"
    for name, centre in [("near_1", 1.0), ("near_0", 0.0), ("near_half", 0.5)]:
        if abs(lam - centre) <= 0.05:
            return name
    return "between"


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


def draw_lambdas(readable: list[float], unreadable: list[float], path: Path) -> None:
    """Stacked histogram of the fitted lambdas: within tolerance of the family, and not yet."""
    fig, [[ax]] = new_figure(height=2.6)
    bins = [i / 40 for i in range(-8, 49)]
    ax.hist([readable, unreadable], bins=bins, stacked=True, color=[BLUE, ORANGE])
    for centre in (0, 0.5, 1):
        ax.axvline(centre, color=GREY, linestyle="--", linewidth=1)
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


def run(out: Path) -> dict[str, Quoted]:
    draw_target(out / "minimum-target.svg")
    draw_graph(out / "minimum-graph.svg")
    x, y = make_data()
    single = train(seed=0, epochs=EPOCHS, lr=LR)
    sweep = train_many(MinModel, forward_many, SEEDS, x, y, steps=EPOCHS, lr=LR)
    models = [unstack(MinModel, sweep.params, k) for k in range(len(SEEDS))]
    fitted = [fit_lambda(m)[0] for m in models]
    lambdas = [read_lambda(m) for m in models]
    errors = [max_error(m) for m in models]
    groups = [group_of(lam, err) for lam, err in zip(lambdas, errors, strict=True)]

    def fitted_in(*names: str) -> list[float]:
        return [lam for lam, g in zip(fitted, groups, strict=True) if g in names]

    draw_lambdas(
        fitted_in("near_1", "near_0", "near_half", "between"),
        fitted_in("unreadable"),
        out / "minimum-lambdas.svg",
    )
    values = {
        **branch_products(single.model),
        "seeds": quote(len(SEEDS)),
        "epochs": quote(EPOCHS, ","),
        "lr": quote(LR),
        "hardwired_error": quote(max_error(hardwired()), "g"),
        "seed0_error": quote(max_error(single.model), ".2g"),
        "seed0_lambda": quote(abs(fit_lambda(single.model)[0]), ".2f"),
        "between_lambdas": quote(sorted(fitted_in("between")), ".2f"),
        "count_exact": quote(sum(g != "not_exact" for g in groups)),
        "unreadable_near_0_or_1": quote(
            sum(min(abs(lam), abs(lam - 1)) <= 0.1 for lam in fitted_in("unreadable"))
        ),
    }
    for name in GROUPS:
        errs = [e for e, g in zip(errors, groups, strict=True) if g == name]
        values[f"count_{name}"] = quote(len(errs))
        median = statistics.median(errs) if errs else None
        values[f"median_error_{name}"] = quote(median, ".2g") if errs else quote(None, text="–")
        values[f"worst_error_{name}"] = quote(max(errs), ".2g") if errs else quote(None, text="–")
    return values
