r"""Chapter 6's explorer and figures: $\delta^L$ against $z^L$ for a choice of output
activation and loss, and the learning slowdown of a saturated sigmoid output.

Every $\delta^L$ here comes from :func:`bpkit.output_delta` (BP1, or the $a^L - y$ shortcut
of a paired output and loss). A softmax output is shown with two units, $z^L = (z, 0)$, and
the curves are those of unit 1; its target is $y = (y_1, 1 - y_1)$.
"""
import numpy as np
from matplotlib.figure import Figure

from ..activations import get_activation
from ..backprop import output_delta
from ..losses import get_loss
from ..network import Network
from .base import Control, GridExplorer, figure_html

OUTPUTS = ("sigmoid", "tanh", "identity", "softmax")
LOSS_NAMES = {"quadratic": "quadratic", "binary_cross_entropy": "binary cross-entropy",
              "cross_entropy": "cross-entropy"}
#: The z^L of the curves, and the few at which the explorer prints the numbers.
Z = np.linspace(-8.0, 8.0, 321)
Z_TABLE = (-6.0, -3.0, 0.0, 3.0, 6.0)


def undefined_reason(activation, loss):
    """Why a loss cannot be used with an output activation, or None if it can."""
    if loss in ("binary_cross_entropy", "cross_entropy") and activation in ("tanh", "identity"):
        outputs = "(-1, 1)" if activation == "tanh" else "all real numbers"
        return (f"The {LOSS_NAMES[loss]} takes the logarithm of the output, which must be a "
                f"probability in (0, 1); a {activation} output ranges over {outputs}, so the "
                "loss is not defined for it.")
    return None


def output_columns(activation, z, y):
    """$z^L$, $a^L$ and the target as ``(n_L, N)`` arrays for the scalars ``z`` (an array)."""
    z = np.atleast_1d(np.asarray(z, dtype=float))
    if activation == "softmax":
        Z2 = np.vstack([z, np.zeros_like(z)])
        Y = np.vstack([np.full_like(z, y), np.full_like(z, 1.0 - y)])
    else:
        Z2, Y = z.reshape(1, -1), np.full((1, z.size), float(y))
    return Z2, get_activation(activation).f(Z2), Y


def bp1_factors(activation, loss, z, y):
    r"""At each ``z``: unit 1's $a^L$, $\partial C/\partial a^L_1$, $\partial a^L_1/\partial z^L_1$
    and $\delta^L_1$.

    For a softmax output, the middle factors are those of unit 1 alone; its $\delta^L_1$ also
    collects the path through unit 2, so it is not their product.
    """
    Z2, A, Y = output_columns(activation, z, y)
    loss_fn = get_loss(loss)
    grad_a = loss_fn.grad_a(A, Y)[0]
    if activation == "softmax":
        slope = A[0] * (1.0 - A[0])          # the diagonal entry of the softmax Jacobian
    else:
        slope = get_activation(activation).df(Z2, A)[0]
    delta = output_delta(Z2, A, Y, activation, loss_fn)[0]
    return A[0], grad_a, slope, delta


def plot_delta_curve(activation, loss, y, figsize=(6.4, 3.6), dpi=80):
    r"""$\delta^L$ against $z^L$ (thick), with $a^L - y$ and the slope $\partial a^L/\partial z^L$.
    """
    a, _, slope, delta = bp1_factors(activation, loss, Z, y)
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    ax = fig.subplots()
    if activation != "identity":
        flat = slope < 0.01
        ax.fill_between(Z, 0, 1, where=flat, transform=ax.get_xaxis_transform(),
                        color="0.9", label=r"saturated: slope $< 0.01$")
    ax.plot(Z, a - y, "--", color="C7", lw=1.2, label=r"$a^L - y$ (how wrong the output is)")
    ax.plot(Z, slope, ":", color="C2", lw=1.6, label=r"slope $\partial a^L/\partial z^L$")
    ax.plot(Z, delta, color="C3", lw=2.4, label=r"$\delta^L = \partial C/\partial z^L$")
    ax.axhline(0, color="0.6", lw=0.8)
    if activation != "identity":
        ax.set_ylim(-1.3, 1.3)
    unit = " (unit 1 of 2)" if activation == "softmax" else ""
    ax.set_xlabel(rf"weighted input $z^L${unit}")
    ax.set_ylabel("value")
    ax.set_title(f"{activation} output, {LOSS_NAMES[loss]} loss, target y = {y:g}")
    ax.legend(frameon=False, fontsize=8, loc="best")
    return fig


def plot_pairings(y=0.0, figsize=(6.4, 3.6), dpi=80):
    r"""$\delta^L$ of a sigmoid output against $z^L$ under the quadratic loss and under binary
    cross-entropy, beside the error $a^L - y$ (target ``y``)."""
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    ax = fig.subplots()
    a, _, slope, quad = bp1_factors("sigmoid", "quadratic", Z, y)
    bce = bp1_factors("sigmoid", "binary_cross_entropy", Z, y)[3]
    ax.fill_between(Z, 0, 1, where=slope < 0.01, transform=ax.get_xaxis_transform(),
                    color="0.9", label=r"saturated: $\sigma'(z) < 0.01$")
    ax.plot(Z, a - y, "--", color="C7", lw=1.2, label=r"$a^L - y$")
    ax.plot(Z, bce, color="C0", lw=2.4, label=r"$\delta^L$, binary cross-entropy")
    ax.plot(Z, quad, color="C3", lw=2.4, label=r"$\delta^L$, quadratic")
    ax.axhline(0, color="0.6", lw=0.8)
    ax.set_xlabel(r"weighted input $z^L$")
    ax.set_ylabel(r"$\delta^L$")
    ax.set_title(f"Sigmoid output, target y = {y:g}: the two losses")
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return fig


