"""Chapter 3's explorer: pick a node of a network's graph and see every path to the loss.

The graph is built by :mod:`bpkit.graph` (layer level or scalar level, weights and biases
as nodes); the highlighted edges are those on at least one path from the chosen node to
``C``, the count is computed by :meth:`bpkit.graph.Graph.count_paths`, and the listed paths
by :meth:`bpkit.graph.Graph.paths`. A node is chosen by its role, which every network has
(the input, a weight of layer 1, ...): at the scalar level the role's node is the one of
unit 1 (and source unit 1), at the layer level the whole array. In a live kernel a text box
takes any small network.
"""
import html

import ipywidgets as widgets
from matplotlib.figure import Figure

from .. import graph as G
from ..errors import BpkitError
from .base import Control, GridExplorer, figure_html

NETWORKS = ("2, 3, 2", "3, 4, 4, 2")
#: role -> (label, layer-level node, scalar-level node); ``L`` is the last layer.
ROLES = {
    "x": ("input x (x₁)", "x", "x1"),
    "W1": ("weight W¹ (W¹₁₁)", "W1", "W1_1_1"),
    "b1": ("bias b¹ (b¹₁)", "b1", "b1_1"),
    "W2": ("weight W² (W²₁₁)", "W2", "W2_1_1"),
    "WL": ("last-layer weight Wᴸ (Wᴸ₁₁)", "W{L}", "W{L}_1_1"),
    "aL": ("output aᴸ (aᴸ₁)", "a{L}", "a{L}_1"),
}
MAX_LISTED = 6
#: The live box's limits: a bigger scalar graph is too dense to read.
MAX_LAYERS, MAX_WIDTH = 4, 6


def plain(label):
    """A node's name without the shape line of layer-level labels."""
    return label.splitlines()[0]


def parse_network(text):
    """Read ``"2, 3, 2"`` as ``[2, 3, 2]``, within the limits the drawing can show."""
    try:
        sizes = [int(p) for p in text.replace(" ", ",").split(",") if p]
    except ValueError:
        raise BpkitError(f"type whole numbers separated by commas, like 2, 3, 2; received "
                         f"{text!r}") from None
    if not 3 <= len(sizes) <= MAX_LAYERS + 1 or not all(1 <= n <= MAX_WIDTH for n in sizes):
        raise BpkitError(f"give 2 to {MAX_LAYERS} layers (3 to {MAX_LAYERS + 1} sizes) of 1 to "
                         f"{MAX_WIDTH} units, so that the scalar graph stays readable; "
                         f"received {text!r}")
    return sizes


def node_of(role, level, L):
    """The :mod:`bpkit.graph` name of ``role``'s node at ``level`` in a network of ``L`` layers."""
    _, layer_name, scalar_name = ROLES[role]
    return (layer_name if level == "layer" else scalar_name).format(L=L)


def drawing(g):
    """An empty Figure sized for ``g``, with fixed margins (no layout pass: it is the slow
    part of drawing the many views of the grid)."""
    pos = G.layout(g).values()
    columns = max(x for x, _ in pos) - min(x for x, _ in pos) + 1
    rows = max(y for _, y in pos) - min(y for _, y in pos) + 1
    fig = Figure(figsize=(min(10.0, 1.0 + 0.8 * columns), min(6.5, 1.0 + 0.5 * rows)))
    fig.add_axes([0.01, 0.01, 0.98, 1.0 - 0.3 / fig.get_figheight()])
    return fig


def graph_view(network, level, role):
    """One view: the count and the first paths from the role's node to C, and the drawing."""
    try:
        sizes = parse_network(network)
    except BpkitError as err:
        return f"<p style='color:#b00'>{html.escape(str(err))}</p>"
    g = G.layer_graph(sizes) if level == "layer" else G.scalar_graph(sizes, params=True)
    src = node_of(role, level, len(sizes) - 1)
    count = g.count_paths(src, "C")
    edges = g.path_edges(src, "C")
    listed = g.paths(src, "C", limit=10**6)[:MAX_LISTED]
    name = plain(g.label[src])
    depends = [plain(g.label[n]) for n in g.ancestors(src)]
    rows = "".join("<li>" + html.escape(" → ".join(plain(g.label[n]) for n in p)) + "</li>"
                   for p in listed)
    more = f"<li>... and {count - len(listed):,} more</li>" if count > len(listed) else ""
    summary = (
        f"<p><b>{count:,}</b> {'paths lead' if count != 1 else 'path leads'} from "
        f"<b>{html.escape(name)}</b> to C, over {len(edges)} of the graph's {len(g.edges)} "
        f"edges. {html.escape(name)} itself depends on "
        f"{html.escape(', '.join(depends)) if depends else 'nothing (it is a leaf)'}.</p>"
        f"<ul>{rows}{more}</ul>")
    fig = drawing(g)
    G.draw_paths(g, src, "C", ax=fig.axes[0])
    alt = (f"The {level}-level graph of the network {sizes} drawn left to right from the "
           f"inputs to the loss C. The {count:,} path{'s' if count != 1 else ''} from {name} "
           "to C are drawn in red; every other node and edge is faded.")
    return summary + figure_html(fig, alt, dpi=70)


def graph_explorer(network="2, 3, 2", level="scalar", role="x"):
    """Return the chapter-3 explorer: a network's graph with one node's paths to C in red.

    ``network`` is one of :data:`NETWORKS`, ``level`` is ``"layer"`` or ``"scalar"`` and
    ``role`` a key of :data:`ROLES` (``"x"``, ``"W1"``, ...).
    """
    controls = [Control("network", "network", NETWORKS, value=network, kind="dropdown"),
                Control("level", "level", ("layer", "scalar"), value=level, kind="toggle"),
                Control("role", "node", tuple(ROLES), labels=[r[0] for r in ROLES.values()],
                        value=role, kind="dropdown")]
    live = {"network": widgets.Text(
        value=network, continuous_update=False, style={"description_width": "initial"},
        description=f"any network (up to {MAX_LAYERS} layers of {MAX_WIDTH})")}
    return GridExplorer(controls, graph_view, notebook="book/03_computational_graph.ipynb",
                        live=live)
