r"""Chapter 9's explorer: train a small network on the two moons and watch its decision boundary.

Each setting (hidden activation, width, learning rate) is trained once with mini-batch SGD
(:meth:`bpkit.Network.fit`) and a snapshot of the parameters is kept at every epoch of
:data:`FRAMES`; the epoch control steps through those snapshots. In a live kernel the
learning-rate box trains any other rate the same way.
"""
import functools

import numpy as np

from ..data import two_moons
from ..network import Network
from .base import Control, GridExplorer, figure_html

FRAMES = (0, 5, 30, 150)
ACTIVATIONS = ("tanh", "relu")
WIDTHS = (3, 12)
RATES = (0.03, 0.3, 3.0)
BATCH = 20
#: The box drawn: the moons lie in [-1.5, 2.5] x [-1, 1.5].
BOX = (-1.5, 2.5, -1.0, 1.5)


def moons():
    """The explorer's data: 200 points of two moons, ``X`` (2, 200) and ``Y`` (1, 200)."""
    return two_moons(m=200, noise=0.15, seed=3)


def make_network(activation, width):
    """The explorer's network: ``[2, width, width, 1]``, a sigmoid output with binary
    cross-entropy; the seed is fixed, so every setting starts from its own fixed weights."""
    return Network([2, width, width, 1], activation=activation, loss="binary_cross_entropy",
                   init="xavier", seed=1)


@functools.lru_cache(maxsize=64)
def run(activation, width, lr, frames=FRAMES):
    """Train one setting; return ``{epoch: (W, b, loss, accuracy)}`` at every epoch of
    ``frames`` (copies of the parameters, layer lists numbered from 0 = layer 1)."""
    X, Y = moons()
    net = make_network(activation, width)
    snaps, done = {}, 0
    for epoch in frames:
        if epoch > done:
            net.fit(X, Y, epochs=epoch - done, batch_size=BATCH, lr=lr, progress=False)
            done = epoch
        snaps[epoch] = ([w.copy() for w in net.W], [b.copy() for b in net.b],
                        net.loss(X, Y), net.accuracy(X, Y))
    return snaps


def network_at(activation, width, lr, epoch):
    """The network of one setting as it was after ``epoch`` epochs (an epoch of FRAMES)."""
    W, b, _, _ = run(activation, width, float(lr))[epoch]
    net = make_network(activation, width)
    for l in net.W.layers():
        net.W[l] = W[l - 1]
        net.b[l] = b[l - 1]
    return net


def plot_boundary(net, X, Y, title, figsize=(6.4, 3.6), dpi=80, n=60):
    """The network's output over the box as a shaded map, the 0.5 contour, and the points."""
    from matplotlib.figure import Figure

    x0, x1, y0, y1 = BOX
    gx, gy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    P = net.predict(np.vstack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
    # Fixed margins: a layout engine would cost more than the drawing, frame after frame.
    fig = Figure(figsize=figsize, dpi=dpi)
    ax = fig.add_axes((0.1, 0.14, 0.87, 0.78))
    ax.imshow(P, origin="lower", extent=BOX, cmap="RdBu_r", vmin=0, vmax=1, alpha=0.55,
              aspect="auto", interpolation="nearest")
    if P.min() < 0.5 < P.max():
        ax.contour(gx, gy, P, levels=[0.5], colors="k", linewidths=1.5)
    labels = Y.ravel() > 0.5
    ax.scatter(X[0, ~labels], X[1, ~labels], s=10, c="C0", edgecolors="w", linewidths=0.3,
               label="class 0")
    ax.scatter(X[0, labels], X[1, labels], s=10, c="C3", edgecolors="w", linewidths=0.3,
               label="class 1")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title, fontsize=10)
    ax.legend(loc="lower left", fontsize=8, frameon=True)
    return fig


