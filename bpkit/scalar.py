r"""A small reverse-mode engine on scalar graphs, and the path-sum view of it (chapter 4).

Every operation on :class:`Value` computes its result *and* the local derivative of the
result with respect to each operand, side by side; the node keeps both. The backward pass
then needs only one rule, the multivariable chain rule as a sum over a node's successors:

$$\frac{\partial C}{\partial u} = \sum_{v \,:\, u \to v}
  \frac{\partial C}{\partial v}\,\frac{\partial v}{\partial u},$$

applied to the nodes in reverse topological order, each one's total complete before it is
passed on. In code that sum is ``parent.grad += local * node.grad``.

:func:`paths` lists every path from an input to the output with the product of the local
derivatives along it; their sum is the same derivative (:func:`path_sum`). :func:`count_paths`
and :func:`count_edges` measure both views on graphs too large to list.
"""
import math

import numpy as np

from .errors import BpkitError
from .graph import Graph


class Value:
    """A scalar, the nodes it was computed from, and the local derivative towards each.

    ``data`` is the number; ``grad`` is $\\partial(\\text{output})/\\partial(\\text{self})$
    after the output's :meth:`backward`; ``parents`` and ``local`` are parallel tuples:
    ``local[i]`` is $\\partial(\\text{self})/\\partial(\\text{parents}[i])$.
    """

    __slots__ = ("data", "grad", "parents", "local", "op", "label")

    def __init__(self, data, parents=(), local=(), op="", label=""):
        self.data = float(data)
        self.grad = 0.0
        self.parents = tuple(parents)
        self.local = tuple(float(d) for d in local)
        self.op = op
        self.label = label

    def __repr__(self):
        name = f"{self.label}=" if self.label else ""
        return f"Value({name}{self.data:.6g}, grad={self.grad:.6g})"

    # -- operations: the forward value, then the local derivative of each operand --------
    def __add__(self, other):
        other = as_value(other)
        return Value(self.data + other.data,                 # x + y
                     (self, other), (1.0, 1.0), "+")         # d/dx = 1, d/dy = 1

    def __mul__(self, other):
        other = as_value(other)
        return Value(self.data * other.data,                 # x * y
                     (self, other), (other.data, self.data), "*")  # d/dx = y, d/dy = x

    def __pow__(self, k):
        if isinstance(k, Value):
            raise BpkitError("x ** k takes a constant exponent k (a number), not a Value")
        return Value(self.data ** k,                         # x ** k
                     (self,), (k * self.data ** (k - 1),), f"**{k:g}")  # d/dx = k x^(k-1)

    def __neg__(self):
        return Value(-self.data, (self,), (-1.0,), "neg")    # -x;  d/dx = -1

    def __sub__(self, other):
        other = as_value(other)
        return Value(self.data - other.data,                 # x - y
                     (self, other), (1.0, -1.0), "-")        # d/dx = 1, d/dy = -1

    def __truediv__(self, other):
        other = as_value(other)
        x, y = self.data, other.data
        return Value(x / y,                                  # x / y
                     (self, other), (1.0 / y, -x / y**2), "/")  # d/dx = 1/y, d/dy = -x/y^2

    def exp(self):
        e = math.exp(self.data)
        return Value(e, (self,), (e,), "exp")                # e^x;  d/dx = e^x

    def log(self):
        if self.data <= 0:
            raise BpkitError(f"log needs a positive argument; received {self.data:g}")
        return Value(math.log(self.data),                    # log x
                     (self,), (1.0 / self.data,), "log")     # d/dx = 1/x

    def sin(self):
        return Value(math.sin(self.data),                    # sin x
                     (self,), (math.cos(self.data),), "sin")  # d/dx = cos x

    def cos(self):
        return Value(math.cos(self.data),                    # cos x
                     (self,), (-math.sin(self.data),), "cos")  # d/dx = -sin x

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), (1.0 - t * t,), "tanh")     # tanh x;  d/dx = 1 - tanh^2 x

    def sigmoid(self):
        x = self.data
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        return Value(s, (self,), (s * (1.0 - s),), "sigmoid")  # s(x);  d/dx = s (1 - s)

    def relu(self):
        x = self.data
        return Value(max(x, 0.0),                            # max(x, 0)
                     (self,), (1.0 if x > 0 else 0.0,), "relu")  # d/dx = 1 if x > 0 else 0

    # numbers on the left: 2 * x, 1 - x, 1 / x
    def __radd__(self, other):
        return as_value(other) + self

    def __rmul__(self, other):
        return as_value(other) * self

    def __rsub__(self, other):
        return as_value(other) - self

    def __rtruediv__(self, other):
        return as_value(other) / self

    # -- the backward pass -----------------------------------------------------------------
    def topological_order(self):
        """Every node this one depends on (itself last), each after all of its parents.

        Iterative depth-first search: a graph thousands of nodes deep does not reach
        Python's recursion limit.
        """
        order, done, stack = [], set(), [(self, False)]
        while stack:
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
                continue
            if id(node) in done:
                continue
            done.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in node.parents if id(p) not in done)
        return order

    def backward(self):
        r"""Fill ``grad`` of every node this one depends on with $\partial(\text{self})/\partial(\text{node})$.

        The order is computed once per call; every ``grad`` is reset first, so a second
        call gives the same numbers, not twice them. Each node passes its gradient to its
        parents only after all of its successors have added theirs into it. Returns the
        number of chain-rule terms added, one per edge: the work of the backward pass.
        """
        order = self.topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        terms = 0
        for node in reversed(order):
            for parent, local in zip(node.parents, node.local):
                parent.grad += local * node.grad   # sum over the successors of parent
                terms += 1
        return terms


