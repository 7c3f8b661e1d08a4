"""Chapter 2's explorer: the shape of every W, b, z and a for the layer sizes you type.

The shapes are not computed from a formula: the explorer builds a real
:class:`bpkit.Network` of those sizes, runs its forward pass on one example and on a batch
of ``m`` examples (columns), and reads the shapes off the arrays it gets back.
"""
import ipywidgets as widgets
import numpy as np

from ..errors import BpkitError
from ..network import Network

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


class ShapesExplorer(widgets.VBox):
    """A text box for the layer sizes, a slider for the batch size, and the table of shapes."""

    def __init__(self, sizes="784, 30, 10", m=32):
        self.sizes_box = widgets.Text(value=sizes, description="sizes",
                                      continuous_update=False)
        self.m = widgets.IntSlider(value=m, min=1, max=256, description="batch m",
                                   continuous_update=False)
        self.table = widgets.HTML()
        super().__init__([widgets.HBox([self.sizes_box, self.m]), self.table])
        self.sizes_box.observe(self._update, names="value")
        self.m.observe(self._update, names="value")
        self._update()

    def _update(self, change=None):
        try:
            self.sizes = parse_sizes(self.sizes_box.value)
        except BpkitError as err:
            self.rows = None
            self.table.value = f"<p style='color:#b00'>{err}</p>"
            return
        self.rows = shapes_table(self.sizes, self.m.value)
        self.table.value = table_html(self.rows, self.m.value)


def shapes_explorer(sizes="784, 30, 10", m=32):
    """Return the chapter-2 explorer, starting from the layer ``sizes`` and batch size ``m``."""
    return ShapesExplorer(sizes=sizes, m=m)
