"""Chapter 2 at build time: the target, the network's graph, one training run, a seed sweep,
the sweep's slow seeds trained again with the pairs on the diagonal weighted up, and its
FLOAT64_SEEDS most accurate seeds trained again in float64 (in another order there)."""

from __future__ import annotations

import base64
import math
import re
import statistics
import struct
from pathlib import Path

import torch
from matplotlib.patches import Circle

from site_tools.figures import BLUE, GREY, ORANGE, new_figure, pin, save, text_colour_on
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

EXPECTED_SECONDS = 30  # run() on 2 cores: the build starts the longest first
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
LAMBDA_TOL = 0.05  # read_lambda's default: a fit is accepted when its misfit is at most this
LOSS_WINDOW = 1000  # is the loss still falling: the last step against this many steps before
WEIGHT_ORDER = [  # the widget's eleven weights of a seed, in this order
    "branch1.weight",
    "branch1.bias",
    "branch2.weight",
    "branch2.bias",
    "output.weight",
    "output.bias",
]
REPEAT = 20  # the rerun counts every training pair with a = b this many times
# the sweep's most accurate seeds, trained again in float64: the more, the less likely that
# their float32 order (rounding noise, which differs between processors) is also their float64 one
FLOAT64_SEEDS = 6


def save_small(fig, path: Path) -> None:
    """save(), then drop comments and the whitespace between tags, in both drawings (wide
    and narrow): the same figures in fewer bytes, which leaves room on the page for its
    widget."""
    save(fig, path)
    for drawing in (path, path.with_suffix(".narrow.svg")):
        if drawing.exists():
            text = re.sub(r"<!--.*?-->", "", drawing.read_text(encoding="utf-8"), flags=re.S)
            drawing.write_text(re.sub(r">\s+<", "><", text), encoding="utf-8")


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
    save_small(fig, path)


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
        fill = ORANGE if hidden else "white"
        disc = ax.add_patch(Circle((x, y), 0.3, facecolor=fill, edgecolor="black", zorder=3))
        text = ax.text(
            x,
            y,
            label[key],
            ha="center",
            va="center",
            zorder=4,
            fontsize=9 if hidden else 13,
            color=text_colour_on(fill),
        )
        if hidden:  # an orange disc and its label: the same colours in both schemes
            pin(disc, text)
    ax.set_xlim(-0.5, 4.5)
    ax.set_ylim(-1.0, 3.0)
    ax.set_aspect("equal")
    ax.axis("off")
    save_small(fig, path)


def draw_lambdas(on_diagonal: list[dict], both_off: list[dict], path: Path) -> None:
    """Each seed's fitted lambda against its misfit (log scale): seeds with a fold on the
    diagonal, and seeds whose two folds are both off it. The dashed horizontal line is
    read_lambda's tolerance; the dashed vertical lines are lambda = 0, 1/2 and 1."""
    fig, [[ax]] = new_figure(height=2.8)
    for group, colour, marker in [(on_diagonal, BLUE, "o"), (both_off, ORANGE, "^")]:
        ax.scatter(
            [s["lambda"] for s in group],
            [s["misfit"] for s in group],
            s=14,
            color=colour,
            marker=marker,
            linewidths=0,
        )
    for centre in (0, 0.5, 1):
        ax.axvline(centre, color=GREY, linestyle="--", linewidth=1)
    ax.axhline(LAMBDA_TOL, color=GREY, linestyle="--", linewidth=1)
    ax.set_yscale("log")
    lowest = min(s["misfit"] for s in on_diagonal + both_off)
    ax.set_ylim(10 ** math.floor(math.log10(lowest)), 1)
    ax.set_xlim(-0.2, 1.2)
    ax.set_xlabel(r"$\lambda$")
    ax.set_ylabel(r"$m$")
    ax.minorticks_off()
    save_small(fig, path)


