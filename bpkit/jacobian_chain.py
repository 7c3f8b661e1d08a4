r"""The cost of multiplying a chain of Jacobians, and the best order (chapter 13).

A composition $x_L = f_L(\cdots f_1(x_0))$ with $x_i \in \mathbb{R}^{n_i}$ has the Jacobian

$$\frac{\partial x_L}{\partial x_0} = J_L J_{L-1} \cdots J_1, \qquad
  J_i = \frac{\partial x_i}{\partial x_{i-1}} \text{ of shape } (n_i, n_{i-1}).$$

A chain is given by its dimensions ``dims = [n_0, n_1, ..., n_L]``. Multiplying a
$(p, q)$ matrix by a $(q, r)$ one costs $p\,q\,r$ scalar multiplications, the unit of every
count here. The product is the same in every order; the cost is not:

* forward mode multiplies right to left, $J_L(\cdots(J_3(J_2 J_1)))$;
* reverse mode multiplies left to right, $((J_L J_{L-1}) J_{L-2})\cdots J_1$;
* the best order comes from a dynamic programme over the sub-chains (the matrix-chain
  problem, $O(L^3)$ time), with ``best[i, j]`` the cheapest way to form
  $\partial x_j / \partial x_i = J_j \cdots J_{i+1}$ from its split at $x_k$:
  $\text{best}[i, j] = \min_{i<k<j}\, \text{best}[i, k] + \text{best}[k, j] + n_j n_k n_i$.

An order is written as a bracketed expression of the factors, ``"J3 (J2 J1)"``; the
outermost product carries no brackets.
"""
import itertools
import time
from functools import lru_cache

import numpy as np
from threadpoolctl import threadpool_limits

from .errors import BpkitError


def _dims(dims):
    dims = [int(n) for n in dims]
    if len(dims) < 2 or min(dims) < 1:
        raise BpkitError(f"a chain needs at least two positive dimensions [n_0, ..., n_L]; "
                         f"received {dims}")
    return dims


def product_cost(p, q, r):
    """Scalar multiplications of a $(p, q)$ by $(q, r)$ matrix product: $p\\,q\\,r$."""
    return p * q * r


def forward_cost(dims):
    r"""Right to left (forward mode): $\sum_{i=2}^{L} n_i\, n_{i-1}\, n_0$."""
    n = _dims(dims)
    return sum(product_cost(n[i], n[i - 1], n[0]) for i in range(2, len(n)))


def reverse_cost(dims):
    r"""Left to right (reverse mode): $\sum_{i=0}^{L-2} n_L\, n_{i+1}\, n_i$."""
    n = _dims(dims)
    L = len(n) - 1
    return sum(product_cost(n[L], n[i + 1], n[i]) for i in range(0, L - 1))


class Order:
    """An order of multiplication: its cost and its bracketed expression."""

    def __init__(self, cost, expression, splits=None):
        self.cost = cost
        self.expression = expression
        self.splits = splits

    def __repr__(self):
        return f"Order({self.expression!r}, cost={self.cost:,})"


def _outer(expr):
    """Drop the brackets around the whole expression: the outermost product is plain."""
    return expr[1:-1] if expr.startswith("(") and expr.endswith(")") and _balanced(expr[1:-1]) \
        else expr


def _balanced(s):
    depth = 0
    for ch in s:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def optimal_order(dims):
    r"""The cheapest order by dynamic programming over the sub-chains; an :class:`Order`.

    ``best[i][j]`` is the least cost of $\partial x_j/\partial x_i = J_j \cdots J_{i+1}$ and
    ``split[i][j]`` the $x_k$ at which that product is split last. Ties go to the smallest k.
    """
    n = _dims(dims)
    L = len(n) - 1
    best = [[0] * (L + 1) for _ in range(L + 1)]
    split = [[None] * (L + 1) for _ in range(L + 1)]
    for length in range(2, L + 1):                     # sub-chains of `length` factors
        for i in range(0, L - length + 1):
            j = i + length
            best[i][j], split[i][j] = min(
                (best[i][k] + best[k][j] + product_cost(n[j], n[k], n[i]), k)
                for k in range(i + 1, j))

    def expression(i, j):
        if j == i + 1:
            return f"J{j}"
        k = split[i][j]
        return f"({expression(k, j)} {expression(i, k)})"

    return Order(best[0][L], _outer(expression(0, L)), split)


def all_orders(dims):
    """Every bracketing of the chain with its cost, cheapest first (brute force: a Catalan
    number of them, so only for short chains)."""
    n = _dims(dims)
    if len(n) > 12:
        raise BpkitError(f"{len(n) - 1} factors have too many bracketings to list")

    @lru_cache(maxsize=None)
    def orders(i, j):
        if j == i + 1:
            return ((0, f"J{j}"),)
        return tuple((c1 + c2 + product_cost(n[j], n[k], n[i]), f"({e1} {e2})")
                     for k in range(i + 1, j)
                     for c1, e1 in orders(k, j) for c2, e2 in orders(i, k))

    found = sorted(orders(0, len(n) - 1))
    return [Order(c, _outer(e)) for c, e in found]


