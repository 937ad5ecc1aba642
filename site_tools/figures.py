"""One look for every figure of the site, saved as byte-identical SVG (and PNG, for the
notebooks).

Figures serve both languages, so they carry only symbols and numbers (x, w, b, L, ...);
the words go in each page's caption and alt text.

Every figure reads in both of the site's colour schemes and on a phone, without anything
asked of the chapter that draws it (`save` does it all):

- Its background is transparent and its colours are CSS variables, with a value for the
  light scheme and one for the dark scheme. The SVG's root element has the id
  `only-dark`: addressed as `name.svg#only-dark` it takes the dark values (`:target`), as
  `name.svg#only-light` the light ones. The site shows one or the other by Material's
  scheme switch (hooks.py writes both `<img>`s; Material's CSS hides the other one), so
  the reader's manual toggle works, and both come from one file, downloaded once.
- A figure wider than a phone's column is also saved as `name.narrow.svg`: the same
  figure drawn `NARROW_WIDTH` inches wide, its panels stacked in one column, so that its
  text is shown at full size at 390 px (hooks.py offers it to narrow screens).
- A notebook cannot switch schemes, and Jupyter shows no SVG attachment (JupyterLab and
  Notebook 7 render PNG, JPEG and GIF ones): every figure is also saved as `name.png`,
  in its light colours on white, PNG_DPI dots per inch, which the chapter's notebook
  attaches (site_tools/notebooks.py).
"""

from __future__ import annotations

import colorsys
import io
import pickle
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.collections import Collection  # noqa: E402
from matplotlib.colors import to_hex, to_rgba  # noqa: E402
from matplotlib.gridspec import GridSpec  # noqa: E402
from matplotlib.image import AxesImage  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.spines import Spine  # noqa: E402
from matplotlib.text import Text  # noqa: E402

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
        # transparent: the page's own background shows through, in either scheme
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.facecolor": "none",
    }
)

# colour-blind safe (Okabe and Ito), dark enough to read on white; `save` lightens them
# for the dark scheme
BLUE, ORANGE, GREEN, RED, PURPLE, GREY = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC3311",
    "#7E57C2",
    "#666666",
)
# the page behind a figure in each scheme (Material's default and slate backgrounds) and
# the slate scheme's text colour
LIGHT_BACKGROUND = "#ffffff"
DARK_BACKGROUND = "#1e2029"
DARK_TEXT = "#bfc0c7"
NARROW_WIDTH = 3.7  # inches (355 CSS px): a phone's column at 390 px holds it at full size
DARK_ID = "only-dark"  # the fragment that selects the dark colours (Material's name)
PNG_DPI = 120  # a notebook's copy: 840 px for 7 inches, its 10 pt text 17 px (prose: 14)


def new_figure(rows: int = 1, cols: int = 1, width: float = 7.0, height: float = 3.0):
    """A figure and its axes, drawn in the site's style."""
    return plt.subplots(rows, cols, figsize=(width, height), squeeze=False, layout="constrained")


LONG_DECIMAL = re.compile(r"(\d\.\d\d)\d+")
TRAILING_ZEROS = re.compile(r"(\d)(?:\.0+|(\.\d*?[1-9])0+)(?![\d.])")  # 3.00 -> 3, 2.50 -> 2.5
PATH_COMMAND = re.compile(r"\s*([MLHVCSQTAZmlhvcsqtaz])\s*")


def shorter_numbers(tag: str) -> str:
    """A tag's numbers to 1/100 and without trailing zeros, and its path data without the
    spaces around commands ("M 3.00 1.50 L ..." -> "M3 1.5L..."): the same drawing."""
    if tag.startswith(("<?", "<!")):  # the XML declaration's version="1.0" stays
        return tag
    tag = TRAILING_ZEROS.sub(r"\1\2", LONG_DECIMAL.sub(r"\1", tag))
    return re.sub(r' d="([^"]*)"', lambda d: ' d="' + PATH_COMMAND.sub(r"\1", d[1]) + '"', tag)