def as_value(x):
    """``x`` itself if it is a Value, else a constant leaf holding the number ``x``."""
    return x if isinstance(x, Value) else Value(x, label=f"{float(x):g}")


# -- what goes wrong without the sum ------------------------------------------------------

def naive_backward(output, accumulate=False):
    """A recursive backward pass that walks every path separately (for the book to show
    why the engine is built the way it is).

    With ``accumulate=False`` it *assigns* ``parent.grad = ...``: a node reached along
    several paths keeps only the last one's contribution, which is wrong. With
    ``accumulate=True`` it adds, and the answer is right, but each node is revisited once
    per path through it. Returns the number of chain-rule terms computed.
    """
    for node in output.topological_order():
        node.grad = 0.0
    terms = 0

    def visit(node, upstream):
        nonlocal terms
        if accumulate:
            node.grad += upstream
        else:
            node.grad = upstream
        for parent, local in zip(node.parents, node.local):
            terms += 1
            visit(parent, upstream * local)

    visit(output, 1.0)
    return terms


# -- the path-sum view --------------------------------------------------------------------
# Arguments come source first, as in bpkit.graph.Graph.paths(source, target).

def paths(source, output, limit=10_000):
    """Every path from ``source`` up to ``output``, with the product of local derivatives.

    Returns a list of ``(nodes, product)``: ``nodes`` runs from ``source`` to ``output``;
    ``product`` multiplies $\\partial v/\\partial u$ over its edges ``u -> v``. Two edges
    between the same pair of nodes (as in ``a + a``) are two different paths.
    """
    total = count_paths(source, output)
    if total > limit:
        raise BpkitError(f"{total:,} paths lead from the source to the output, more than "
                         f"limit={limit:,}; count them with count_paths instead")
    reaches = set()
    for node in output.topological_order():
        if node is source or any(id(p) in reaches for p in node.parents):
            reaches.add(id(node))
    found, stack = [], [([output], 1.0)]
    while stack:
        nodes, product = stack.pop()
        if nodes[-1] is source:
            found.append((nodes[::-1], product))
            continue
        for parent, local in zip(nodes[-1].parents, nodes[-1].local):
            if id(parent) in reaches:
                stack.append((nodes + [parent], product * local))
    return found


def path_sum(source, output):
    """The sum over every path from ``source`` to ``output`` of its product of local
    derivatives: the total derivative, computed the slow way."""
    return sum(product for _, product in paths(source, output, limit=10**6))


