"""Chapter 2's explorer: the shape of every W, b, z and a for the layer sizes you type.

The shapes are not computed from a formula: the explorer builds a real
:class:`bpkit.Network` of those sizes, runs its forward pass on one example and on a batch
of ``m`` examples (columns), and reads the shapes off the arrays it gets back.
"""
import ipywidgets as widgets
import numpy as np

from ..errors import BpkitError
from ..network import Network
from .cost import figure_png, img_html

MAX_UNITS = 4096
MAX_LAYERS = 12


def parse_sizes(text):
    """Read ``"784, 30, 10"`` as ``[784, 30, 10]``; raise a BpkitError that says what is wrong."""
    parts = [p for p in text.replace(" ", ",").split(",") if p]
    try:
        sizes = [int(p) for p in parts]
    except ValueError:
        raise BpkitError(f"type whole numbers separated by commas, like 784, 30, 10; "
                         f"received {text!r}") from None
    if len(sizes) < 2:
        raise BpkitError("give at least two sizes: the input n_0 and the output n_L")
    if len(sizes) > MAX_LAYERS + 1:
        raise BpkitError(f"at most {MAX_LAYERS} layers here; received {len(sizes) - 1}")
    if any(n < 1 or n > MAX_UNITS for n in sizes):
        raise BpkitError(f"every size must be between 1 and {MAX_UNITS}; received {sizes}")
    return sizes


def shapes_table(sizes, m):
    """One row per layer ``l = 0..L``: the shapes of W, b, z, a (one example) and Z, A (batch).

    Every shape is read off the arrays of a real forward pass. Returns a list of dicts with
    the keys ``l``, ``W``, ``b``, ``z``, ``a``, ``Z``, ``A`` and ``params`` (None where a
    layer has no such array: layer 0 has only ``a``).
    """
    net = Network(sizes, seed=0)
    one = net.forward(np.zeros((sizes[0], 1)))
    batch = net.forward(np.zeros((sizes[0], m)))
    rows = [dict(l=0, W=None, b=None, z=None, a=one.a[0].shape, Z=None, A=batch.a[0].shape,
                 params=0)]
    for l in range(1, net.L + 1):
        rows.append(dict(l=l, W=net.W[l].shape, b=net.b[l].shape, z=one.z[l].shape,
                         a=one.a[l].shape, Z=batch.z[l].shape, A=batch.a[l].shape,
                         params=net.W[l].size + net.b[l].size))
    return rows


def table_html(rows, m):
    def cell(shape):
        text = "&ndash;" if shape is None else f"<code>{shape}</code>"
        return f"<td style='padding:0.1em 0.7em'>{text}</td>"

    names = ["l", "W[l]", "b[l]", "z[l]", "a[l]", f"Z[l] (m={m})", f"A[l] (m={m})",
             "parameters"]
    head = "<tr>" + "".join(f"<th style='padding:0.1em 0.7em'>{n}</th>" for n in names) + "</tr>"
    body = "".join(
        f"<tr><td>{r['l']}</td>" + "".join(cell(r[k]) for k in "W b z a Z A".split())
        + f"<td style='text-align:right'>{r['params']:,}</td></tr>"
        for r in rows
    )
    total = sum(r["params"] for r in rows)
    return (f"<table>{head}{body}</table><p>Total: <b>{total:,}</b> parameters. Row 0 is the "
            "input: a[0] = x has no weights.</p>")


def _side(n):
    # Drawn length of a dimension of size n: grows with log n, so 784 and 3 fit one figure.
    return 0.45 + 0.42 * np.log2(n)


