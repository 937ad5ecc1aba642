"""Chapter 1 at build time: train the neuron with Adam and with SGD, draw the figures.

Besides the runs the page shows, it measures why plain SGD is slow (the Hessian of the
loss along the run, with the input as it is and centred, and the same gradient descent with
larger learning rates from the first step), where the maximum-margin
direction of Soudry et al. puts the threshold, and how float32 turns the loss into 0.
"""

from __future__ import annotations

import math
import struct
from itertools import pairwise
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from site_tools.figures import BLUE, GREY, ORANGE, new_figure, save
from site_tools.results import Data, Quoted, quote
from snippets.less_than import hardwired, make_data, train

EXPECTED_SECONDS = 18  # run() on 2 cores: the build starts the longest first
ADAM = {"optimizer": "adam", "lr": 0.1, "steps": 5000}
SGD = {"optimizer": "sgd", "lr": 0.01, "steps": 20000}
SGD_LONGER = {**SGD, "steps": 25000}  # the same run, on until it separates the data
CENTRED = {**SGD, "steps": 2000, "centre": 9.5}  # the same run on the input x - 9.5
ADAM_AT_SGD_LR = {**ADAM, "lr": SGD["lr"], "steps": 1000}  # until it separates the data
GAPPED_STEPS = 1000  # plain gradient descent on the data without 0..9
WARM_UP = 100  # from this step to the separation the page measures the SGD run's gradient
# plain gradient descent from the same start with larger learning rates, from step 0 on
LARGER_LRS, LARGER_STEPS = (0.2, 1.0), 1500
SETTLING_WINDOW = 100  # steps over which the page measures how fast Adam's threshold rises
REPLAY_POINTS = 64  # steps of each run the widget replays, evenly spaced on a log axis
CHALLENGE_SCALE = 2  # the widget's challenge: |a| at most this, and the loss below a bound


def draw_data(path: Path) -> None:
    x, y = make_data()
    fig, [[ax]] = new_figure(height=2.4)
    ax.scatter(x.flatten(), y.flatten(), s=14, color=BLUE, zorder=3)
    ax.axvline(10, color=GREY, linestyle="--", linewidth=1)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.set_yticks([0, 1])
    save(fig, path)


def draw_sharpening(path: Path) -> None:
    x, y = make_data()
    grid = torch.linspace(-20, 39, 600).reshape(-1, 1)
    fig, [[ax]] = new_figure(height=2.6)
    ax.scatter(x.flatten(), y.flatten(), s=10, color=GREY, zorder=3)
    with torch.no_grad():
        for scale, colour in [(1, BLUE), (10, ORANGE), (100, "black")]:
            ax.plot(
                grid.flatten(),
                hardwired(scale)(grid).flatten(),
                color=colour,
                label=f"$M = {scale}$",
            )
    ax.set_xlabel("$x$")
    ax.set_ylabel(r"$\sigma(M(10 - x))$")
    ax.legend(loc="upper right", frameon=False)
    save(fig, path)


def draw_history(runs: dict[str, dict[str, list[float]]], path: Path) -> None:
    fig, axes = new_figure(2, 2, width=7.5, height=4.6)
    (ax_w, ax_b), (ax_t, ax_l) = axes
    every = slice(None, None, 10)  # a point every 10 steps is plenty for the eye
    for (label, history), colour in zip(runs.items(), [BLUE, ORANGE], strict=False):
        step = history["step"][every]
        w, b = torch.tensor(history["weight"][every]), torch.tensor(history["bias"][every])
        ax_w.plot(step, w, color=colour, label=label)
        ax_b.plot(step, b, color=colour, label=label)
        ax_t.plot(step, -b / w, color=colour, label=label)
        ax_l.plot(step, history["loss"][every], color=colour, label=label)
    ax_w.set_ylabel("$a$")
    ax_b.set_ylabel("$b$")
    ax_t.set_ylabel("$-b/a$")
    ax_t.axhspan(9, 10, color=GREY, alpha=0.12)
    ax_t.axhline(9.5, color=GREY, linestyle="--", linewidth=1)
    ax_t.set_ylim(5, 11)
    ax_l.set_ylabel("$L$")
    ax_l.set_yscale("log")
    for ax in (ax_t, ax_l):
        ax.set_xlabel("$t$")
    ax_w.legend(frameon=False)
    save(fig, path)


