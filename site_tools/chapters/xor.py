"""Chapter 4 at build time: pictures of the plane for the exact networks, the training sweeps
with their outcomes and failure mechanisms, and training on the parity of n bits."""

from __future__ import annotations

import statistics
from functools import partial
from pathlib import Path

import numpy as np
import torch
from matplotlib.colors import ListedColormap

from site_tools.figures import BLUE, GREY, ORANGE, new_figure, save
from site_tools.results import Data, Quoted, quote, quote_rate, wilson
from snippets.sweep import fit_stacked, linear_many, sequential_many, stack_parameters, train_many
from snippets.xor import (
    layered,
    make_data,
    make_model,
    one_relu,
    outcome,
    parity_data,
    train,
)

SEEDS = list(range(100))
STEPS, LR = 2000, 0.01  # train()'s defaults (a test checks they agree)
SETTINGS = {
    "sigmoid_2": ("sigmoid", 2),
    "relu_2": ("relu", 2),
    "relu_4": ("relu", 4),
    "relu_8": ("relu", 8),
}
WIDTH = max(hidden for _, hidden in SETTINGS.values())  # every copy is padded to this width
OUTCOMES = ["solved", "dead unit", "plateau", "other"]
PARITY_BITS = [2, 3, 4, 5, 6]
PARITY_SEEDS = list(range(20))
PARITY_UNITS_PER_BIT = 8  # a generous hidden layer: 8 n units, where n suffice
PARITY_MAX_STEPS = 2000
PLANE = (-0.5, 1.5)
MERGED = 1e-2  # two hidden vectors closer than this (in every unit) count as one
SATURATED = 0.01  # a sigmoid unit whose slope h(1 - h) is below this is saturated
LIMITS = {1 / 8: "eighth", 1 / 6: "sixth", 1 / 4: "quarter"}  # losses of merged groups
NEAR = 0.01  # a final loss this close to a limit counts as at it
END_STATES = {  # what the two units of a 2-2-1 ReLU network end as
    "two_folding": ["folding", "folding"],
    "folding_linear": ["folding", "linear"],
    "folding_dead": ["folding", "dead"],
    "linear_linear": ["linear", "linear"],
    "linear_dead": ["linear", "dead"],
    "dead_dead": ["dead", "dead"],
}


# ---------------------------------------------------------------- the sweep of XOR networks


def padded(params: dict[str, torch.Tensor], hidden: int) -> dict[str, torch.Tensor]:
    """Stacked 2-hidden-1 weights with zero units added up to WIDTH hidden units."""
    k, extra = len(params["0.bias"]), WIDTH - hidden
    return {
        "0.weight": torch.cat([params["0.weight"], torch.zeros(k, extra, 2)], dim=1),
        "0.bias": torch.cat([params["0.bias"], torch.zeros(k, extra)], dim=1),
        "2.weight": torch.cat([params["2.weight"], torch.zeros(k, 1, extra)], dim=2),
        "2.bias": params["2.bias"],
    }


def copy_of(params: dict[str, torch.Tensor], k: int, activation: str, hidden: int):
    """Copy k of the padded stack, as the ordinary network make_model(hidden, activation)."""
    model = make_model(hidden, activation)
    model.load_state_dict(
        {
            "0.weight": params["0.weight"][k, :hidden],
            "0.bias": params["0.bias"][k, :hidden],
            "2.weight": params["2.weight"][k, :, :hidden],
            "2.bias": params["2.bias"][k],
        }
    )
    return model


