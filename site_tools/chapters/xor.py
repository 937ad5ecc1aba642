"""Chapter 4 at build time: pictures of the plane for the exact networks, the training sweeps
with their outcomes and failure mechanisms, and training on the parity of n bits."""

from __future__ import annotations

import math
import statistics
from functools import partial
from pathlib import Path

import numpy as np
import torch
from matplotlib.colors import ListedColormap

from site_tools import jobs
from site_tools.figures import BLUE, GREY, ORANGE, new_figure, save
from site_tools.results import Data, Quoted, quote, quote_rate
from snippets.sweep import sequential_many, stack_parameters, train_many
from snippets.xor import (
    layered,
    make_data,
    make_model,
    one_relu,
    outcome,
    parity_data,
    train,
)

EXPECTED_SECONDS = 27  # run() in a build (its failed sigmoid runs trained on beside): longest first
SEEDS = list(range(100))
STEPS, LR = 2000, 0.01  # train()'s defaults (a test checks they agree)
LONG_STEPS = 10_000  # the sigmoid runs go on to here: do the unsolved ones get out?
ON_STEPS = 100_000  # ... and the unsolved ones on to here, in a process of their own
ON_EVERY = 1000  # their weights are kept every this many steps
SETTINGS = {
    "sigmoid_2": ("sigmoid", 2),
    "relu_2": ("relu", 2),
    "relu_4": ("relu", 4),
    "relu_8": ("relu", 8),
}
WIDTH = max(hidden for _, hidden in SETTINGS.values())  # every ReLU copy is padded to this
OUTCOMES = ["solved", "dead unit", "plateau", "other"]
PARITY_BITS = [2, 3, 4, 5, 6]
PARITY_SEEDS = list(range(20))
PARITY_UNITS_PER_BIT = 8  # a generous hidden layer: 8 n units, where n suffice
PARITY_MAX_STEPS = 2000
PLANE = (-0.5, 1.5)
ON_FOLD = 1e-4  # a ReLU's pre-activation within this of 0 counts as 0 (on its fold line)
MERGED = 1e-2  # two hidden vectors closer than this (in every unit) count as one
SATURATED = 0.01  # a sigmoid unit whose slope h(1 - h) is below this is saturated
LIMITS = {1 / 8: "eighth", 1 / 6: "sixth", 1 / 4: "quarter"}  # losses of merged groups
NEAR = 0.01  # a final loss this close to a limit counts as at it
END_STATES = {  # what the two units of a 2-2-1 ReLU network end as
    "two_folding": ["folding", "folding"],
    "folding_affine": ["folding", "affine"],
    "folding_dead": ["folding", "dead"],
    "affine_affine": ["affine", "affine"],
    "affine_dead": ["affine", "dead"],
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
    """Copy k of a stack (padded or not), as the ordinary network make_model(hidden, activation)."""
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


def train_stack(template, start: dict[str, torch.Tensor], steps: int, keep: set[int]):
    """Full-batch Adam on the mean squared error for every copy of the stack at once, as
    fit_stacked (snippets/sweep.py) trains, keeping the weights at each step in `keep`.
    Returns ({step: stacked weights}, the losses of steps 0 to `steps`, shape (steps + 1, K))."""
    x, y = make_data()
    params = {name: p.detach().clone().requires_grad_() for name, p in start.items()}
    optimizer = torch.optim.Adam(params.values(), lr=LR, fused=True)
    kept, history = {}, []
    for step in range(steps + 1):
        loss = ((sequential_many(template, params, x) - y.T) ** 2).mean(dim=(1, 2))
        history.append(loss.detach())
        if step in keep:
            kept[step] = {name: p.detach().clone() for name, p in params.items()}
        if step == steps:
            break
        optimizer.zero_grad()
        loss.sum().backward()  # copy k's loss depends only on copy k's weights
        optimizer.step()
    return kept, torch.stack(history)


ADAM = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}  # torch.optim.Adam's defaults
NAMES = ["0.weight", "0.bias", "2.weight", "2.bias"]  # a 2-h-1 network's parameters


def one_buffer(tensors: dict[str, torch.Tensor]) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """The tensors of NAMES copied into one flat buffer, and views of it in their shapes:
    an update of the buffer updates them all (Adam's step takes 7 operations, not 28)."""
    flat = torch.cat([tensors[name].detach().reshape(-1) for name in NAMES])
    return flat, list(in_shapes(flat, tensors).values())