def neuron_at(history: dict[str, list[float]], step: int) -> nn.Sequential:
    """The neuron of a run (input x, not centred) as it was after `step` steps."""
    model = nn.Sequential(nn.Linear(1, 1), nn.Sigmoid())
    with torch.no_grad():
        model[0].weight.fill_(history["weight"][step])
        model[0].bias.fill_(history["bias"][step])
    return model


def summary(history: dict, settings: dict, prefix: str) -> dict[str, Quoted]:
    """What the page says about a run after settings["steps"] steps."""
    x, y = make_data()
    step = settings["steps"]
    model = neuron_at(history, step)
    a, b = model[0].weight.item(), model[0].bias.item()
    with torch.no_grad():
        predicted = (model(x) > 0.5).float()
    wrong = [int(v) for v in x[predicted != y].tolist()]
    return {
        f"{prefix}_a": quote(a, ".2f"),
        f"{prefix}_b": quote(b, ".2f"),
        f"{prefix}_threshold": quote(-b / a, ".3f"),
        f"{prefix}_loss": quote(history["loss"][step], ".2g"),
        f"{prefix}_accuracy": quote(1 - len(wrong) / len(x), ".0%"),
        f"{prefix}_wrong": quote(wrong, text=", ".join(map(str, wrong)) or "none"),
        f"{prefix}_steps": quote(settings["steps"], ","),
        f"{prefix}_lr": quote(settings["lr"]),
    }


# --- why plain SGD is slow ------------------------------------------------------------


def weights_and_biases(history: dict) -> tuple[torch.Tensor, torch.Tensor]:
    return (
        torch.tensor(history["weight"], dtype=torch.float64),
        torch.tensor(history["bias"], dtype=torch.float64),
    )


def all_right(history: dict, centre: float = 0.0) -> torch.Tensor:
    """For each step of a run: does the neuron put every one of the 60 points on its side?"""
    x, y = make_data()
    a, b = weights_and_biases(history)
    logits = a[:, None] * (x.double().flatten() - centre) + b[:, None]
    return ((logits > 0) == (y.flatten() == 1)).all(dim=1)


def first_separated(history: dict, centre: float = 0.0) -> int:
    right = all_right(history, centre)
    if not right.any():
        raise RuntimeError("the run never separates the data")
    return int(right.int().argmax())


def hessians(history: dict, centre: float = 0.0) -> torch.Tensor:
    """loss_hessian at every step of a run, all at once: shape (steps + 1, 2, 2)."""
    x, _ = make_data()
    rows = torch.cat([x - centre, torch.ones_like(x)], dim=1).double()  # (60, 2)
    a, b = weights_and_biases(history)
    p = torch.sigmoid(torch.stack([a, b], dim=1) @ rows.T)  # (steps + 1, 60)
    curvature = p * (1 - p)
    return torch.einsum("sn,ni,nj->sij", curvature, rows, rows) / len(rows)


