"""Server-side SVG charts of the dashboard's figures, drawn by matplotlib (no script in the browser).

Each chart is a horizontal bar chart (long Russian agency names fit on the left), with a <title> for
screen readers; the page puts the same numbers in a table beside it. matplotlib's Agg backend needs no
display; a figure is closed after drawing so a long-running server keeps no memory of it.
"""
from __future__ import annotations

import html
import io
import json
import math
import re
import textwrap
from functools import lru_cache
from pathlib import Path

COLOURS = ("#1b6e8a", "#b4470a")


def bar_svg(title: str, labels: list[str], series: list[tuple[str, list[float]]], stacked: bool = True) -> str:
    """A horizontal bar chart as an inline <svg> element. Several series are stacked when they are parts of
    one whole (kept + missed), side by side when they are not (a median beside a 90th percentile)."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.figure import Figure

    matplotlib.rcParams["svg.fonttype"] = "none"                  # text stays text: smaller, readable, searchable
    labels = [textwrap.shorten(str(x), 60, placeholder="…") for x in labels] or ["—"]
    height = 0.9 + 0.34 * len(labels) + (0.4 if len(series) > 1 else 0)
    fig = Figure(figsize=(7.2, height), dpi=72, layout="constrained")
    ax = fig.subplots()
    left = [0] * len(labels)
    width = 0.8 / max(len(series), 1)
    for k, ((name, values), colour) in enumerate(zip(series, COLOURS * 4, strict=False)):
        values = list(values) or [0]
        if stacked:
            ax.barh(range(len(labels)), values, left=left, color=colour, label=name)
            left = [a + b for a, b in zip(left, values, strict=False)]
        else:
            ax.barh([i - 0.4 + width * (k + 0.5) for i in range(len(values))], values, height=width,
                    color=colour, label=name)
    ax.set_yticks(range(len(labels)), labels, fontsize=9)
    ax.invert_yaxis()
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    if len(series) > 1:                                            # below the bars, never over them
        fig.legend(fontsize=9, loc="outside lower center", ncols=len(series), frameon=False)
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Title": title, "Date": None, "Creator": None})
    plt.close("all")
    svg = out.getvalue()
    svg = svg[svg.index("<svg"):]                                  # no XML prologue or DOCTYPE inside HTML
    return re.sub(r"<svg ", '<svg role="img" ', svg, count=1)


# The boundary file's English names → KATO codes of the top level (app/territories/kato.csv). Names differ in
# spelling from the classifier's, so the match is this table, not a guess; a test checks it covers all 20.
OBLAST_KATO = {
    "Abay Region": "100000000", "Akmola Region": "110000000", "Aktobe Region": "150000000",
    "Almaty Region": "190000000", "Atyrau Region": "230000000", "West Kazakhstan Region": "270000000",
    "Jambyl Region": "310000000", "Jetisu Region": "330000000", "Karaganda Region": "350000000",
    "Kostanay Region": "390000000", "Kyzylorda Region": "430000000", "Mangystau Region": "470000000",
    "Pavlodar Region": "550000000", "North Kazakhstan Region": "590000000", "Turkistan Region": "610000000",
    "Ulytau Region": "620000000", "East Kazakhstan Region": "630000000", "Astana": "710000000",
    "Almaty": "750000000", "Shymkent": "790000000",
}
BOUNDARIES = Path(__file__).with_name("data") / "kz-oblasts.geojson"
SMALL = 5                                          # below this a count is one class, as the export suppresses
NONE_COLOUR, SMALL_COLOUR = "#f4f4f4", "#d9d9d9"
CLASS_COLOURS = ("#c6dbef", "#6baed6", "#2171b5", "#08306b")   # ColorBrewer Blues, light → dark


@lru_cache(maxsize=1)
def oblast_shapes() -> tuple[tuple[str, str, tuple], ...]:
    """(feature name, KATO code, polygons) read once: the file does not change while the server runs. Cities
    come last so they are drawn over the oblast around them (Almaty and Astana sit in holes of their oblasts)."""
    features = json.loads(BOUNDARIES.read_text(encoding="utf-8"))["features"]
    shapes = [(f["properties"]["name"], OBLAST_KATO[f["properties"]["name"]], f["geometry"]["coordinates"])
              for f in features]
    return tuple(sorted(shapes, key=lambda s: (s[1] >= "7", s[1])))


def count_classes(counts: list[int]) -> list[tuple[int, int]]:
    """Up to four classes of counts from 5 to the largest, equal in width, so the largest count is always in
    the darkest class; bounds are inclusive."""
    top = max([c for c in counts if c >= SMALL], default=0)
    if not top:
        return []
    n = min(len(CLASS_COLOURS), top - SMALL + 1)
    bounds = [SMALL + round((top - SMALL + 1) * k / n) for k in range(n + 1)]
    return [(bounds[k], bounds[k + 1] - 1) for k in range(n)]


def _colour(count: int, classes: list[tuple[int, int]]) -> str:
    if count <= 0:
        return NONE_COLOUR
    if count < SMALL:
        return SMALL_COLOUR
    colours = CLASS_COLOURS[len(CLASS_COLOURS) - len(classes):]   # few classes: the darker end of the palette
    return next(c for (lo, hi), c in zip(classes, colours, strict=True) if lo <= count <= hi)


def oblast_map_svg(title: str, counts: dict[str, int], names: dict[str, str], words: dict[str, str],
                   png_to=None) -> str:
    """The map below, remembered for the last 64 distinct pictures: drawing ~9,000 boundary points costs about
    0.2 s, and a page reloaded with the same counts (most reloads) need not pay it again."""
    if png_to is not None:
        return _oblast_map_svg(title, counts, names, words, png_to)
    return _cached_map(title, tuple(sorted(counts.items())), tuple(sorted(names.items())), tuple(sorted(words.items())))


@lru_cache(maxsize=64)
def _cached_map(title, counts, names, words) -> str:
    return _oblast_map_svg(title, dict(counts), dict(names), dict(words))


def _oblast_map_svg(title: str, counts: dict[str, int], names: dict[str, str], words: dict[str, str],
                    png_to=None) -> str:
    """A choropleth of the oblasts as an inline <svg>: one path per oblast (``id="oblast-<KATO>"``, with a
    <title> naming it and its count), counts 1–4 as one grey class, the rest in up to four blue classes, and a
    legend. ``words`` gives the legend's "no cases" and "fewer than 5" in the page's language; ``png_to``
    (a path or file) also writes a PNG of the same picture, for a test's screenshot or a report."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, PathPatch
    from matplotlib.path import Path as MplPath

    matplotlib.rcParams["svg.fonttype"] = "none"
    classes = count_classes(list(counts.values()))
    fig = Figure(figsize=(7.2, 4.4), dpi=72, layout="constrained")
    ax = fig.subplots()
    for _name, code, polygons in oblast_shapes():
        rings = [MplPath(ring, closed=True) for polygon in polygons for ring in polygon]
        patch = PathPatch(MplPath.make_compound_path(*rings), facecolor=_colour(counts.get(code, 0), classes),
                          edgecolor="#8c8c8c", linewidth=0.4)
        patch.set_gid(f"oblast-{code}")
        ax.add_patch(patch)
    ax.set_xlim(46.4, 87.4)
    ax.set_ylim(40.5, 55.5)
    ax.set_aspect(1 / math.cos(math.radians(48)))      # a degree of longitude is shorter than one of latitude
    ax.set_axis_off()
    colours = CLASS_COLOURS[len(CLASS_COLOURS) - len(classes):]
    legend = [Patch(facecolor=NONE_COLOUR, edgecolor="#999999", label=words["none"]),
              Patch(facecolor=SMALL_COLOUR, label=words["small"])]
    legend += [Patch(facecolor=c, label=f"{lo}–{hi}" if hi > lo else str(lo)) for (lo, hi), c in zip(classes, colours, strict=True)]
    fig.legend(handles=legend, fontsize=9, loc="outside lower center", ncols=min(len(legend), 6), frameon=False)
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Title": title, "Date": None, "Creator": None})
    if png_to:
        fig.savefig(png_to, format="png")
    plt.close("all")
    svg = out.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r' d="[^"]*"', lambda m: re.sub(r"(\d+\.\d)\d+|\s+", lambda n: n.group(1) or " ", m.group(0)), svg)   # tenths of a pixel
    for _name, code, _p in oblast_shapes():              # a tooltip and a spoken name for each oblast
        label = html.escape(f"{names.get(code, code)}: {counts.get(code, 0)}")
        svg = svg.replace(f'<g id="oblast-{code}">', f'<g id="oblast-{code}">\n   <title>{label}</title>', 1)
    return re.sub(r"<svg ", '<svg role="img" ', svg, count=1)