def sweep_all() -> dict[str, list[dict]]:
    """Every setting of SETTINGS, every seed, trained at once: one stack of WIDTH-unit copies.

    A padded unit has zero weights in and out; its ReLU (or the mask, for sigmoid units)
    gives it zero gradients, so Adam never moves it and each copy trains as its own
    network would. Returns, per setting, one record per seed."""
    x, y = make_data()
    groups = [
        padded(stack_parameters(partial(make_model, hidden, activation), SEEDS), hidden)
        for activation, hidden in SETTINGS.values()
    ]
    start = {name: torch.cat([g[name] for g in groups]) for name in groups[0]}
    n = len(SEEDS)
    sigmoid = torch.zeros(len(SETTINGS) * n, 1, 1, dtype=torch.bool)
    live = torch.zeros(len(SETTINGS) * n, WIDTH, 1)
    for i, (activation, hidden) in enumerate(SETTINGS.values()):
        sigmoid[i * n : (i + 1) * n] = activation == "sigmoid"
        live[i * n : (i + 1) * n, :hidden] = 1.0

    def forward(params, x):
        z = linear_many(x.T, params["0.weight"], params["0.bias"])  # (K, WIDTH, 4)
        h = torch.where(sigmoid, torch.sigmoid(z), torch.relu(z)) * live
        out = linear_many(h, params["2.weight"], params["2.bias"])  # (K, 1, 4)
        return torch.where(sigmoid, torch.sigmoid(out), out)

    final, losses = fit_stacked(forward, start, x, y, STEPS, LR)
    losses = losses.T.tolist()  # one list per copy
    padding = torch.cat(  # what the padded units hold after training: exactly 0
        [
            final["0.weight"].flatten(1)[live[:, :, 0].repeat_interleave(2, dim=1) == 0],
            final["0.bias"][live[:, :, 0] == 0],
            final["2.weight"][:, 0][live[:, :, 0] == 0],
        ]
    )
    records = {}
    for i, (key, (activation, hidden)) in enumerate(SETTINGS.items()):
        records[key] = []
        for j, seed in enumerate(SEEDS):
            k = i * n + j
            model = copy_of(final, k, activation, hidden)
            records[key].append(
                {
                    "seed": seed,
                    "model": model,
                    "start": copy_of(start, k, activation, hidden),
                    "losses": losses[k],
                    "outcome": outcome(model, losses[k]),
                }
            )
    records["padding"] = padding.abs().max().item()
    return records


def unit_kinds(model) -> list[str]:
    """For each hidden ReLU: dead (0 on all four inputs), linear (on at all four: there it
    is a linear function of a and b), or folding (its fold line separates the inputs)."""
    x, _ = make_data()
    with torch.no_grad():
        z = model[0](x)  # (4, units)
    kinds = []
    for unit in z.T:
        if (unit <= 0).all():
            kinds.append("dead")
        elif (unit > 0).all():
            kinds.append("linear")
        else:
            kinds.append("folding")
    return kinds


def hidden_layer(model) -> torch.Tensor:
    """The hidden units' outputs on the four inputs: (4, units)."""
    x, _ = make_data()
    with torch.no_grad():
        return model[1](model[0](x))


def merged_gap(model) -> float:
    """How close two inputs with different labels come in the hidden layer: the smallest,
    over such pairs, of the largest difference between their hidden values. At 0 the
    read-out sees one point and must give both the same output."""
    h = hidden_layer(model)
    _, y = make_data()
    labels = y.flatten().tolist()
    return min(
        (h[i] - h[j]).abs().max().item()
        for i in range(4)
        for j in range(i + 1, 4)
        if labels[i] != labels[j]
    )


def failure_kind(model, activation: str) -> str:
    """Why a failed run cannot be right (each case is proved on the page):
    no_folding: no hidden ReLU folds between the inputs, so the network is linear on them;
    merged: two inputs with different labels reach the read-out as one hidden vector."""
    if activation == "relu" and "folding" not in unit_kinds(model):
        return "no_folding"
    if merged_gap(model) < MERGED:
        return "merged"
    return "neither"


def loss_gradient(model) -> torch.Tensor:
    """The gradient of the mean squared error, as one vector."""
    x, y = make_data()
    model.zero_grad()
    ((model(x) - y) ** 2).mean().backward()
    return torch.cat([p.grad.flatten() for p in model.parameters()])


