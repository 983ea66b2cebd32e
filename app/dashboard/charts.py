"""Server-side SVG charts of the dashboard's figures, drawn by matplotlib (no script in the browser).

Each chart is a horizontal bar chart (long Russian agency names fit on the left), with a <title> for
screen readers; the page puts the same numbers in a table beside it. matplotlib's Agg backend needs no
display; a figure is closed after drawing so a long-running server keeps no memory of it.
"""
from __future__ import annotations

import io
import re
import textwrap

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
