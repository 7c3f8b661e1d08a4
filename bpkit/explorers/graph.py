"""Chapter 3's explorer: pick a node of a network's graph and see every path to the loss.

The graph is built by :mod:`bpkit.graph` (layer level or scalar level); the highlighted
edges are those on at least one path from the chosen node to ``C``, the count is computed by
:meth:`bpkit.graph.Graph.count_paths`, and the listed paths by
:meth:`bpkit.graph.Graph.paths`.
"""
import html

import ipywidgets as widgets

from .. import graph as G
from .cost import figure_png, img_html

NETWORKS = ("2, 3, 1", "2, 3, 2", "2, 3, 3, 1", "3, 4, 4, 2")
MAX_LISTED = 6


def plain(label):
    """A node's name without the shape line of layer-level labels."""
    return label.splitlines()[0]


class GraphExplorer(widgets.VBox):
    """Network, level and node controls; the graph with the chosen node's paths highlighted."""

    def __init__(self, sizes="2, 3, 2", level="scalar", node=None, weights=True):
        self.sizes_box = widgets.Dropdown(options=NETWORKS, value=sizes, description="network")
        self.level = widgets.ToggleButtons(options=["layer", "scalar"], value=level,
                                           description="level")
        self.weights = widgets.Checkbox(value=weights, description="weights and biases as nodes",
                                        style={"description_width": "initial"})
        self.node = widgets.Dropdown(description="node")
        self.summary = widgets.HTML()
        self.figure = widgets.HTML()
        super().__init__([widgets.HBox([self.sizes_box, self.level]),
                          widgets.HBox([self.node, self.weights]), self.summary, self.figure])
        self._rebuild(node)
        for w in (self.sizes_box, self.level, self.weights):
            w.observe(lambda change: self._rebuild(), names="value")
        self.node.observe(lambda change: self._update(), names="value")

    def _rebuild(self, node=None):
        sizes = [int(n) for n in self.sizes_box.value.split(",")]
        if self.level.value == "layer":
            self.graph = G.layer_graph(sizes)
        else:
            self.graph = G.scalar_graph(sizes, params=self.weights.value)
        self.weights.disabled = self.level.value == "layer"
        choices = [(plain(self.graph.label[n]), n) for n in self.graph.nodes
                   if n != "C" and "C" in self.graph.descendants(n)]
        keep = node or self.node.value
        names = [n for _, n in choices]
        self._busy = True                       # one redraw for the new graph, not two
        self.node.options = choices
        self.node.value = keep if keep in names else names[0]
        self._busy = False
        self._update()

    def _update(self):
        g, src = self.graph, self.node.value
        if src is None or getattr(self, "_busy", False):
            return
        self.count = g.count_paths(src, "C")
        self.edges = g.path_edges(src, "C")
        listed = g.paths(src, "C", limit=10**6)[:MAX_LISTED]
        name = plain(g.label[src])
        depends = [plain(g.label[n]) for n in g.ancestors(src)]
        rows = "".join("<li>" + html.escape(" → ".join(plain(g.label[n]) for n in p)) + "</li>"
                       for p in listed)
        more = (f"<li>... and {self.count - len(listed):,} more</li>"
                if self.count > len(listed) else "")
        self.summary.value = (
            f"<p><b>{self.count:,}</b> path{'s' if self.count != 1 else ''} lead from "
            f"<b>{html.escape(name)}</b> to C, over {len(self.edges)} of the graph's "
            f"{len(g.edges)} edges. {html.escape(name)} itself depends on "
            f"{html.escape(', '.join(depends)) if depends else 'nothing (it is a leaf)'}.</p>"
            f"<ul>{rows}{more}</ul>"
        )
        fig = G.draw_paths(g, src, "C")
        self.png = figure_png(fig)
        self.figure.value = img_html(
            self.png,
            f"The {self.level.value}-level graph of the network [{self.sizes_box.value}] drawn "
            f"left to right from the inputs to the loss C. The {self.count:,} paths from "
            f"{name} to C are drawn in red; every other node and edge is faded.",
        )


def graph_explorer(sizes="2, 3, 2", level="scalar", node=None, weights=True):
    """Return the chapter-3 explorer: a network's graph with one node's paths to C in red.

    ``sizes`` is one of the offered networks (``"2, 3, 2"`` ...); ``level`` is ``"layer"``
    or ``"scalar"``; ``node`` is a node name of :mod:`bpkit.graph` (``"W1_2_1"``, ``"z1"``).
    """
    return GraphExplorer(sizes=sizes, level=level, node=node, weights=weights)
