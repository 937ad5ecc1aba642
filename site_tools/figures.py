"""One look for every figure of the site, saved as byte-identical SVG.

Figures serve both languages, so they carry only symbols and numbers (x, w, b, L, ...);
the words go in each page's caption and alt text.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

plt.rcParams.update(
    {
        "svg.hashsalt": "tiny-nets",  # stable ids in the SVG
        "svg.fonttype": "none",  # text as text: the reader's sans-serif font draws it
        "font.family": "DejaVu Sans",
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "figure.dpi": 100,
        "savefig.facecolor": "white",  # readable in the dark palette too
    }
)

# colour-blind safe (Okabe and Ito), dark enough to read on white
BLUE, ORANGE, GREEN, RED, PURPLE, GREY = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC3311",
    "#7E57C2",
    "#666666",
)


def new_figure(rows: int = 1, cols: int = 1, width: float = 7.0, height: float = 3.0):
    """A figure and its axes, drawn in the site's style."""
    return plt.subplots(rows, cols, figsize=(width, height), squeeze=False, layout="constrained")


LONG_DECIMAL = re.compile(r"(\d\.\d\d)\d+")


def save(fig, path: Path) -> None:
    """Save as SVG with no date in it, so two builds give the same bytes, with
    coordinates to 1/100 pt (matplotlib writes six decimals: a third of the file) and
    without the indentation between tags."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    # only inside tags (coordinates, paths): a number the figure shows as text stays whole
    svg = re.sub(r"<[^>]*>", lambda tag: LONG_DECIMAL.sub(r"\1", tag.group()), buffer.getvalue())
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r">\n\s*<", "><", svg)  # the indentation between tags: an eighth of the file
    path.write_text(svg, encoding="utf-8")