def save(fig, path: Path) -> None:
    """Save as SVG that reads in both colour schemes (see the module's docstring), with no
    date in it, so two builds give the same bytes, and with coordinates to 1/100 pt
    (matplotlib writes six decimals: a third of the file). A figure wider than
    NARROW_WIDTH is also saved narrow, as `<name>.narrow.svg`, for phones. The notebooks'
    copy, `<name>.png`, is drawn first, in the colours the chapter drew the figure with."""
    png(fig, path.with_suffix(".png"))
    pairs = recolour(fig)
    path.write_text(svg_text(fig, pairs), encoding="utf-8")
    width, height = fig.get_size_inches()
    if width > NARROW_WIDTH + 0.05:
        narrow(fig, width, height)
        path.with_suffix(".narrow.svg").write_text(svg_text(fig, pairs), encoding="utf-8")
    plt.close(fig)


def png(fig, path: Path) -> None:
    """The figure as a notebook shows it: on white, at PNG_DPI, and with no software
    version in the file (a PNG from matplotlib carries no date), so two builds give the
    same bytes. It draws a copy: a draw moves what constrained layout places, so the
    figure itself would give other SVGs than it did before notebooks had PNGs."""
    copy = pickle.loads(pickle.dumps(fig))
    copy.savefig(
        path, format="png", dpi=PNG_DPI, facecolor=LIGHT_BACKGROUND, metadata={"Software": None}
    )
    plt.close(copy)


# --- colours for both schemes --------------------------------------------------------


