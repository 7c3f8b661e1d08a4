r"""Chapter 8's explorer: $\partial C/\partial W^l$ as a heat map, built as $\delta^l (a^{l-1})^T$.

For one example the gradient of layer $l$'s weights is the outer product of the column
$\delta^l$ with the row $(a^{l-1})^T$ (BP4); for a batch it is $\frac1m \Delta^l (A^{l-1})^T$,
the mean of the examples' outer products. The demonstration network is a small ReLU network
with four examples in which, as in any ReLU network, some units are off for some examples
(their $\delta$ is 0, their $a$ is 0); unit 5 of layer 1 and unit 3 of layer 2 are off for
all four. Units are numbered from 1 as in the text (numpy row ``j - 1``).
"""
import numpy as np

from ..network import Network
from .base import Control, GridExplorer, figure_html

EXAMPLES = (1, 2, 3, 4, "all")


def demo_network():
    """The chapter's network, sizes [3, 5, 4, 2] with ReLU units and a softmax output, and a
    batch of four examples ``X`` (3, 4) whose third input is 0 in examples 1 and 3, with
    targets ``Y`` (2, 4)."""
    net = Network([3, 5, 4, 2], activation="relu", loss="cross_entropy", init="he", seed=1)
    rng = np.random.default_rng(1)
    X = rng.uniform(0, 1, (3, 4))
    X[2, [0, 2]] = 0.0
    Y = np.array([[1.0, 0.0, 0.0, 1.0], [0.0, 1.0, 1.0, 0.0]])
    return net, X, Y


def outer_parts(net, X, Y, l, example):
    r"""``(left, right, dW)`` for layer ``l``: $\delta^l$ and $(a^{l-1})^T$ of one example
    (numbered from 1) with their outer product, or, for ``example="all"``, $\Delta^l$,
    $(A^{l-1})^T$ and $\frac1m \Delta^l (A^{l-1})^T$; ``dW`` is always BP4's result."""
    from ..backprop import bp4

    cache = net.forward(X)
    delta = net.deltas(cache, Y)
    if example == "all":
        cols = slice(None)
    else:
        cols = slice(example - 1, example)
    D, A = delta[l][:, cols], cache.a[l - 1][:, cols]
    return D, A.T, bp4(D, A, layer=l)


def _heat(ax, M, title, vmax, xlabel=None, ylabel=None, row_names=None, col_names=None):
    ax.imshow(M, cmap="RdBu_r", vmin=-vmax, vmax=vmax, aspect="equal")
    for (i, j), v in np.ndenumerate(M):
        ax.text(j, i, "0" if v == 0 else f"{v:.2f}", ha="center", va="center",
                fontsize=6.5, color="black" if abs(v) < 0.6 * vmax else "white")
    ax.set_xticks(range(M.shape[1]), col_names or [str(k + 1) for k in range(M.shape[1])],
                  fontsize=7)
    ax.set_yticks(range(M.shape[0]), row_names or [str(j + 1) for j in range(M.shape[0])],
                  fontsize=7)
    ax.tick_params(length=0)
    ax.set_title(title, fontsize=9)
    if xlabel:
        ax.set_xlabel(xlabel, fontsize=8)
    if ylabel:
        ax.set_ylabel(ylabel, fontsize=8)


def plot_outer(net, X, Y, l, example, figsize=(6.4, 3.6), dpi=80):
    r"""Three heat maps side by side: $\delta^l$, $(a^{l-1})^T$ and $\partial C/\partial W^l$."""
    from matplotlib.figure import Figure

    D, AT, dW = outer_parts(net, X, Y, l, example)
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    one = example != "all"
    widths = [D.shape[1] + 0.6, AT.shape[1] + 0.6, dW.shape[1] + 0.6]
    axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": widths})
    examples = [str(example)] if one else [str(i + 1) for i in range(D.shape[1])]
    _heat(axes[0], D, rf"$\delta^{{{l}}}$", max(np.abs(D).max(), 1e-12),
          xlabel="example", ylabel=f"unit j of layer {l}", col_names=examples)
    _heat(axes[1], AT, rf"$(a^{{{l - 1}}})^T$", max(np.abs(AT).max(), 1e-12),
          xlabel=f"unit k of layer {l - 1}", ylabel="example", row_names=examples)
    how = r"$\delta\,a^T$" if one else r"$\frac{1}{m}\Delta A^T$"
    _heat(axes[2], dW, rf"$\partial C/\partial W^{{{l}}}$ = {how}",
          max(np.abs(dW).max(), 1e-12), xlabel="k (source)", ylabel="j (destination)")
    which = f"example {example}" if one else f"mean of the {D.shape[1]} examples"
    fig.suptitle(f"Layer {l}, {which}", fontsize=10)
    return fig


