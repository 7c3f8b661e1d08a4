r"""Chapter 7's explorer and figure: the backward recursion of a small network, step by step.

Each step of the explorer is one stage of the recursion: BP1 at the output layer, then for
each hidden layer $l = L-1, \dots, 1$ the two stages of BP2,

$$g^l = (W^{l+1})^T \delta^{l+1} \quad\text{(back across the weights)}, \qquad
\delta^l = g^l \odot \sigma'(z^l) \quad\text{(through the slope)},$$

each shown as matrices of numbers with their shapes. The numbers come from
:meth:`bpkit.Network.deltas` (the deltas) and from the same arrays it uses (the stages).
Rows and columns are numbered from 1 as in the text (numpy row ``j - 1``).
"""
import html

import numpy as np
from matplotlib.figure import Figure

from ..network import Network
from .base import Control, GridExplorer

SIZES = (2, 4, 4, 3, 2)
HIDDEN = ("sigmoid", "tanh", "relu")
BATCHES = (1, 3)


def demo_network(activation="sigmoid", m=1):
    """The chapter's network ``[2, 4, 4, 3, 2]`` (sigmoid output, quadratic loss) and a batch
    of ``m`` examples ``(X, Y)``, stored as columns."""
    net = Network(list(SIZES), activation=activation, output="sigmoid", loss="quadratic",
                  init="normal", scale=1.0, seed=2)
    rng = np.random.default_rng(3)
    X = rng.standard_normal((SIZES[0], max(BATCHES)))[:, :m]
    Y = rng.uniform(0, 1, (SIZES[-1], max(BATCHES)))[:, :m]
    return net, X, Y


def steps(net):
    """The steps of the recursion, in order: ``("bp1", L)``, then ``("across", l)`` and
    ``("slope", l)`` for ``l = L-1, ..., 1``."""
    out = [("bp1", net.L)]
    for l in range(net.L - 1, 0, -1):
        out += [("across", l), ("slope", l)]
    return out


def step_label(step):
    kind, l = step
    return {"bp1": f"BP1: δ^{l}", "across": f"(W^{l + 1})ᵀ δ^{l + 1}",
            "slope": f"⊙ σ'(z^{l}) = δ^{l}"}[kind]


_TH = "font-size:.75em;color:#555;font-weight:normal;padding:0 .3em"
_CAPTION = "caption-side:top;white-space:nowrap;padding-bottom:.2em"


def _td(value, first, last):
    # the left and right borders of the number block draw the matrix brackets
    edge = ("border-left:2px solid #333;" if first else "") + \
           ("border-right:2px solid #333;" if last else "")
    return (f"<td style='{edge}padding:.1em .45em;text-align:right;"
            f"font-family:monospace'>{value:+.4g}</td>")


def matrix_html(A, name, label):
    """A matrix as a table with its name, shape and 1-based row and column numbers.

    ``name`` (plain text) goes in ``data-matrix`` for tests; ``label`` is its HTML caption.
    """
    A = np.atleast_2d(A)
    n, k = A.shape
    head = "".join(f"<th scope='col' style='{_TH}'>{c + 1}</th>" for c in range(k))
    body = "".join(
        f"<tr><th scope='row' style='{_TH}'>{r + 1}</th>"
        + "".join(_td(A[r, c], c == 0, c == k - 1) for c in range(k)) + "</tr>"
        for r in range(n))
    return (f"<table class='bpkit-matrix' data-matrix='{html.escape(name)}' "
            f"style='border-collapse:collapse'>"
            f"<caption style='{_CAPTION}'>{label}<br><small>shape ({n}, {k})</small></caption>"
            f"<tr><th scope='col' style='{_TH}'></th>{head}</tr>{body}</table>")


def _equation(*parts):
    cells = "".join(f"<div style='display:inline-block;vertical-align:middle;margin:0 .4em'>"
                    f"{p}</div>" for p in parts)
    return f"<div style='overflow-x:auto'>{cells}</div>"


def _op(symbol):
    return f"<span style='font-size:1.6em'>{symbol}</span>"


def sup(text, s):
    return f"{text}<sup>{s}</sup>"


def stages(net, cache, Y):
    """Every array of the recursion: ``delta[l]`` (from ``net.deltas``), ``g[l]`` =
    $(W^{l+1})^T\\delta^{l+1}$ and ``slope[l]`` = $\\sigma'(z^l)$ for the hidden layers."""
    delta = net.deltas(cache, Y)
    g = {l: net.W[l + 1].T @ delta[l + 1] for l in range(1, net.L)}
    slope = {l: net.activation.df(cache.z[l], cache.a[l]) for l in range(1, net.L)}
    return delta, g, slope