def relu_mechanisms(records: list[dict], key: str) -> dict[str, Quoted]:
    """Dead units at the start, and the end state of each run, unit by unit."""
    values = {}
    starts = [unit_kinds(r["start"]) for r in records]
    dead_start = [
        (r, u) for r, s in zip(records, starts, strict=True) for u, k in enumerate(s) if k == "dead"
    ]
    unmoved = sum(  # no gradient reaches a unit that is 0 on every input: it never moves
        torch.equal(r["model"][0].weight[u], r["start"][0].weight[u])
        and torch.equal(r["model"][0].bias[u], r["start"][0].bias[u])
        for r, u in dead_start
    )
    units = sum(len(s) for s in starts)
    values[f"{key}_units"] = quote(units)
    values[f"{key}_dead_at_start"] = quote(len(dead_start))
    values[f"{key}_dead_at_start_share"] = quote(100 * len(dead_start) / units, ".0f")
    values[f"{key}_dead_at_start_unmoved"] = quote(unmoved)
    runs = [r for r, s in zip(records, starts, strict=True) if "dead" in s]
    values[f"{key}_runs_dead_at_start"] = quote(len(runs))
    values.update(
        quote_rate(
            f"{key}_runs_dead_at_start_solved",
            sum(r["outcome"] == "solved" for r in runs),
            max(1, len(runs)),
        )
    )
    return values


def end_states(records: list[dict]) -> dict[str, Quoted]:
    """The 2-2-1 ReLU runs by what their two units end as, and how many of each solve."""
    values = {}
    for name, kinds in END_STATES.items():
        runs = [r for r in records if sorted(unit_kinds(r["model"])) == sorted(kinds)]
        values[f"end_{name}"] = quote(len(runs))
        values[f"end_{name}_solved"] = quote(sum(r["outcome"] == "solved" for r in runs))
    return values


def failures(records: dict[str, list[dict]]) -> dict[str, Quoted]:
    """Why each failed run fails: counted per setting, and for sigmoid units, saturation."""
    values = {}
    for key, runs in records.items():
        activation = SETTINGS[key][0]
        failed = [r for r in runs if r["outcome"] != "solved"]
        kinds = [failure_kind(r["model"], activation) for r in failed]
        values[f"{key}_failed"] = quote(len(failed))
        for kind in ("no_folding", "merged", "neither"):
            values[f"{key}_fail_{kind}"] = quote(kinds.count(kind))
    failed = [r for r in records["sigmoid_2"] if r["outcome"] != "solved"]
    gaps = [merged_gap(r["model"]) for r in failed]
    values["sigmoid_merged_gap_max"] = quote(max(gaps, default=0.0), ".1e")
    # the merged inputs' hidden values sit at 0 or 1, where the sigmoid's slope h(1 - h) is
    # almost 0: the units that would have to pull them apart get almost no gradient
    slopes = []
    for r in failed:
        h = hidden_layer(r["model"])
        slopes.append((h * (1 - h)).min(dim=1).values.min().item())
    values["sigmoid_fail_saturated"] = quote(sum(s < SATURATED for s in slopes))
    drops = [r["losses"][-1001] - r["losses"][-1] for r in failed]
    values["sigmoid_fail_still_falling"] = quote(sum(d > 1e-6 for d in drops))
    values["sigmoid_fail_drop_min"] = quote(min(drops, default=0.0), ".0e")
    values["sigmoid_fail_drop_max"] = quote(max(drops, default=0.0), ".0e")
    # where the loss still falls, it falls by making the weights larger: minus the gradient
    # points away from the origin of weight space
    outward = []
    for r in failed:
        theta = torch.cat([p.detach().flatten() for p in r["model"].parameters()])
        g = loss_gradient(r["model"])
        outward.append((-g @ theta / (g.norm() * theta.norm())).item())
    values["sigmoid_fail_outward"] = quote(sum(c > 0 for c in outward))
    values["sigmoid_fail_outward_min"] = quote(min(outward, default=0.0), ".2f")
    for key in ("sigmoid_2", "relu_2"):
        failed = [r for r in records[key] if r["outcome"] != "solved"]
        for limit, name in LIMITS.items():
            values[f"{key}_fail_near_{name}"] = quote(
                sum(abs(r["losses"][-1] - limit) < NEAR for r in failed)
            )
    return values


def table(records: dict[str, list[dict]]) -> dict[str, Quoted]:
    values = {}
    for key, runs in records.items():
        n = len(runs)
        for name in OUTCOMES:
            count = sum(r["outcome"] == name for r in runs)
            values.update(quote_rate(f"{key}_{name.replace(' ', '_')}", count, n))
    return values


# ---------------------------------------------------------------- the parity of n bits


