"""Chapter 6 at build time: the sawtooth and what one hidden layer needs for it (figures),
what gradient descent finds when asked for the sawtooth (seeds per depth and width), and how
many pieces random and trained networks have against the bound."""

from __future__ import annotations

import statistics
from pathlib import Path

import torch

from site_tools.chapters.parity import exact_pieces, exact_slopes, laps_of, pieces_of
from site_tools.figures import BLUE, GREY, ORANGE, PURPLE, new_figure, save
from site_tools.results import Data, Quoted, quote, quote_rate
from snippets.depth import largest_error, make_model, points, sawtooth, target_of, train, train_many
from snippets.parity import dead_layers

EXPECTED_SECONDS = 12  # run() in a build (measured): longest first
SEEDS = list(range(100))
FOLDS = [2, 3, 4]  # the sawtooths training is asked for, each with depth = folds
WIDTHS = [2, 8]  # the sawtooth's own width, and four times as wide
STEPS, LR = 1000, 0.02  # train()'s defaults (a test checks they agree)
SMOOTH_DEPTH, SMOOTH_WIDTH = 3, 8  # the networks trained on the smooth target
SHOWN_FOLDS = [1, 2, 3, 4]  # the sawtooth figure's panels
NEURON_FOLDS = list(range(1, 11))  # the neuron-count figure's x axis
WIDGET = {"max_folds": 10, "heights": [0.5, 1.0], "step": 0.01}


# ---------------------------------------------------------------------- what training finds


def dead_layer(model: torch.nn.Sequential, x: torch.Tensor) -> bool:
    """Is some hidden layer 0 on every point of x (chapter 3's dead_layers)? Then the output
    is one number there."""
    return bool(dead_layers(model, x))


def pieces_and_laps(model: torch.nn.Module) -> tuple[int, int]:
    """Pieces and laps on [0, 1], exactly, from one pass over the kinks."""
    slopes = exact_slopes(model, 0, 1)
    return pieces_of(slopes), laps_of(slopes)


def starts(depth: int, width: int) -> list[torch.nn.Sequential]:
    """Each seed's random start, as train_many starts it."""
    models = []
    for seed in SEEDS:
        torch.manual_seed(seed)
        models.append(make_model(depth, width))
    return models


def start_pieces(depth: int, width: int) -> list[int]:
    """The pieces on [0, 1] of each seed's random start."""
    return [exact_pieces(m, 0, 1) for m in starts(depth, width)]


def census(folds: int, width: int) -> dict:
    """SEEDS networks of `folds` hidden layers of `width` ReLUs, trained on the sawtooth
    with `folds` folds: for each, solved or not, a dead layer or not, its pieces and laps on
    [0, 1] (exact, from its kinks); and the pieces of the starts, for the widest."""
    runs = train_many(folds, width, SEEDS, "sawtooth", STEPS, LR)
    x, trained_on = points(folds), points(folds, 4)
    with torch.no_grad():
        y, y_trained = sawtooth(folds)(x), sawtooth(folds)(trained_on)
        errors = [(m(x) - y).abs().max().item() for m in runs.models]
        # the largest error at the training points alone
        train_errors = [(m(trained_on) - y_trained).abs().max().item() for m in runs.models]
    pieces, laps = zip(*(pieces_and_laps(m) for m in runs.models), strict=True)
    begin = starts(folds, width)
    return {
        "solved": [e < 0.05 for e in errors],
        "errors": errors,
        "train_errors": train_errors,
        "dead": [dead_layer(m, x) for m in runs.models],
        "dead_at_start": [dead_layer(m, x) for m in begin],
        "pieces": list(pieces),
        "laps": list(laps),
        # the starts' pieces, where the page compares them: the widest and deepest
        "start_pieces": (
            [exact_pieces(m, 0, 1) for m in begin]
            if (folds, width) == (max(FOLDS), max(WIDTHS))
            else None
        ),
        "models": runs.models,
    }


def census_values(folds: int, width: int, found: dict) -> dict[str, Quoted]:
    key = f"{folds}_{width}"
    n = len(SEEDS)
    solved, dead, pieces = found["solved"], found["dead"], found["pieces"]
    failed = [k for k in range(n) if not solved[k]]
    alive_failed = [k for k in failed if not dead[k]]
    values = quote_rate(f"solved_{key}", sum(solved), n)
    values[f"dead_{key}"] = quote(sum(dead))
    # dead at the end and already dead at the start
    values[f"dead_from_start_{key}"] = quote(
        sum(d and s for d, s in zip(dead, found["dead_at_start"], strict=True))
    )
    values[f"alive_failed_{key}"] = quote(len(alive_failed))
    # solving needs 2**folds laps (stretches that only rise or only fall): the values at
    # i / 2**folds alternate between near 0 and near 1
    values[f"few_laps_{key}"] = quote(sum(found["laps"][k] < 2**folds for k in alive_failed))
    shown = [pieces[k] for k in alive_failed] or [0]
    values[f"failed_pieces_median_{key}"] = quote(statistics.median(shown), "g")
    start = found["start_pieces"]
    if start is not None:  # the same failed runs, at their start
        values[f"failed_start_median_{key}"] = quote(
            statistics.median([start[k] for k in alive_failed] or [0]), "g"
        )
    return values