def plot_layer_products(sizes, m=1, title=None, figsize=(9.0, None)):
    """Draw each layer's forward step $Z^l = W^l A^{l-1} + b^l$ as rectangles with their shapes.

    One row per layer. Each array is a rectangle whose sides grow with the logarithm of its
    dimensions (so wide and narrow layers fit one figure) and carries its shape, so the
    figure shows why the inner dimensions must match: the columns of $W^l$ and the rows of
    $A^{l-1}$ are both $n_{l-1}$. Returns a matplotlib Figure (not attached to pyplot).
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    sizes = [int(n) for n in sizes]
    L = len(sizes) - 1
    heights = [_side(max(sizes[l], sizes[l - 1])) for l in range(1, L + 1)]
    row_h = [h + 1.0 for h in heights]
    width_in, height_in = figsize
    if height_in is None:
        height_in = min(1.0 + 0.55 * sum(row_h), 12.0)
    fig = Figure(figsize=(width_in, height_in), dpi=100, layout="constrained")
    ax = fig.subplots()
    colours = {"W": "#9ecae1", "A": "#fdd0a2", "b": "#c7e9c0", "Z": "#dadaeb"}
    y = 0.0
    xmax = 0.0
    for l in range(1, L + 1):
        n_out, n_in = sizes[l], sizes[l - 1]
        items = [("W", f"$W^{{{l}}}$", n_out, n_in), ("@", None, 0, 0),
                 ("A", f"$A^{{{l-1}}}$", n_in, m), ("+", None, 0, 0),
                 ("b", f"$b^{{{l}}}$", n_out, 1), ("=", None, 0, 0),
                 ("Z", f"$Z^{{{l}}}$", n_out, m)]
        top = y
        mid = top - heights[l - 1] / 2
        x = 0.0
        for kind, label, rows, cols in items:
            if label is None:
                ax.text(x + 0.3, mid, {"@": r"$\times$", "+": "$+$", "=": "$=$"}[kind],
                        ha="center", va="center", fontsize=13)
                x += 0.6
                continue
            w, h = _side(cols), _side(rows)
            ax.add_patch(Rectangle((x, mid - h / 2), w, h, facecolor=colours[kind],
                                   edgecolor="k", linewidth=1))
            ax.text(x + w / 2, mid, label, ha="center", va="center", fontsize=12)
            ax.text(x + w / 2, mid - h / 2 - 0.12, f"({rows}, {cols})", ha="center", va="top",
                    fontsize=9)
            x += w + 0.25
        xmax = max(xmax, x)
        y -= row_h[l - 1]
    ax.set_xlim(-0.2, xmax + 0.2)
    ax.set_ylim(y + 0.2, 0.3)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title or f"Shapes of the forward pass, sizes {sizes}, batch m = {m}")
    return fig


class ShapesExplorer(widgets.VBox):
    """A text box for the layer sizes, a slider for the batch size, and the table of shapes."""

    def __init__(self, sizes="784, 30, 10", m=32):
        self.sizes_box = widgets.Text(value=sizes, description="sizes",
                                      continuous_update=False)
        self.m = widgets.IntSlider(value=m, min=1, max=256, description="batch m",
                                   continuous_update=False)
        self.table = widgets.HTML()
        self.figure = widgets.HTML()
        super().__init__([widgets.HBox([self.sizes_box, self.m]), self.table, self.figure])
        self.sizes_box.observe(self._update, names="value")
        self.m.observe(self._update, names="value")
        self._update()

    def _update(self, change=None):
        try:
            self.sizes = parse_sizes(self.sizes_box.value)
        except BpkitError as err:
            self.rows = None
            self.table.value = f"<p style='color:#b00'>{err}</p>"
            self.figure.value = ""
            return
        m = self.m.value
        self.rows = shapes_table(self.sizes, m)
        self.table.value = table_html(self.rows, m)
        self.png = figure_png(plot_layer_products(self.sizes, m))
        self.figure.value = img_html(
            self.png,
            f"Rectangles for each layer of the network {self.sizes} with a batch of {m}: "
            "W times A plus b equals Z, each labelled with its shape; the number of columns "
            "of W always equals the number of rows of A.",
        )


def shapes_explorer(sizes="784, 30, 10", m=32):
    """Return the chapter-2 explorer, starting from the layer ``sizes`` and batch size ``m``."""
    return ShapesExplorer(sizes=sizes, m=m)