def branch_products(model: MinModel) -> dict[str, Quoted]:
    """For each branch of a model: its scale s = |w_a - w_b|/2, its output weight |v|, and
    their product, which is all that matters (v * ReLU(s*z) = v*s * ReLU(z) for s > 0)."""
    v = model.output.weight.detach()[0].tolist()
    values, total = {}, 0.0
    for i, branch in enumerate([model.branch1, model.branch2], start=1):
        w_a, w_b = branch.weight.detach()[0].tolist()
        scale, out = abs(w_a - w_b) / 2, abs(v[1 + i])
        values[f"seed0_scale{i}"] = quote(scale, ".3f")
        values[f"seed0_out{i}"] = quote(out, ".3f")
        values[f"seed0_product{i}"] = quote(scale * out, ".3f")
        total += scale * out
    values["seed0_product_sum"] = quote(total, ".3f")
    return values


def float32_resolution(model: MinModel) -> float:
    """How far the output can move on the grid when every weight moves by half a float32
    step, as rounding it to float32 may: to first order, the largest over the grid of
    sum over weights w of |d output / d w| * (the float32 spacing at w) / 2."""
    grid = integer_grid().double()
    a, b = grid[:, 0], grid[:, 1]
    weights = {name: p.detach() for name, p in model.named_parameters()}
    half = {  # half the gap from |w| to the next float32 number up
        name: ((torch.nextafter(w.abs(), torch.tensor(math.inf)) - w.abs()) / 2).double()
        for name, w in weights.items()
    }
    w = {name: value.double() for name, value in weights.items()}
    v, dv = w["output.weight"][0], half["output.weight"][0]
    total = dv[0] * a.abs() + dv[1] * b.abs() + half["output.bias"][0]
    for i in (1, 2):
        (w_a, w_b), beta = w[f"branch{i}.weight"][0], w[f"branch{i}.bias"][0]
        (dw_a, dw_b), dbeta = half[f"branch{i}.weight"][0], half[f"branch{i}.bias"][0]
        z = w_a * a + w_b * b + beta
        on = (z > 0).double()
        total = total + dv[1 + i] * torch.relu(z)
        total = total + v[1 + i].abs() * on * (dw_a * a.abs() + dw_b * b.abs() + dbeta)
    return total.max().item()


def bend_parts(weights: dict[str, list[float]]) -> list[float]:
    """Each branch's part in the bend along the diagonal: its output weight times the part
    of its input that reads a - b, |v (w_a - w_b) / 2| (a member of the family's parts add
    up to 1)."""
    v = weights["output.weight"]
    return [
        abs(v[1 + i] * (weights[f"branch{i}.weight"][0] - weights[f"branch{i}.weight"][1]) / 2)
        for i in (1, 2)
    ]


def float64_error(weights: dict[str, list[float]]) -> float:
    """The largest error on the grid of a MinModel with these weights, in float64."""
    model = MinModel().double()
    shapes = {name: value.shape for name, value in model.state_dict().items()}
    model.load_state_dict(
        {
            name: torch.tensor(weights[name], dtype=torch.float64).reshape(shape)
            for name, shape in shapes.items()
        }
    )
    grid = integer_grid().double()
    with torch.no_grad():
        return (model(grid) - grid.min(dim=1, keepdim=True).values).abs().max().item()


def zeros_of_the_family(seed: dict) -> tuple[list[float], dict[str, list[float]]]:
    """A seed with one branch on the diagonal and one dead: the four weights that are exactly
    0 in the member of the family it is near (the output's bias, the diagonal branch's bias,
    the dead branch's output weight, and the skip weight on b if the branch reads a - b,
    lambda = 1, or on a if it reads b - a, lambda = 0), as trained, and the weights with
    those four set to 0."""
    weights = {name: list(value) for name, value in seed["weights"].items()}
    diagonal, dead = seed["shapes"].index("diagonal") + 1, seed["shapes"].index("dead") + 1
    skip = 1 if weights[f"branch{diagonal}.weight"][0] > 0 else 0  # the weight on b, or a
    places = [
        ("output.bias", 0),
        (f"branch{diagonal}.bias", 0),
        ("output.weight", 1 + dead),
        ("output.weight", skip),
    ]
    trained = [weights[name][i] for name, i in places]
    for name, i in places:
        weights[name][i] = 0.0
    return trained, weights


