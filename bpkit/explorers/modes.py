r"""Chapter 13's second explorer: step through a JVP and a VJP on the same small network.

Forward mode carries a tangent $\dot a^l = (\partial a^l/\partial x)\,\dot x$ from the input
up (seeded with $\dot x = e_j$, it ends as column $j$ of the Jacobian); reverse mode carries
an adjoint $\bar a^l = (\partial a^L/\partial a^l)^T \bar a^L$ from the output down (seeded
with $\bar a^L = e_k$, it ends as row $k$). The steps come from
:func:`bpkit.vjp.forward_steps` and :func:`bpkit.vjp.reverse_steps`.
"""
import functools

import numpy as np

from ..network import Network
from ..vjp import forward_steps, reverse_steps
from .base import Control, GridExplorer

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


@functools.lru_cache(maxsize=None)
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


def steps_table(mode, seed_unit, step):
    """The nodes a0, z1, a1, z2, a2 as columns of units (HTML); the ones reached so far show
    what the mode carries, shaded by its size, and the node just computed is outlined."""
    order = steps(mode, seed_unit)
    names = ["a0", "z1", "a1", "z2", "a2"]
    reached = {name: carried for name, _, carried in order[:step]}
    current = order[step - 1][0]
    rgb = "255, 127, 14" if mode == "forward" else "31, 119, 180"
    sizes = {name: len(value) for name, value, _ in order}
    head = "".join(f"<th>{n[0]}<sup>{n[1:]}</sup></th>" for n in names)
    rows = []
    for j in range(max(sizes.values())):
        cells = []
        for name in names:
            style = "padding:2px 8px;text-align:right;"
            if name == current:
                style += "border-left:2px solid #333;border-right:2px solid #333;"
            if j >= sizes[name]:
                cells.append(f"<td style='{style}'></td>")
            elif name in reached:
                c = float(reached[name][j, 0])
                shade = min(1.0, 0.1 + abs(c))
                cells.append(f"<td style='{style}background:rgba({rgb}, {shade:.2f})'>{c:+.3f}</td>")
            else:
                cells.append(f"<td style='{style}color:#767676'>·</td>")
        rows.append(f"<tr><th>unit {j + 1}</th>{''.join(cells)}</tr>")
    direction = ("→ forward: a tangent of the input, from a<sup>0</sup> up" if mode == "forward"
                 else "← reverse: an adjoint of the output, from a<sup>2</sup> down")
    return (f"<p>{direction}</p><table style='border-collapse:collapse'>"
            f"<tr><th></th>{head}</tr>{''.join(rows)}</table>")


def modes_view(mode, seed_unit, step):
    """One step of one mode (HTML): what was just computed, and the table so far."""
    order = steps(mode, seed_unit)
    name, value, carried = order[step - 1]
    if step == 1:
        rule = (f"seed: ẋ = e<sub>{seed_unit}</sub>" if mode == "forward"
                else f"seed: ā<sup>2</sup> = e<sub>{seed_unit}</sub>")
    else:
        rule = RULES_IN_WORDS[(mode, name[0])]
    what = "tangent" if mode == "forward" else "adjoint"
    vec = ", ".join(f"{v:+.4f}" for v in carried.ravel())
    text = (f"<p>Step {step} of {len(order)}: {rule}.<br>The {what} of "
            f"{name[0]}<sup>{name[1:]}</sup> is <b>[{vec}]</b>.</p>")
    if step == len(order):
        kind = "column" if mode == "forward" else "row"
        text += (f"<p>Done: one pass gave {kind} {seed_unit} of the 2 × 3 Jacobian "
                 "∂a<sup>2</sup>/∂x.</p>")
    return text + steps_table(mode, seed_unit, step)


def modes_explorer(mode="forward", seed_unit=1, step=1):
    """Return the chapter-13 explorer of forward and reverse mode on one small network."""
    controls = [
        Control("mode", "mode", ("forward", "reverse"), value=mode, kind="toggle"),
        Control("seed_unit", "seed: input (forward) or output (reverse)", (1, 2),
                value=seed_unit, kind="toggle"),
        Control("step", "step", (1, 2, 3, 4, 5), value=step),
    ]
    return GridExplorer(controls, modes_view, notebook="book/13_forward_reverse_modes.ipynb")