def alone(found: dict, folds: int, width: int) -> dict[str, Quoted]:
    """The first seed that solves the task in the batch but not when trained alone with
    train(): the batch rounds differently, and a run can end elsewhere."""
    for k in (k for k in range(len(SEEDS)) if found["solved"][k]):
        error = largest_error(train(folds, width, seed=SEEDS[k]).model, folds)
        if error >= 0.05:
            return {"alone_seed": quote(SEEDS[k]), "alone_error": quote(error, ".3f")}
    raise ValueError("every seed solved in the batch solves alone too: the page's example is gone")


def laps_summary(found: dict) -> dict[str, Quoted]:
    """Over every depth and width: the failed runs that stay alive, how many have fewer laps
    than the sawtooth needs; of those that have enough, how many are within 0.05 of every
    training point (near misses, failing only between them), and their errors."""
    few = enough = near = 0
    errors, near_train = [], []
    for (folds, _), runs in found.items():
        for k in range(len(SEEDS)):
            if runs["solved"][k] or runs["dead"][k]:
                continue
            if runs["laps"][k] < 2**folds:
                few += 1
                continue
            enough += 1
            errors.append(runs["errors"][k])
            if runs["train_errors"][k] < 0.05:
                near += 1
                near_train.append(runs["train_errors"][k])
    return {
        "alive_failed_all": quote(few + enough),
        "few_laps_all": quote(few),
        "enough_laps_all": quote(enough),
        "near_misses": quote(near),
        "enough_laps_far": quote(enough - near),
        "near_miss_train_max": quote(max(near_train, default=0.0), ".2f"),
        "enough_laps_error_min": quote(min(errors, default=0.0), ".3f"),
        "enough_laps_error_max": quote(max(errors, default=0.0), ".2f"),
    }


FIT_LOSS = 0.01  # a smooth run that ends below this loss fits its target


def smooth_runs() -> dict[str, Quoted]:
    """Networks of SMOOTH_DEPTH layers of SMOOTH_WIDTH ReLUs on the smooth target: how many
    fit it, and their pieces at the start and after training, against the bound
    (width + 1) ** depth; the runs that do not fit, apart."""
    start = start_pieces(SMOOTH_DEPTH, SMOOTH_WIDTH)
    runs = train_many(SMOOTH_DEPTH, SMOOTH_WIDTH, SEEDS, "smooth", STEPS, LR)
    end = [exact_pieces(m, 0, 1) for m in runs.models]
    final = runs.losses[-1].tolist()
    fit = [k for k in range(len(SEEDS)) if final[k] < FIT_LOSS]
    rest = [k for k in range(len(SEEDS)) if final[k] >= FIT_LOSS]
    x = points(SMOOTH_DEPTH, 4)
    constant = ((target_of("smooth", x, SMOOTH_DEPTH) - 0.5) ** 2).mean().item()
    median = statistics.median
    return {
        "smooth_depth": quote(SMOOTH_DEPTH),
        "smooth_width": quote(SMOOTH_WIDTH),
        "smooth_bound": quote((SMOOTH_WIDTH + 1) ** SMOOTH_DEPTH),
        "smooth_neurons": quote(SMOOTH_DEPTH * SMOOTH_WIDTH),
        "smooth_fit_loss": quote(FIT_LOSS),
        "smooth_fit": quote(len(fit)),
        "smooth_constant_loss": quote(constant, ".3f"),
        "smooth_loss_median": quote(median(final), ".3f"),
        "smooth_start_median": quote(median(start), "g"),
        "smooth_start_max": quote(max(start)),
        "smooth_fit_start_median": quote(median([start[k] for k in fit]), "g"),
        "smooth_fit_median": quote(median([end[k] for k in fit]), "g"),
        "smooth_fit_max": quote(max(end[k] for k in fit)),
        "smooth_rest_median": quote(median([end[k] for k in rest]), "g"),
        "smooth_rest_max": quote(max(end[k] for k in rest)),
    }


# ------------------------------------------------------------------------------- figures