def seed_record(seed: int, model: MinModel, loss: torch.Tensor) -> dict:
    """What the page says about one seed of the sweep, and its weights for the tests."""
    grid = integer_grid()
    with torch.no_grad():
        errors = (model(grid) - grid.min(dim=1, keepdim=True).values).abs()[:, 0]
        worst = int(errors.argmax())
        # where each branch is on: a straight branch is off at only a few pairs
        off_pairs = [int((b(grid)[:, 0] <= 0).sum()) for b in (model.branch1, model.branch2)]
        # the most each branch adds to the output on the grid: |v * ReLU(z)|
        v = model.output.weight[0, 2:].tolist()
        added = [
            (v[i] * torch.relu(b(grid)[:, 0])).abs().max().item()
            for i, b in enumerate((model.branch1, model.branch2))
        ]
        # the same weights in float64: how far from exact the weights themselves are
        exact = model.double()(grid.double()) - grid.double().min(dim=1, keepdim=True).values
        model.float()
    shapes = branch_shapes(model)
    lam, misfit = fit_lambda(model)
    return {
        "seed": seed,
        "error": errors.max().item(),
        "error_float64": exact.abs().max().item(),
        "resolution": float32_resolution(model),
        "worst_on_diagonal": bool(grid[worst, 0] == grid[worst, 1]),
        "shapes": [shape for shape, _ in shapes],
        "gaps": [gap for _, gap in shapes],
        "pattern": pattern_of(shapes),
        "lambda": lam,
        "misfit": misfit,
        "off_pairs": off_pairs,
        "added": added,
        "loss_at_end": loss[-1].item(),
        "loss_before": loss[-1 - LOSS_WINDOW].item(),
        "weights": {name: value.flatten().tolist() for name, value in model.state_dict().items()},
    }


