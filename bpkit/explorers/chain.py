r"""Chapter 13's first explorer: choose the dimensions of a Jacobian chain, compare every order.

For a chain ``dims = [n_0, ..., n_L]`` (factor $J_i$ is $(n_i, n_{i-1})$) the view lists the
cost of forward mode, reverse mode and the best order (with its bracketed expression), and
draws the cost of every bracketing, cheapest first. Costs come from
:mod:`bpkit.jacobian_chain`.
"""
import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from ..jacobian_chain import all_orders, forward_cost, optimal_order, reverse_cost
from .base import Control, GridExplorer, figure_html

#: The precomputed chains, each with what it shows: the chapter's two examples, then chains
#: whose best order differs. (A dropdown shows a space as a no-break space, so the labels,
#: which the site's browser test reads back, have none.)
CHAINS = {
    (1000, 100, 10, 1): "many inputs, one output",
    (1, 10, 100, 1000): "one input, many outputs",
    (1000, 1, 1000, 1, 1000): "two bottlenecks",
    (784, 256, 128, 10, 1): "a digit classifier's loss",
    (10, 1000, 1000, 1000, 10): "wide in the middle",
    (50, 5, 500, 5, 500, 5): "alternating",
    (30, 35, 15, 5, 10, 20, 25): "a textbook matrix chain",
}
MAX_FACTORS_DRAWN = 9   # 1430 bracketings of 9 factors; longer chains show the modes only


def parse_dims(text):
    """``"1000, 100, 10, 1"`` -> ``(1000, 100, 10, 1)``; a message instead of an error."""
    try:
        dims = tuple(int(t) for t in str(text).replace(";", ",").replace(" ", ",").split(",")
                     if t.strip())
    except ValueError:
        return None, f"could not read {text!r}: type whole numbers separated by commas"
    if len(dims) < 3 or min(dims) < 1 or max(dims) > 10**6 or len(dims) > 16:
        return None, ("a chain needs 3 to 16 positive dimensions (at most 1,000,000 each), "
                      f"received {list(dims)}")
    return dims, ""


def plot_orders(dims, figsize=(6.4, 3.6), dpi=80):
    """The cost of every bracketing of the chain, cheapest first, with the two modes marked."""
    orders = all_orders(dims)
    costs = np.array([o.cost for o in orders], float)
    L = len(dims) - 1
    fig = Figure(figsize=figsize, dpi=dpi)
    fig.subplots_adjust(left=0.13, right=0.97, bottom=0.14, top=0.91)   # no layout engine: faster
    ax = fig.subplots()
    ax.plot(np.arange(1, len(costs) + 1), costs, "o-" if len(costs) < 60 else "-",
            color="C7", ms=4, label="every bracketing, cheapest first")
    for cost, name, colour, marker in ((forward_cost(dims), "forward mode", "C1", "s"),
                                       (reverse_cost(dims), "reverse mode", "C0", "^"),
                                       (costs[0], "best order", "C2", "*")):
        rank = 1 + int(np.searchsorted(costs, cost))
        ax.plot([rank], [cost], marker, color=colour, ms=11, label=f"{name}: {int(cost):,}")
    ax.set_yscale("log")
    ax.set_xlabel(f"bracketing of the {L} factors, by rank ({len(costs)} in all)")
    ax.set_ylabel("scalar multiplications")
    ax.set_title("Cost of every order of " + ", ".join(map(str, dims)), fontsize=10)
    ax.legend(frameon=False, fontsize=8)
    return fig


def chain_view(chain, dims=None):
    """The view of one chain: the table of strategies and the plot of every order (HTML)."""
    note = ""
    if dims is not None:
        parsed, note = parse_dims(dims)
        chain = parsed if parsed else chain
    best = optimal_order(chain)
    fwd, rev = forward_cost(chain), reverse_cost(chain)
    rows = [("forward mode (right to left)", fwd), ("reverse mode (left to right)", rev),
            (f"best order: {best.expression}", best.cost)]
    right = "style='text-align:right'"
    table = "".join(f"<tr><td>{html.escape(name)}</td><td class='bpkit-cost' {right}>{c:,}</td>"
                    f"<td {right}>{c / best.cost:.3g}</td></tr>" for name, c in rows)
    what = f" ({html.escape(CHAINS[chain])})" if chain in CHAINS else ""
    out = (f"<p>{'<b>' + html.escape(note) + '</b><br>' if note else ''}Chain "
           f"n = {', '.join(map(str, chain))}{what}: {len(chain) - 1} factors, the Jacobian is "
           f"{chain[-1]} × {chain[0]}.</p><table><tr><th>strategy</th><th>multiplications</th>"
           f"<th>times the best</th></tr>{table}</table>")
    if len(chain) - 1 <= MAX_FACTORS_DRAWN:
        alt = (f"Log-scale plot of the cost of all {len(all_orders(chain))} bracketings of the "
               f"chain {', '.join(map(str, chain))}, cheapest first; forward mode costs "
               f"{fwd:,}, reverse mode {rev:,} and the best order {best.cost:,}.")
        out += figure_html(plot_orders(chain), alt)
    return out


def chain_explorer(chain=(1000, 1, 1000, 1, 1000)):
    """Return the chapter-13 chain explorer: a dropdown of chains, and a box for any dims."""
    labels = [",".join(map(str, dims)) for dims in CHAINS]
    controls = [Control("chain", "chain", list(CHAINS), labels=labels,
                        value=tuple(chain), kind="dropdown")]
    live = {"dims": widgets.Text(value="2, 30, 4, 50, 6", description="any dimensions",
                                 continuous_update=False)}
    return GridExplorer(controls, chain_view, notebook="book/13_forward_reverse_modes.ipynb",
                        live=live)