_CELL = "padding:.15em .6em;text-align:right;font-family:monospace"


def _row(values, fmt="{:+.4g}"):
    return "".join(f"<td style='{_CELL}'>{fmt.format(v)}</td>" for v in values)


def delta_view(activation, loss, y):
    """One view of the explorer: the curve of $\\delta^L$ and a table of its factors (HTML)."""
    reason = undefined_reason(activation, loss)
    if reason:
        return f"<p><b>Not defined.</b> {reason}</p>"
    zs = np.array(Z_TABLE)
    a, grad_a, slope, delta = bp1_factors(activation, loss, zs, y)
    head = "".join(f"<th scope='col' style='{_CELL}'>z = {z:+g}</th>" for z in zs)
    rows = [("output a<sup>L</sup>", a), ("∂C/∂a<sup>L</sup>", grad_a),
            ("slope ∂a<sup>L</sup>/∂z<sup>L</sup>", slope),
            ("δ<sup>L</sup> (BP1)", delta)]
    body = "".join(f"<tr><th scope='row' style='text-align:left'>{name}</th>{_row(v)}</tr>"
                   for name, v in rows)
    table = f"<table><tr><th scope='col'>unit 1</th>{head}</tr>{body}</table>"
    note = ""
    if activation == "sigmoid" and loss == "cross_entropy":
        note = ("<p>With one sigmoid unit, −y log a ignores the case y = 0 entirely: for "
                "y = 0 the loss and δ<sup>L</sup> are 0 at every z, however wrong the output. "
                "Binary cross-entropy adds the missing −(1 − y) log(1 − a).</p>")
    worst = int(np.argmax(np.abs(a - y)))
    summary = (f"<p>At z<sup>L</sup> = {zs[worst]:+g} the output is off by "
               f"|a − y| = {abs(a[worst] - y):.4f} and δ<sup>L</sup> = "
               f"<b>{delta[worst]:+.4g}</b>.</p>")
    fig = plot_delta_curve(activation, loss, y)
    alt = (f"Delta of the output layer against its weighted input z from -8 to 8 for a "
           f"{activation} output with the {LOSS_NAMES[loss]} loss and target {y:g}: a thick red "
           "curve for delta, a dashed grey curve for a minus y and a dotted green curve for "
           "the slope of the output" + ("" if activation == "identity" else
                                        ", with the saturated regions shaded grey") + ".")
    return summary + table + note + figure_html(fig, alt)


def output_error_explorer(activation="sigmoid", loss="quadratic", y=0.0):
    """Return chapter 6's explorer: output activation x loss x target; delta^L against z^L."""
    controls = [
        Control("activation", "output activation", OUTPUTS, value=activation, kind="toggle"),
        # "binary CE": the full name does not fit on a toggle button; the view spells it out
        Control("loss", "loss", tuple(LOSS_NAMES),
                labels=("quadratic", "binary CE", "cross-entropy"), value=loss, kind="toggle"),
        Control("y", "target y", (0.0, 1.0), labels=("0", "1"), value=y, kind="toggle"),
    ]
    return GridExplorer(controls, delta_view, notebook="book/06_bp1_output_error.ipynb")


# -- the learning slowdown ----------------------------------------------------------------------

def train_saturated_unit(loss, w=3.0, b=3.0, x=1.0, y=0.0, lr=0.5, epochs=400):
    r"""Train one sigmoid output unit from a saturated start by gradient descent.

    The network is ``[1, 1]``: $a = \sigma(w x + b)$, one example ``(x, y)``, the given
    ``loss`` (``"quadratic"`` or ``"binary_cross_entropy"``). Returns a dict of arrays over
    the epochs (the state before each step): the output ``a``, the loss ``C`` and ``delta``.
    """
    net = Network([1, 1], activation="sigmoid", output="sigmoid", loss=loss, seed=0)
    net.W[1] = np.array([[w]])
    net.b[1] = np.array([[b]])
    X, Y = np.array([[x]]), np.array([[y]])
    out = {"a": [], "C": [], "delta": []}
    for _ in range(epochs):
        cache = net.forward(X)
        out["a"].append(float(cache.a[1][0, 0]))
        out["C"].append(net.loss_from_cache(cache, Y))
        out["delta"].append(float(net.deltas(cache, Y)[1][0, 0]))
        net.sgd_step(X, Y, lr)
    return {k: np.array(v) for k, v in out.items()}


def plot_slowdown(runs, figsize=(8.0, 3.4), dpi=80):
    """The output and the loss (relative to its start) against the epoch, for each run.

    ``runs`` maps a label to the dict of :func:`train_saturated_unit`.
    """
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    ax_a, ax_c = fig.subplots(1, 2)
    for (label, run), color in zip(runs.items(), ("C3", "C0")):
        ax_a.plot(run["a"], color=color, lw=2, label=label)
        ax_c.plot(run["C"] / run["C"][0], color=color, lw=2, label=label)
    ax_a.set_xlabel("epoch")
    ax_a.set_ylabel(r"output $a^L$ (target 0)")
    ax_a.set_title("The output")
    ax_c.set_xlabel("epoch")
    ax_c.set_ylabel("loss / loss at epoch 0")
    ax_c.set_title("The learning curve")
    ax_a.legend(frameon=False, fontsize=9)
    return fig