def count_paths(source, output):
    """The number of paths from ``source`` to ``output``, counted without listing them."""
    ways = {}
    for node in output.topological_order():
        ways[id(node)] = 1 if node is source else sum(ways[id(p)] for p in node.parents)
    return ways[id(output)]


def count_edges(output):
    """The number of edges in the graph that ``output`` depends on: backprop's work."""
    return sum(len(node.parents) for node in output.topological_order())


def layered(depth, width, seed=0):
    r"""A layered scalar graph: one input $x$, ``depth`` layers of ``width`` nodes, one output.

    Node $j$ of layer $d$ is $\tanh\big(\sum_k w_{jk}\, h^{d-1}_k\big)$, the first layer
    reading $x$ and the output summing the last layer; the weights $w_{jk}$ are fixed
    numbers. Every node of a layer feeds every node of the next, so the number of paths
    from $x$ to the output is ``width ** depth`` while the number of edges grows like
    ``depth * width**2``. Returns ``(x, output)``.
    """
    if depth < 1 or width < 1:
        raise BpkitError(f"depth and width must be at least 1; received {depth}, {width}")
    rng = np.random.default_rng(seed)
    x = Value(0.5, label="x")
    layer = [x]
    for _ in range(depth):
        w = rng.standard_normal((width, len(layer))) / math.sqrt(len(layer))
        layer = [_weighted_sum(w[j], layer).tanh() for j in range(width)]
    return x, _weighted_sum([1.0] * width, layer)


def _weighted_sum(weights, nodes):
    total = nodes[0] * float(weights[0])
    for wk, h in zip(weights[1:], nodes[1:]):
        total = total + h * float(wk)
    return total


def to_graph(output, names=None):
    """The graph that ``output`` depends on as a :class:`bpkit.graph.Graph`, for drawing.

    ``names`` maps Values to display names (for instance ``{a: "a", b: "b"}``); other
    nodes are labelled by their operation, constants by their value. An operand used twice
    (``a + a``) gives two edges between the same two nodes, drawn as two arcs.
    """

    names = {id(v): n for v, n in (names or {}).items()}
    order = output.topological_order()
    key = {id(n): f"n{i}" for i, n in enumerate(order)}
    label, kind, edges = {}, {}, []
    for n in order:
        k = key[id(n)]
        if id(n) in names:
            label[k] = names[id(n)]
        elif n.op:
            label[k] = n.op
        else:
            label[k] = n.label or f"{n.data:g}"
        kind[k] = "op" if n.parents else ("input" if id(n) in names else "param")
        edges.extend((key[id(p)], k) for p in n.parents)
    kind[key[id(output)]] = "loss"
    return Graph([key[id(n)] for n in order], edges, kind, label)


def plot_work(rows, title=None, figsize=(6.4, 3.8)):
    """The work of the two backward passes of chapter 4 against depth, log scale.

    ``rows`` are ``(depth, engine_terms, walked_terms)``: the terms added by
    :meth:`Value.backward` (one per arrow) and by :func:`naive_backward` with
    ``accumulate=True`` (one per arrow of every path). Returns a matplotlib Figure. Chapter
    4's figure and its explorer (``bpkit.explorers.paths``) both draw it.
    """
    from matplotlib.figure import Figure

    depth = [r[0] for r in rows]
    fig = Figure(figsize=figsize, dpi=100, layout="constrained")
    ax = fig.subplots()
    for column, style, colour, label in (
            (2, "o-", "C3", "path-walking pass (one term per arrow of every path)"),
            (1, "s-", "C0", "engine's backward pass (one term per arrow)")):
        ax.semilogy(depth, [float(r[column]) for r in rows], style, color=colour, label=label)
    ax.set(xlabel="depth (layers of the graph)", ylabel="chain-rule terms added (log scale)",
           xticks=depth if len(depth) <= 16 else depth[::max(1, len(depth) // 10)],
           title=title or "Work of one backward pass")
    ax.legend(frameon=False)
    return fig
