"""Chapter 2's explorer: the shape of every W, b, z and a for chosen layer sizes and batch.

The shapes are not computed from a formula: the explorer builds a real
:class:`bpkit.Network` of those sizes, runs its forward pass on one example and on a batch
of ``m`` examples (columns), and reads the shapes off the arrays it gets back. The grid
offers a few networks and batch sizes; in a live kernel a text box takes any sizes, within
limits that keep the real network small enough for a Binder kernel.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..errors import BpkitError
from ..network import Network
from .base import Control, GridExplorer, any_integer, figure_html

NETWORKS = ("784, 30, 10", "3, 4, 2", "2, 3, 3, 1", "784, 100, 30, 10")
BATCHES = (1, 5, 32, 256)
MAX_UNITS = 4096
MAX_LAYERS = 12
MAX_BATCH = 1024
#: The explorer builds the network for real: its weights take 8 bytes each (float64). A
#: Binder kernel has about 2 GB of memory, and 13 layers of 4096 units would take 1.6 GB of
#: weights alone; 2 million parameters are 16 MB and build in well under a second.
MAX_PARAMETERS = 2_000_000
#: The batch's activations z and a, 2 sum(n_l) m numbers, are capped the same way.
MAX_ACTIVATIONS = 4_000_000


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
    P = parameter_count(sizes)
    if P > MAX_PARAMETERS:
        raise BpkitError(
            f"sizes {sizes} have {P:,} parameters, {8 * P / 1e6:,.0f} MB of weights: this "
            f"explorer stops at {MAX_PARAMETERS:,} ({8 * MAX_PARAMETERS / 1e6:.0f} MB), because "
            "it builds the network for real and a Binder kernel has only about 2 GB of memory")
    return sizes


def parameter_count(sizes):
    r"""$\sum_l (n_l n_{l-1} + n_l)$: the entries of every $W^l$ and $b^l$."""
    return sum(n * n_prev + n for n_prev, n in zip(sizes, sizes[1:]))


def check_batch(sizes, m):
    """Refuse a batch whose activations would not fit comfortably in a Binder kernel."""
    if not 1 <= m <= MAX_BATCH:
        raise BpkitError(f"the batch size m must be between 1 and {MAX_BATCH}; received {m}")
    numbers = 2 * sum(sizes) * m
    if numbers > MAX_ACTIVATIONS:
        raise BpkitError(
            f"a batch of {m} through sizes {sizes} holds {numbers:,} numbers in Z and A "
            f"({8 * numbers / 1e6:,.0f} MB): this explorer stops at {MAX_ACTIVATIONS:,}, so "
            "that a Binder kernel (about 2 GB of memory) stays alive; try a smaller m")


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


def shapes_view(sizes, m):
    """One view: the table of shapes of a real forward pass and the figure (HTML).

    ``sizes`` is text such as ``"784, 30, 10"``; input the explorer refuses is explained in
    red instead (:func:`parse_sizes`, :func:`check_batch`).
    """
    try:
        sizes = parse_sizes(sizes)
        check_batch(sizes, int(m))
    except BpkitError as err:
        return f"<p style='color:#b00'>{err}</p>"
    m = int(m)
    rows = shapes_table(sizes, m)
    fig = plot_layer_products(sizes, m, figsize=(7.0, None))
    alt = (f"Rectangles for each layer of the network {sizes} with a batch of {m}: W times A "
           "plus b equals Z, each labelled with its shape; the number of columns of W always "
           "equals the number of rows of A.")
    return table_html(rows, m) + figure_html(fig, alt, dpi=70)


def shapes_explorer(sizes="784, 30, 10", m=32):
    """Return the chapter-2 explorer, starting from the layer ``sizes`` and batch size ``m``."""
    controls = [Control("sizes", "sizes", NETWORKS, value=sizes, kind="dropdown"),
                Control("m", "batch m", BATCHES, value=m)]
    live = {"sizes": widgets.Text(value=sizes, description="any sizes",
                                  continuous_update=False),
            "m": any_integer("m", m, 1, MAX_BATCH)}
    return GridExplorer(controls, shapes_view, notebook="book/02_setup_notation.ipynb",
                        live=live)