def order_cost(dims, expression):
    """The cost of the order written as ``expression`` (e.g. ``"(J3 J2) J1"``)."""
    n = _dims(dims)
    return _evaluate(_parse(expression, len(n) - 1), n)[0]


def _parse(expression, L):
    tokens = expression.replace("(", " ( ").replace(")", " ) ").split()

    def group(pos):
        items = []
        while pos < len(tokens) and tokens[pos] != ")":
            if tokens[pos] == "(":
                sub, pos = group(pos + 1)
                if pos >= len(tokens):
                    raise BpkitError(f"unbalanced brackets in {expression!r}")
                items.append(sub)
            else:
                items.append(tokens[pos])
            pos += 1
        if len(items) == 1:
            return items[0], pos
        if len(items) != 2:
            raise BpkitError(f"each bracket multiplies exactly two factors; {expression!r} "
                             f"has a group of {len(items)}")
        return tuple(items), pos

    tree, pos = group(0)
    if pos != len(tokens):
        raise BpkitError(f"unbalanced brackets in {expression!r}")
    leaves = list(_leaves(tree))
    if leaves != [f"J{i}" for i in range(L, 0, -1)]:
        raise BpkitError(f"an order of J{L} ... J1 must list the factors J{L} down to J1 once "
                         f"each, in that sequence; {expression!r} lists {leaves}")
    return tree


def _leaves(tree):
    if isinstance(tree, str):
        yield tree
    else:
        for t in tree:
            yield from _leaves(t)


def _evaluate(tree, n):
    """(cost, shape) of a parsed expression; factor Ji has shape (n_i, n_{i-1})."""
    if isinstance(tree, str):
        i = int(tree[1:])
        return 0, (n[i], n[i - 1])
    (c1, (p, q)), (c2, (_, r)) = _evaluate(tree[0], n), _evaluate(tree[1], n)
    return c1 + c2 + product_cost(p, q, r), (p, r)


def strategies(dims):
    """The costs of forward mode, reverse mode and the best order, as a dict."""
    best = optimal_order(dims)
    return {"forward": forward_cost(dims), "reverse": reverse_cost(dims),
            "optimal": best.cost, "expression": best.expression}


# -- measured on real matrices ---------------------------------------------------------------

def random_chain(dims, seed=0):
    """Random factors ``{i: J_i}`` of shape ``(n_i, n_{i-1})``, numbered like the book."""
    n = _dims(dims)
    rng = np.random.default_rng(seed)
    return {i: rng.standard_normal((n[i], n[i - 1])) for i in range(1, len(n))}


def multiply(J, expression):
    """The product of the factors ``J`` (from :func:`random_chain`) in the given order."""
    def run(tree):
        if isinstance(tree, str):
            return J[int(tree[1:])]
        return run(tree[0]) @ run(tree[1])
    return run(_parse(expression, len(J)))


def forward_expression(L):
    """``"J_L (... (J3 (J2 J1)))"``: right to left, forward mode."""
    expr = "J1"
    for i in range(2, L + 1):
        expr = f"(J{i} {expr})"
    return _outer(expr)


def reverse_expression(L):
    """``"((J_L J_{L-1}) ...) J1"``: left to right, reverse mode."""
    expr = f"J{L}"
    for i in range(L - 1, 0, -1):
        expr = f"({expr} J{i})"
    return _outer(expr)


def _best_time(J, expression, repeat):
    times = []
    # One BLAS thread: on a busy machine, threads waiting for a core swamp the arithmetic.
    with threadpool_limits(limits=1):
        for _ in range(repeat):
            start = time.perf_counter()
            multiply(J, expression)
            times.append(time.perf_counter() - start)
    return min(times)


def time_orders(dims, repeat=5, seed=0):
    """Best-of-``repeat`` wall time (seconds) of forward, reverse and optimal order on random
    factors, beside each order's count: ``{name: (cost, seconds)}``."""
    J = random_chain(dims, seed)
    L = len(J)
    exprs = {"forward": forward_expression(L), "reverse": reverse_expression(L),
             "optimal": optimal_order(dims).expression}
    return {name: (order_cost(dims, e), _best_time(J, e, repeat)) for name, e in exprs.items()}


def time_all_orders(dims, repeat=3, seed=0):
    """``[(expression, cost, seconds)]`` for every bracketing, timed on random factors."""
    J = random_chain(dims, seed)
    orders = all_orders(dims)
    return [(o.expression, o.cost, _best_time(J, o.expression, repeat)) for o in orders]


def plot_timings(rows, title, figsize=(6.4, 3.6), dpi=80):
    """Measured time against counted multiplications, one point per order (log-log), with the
    line through the origin that fits them best."""
    from matplotlib.figure import Figure

    cost = np.array([r[1] for r in rows], float)
    secs = np.array([r[2] for r in rows], float)
    rate = np.exp(np.mean(np.log(secs / cost)))          # seconds per multiplication
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    ax = fig.subplots()
    ax.loglog(cost, secs * 1e3, "o", color="C0", label="one order of the chain")
    grid = np.array([cost.min(), cost.max()])
    ax.loglog(grid, rate * grid * 1e3, "--", color="C3",
              label=f"time proportional to the count ({1e-9 / rate:.1f} G mult/s)")
    ax.set_xlabel("counted scalar multiplications")
    ax.set_ylabel("measured time (ms)")
    ax.set_title(title, fontsize=10)
    ax.legend(frameon=False, fontsize=9)
    return fig


