"""The figures' look (site_tools/figures.py): both colour schemes in one SVG, transparent,
a narrow drawing for phones, and the same bytes from build to build."""

import re

import pytest

from site_tools import figures
from site_tools.figures import (
    BLUE,
    DARK_BACKGROUND,
    GREEN,
    GREY,
    LIGHT_BACKGROUND,
    ORANGE,
    PURPLE,
    RED,
    contrast,
    on_dark,
)


@pytest.mark.parametrize("colour", [BLUE, ORANGE, GREEN, RED, PURPLE, GREY, "#000000"])
def test_colours_read_on_the_dark_background(colour):
    assert contrast(on_dark(colour, text=True), DARK_BACKGROUND) >= 4.5
    assert contrast(on_dark(colour, text=False), DARK_BACKGROUND) >= 3.0
    # as distinct from the dark page as from the white one, up to 7:1
    wanted = min(contrast(colour, LIGHT_BACKGROUND), 7.0)
    assert contrast(on_dark(colour, text=False), DARK_BACKGROUND) >= wanted - 0.05


def test_greys_swap_ends():
    assert contrast(on_dark("#ffffff", text=False), DARK_BACKGROUND) < 1.2  # a white fill
    assert contrast(on_dark("#000000", text=True), DARK_BACKGROUND) >= 7  # black text


def svg_of(tmp_path, draw) -> tuple[str, str | None]:
    fig, axes = figures.new_figure(1, 2, width=7.0, height=2.5)
    draw(axes[0])
    path = tmp_path / "f.svg"
    figures.save(fig, path)
    narrow = path.with_suffix(".narrow.svg")
    return path.read_text("utf-8"), narrow.read_text("utf-8") if narrow.exists() else None


def test_a_figure_carries_both_schemes_and_a_phone_drawing(tmp_path):
    def draw(axes):
        axes[0].plot([0, 1], [0, 1], color=BLUE)
        axes[0].scatter([0, 1], [1, 0], marker="x", color=ORANGE)
        axes[1].hist([0.1, 0.2, 0.2], color=GREY)
        axes[1].set_xlabel("$x$")

    wide, narrow = svg_of(tmp_path, draw)
    for svg in (wide, narrow):
        assert svg is not None
        assert re.search(r'<svg id="only-dark"', svg)
        light = dict(re.findall(r"(--c\d+):(#[0-9a-f]{6})", re.search(r"svg\{([^}]*)\}", svg)[1]))
        dark = dict(
            re.findall(r"(--c\d+):(#[0-9a-f]{6})", re.search(r"svg:target\{([^}]*)\}", svg)[1])
        )
        assert set(light) == set(dark) and light != dark
        assert "#0072b2" in light.values() and on_dark("#0072b2", False) in dark.values()
        # every colour drawn is one of the variables: nothing stays fixed for one scheme
        drawn = re.findall(r"(?:fill|stroke): (#[0-9a-f]{6})", svg.split("</style>", 1)[1])
        assert drawn == []
        assert 'style="fill: #ffffff"' not in svg  # a transparent ground
    width = lambda svg: float(re.search(r'<svg\b[^>]*\bwidth="([\d.]+)pt"', svg)[1])  # noqa: E731
    assert width(narrow) == pytest.approx(figures.NARROW_WIDTH * 72)
    assert width(wide) == pytest.approx(7.0 * 72)


def test_two_saves_give_the_same_bytes(tmp_path):
    def draw(axes):
        axes[0].plot([0, 1, 2], [2, 0, 1], color=GREEN)

    first = svg_of(tmp_path, draw)
    assert svg_of(tmp_path, draw) == first


def test_a_narrow_figure_is_not_drawn_again(tmp_path):
    fig, [[ax]] = figures.new_figure(width=3.0, height=2.0)
    ax.plot([0, 1], [0, 1])
    figures.save(fig, tmp_path / "small.svg")
    assert not (tmp_path / "small.narrow.svg").exists()


def test_numbers_in_tags_are_shortened_and_the_drawing_kept():
    from site_tools.figures import shorter_numbers

    assert shorter_numbers('<path d="M 51.75 138.79 L 51.754 3.00 z " class="s1"/>') == (
        '<path d="M51.75 138.79L51.75 3z" class="s1"/>'
    )
    assert shorter_numbers('<use x="10.000000" y="0.1250"/>') == '<use x="10" y="0.12"/>'
    assert shorter_numbers('<rect style="stroke-width: 0.80" width="100"/>') == (
        '<rect style="stroke-width: 0.8" width="100"/>'
    )
    assert shorter_numbers('<path d="M -3.50 0 L 0 -1.05e+01 "/>') == (
        '<path d="M-3.5 0L0 -1.05e+01 "/>'
    )
    declaration = '<?xml version="1.0" encoding="utf-8" standalone="no"?>'
    assert shorter_numbers(declaration) == declaration
