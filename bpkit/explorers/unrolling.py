r"""Chapter 10's explorer: activation x weight gain -> $\lVert\delta^l\rVert$ per layer, log scale.

A deep network of ``DEPTH`` layers of ``WIDTH`` units, weights of standard deviation
$g/\sqrt{n}$ (the gain $g$; $g = 1$ is Xavier's and $g = \sqrt 2$ He's for square layers),
identity output and quadratic loss. Each view shows the measured $\lVert\delta^l\rVert /
\lVert\delta^L\rVert$ for every layer beside the worst-case bound
$\prod_k s_{\max}\lVert W^{k+1}\rVert_2$ of :func:`bpkit.unrolling.spectral_bounds`.
"""
import numpy as np

from ..network import Network
from ..unrolling import delta_norms, spectral_bounds
from .base import Control, GridExplorer, figure_html

DEPTH, WIDTH, BATCH = 30, 32, 64
ACTIVATIONS = ("sigmoid", "tanh", "relu")
GAINS = (0.5, 1.0, 1.41, 2.0, 4.0, 8.0, 16.0)


def deep_network(activation, gain, depth=DEPTH, width=WIDTH, seed=0):
    """The explorer's network and a batch: ``depth`` layers of ``width`` units, gain ``gain``."""
    net = Network([width] * (depth + 1), activation=activation, output="identity",
                  loss="quadratic", init="xavier", scale=gain, seed=seed)
    rng = np.random.default_rng(seed + 1)
    return net, rng.standard_normal((width, BATCH)), rng.standard_normal((width, BATCH))


def plot_delta_norms(curves, bound=None, title=None, figsize=(6.4, 3.6), dpi=80):
    r"""$\lVert\delta^l\rVert / \lVert\delta^L\rVert$ against $l$ on a log scale.

    ``curves`` is ``{label: norms}`` (norms per layer, entry ``l - 1`` for layer ``l``);
    ``bound`` an optional array of the same length, drawn dashed.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    ax = fig.subplots()
    for k, (label, norms) in enumerate(curves.items()):
        layers = np.arange(1, len(norms) + 1)
        ax.semilogy(layers, norms / norms[-1], "o-", ms=3, color=f"C{k}", label=label)
    if bound is not None:
        ax.semilogy(np.arange(1, len(bound) + 1), bound, "--", color="0.4",
                    label=r"bound $\prod_k s_{\max}\,\|W^{k+1}\|_2$")
    ax.axhline(1.0, color="0.8", lw=0.8)
    ax.set_xlabel("layer $l$ (the output layer is on the right)")
    ax.set_ylabel(r"$\|\delta^l\| \,/\, \|\delta^L\|$")
    ax.set_title(title or "The error per layer, relative to the output layer")
    ax.legend(frameon=False, fontsize=8)
    return fig


def unrolling_view(activation, gain):
    """One view: the figure and the numbers of one activation and gain (HTML)."""
    net, X, Y = deep_network(activation, gain)
    norms = delta_norms(net, X, Y)
    bounds = spectral_bounds(net)
    ratio = norms[0] / norms[-1]
    per_layer = ratio ** (1 / (net.L - 1))
    word = "vanishes" if ratio < 1e-2 else ("explodes" if ratio > 1e2 else "survives")
    text = (f"<p>{net.L} {activation} layers of {WIDTH} units, weight std {gain:g}/√{WIDTH}. "
            f"‖δ<sup>1</sup>‖ / ‖δ<sup>{net.L}</sup>‖ = <b>{ratio:.3g}</b>: about "
            f"×{per_layer:.3g} per layer, so the error <b>{word}</b>. Bound from the spectral "
            f"norms: {bounds[0]:.3g}.</p>")
    fig = plot_delta_norms({f"measured, {activation}, gain {gain:g}": norms}, bounds,
                           title=f"{activation}, gain {gain:g}: the error per layer")
    alt = (f"Log-scale plot of the error norm of each of the {net.L} layers divided by that of "
           f"the output layer, for {activation} units with weight gain {gain:g}: it is 1 at "
           f"layer {net.L} and {ratio:.2g} at layer 1, about {per_layer:.3g} times per layer; "
           f"a dashed line shows the spectral-norm bound, {bounds[0]:.2g} at layer 1.")
    return text + figure_html(fig, alt)


def unrolling_explorer(activation="sigmoid", gain=1.0):
    """Return the chapter-10 explorer: activation and weight gain -> the error per layer."""
    controls = [
        Control("activation", "hidden activation", ACTIVATIONS, value=activation,
                kind="toggle"),
        Control("gain", "weight gain g (std g/√n)", GAINS, labels=[f"{g:g}" for g in GAINS],
                value=gain),
    ]
    return GridExplorer(controls, unrolling_view, notebook="book/10_vanishing_exploding.ipynb")
