"""Chapter 3 at build time: the constructions' figures, and the training sweeps."""

from __future__ import annotations

import statistics
from functools import partial
from pathlib import Path

import torch

from site_tools.figures import BLUE, GREY, ORANGE, new_figure, save
from site_tools.results import Quoted, quote
from snippets.parity import (
    count_pieces,
    hardwired,
    initial_model,
    make_data,
    minimal,
    steps_for,
    train,
)
from snippets.sweep import fit_stacked, sequential_many, stack_parameters

SEEDS = list(range(100))
STEPS, LR = 5000, 0.01  # train()'s defaults (a test checks they agree)
NOISE_LEVELS = [0.01, 0.03, 0.1, 0.2, 0.3, 0.5, 1.0]
OUTCOMES = ["solved", "mean", "zero", "other"]


def outcome(outputs: torch.Tensor, target: torch.Tensor) -> str:
    """solved (every output rounds to x mod 2), stuck at the mean 0.5, stuck at 0, other."""
    if ((outputs - target).abs() < 0.5).all():
        return "solved"
    if ((outputs - 0.5).abs() < 0.05).all():
        return "mean"
    if (outputs.abs() < 0.05).all():
        return "zero"
    return "other"


def sweep(n_bits: int, starts: list[tuple[float | None, list[int]]], output_relu=False):
    """Train the layered network from several kinds of start at once; outcomes per kind."""
    x, y = make_data(n_bits)
    template = initial_model(n_bits, None, output_relu)
    groups = [
        stack_parameters(partial(initial_model, n_bits, noise, output_relu), seeds)
        for noise, seeds in starts
    ]
    params = {name: torch.cat([g[name] for g in groups]) for name in groups[0]}
    params, _ = fit_stacked(lambda p, x: sequential_many(template, p, x), params, x, y, STEPS, LR)
    with torch.no_grad():
        outputs = sequential_many(template, params, x)[:, 0, :]
    results, k = [], 0
    for _, seeds in starts:
        results.append([outcome(outputs[k + i], y[:, 0]) for i in range(len(seeds))])
        k += len(seeds)
    return results


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
    ax.set_xticks(range(-4, 21, 2))
    save(fig, path)


def draw_layers(path: Path) -> None:
    """The value after each |y - k| step, as a function of x on [0, 15]."""
    ks = steps_for(4)
    x = torch.linspace(0, 15, 61)  # steps of 1/4: every kink is on the grid
    fig, axes = new_figure(1, len(ks), width=8.0, height=2.2)
    y = x
    for ax, k in zip(axes[0], ks, strict=True):
        y = (y - k).abs()
        ax.plot(x, y, color=BLUE, linewidth=1.2)
        ax.scatter(range(16), y[::4], color=BLUE, s=8, zorder=3)
        ax.set_title(f"$|y - {k}|$", fontsize=10)
        ax.set_xlabel("$x$")
        ax.set_yticks(range(0, int(y.max()) + 1, max(1, int(y.max()) // 4)))
    save(fig, path)


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
    save(fig, path)


def draw_noise(rates: list[float], path: Path) -> None:
    fig, [[ax]] = new_figure(height=2.6)
    ax.plot(NOISE_LEVELS, rates, color=BLUE, marker="o")
    ax.set_xscale("log")
    ax.set_xlabel(r"$\sigma$")
    ax.set_ylabel("%")
    ax.set_ylim(-5, 105)
    save(fig, path)


def run(out: Path) -> dict[str, Quoted]:
    draw_hardwired(out / "parity-hardwired.svg")
    draw_layers(out / "parity-layers.svg")
    draw_minimal(out / "parity-minimal.svg")
    values = {"seeds": quote(len(SEEDS)), "steps": quote(STEPS, ","), "lr": quote(LR)}

    lo, hi = exact_range(hardwired(4), 4)
    values.update(hardwired_lo=quote(lo), hardwired_hi=quote(hi))
    with torch.no_grad():
        values["hardwired_at_20"] = quote(hardwired(4)(torch.tensor([[20.0]])).item(), "g")
    for n in range(2, 11):
        values[f"minimal_pieces_{n}"] = quote(count_pieces(minimal(n).double(), 0, 2**n - 1))

    random_starts = {n: sweep(n, [(None, SEEDS)])[0] for n in (2, 3)}
    random_starts[4], *noisy = sweep(4, [(None, SEEDS)] + [(s, SEEDS) for s in NOISE_LEVELS])
    random_starts["relu"] = sweep(4, [(None, SEEDS)], output_relu=True)[0]
    for key, results in random_starts.items():
        for name in OUTCOMES:
            values[f"random_{key}_{name}"] = quote(results.count(name))
    rates = [100 * results.count("solved") / len(results) for results in noisy]
    for sigma, rate in zip(NOISE_LEVELS, rates, strict=True):
        values[f"noise_{str(sigma).replace('.', '_')}"] = quote(rate, ".0f")
    draw_noise(rates, out / "parity-noise.svg")

    pieces = []
    for seed in SEEDS:  # how many pieces a random start has on [0, 15]
        torch.manual_seed(seed)
        pieces.append(count_pieces(initial_model(4).double(), 0, 15))
    values["init_pieces_median"] = quote(int(statistics.median(pieces)))
    values["init_pieces_max"] = quote(max(pieces))

    single = train(n_bits=4, seed=0)
    values["seed0_loss"] = quote(single.history["loss"][-1], ".3f")
    return values