def diagonal_weighted(x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The training data with every pair on the diagonal (a = b) there REPEAT times: in the
    mean squared error each of those pairs then counts REPEAT times, nothing else changes."""
    on = x[:, 0] == x[:, 1]
    extra_x, extra_y = x[on].repeat(REPEAT - 1, 1), y[on].repeat(REPEAT - 1, 1)
    return torch.cat([x, extra_x]), torch.cat([y, extra_y])


def rerun_record(seed: int, model: MinModel) -> dict:
    """A seed of the rerun: its largest error on the grid, its branch shapes, its weights."""
    shapes = branch_shapes(model)
    return {
        "seed": seed,
        "error": max_error(model),
        "shapes": [shape for shape, _ in shapes],
        "pattern": pattern_of(shapes),
        "weights": {name: value.flatten().tolist() for name, value in model.state_dict().items()},
    }


def widget_data(seeds: list[dict]) -> dict:
    """What the page's widget needs (the full records above are for the tests): every seed's
    eleven weights, [w_a, w_b, bias] of each branch and [v_a, v_b, v_1, v_2, bias] of the
    output, as the float32 numbers training left, in one base64 string of their bytes
    (little-endian): exact, and 4 bytes a weight. The widget computes the rest itself."""
    values = [v for s in seeds for name in WEIGHT_ORDER for v in s["weights"][name]]
    packed = base64.b64encode(struct.pack(f"<{len(values)}f", *values)).decode("ascii")
    return {"seeds": len(seeds), "weights": packed, "tiers": list(TIERS.values()), "tol": 0.01}


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
        [s for s in rounds if "diagonal" in s["shapes"]],
        [s for s in rounds if "diagonal" not in s["shapes"]],
        out / "minimum-lambdas.svg",
    )
    # the seeds with both folds off the diagonal, trained again with the diagonal weighted up
    both_off = [s for s in seeds if s["pattern"] == "off_off"]
    slow = [s["seed"] for s in both_off]
    x_weighted, y_weighted = diagonal_weighted(x, y)
    rerun = train_many(MinModel, forward_many, slow, x_weighted, y_weighted, steps=EPOCHS, lr=LR)
    reruns = [rerun_record(seed, unstack(MinModel, rerun.params, k)) for k, seed in enumerate(slow)]
    n = len(SEEDS)
    best = min(seeds, key=lambda s: s["error_float64"])
    values: dict[str, Quoted | Data] = {
        **branch_products(single.model),
        "seeds": quote(n),
        "epochs": quote(EPOCHS, ","),
        "steps_one_by_one": quote(n * EPOCHS, ","),  # the sweep's seeds trained in turn
        "lr": quote(LR),
        "loss_window": quote(LOSS_WINDOW, ","),
        "grid_pairs": quote(len(integer_grid()), ","),
        "data_on_diagonal": quote(int((x[:, 0] == x[:, 1]).sum())),
        "data_pairs": quote(len(x), ","),
        "hardwired_error": quote(max_error(hardwired()), "g"),
        "seed0_error": quote(max_error(single.model), ".2g"),
        # seed 0 trained alone and its copy in the sweep: rounding makes their paths differ
        "seed0_alone_vs_sweep": quote(abs(max_error(single.model) - seeds[0]["error"]), ".1g"),
        "seed0_gap": quote(max(gap for _, gap in branch_shapes(single.model)), ".2f"),
        "seed0_lambda": quote(abs(fit_lambda(single.model)[0]), ".2f"),
        "worst_error": quote(max(s["error"] for s in seeds), ".2f"),
        # how close the best seed comes, and how much float32 weights can resolve there
        "best_seed": quote(best["seed"]),
        "best_error": quote(best["error_float64"], ".2g"),
        "best_resolution": quote(best["resolution"], ".2g"),
        "within_resolution": quote(sum(s["error_float64"] <= s["resolution"] for s in seeds)),
        **snapped(best),
        **trained_in_float64(seeds, x, y),
        "sweep": Data(seeds),
        "rerun": Data(reruns),
        "widget": Data(widget_data(seeds)),
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
    values.update(most_accurate(seeds))
    values.update(dead_branches(seeds))
    values.update(shared_bend(both_off))
    values.update(slow_seeds(both_off, reruns))
    values.update(family_positions(rounds))
    return values


def most_accurate(seeds: list[dict]) -> dict[str, Quoted]:
    """The seeds whose second branch is not dead: which, and how far from a shape."""
    values = {}
    # a nearly straight branch: at how many pairs it is off, how far it is from its line
    straight = [
        (s, s["shapes"].index("straight")) for s in seeds if s["pattern"] == "diag_straight"
    ]
    values.update(lists("straight_seeds", [s["seed"] for s, _ in straight]))
    values.update(lists("straight_off_pairs", [s["off_pairs"][i] for s, i in straight]))
    values.update(lists("straight_gaps", [s["gaps"][i] for s, i in straight], ".2g"))
    # the rest of such a seed, its straight branch counted as part of the skip connection
    values["straight_misfit_max"] = quote(max(s["misfit"] for s, _ in straight), ".1g")
    # one branch on the diagonal, the other folding off it: its output weight, what it adds
    off = [(s, s["shapes"].index("off")) for s in seeds if s["pattern"] == "diag_off"]
    values.update(lists("diag_off_seeds", [s["seed"] for s, _ in off]))
    weights = [abs(s["weights"]["output.weight"][2 + i]) for s, i in off]
    values.update(lists("diag_off_out_weights", weights, ".2g"))
    values.update(lists("diag_off_added", [s["added"][i] for s, i in off], ".2g"))
    close = [(s, i) for s, i in off if within(s["error"], "0_01")]
    values.update(lists("diag_off_within_0_01_seeds", [s["seed"] for s, _ in close]))
    weights = [abs(s["weights"]["output.weight"][2 + i]) for s, i in close]
    values.update(lists("diag_off_within_0_01_out_weights", weights, ".2g"))
    values.update(lists("diag_off_within_0_01_added", [s["added"][i] for s, i in close], ".2g"))
    return values


def snapped(best: dict) -> dict[str, Quoted]:
    """The best seed against the member of the family it is near: its four weights that are
    0 there, and its float64 error once they are set to 0 (0 is a float32 number too)."""
    if best["pattern"] != "diag_dead":
        raise RuntimeError("the best seed no longer has one diagonal and one dead branch")
    trained, zeroed = zeros_of_the_family(best)
    if min(abs(w) for w in trained) == 0:
        raise RuntimeError("one of the best seed's four weights is already 0")
    diagonal = best["shapes"].index("diagonal") + 1
    reads = "b" if best["weights"][f"branch{diagonal}.weight"][0] > 0 else "a"
    gain = best["error_float64"] / float64_error(zeroed)
    if not gain > 1:
        raise RuntimeError("setting the best seed's four small weights to 0 does not help")
    resolution = float32_resolution(min_model(zeroed))
    if not float64_error(zeroed) <= resolution:
        raise RuntimeError("the zeroed seed is off by more than rounding its weights could cause")
    return {
        "best_zero_skip": quote(reads),  # the skip weight that is 0 in the nearby member
        "best_zeros_max": quote(max(abs(w) for w in trained), ".2g"),
        "best_zeroed_error": quote(float64_error(zeroed), ".2g"),
        "best_zeroed_gain": quote(gain, ".1f"),
        "best_zeroed_resolution": quote(resolution, ".2g"),
    }


def min_model(weights: dict[str, list[float]]) -> MinModel:
    """A MinModel (float32) with these weights."""
    model = MinModel()
    shapes = {name: value.shape for name, value in model.state_dict().items()}
    model.load_state_dict(
        {name: torch.tensor(weights[name]).reshape(shape) for name, shape in shapes.items()}
    )
    return model


def min_model_float64() -> MinModel:
    """MinModel with the same starting weights (after torch.manual_seed), in float64."""
    return MinModel().double()


def trained_in_float64(
    seeds: list[dict], x: torch.Tensor, y: torch.Tensor
) -> dict[str, Quoted | Data]:
    """What stops the best seeds near 1e-5: float32 arithmetic in training. The float32
    spacing of outputs near 50, and the FLOAT64_SEEDS seeds with the smallest error trained
    again in float64 (same start, same Adam, same steps): they end in another order."""
    ranked = sorted(seeds, key=lambda s: s["error_float64"])[:FLOAT64_SEEDS]
    chosen = [s["seed"] for s in ranked]
    sweep = train_many(min_model_float64, forward_many, chosen, x.double(), y.double(), EPOCHS, LR)
    grid = integer_grid().double()
    errors = []
    with torch.no_grad():
        for k in range(len(chosen)):
            model = unstack(min_model_float64, sweep.params, k)
            errors.append((model(grid) - grid.min(dim=1, keepdim=True).values).abs().max().item())
    order64 = [seed for _, seed in sorted(zip(errors, chosen, strict=True))]
    if order64 == chosen:
        raise RuntimeError("in float64 the most accurate seeds keep their float32 order")
    if min(errors) == 0:
        raise RuntimeError("a seed trained in float64 is exact")
    fall = (sweep.loss[-1 - LOSS_WINDOW] / sweep.loss[-1]).min().item()
    if not fall > 1:
        raise RuntimeError("a seed's loss in float64 has stopped falling")
    fifty = torch.tensor(50.0)
    spacing = (torch.nextafter(fifty, fifty + 1) - fifty).item()
    return {
        "float32_spacing_50": quote(spacing, ".2g"),
        "errors_float32_steps": quote(round(ranked[-1]["error_float64"] / spacing)),
        "float64_spacing_50": quote(math.ulp(50.0), ".2g"),
        "float64_seeds": quote(FLOAT64_SEEDS),
        # "more than": the power of ten below the smallest fall, in words
        "float64_loss_fall": quote(fall, text=f"{10 ** math.floor(math.log10(fall)):,}"),
        "order_float32": quote(chosen),
        "order_float64": quote(order64),
        "errors_float32_max": quote(ranked[-1]["error_float64"], ".2g"),
        "errors_trained64_min": quote(min(errors), ".2g"),
        "errors_trained64_max": quote(max(errors), ".2g"),
        "errors_trained64": Data(errors),  # in the float32 order, for the tests
    }


def dead_branches(seeds: list[dict]) -> dict[str, Quoted]:
    """The dead branch of each seed with one branch on the diagonal and one dead: where on the
    grid its ReLU is on anyway, and how small its output weight has become."""
    pairs = len(integer_grid())
    group = [s for s in seeds if s["pattern"] == "diag_dead"]
    dead = [s["shapes"].index("dead") for s in group]
    on = [pairs - s["off_pairs"][i] for s, i in zip(group, dead, strict=True)]
    weights = [abs(s["weights"]["output.weight"][2 + i]) for s, i in zip(group, dead, strict=True)]
    return {
        "dead_on_fewest": quote(min(on), ","),
        "dead_on_most": quote(max(on), ","),
        "dead_out_weight_max": quote(max(weights), ".2g"),
    }


def shared_bend(both_off: list[dict]) -> dict[str, Quoted]:
    """How the seeds with both folds off the diagonal split the bend between their branches:
    the weaker branch's share of the two parts (bend_parts)."""
    weaker = []
    for s in both_off:
        parts = bend_parts(s["weights"])
        k = parts.index(min(parts))
        weaker.append((min(parts) / sum(parts), s["added"][k]))
    one = [added for share, added in weaker if share < 0.01]  # one branch carries >= 99 %
    return {
        "off_off_one_branch": quote(len(one)),
        "off_off_one_branch_added_min": quote(min(one), ".2g"),
        "off_off_one_branch_added_max": quote(max(one), ".2g"),
        "off_off_weaker_under_5": quote(sum(share < 0.05 for share, _ in weaker)),
        "off_off_weaker_median": quote(100 * statistics.median(s for s, _ in weaker), ".0f"),
    }


def slow_seeds(both_off: list[dict], reruns: list[dict]) -> dict[str, Quoted]:
    """The seeds with both folds off the diagonal: where their largest error sits, whether
    their loss is still falling, and what the rerun with the diagonal weighted up reaches."""
    n = len(both_off)
    drops = [(s["loss_before"] - s["loss_at_end"]) / s["loss_before"] for s in both_off]
    values = {
        "off_off_worst_on_diagonal": quote(sum(s["worst_on_diagonal"] for s in both_off)),
        "off_off_loss_falling": quote(sum(s["loss_at_end"] < s["loss_before"] for s in both_off)),
        "off_off_loss_drop": quote(100 * statistics.median(drops), ".0f"),
        "off_off_median_error": quote(statistics.median(s["error"] for s in both_off), ".2g"),
        "repeat": quote(REPEAT),
    }
    for pattern in ("diag_diag", "off_off"):
        count = sum(s["pattern"] == pattern for s in reruns)
        values.update(quote_rate(f"reweighted_{pattern}", count, n))
    for tier in TIERS:
        count = sum(within(s["error"], tier) for s in reruns)
        values.update(quote_rate(f"reweighted_within_{tier}", count, n))
    # are networks with both folds on the diagonal less accurate? the rerun has many
    both_on = [s for s in reruns if s["pattern"] == "diag_diag"]
    values["reweighted_diag_diag_within_0_001"] = quote(
        sum(within(s["error"], "0_001") for s in both_on)
    )
    return values


def family_positions(rounds: list[dict]) -> dict[str, Quoted]:
    """Where the seeds that round correctly sit in the family: read_lambda's verdict on each
    (misfit at most LAMBDA_TOL), and the fitted lambda of those it accepts."""
    accepted = [s for s in rounds if s["misfit"] <= LAMBDA_TOL]
    refused = [s for s in rounds if s["misfit"] > LAMBDA_TOL]
    groups = [lambda_group(s["lambda"]) for s in accepted]
    values = {
        "lambda_accepted": quote(len(accepted)),
        "lambda_refused": quote(len(refused)),
        "lambda_refused_off_off": quote(sum(s["pattern"] == "off_off" for s in refused)),
        "misfit_max": quote(max(s["misfit"] for s in rounds), ".2f"),
    }
    for name in LAMBDA_GROUPS:
        values[f"lambda_{name}"] = quote(groups.count(name))
    # strictly between 0 and 1: neither near 0 nor near 1 (near 1/2 counts here too)
    between = sorted(
        s["lambda"] for s, g in zip(accepted, groups, strict=True) if g in ("between", "near_half")
    )
    values["lambda_between"] = quote(len(between))
    values.update(lists("lambda_between_values", between, ".2f"))
    return values


def benchmarks() -> dict:
    """The chapter's seed sweep, for scripts/bench.py: name -> (sweep of seeds, one seed alone)."""
    x, y = make_data()

    def sweep(seeds: list[int]):
        return train_many(MinModel, forward_many, seeds, x, y, steps=EPOCHS, lr=LR)

    return {"minimum": (sweep, lambda: train(seed=0, epochs=EPOCHS, lr=LR))}
