"""Chapter 1's explorer: what one gradient costs, by backprop and parameter by parameter.

Choose the depth and the width of a network; the explorer *measures* (with
:mod:`bpkit.opcount`) the scalar operations of one forward pass, of backprop and of
per-parameter differentiation, prints them with their ratios, and plots the same counts for
every width of the grid at the chosen depth, with the chosen network ringed. Every view of
the grid is measured when the chapter runs; in a live kernel two boxes measure any depth
and width within the bounds below.
"""
import functools

from .. import opcount
from .base import Control, GridExplorer, any_integer, figure_png, line_points, ringed_html

DEPTHS = (1, 2, 3, 4, 6)
WIDTHS = (2, 5, 10, 20, 30, 40, 50)
#: The live boxes' bounds: per-parameter differentiation of a bigger network takes minutes.
MAX_DEPTH, MAX_WIDTH = 8, 50


def summary_html(sizes, counts):
    """The counts of one network as a small HTML table, with each method's cost in forward passes."""
    fwd = counts["forward"].total
    rows = [("one forward pass", counts["forward"]), ("backprop", counts["backprop"]),
            ("per-parameter", counts["per_parameter"])]
    body = "".join(
        f"<tr><td>{name}</td><td style='text-align:right'>{c.total:,}</td>"
        f"<td style='text-align:right'>{c.total / fwd:,.1f}</td></tr>"
        for name, c in rows
    )
    return (
        f"<p>Network sizes {sizes}: <b>{counts['parameters']:,}</b> parameters.</p>"
        "<table><tr><th>method</th><th>scalar operations</th><th>in forward passes</th></tr>"
        f"{body}</table>"
    )


@functools.lru_cache(maxsize=None)
def measured(depth, widths):
    """:func:`bpkit.opcount.growth` for ``depth`` hidden layers of each width (measured once)."""
    return tuple((tuple(sizes), counts) for sizes, counts in
                 opcount.growth([opcount.stack(depth, w) for w in widths]))


@functools.lru_cache(maxsize=None)
def depth_figure(depth, widths):
    """The plot of every width at ``depth``, drawn once: ``(png, rings)``.

    ``rings[i]`` lists where the points of width ``widths[i]`` lie in the image: the views
    of one depth share the drawing and ring their own network with
    :func:`~bpkit.explorers.base.ringed_html`.
    """
    rows = [(list(sizes), counts) for sizes, counts in measured(depth, widths)]
    fig = opcount.plot_growth(
        rows, figsize=(8.0, 3.4),
        title=f"Measured cost of one gradient, {depth} hidden layer(s), "
              f"widths {widths[0]} to {widths[-1]}")
    png = figure_png(fig, dpi=80)
    points = line_points(fig)
    rings = [[line[i] for panel in points for line in panel] for i in range(len(widths))]
    return png, rings


def cost_view(depth, width):
    """One view: the counts of ``depth`` hidden layers of ``width`` units, and the plot (HTML)."""
    widths = tuple(sorted(set(WIDTHS) | {width}))
    i = widths.index(width)
    sizes, counts = measured(depth, widths)[i]
    sizes = list(sizes)
    png, rings = depth_figure(depth, widths)
    alt = (f"Two log-scale plots for networks with {depth} hidden layer(s) of width "
           f"{widths[0]} to {widths[-1]}. Per-parameter differentiation rises steeply with the "
           "number of parameters; backprop stays within three forward passes. The network "
           f"{sizes} is ringed: backprop {counts['backprop'].total:,} operations, "
           f"per-parameter {counts['per_parameter'].total:,}.")
    caption = ("<p><i>Scalar operations (left) and cost in forward passes (right) against the "
               "number of parameters, for per-parameter differentiation (red circles), "
               "backprop (blue squares) and one forward pass (grey triangles); the ringed "
               f"points are the network {sizes}.</i></p>")
    return summary_html(sizes, counts) + ringed_html(png, alt, rings[i]) + caption


def cost_explorer(depth=2, width=10):
    """Return the chapter-1 explorer, starting from ``depth`` hidden layers of ``width`` units."""
    controls = [Control("depth", "hidden layers", DEPTHS, value=depth),
                Control("width", "width", WIDTHS, value=width)]
    live = {"depth": any_integer("depth", depth, 1, MAX_DEPTH),
            "width": any_integer("width", width, 2, MAX_WIDTH)}
    return GridExplorer(controls, cost_view, notebook="book/01_why_backprop.ipynb", live=live)
