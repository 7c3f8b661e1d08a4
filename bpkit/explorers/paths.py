"""Chapter 4's explorer: the number of paths explodes with depth, backprop's work does not.

For each depth up to the chosen one it builds the layered scalar graph of
:func:`bpkit.scalar.layered` with the chosen width, counts the paths from the input to the
output (:func:`bpkit.scalar.count_paths`) and the chain-rule terms one backward pass adds
(the number returned by :meth:`bpkit.scalar.Value.backward`), and plots both on a log scale.
While the paths are few enough to list, it also adds up the path products and shows that
the sum equals the engine's gradient.
"""
import ipywidgets as widgets
import numpy as np

from .. import scalar
from .cost import figure_png, img_html

MAX_LISTED_PATHS = 5_000


def growth(depth, width, seed=0):
    """Rows ``(d, paths, work)`` for ``d = 1..depth``: paths from x to the output, and the
    number of chain-rule terms one backward pass adds on the layered graph of that depth."""
    rows = []
    for d in range(1, depth + 1):
        x, out = scalar.layered(d, width, seed=seed)
        rows.append((d, scalar.count_paths(x, out), out.backward()))
    return rows


def plot_growth(rows, width, title=None, figsize=(6.4, 3.8)):
    """Paths and backprop's work against depth, log scale. Returns a matplotlib Figure."""
    from matplotlib.figure import Figure

    d = [r[0] for r in rows]
    fig = Figure(figsize=figsize, dpi=100, layout="constrained")
    ax = fig.subplots()
    ax.semilogy(d, [float(r[1]) for r in rows], "o-", color="C3", label="paths from x to output")
    ax.semilogy(d, [r[2] for r in rows], "s-", color="C0",
                label="backprop's work (chain-rule terms)")
    ax.set_xlabel("depth (layers of the graph)")
    ax.set_ylabel("count (log scale)")
    ax.set_xticks(d)
    ax.legend(frameon=False)
    ax.set_title(title or f"Layered graph of width {width}")
    return fig


class PathsExplorer(widgets.VBox):
    """Depth and width sliders; the counts as a table and a plot."""

    def __init__(self, depth=7, width=3):
        self.depth = widgets.IntSlider(value=depth, min=1, max=16, description="depth",
                                       continuous_update=False)
        self.width = widgets.IntSlider(value=width, min=1, max=6, description="width",
                                       continuous_update=False)
        self.summary = widgets.HTML()
        self.figure = widgets.HTML()
        super().__init__([widgets.HBox([self.depth, self.width]), self.summary, self.figure])
        self.depth.observe(self._update, names="value")
        self.width.observe(self._update, names="value")
        self._update()

    def _update(self, change=None):
        depth, width = self.depth.value, self.width.value
        self.rows = growth(depth, width)
        _, n_paths, work = self.rows[-1]
        x, out = scalar.layered(depth, width)
        out.backward()
        check = ""
        if n_paths <= MAX_LISTED_PATHS:
            total = scalar.path_sum(x, out)
            over = "the single path" if n_paths == 1 else f"all {n_paths:,} paths"
            check = (f" Adding up the product of local derivatives over {over} "
                     f"gives {total:.10g}; the engine's gradient is {x.grad:.10g}.")
        self.summary.value = (
            f"<p>Depth {depth}, width {width}: <b>{n_paths:,}</b> "
            f"path{'' if n_paths == 1 else 's'} from x to the output "
            f"(width<sup>depth</sup> = {width}<sup>{depth}</sup>); one backward pass adds "
            f"<b>{work:,}</b> chain-rule terms, one per edge.{check}</p>"
        )
        fig = plot_growth(self.rows, width,
                          title=f"Paths and backprop's work, width {width}, depth 1 to {depth}")
        self.png = figure_png(fig)
        ratio = np.diff([r[2] for r in self.rows])
        step = f"about {int(round(ratio.mean())):,} more terms per layer" if len(ratio) else ""
        self.figure.value = img_html(
            self.png,
            f"Log-scale plot against depth 1 to {depth} for width {width}. The red path count "
            f"rises as a straight line on the log scale, reaching {n_paths:,}; the blue count "
            f"of backprop's terms bends over because it grows linearly, {step}, reaching "
            f"{work:,}.",
        )


def paths_explorer(depth=7, width=3):
    """Return the chapter-4 explorer: paths versus backprop's work on a layered graph."""
    return PathsExplorer(depth=depth, width=width)
