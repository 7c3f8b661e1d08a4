r"""Chapter 12's explorer: the step $\epsilon$ of a finite difference against its error.

The function is $f(x) = e^x$, whose derivatives are all $e^x$, checked at 201 points of
$[0.5, 1.5]$; each curve is the median relative error of the estimate there, computed in
float64 and in float32 (:func:`bpkit.gradcheck.difference_errors`), for the central and
the one-sided difference. The view marks the chosen $\epsilon$ on every curve, and the best
$\epsilon$ that the rounding analysis predicts (:func:`bpkit.gradcheck.best_eps`).
"""
import functools

import numpy as np

from ..gradcheck import best_eps, difference_errors, unit_roundoff
from .base import Control, GridExplorer, figure_html

XS = np.linspace(0.5, 1.5, 201)
#: The curves' grid: a quarter of a decade per point, from 1e-12 to 1.
CURVE_GRID = 10.0 ** np.arange(-12, 0.01, 0.25)
#: The explorer's slider: half a decade per stop, from 1e-12 to 1e-1.
EPS_GRID = tuple(float(10.0 ** k) for k in np.arange(-12, -0.99, 0.5))
DTYPES = (np.float64, np.float32)
KINDS = ("central", "one-sided")
COLOURS = {np.float64: "C0", np.float32: "C3"}
STYLES = {"central": "-", "one-sided": ":"}


def f(x):
    """The chapter's function $f(x) = e^x$ (its own derivative, to every order)."""
    return np.exp(x)


def predicted(dtype, kind):
    r"""The predicted best $\epsilon$ for $e^x$ at $x = 1$: $\sqrt[3]{3u}$ or $2\sqrt{u}$."""
    e = float(np.exp(1.0))
    return best_eps(unit_roundoff(dtype), e, e, e, kind)


@functools.lru_cache(maxsize=None)
def curve(dtype, kind):
    """The error curve of ``kind`` in ``dtype`` over :data:`CURVE_GRID` (computed once)."""
    return difference_errors(f, np.exp, XS, CURVE_GRID, kind, dtype)


def error_at(eps, dtype, kind):
    """The median relative error of the ``kind`` difference with step ``eps`` in ``dtype``."""
    return float(difference_errors(f, np.exp, XS, [eps], kind, dtype)[0])


def plot_curves(eps=None, figsize=(6.4, 3.6), dpi=80):
    """The four error curves on log-log axes; the predicted best central eps dashed.

    With ``eps``, markers show the four errors at that step (see :func:`mark`).
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    fig = Figure(figsize=figsize, dpi=dpi)
    fig.subplots_adjust(left=0.13, right=0.97, bottom=0.15, top=0.91)  # fixed, for every view
    ax = fig.subplots()
    fig.markers = {}
    for dtype in DTYPES:
        name, colour = np.dtype(dtype).name, COLOURS[dtype]
        for kind in KINDS:
            ax.loglog(CURVE_GRID, curve(dtype, kind), STYLES[kind], color=colour,
                      lw=1.8 if kind == "central" else 1.4, label=f"{name}, {kind}")
            fig.markers[dtype, kind], = ax.plot([], [], "o" if kind == "central" else "s",
                                                color=colour, ms=7)
        ax.axvline(predicted(dtype, "central"), color=colour, ls="--", lw=1)
    fig.step_line = ax.axvline(1.0, color="0.3", lw=0.8, visible=False)
    ax.set_ylim(1e-13, 10)
    # plain tick labels ("1e-06"): the views are redrawn many times, and mathtext is slow
    ticks = FuncFormatter(lambda v, _: f"{v:.0e}")
    for axis, every in ((ax.xaxis, 2), (ax.yaxis, 3)):
        axis.set_major_locator(LogLocator(base=10.0 ** every))
        axis.set_major_formatter(ticks)
        axis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(r"step $\epsilon$")
    ax.set_ylabel("relative error of the estimate")
    ax.set_title(r"Differences of $e^x$: error against the step")
    ax.legend(frameon=False, loc="lower left", fontsize=8, ncol=2)
    if eps is not None:
        mark(fig, eps)
    return fig


def mark(fig, eps):
    """Move the markers of a :func:`plot_curves` figure to the errors at step ``eps``."""
    for (dtype, kind), marker in fig.markers.items():
        marker.set_data([eps], [error_at(eps, dtype, kind)])
    fig.step_line.set_xdata([eps, eps])
    fig.step_line.set_visible(True)
    return fig


@functools.lru_cache(maxsize=1)
def _view_figure():
    return plot_curves()   # one figure for every view: only the markers move


def eps_view(eps):
    """The explorer's view: the four errors at ``eps`` as numbers, then the curves (HTML)."""
    rows = "".join(
        f"<tr><td>{np.dtype(d).name}</td><td>{k}</td><td>{error_at(eps, d, k):.2e}</td>"
        f"<td>{predicted(d, k):.1e}</td></tr>" for d in DTYPES for k in KINDS)
    table = (f"<p>Step ε = {eps:.1e}.</p><table><tr><th>format</th><th>difference</th>"
             "<th>relative error at this ε</th><th>predicted best ε</th></tr>"
             f"{rows}</table>")
    alt = ("Log-log plot of the relative error of the central (solid) and one-sided (dotted) "
           "differences of e^x against the step eps, in float64 (blue) and float32 (red). "
           "Each curve falls along a straight line as eps shrinks, the central ones twice as "
           "steeply, reaches a minimum near the predicted best eps, then rises again, jagged, "
           f"as rounding takes over. Markers show the errors at eps = {eps:.1e} on all four "
           "curves.")
    return table + figure_html(mark(_view_figure(), eps), alt)


def eps_explorer(eps=1e-6):
    """Return the chapter-12 explorer: move eps and see the errors in float64 and float32."""
    import ipywidgets as widgets

    start = min(EPS_GRID, key=lambda e: abs(np.log(e / eps)))   # the nearest stop
    controls = [Control("eps", "step ε", EPS_GRID, labels=[f"{e:.0e}" for e in EPS_GRID],
                        value=start)]
    live = {"eps": widgets.FloatLogSlider(value=eps, base=10, min=-14, max=0, step=0.05,
                                          description="any ε", readout_format=".1e")}
    return GridExplorer(controls, eps_view, notebook="book/12_gradient_checking.ipynb",
                        live=live)