def steps_to_solve(n_bits: int, seeds: list[int]) -> list[int | None]:
    """Train one hidden layer of PARITY_UNITS_PER_BIT * n_bits ReLUs per seed on all 2**n_bits
    vectors, all seeds at once (Adam, LR, as train() does), until every copy has had every
    output on the right side of 1/2; the first step at which each did, or None."""
    x, y = parity_data(n_bits)
    hidden = PARITY_UNITS_PER_BIT * n_bits
    template = make_model(hidden, "relu", n_bits)
    params = stack_parameters(partial(make_model, hidden, "relu", n_bits), seeds)
    params = {name: p.clone().requires_grad_() for name, p in params.items()}
    optimizer = torch.optim.Adam(params.values(), lr=LR, fused=True)
    first = [None] * len(seeds)
    for step in range(PARITY_MAX_STEPS + 1):
        outputs = sequential_many(template, params, x)  # (K, 1, 2**n_bits)
        solved = ((outputs[:, 0] - y.T).abs() < 0.5).all(dim=1).tolist()
        first = [step if f is None and s else f for f, s in zip(first, solved, strict=True)]
        if None not in first or step == PARITY_MAX_STEPS:
            return first
        loss = ((outputs - y.T) ** 2).mean(dim=(1, 2))
        optimizer.zero_grad()
        loss.sum().backward()
        optimizer.step()
    return first


def parity_training(path: Path) -> dict[str, Quoted]:
    values = {
        "parity_seeds": quote(len(PARITY_SEEDS)),
        "parity_units_per_bit": quote(PARITY_UNITS_PER_BIT),
        "parity_max_steps": quote(PARITY_MAX_STEPS, ","),
        "parity_bits_max": quote(max(PARITY_BITS)),
    }
    found = {}
    for n in PARITY_BITS:
        found[n] = steps_to_solve(n, PARITY_SEEDS)
        done = [t for t in found[n] if t is not None]
        values.update(quote_rate(f"parity_{n}_solved", len(done), len(PARITY_SEEDS)))
        values[f"parity_{n}_median"] = quote(int(statistics.median(done)) if done else None)
        values[f"parity_{n}_max"] = quote(max(done) if done else None)
    solved = [values[f"parity_{n}_solved"].value for n in PARITY_BITS]
    values["parity_all_solved"] = quote(all(s == len(PARITY_SEEDS) for s in solved))
    low, high = wilson(len(PARITY_SEEDS), len(PARITY_SEEDS))
    values["parity_all_low"] = quote(100 * low, ".0f")
    values["parity_all_high"] = quote(100 * high, ".0f")
    values["parity_medians"] = quote([values[f"parity_{n}_median"].value for n in PARITY_BITS], "d")
    draw_parity_steps(found, path)
    return values


# ---------------------------------------------------------------- pictures of the plane


def plane(points: int) -> tuple[torch.Tensor, torch.Tensor]:
    """A grid over [-0.5, 1.5]^2: the (points * points, 2) inputs, and the side values."""
    side = torch.linspace(*PLANE, points)
    a, b = torch.meshgrid(side, side, indexing="xy")
    return torch.stack([a.flatten(), b.flatten()], dim=1), side


def corners(ax) -> None:
    """The four inputs: filled where a XOR b = 1, hollow where it is 0."""
    x, y = make_data()
    ax.scatter(
        x[:, 0],
        x[:, 1],
        s=70,
        zorder=5,
        edgecolors="black",
        facecolors=["black" if label else "white" for label in y.flatten().tolist()],
        linewidths=1.4,
    )


def frame(ax, ticks: tuple[bool, bool] = (True, True)) -> None:
    """Square axes over [-0.5, 1.5]^2; ticks at 0 and 1 on the sides asked for."""
    ax.set_xlim(*PLANE)
    ax.set_ylim(*PLANE)
    ax.set_aspect("equal")
    ax.set_xticks([0, 1] if ticks[0] else [])
    ax.set_yticks([0, 1] if ticks[1] else [])
    if ticks[0]:
        ax.set_xlabel("$a$")
    if ticks[1]:
        ax.set_ylabel("$b$", rotation=0)
    ax.grid(False)


REGION_COLOURS = ["#f2f2f2", "#cfe3f3", "#f6d5c3", "#d9c9ec"]  # none, h1, h2, both
UNIT_COLOURS = [BLUE, ORANGE]


