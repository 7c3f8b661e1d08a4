r"""Chapter 11's explorer: batch size $m$ against time per example and gradient noise.

Two measurements, made once when the explorer is built:

* the gradient noise $\operatorname{E}\lVert g_B - g\rVert^2$ of random mini-batches of each
  size (:func:`bpkit.batching.gradient_noise`), seeded, so the same on every run;
* the time per example of the per-example loop and of the matrix form
  (:func:`bpkit.batching.time_per_example`), which depends on the machine and on its load:
  the chapter shows the explorer in a cell whose output nbval does not compare, and its
  text quotes no timing.
"""
import numpy as np

from .. import data
from ..batching import (gradient_noise, gradient_spread, loop_gradients, time_per_example,
                        vectorised_gradients)
from ..network import Network
from .base import Control, GridExplorer, figure_html

BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256)


def noise_problem(N=1000, seed=0):
    """The noise measurement's data and network: two moons, ``[2, 16, 16, 1]`` tanh, BCE."""
    X, Y = data.two_moons(m=N, noise=0.2, seed=seed)
    net = Network([2, 16, 16, 1], activation="tanh", loss="binary_cross_entropy", seed=seed)
    return net, X, Y


def timing_problem(m, seed=0):
    """The timing measurement's network ``[64, 128, 128, 10]`` (ReLU, softmax) and a batch of ``m``."""
    net = Network([64, 128, 128, 10], activation="relu", loss="cross_entropy", seed=seed)
    rng = np.random.default_rng(seed + m)
    return net, rng.standard_normal((64, m)), np.eye(10)[:, rng.integers(0, 10, m)]


def measure_times(batch_sizes=BATCH_SIZES, repeats=5):
    """``{m: (loop, vectorised)}``, seconds per example for each batch size (run-dependent).

    The linear-algebra library is held to one thread while it measures: on a shared machine,
    threads that wait for a busy core would time the neighbours, not the algorithm.
    """
    from threadpoolctl import threadpool_limits

    out = {}
    with threadpool_limits(limits=1):
        for m in batch_sizes:
            net, X, Y = timing_problem(m)
            out[m] = (time_per_example(loop_gradients, net, X, Y, repeats),
                      time_per_example(vectorised_gradients, net, X, Y, repeats))
    return out


def plot_noise(batch_sizes, noise, spread, m=None, figsize=(6.4, 3.6), dpi=80):
    r"""Measured $\operatorname{E}\lVert g_B - g\rVert^2$ against $m$ (log-log), with $\operatorname{tr}\Sigma/m$."""
    from matplotlib.figure import Figure

    ms = np.asarray(batch_sizes, dtype=float)
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    ax = fig.subplots()
    ax.loglog(ms, noise, "o", color="C0", label="measured over random mini-batches")
    ax.loglog(ms, spread / ms, "-", color="C3", lw=1, label=r"$\mathrm{tr}\,\Sigma / m$")
    slope, intercept = np.polyfit(np.log(ms), np.log(noise), 1)
    ax.loglog(ms, np.exp(intercept) * ms ** slope, "--", color="0.4", lw=1,
              label=f"least-squares line, slope {slope:.2f}")
    if m is not None:
        k = list(batch_sizes).index(m)
        ax.loglog([m], [noise[k]], "s", ms=11, mfc="none", mec="k", mew=1.5)
    ax.set_xlabel("batch size $m$")
    ax.set_ylabel(r"$\mathrm{E}\,\|g_B - g\|^2$")
    ax.set_title("Gradient noise of a mini-batch")
    ax.legend(frameon=False, fontsize=8)
    return fig


def plot_times(times, m=None, figsize=(6.4, 3.6), dpi=80):
    """Time per example of the loop and of the matrix form against the batch size (log-log)."""
    from matplotlib.figure import Figure

    ms = np.array(sorted(times), dtype=float)
    loop = np.array([times[k][0] for k in sorted(times)]) * 1e6
    vec = np.array([times[k][1] for k in sorted(times)]) * 1e6
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    ax = fig.subplots()
    ax.loglog(ms, loop, "o-", color="C1", label="per-example loop")
    ax.loglog(ms, vec, "o-", color="C0", label=r"matrix form $\Delta (A)^T / m$")
    if m is not None:
        ax.axvline(m, color="0.7", lw=1)
    ax.set_xlabel("batch size $m$")
    ax.set_ylabel("time per example (µs)")
    ax.set_title("One gradient of [64, 128, 128, 10]: time per example")
    ax.legend(frameon=False, fontsize=8)
    return fig


def batching_explorer(m=32, draws=400, noise=None, times=None):
    """Return the chapter-11 explorer: batch size -> gradient noise and time per example.

    ``noise`` (the measured noise for :data:`BATCH_SIZES`) and ``times`` (from
    :func:`measure_times`) may be passed in when the chapter has measured them already.
    """
    net, X, Y = noise_problem()
    if noise is None:
        noise = gradient_noise(net, X, Y, BATCH_SIZES, draws=draws, seed=0)
    spread = gradient_spread(net, X, Y)
    times = measure_times() if times is None else times

    def view(m):
        k = BATCH_SIZES.index(m)
        loop, vec = times[m]
        text = (f"<p>Batch size m = <b>{m}</b>. Gradient noise E‖g<sub>B</sub> − g‖² = "
                f"<b>{noise[k]:.4g}</b> (tr Σ / m = {spread / m:.4g}); time per example on this "
                f"run: loop {loop * 1e6:.3g} µs, matrix form {vec * 1e6:.3g} µs, "
                f"×{loop / vec:.2g} faster.</p>")
        noise_alt = (f"Log-log plot of the measured gradient noise against the batch size from 1 "
                     f"to 256: the points lie on the line tr Sigma / m, falling tenfold for each "
                     f"tenfold larger batch; the point for m = {m} is circled.")
        time_alt = (f"Log-log plot of the time per example against the batch size: the loop's "
                    f"curve is nearly flat, the matrix form's falls as the batch grows; a "
                    f"vertical line marks m = {m}. Timings of the run that built this page.")
        return (text + figure_html(plot_noise(BATCH_SIZES, noise, spread, m), noise_alt)
                + figure_html(plot_times(times, m), time_alt))

    controls = [Control("m", "batch size m", BATCH_SIZES, value=m)]
    return GridExplorer(controls, view, notebook="book/11_batching.ipynb",
                        note="The timings are those of the run that built the page.")