def curve(model: torch.nn.Module, n: int = 2049) -> tuple[list[float], list[float]]:
    x = torch.linspace(0, 1, n, dtype=torch.float64).reshape(-1, 1)
    with torch.no_grad():
        y = model.double()(x)
    return x.flatten().tolist(), y.flatten().tolist()


def draw_sawtooth(path: Path) -> None:
    """The tent map folded 1, 2, 3 and 4 times, kinks marked."""
    fig, axes = new_figure(1, len(SHOWN_FOLDS), width=8.0, height=2.4)
    for ax, k in zip(axes[0], SHOWN_FOLDS, strict=True):
        ax.plot(*curve(sawtooth(k)), color=BLUE, linewidth=1.5)
        kinks = [i / 2**k for i in range(2**k + 1)]
        ax.plot(kinks, [i % 2 for i in range(2**k + 1)], "o", color=ORANGE, markersize=3)
        ax.set_title(f"$k = {k}$: $2^{k} = {2**k}$")
        ax.set_xticks([0, 0.5, 1])
        ax.set_yticks([0, 1])
        ax.set_xlabel("$x$")
    save(fig, path)


def draw_neurons(path: Path) -> None:
    """ReLUs each architecture needs for the sawtooth of k folds, on a log scale."""
    ks = NEURON_FOLDS
    fig, [[ax]] = new_figure(width=5.0, height=3.2)
    ax.plot(ks, [2**k for k in ks], "o-", color=ORANGE, label="$2^k$")
    ax.plot(ks, [2**k - 1 for k in ks], "s--", color=PURPLE, label="$2^k - 1$", markersize=4)
    ax.plot(ks, [2 * k for k in ks], "o-", color=BLUE, label="$2k$")
    ax.plot(ks, ks, "s--", color=GREY, label="$k$", markersize=4)
    ax.set_yscale("log", base=2)
    ax.set_xticks(ks)
    ax.set_xlabel("$k$")
    ax.legend(frameon=False)
    save(fig, path)


def draw_trained(found: dict, folds: int, path: Path) -> None:
    """The sawtooth and three trained networks: a solved one if any, one with a dead
    layer, and, of the live failures with fewer laps than the sawtooth, the one with the
    most pieces."""
    fig, [[ax]] = new_figure(width=5.0, height=3.0)
    ax.plot(*curve(sawtooth(folds)), color=GREY, linewidth=3, alpha=0.5)
    picks = []
    n = len(SEEDS)
    solved = [k for k in range(n) if found["solved"][k]]
    dead = [k for k in range(n) if found["dead"][k]]
    alive = [
        k
        for k in range(n)
        if not found["solved"][k] and not found["dead"][k] and found["laps"][k] < 2**folds
    ]
    if alive:
        picks.append((max(alive, key=lambda k: found["pieces"][k]), ORANGE, "--"))
    if dead:
        picks.append((dead[0], PURPLE, ":"))
    if solved:
        picks.append((solved[0], BLUE, "-"))
    for k, colour, style in picks:
        ax.plot(*curve(found["models"][k]), color=colour, linestyle=style, linewidth=1.5)
    ax.set_xticks([0, 0.5, 1])
    ax.set_yticks([0, 0.5, 1])
    ax.set_xlabel("$x$")
    save(fig, path)
    found["shown"] = [k for k, _, _ in picks]


# ------------------------------------------------------------------------------------- run


def run(out: Path) -> dict[str, Quoted | Data]:
    values: dict[str, Quoted | Data] = {
        "seeds": quote(len(SEEDS)),
        "steps": quote(STEPS, ","),
        "lr": quote(LR),
    }
    draw_sawtooth(out / "depth-sawtooth.svg")
    draw_neurons(out / "depth-neurons.svg")
    found = {}
    for folds in FOLDS:
        for width in WIDTHS:
            found[folds, width] = census(folds, width)
            values.update(census_values(folds, width, found[folds, width]))
    values.update(laps_summary(found))
    # the figure and the run trained alone: two folds, the wider networks
    shown_folds, shown_width = FOLDS[0], WIDTHS[-1]
    shown = found[shown_folds, shown_width]
    values.update(alone(shown, shown_folds, shown_width))
    draw_trained(shown, shown_folds, out / "depth-trained.svg")
    values["trained_shown"] = quote([SEEDS[k] for k in shown["shown"]])
    values["trained_shown_pieces"] = quote([shown["pieces"][k] for k in shown["shown"]])
    values["trained_shown_laps"] = quote([shown["laps"][k] for k in shown["shown"]])
    values["trained_shown_folds"] = quote(shown_folds)
    values["trained_shown_width"] = quote(shown_width)
    values.update(smooth_runs())
    values["widget"] = Data(WIDGET)
    return values