def luminance(rgb) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((luminance(to_rgba(a)), luminance(to_rgba(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def on_dark(colour: str, text: bool) -> str:
    """The colour to draw `colour` with on the dark background. Greys swap ends (black
    becomes the scheme's light text, white fills become the background); a colour keeps its
    hue and saturation. Either is then lightened, if it must, until it stands out from the
    dark background as much as it did from white, and at least 4.5:1 for text and 3:1 for
    lines and marks. What hardly stood out from white (a white fill, a white label on a
    coloured patch) is drawn on something else than the page, and only swaps; a label and
    the fill it sits on are better pinned (`pin`)."""
    r, g, b, _ = to_rgba(colour)
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    on_white = contrast(colour, LIGHT_BACKGROUND)
    if max(r, g, b) - min(r, g, b) < 0.08:  # a grey
        dark_l = colorsys.rgb_to_hls(*to_rgba(DARK_BACKGROUND)[:3])[1]
        text_l = colorsys.rgb_to_hls(*to_rgba(DARK_TEXT)[:3])[1]
        hue, saturation, lightness = 0.0, 0.0, text_l + (dark_l - text_l) * lightness
    needed = 4.5 if text else 3.0
    if on_white < 2.0:  # white or nearly: not drawn on the page itself
        return to_hex(colorsys.hls_to_rgb(hue, lightness, saturation))
    wanted = max(needed, min(on_white, 7.0))
    for step in range(101):
        candidate = colorsys.hls_to_rgb(hue, lightness + (1 - lightness) * step / 100, saturation)
        if contrast(candidate, DARK_BACKGROUND) >= wanted:
            return to_hex(candidate)
    return "#ffffff"


def pin(*artists) -> None:
    """Keep these artists' colours in both schemes: a label and the fill it sits on (a
    disc, a cell of an image) are read against each other, not against the page."""
    for artist in artists:
        artist.tn_pinned = True


def text_colour_on(fill: str) -> str:
    """Black or white, whichever reads better on `fill` (4.5:1 or more on every colour of
    the palette, tested)."""
    return max(("#000000", "#ffffff"), key=lambda text: contrast(text, fill))


def recolour(fig) -> dict[str, tuple[str, str]]:
    """Give every colour of the figure a placeholder (sentinel) colour, one per pair
    (colour on white, colour on the dark background): {sentinel: (light, dark)}.

    Text, axes, ticks and marks change with the scheme. What is drawn over an image or a
    colour-mapped surface (contour lines on a heat map) keeps its colour in both: it is
    read against the image, not against the page. Image and colour-mapped colours are data
    and stay as they are, and so do the colours of pinned artists (`pin`)."""
    pairs: dict[tuple[str, str], str] = {}
    kept = set()

    def sentinel(rgba, text: bool):
        if rgba is None or len(rgba) < 4 or rgba[3] == 0:
            return rgba
        light = to_hex(rgba)
        if light in pairs.values():
            raise ValueError(f"{light}: a colour recoloured twice")
        key = (light, on_dark(light, text))
        if key not in pairs:
            pairs[key] = f"#01{len(pairs) + 1:04x}"
        return (*to_rgba(pairs[key])[:3], rgba[3])

    def keeps(artist) -> bool:
        axes = getattr(artist, "axes", None)
        if not isinstance(axes, Axes) or isinstance(artist, Text | Spine):
            return False
        return any(
            isinstance(other, AxesImage)
            or (isinstance(other, Collection) and other.get_array() is not None)
            for other in axes.get_children()
        )

    for artist in fig.findobj():
        if getattr(artist, "tn_pinned", False):
            kept.update(colours_of(artist))
            continue
        if isinstance(artist, AxesImage):
            continue
        if isinstance(artist, Collection) and artist.get_array() is not None:
            continue  # colour-mapped: data
        if keeps(artist) and not is_axis_part(artist):
            kept.update(colours_of(artist))
            continue
        if isinstance(artist, Text):
            artist.set_color(sentinel(to_rgba(artist.get_color()), True))
            for patch in (artist.get_bbox_patch(), getattr(artist, "arrow_patch", None)):
                if patch is not None:  # a box around the text, an annotation's arrow
                    face, edge = patch.get_facecolor(), patch.get_edgecolor()
                    patch.set_facecolor(sentinel(face, False))
                    patch.set_edgecolor(sentinel(edge, False))
        elif isinstance(artist, Line2D):
            face, edge = artist.get_markerfacecolor(), artist.get_markeredgecolor()
            artist.set_color(sentinel(to_rgba(artist.get_color(), artist.get_alpha()), False))
            if not (isinstance(face, str) and face == "none"):
                artist.set_markerfacecolor(sentinel(to_rgba(face), False))
            if not (isinstance(edge, str) and edge == "none"):
                artist.set_markeredgecolor(sentinel(to_rgba(edge), False))
        elif isinstance(artist, Patch):
            face, edge = artist.get_facecolor(), artist.get_edgecolor()
            artist.set_facecolor(sentinel(face, False))
            artist.set_edgecolor(sentinel(edge, False))
        elif isinstance(artist, Collection):  # both read first: an edge may follow the face
            faces, edges = artist.get_facecolor(), artist.get_edgecolor()
            artist.set_facecolor([sentinel(c, False) for c in faces])
            artist.set_edgecolor([sentinel(c, False) for c in edges])
    used = {sentinel for sentinel in pairs.values()}
    clash = used & {to_hex(c) for c in kept}
    if clash:
        raise ValueError(f"a figure uses the placeholder colours {sorted(clash)}")
    return {sentinel: pair for pair, sentinel in pairs.items()}


def is_axis_part(artist) -> bool:
    """Ticks, tick labels and axis lines: they belong to the page, not to an image."""
    axes = artist.axes
    parts = []
    for axis in (axes.xaxis, axes.yaxis):
        for tick in axis.get_major_ticks() + axis.get_minor_ticks():
            parts += [tick.tick1line, tick.tick2line, tick.gridline]
    return artist in parts


def colours_of(artist) -> list:
    colours = []
    for getter in ("get_color", "get_facecolor", "get_edgecolor"):
        if hasattr(artist, getter):
            value = getattr(artist, getter)()
            try:
                colours += [to_rgba(value)]
            except ValueError:
                colours += [to_rgba(c) for c in value]
    return colours


def svg_text(fig, pairs: dict[str, tuple[str, str]]) -> str:
    """The figure as SVG, each placeholder colour replaced by its CSS variable, and the
    two schemes' values of the variables in the SVG's own style sheet."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    # only inside tags (coordinates, paths): a number the figure shows as text stays whole
    svg = re.sub(r"<[^>]*>", lambda tag: shorter_numbers(tag.group()), buffer.getvalue())
    svg = minify(re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S))
    names = {}
    for i, sentinel in enumerate(sorted(pairs)):
        names[sentinel] = f"--c{i}"
        svg = svg.replace(sentinel, f"var(--c{i})")
    if re.search(r'(?:fill|stroke|color)="var\(', svg):
        raise ValueError("a colour in an SVG attribute, where CSS variables do not work")
    light = ";".join(f"{names[s]}:{pairs[s][0]}" for s in sorted(pairs))
    dark = ";".join(f"{names[s]}:{pairs[s][1]}" for s in sorted(pairs))
    style = f"svg{{{light}}}svg:target{{{dark}}}"
    svg = svg.replace("<svg ", f'<svg id="{DARK_ID}" ', 1)
    return svg.replace('<style type="text/css">', f'<style type="text/css">{style}', 1)


SELF_CLOSING = r"<(?:path|use|rect|circle|ellipse|line|polyline|polygon|image)\b[^>]*/>"
LONE_GROUP = re.compile(rf"<g>((?:{SELF_CLOSING}|<text\b[^>]*>.*?</text>)*)</g>", re.S)


def minify(svg: str) -> str:
    """A fifth less of what matplotlib writes, the drawing unchanged: no ids that nothing
    refers to, no indentation between elements (text keeps its spaces), no <g> that only
    groups."""
    referenced = set(re.findall(r"url\(#([^)]+)\)", svg)) | set(re.findall(r'href="#([^"]+)"', svg))
    svg = re.sub(r'\s+id="([^"]+)"', lambda m: m[0] if m[1] in referenced else "", svg)
    svg = re.sub(r"<[^>]*>", lambda tag: re.sub(r"\s+", " ", tag[0]), svg)
    parts = re.split(r"(<text\b.*?</text>)", svg, flags=re.S)
    svg = "".join(p if p.startswith("<text") else re.sub(r">\s+<", "><", p) for p in parts)
    before = None
    while before != svg:
        before, svg = svg, LONE_GROUP.sub(r"\1", svg)
    return short_ids(shared_styles(svg))


HASHED_ID = re.compile(r'id="([mp][0-9a-f]{10})"')  # matplotlib's markers and clip paths
PROLOGUE = re.compile(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>")


def short_ids(svg: str) -> str:
    """The same drawing in fewer bytes: matplotlib's hashed ids ("m2e3beb4e81", repeated by
    every point that uses the marker) numbered in order ("m0"); no XML prologue (UTF-8 is
    the default, and an SVG needs no DOCTYPE); the style sheet without spaces."""
    for number, name in enumerate(dict.fromkeys(HASHED_ID.findall(svg))):
        short = f"{name[0]}{number}"
        svg = re.sub(rf'(id="|#){name}(?=[")])', rf"\g<1>{short}", svg)
    svg = PROLOGUE.sub("", svg).lstrip()
    return re.sub(
        r"(<style[^>]*>)(.*?)(</style>)",
        lambda m: m[1] + re.sub(r"\s*([:;{}])\s*", r"\1", m[2]).replace(";}", "}") + m[3],
        svg,
        flags=re.S,
    )


def shared_styles(svg: str) -> str:
    """A style that several elements repeat (every grid line, every point of a scatter)
    written once in the style sheet, as a class."""
    if " class=" in svg:
        return svg  # matplotlib writes none: leave a file that has some alone
    counts: dict[str, int] = {}
    for style in re.findall(r' style="([^"]*)"', svg):
        counts[style] = counts.get(style, 0) + 1
    names = {style: f"s{i}" for i, style in enumerate(s for s, n in counts.items() if n > 1)}
    svg = re.sub(
        r' style="([^"]*)"',
        lambda m: f' class="{names[m[1]]}"' if m[1] in names else m[0],
        svg,
    )
    rules = "".join(f".{name}{{{style}}}" for style, name in names.items())
    return svg.replace("</style>", rules + "</style>", 1)


# --- a figure for a phone ------------------------------------------------------------


def narrow(fig, width: float, height: float) -> None:
    """Redraw the figure NARROW_WIDTH wide: its subplots stacked in one column (in reading
    order), each as tall as a row of the wide figure; fixed-aspect plots keep their shape."""
    panels = [ax for ax in fig.axes if ax.get_subplotspec() is not None]
    grid = panels[0].get_subplotspec().get_gridspec() if panels else None
    rows, cols = grid.get_geometry() if grid else (1, 1)
    fixed = any(ax.get_aspect() != "auto" for ax in panels)
    if cols > 1:
        order = sorted(
            panels,
            key=lambda ax: (
                ax.get_subplotspec().rowspan.start * cols + ax.get_subplotspec().colspan.start
            ),
        )
        column = GridSpec(len(order), 1, figure=fig)
        for i, ax in enumerate(order):
            ax.set_subplotspec(column[i])
        new_height = len(order) * max(height / rows, 2.0)
    elif fixed:
        new_height = height * NARROW_WIDTH / width + 0.3
    else:
        new_height = height
    fig.set_size_inches(NARROW_WIDTH, new_height)
