r"""Chapter 14's explorer: Newton-CG against gradient descent, for a choice of CG steps and damping.

Each view is one run of :func:`bpkit.hvp.newton_cg` on the chapter's problem (the $[2, 8, 1]$
network on 100 two-moons points) with at most ``cg_iterations`` Hessian-vector products per
Newton step and the damping $\lambda$, drawn against the same run of gradient descent.
"""
import functools

import numpy as np
from matplotlib.figure import Figure

from ..data import two_moons
from ..hvp import gradient_descent, newton_cg
from ..network import Network
from .base import Control, GridExplorer, figure_html

NEWTON_STEPS, DESCENT_STEPS = 30, 2000


def problem():
    """The chapter's problem: the network and its data."""
    X, Y = two_moons(m=100, seed=0)
    return Network([2, 8, 1], activation="tanh", loss="binary_cross_entropy", seed=0), X, Y


@functools.lru_cache(maxsize=None)
def descent_losses():
    net, X, Y = problem()
    return tuple(h["loss"] for h in gradient_descent(net, X, Y, DESCENT_STEPS, lr=1.0)[1])


@functools.lru_cache(maxsize=None)
def newton_run(cg_iterations, damping):
    """(losses, Hessian-vector products so far) of each Newton-CG step."""
    net, X, Y = problem()
    history = newton_cg(net, X, Y, NEWTON_STEPS, cg_iterations=cg_iterations, damping=damping)[1]
    return tuple(h["loss"] for h in history), tuple(h["hvps"] for h in history)


def _first_below(losses, level):
    return next((i for i, c in enumerate(losses) if c < level), None)


def newton_view(cg_iterations, damping):
    """The table of one run against gradient descent, and the two loss curves (HTML)."""
    losses, hvps = newton_run(cg_iterations, damping)
    descent = descent_losses()
    reach = [_first_below(run, 0.01) for run in (losses, descent)]
    said = ["not within the run" if r is None else f"step {r}" for r in reach]
    table = (f"<p>Newton-CG with at most {cg_iterations} CG step(s) per Newton step and damping "
             f"λ = {damping:g}.</p><table><tr><th></th><th>steps</th><th>final loss</th>"
             f"<th>loss below 0.01 at</th><th>Hessian-vector products</th></tr>"
             f"<tr><td>Newton-CG</td><td>{NEWTON_STEPS}</td><td>{losses[-1]:.3e}</td>"
             f"<td>{said[0]}</td><td>{hvps[-1]}</td></tr>"
             f"<tr><td>gradient descent, lr = 1</td><td>{DESCENT_STEPS}</td>"
             f"<td>{descent[-1]:.3e}</td><td>{said[1]}</td><td>0</td></tr></table>")
    fig = Figure(figsize=(6.4, 3.4), dpi=80)
    fig.subplots_adjust(left=0.12, right=0.97, bottom=0.15, top=0.9)
    ax = fig.subplots()
    ax.semilogy(np.arange(len(losses)), losses, "o-", ms=3, color="C3", label="Newton-CG")
    ax.semilogy(np.arange(len(descent)), descent, color="C0", label="gradient descent")
    ax.set_xscale("symlog", linthresh=10)
    ax.set_xlabel("iteration")
    ax.set_ylabel("training loss")
    ax.set_title(f"CG steps ≤ {cg_iterations}, damping {damping:g}", fontsize=10)
    ax.legend(frameon=False, fontsize=9)
    alt = (f"Training loss on a log scale against iteration: Newton-CG (red, {NEWTON_STEPS} "
           f"steps) ends at {losses[-1]:.1e}, gradient descent (blue, {DESCENT_STEPS} steps) at "
           f"{descent[-1]:.1e}.")
    return table + figure_html(fig, alt)


def newton_explorer(cg_iterations=10, damping=1e-4):
    """Return the chapter-14 explorer: Newton-CG's CG steps and damping against descent."""
    controls = [
        Control("cg_iterations", "CG steps per Newton step", (1, 3, 10), value=cg_iterations,
                kind="toggle"),
        Control("damping", "damping λ", (1e-4, 1.0), labels=("0.0001", "1"),
                value=damping, kind="toggle"),
    ]
    return GridExplorer(controls, newton_view, notebook="book/14_hessian_vector_products.ipynb")
