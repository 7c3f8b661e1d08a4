r"""Gradient checking with central differences (chapter 12).

The central difference $\frac{f(\theta+\epsilon) - f(\theta-\epsilon)}{2\epsilon}$ has error
$O(\epsilon^2)$, the one-sided one $O(\epsilon)$. Analytic and numerical gradients are
compared by the relative error $|g_a - g_n| / \max(|g_a| + |g_n|, \text{tiny})$: in float64
about ``1e-7`` or less is healthy, above about ``1e-5`` signals a bug.
"""
from dataclasses import dataclass

import numpy as np

from .errors import ShapeError

HEALTHY = 1e-7
SUSPECT = 1e-5


def relative_error(analytic, numeric):
    """Elementwise $|g_a - g_n| / \\max(|g_a| + |g_n|, \\text{tiny})$; 0 where both are 0."""
    analytic, numeric = np.asarray(analytic, float), np.asarray(numeric, float)
    denom = np.maximum(np.abs(analytic) + np.abs(numeric), np.finfo(float).tiny)
    return np.abs(analytic - numeric) / denom


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
    layer: int
    param: str
    index: tuple
    analytic: float
    numeric: float
    rel_error: float


class GradcheckReport:
    """The result of :func:`gradcheck`: every checked entry, worst first."""

    def __init__(self, entries, eps):
        self.entries = sorted(entries, key=lambda e: -e.rel_error)
        self.eps = eps

    @property
    def max_rel_error(self):
        return self.entries[0].rel_error if self.entries else 0.0

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

    def __str__(self):
        lines = [f"gradient check: {len(self.entries)} entries, eps={self.eps:g}, "
                 f"max relative error {self.max_rel_error:.2e} ({self.verdict})",
                 f"{'param':<10}{'index':<12}{'analytic':>14}{'numeric':>14}{'rel. error':>12}"]
        for e in self.worst():
            lines.append(f"{e.param + '[' + str(e.layer) + ']':<10}{str(e.index):<12}"
                         f"{e.analytic:>14.6e}{e.numeric:>14.6e}{e.rel_error:>12.2e}")
        return "\n".join(lines)

    __repr__ = __str__


def gradcheck(net, X, Y, eps=1e-6, num=None, seed=0, grads=None):
    """Compare a network's backpropagated gradients with central differences.

    ``num`` checks that many entries drawn at random from every parameter array
    (``None`` checks them all). ``grads`` are the analytic gradients to check; by default
    those of ``net.gradients(X, Y)``. Returns a :class:`GradcheckReport`.
    """
    X = net._inputs(X)
    Y = net._targets(Y, X.shape[1])
    if grads is None:
        grads = net.gradients(X, Y)
    rng = np.random.default_rng(seed)

    def loss():  # the inputs were checked above; each evaluation is a bare forward pass
        return net.loss_from_cache(net._forward(X), Y)

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
            numeric = numerical_gradient(loss, param, eps, all_idx)
            for idx in all_idx:
                g_a, g_n = float(analytic[idx]), float(numeric[idx])
                entries.append(Entry(l, name, idx, g_a, g_n, float(relative_error(g_a, g_n))))
    return GradcheckReport(entries, eps)