def fold_lines(ax, layer: torch.nn.Linear, units: list[int], colours: list[str], **style):
    """The line w_a a + w_b b + c = 0 of each unit: where its ReLU switches on."""
    for unit, colour in zip(units, colours, strict=True):
        (w_a, w_b), c = layer.weight[unit].tolist(), layer.bias[unit].item()
        if abs(w_b) >= abs(w_a):  # two points of the line, far enough apart
            points = [(0.0, -c / w_b), (1.0, -(c + w_a) / w_b)]
        else:
            points = [(-c / w_a, 0.0), (-(c + w_b) / w_a, 1.0)]
        ax.axline(*points, color=colour, **style)


def draw_regions(ax, layer: torch.nn.Linear, points: torch.Tensor, side: torch.Tensor) -> None:
    """Colour the plane by which ReLUs of `layer` are on, draw each unit's fold line, and
    write in each region which units are on."""
    n, units = len(side), layer.out_features
    with torch.no_grad():
        on = (layer(points) > 0).long()
    code = (on * (2 ** torch.arange(units))).sum(dim=1).reshape(n, n)
    ax.imshow(
        code,
        origin="lower",
        extent=(*PLANE, *PLANE),
        cmap=ListedColormap(REGION_COLOURS[: 2**units]),
        vmin=-0.5,
        vmax=2**units - 0.5,
        interpolation="none",
    )
    for unit in range(units):
        style = "solid" if unit == 0 else (0, (4, 3))
        fold_lines(ax, layer, [unit], [UNIT_COLOURS[unit]], linewidth=2.0, linestyle=style)
    for value in code.unique().tolist():
        rows, cols = torch.nonzero(code == value, as_tuple=True)
        if len(rows) < n * n // 50:  # a line, not a region
            continue
        active = [str(u + 1) for u in range(units) if value >> u & 1]
        label = "$h = 0$" if not active else "$h_{" + ",".join(active) + "} > 0$"
        ax.text(
            side[cols.float().mean().round().long()].item(),
            side[rows.float().mean().round().long()].item(),
            label,
            ha="center",
            va="center",
            fontsize=10,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 1.5},
        )
    corners(ax)
    frame(ax)


def draw_output(ax, model, layer, units, points, side, vmin, vmax, ticks=(True, True)):
    """The output over the plane, its 1/2 level (dashed), the fold lines of `units` (thin)."""
    n = len(side)
    with torch.no_grad():
        out = model(points).flatten()
    image = ax.imshow(
        out.reshape(n, n),
        origin="lower",
        extent=(*PLANE, *PLANE),
        cmap="cividis",
        vmin=vmin,
        vmax=vmax,
        interpolation="none",  # the grid as it is: small in the SVG, smoothed by the browser
    )
    # the 1/2 level, left out where the output is flat at 1/2 (rounding would draw noise there)
    level = np.ma.masked_where((out - 0.5).abs() < 1e-3, out).reshape(n, n)
    ax.contour(side, side, level, levels=[0.5], colors="white", linestyles="--")
    fold_lines(ax, layer, units, [GREY] * len(units), linewidth=0.8)
    corners(ax)
    frame(ax, ticks)
    return image


def draw_exact(model, layer: torch.nn.Linear, path: Path) -> None:
    points, side = plane(61)
    fig, axes = new_figure(1, 2, width=7.2, height=3.3)
    draw_regions(axes[0][0], layer, points, side)
    units = list(range(layer.out_features))
    image = draw_output(axes[0][1], model, layer, units, points, side, vmin=-1.0, vmax=2.0)
    fig.colorbar(image, ax=axes[0][1], shrink=0.85)
    save(fig, path)


def draw_trained(models: list, path: Path) -> None:
    """Trained networks over the plane: output, 1/2 level, fold lines (live units only)."""
    points, side = plane(41)
    fig, axes = new_figure(2, 3, width=8.0, height=5.4)
    for i, (ax, model) in enumerate(zip(axes.flatten(), models, strict=True)):
        live = [u for u, k in enumerate(unit_kinds(model)) if k != "dead"]
        ticks = (i >= 3, i % 3 == 0)  # numbers on the outer sides only
        image = draw_output(ax, model, model[0], live, points, side, 0.0, 1.0, ticks)
    fig.colorbar(image, ax=axes, shrink=0.6)
    save(fig, path)


