r"""Gradient checking: finite differences against backpropagation (chapter 12).

Two estimates of a derivative $f'(x)$ from values of $f$ alone:

* the central difference $\frac{f(x+\epsilon) - f(x-\epsilon)}{2\epsilon}$, whose truncation
  error is $\frac{\epsilon^2}{6} |f'''(x)|$, that is $O(\epsilon^2)$;
* the one-sided difference $\frac{f(x+\epsilon) - f(x)}{\epsilon}$, whose truncation error is
  $\frac{\epsilon}{2} |f''(x)|$, that is $O(\epsilon)$.

Rounding adds an error of about $u |f| / \epsilon$ (central) or $2u|f|/\epsilon$
(one-sided), where $u$ is the unit roundoff of the floating-point format. The sum is smallest
at :func:`best_eps`. Estimates are compared by the one relative error of the book,
:func:`relative_error`: in float64 about ``1e-7`` or less is healthy, above about ``1e-5``
signals a bug.
"""
from dataclasses import dataclass

import numpy as np

from .errors import ShapeError

HEALTHY = 1e-7
SUSPECT = 1e-5
TINY = np.finfo(float).tiny
#: Activations with a kink (a point where the slope jumps), where differences can mislead.
KINKED = ("relu",)


def relative_error(a, b):
    r"""The relative error of the book, elementwise: $\dfrac{|a - b|}{\max(|a|, |b|)}$.

    The denominator is kept at least ``TINY``, so the error is 0 where both are 0 (and never
    0/0). It is symmetric in ``a`` and ``b`` and lies in $[0, 2]$; when it is small it says
    how many leading digits the two share: ``1e-7`` means about seven.
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), TINY)


def unit_roundoff(dtype):
    """$u$, the largest relative error of rounding one real number to ``dtype`` (half its eps)."""
    return float(np.finfo(dtype).eps) / 2


# -- one derivative, two differences ------------------------------------------------------
def central_difference(f, x, eps):
    r"""$\dfrac{f(x+\epsilon) - f(x-\epsilon)}{2\epsilon}$: error $O(\epsilon^2)$, two calls of ``f``."""
    return (f(x + eps) - f(x - eps)) / (2 * eps)


def one_sided_difference(f, x, eps):
    r"""$\dfrac{f(x+\epsilon) - f(x)}{\epsilon}$: error $O(\epsilon)$."""
    return (f(x + eps) - f(x)) / eps


DIFFERENCES = {"central": central_difference, "one-sided": one_sided_difference}


def difference_errors(f, df, x, eps_grid, kind="central", dtype=np.float64):
    r"""The error curve: the median relative error of a difference at each $\epsilon$.

    ``f`` is evaluated in ``dtype`` at the points ``x`` (an array: the median over many
    points smooths the jagged rounding error of a single one); ``df`` is the exact
    derivative, evaluated in float64. Returns an array shaped like ``eps_grid``.
    """
    x = np.asarray(x, dtype=dtype)
    exact = df(x.astype(np.float64))
    diff = DIFFERENCES[kind]
    with np.errstate(all="ignore"):  # an eps below the format's range is 0: the error is nan
        return np.array([np.median(relative_error(exact, diff(f, x, dtype(eps)).astype(float)))
                         for eps in np.asarray(eps_grid, float)])


def best_eps(u, f, f2=None, f3=None, kind="central"):
    r"""The $\epsilon$ that balances truncation and rounding error (chapter 12 derives it).

    Central: minimise $\frac{\epsilon^2}{6}|f'''| + \frac{u|f|}{\epsilon}$, which gives
    $\epsilon^* = \sqrt[3]{3u|f|/|f'''|}$. One-sided: minimise $\frac{\epsilon}{2}|f''| +
    \frac{2u|f|}{\epsilon}$, which gives $\epsilon^* = 2\sqrt{u|f|/|f''|}$. ``f``, ``f2``,
    ``f3`` are $f$, $f''$, $f'''$ at the point.
    """
    if kind == "central":
        return float(np.cbrt(3 * u * abs(f) / abs(f3)))
    if kind == "one-sided":
        return float(2 * np.sqrt(u * abs(f) / abs(f2)))
    raise ValueError(f"kind must be 'central' or 'one-sided', received {kind!r}")


def loglog_slope(x, y):
    """The slope of the least-squares line through ``(log x, log y)``: the order of an error."""
    return float(np.polyfit(np.log(np.asarray(x, float)), np.log(np.asarray(y, float)), 1)[0])


# -- a whole network ----------------------------------------------------------------------
def numerical_gradient(f, x, eps=1e-6, indices=None):
    """Central-difference gradient of the scalar function ``f()`` with respect to array ``x``.

    ``x`` is perturbed in place and restored exactly, so ``f`` may read it by reference.
    ``indices`` (an iterable of index tuples) limits the work to those entries; the others
    are returned as NaN. Costs two evaluations of ``f`` per entry.
    """
    grad = np.full(x.shape, np.nan) if indices is not None else np.zeros(x.shape)
    for idx in (np.ndindex(x.shape) if indices is None else indices):
        old = x[idx]
        x[idx] = old + eps
        plus = f()
        x[idx] = old - eps
        minus = f()
        x[idx] = old
        grad[idx] = (plus - minus) / (2 * eps)
    return grad


@dataclass
class Entry:
    """One checked parameter: where it is, both gradients, their relative error.

    ``kink`` is True when some ReLU unit changed sides of its kink between the evaluations
    at $\\theta + \\epsilon$ and $\\theta - \\epsilon$: the difference then measures across
    the kink, and a large error there is no evidence of a bug.
    """

    layer: int
    param: str
    index: tuple
    analytic: float
    numeric: float
    rel_error: float
    kink: bool = False


class GradcheckReport:
    """The result of :func:`gradcheck`: every checked entry, worst first.

    The verdict counts only the entries whose check did not cross a kink.
    """

    def __init__(self, entries, eps):
        self.entries = sorted(entries, key=lambda e: -e.rel_error)
        self.eps = eps

    @property
    def smooth(self):
        """The entries whose two evaluations stayed on one side of every kink."""
        return [e for e in self.entries if not e.kink]

    @property
    def max_rel_error(self):
        smooth = self.smooth
        return smooth[0].rel_error if smooth else 0.0

    @property
    def verdict(self):
        if self.max_rel_error <= HEALTHY:
            return "healthy"
        if self.max_rel_error <= SUSPECT:
            return "borderline"
        return "wrong"

    @property
    def passed(self):
        return self.max_rel_error <= SUSPECT

    def worst(self, k=10):
        return self.entries[:k]

    def by_array(self):
        """``{"W[l]": largest relative error}`` per parameter array, kinks left out."""
        out = {}
        for e in self.smooth:
            key = f"{e.param}[{e.layer}]"
            out[key] = max(out.get(key, 0.0), e.rel_error)
        return out

    def __str__(self):
        kinks = len(self.entries) - len(self.smooth)
        lines = [f"gradient check: {len(self.entries)} entries, eps={self.eps:g}, "
                 f"max relative error {self.max_rel_error:.2e} ({self.verdict})"
                 + (f"; {kinks} across a kink, not counted" if kinks else ""),
                 "per array: " + ", ".join(f"{k} {v:.1e}" for k, v in self.by_array().items()),
                 f"{'param':<8}{'index':<10}{'analytic':>14}{'numeric':>14}{'rel. error':>12}"]
        for e in self.worst():
            lines.append(f"{e.param + '[' + str(e.layer) + ']':<8}{str(e.index):<10}"
                         f"{e.analytic:>14.6e}{e.numeric:>14.6e}{e.rel_error:>12.2e}"
                         + ("  kink" if e.kink else ""))
        return "\n".join(lines)

    __repr__ = __str__


def gradcheck(net, X, Y, eps=1e-6, num=None, seed=0, grads=None):
    """Compare a network's backpropagated gradients with central differences.

    ``num`` checks that many entries drawn at random from every parameter array
    (``None`` checks them all). ``grads`` are the analytic gradients to check; by default
    those of ``net.gradients(X, Y)``. Every entry costs two forward passes. Returns a
    :class:`GradcheckReport`, worst entries first, with entries whose check crossed a ReLU
    kink marked.
    """
    X = net._inputs(X)
    Y = net._targets(Y, X.shape[1])
    if grads is None:
        grads = net.gradients(X, Y)
    rng = np.random.default_rng(seed)
    kinked = [l for l in range(1, net.L + 1) if net.activation_of(l).name in KINKED]

    def loss(sides):
        # the inputs were checked above; each evaluation is a bare forward pass
        cache = net._forward(X)
        sides.append([cache.z[l] > 0 for l in kinked])
        return net.loss_from_cache(cache, Y)

    entries = []
    for l in range(1, net.L + 1):
        for name, param, analytic in (("W", net.W[l], grads.dW[l]), ("b", net.b[l], grads.db[l])):
            analytic = np.asarray(analytic)
            if analytic.shape != param.shape:
                raise ShapeError(f"layer {l}: d{name}[{l}] must have the shape {param.shape} "
                                 f"of {name}[{l}], received {analytic.shape}")
            all_idx = list(np.ndindex(param.shape))
            if num is not None and num < len(all_idx):
                all_idx = [all_idx[i] for i in rng.choice(len(all_idx), num, replace=False)]
            for idx in all_idx:
                sides = []
                g_n = numerical_gradient(lambda: loss(sides), param, eps, [idx])[idx]
                crossed = any(np.any(p != m) for p, m in zip(*sides))
                g_a = float(analytic[idx])
                entries.append(Entry(l, name, idx, g_a, float(g_n),
                                     float(relative_error(g_a, g_n)), crossed))
    return GradcheckReport(entries, eps)
