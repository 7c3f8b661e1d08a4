r"""Chapter 5's explorer: nudge one unit's $z^l_j$ and compare the change of $C$ with $\delta^l_j\,\Delta z$.

The deltas come from :meth:`bpkit.Network.deltas` (BP1 and BP2, which chapters 6 and 7
derive); the true change of the loss comes from re-running the forward pass from layer $l$
with $z^l_j$ replaced by $z^l_j + \Delta z$ and everything above it recomputed. Units are
numbered from 1 as in the text (numpy row ``j - 1``).
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from ..network import Network
from .base import Control, GridExplorer, figure_html

NUDGES = (-1.0, -0.1, 0.01, 0.1, 1.0)
#: The output layer and loss of each choice: the quadratic loss beside binary cross-entropy.
LOSSES = {"quadratic": ("sigmoid", "quadratic"),
          "cross-entropy": ("sigmoid", "binary_cross_entropy")}


def loss_with_z(net, y, l, z):
    """The loss when $z^l$ is replaced by ``z`` and every layer above ``l`` is recomputed."""
    for k in range(l, net.L + 1):
        if k > l:
            z = net.W[k] @ a + net.b[k]
        a = net.activation_of(k).f(z)
    if net.loss_fn.paired_with == net.output.name:
        return float(net.loss_fn.value_from_z(z, y))
    return float(net.loss_fn.value(a, y))


def nudged_loss(net, cache, y, l, row, dz):
    r"""The loss after $z^l_j \leftarrow z^l_j + \Delta z$ for numpy row ``row`` (= j - 1)."""
    z = cache.z[l].copy()
    z[row, 0] += dz
    return loss_with_z(net, y, l, z)


def demo_network(activation="sigmoid", loss="quadratic"):
    """The chapter's network: sizes [2, 3, 3, 1], one example; hidden ``activation``, and
    ``loss`` one of ``"quadratic"`` or ``"cross-entropy"`` (a sigmoid output either way)."""
    output, loss_name = LOSSES[loss]
    net = Network([2, 3, 3, 1], activation=activation, output=output, loss=loss_name,
                  init="normal", scale=1.5, seed=5)
    return net, np.array([[0.8], [-0.4]]), np.array([[1.0]])


def units(net):
    """Every unit of the network as ``(l, j)``, numbered from 1 as in the text."""
    return [(l, j) for l in range(1, net.L + 1) for j in range(1, net.sizes[l] + 1)]


def plot_nudge(net, cache, y, delta, l, row, dz=None, span=2.0, figsize=(6.4, 3.6), dpi=80):
    r"""True $\Delta C$ against $\Delta z$ over ``[-span, span]`` with the line $\delta\,\Delta z$."""
    C0 = nudged_loss(net, cache, y, l, row, 0.0)
    grid = np.linspace(-span, span, 161)
    true = [nudged_loss(net, cache, y, l, row, h) - C0 for h in grid]
    d = float(delta[l][row, 0])
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    ax = fig.subplots()
    ax.plot(grid, true, color="C3", lw=2, label=r"true change $C(z+\Delta z) - C(z)$")
    ax.plot(grid, d * grid, "--", color="C0", lw=1.5,
            label=rf"$\delta^{{{l}}}_{{{row + 1}}}\,\Delta z$ (slope {d:.4f})")
    if dz is not None:
        ax.plot([dz], [nudged_loss(net, cache, y, l, row, dz) - C0], "o", color="C3", ms=8)
        ax.plot([dz], [d * dz], "s", color="C0", ms=7)
    ax.axhline(0, color="0.8", lw=0.8)
    ax.axvline(0, color="0.8", lw=0.8)
    ax.set_xlabel(rf"nudge $\Delta z$ added to $z^{{{l}}}_{{{row + 1}}}$")
    ax.set_ylabel(r"change of the loss $\Delta C$")
    ax.set_title(rf"Nudging $z^{{{l}}}_{{{row + 1}}}$: true change and $\delta\,\Delta z$")
    ax.legend(frameon=False, fontsize=9)
    return fig


def nudge_view(activation, loss, unit, dz=None):
    """The explorer's view of one unit: delta, a table of nudges, and the curve (HTML)."""
    net, x, y = demo_network(activation, loss)
    cache = net.forward(x)
    delta = net.deltas(cache, y)
    l, j = unit
    d = float(delta[l][j - 1, 0])
    C0 = net.loss_from_cache(cache, y)
    nudges = NUDGES if dz is None else (dz,)
    rows = "".join(
        f"<tr><td>{h:+g}</td><td>{nudged_loss(net, cache, y, l, j - 1, h) - C0:+.6f}</td>"
        f"<td>{d * h:+.6f}</td></tr>" for h in nudges)
    table = (f"<p>Network {net.sizes}, {activation} hidden units, {loss} loss, one example: "
             f"C = {C0:.6f}. δ<sup>{l}</sup><sub>{j}</sub> = ∂C/∂z<sup>{l}</sup><sub>{j}</sub>"
             f" = <b>{d:.6f}</b>.</p><table><tr><th>nudge Δz</th><th>true change of C</th>"
             f"<th>δ·Δz</th></tr>{rows}</table>")
    fig = plot_nudge(net, cache, y, delta, l, j - 1, dz)
    alt = (f"A red curve of the true change of the loss as z^{l}_{j} is nudged from -2 to 2, "
           f"and a dashed blue line through the origin with slope delta = {d:.4f}, the "
           "tangent of the curve at zero.")
    return table + figure_html(fig, alt)


def delta_explorer(activation="sigmoid", loss="quadratic", unit=(1, 1)):
    r"""Return the chapter-5 explorer: nudge $z^l_j$ and compare $\Delta C$ with $\delta^l_j\,\Delta z$."""
    net, _, _ = demo_network()
    all_units = units(net)
    controls = [
        Control("activation", "hidden activation", ("sigmoid", "tanh", "relu"),
                value=activation, kind="toggle"),
        Control("loss", "loss", tuple(LOSSES), value=loss, kind="toggle"),
        Control("unit", "unit", all_units, labels=[f"z^{l}_{j}" for l, j in all_units],
                value=tuple(unit), kind="dropdown"),
    ]
    live = {"dz": widgets.FloatText(value=0.5, step=0.05, description="any nudge Δz")}
    return GridExplorer(controls, nudge_view, notebook="book/05_delta_terms.ipynb", live=live)