def training_view(activation, width, lr, epoch):
    """The explorer's view of one setting at one epoch: loss, accuracy and the boundary."""
    snaps = run(activation, width, float(lr))
    _, _, loss, accuracy = snaps[epoch]
    X, Y = moons()
    net = network_at(activation, width, lr, epoch)
    curve = " → ".join(f"{snaps[e][2]:.3f}" for e in FRAMES if e <= epoch)
    text = (f"<p>Network [2, {width}, {width}, 1], {activation} hidden units, learning rate "
            f"{lr:g}, batch {BATCH}: after <b>{epoch}</b> epochs the loss is "
            f"<b>{loss:.4f}</b> and the training accuracy <b>{accuracy:.1%}</b>. "
            f"Loss at the epochs {', '.join(str(e) for e in FRAMES if e <= epoch)}: "
            f"{curve}.</p>")
    fig = plot_boundary(net, X, Y, f"{activation}, width {width}, rate {lr:g}: epoch {epoch}")
    alt = (f"The two moons, 200 points in blue (class 0) and red (class 1), over a shaded map "
           f"of the network's output after {epoch} epochs ({activation}, width {width}, "
           f"learning rate {lr:g}), with the 0.5 boundary in black where there is one; "
           f"{accuracy:.0%} of the points lie on their own side.")
    return text + figure_html(fig, alt)


def training_explorer(activation="tanh", width=12, lr=0.3, epoch=0):
    """Return the chapter-9 explorer: epoch x activation x width x learning rate."""
    import ipywidgets as widgets

    controls = [
        Control("epoch", "epoch", list(FRAMES), value=epoch, kind="slider"),
        Control("activation", "hidden activation", list(ACTIVATIONS), value=activation,
                kind="toggle"),
        Control("width", "width", list(WIDTHS), value=width, kind="toggle"),
        Control("lr", "learning rate", list(RATES), labels=[f"{r:g}" for r in RATES],
                value=lr, kind="toggle"),
    ]
    live = {"lr": widgets.FloatLogSlider(value=lr, base=10, min=-3, max=1, step=0.05,
                                         description="any learning rate",
                                         continuous_update=False,
                                         style={"description_width": "initial"})}
    return GridExplorer(controls, training_view, notebook="book/09_complete_algorithm.ipynb",
                        live=live)


# -- the other figures of chapter 9 -----------------------------------------------------------

def plot_cache_memory(rows, figsize=(6.4, 3.6), dpi=80):
    """Measured ``Cache.nbytes`` against the formula, log-log, one marker per sweep.

    ``rows`` are ``(sweep, formula_bytes, measured_bytes)``; a point on the diagonal is a
    measurement that the formula predicts exactly.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    ax = fig.subplots()
    sweeps = list(dict.fromkeys(r[0] for r in rows))
    for i, sweep in enumerate(sweeps):
        pts = np.array([(f, m) for s, f, m in rows if s == sweep], dtype=float)
        ax.loglog(pts[:, 0], pts[:, 1], "os^"[i % 3], color=f"C{i}", ms=6, label=sweep,
                  alpha=0.8)
    lo = min(min(r[1], r[2]) for r in rows) / 2
    hi = max(max(r[1], r[2]) for r in rows) * 2
    ax.loglog([lo, hi], [lo, hi], "--", color="0.5", lw=1, label="measured = formula")
    ax.set_xlabel("formula: 2 x (sum of layer widths) x batch x 8 bytes")
    ax.set_ylabel("measured Cache.nbytes")
    ax.set_title("Memory of the forward cache: measured against the formula", fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    return fig


def plot_checkpoint_tradeoff(rows, L, figsize=(6.4, 3.6), dpi=80):
    """Peak memory against time for each segment length ``k``.

    ``rows`` are ``(k, peak_bytes, seconds)``; the point with ``k = L`` keeps every layer (no
    recomputation), the plain backward pass.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    ax = fig.subplots()
    k = [r[0] for r in rows]
    mem = np.array([r[1] for r in rows], dtype=float) / 2**20
    sec = np.array([r[2] for r in rows], dtype=float) * 1e3
    ax.scatter(sec, mem, s=40, color="C0", zorder=2)
    root = int(round(np.sqrt(L)))
    for ki, x, y in zip(k, sec, mem):
        name = f"k={ki}" + (" (√L)" if ki == root else "") + (" (all kept)" if ki == L else "")
        ax.annotate(name, (x, y), textcoords="offset points", xytext=(6, 4), fontsize=8,
                    color="C3" if ki == root else "black")
    ax.set_xlabel("CPU time of forward + backward (ms)")
    ax.set_ylabel("peak memory of forward values (MiB)")
    ax.set_title(f"Checkpointing a {L}-layer network: memory against time", fontsize=10)
    return fig