# -- a graph, where the order is the order of eliminating vertices ---------------------------

class LinearGraph:
    r"""A computational graph with a local partial derivative on each edge.

    ``edges`` maps ``(u, v)`` to $c_{vu} = \partial v / \partial u$. Eliminating an
    intermediate vertex $v$ joins every predecessor $u$ to every successor $w$:
    $c_{wu} \mathrel{+}= c_{wv}\, c_{vu}$, one multiplication per pair, and removes $v$.
    When only inputs and outputs remain, the edge weights are the Jacobian's entries.
    """

    def __init__(self, edges, inputs, outputs):
        self.edges = dict(edges)
        self.inputs, self.outputs = list(inputs), list(outputs)
        nodes = {u for e in self.edges for u in e}
        self.intermediates = sorted(nodes - set(self.inputs) - set(self.outputs))

    def eliminate(self, order):
        """Eliminate the intermediates in ``order``; return ``(multiplications, edges)``."""
        edges = dict(self.edges)
        if sorted(order) != self.intermediates:
            raise BpkitError(f"an elimination order lists each intermediate vertex "
                             f"{self.intermediates} once; received {list(order)}")
        mults = 0
        for v in order:
            preds = [u for (u, w) in edges if w == v]
            succs = [w for (u, w) in edges if u == v]
            for u in preds:
                for w in succs:
                    edges[(u, w)] = edges.get((u, w), 0.0) + edges[(v, w)] * edges[(u, v)]
                    mults += 1
            for e in [e for e in edges if v in e]:
                del edges[e]
        return mults, edges

    def jacobian(self, order=None):
        """The Jacobian (rows: outputs, columns: inputs) after eliminating in ``order``."""
        _, edges = self.eliminate(self.intermediates if order is None else order)
        return np.array([[edges.get((u, w), 0.0) for u in self.inputs] for w in self.outputs])

    def elimination_costs(self):
        """``{order: multiplications}`` for every order of the intermediate vertices."""
        return {order: self.eliminate(order)[0]
                for order in itertools.permutations(self.intermediates)}


def example_graph():
    """The chapter's graph: inputs x1, x2, x3 and outputs y1, y2 meet in the vertices a, b, c.

    x1, x2, x3 all feed a; a feeds b and c; b feeds y1 and y2, c feeds y2. The local
    partials are fixed numbers, so the Jacobian can be checked against a direct product.
    """
    edges = {("x1", "a"): 0.5, ("x2", "a"): -1.0, ("x3", "a"): 2.0,
             ("a", "b"): 3.0, ("a", "c"): -0.5,
             ("b", "y1"): 1.5, ("b", "y2"): 2.0, ("c", "y2"): 4.0}
    return LinearGraph(edges, ["x1", "x2", "x3"], ["y1", "y2"])


def plot_graph(graph, figsize=(6.4, 3.0), dpi=80):
    """Draw a :class:`LinearGraph` left to right, each edge labelled with its local partial."""
    from matplotlib.figure import Figure

    depth = {u: 0 for u in graph.inputs}
    for _ in graph.edges:                      # longest path from an input: the column
        for (u, w) in graph.edges:
            if u in depth:
                depth[w] = max(depth.get(w, 0), depth[u] + 1)
    columns = {}
    for v, d in sorted(depth.items()):
        columns.setdefault(d, []).append(v)
    pos = {v: (d, (len(vs) - 1) / 2 - i) for d, vs in columns.items() for i, v in enumerate(vs)}
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    ax = fig.subplots()
    for (u, w), c in graph.edges.items():
        (x0, y0), (x1, y1) = pos[u], pos[w]
        ax.annotate("", (x1, y1), (x0, y0), arrowprops=dict(arrowstyle="->", color="0.4",
                                                            shrinkA=13, shrinkB=13))
        ax.text(0.45 * x0 + 0.55 * x1, 0.45 * y0 + 0.55 * y1 + 0.12, f"{c:g}", fontsize=9,
                ha="center", color="C3")
    for v, (x, y) in pos.items():
        face = "C0" if v in graph.inputs else ("C2" if v in graph.outputs else "white")
        ax.scatter([x], [y], s=600, color=face, edgecolor="k", zorder=3, alpha=0.8)
        ax.text(x, y, v, ha="center", va="center", fontsize=10, zorder=4)
    ax.set_title("A graph with a local partial derivative on every edge", fontsize=10)
    ax.set_xlim(-0.5, max(columns) + 0.5)
    ys = [y for _, y in pos.values()]
    ax.set_ylim(min(ys) - 0.45, max(ys) + 0.45)
    ax.axis("off")
    return fig
