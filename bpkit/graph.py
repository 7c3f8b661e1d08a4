r"""The computational graph of a network, at layer level and at scalar level (chapter 3).

A :class:`Graph` is plain data: node names in topological order, directed edges
``(u, v)`` meaning "$v$ is computed from $u$", and for each node a kind, a text label and
a column for drawing. Two builders make the graph of a network of sizes
``[n_0, ..., n_L]``:

* :func:`layer_graph`: one node per vector, $x \to z^1 \to a^1 \to \dots \to a^L \to C$,
  with $W^l$ and $b^l$ as parameter nodes feeding $z^l$;
* :func:`scalar_graph`: one node per number, every $z^l_j$, $a^l_j$, every weight
  $W^l_{jk}$ (destination $j$ first, source $k$ second) and bias $b^l_j$.

Units are numbered from 1 in the labels, as in the text ($W^l_{jk}$, $j = 1..n_l$); the
numpy row of unit $j$ is ``j - 1``. Drawing uses matplotlib only: the layout (columns left
to right, nodes spread evenly in each column) is computed here.
"""
from collections import Counter, deque
from dataclasses import dataclass, field

from .errors import BpkitError


@dataclass
class Graph:
    """A directed acyclic graph with drawing hints.

    ``nodes`` is in topological order (every edge goes from an earlier node to a later one);
    an edge may appear twice (an operand used twice), and then counts as two paths;
    ``kind[n]`` is one of ``"input"``, ``"param"``, ``"z"``, ``"a"``, ``"loss"``,
    ``"target"`` or ``"op"``; ``label[n]`` is plain text
    (Unicode super- and subscripts, a second line for a shape); ``col[n]`` is the drawing column.
    """

    nodes: list
    edges: list
    kind: dict = field(default_factory=dict)
    label: dict = field(default_factory=dict)
    col: dict = field(default_factory=dict)

    def __post_init__(self):
        self._parents = {n: [] for n in self.nodes}
        self._children = {n: [] for n in self.nodes}
        for u, v in self.edges:
            if u not in self._parents or v not in self._parents:
                raise BpkitError(f"edge ({u!r}, {v!r}) names a node that is not in the graph")
            self._children[u].append(v)
            self._parents[v].append(u)
        position = {n: i for i, n in enumerate(self.nodes)}
        for u, v in self.edges:
            if position[u] >= position[v]:
                raise BpkitError(f"nodes are not in topological order: {u!r} feeds {v!r} "
                                 "but comes after it")

    def _check(self, n):
        if n not in self._parents:
            close = [m for m in self.nodes if m.lower().startswith(str(n)[:1].lower())][:6]
            raise BpkitError(f"no node {n!r} in this graph; nodes like it: {close}")

    def parents(self, n):
        """The nodes ``n`` is computed from directly."""
        self._check(n)
        return list(self._parents[n])

    def children(self, n):
        """The nodes computed directly from ``n``."""
        self._check(n)
        return list(self._children[n])

    def topological_order(self):
        """Every node after all the nodes it is computed from."""
        return list(self.nodes)

    def _reach(self, n, step):
        self._check(n)
        seen, todo = set(), deque([n])
        while todo:
            for m in step[todo.popleft()]:
                if m not in seen:
                    seen.add(m)
                    todo.append(m)
        return [m for m in self.nodes if m in seen]

    def ancestors(self, n):
        """Every node ``n`` depends on (there is a path from it to ``n``), in topological order."""
        return self._reach(n, self._parents)

    def descendants(self, n):
        """Every node that depends on ``n``, in topological order."""
        return self._reach(n, self._children)

    def count_paths(self, source, target):
        """The number of directed paths from ``source`` to ``target``, without listing them.

        One sweep in topological order: the number of ways to reach a node is the sum of
        the numbers of ways to reach its parents. Exact for any size (Python integers).
        """
        self._check(source)
        self._check(target)
        ways = {source: 1}
        for n in self.nodes:
            if n != source:
                ways[n] = sum(ways.get(p, 0) for p in self._parents[n])
        return ways[target]

    def paths(self, source, target, limit=10_000):
        """Every directed path from ``source`` to ``target``, each a list of node names.

        Paths can be astronomically many; more than ``limit`` raises a BpkitError that says
        how many there are (use :meth:`count_paths` to count without listing).
        """
        total = self.count_paths(source, target)
        if total > limit:
            raise BpkitError(f"{total:,} paths lead from {source!r} to {target!r}, more than "
                             f"limit={limit:,}; count them with count_paths instead")
        useful = set(self.ancestors(target)) | {target}
        found, stack = [], [[source]]
        while stack:
            path = stack.pop()
            if path[-1] == target:
                found.append(path)
                continue
            for c in reversed(self._children[path[-1]]):
                if c in useful:
                    stack.append(path + [c])
        return found

    def path_edges(self, source, target):
        """The edges that lie on at least one path from ``source`` to ``target``."""
        start = set(self.descendants(source)) | {source}
        end = set(self.ancestors(target)) | {target}
        return [(u, v) for u, v in self.edges if u in start and v in end]

    def __repr__(self):
        return f"Graph({len(self.nodes)} nodes, {len(self.edges)} edges)"