def in_shapes(flat: torch.Tensor, like: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """A buffer laid out as one_buffer lays out `like`, as views in the shapes of `like`."""
    parts = flat.split([like[name].numel() for name in NAMES])
    return {name: part.view(like[name].shape) for part, name in zip(parts, NAMES, strict=True)}


def train_sigmoid_stack(
    start: dict[str, torch.Tensor], steps: int, keep: set[int], adam: dict | None = None
):
    """train_stack for a stack of 2-h-1 sigmoid networks, with the gradient written out by
    the chain rule instead of autograd, and Adam's update written out as torch.optim.Adam
    computes it: the same arithmetic as train(), for a fraction of the cost per step, which
    pays for training these networks on to LONG_STEPS and ON_STEPS (a test compares it with
    train()). `adam`: Adam's state returned by an earlier call, to go on from where it ended
    (start: the weights it ended with); steps and `keep` then count from there.
    Returns ({step: stacked weights}, the losses of the steps up to STEPS (a row per step, a
    column per copy), Adam's state at the end)."""
    x, y = make_data()
    flat, (w1, b1, w2, b2) = one_buffer(start)
    if adam is None:
        adam = {"mean": torch.zeros_like(flat), "square": torch.zeros_like(flat), "steps": 0}
    else:
        adam = adam | {key: one_buffer(adam[key])[0] for key in ("mean", "square")}
    mean, square, taken = adam["mean"], adam["square"], adam["steps"]  # running averages
    grad, (g_w1, g_b1, g_w2, g_b2) = one_buffer(start)  # overwritten at each step
    beta1, beta2, eps = ADAM["beta1"], ADAM["beta2"], ADAM["eps"]
    kept, history = {}, []
    for step in range(steps + 1):
        h = torch.sigmoid(torch.matmul(w1, x.T) + b1[:, :, None])  # (K, hidden, 4)
        out = torch.sigmoid(torch.baddbmm(b2[:, :, None], w2, h))  # (K, 1, 4)
        error = out - y.T
        if taken + step <= STEPS:
            history.append((error**2).mean(dim=(1, 2)))
        if step in keep:
            kept[step] = {name: p.clone() for name, p in zip(NAMES, (w1, b1, w2, b2), strict=True)}
        if step == steps:
            break
        # the loss is the mean of error^2 over 4 inputs; sigmoid'(z) = s (1 - s)
        at_out = error * out * (1 - out) * (2 / 4)  # d loss / d (the output unit's input)
        at_hidden = w2.transpose(1, 2) * at_out * h * (1 - h)  # ... / d (the hidden inputs)
        torch.matmul(at_hidden, x, out=g_w1)  # the gradient, written into `grad`
        torch.sum(at_hidden, dim=2, out=g_b1)
        torch.matmul(at_out, h.transpose(1, 2), out=g_w2)
        torch.sum(at_out, dim=2, out=g_b2)
        t = taken + step + 1
        mean.lerp_(grad, 1 - beta1)
        square.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        denominator = (square.sqrt() / math.sqrt(1 - beta2**t)).add_(eps)
        flat.addcdiv_(mean, denominator, value=-LR / (1 - beta1**t))
    state = {"mean": in_shapes(mean, start), "square": in_shapes(square, start)}
    empty = torch.zeros(0, len(start["2.bias"]))
    return kept, torch.stack(history) if history else empty, state | {"steps": taken + steps}


def sigmoid_outputs(params: dict[str, torch.Tensor]) -> torch.Tensor:
    """The outputs of a stack of 2-h-1 sigmoid networks on the four inputs: (K, 4)."""
    x, _ = make_data()
    h = torch.sigmoid(torch.matmul(params["0.weight"], x.T) + params["0.bias"][:, :, None])
    return torch.sigmoid(torch.baddbmm(params["2.bias"][:, :, None], params["2.weight"], h))[:, 0]


def sweep_all() -> dict[str, list[dict]]:
    """Every setting of SETTINGS, every seed: the sigmoid networks in a stack of their own,
    trained on to LONG_STEPS, and the ones unsolved at STEPS then on to ON_STEPS in a process
    of their own (see trained_on); meanwhile the ReLU settings in one stack of WIDTH-unit
    copies, trained STEPS steps. A padded ReLU unit has zero weights in and out: ReLU'(0) = 0
    gives it zero gradients, so Adam never moves it and each copy trains as its own network
    would. Returns, per setting, one record per seed (and "padding": the largest padded
    weight; "on": a Future of the failed sigmoid runs' weights on to ON_STEPS, or None)."""
    relu = {key: h for key, (activation, h) in SETTINGS.items() if activation == "relu"}
    sigmoid = {key: h for key, (activation, h) in SETTINGS.items() if activation == "sigmoid"}
    before = max(0, STEPS - 1000)  # the start of the last 1,000 steps
    groups = [stack_parameters(partial(make_model, h, "sigmoid"), SEEDS) for h in sigmoid.values()]
    sigmoid_start = {name: torch.cat([g[name] for g in groups]) for name in groups[0]}
    sigmoid_kept, sigmoid_losses, adam = train_sigmoid_stack(
        sigmoid_start, LONG_STEPS, {before, STEPS, LONG_STEPS}
    )
    x, y = make_data()
    with torch.no_grad():  # the copies not solved at STEPS go on, beside the rest
        failed = ~((sigmoid_outputs(sigmoid_kept[STEPS]) - y.T).abs() < 0.5).all(dim=1)
    on = None
    if failed.any():
        at = {name: p[failed] for name, p in sigmoid_kept[LONG_STEPS].items()}
        state = {key: {n: p[failed] for n, p in adam[key].items()} for key in ("mean", "square")}
        keep = set(range(0, ON_STEPS - LONG_STEPS + 1, ON_EVERY))
        on = jobs.beside(
            train_sigmoid_stack, at, ON_STEPS - LONG_STEPS, keep, state | {"steps": LONG_STEPS}
        )
    groups = [
        padded(stack_parameters(partial(make_model, h, "relu"), SEEDS), h) for h in relu.values()
    ]
    relu_start = {name: torch.cat([g[name] for g in groups]) for name in groups[0]}
    relu_kept, relu_losses = train_stack(
        make_model(WIDTH, "relu"), relu_start, STEPS, {before, STEPS}
    )
    stacks = [
        (relu, relu_start, relu_kept, relu_losses),
        (sigmoid, sigmoid_start, sigmoid_kept, sigmoid_losses),
    ]
    records, n = {}, len(SEEDS)
    for settings, start, kept, losses in stacks:
        losses = losses.T.tolist()  # one list per copy
        for i, (key, hidden) in enumerate(settings.items()):
            activation = SETTINGS[key][0]
            records[key] = []
            for j, seed in enumerate(SEEDS):
                k = i * n + j
                at = {step: copy_of(kept[step], k, activation, hidden) for step in kept}
                records[key].append(
                    {
                        "seed": seed,
                        "start": copy_of(start, k, activation, hidden),
                        "model": at[STEPS],
                        "before": at[before],  # 1000 steps before the end
                        "long": at.get(LONG_STEPS),  # sigmoid networks only
                        "losses": losses[k],
                        "outcome": outcome(at[STEPS], losses[k]),
                    }
                )
    final, live = relu_kept[STEPS], torch.zeros(len(relu) * n, WIDTH, dtype=torch.bool)
    for i, hidden in enumerate(relu.values()):
        live[i * n : (i + 1) * n, :hidden] = True
    padding = max(  # what the padded units hold after training: exactly 0
        final["0.weight"][~live].abs().max().item(),
        final["0.bias"][~live].abs().max().item(),
        final["2.weight"][:, 0][~live].abs().max().item(),
    )
    return {key: records[key] for key in SETTINGS} | {"padding": padding, "on": on}


def unit_kinds(model) -> list[str]:
    """For each hidden ReLU: dead (0 on all four inputs), affine (on at all four, or on at
    some and 0 at the others: there it is an affine function of a and b), or folding (on at
    some inputs, off at others: its fold line separates them). A pre-activation within
    ON_FOLD of 0 counts as 0, so that the sign of a rounding error decides nothing."""
    x, _ = make_data()
    with torch.no_grad():
        z = model[0](x)  # (4, units)
    kinds = []
    for unit in z.T:
        if (unit <= ON_FOLD).all():
            kinds.append("dead")
        elif (unit >= -ON_FOLD).all():
            kinds.append("affine")
        else:
            kinds.append("folding")
    return kinds


def kind_changes(model) -> list[float]:
    """The tolerances (>= 0) at which unit_kinds would change its answer for some unit: a
    unit is dead for a tolerance at least its largest pre-activation on the four inputs, and
    dead or affine for one at least minus its smallest."""
    x, _ = make_data()
    with torch.no_grad():
        z = model[0](x)
    return [t for unit in z.T for t in (unit.max().item(), -unit.min().item()) if t >= 0]


def corner_folds(model) -> int:
    """How many hidden ReLUs are affine on the four inputs with their fold line through one
    of them: 0 there (within ON_FOLD), on at the others."""
    x, _ = make_data()
    with torch.no_grad():
        z = model[0](x)
    return sum(
        kind == "affine" and (unit.abs() <= ON_FOLD).any().item()
        for kind, unit in zip(unit_kinds(model), z.T, strict=True)
    )


def hidden_layer(model) -> torch.Tensor:
    """The hidden units' outputs on the four inputs: (4, units)."""
    x, _ = make_data()
    with torch.no_grad():
        return model[1](model[0](x))


def merged_pairs(model, within: float = MERGED) -> list[tuple[int, int]]:
    """The pairs of inputs with different labels whose hidden vectors differ by less than
    `within` in every unit: the read-out sees (almost) one point for both."""
    h = hidden_layer(model)
    labels = make_data()[1].flatten().tolist()
    return [
        (i, j)
        for i in range(4)
        for j in range(i + 1, 4)
        if labels[i] != labels[j] and (h[i] - h[j]).abs().max().item() < within
    ]


def merged_gap(model) -> float:
    """How close two inputs with different labels come in the hidden layer: the smallest,
    over such pairs, of the largest difference between their hidden values. At 0 the
    read-out sees one point and must give both the same output."""
    h = hidden_layer(model)
    labels = make_data()[1].flatten().tolist()
    return min(
        (h[i] - h[j]).abs().max().item()
        for i in range(4)
        for j in range(i + 1, 4)
        if labels[i] != labels[j]
    )


def failure_kind(model, activation: str) -> str:
    """Why a failed run is wrong (each case is proved on the page):
    no_folding: no hidden ReLU folds between the inputs, so the network is affine on them;
    merged: two inputs with different labels reach the read-out as (almost) one hidden vector."""
    if activation == "relu" and "folding" not in unit_kinds(model):
        return "no_folding"
    if merged_gap(model) < MERGED:
        return "merged"
    return "neither"


def relu_floor(model) -> float | None:
    """The loss below which no weights near these can go, if the ReLU pattern is strict and
    the run failed for a reason the page proves: every unit strictly on or strictly off at
    every input (so small changes of the weights keep each unit on or off where it is), and
    either no folding unit (the network stays affine on the four inputs: best loss 1/4) or
    inputs where every unit is off (they stay merged at one hidden vector: best loss, the
    spread of their labels). None if neither proof applies."""
    x, y = make_data()
    with torch.no_grad():
        z = model[0](x)
    if (z.abs() <= ON_FOLD).any():  # a unit on its fold line at an input: not strict
        return None
    if "folding" not in unit_kinds(model):
        return 1 / 4
    off = (z < 0).all(dim=1)  # the inputs where every unit is off: one hidden vector, 0
    if off.sum() < 2 or len(set(y[off].flatten().tolist())) < 2:
        return None
    return ((y[off] - y[off].mean()) ** 2).sum().item() / 4


def loss_gradient(model) -> torch.Tensor:
    """The gradient of the mean squared error, as one vector."""
    x, y = make_data()
    model.zero_grad()
    ((model(x) - y) ** 2).mean().backward()
    return torch.cat([p.grad.flatten() for p in model.parameters()])


def weight_vector(model) -> torch.Tensor:
    return torch.cat([p.detach().flatten() for p in model.parameters()])


def relu_mechanisms(records: list[dict], key: str) -> dict[str, Quoted]:
    """Dead units at the start, and what became of the runs that had them."""
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
    dead = [s.count("dead") for s in starts]  # dead units of each run at the start
    runs = [(r, d) for r, d in zip(records, dead, strict=True) if d > 0]
    values[f"{key}_runs_dead_at_start"] = quote(len(runs))
    values.update(
        quote_rate(
            f"{key}_runs_dead_at_start_solved",
            sum(r["outcome"] == "solved" for r, _ in runs),
            max(1, len(runs)),
        )
    )
    few = [r for r, d in runs if d <= 2]
    many = [(r, d) for r, d in runs if d > 2]
    values[f"{key}_runs_dead_few"] = quote(len(few))  # one or two dead units at the start
    values[f"{key}_runs_dead_few_solved"] = quote(sum(r["outcome"] == "solved" for r in few))
    values[f"{key}_runs_dead_many"] = quote(len(many))  # three or more
    values[f"{key}_runs_dead_many_solved"] = quote(sum(r["outcome"] == "solved" for r, _ in many))
    values[f"{key}_runs_dead_most"] = quote(max(dead))
    values[f"{key}_failed_dead_at_start"] = quote(
        sorted(d for r, d in zip(records, dead, strict=True) if r["outcome"] != "solved"), "d"
    )
    return values


def end_states(records: list[dict]) -> dict[str, Quoted]:
    """The 2-2-1 ReLU runs by what their two units end as, and how many of each solve."""
    values = {}
    for name, kinds in END_STATES.items():
        runs = [r for r in records if sorted(unit_kinds(r["model"])) == sorted(kinds)]
        values[f"end_{name}"] = quote(len(runs))
        values[f"end_{name}_solved"] = quote(sum(r["outcome"] == "solved" for r in runs))
        # of these, the runs with a neuron affine on the four inputs but 0 at one of them
        corner = [r for r in runs if corner_folds(r["model"])]
        values[f"end_{name}_corner"] = quote(len(corner))
        values[f"end_{name}_corner_solved"] = quote(sum(r["outcome"] == "solved" for r in corner))
    # the tolerances at which some neuron's kind would change: the ones up to ON_FOLD are
    # rounding errors; far from it on both sides, any tolerance between gives the same kinds
    changes = [t for r in records for t in kind_changes(r["model"])]
    values["on_fold_max"] = quote(max(t for t in changes if t <= ON_FOLD), ".0e")
    values["off_fold_min"] = quote(min(t for t in changes if t > ON_FOLD), ".2g")
    values["on_fold"] = quote(ON_FOLD, ".0e")
    return values


def failures(records: dict[str, list[dict]]) -> dict[str, Quoted]:
    """Why each failed run fails: counted per setting; for ReLU units, the proof that the run
    is stuck; for sigmoid units, saturation, and what longer training does."""
    values = {}
    for key, runs in records.items():
        activation = SETTINGS[key][0]
        failed = [r for r in runs if r["outcome"] != "solved"]
        kinds = [failure_kind(r["model"], activation) for r in failed]
        values[f"{key}_failed"] = quote(len(failed))
        for kind in ("no_folding", "merged", "neither"):
            values[f"{key}_fail_{kind}"] = quote(kinds.count(kind))
    for key in ("sigmoid_2", "relu_2"):
        failed = [r for r in records[key] if r["outcome"] != "solved"]
        for limit, name in LIMITS.items():
            values[f"{key}_fail_near_{name}"] = quote(
                sum(abs(r["losses"][-1] - limit) < NEAR for r in failed)
            )
    values.update(relu_stuck(records))
    values.update(sigmoid_failures(records["sigmoid_2"]))
    return values


def relu_stuck(records: dict[str, list[dict]]) -> dict[str, Quoted]:
    """Every failed ReLU run: is one of the page's two proofs valid for it, and how far is
    its loss above the floor that proof gives?"""
    failed = [
        r
        for key, runs in records.items()
        if SETTINGS[key][0] == "relu"
        for r in runs
        if r["outcome"] != "solved"
    ]
    floors = [relu_floor(r["model"]) for r in failed]
    above = [r["losses"][-1] - f for r, f in zip(failed, floors, strict=True) if f is not None]
    merged = [r for r in failed if failure_kind(r["model"], "relu") == "merged"]
    affine = [  # the runs whose every unit is affine on the four inputs
        r for r in failed if set(unit_kinds(r["model"])) == {"affine"}
    ]
    moved = [
        (weight_vector(r["model"]) - weight_vector(r["before"])).abs().max().item() for r in affine
    ]
    return {
        "relu_failed": quote(len(failed)),
        "relu_fail_proved": quote(len(above)),
        "relu_fail_floor_gap": quote(max(abs(a) for a in above), ".0e"),
        "relu_merged_gap_max": quote(max(merged_gap(r["model"]) for r in merged), "g"),
        "relu_all_affine": quote(len(affine)),
        "relu_all_affine_moved": quote(max(moved), ".0e"),
    }


def sigmoid_failures(runs: list[dict]) -> dict[str, Quoted]:
    """The sigmoid runs at STEPS: merged inputs and saturation in the failed ones; the loss
    still falling and the weights growing in every run, solved or not; then LONG_STEPS."""
    values = {}
    failed = [r for r in runs if r["outcome"] != "solved"]
    solved = [r for r in runs if r["outcome"] == "solved"]
    values["sigmoid_merged_gap_max"] = quote(max(merged_gap(r["model"]) for r in failed), ".1e")
    # what tells a failed run from a solved one: in a solved run no two inputs with different
    # labels come close in the hidden layer
    values["sigmoid_solved_gap_min"] = quote(min(merged_gap(r["model"]) for r in solved), ".2f")
    # at the merged inputs every hidden unit's slope h(1 - h) is almost 0: the gradient that
    # could pull those inputs apart is multiplied by it
    slopes = []
    for r in failed:
        merged = sorted({i for pair in merged_pairs(r["model"]) for i in pair})
        h = hidden_layer(r["model"])[merged]
        slopes.append((h * (1 - h)).max().item())
    values["sigmoid_fail_saturated"] = quote(sum(s < SATURATED for s in slopes))
    values["sigmoid_fail_slope_max"] = quote(max(slopes), ".0e")
    drops = [r["losses"][-1001] - r["losses"][-1] for r in failed]
    values["sigmoid_fail_still_falling"] = quote(sum(d > 1e-6 for d in drops))
    values["sigmoid_fail_drop_min"] = quote(min(drops), ".0e")
    values["sigmoid_fail_drop_max"] = quote(max(drops), ".0e")
    # every run, solved or not, still falls and grows its weights: with a sigmoid output and
    # targets 0 and 1 the loss reaches 0 only as the weights grow without bound
    falling = [r["losses"][-1001] - r["losses"][-1] > 1e-6 for r in runs]
    values["sigmoid_solved_still_falling"] = quote(sum(falling) - sum(d > 1e-6 for d in drops))
    cosines = {}
    for group, members in (("solved", solved), ("failed", failed)):
        cosines[group] = [
            (-loss_gradient(r["model"]) @ weight_vector(r["model"])).item()
            / (loss_gradient(r["model"]).norm() * weight_vector(r["model"]).norm()).item()
            for r in members
        ]
        values[f"sigmoid_{group}_outward"] = quote(sum(c > 0 for c in cosines[group]))
        values[f"sigmoid_{group}_outward_min"] = quote(min(cosines[group]), ".2f")
    # trained on to LONG_STEPS: how many got out, and what the others did meanwhile
    values["long_steps"] = quote(LONG_STEPS, ",")
    x, y = make_data()
    with torch.no_grad():
        right = [((r["long"](x) - y).abs() < 0.5).all().item() for r in runs]
    escaped = sum(ok for ok, r in zip(right, runs, strict=True) if r["outcome"] != "solved")
    values.update(quote_rate("sigmoid_long_escaped", escaped, len(failed)))
    values["sigmoid_long_kept"] = quote(
        sum(ok for ok, r in zip(right, runs, strict=True) if r["outcome"] == "solved")
    )
    stuck = [r for ok, r in zip(right, runs, strict=True) if not ok]
    values["sigmoid_long_gap_max"] = quote(max(merged_gap(r["long"]) for r in stuck), ".0e")
    with torch.no_grad():
        long_losses = [((r["long"](x) - y) ** 2).mean().item() for r in stuck]
    values["sigmoid_long_limit_gap"] = quote(
        max(min(abs(loss - limit) for limit in LIMITS) for loss in long_losses), ".0e"
    )
    norms = {
        "before": [weight_vector(r["model"]).norm().item() for r in failed],
        "long": [weight_vector(r["long"]).norm().item() for r in failed],
    }
    values["sigmoid_fail_norm"] = quote(statistics.median(norms["before"]), ".1f")
    values["sigmoid_long_norm"] = quote(statistics.median(norms["long"]), ".1f")
    values["sigmoid_long_grew"] = quote(
        sum(b < a for b, a in zip(norms["before"], norms["long"], strict=True))
    )
    return values


def trained_on(runs: list[dict], on) -> dict[str, Quoted]:
    """The sigmoid runs unsolved at STEPS, trained on from LONG_STEPS to ON_STEPS (`on`, the
    Future of sweep_all): how many got out of the merged state, by which step, how long each
    first sat with its loss moving less than 1e-6 per 1,000 steps (the page's plateau test),
    and where the others are at ON_STEPS."""
    failed = [r for r in runs if r["outcome"] != "solved"]
    kept = on.result()[0]  # checkpoints every ON_EVERY steps, counted from LONG_STEPS
    checkpoints = sorted(kept)
    x, y = make_data()
    with torch.no_grad():
        outputs = torch.stack([sigmoid_outputs(kept[step]) for step in checkpoints])
    right = ((outputs - y.T).abs() < 0.5).all(dim=2)  # (checkpoint, copy)
    losses = ((outputs - y.T) ** 2).mean(dim=2)
    assert right.shape[1] == len(failed) and not right[0].any()  # the same runs, unsolved
    last = len(checkpoints) - 1
    ends = [copy_of(kept[checkpoints[last]], k, "sigmoid", 2) for k in range(len(failed))]
    escaped = []  # (first step solved, seed, steps on a plateau before, solved to the end)
    for k, r in enumerate(failed):
        if not right[last, k]:
            continue
        first = int(right[:, k].long().argmax())
        loss, flat, longest = losses[:, k].tolist(), 0, 0
        for i in range(first - 1):  # the windows that end before the one it got out in
            flat = flat + 1 if abs(loss[i + 1] - loss[i]) < 1e-6 else 0
            longest = max(longest, flat)
        stayed = bool(right[first:, k].all())
        escaped.append((LONG_STEPS + checkpoints[first], r["seed"], longest * ON_EVERY, stayed))
    escaped.sort()
    stuck = [m for m, ok in zip(ends, right[last].tolist(), strict=True) if not ok]
    values = {
        "on_steps": quote(ON_STEPS, ","),
        "on_every": quote(ON_EVERY, ","),
        "on_unmerged": quote(sum(merged_gap(m) >= MERGED for m in ends)),
        "on_seeds": quote([seed for _, seed, _, _ in escaped]),
        "on_first": quote([step for step, _, _, _ in escaped], ","),
        "on_flat": quote([flat for _, _, flat, _ in escaped], ","),
        "on_stayed": quote(sum(stayed for *_, stayed in escaped)),
        "on_stuck": quote(len(stuck)),
        "on_gap_max": quote(max(merged_gap(m) for m in stuck), ".0e"),
    }
    values.update(quote_rate("on_solved", len(escaped), len(failed)))
    final = [losses[last, k].item() for k in range(len(failed)) if not right[last, k]]
    values["on_limit_gap"] = quote(
        max(min(abs(loss - limit) for limit in LIMITS) for loss in final), ".0e"
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
        # the median of an even number of seeds may end in .5: "g" shows 26.5, and 48 as 48
        values[f"parity_{n}_median"] = quote(statistics.median(done), "g") if done else quote(None)
        values[f"parity_{n}_max"] = quote(max(done) if done else None)
    solved = [values[f"parity_{n}_solved"].value for n in PARITY_BITS]
    values["parity_all_solved"] = quote(all(s == len(PARITY_SEEDS) for s in solved))
    # the interval of every seed solving, ends rounded outwards as every interval on the site
    values.update(quote_rate("parity_all", len(PARITY_SEEDS), len(PARITY_SEEDS)))
    values["parity_medians"] = quote([values[f"parity_{n}_median"].value for n in PARITY_BITS], "g")
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
        "relu_folding_affine": (
            "relu_2",
            lambda r: (
                r["outcome"] == "solved"
                and sorted(unit_kinds(r["model"])) == ["affine", "folding"]
                and corner_folds(r["model"]) == 0  # on at all four inputs, not 0 at one
            ),
        ),
        "sigmoid_solved": ("sigmoid_2", lambda r: r["outcome"] == "solved"),
        "relu_folding_dead": (
            "relu_2",
            lambda r: sorted(unit_kinds(r["model"])) == ["dead", "folding"],
        ),
        "relu_affine_affine": ("relu_2", lambda r: unit_kinds(r["model"]) == ["affine", "affine"]),
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
    on = records.pop("on")  # the failed sigmoid runs, trained on in a process of their own
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
    values.update(trained_on(records["sigmoid_2"], on))  # last: it runs beside the rest
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