def backward_view(activation, m, step):
    """One view of the explorer: the arrays of one step, and the deltas known so far (HTML)."""
    net, X, Y = demo_network(activation, m)
    cache = net.forward(X)
    delta, g, slope = stages(net, cache, Y)
    order = steps(net)
    k = order.index(step)
    kind, l = step
    d = "δ"
    if kind == "bp1":
        L = net.L
        aL, y = cache.a[L], Y
        text = (f"<p><b>Step {k + 1} of {len(order)}: BP1 at the output layer {L}.</b> "
                f"δ<sup>{L}</sup> = (a<sup>{L}</sup> − y) ⊙ σ'(z<sup>{L}</sup>) for the "
                "quadratic loss and the sigmoid output; one column per example.</p>")
        eq = _equation(
            matrix_html(aL - y, f"a{L}-y", f"a<sup>{L}</sup> − y"), _op("⊙"),
            matrix_html(net.output.df(cache.z[L], aL), f"slope{L}", f"σ'(z<sup>{L}</sup>)"),
            _op("="), matrix_html(delta[L], f"delta{L}", sup(d, L)))
    elif kind == "across":
        n_next, n = net.W[l + 1].shape
        text = (f"<p><b>Step {k + 1} of {len(order)}: layer {l}, first stage, back across the "
                f"weights.</b> W<sup>{l + 1}</sup> is ({n_next}, {n}): it maps layer {l} to "
                f"layer {l + 1}. Its transpose, ({n}, {n_next}), maps the error of layer "
                f"{l + 1} back to the {n} units of layer {l}. Entry j of the result is "
                f"Σ<sub>i</sub> W<sup>{l + 1}</sup><sub>ij</sub> δ<sup>{l + 1}</sup><sub>i</sub>:"
                f" the error of every unit i that unit j feeds, weighted by the connection.</p>")
        eq = _equation(
            matrix_html(net.W[l + 1].T, f"W{l + 1}T", f"(W<sup>{l + 1}</sup>)<sup>T</sup>"),
            matrix_html(delta[l + 1], f"delta{l + 1}", sup(d, l + 1)), _op("="),
            matrix_html(g[l], f"g{l}", f"(W<sup>{l + 1}</sup>)<sup>T</sup> δ<sup>{l + 1}</sup>"
                        f" = ∂C/∂a<sup>{l}</sup>"))
    else:
        text = (f"<p><b>Step {k + 1} of {len(order)}: layer {l}, second stage, through the "
                f"slope.</b> Each entry is multiplied by the slope σ'(z<sup>{l}</sup>) of its "
                f"own unit ({activation}); a unit with a small slope passes little error "
                "down.</p>")
        eq = _equation(
            matrix_html(g[l], f"g{l}", f"(W<sup>{l + 1}</sup>)<sup>T</sup> δ<sup>{l + 1}</sup>"),
            _op("⊙"), matrix_html(slope[l], f"slope{l}", f"σ'(z<sup>{l}</sup>)"), _op("="),
            matrix_html(delta[l], f"delta{l}", sup(d, l)))
    done = {s[1] for s in order[:k + 1] if s[0] in ("bp1", "slope")}
    known = ", ".join(
        (f"δ<sup>{j}</sup> ({net.sizes[j]}, {m}) norm {np.linalg.norm(delta[j]):.4f}"
         if j in done else f"δ<sup>{j}</sup> not yet") for j in range(net.L, 0, -1))
    return (f"<p>Network {list(net.sizes)}, {activation} hidden units, batch of m = {m}.</p>"
            + text + eq + f"<p>Deltas so far: {known}.</p>")


def backward_explorer(activation="sigmoid", m=1, step=None):
    """Return chapter 7's explorer: step through BP1 and BP2, layer by layer, as matrices."""
    net, _, _ = demo_network()
    order = steps(net)
    controls = [
        Control("step", "step", order, labels=[step_label(s) for s in order],
                value=order[0] if step is None else step, kind="slider"),
        Control("activation", "hidden activation", HIDDEN, value=activation, kind="toggle"),
        Control("m", "examples m", BATCHES, value=m, kind="toggle"),
    ]
    return GridExplorer(controls, backward_view, notebook="book/07_bp2_backward.ipynb")


# -- the figure: how big the error is after each stage ----------------------------------------

def stage_norms(net, X, Y):
    """``[(label, norm)]`` of $\\delta^L$, then $g^l$ and $\\delta^l$ for ``l = L-1..1``."""
    delta, g, _ = stages(net, net.forward(X), Y)
    out = [(f"$\\delta^{{{net.L}}}$", float(np.linalg.norm(delta[net.L])))]
    for l in range(net.L - 1, 0, -1):
        out += [(f"$g^{{{l}}}$", float(np.linalg.norm(g[l]))),
                (f"$\\delta^{{{l}}}$", float(np.linalg.norm(delta[l])))]
    return out


def plot_stage_norms(runs, figsize=(6.4, 3.6), dpi=80):
    """The norm after each stage of the recursion, one line per ``runs[label] = stage_norms``."""
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    ax = fig.subplots()
    for (label, norms), marker in zip(runs.items(), "os^"):
        ax.semilogy(range(len(norms)), [v for _, v in norms], marker=marker, lw=1.5,
                    label=label)
    names = [n for n, _ in next(iter(runs.values()))]
    ax.set_xticks(range(len(names)), names)
    ax.set_xlabel(r"stage of the backward pass ($g^l = (W^{l+1})^T\delta^{l+1}$)")
    ax.set_ylabel("norm (log scale)")
    ax.set_title("The size of the error after each stage")
    ax.legend(frameon=False, fontsize=9)
    return fig