def _check_sizes(sizes):
    sizes = list(sizes)
    if len(sizes) < 2 or any(int(n) != n or n < 1 for n in sizes):
        raise BpkitError(f"sizes must list at least two positive widths [n_0, ..., n_L]; "
                         f"received {sizes}")
    return [int(n) for n in sizes]


def layer_graph(sizes, target=True):
    r"""The layer-level graph of a network: $x \to z^1 \to a^1 \to \dots \to a^L \to C$.

    $W^l$ and $b^l$ are parameter nodes feeding $z^l$; with ``target=True`` the target $y$
    is a node feeding $C$. Node names: ``"x"``, ``"W1"``, ``"b1"``, ``"z1"``, ``"a1"``, ...,
    ``"y"``, ``"C"``. The labels carry the shapes.
    """
    sizes = _check_sizes(sizes)
    L = len(sizes) - 1
    g = _Builder()
    g.add("x", "input", f"x\n({sizes[0]},1)", 0)
    prev = "x"
    for l in range(1, L + 1):
        n, n_in = sizes[l], sizes[l - 1]
        g.add(f"W{l}", "param", f"{script('W', l)}\n({n},{n_in})", 3 * l - 2)
        g.add(f"b{l}", "param", f"{script('b', l)}\n({n},1)", 3 * l - 2)
        g.add(f"z{l}", "z", f"{script('z', l)}\n({n},1)", 3 * l - 1,
              parents=(prev, f"W{l}", f"b{l}"))
        g.add(f"a{l}", "a", f"{script('a', l)}\n({n},1)", 3 * l, parents=(f"z{l}",))
        prev = f"a{l}"
    loss_parents = (prev,)
    if target:
        g.add("y", "target", f"y\n({sizes[-1]},1)", 3 * L)
        loss_parents = (prev, "y")
    g.add("C", "loss", "C", 3 * L + 1, parents=loss_parents)
    return g.graph()


def scalar_graph(sizes, params=True):
    r"""The scalar-level graph: one node per number of the forward pass.

    Inputs ``"x1".."x{n_0}"``; for each layer ``l`` and unit ``j`` (from 1) the nodes
    ``"z{l}_{j}"`` and ``"a{l}_{j}"``; with ``params=True`` also every weight
    ``"W{l}_{j}_{k}"`` (feeding $z^l_j$, from source unit $k$ of layer $l-1$) and every bias
    ``"b{l}_{j}"``. Every $a^{l-1}_k$ feeds every $z^l_j$, since
    $z^l_j = \sum_k W^l_{jk} a^{l-1}_k + b^l_j$; each $a^L_j$ feeds $C$.
    """
    sizes = _check_sizes(sizes)
    L = len(sizes) - 1
    g = _Builder()
    step = 3 if params else 2
    prev = []
    for k in range(1, sizes[0] + 1):
        g.add(f"x{k}", "input", script("x", "", k), 0)
        prev.append(f"x{k}")
    for l in range(1, L + 1):
        here = []
        for j in range(1, sizes[l] + 1):
            parents = list(prev)
            if params:
                for k in range(1, sizes[l - 1] + 1):
                    g.add(f"W{l}_{j}_{k}", "param", script("W", l, f"{j}{k}"), step * l - 2)
                    parents.append(f"W{l}_{j}_{k}")
                g.add(f"b{l}_{j}", "param", script("b", l, j), step * l - 2)
                parents.append(f"b{l}_{j}")
            g.add(f"z{l}_{j}", "z", script("z", l, j), step * l - 1, parents=parents)
        for j in range(1, sizes[l] + 1):
            g.add(f"a{l}_{j}", "a", script("a", l, j), step * l, parents=(f"z{l}_{j}",))
            here.append(f"a{l}_{j}")
        prev = here
    g.add("C", "loss", "C", step * L + 1, parents=prev)
    return g.graph()


SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def script(base, sup="", sub=""):
    """``script("W", 1, "21")`` is ``"W¹₂₁"``: labels in plain Unicode, which matplotlib
    draws without parsing TeX (much faster for graphs of a hundred nodes)."""
    return f"{base}{str(sup).translate(SUP)}{str(sub).translate(SUB)}"


class _Builder:
    """Collects nodes in the order they are added (already topological) and their edges."""

    def __init__(self):
        self.nodes, self.edges, self.kind, self.label, self.col = [], [], {}, {}, {}

    def add(self, name, kind, label, col, parents=()):
        self.nodes.append(name)
        self.kind[name], self.label[name], self.col[name] = kind, label, col
        self.edges.extend((p, name) for p in parents)

    def graph(self):
        return Graph(self.nodes, self.edges, self.kind, self.label, self.col)


# -- drawing -----------------------------------------------------------------------------

