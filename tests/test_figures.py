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


@pytest.mark.parametrize("fill", [BLUE, ORANGE, GREEN, RED, PURPLE, GREY, "#ffffff"])
def test_a_label_reads_on_its_fill(fill):
    assert contrast(figures.text_colour_on(fill), fill) >= 4.5


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


def test_a_pinned_label_and_its_disc_keep_their_colours_in_both_schemes(tmp_path):
    """A label on a coloured disc is read against the disc: both keep their colours (in the
    dark scheme a swapped white label would be dark on a lightened disc)."""
    from matplotlib.patches import Circle

    fig, [[axes]] = figures.new_figure(width=2.0, height=2.0)
    disc = axes.add_patch(Circle((0.5, 0.5), 0.3, facecolor=BLUE))
    label = axes.text(0.5, 0.5, "h", color=figures.text_colour_on(BLUE))  # white
    figures.pin(disc, label)
    axes.plot([0, 1], [0, 1], color=ORANGE)  # not pinned: a colour for each scheme
    axes.axis("off")
    figures.save(fig, tmp_path / "f.svg")
    svg = (tmp_path / "f.svg").read_text("utf-8")
    light = re.findall(r"--c\d+:(#[0-9a-f]{6})", re.search(r"svg\{([^}]*)\}", svg)[1])
    assert ORANGE.lower() in light and BLUE.lower() not in light  # the line's switches
    drawn = re.findall(r"(?:fill|stroke): (#[0-9a-f]{6})", svg.split("</style>", 1)[1])
    assert BLUE.lower() in drawn and "#ffffff" in drawn  # the disc and the label, as drawn


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


def png_chunks(png: bytes) -> list[bytes]:
    """The types of a PNG's chunks, in order."""
    kinds, at = [], 8
    while at < len(png):
        length = int.from_bytes(png[at : at + 4], "big")
        kinds.append(png[at + 4 : at + 8])
        at += 12 + length  # length, type, data, CRC
    return kinds


def test_the_notebooks_png_is_the_light_drawing_on_white_and_the_same_bytes(tmp_path):
    """What a notebook attaches (site_tools/notebooks.py): a PNG, as Jupyter shows no SVG
    attachment, in the colours the figure was drawn with, on white, and byte-identical from
    build to build (no date, no software version)."""
    import io

    from PIL import Image

    def save(folder):
        fig, axes = figures.new_figure(1, 2, width=7.0, height=2.5)
        axes[0][0].plot([0, 1, 2], [2, 0, 1], color=BLUE, linewidth=6)
        axes[0][1].imshow([[0.0, 1.0], [1.0, 0.0]])
        folder.mkdir()
        figures.save(fig, folder / "f.svg")
        return (folder / "f.png").read_bytes()

    png = save(tmp_path / "first")
    assert save(tmp_path / "second") == png
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert set(png_chunks(png)) == {b"IHDR", b"pHYs", b"IDAT", b"IEND"}  # no text, no time
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    assert image.size == (7.0 * figures.PNG_DPI, 2.5 * figures.PNG_DPI)
    assert image.getpixel((0, 0)) == (255, 255, 255, 255) and image.getextrema()[3] == (255, 255)
    colours = {colour for _, colour in image.getcolors(image.width * image.height)}
    assert (0x00, 0x72, 0xB2, 255) in colours  # the light colour, not a placeholder
    assert not any(r == 1 and g == 0 for r, g, _, _ in colours)  # no "#01xxxx" placeholder


def test_drawing_the_png_leaves_the_svgs_as_they_were(tmp_path, monkeypatch):
    """A draw moves what constrained layout places (a colour bar's panel here): the PNG is
    drawn from a copy, so a figure's SVGs are those it gave before notebooks had PNGs."""

    def saved(folder) -> list[bytes]:
        fig, axes = figures.new_figure(1, 2, width=7.2, height=3.3)
        grid = [[i * j / 64 for j in range(9)] for i in range(9)]
        axes[0][0].imshow(grid, extent=(-0.5, 1.5, -0.5, 1.5), origin="lower")
        axes[0][0].plot([-0.5, 1.5], [1.5, -0.5], color=BLUE)
        image = axes[0][1].imshow(grid, extent=(-0.5, 1.5, -0.5, 1.5), origin="lower")
        fig.colorbar(image, ax=axes[0][1], shrink=0.85)
        folder.mkdir()
        figures.save(fig, folder / "f.svg")
        return [(folder / name).read_bytes() for name in ("f.svg", "f.narrow.svg")]

    with_png = saved(tmp_path / "with")
    assert (tmp_path / "with" / "f.png").is_file()
    monkeypatch.setattr(figures, "png", lambda fig, path: None)
    assert saved(tmp_path / "without") == with_png
