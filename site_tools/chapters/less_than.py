"""Chapter 1 at build time: train the neuron with Adam and with SGD, draw the figures."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F

from site_tools.figures import BLUE, GREY, ORANGE, new_figure, save
from site_tools.results import Quoted, quote
from snippets.less_than import hardwired, make_data, train

ADAM = {"optimizer": "adam", "lr": 0.1, "steps": 5000}
SGD = {"optimizer": "sgd", "lr": 0.01, "steps": 20000}


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


def smallest_scale_with_zero_loss() -> int:
    """The smallest integer M at which float32 rounds the loss of sigmoid(M(9.5 - x)) to 0."""
    x, y = make_data()
    for scale in range(1, 10_000):
        logits = hardwired(scale, threshold=9.5)[0](x)
        if F.binary_cross_entropy_with_logits(logits, y).item() == 0.0:
            return scale
    raise RuntimeError("the loss never rounded to zero")


def summary(result, settings: dict, prefix: str) -> dict[str, Quoted]:
    x, y = make_data()
    model = result.model
    a, b = model[0].weight.item(), model[0].bias.item()
    with torch.no_grad():
        predicted = (model(x) > 0.5).float()
    wrong = [int(v) for v in x[predicted != y].tolist()]
    return {
        f"{prefix}_a": quote(a, ".2f"),
        f"{prefix}_b": quote(b, ".2f"),
        f"{prefix}_threshold": quote(-b / a, ".3f"),
        f"{prefix}_loss": quote(result.history["loss"][-1], ".2g"),
        f"{prefix}_accuracy": quote(1 - len(wrong) / len(x), ".0%"),
        f"{prefix}_wrong": quote(wrong, text=", ".join(map(str, wrong)) or "none"),
        f"{prefix}_steps": quote(settings["steps"], ","),
        f"{prefix}_lr": quote(settings["lr"]),
    }


def run(out: Path) -> dict[str, Quoted]:
    adam = train(seed=0, **ADAM)
    sgd = train(seed=0, **SGD)
    draw_data(out / "less-than-data.svg")
    draw_sharpening(out / "less-than-sharpening.svg")
    draw_history({"Adam": adam.history, "SGD": sgd.history}, out / "less-than-history.svg")
    growth = {
        f"adam_a_at_{t}": quote(abs(adam.history["weight"][t]), ".2f") for t in (100, 1000, 5000)
    }
    return {
        **summary(adam, ADAM, "adam"),
        **summary(sgd, SGD, "sgd"),
        **growth,
        "zero_loss_scale": quote(smallest_scale_with_zero_loss()),
    }