def draw_parity_steps(found: dict[int, list[int | None]], path: Path) -> None:
    """For each n: a bar from the fastest seed to the slowest, and a dot at the median."""
    fig, [[ax]] = new_figure(width=5.0, height=2.6)
    for n, steps in found.items():
        done = [t for t in steps if t is not None]
        if done:
            ax.plot([n, n], [min(done), max(done)], color=BLUE, linewidth=2)
            ax.plot([n], [statistics.median(done)], "o", color=ORANGE, markersize=7)
    ax.set_yscale("log")
    ax.set_yticks([10, 30, 100, 300, 1000], ["10", "30", "100", "300", "1000"])
    ax.minorticks_off()
    ax.set_xticks(list(found))
    ax.set_xlabel("$n$")
    ax.set_ylabel("$t$", rotation=0)
    save(fig, path)


def weights(model) -> dict[str, list]:
    return {name: value.tolist() for name, value in model.state_dict().items()}


def examples(records: dict[str, list[dict]]) -> dict[str, dict]:
    """The first seed of each kind the page shows in the plane."""
    wanted = {
        "relu_two_folding": (
            "relu_2",
            lambda r: r["outcome"] == "solved" and unit_kinds(r["model"]) == ["folding", "folding"],
        ),
        "relu_folding_linear": (
            "relu_2",
            lambda r: (
                r["outcome"] == "solved" and sorted(unit_kinds(r["model"])) == ["folding", "linear"]
            ),
        ),
        "sigmoid_solved": ("sigmoid_2", lambda r: r["outcome"] == "solved"),
        "relu_folding_dead": (
            "relu_2",
            lambda r: sorted(unit_kinds(r["model"])) == ["dead", "folding"],
        ),
        "relu_linear_linear": ("relu_2", lambda r: unit_kinds(r["model"]) == ["linear", "linear"]),
        "sigmoid_merged": ("sigmoid_2", lambda r: r["outcome"] != "solved"),
    }
    found = {}
    for name, (key, wanted_run) in wanted.items():
        run = next(r for r in records[key] if wanted_run(r))
        found[name] = {
            "setting": key,
            "seed": run["seed"],
            "outcome": run["outcome"],
            "model": run["model"],
        }
    return found


def run(out: Path) -> dict[str, Quoted | Data]:
    draw_exact(one_relu(), one_relu().neurons[0], out / "xor-one-relu.svg")
    draw_exact(layered(), layered()[0], out / "xor-layered.svg")
    records = sweep_all()
    values = {"seeds": quote(len(SEEDS)), "steps": quote(STEPS, ","), "lr": quote(LR)}
    values["padding_max"] = quote(records.pop("padding"), "g")
    values.update(table(records))
    values.update(failures(records))
    values.update(end_states(records["relu_2"]))
    for key in ("relu_2", "relu_4", "relu_8"):
        values.update(relu_mechanisms(records[key], key))
    shown = examples(records)
    draw_trained([e["model"] for e in shown.values()], out / "xor-trained.svg")
    for name, e in shown.items():
        values[f"seed_{name}"] = quote(e["seed"])
    values.update(parity_training(out / "xor-parity-steps.svg"))
    values["outcomes"] = Data({key: [r["outcome"] for r in runs] for key, runs in records.items()})
    values["widget"] = Data(
        {
            "exact": {"one_relu": weights(one_relu()), "layered": weights(layered())},
            "trained": {
                name: {k: v for k, v in e.items() if k != "model"}
                | {"weights": weights(e["model"])}
                for name, e in shown.items()
            },
        }
    )
    return values


def benchmarks() -> dict:
    """The chapter's sweep of the ReLU 2-2-1 network alone, for scripts/bench.py:
    name -> (sweep of seeds, one seed alone)."""
    x, y = make_data()
    template = make_model(2, "relu")

    def sweep(seeds: list[int]):
        forward = lambda p, x: sequential_many(template, p, x)  # noqa: E731
        return train_many(partial(make_model, 2, "relu"), forward, seeds, x, y, STEPS, LR)

    return {"xor_relu_2_2_1": (sweep, lambda: train(seed=0))}