def _zero_lines(M, axis):
    return [int(i) + 1 for i in np.flatnonzero(np.all(M == 0, axis=axis))]


def outer_view(l, example):
    """The explorer's view: the three heat maps and which rows and columns are zero (HTML)."""
    net, X, Y = demo_network()
    D, AT, dW = outer_parts(net, X, Y, l, example)
    rows, cols = _zero_lines(dW, 1), _zero_lines(dW, 0)
    names = lambda units: ", ".join(map(str, units)) if units else "none"  # noqa: E731
    which = f"example {example}" if example != "all" else "the batch of 4 (the mean)"
    text = (f"<p>Layer {l}, {which}: ∂C/∂W<sup>{l}</sup> has shape {dW.shape} "
            f"(n<sub>{l}</sub>, n<sub>{l - 1}</sub>). Rows that are entirely 0 (units j of "
            f"layer {l} whose δ is 0): <b>{names(rows)}</b>. Columns that are entirely 0 "
            f"(units k of layer {l - 1} whose activation is 0): <b>{names(cols)}</b>. "
            f"Largest |entry|: {np.abs(dW).max():.4f}.</p>")
    fig = plot_outer(net, X, Y, l, example)
    alt = (f"Three heat maps for layer {l}, {which}: the errors delta of layer {l}, the "
           f"activations of layer {l - 1} laid out as rows, and their product, the weight "
           f"gradient of shape {dW.shape}; white cells are zero, and the zero rows "
           f"({names(rows)}) and zero columns ({names(cols)}) of the gradient line up with "
           "the zero errors and zero activations.")
    return text + figure_html(fig, alt)


def outer_explorer(layer=1, example=1):
    r"""Return the chapter-8 explorer: $\partial C/\partial W^l$ as the outer product of
    $\delta^l$ and $a^{l-1}$, per example or as the batch mean."""
    net, _, _ = demo_network()
    controls = [
        Control("l", "layer l", list(range(1, net.L + 1)), value=layer, kind="toggle"),
        Control("example", "example", list(EXAMPLES),
                labels=["1", "2", "3", "4", "all 4 (mean)"], value=example, kind="toggle"),
    ]
    return GridExplorer(controls, outer_view, notebook="book/08_bp3_bp4_parameters.ipynb")


# -- slow learning: the figure of section "Why a weight learns slowly" ------------------------

def dead_units(net, X, l):
    """Units of layer ``l`` (numbered from 1) whose $z^l_j \\le 0$ on every example of ``X``:
    ReLU units that are off for the whole data set, so that $\\delta^l_j = 0$ on every one."""
    z = net.forward(X).z[l]
    return [int(j) + 1 for j in np.flatnonzero(np.all(z <= 0, axis=1))]


def zero_inputs(X):
    """Inputs (numbered from 1) that are 0 in every example (column) of ``X``."""
    return [int(k) + 1 for k in np.flatnonzero(np.all(X == 0, axis=1))]


def plot_weight_motion(W_before, W_after, title, figsize=(6.4, 3.6), dpi=80):
    r"""How far each weight moved, $|W_{jk}^{after} - W_{jk}^{before}|$, as a heat map on a log
    scale; weights that did not move at all are drawn white."""
    from matplotlib.colors import LogNorm
    from matplotlib.figure import Figure

    moved = np.abs(np.asarray(W_after) - np.asarray(W_before))
    shown = np.ma.masked_equal(moved, 0.0)
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    ax = fig.subplots()
    cmap = __import__("matplotlib").colormaps["viridis"].with_extremes(bad="white")
    image = ax.imshow(shown, cmap=cmap, norm=LogNorm(vmin=max(shown.min(), 1e-6),
                                                      vmax=shown.max()),
                      aspect="auto", interpolation="nearest")
    fig.colorbar(image, ax=ax, label="|change of the weight|")
    n, k = moved.shape
    ax.set_xticks([0, k - 1], ["1", str(k)])
    ax.set_yticks([0, n - 1], ["1", str(n)])
    ax.set_xlabel("k: input unit (source)")
    ax.set_ylabel("j: unit of the layer (destination)")
    ax.set_title(title, fontsize=10)
    return fig