COLORS = {"input": "#9ecae1", "param": "#fdd0a2", "z": "#c7e9c0", "a": "#a1d99b",
          "loss": "#fc9272", "target": "#dadaeb", "op": "#e0e0e0"}


def layout(graph):
    """Positions ``{node: (x, y)}``: a column per ``graph.col`` (or per longest path from a
    source when a node has no column), nodes of a column spread evenly and centred."""
    col = {}
    for n in graph.nodes:
        if n in graph.col:
            col[n] = graph.col[n]
        else:
            col[n] = 1 + max((col[p] for p in graph.parents(n)), default=-1)
    columns = {}
    for n in graph.nodes:
        columns.setdefault(col[n], []).append(n)
    order = sorted(columns)
    index = {n: x for x, c in enumerate(order) for n in columns[c]}
    pos = {}
    for x, c in enumerate(order):
        members = columns[c]
        skipped = any(index[u] < x < index[v] for u, v in graph.edges)
        reach = 0.0 if not skipped else (
            max(len(columns[order[x - 1]]), len(columns[order[x + 1]])) - 1) / 2.0
        if skipped and all(graph.kind.get(n) == "param" for n in members) and \
                any(abs((len(members) - 1) / 2.0 - i) < reach + 0.5 for i in range(len(members))):
            # Arrows from the column before to the column after (x -> z) would cross this column
            # of parameters: leave them a gap as tall as the taller neighbour, half above, half
            # below.
            above = members[: (len(members) + 1) // 2]
            for i, n in enumerate(above):
                pos[n] = (float(x), reach + 0.8 + (len(above) - 1 - i))
            for i, n in enumerate(members[len(above):]):
                pos[n] = (float(x), -reach - 0.8 - i)
            continue
        for i, n in enumerate(members):
            pos[n] = (float(x), (len(members) - 1) / 2.0 - i)
    return pos


def draw(graph, highlight_nodes=(), highlight_edges=(), title=None, ax=None, figsize=None,
         node_size=None, fontsize=None):
    """Draw ``graph`` with matplotlib; return the Figure.

    ``highlight_nodes`` and ``highlight_edges`` are drawn in strong colour and everything
    else is faded; with nothing highlighted, every node and edge is drawn normally.
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch

    pos = layout(graph)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    width, height = max(xs) - min(xs) + 1, max(ys) - min(ys) + 1
    if ax is None:
        if figsize is None:
            figsize = (min(11.0, 1.1 + 0.95 * width), min(7.5, 1.0 + 0.55 * height))
        fig = Figure(figsize=figsize, dpi=100, layout="constrained")
        ax = fig.subplots()
    else:
        fig = ax.figure
    many = len(graph.nodes) > 30
    node_size = node_size or (420 if many else 900)
    fontsize = fontsize or (8 if many else 10)
    hn, he = set(highlight_nodes), set(map(tuple, highlight_edges))
    focus = bool(hn or he)
    multiplicity, seen = Counter(graph.edges), Counter()
    for u, v in graph.edges:
        on = (u, v) in he
        # Repeated edges (an operand used twice) fan out as arcs so that each one shows.
        m, i = multiplicity[(u, v)], seen[(u, v)]
        seen[(u, v)] += 1
        rad = 0.0 if m == 1 else 0.35 * (2 * i / (m - 1) - 1)
        ax.add_patch(FancyArrowPatch(
            pos[u], pos[v], arrowstyle="-|>", mutation_scale=10 if many else 13,
            connectionstyle=f"arc3,rad={rad}",
            shrinkA=9 if many else 14, shrinkB=9 if many else 14,
            color="C3" if on else ("0.85" if focus else "0.45"),
            lw=2.2 if on else 0.9, zorder=2 if on else 1))
    for n in graph.nodes:
        x, y = pos[n]
        on = n in hn
        ax.scatter([x], [y], s=node_size, c=COLORS.get(graph.kind.get(n), "#e0e0e0"),
                   edgecolors="C3" if on else "0.3", linewidths=2.5 if on else 0.8,
                   alpha=1.0 if (on or not focus) else 0.35, zorder=3)
        ax.text(x, y, graph.label.get(n, n), ha="center", va="center", zorder=4,
                fontsize=fontsize, alpha=1.0 if (on or not focus) else 0.5)
    ax.set_xlim(min(xs) - 0.5, max(xs) + 0.5)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return fig


def draw_paths(graph, source, target="C", title=None, **kwargs):
    """Draw ``graph`` with every path from ``source`` to ``target`` highlighted."""
    edges = graph.path_edges(source, target)
    nodes = {u for u, _ in edges} | {v for _, v in edges} | {source, target}
    if title is None:
        k = graph.count_paths(source, target)
        title = (f"{k:,} path{'s' if k != 1 else ''} from "
                 f"{graph.label.get(source, source).splitlines()[0]} to "
                 f"{graph.label.get(target, target).splitlines()[0]}")
    return draw(graph, nodes, edges, title=title, **kwargs)
