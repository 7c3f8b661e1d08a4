r"""Chapter 5's explorer: nudge one unit's $z^l_j$ and compare the change of $C$ with $\delta^l_j\,\Delta z$.

The deltas come from a backward pass of a real :class:`bpkit.Network` (the recursion that
chapters 6 and 7 derive); the true change of the loss comes from re-running the forward
pass from layer $l$ with $z^l_j$ replaced by $z^l_j + \Delta z$ and everything above it
recomputed. Unit ``j`` is numbered from 1 as in the text (numpy row ``j - 1``).
"""
import ipywidgets as widgets
import numpy as np

from ..backprop import bp2, output_delta
from ..network import Network
from .cost import figure_png, img_html


def deltas(net, x, y):
    r"""The forward cache and $\delta^l = \partial C/\partial z^l$ for ``l = L..1``, as a dict.

    ``x`` is ``(n_0, 1)``, ``y`` is ``(n_L, 1)``. $\delta^L$ from the output layer, then each
    $\delta^l$ from $\delta^{l+1}$ (BP1 and BP2 of chapters 6 and 7).
    """
    cache = net.forward(x)
    L = net.L
    d = {L: output_delta(cache.z[L], cache.a[L], y, net.output, net.loss_fn)}
    for l in range(L - 1, 0, -1):
        d[l] = bp2(net.W[l + 1], d[l + 1], cache.z[l], net.activation, a=cache.a[l], layer=l)
    return cache, d


def loss_with_z(net, cache, y, l, z):
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
    return loss_with_z(net, cache, y, l, z)


def demo_network():
    """The explorer's network: sizes [2, 3, 3, 1], sigmoid, quadratic loss, one example."""
    net = Network([2, 3, 3, 1], activation="sigmoid", loss="quadratic", init="normal",
                  scale=1.5, seed=5)
    return net, np.array([[0.8], [-0.4]]), np.array([[1.0]])


def plot_nudge(net, cache, y, delta, l, row, dz, span=2.0, figsize=(6.4, 3.8)):
    r"""True $\Delta C$ against $\Delta z$ over ``[-span, span]`` with the line $\delta\,\Delta z$."""
    from matplotlib.figure import Figure

    C0 = nudged_loss(net, cache, y, l, row, 0.0)
    grid = np.linspace(-span, span, 161)
    true = [nudged_loss(net, cache, y, l, row, h) - C0 for h in grid]
    d = float(delta[l][row, 0])
    fig = Figure(figsize=figsize, dpi=100, layout="constrained")
    ax = fig.subplots()
    ax.plot(grid, true, color="C3", lw=2, label=r"true change $C(z+\Delta z) - C(z)$")
    ax.plot(grid, d * grid, "--", color="C0", lw=1.5,
            label=rf"$\delta^{{{l}}}_{{{row + 1}}}\,\Delta z$ (slope {d:.4f})")
    ax.plot([dz], [nudged_loss(net, cache, y, l, row, dz) - C0], "o", color="C3", ms=8)
    ax.plot([dz], [d * dz], "s", color="C0", ms=7)
    ax.axhline(0, color="0.8", lw=0.8)
    ax.axvline(0, color="0.8", lw=0.8)
    ax.set_xlabel(rf"nudge $\Delta z$ added to $z^{{{l}}}_{{{row + 1}}}$")
    ax.set_ylabel(r"change of the loss $\Delta C$")
    ax.set_title(rf"Nudging $z^{{{l}}}_{{{row + 1}}}$: true change and $\delta\,\Delta z$")
    ax.legend(frameon=False, fontsize=9)
    return fig


class DeltaExplorer(widgets.VBox):
    """Layer, unit and nudge controls; the numbers and the curve against the tangent line."""

    def __init__(self, l=1, j=1, dz=0.5):
        self.net, self.x, self.y = demo_network()
        self.cache, self.delta = deltas(self.net, self.x, self.y)
        self.C0 = self.net.loss(self.x, self.y)
        L = self.net.L
        self.l = widgets.IntSlider(value=l, min=1, max=L, description="layer l",
                                   continuous_update=False)
        self.j = widgets.IntSlider(value=j, min=1, max=self.net.sizes[l], description="unit j",
                                   continuous_update=False)
        self.dz = widgets.FloatSlider(value=dz, min=-2.0, max=2.0, step=0.01,
                                      description="nudge Δz", continuous_update=False,
                                      readout_format=".2f")
        self.summary = widgets.HTML()
        self.figure = widgets.HTML()
        super().__init__([widgets.HBox([self.l, self.j, self.dz]), self.summary, self.figure])
        self.l.observe(self._layer_changed, names="value")
        for w in (self.j, self.dz):
            w.observe(self._update, names="value")
        self._update()

    def _layer_changed(self, change):
        with self.j.hold_trait_notifications():
            self.j.max = self.net.sizes[self.l.value]
            self.j.value = min(self.j.value, self.j.max)
        self._update()

    def _update(self, change=None):
        l, row, dz = self.l.value, self.j.value - 1, self.dz.value
        self.d = float(self.delta[l][row, 0])
        self.true_change = nudged_loss(self.net, self.cache, self.y, l, row, dz) - self.C0
        self.predicted = self.d * dz
        gap = self.true_change - self.predicted
        self.summary.value = (
            f"<p>Network {self.net.sizes}, one example, loss C = {self.C0:.6f}. "
            f"δ<sup>{l}</sup><sub>{row + 1}</sub> = ∂C/∂z<sup>{l}</sup><sub>{row + 1}</sub> = "
            f"<b>{self.d:.6f}</b>.</p>"
            f"<p>Nudge Δz = {dz:+.2f}: true change of C = <b>{self.true_change:+.6f}</b>; "
            f"δ·Δz = <b>{self.predicted:+.6f}</b>; difference {gap:+.2e}.</p>"
        )
        fig = plot_nudge(self.net, self.cache, self.y, self.delta, l, row, dz)
        self.png = figure_png(fig)
        self.figure.value = img_html(
            self.png,
            f"A red curve of the true change of the loss as z^{l}_{row + 1} is nudged from -2 "
            f"to 2, and a dashed blue line through the origin with slope delta = "
            f"{self.d:.4f}. The line touches the curve at zero; at the chosen nudge "
            f"{dz:+.2f} the red dot is at {self.true_change:+.4f} and the blue square at "
            f"{self.predicted:+.4f}.",
        )


def delta_explorer(l=1, j=1, dz=0.5):
    """Return the chapter-5 explorer: nudge $z^l_j$ and compare $\\Delta C$ with $\\delta^l_j\\,\\Delta z$."""
    return DeltaExplorer(l=l, j=j, dz=dz)
