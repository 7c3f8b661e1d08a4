r"""Chapter 13's second explorer: step through a JVP and a VJP on the same small network.

Forward mode carries a tangent $\dot a^l = (\partial a^l/\partial x)\,\dot x$ from the input
up (seeded with $\dot x = e_j$, it ends as column $j$ of the Jacobian); reverse mode carries
an adjoint $\bar a^l = (\partial a^L/\partial a^l)^T \bar a^L$ from the output down (seeded
with $\bar a^L = e_k$, it ends as row $k$). The steps come from
:func:`bpkit.vjp.forward_steps` and :func:`bpkit.vjp.reverse_steps`.
"""
import numpy as np

from ..network import Network
from ..vjp import forward_steps, reverse_steps
from .base import Control, GridExplorer, figure_html

#: What each step applies: the row of the rule table, in words.
RULES_IN_WORDS = {
    ("forward", "z"): "ż<sup>l</sup> = W<sup>l</sup> ȧ<sup>l-1</sup> (the matmul row; the bias has no tangent)",
    ("forward", "a"): "ȧ<sup>l</sup> = σ'(z<sup>l</sup>) ⊙ ż<sup>l</sup> (the activation row)",
    ("reverse", "z"): "z̄<sup>l</sup> = σ'(z<sup>l</sup>) ⊙ ā<sup>l</sup> (the activation row)",
    ("reverse", "a"): "ā<sup>l-1</sup> = (W<sup>l</sup>)<sup>T</sup> z̄<sup>l</sup> (the matmul row)",
}


def demo_network():
    """The explorer's network: sizes [3, 4, 2], tanh hidden units, sigmoid outputs, one input."""
    net = Network([3, 4, 2], activation="tanh", output="sigmoid", init="normal", seed=3)
    return net, np.array([[0.5], [-1.0], [0.8]])


def steps(mode, seed_unit):
    """``(name, value, carried)`` of every node, in the order the mode visits them."""
    net, x = demo_network()
    if mode == "forward":
        xdot = np.zeros((net.sizes[0], 1))
        xdot[seed_unit - 1] = 1.0
        return forward_steps(net, x, xdot)
    abar = np.zeros((net.sizes[-1], 1))
    abar[seed_unit - 1] = 1.0
    return reverse_steps(net, x, abar)


def plot_steps(mode, seed_unit, step, figsize=(6.4, 3.6), dpi=80):
    """The five nodes a0, z1, a1, z2, a2 as columns of units; those reached so far show what
    the mode carries (a tangent or an adjoint) in colour and as a number."""
    from matplotlib.figure import Figure

    order = steps(mode, seed_unit)
    names = ["a0", "z1", "a1", "z2", "a2"]
    reached = {name: carried for name, _, carried in order[:step]}
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    ax = fig.subplots()
    colour = "C1" if mode == "forward" else "C0"
    for col, name in enumerate(names):
        n = len(next(v for nm, v, _ in order if nm == name))
        ys = np.arange(n)[::-1] - (n - 1) / 2
        for row, yv in enumerate(ys):
            if name in reached:
                c = float(reached[name][row, 0])
                ax.scatter([col], [yv], s=900, color=colour, alpha=min(1.0, 0.15 + abs(c)),
                           edgecolor="k", zorder=3)
                ax.text(col, yv, f"{c:+.2f}", ha="center", va="center", fontsize=8, zorder=4)
            else:
                ax.scatter([col], [yv], s=900, color="white", edgecolor="0.6", zorder=3)
        ax.text(col, 2.6, name.replace("a", "a^").replace("z", "z^").join("$$"),
                ha="center", fontsize=12)
    arrow = "→ forward: a tangent of the input" if mode == "forward" else \
        "← reverse: an adjoint of the output"
    ax.set_title(f"{arrow}, step {step} of {len(order)}", fontsize=10)
    ax.set_xlim(-0.6, 4.6)
    ax.set_ylim(-2.5, 3.1)
    ax.axis("off")
    return fig


def modes_view(mode, seed_unit, step):
    """One step of one mode (HTML): what was just computed, and the picture so far."""
    order = steps(mode, seed_unit)
    name, value, carried = order[step - 1]
    if step == 1:
        rule = (f"seed: ẋ = e<sub>{seed_unit}</sub>" if mode == "forward"
                else f"seed: ā<sup>2</sup> = e<sub>{seed_unit}</sub>")
    else:
        rule = RULES_IN_WORDS[(mode, name[0])]
    what = "tangent" if mode == "forward" else "adjoint"
    vec = ", ".join(f"{v:+.4f}" for v in carried.ravel())
    text = (f"<p>Step {step}: {rule}.<br>The {what} of {name[0]}<sup>{name[1:]}</sup> is "
            f"<b>[{vec}]</b>.</p>")
    if step == len(order):
        text += ("<p>Done: one pass gave column " if mode == "forward" else
                 "<p>Done: one pass gave row ") + f"{seed_unit} of the 2 × 3 Jacobian ∂a<sup>2</sup>/∂x.</p>"
    alt = (f"The network's nodes a0, z1, a1, z2, a2 as columns of circles; {mode} mode has "
           f"reached {step} of them, each reached unit labelled with its {what}, "
           f"the last one {name} = [{vec}].")
    return text + figure_html(plot_steps(mode, seed_unit, step), alt)


def modes_explorer(mode="forward", seed_unit=1, step=1):
    """Return the chapter-13 explorer of forward and reverse mode on one small network."""
    controls = [
        Control("mode", "mode", ("forward", "reverse"), value=mode, kind="toggle"),
        Control("seed_unit", "seed: input (forward) or output (reverse)", (1, 2),
                value=seed_unit, kind="toggle"),
        Control("step", "step", (1, 2, 3, 4, 5), value=step),
    ]
    return GridExplorer(controls, modes_view, notebook="book/13_forward_reverse_modes.ipynb")