def conditioning(hessian: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Condition numbers, and the angle in degrees between the flattest direction and the
    bias axis, of a stack of 2x2 Hessians."""
    values, vectors = torch.linalg.eigh(hessian)  # eigenvalues in ascending order
    flattest = vectors[..., :, 0]  # (weight, bias) components
    angle = torch.rad2deg(torch.acos(flattest[..., 1].abs().clamp(max=1)))
    return values[..., 1] / values[..., 0], angle


def move_angle(history: dict, step: int) -> float:
    """The angle in degrees between the bias axis and the way a run moved from its start
    to `step`."""
    da = history["weight"][step] - history["weight"][0]
    db = history["bias"][step] - history["bias"][0]
    return math.degrees(math.atan2(abs(da), abs(db)))


def learning_rate_bound() -> float:
    """Soudry et al.'s condition on the step size, for the mean loss: lr < 2 / (beta * s)
    with beta = 1/4 (the logistic loss) and s the largest eigenvalue of the mean of
    (x, 1)(x, 1)^T over the data."""
    x, _ = make_data()
    rows = torch.cat([x, torch.ones_like(x)], dim=1).double()
    largest = torch.linalg.eigvalsh(rows.T @ rows / len(rows))[-1].item()
    return 2 / (0.25 * largest)


def gradients(history: dict, centre: float = 0.0) -> torch.Tensor:
    """The gradient of the mean logistic loss in (a, b) at every step of a run, in float64:
    shape (steps + 1, 2)."""
    x, y = make_data()
    rows = torch.cat([x - centre, torch.ones_like(x)], dim=1).double()  # (60, 2)
    a, b = weights_and_biases(history)
    p = torch.sigmoid(torch.stack([a, b], dim=1) @ rows.T)  # (steps + 1, 60)
    return (p - y.double().flatten()) @ rows / len(rows)


def held_back(sgd: dict) -> dict[str, Quoted]:
    """What holds plain SGD back on x: after the first steps the run follows the flattest
    direction with a small gradient, at a learning rate far below what the curvature along
    the way allows."""
    lr, first = SGD["lr"], first_separated(sgd)
    values, vectors = torch.linalg.eigh(hessians(sgd))
    largest = values[:, 1]  # the steepest curvature, per step
    grad = gradients(sgd)
    along = slice(WARM_UP, first + 1)
    # the angle between the gradient and the flattest direction, from WARM_UP to separation
    cosine = (grad[along] * vectors[along, :, 0]).sum(dim=1).abs() / grad[along].norm(dim=1)
    off_flat = torch.rad2deg(torch.acos(cosine.clamp(max=1))).max().item()
    room = 2 / (lr * largest[along])  # how many times lr the local step limit 2/lambda is
    norms = grad.norm(dim=1)
    return {
        "sgd_start_lr_limit": quote(2 / largest[0].item(), ".4f"),
        "warm_up": quote(WARM_UP),
        "sgd_grad_off_flat_max": quote(off_flat, ".1g"),
        "sgd_grad_at_warm_up": quote(norms[WARM_UP].item(), ".2f"),
        "sgd_grad_at_separation": quote(norms[first].item(), ".4f"),
        "sgd_room_min": quote(room.min().item(), ".0f"),
        "sgd_room_max": quote(room.max().item(), ".0f"),
    }


def gradient_descent_float64(lr: float, steps: int) -> dict[str, list[float]]:
    """train(seed=0, optimizer="sgd", lr=lr, steps=steps) in float64: the same start (the
    seed's float32 weights, which float64 holds exactly), data, loss and updates, with 64-bit
    rounding. Its history has "weight", "bias" and "loss" at every step."""
    x, y = make_data()
    x, y = x.double(), y.double()
    torch.manual_seed(0)
    linear = nn.Linear(1, 1).double()
    opt = torch.optim.SGD(linear.parameters(), lr=lr)
    history = {"weight": [], "bias": [], "loss": []}
    for step in range(steps + 1):
        loss = F.binary_cross_entropy_with_logits(linear(x), y)
        history["weight"].append(linear.weight.item())
        history["bias"].append(linear.bias.item())
        history["loss"].append(loss.item())
        if step == steps:
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
    return history


def larger_rates(sgd: dict, runs: dict[float, dict]) -> dict[str, Quoted]:
    """Plain gradient descent from the SGD run's start with the learning rates LARGER_LRS,
    from step 0 on: each is far above the start's local limit 2/lambda, the loss rises on
    the first step, and the data are separated far sooner all the same. `runs` maps each
    learning rate to its history."""
    (big, big_run), (bigger, bigger_run) = runs.items()
    start_limit = 2 / torch.linalg.eigvalsh(hessians(sgd))[0, 1].item()
    values = {
        "larger_steps": quote(LARGER_STEPS, ","),
        "sgd_loss_start": quote(sgd["loss"][0], ".2f"),
    }
    for name, lr, run, spec in [
        ("big", big, big_run, ".1f"),
        ("bigger", bigger, bigger_run, ".0f"),
    ]:
        loss = torch.tensor(run["loss"], dtype=torch.float64)
        rises = int((loss.diff() > 0).sum())
        if not loss[1] > loss[0]:
            raise RuntimeError(f"the loss at lr {lr} does not rise on the first step")
        a, b = weights_and_biases(run)
        values |= {
            f"{name}_lr": quote(lr, ".1f"),
            f"{name}_times_limit": quote(lr / start_limit, spec),
            f"{name}_loss_1": quote(run["loss"][1], ".2f"),
            f"{name}_loss_rises": quote(rises, ","),
            f"{name}_first_separated": quote(first_separated(run), ","),
            f"{name}_separated_for_good": quote(separated_for_good(run), ","),
            f"{name}_threshold_end": quote((-b[-1] / a[-1]).item(), ".2f"),
        }
    # at 0.2: one rise, on the first step; after it lr * lambda_max < 2 at every step
    top = torch.linalg.eigvalsh(hessians(big_run))[:, 1]
    if values["big_loss_rises"].value != 1 or not (big * top[1:] < 2).all():
        raise RuntimeError("the run at 0.2 is not stable from its second step on")
    if big * top[0] < 2:
        raise RuntimeError("the run at 0.2 starts below the local limit")
    speed_up = first_separated(sgd) / first_separated(big_run)
    values["big_speed_up"] = quote(speed_up, ".1f")
    values["big_ratio"] = quote(big / SGD["lr"], "g")
    # the same run in float64: the step counts above are the float32 run's
    bigger64 = gradient_descent_float64(bigger, LARGER_STEPS)
    values["bigger64_first_separated"] = quote(first_separated(bigger64), ",")
    values["bigger64_separated_for_good"] = quote(separated_for_good(bigger64), ",")
    return values


def draw_centring(runs: dict[str, tuple[dict, float]], path: Path) -> None:
    """Threshold and condition number against the step, for the input x and x - 9.5."""
    fig, [[ax_t, ax_c]] = new_figure(1, 2, width=7.5, height=2.8)
    for (label, (history, centre)), colour in zip(runs.items(), [BLUE, ORANGE], strict=True):
        steps = len(history["step"]) - 1
        # 150 points evenly spaced on the log axis (fewer where steps are whole numbers)
        picks = torch.unique(torch.logspace(0, math.log10(steps), 150).round().long())
        a, b = weights_and_biases(history)
        condition, _ = conditioning(hessians(history, centre))
        ax_t.plot(picks, centre - b[picks] / a[picks], color=colour, label=label)
        ax_c.plot(picks, condition[picks], color=colour, label=label)
        first = first_separated(history, centre)
        for ax in (ax_t, ax_c):
            ax.axvline(first, color=colour, linestyle=":", linewidth=1)
    ax_t.axhspan(9, 10, color=GREY, alpha=0.12)
    ax_t.axhline(9.5, color=GREY, linestyle="--", linewidth=1)
    ax_t.set_ylim(2, 12)
    ax_t.set_ylabel("$c - b/a$")
    ax_c.set_yscale("log")
    ax_c.set_ylabel(r"$\lambda_{\max} / \lambda_{\min}$")
    for ax in (ax_t, ax_c):
        ax.set_xscale("log")
        ax.set_xlabel("$t$")
        ax.minorticks_off()  # the decades are enough, and the file stays small
    ax_t.legend(frameon=False, loc="lower right")
    save(fig, path)


def separated_for_good(history: dict, centre: float = 0.0) -> int:
    """The step from which a run puts every point on its side at every later step."""
    right = all_right(history, centre)
    if not right[-1]:
        raise RuntimeError("the run does not end with the data separated")
    wrong = (~right).nonzero().flatten()
    return int(wrong.max()) + 1 if len(wrong) else 0


def settling(adam: dict) -> dict[str, Quoted]:
    """How Adam's threshold behaves after its first separation: it overshoots and loses the
    separation again, then, from the step where it separates for good, only rises, and more
    slowly in each window of SETTLING_WINDOW steps."""
    a, b = weights_and_biases(adam)
    threshold = -b / a
    first, good = first_separated(adam), separated_for_good(adam)
    if (threshold[good:].diff() < 0).any():
        raise RuntimeError("Adam's threshold falls after the step it separates for good")
    window = SETTLING_WINDOW
    bounds = [good, *range((good // window + 1) * window, ADAM["steps"] + 1, window)]
    rates = [(threshold[e] - threshold[s]) / (e - s) for s, e in pairwise(bounds)]
    if not all(later < earlier for earlier, later in pairwise(rates)):
        raise RuntimeError("Adam's threshold does not rise more and more slowly")
    swing = threshold[first:good]
    return {
        "adam_separated_for_good": quote(good, ","),
        "adam_threshold_peak": quote(swing.max().item(), ".2f"),
        "adam_threshold_dip": quote(swing.min().item(), ".2f"),
        "adam_threshold_at_good": quote(threshold[good].item(), ".2f"),
        "adam_threshold_at_1000": quote(threshold[1000].item(), ".2f"),
        "settling_window": quote(window),
        "adam_rise_first": quote((threshold[good + window] - threshold[good]).item(), ".2f"),
        "adam_rise_last": quote((threshold[-1] - threshold[-1 - window]).item(), ".2g"),
    }


def slowness(adam: dict, sgd: dict, centred: dict, adam_slow: dict) -> dict[str, Quoted]:
    """Why plain SGD needs 24 thousand steps on x and hundreds on x - 9.5, measured, and
    how Adam fares with SGD's learning rate (the run adam_slow)."""
    shown = SGD["steps"]
    condition, angle = conditioning(hessians(sgd))
    centred_condition, _ = conditioning(hessians(centred, CENTRED["centre"]))
    sgd_first = first_separated(sgd)
    centred_first = first_separated(centred, CENTRED["centre"])
    below_five = centred_condition < 5
    calm_from = int(below_five.int().argmax())  # the first step below 5 ...
    if not below_five[calm_from:].all():  # ... and it stays below 5 to the end of the run
        raise RuntimeError("the centred run's condition number rises above 5 again")
    # meanwhile the run on x: its condition number rises at every step of that stretch
    climbing = condition[calm_from : CENTRED["steps"] + 1]
    if not (climbing.diff() > 0).all():
        raise RuntimeError("the run on x's condition number does not climb while the other falls")
    if separated_for_good(sgd) != sgd_first:
        raise RuntimeError("the SGD run loses the separation again before its last step")
    a, b = weights_and_biases(sgd)
    threshold = -b / a

    def bias_step(history: dict, lr: float) -> float:
        """The bias's mean step over the first 100 steps, as a fraction of the lr."""
        return (torch.tensor(history["bias"][:101]).diff().abs().mean() / lr).item()

    return {
        "sgd_first_separated": quote(sgd_first, ","),
        "sgd_longer_steps": quote(SGD_LONGER["steps"], ","),
        "sgd_cond_start": quote(condition[0].item(), ".0f"),
        "sgd_cond_min": quote(condition[: shown + 1].min().item(), ".0f"),
        "sgd_cond_max": quote(condition[: shown + 1].max().item(), ".0f"),
        "sgd_flat_angle_max": quote(angle[: shown + 1].max().item(), ".1f"),
        "sgd_move_angle": quote(move_angle(sgd, sgd_first), ".1f"),
        "sgd_bias_at_separation": quote(sgd["bias"][sgd_first], ".2f"),
        "sgd_a_at_separation": quote(abs(sgd["weight"][sgd_first]), ".2f"),
        "sgd_bias_start": quote(sgd["bias"][0], ".2f"),
        "centred_steps": quote(CENTRED["steps"], ","),
        "centred_first_separated": quote(centred_first, ","),
        "centred_cond_start": quote(centred_condition[0].item(), ".0f"),
        "centred_cond_below_5_from": quote(calm_from, ","),
        "centred_cond_end": quote(centred_condition[-1].item(), ".1f"),
        "centred_move_angle": quote(move_angle(centred, centred_first), ".0f"),
        "centred_bias_at_separation": quote(centred["bias"][centred_first], ".2f"),
        "sgd_cond_at_calm": quote(climbing[0].item(), ".0f"),
        "sgd_cond_at_centred_end": quote(climbing[-1].item(), ".0f"),
        "sgd_threshold_start": quote(threshold[0].item(), ".2f"),
        "sgd_threshold_at_100": quote(threshold[100].item(), ".2f"),
        "adam_first_separated": quote(first_separated(adam), ","),
        "adam_slow_lr": quote(ADAM_AT_SGD_LR["lr"]),
        "adam_slow_first_separated": quote(first_separated(adam_slow), ","),
        "adam_slow_bias_step": quote(bias_step(adam_slow, ADAM_AT_SGD_LR["lr"]), ".2f"),
        "sgd_bias_step": quote(bias_step(sgd, SGD["lr"]), ".2f"),
        "sgd_lr_bound": quote(learning_rate_bound(), ".4f"),
    }


# --- where the maximum-margin direction puts the threshold ------------------------------


def max_margin_threshold(x: torch.Tensor, y: torch.Tensor, norm: float = 2) -> float:
    """The threshold -b/a of the direction (a, b) that maximises the smallest of
    s * (a x + b) / ||(a, b)||, s = +1 for label 1 and -1 for label 0: the bias is a weight,
    as in Soudry et al. (norm 2) and Zhang, Zou and Cao (norm inf). A scan of the angle,
    refined twice around the best."""
    x, sign = x.double().flatten(), 2 * y.double().flatten() - 1
    centre, half_width = math.pi, math.pi
    for _ in range(3):
        angles = torch.linspace(centre - half_width, centre + half_width, 4001, dtype=torch.float64)
        a, b = torch.cos(angles), torch.sin(angles)
        length = torch.linalg.vector_norm(torch.stack([a, b]), ord=norm, dim=0)
        margins = (sign * (a[:, None] * x + b[:, None])).min(dim=1).values / length
        best = int(margins.argmax())
        centre, half_width = angles[best].item(), 2 * half_width / 4000
    if margins[best] <= 0:
        raise ValueError("the data are not separable by a threshold")
    return -math.sin(centre) / math.cos(centre)


def gapped_data() -> tuple[torch.Tensor, torch.Tensor]:
    """make_data() without 0..9: label 1 for -20..-1, label 0 for 10..39."""
    x, y = make_data()
    keep = (x < 0) | (x >= 10)
    return x[keep].reshape(-1, 1), y[keep].reshape(-1, 1)


def gradient_descent_on_gapped_data(steps: int) -> list[float]:
    """The threshold at each of the steps 0..`steps` of the chapter's SGD (seed 0, lr 0.01,
    full batch) on gapped_data()."""
    x, y = gapped_data()
    torch.manual_seed(0)
    linear = nn.Linear(1, 1)
    opt = torch.optim.SGD(linear.parameters(), lr=SGD["lr"])
    thresholds = [-linear.bias.item() / linear.weight.item()]
    for _ in range(steps):
        loss = F.binary_cross_entropy_with_logits(linear(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        thresholds.append(-linear.bias.item() / linear.weight.item())
    return thresholds


def minus(value: float) -> str:
    """A whole number as the prose prints it, with a true minus sign."""
    return f"{value:.0f}".replace("-", "\u2212")


def unit_margin_support() -> dict[str, Quoted]:
    """Wu, Braverman and Lee's non-degeneracy on these data: the nearest points (9, 1) and
    (10, 1), each signed by its label (+ for 1, - for 0), and the maximum-margin direction
    (a, b) that gives both the margin 1, written as a combination of the signed points."""
    x, y = make_data()
    x, label1 = x.flatten().double(), y.flatten() == 1
    nearest = torch.stack([x[label1].max(), x[~label1].min()])  # 9 and 10
    signed = torch.stack([nearest, torch.ones(2, dtype=torch.float64)], dim=1)
    signed[1] = -signed[1]  # label 0
    direction = torch.linalg.solve(signed, torch.ones(2, dtype=torch.float64))  # margins 1
    weights = torch.linalg.solve(signed.T, direction)  # direction = weights @ signed
    if not (weights > 0).all():
        raise RuntimeError("the maximum-margin direction is not a positive combination")
    a, b = direction.tolist()
    w9, w10 = weights.tolist()
    return {
        "unit_margin_a": quote(a, text=minus(a)),
        "unit_margin_b": quote(b, text=minus(b)),
        "support_weight_9": quote(w9, ".0f"),
        "support_weight_10": quote(w10, ".0f"),
    }


def margins() -> dict[str, Quoted]:
    x, y = make_data()
    gx, gy = gapped_data()
    gap_low, gap_high = gx[gy == 1].max().item(), gx[gy == 0].min().item()
    gap_margin = max_margin_threshold(gx, gy)
    trajectory = gradient_descent_on_gapped_data(GAPPED_STEPS)
    # the run passes the maximum-margin threshold on its way down, and is still falling
    below = [step for step, t in enumerate(trajectory) if t < gap_margin]
    if not below or below != list(range(below[0], GAPPED_STEPS + 1)):
        raise RuntimeError("the gapped run does not cross the maximum-margin threshold once")
    if not trajectory[-1] < trajectory[-2]:
        raise RuntimeError("the gapped run's threshold is no longer falling at its last step")
    return {
        "margin_threshold": quote(max_margin_threshold(x, y), ".2f"),
        "margin_threshold_linf": quote(max_margin_threshold(x, y, norm=math.inf), ".2f"),
        "margin_threshold_centred": quote(9.5 + max_margin_threshold(x - 9.5, y), ".2f"),
        "gap_low": quote(int(gap_low), text=f"{int(gap_low)}".replace("-", "\u2212")),
        "gap_high": quote(int(gap_high)),
        "gap_midpoint": quote((gap_low + gap_high) / 2, ".1f"),
        "gap_margin_threshold": quote(gap_margin, ".2f"),
        "gap_steps": quote(GAPPED_STEPS, ","),
        "gap_sgd_threshold": quote(trajectory[-1], ".2f"),
        "gap_sgd_threshold_at_100": quote(trajectory[100], ".2f"),
        "gap_sgd_below_margin_from": quote(below[0], ","),
    }


# --- how float32 turns the loss into 0 --------------------------------------------------


def pytorch_terms(scale: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """PyTorch's 60 loss terms of sigmoid(scale * (9.5 - x)) on make_data(), the logits
    (exact in float32) and the loss in `dtype`."""
    x, y = make_data()
    with torch.no_grad():
        logits = hardwired(scale, threshold=9.5)[0](x)
        return F.binary_cross_entropy_with_logits(
            logits.to(dtype), y.to(dtype), reduction="none"
        ).flatten()


def from_on(holds: list[bool]) -> int:
    """The smallest scale (holds[0] is scale 1) from which `holds` is True to its end."""
    if not holds[-1]:
        raise RuntimeError("the condition does not hold at the largest scale")
    last_false = max((i for i, h in enumerate(holds) if not h), default=-1)
    return last_false + 2  # scales start at 1


def float32_zeros(largest_scale: int = 1000) -> dict[str, Quoted]:
    _, y = make_data()
    label0 = y.flatten() == 0
    scales = range(1, largest_scale + 1)
    terms = {scale: pytorch_terms(scale) for scale in scales}
    label0_zero = from_on([bool((terms[m][label0] == 0).all()) for m in scales])
    mean_zero = from_on([terms[m].mean().item() == 0 for m in scales])
    all_zero = from_on([bool((terms[m] == 0).all()) for m in scales])
    nine = 29  # x = 9 is the 30th point
    half = torch.tensor(label0_zero / 2)
    spacing = (torch.nextafter(half, torch.tensor(math.inf)) - half).item()
    return {
        "label0_zero_scale": quote(label0_zero),
        "label0_logit": quote(label0_zero / 2, "g"),
        "float32_spacing": quote(spacing, ".1e"),
        "nine_term_at_label0_zero": quote(terms[label0_zero][nine].item(), ".1e"),
        "zero_loss_scale": quote(mean_zero),
        "nine_term_at_zero_loss": quote(terms[mean_zero][nine].item(), ".1e"),
        # the mean of the float32 terms in exact arithmetic, which float32 rounds to 0
        "mean_at_zero_loss": quote(terms[mean_zero].double().mean().item(), ".1e"),
        "all_terms_zero_scale": quote(all_zero),
        "smallest_float32": quote(torch.finfo(torch.float32).smallest_normal * 2**-23, ".1e"),
    }


def exact_loss(a: float, b: float, x: torch.Tensor, y: torch.Tensor) -> float:
    """The mean logistic loss of sigmoid(a x + b), each term computed without cancellation
    (softplus of the signed logit), in float64: the page's 64-bit reference, and the
    widget's loss."""
    z = a * x.double().flatten() + b
    signed = torch.where(y.flatten() == 1, -z, z)  # the term is log(1 + e^signed)
    terms = signed.clamp(min=0) + torch.log1p(torch.exp(-signed.abs()))
    return math.fsum(terms.tolist()) / len(terms)


def against_the_reference(largest_scale: int = 1000, shown: int = 100) -> dict[str, Quoted]:
    """PyTorch's mean loss against exact_loss (every term without a subtraction). The
    points pair up about 9.5 with equal terms, so the label-0 terms are half the loss:
    float32 lacks them at the scale `shown`, and float64 too, from a larger scale on."""
    x, y = make_data()
    label0 = y.flatten() == 0
    scales = range(1, largest_scale + 1)
    reference = {m: exact_loss(-m, 9.5 * m, x, y) for m in scales}
    terms64 = {m: pytorch_terms(m, torch.float64) for m in scales}
    zero64 = from_on([bool((terms64[m][label0] == 0).all()) for m in scales])
    share64 = [terms64[m].mean().item() / reference[m] for m in range(zero64, largest_scale + 1)]
    if max(share64) - min(share64) > 1e-9:
        raise RuntimeError("float64's share of the reference changes after its label-0 terms")
    share32 = pytorch_terms(shown).mean().item() / reference[shown]
    return {
        "float32_share_shown": quote(share32, ".0%"),
        "label0_zero_scale_float64": quote(zero64),
        "float64_share": quote(share64[0], ".0%"),
    }


# --- what the page's widget needs ------------------------------------------------------


def float32_short(value: float) -> float:
    """The shortest decimal that reads back as the same float32: a weight as PyTorch stored
    it, in fewer characters (the widget rounds it back with Math.fround)."""
    single = struct.unpack("f", struct.pack("f", value))[0]
    if single != value:
        raise ValueError(f"{value!r} is not a float32 value")
    for digits in range(1, 10):
        short = float(f"{value:.{digits}g}")
        if struct.unpack("f", struct.pack("f", short))[0] == value:
            return short
    raise AssertionError("nine significant digits always read back a float32")


def replay_steps(last: int, keep: list[int]) -> list[int]:
    """REPLAY_POINTS steps from 0 to `last`, evenly spaced on a log axis, and the steps in
    `keep` (those the page quotes)."""
    spaced = torch.logspace(0, math.log10(last), REPLAY_POINTS).round().long().tolist()
    return sorted({0, last, *spaced, *(step for step in keep if 0 <= step <= last)})


def replay(history: dict, settings: dict, keep: list[int]) -> dict:
    """A run as the widget replays it: its settings, and (a, b) at some of its steps."""
    steps = replay_steps(len(history["step"]) - 1, keep)
    return {
        "optimizer": settings["optimizer"],
        "lr": settings["lr"],
        "centre": settings.get("centre", 0.0),
        "step": steps,
        "a": [float32_short(history["weight"][step]) for step in steps],
        "b": [float32_short(history["bias"][step]) for step in steps],
    }


def challenge() -> dict:
    """With |a| at most CHALLENGE_SCALE, the lowest loss is at the maximum-margin threshold
    (the data are symmetric about it): the bound is that loss, rounded up in its third
    significant digit, so only neurons close to it meet the challenge."""
    x, y = make_data()
    best = round(max_margin_threshold(x, y), 2)  # as the page quotes it
    lowest = exact_loss(-CHALLENGE_SCALE, CHALLENGE_SCALE * best, x, y)
    unit = 10 ** (math.floor(math.log10(lowest)) - 2)
    return {
        "max_scale": CHALLENGE_SCALE,
        "loss_below": round(math.ceil(lowest / unit) * unit, 12),
        "threshold": best,
        "lowest_loss": lowest,
    }


def widget_data(adam: dict, sgd: dict, centred: dict, zeros: dict[str, Quoted]) -> dict:
    """The widget's data: the points, the runs it replays, the float32 scales, the challenge."""
    x, y = make_data()
    xs, ys = x.flatten().tolist(), y.flatten().tolist()
    band = [  # the thresholds that classify every point: between these two
        int(max(v for v, label in zip(xs, ys, strict=True) if label == 1)),
        int(min(v for v, label in zip(xs, ys, strict=True) if label == 0)),
    ]
    centred_first = first_separated(centred, CENTRED["centre"])
    runs = [
        replay(adam, ADAM, [100, 1000, first_separated(adam) - 1, first_separated(adam)]),
        replay(sgd, SGD_LONGER, [SGD["steps"], first_separated(sgd) - 1, first_separated(sgd)]),
        replay(centred, CENTRED, [centred_first - 1, centred_first]),
    ]
    return {
        "points": Data({"x": [int(v) for v in xs], "y": [int(v) for v in ys], "band": band}),
        "runs": Data(runs),
        "float32": Data(
            {key: zeros[key].value for key in ("label0_zero_scale", "zero_loss_scale")}
        ),
        "challenge": Data(challenge()),
    }


def run(out: Path) -> dict[str, Quoted | Data]:
    adam = train(seed=0, **ADAM)
    sgd = train(seed=0, **SGD_LONGER).history  # its first SGD["steps"] steps are the SGD run
    centred = train(seed=0, **CENTRED).history
    adam_slow = train(seed=0, **ADAM_AT_SGD_LR).history
    larger = {
        lr: train(seed=0, optimizer="sgd", lr=lr, steps=LARGER_STEPS).history for lr in LARGER_LRS
    }
    draw_data(out / "less-than-data.svg")
    draw_sharpening(out / "less-than-sharpening.svg")
    shown = {key: values[: SGD["steps"] + 1] for key, values in sgd.items()}
    draw_history({"Adam": adam.history, "SGD": shown}, out / "less-than-history.svg")
    draw_centring({"$x$": (sgd, 0.0), "$x - 9.5$": (centred, 9.5)}, out / "less-than-centring.svg")
    growth = {
        f"adam_a_at_{t}": quote(abs(adam.history["weight"][t]), ".2f") for t in (100, 1000, 5000)
    }
    zeros = float32_zeros()
    return {
        **against_the_reference(),
        **summary(adam.history, ADAM, "adam"),
        **summary(sgd, SGD, "sgd"),
        **growth,
        **settling(adam.history),
        **slowness(adam.history, sgd, centred, adam_slow),
        **held_back(sgd),
        **larger_rates(sgd, larger),
        **margins(),
        **unit_margin_support(),
        **zeros,
        **widget_data(adam.history, sgd, centred, zeros),
    }
