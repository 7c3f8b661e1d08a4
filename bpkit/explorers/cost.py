"""Chapter 1's explorer: what one gradient costs, by backprop and parameter by parameter.

Choose the depth and the width of a network; the explorer *measures* (with
:mod:`bpkit.opcount`) the scalar operations of one forward pass, of backprop and of
per-parameter differentiation, prints them with their ratios, and plots the same counts for
every width at the chosen depth, with the chosen network ringed.
"""
import base64
import html
import io

import ipywidgets as widgets

from .. import opcount

WIDTHS = (2, 5, 10, 20, 30, 40, 50)


def figure_png(fig):
    """A matplotlib Figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def img_html(png, alt):
    """An ``<img>`` with alt text; ``ipywidgets.Image`` has no alt, so the figure is HTML."""
    data = base64.b64encode(png).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}" '
            'style="max-width:100%;height:auto">')


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


class CostExplorer(widgets.VBox):
    """Sliders for depth and width, the measured counts, and a plot that follows them."""

    def __init__(self, depth=2, width=10):
        self.depth = widgets.IntSlider(value=depth, min=1, max=8, description="hidden layers",
                                       continuous_update=False,
                                       style={"description_width": "initial"})
        self.width = widgets.IntSlider(value=width, min=2, max=50, description="width",
                                       continuous_update=False)
        self.summary = widgets.HTML()
        self.figure = widgets.HTML()
        self.caption = widgets.HTML()
        super().__init__([widgets.HBox([self.depth, self.width]), self.summary, self.figure,
                          self.caption])
        self.depth.observe(self._update, names="value")
        self.width.observe(self._update, names="value")
        self._update()

    def _update(self, change=None):
        depth, width = self.depth.value, self.width.value
        widths = sorted(set(WIDTHS) | {width})
        self.rows = opcount.growth([opcount.stack(depth, w) for w in widths])
        i = widths.index(width)
        self.sizes, self.counts = self.rows[i]
        self.summary.value = summary_html(self.sizes, self.counts)
        fig = opcount.plot_growth(
            self.rows, highlight=i,
            title=f"Measured cost of one gradient, {depth} hidden layer(s), widths 2 to 50",
        )
        self.png = figure_png(fig)
        self.caption.value = (
            "<p><i>Figure: scalar operations (left) and cost in forward passes (right) "
            "against the number of parameters, for per-parameter differentiation (red "
            "circles), backprop (blue squares) and one forward pass (grey triangles); the "
            f"ringed points are the network {self.sizes}.</i></p>"
        )
        self.figure.value = img_html(
            self.png,
            f"Two log-scale plots for networks with {depth} hidden layer(s) of width 2 to 50. "
            "Per-parameter differentiation rises steeply with the number of parameters; "
            "backprop stays within three forward passes. The network "
            f"{self.sizes} is ringed: backprop {self.counts['backprop'].total:,} operations, "
            f"per-parameter {self.counts['per_parameter'].total:,}.",
        )


def cost_explorer(depth=2, width=10):
    """Return the chapter-1 explorer, starting from ``depth`` hidden layers of ``width`` units."""
    return CostExplorer(depth=depth, width=width)
