r"""Batching (chapter 11): the per-example loop, its speed, and the noise of a mini-batch.

The gradient of the mean loss $C = \frac1m\sum_x C_x$ is the mean of the per-example
gradients. ``bpkit.bp3`` and ``bpkit.bp4`` compute it in one step for a whole batch,
$\frac1m \Delta^l \mathbf 1$ and $\frac1m \Delta^l (A^{l-1})^T$; :func:`loop_gradients`
computes it one example at a time, the way the single-example equations read.
:func:`time_per_example` measures both; :func:`gradient_noise` measures how far the
gradient of a random mini-batch of $m$ examples falls from the gradient of the whole data
set, on average: $\operatorname{E}\lVert g_B - g\rVert^2 = \operatorname{tr}\Sigma / m$.
"""
import time

import numpy as np

from .network import Gradients, Layers


def loop_gradients(net, X, Y):
    r"""The gradients of the mean loss, one example at a time: $\frac1m\sum_x \nabla C_x$.

    Each column $x$ goes through the whole algorithm alone (its forward pass, BP1, BP2 and
    BP3, BP4 with $m = 1$); the per-example gradients are added up and divided by $m$.
    Returns :class:`bpkit.network.Gradients`, like ``net.gradients(X, Y)``.
    """
    m = X.shape[1]
    dW = [np.zeros_like(W) for W in net.W]
    db = [np.zeros_like(b) for b in net.b]
    for x in range(m):
        g = net.gradients(X[:, [x]], Y[:, [x]])          # one example: dC_x/dW, dC_x/db
        for i, l in enumerate(g.dW.layers()):
            dW[i] += g.dW[l]
            db[i] += g.db[l]
    return Gradients(Layers("dW", 1, [d / m for d in dW]), Layers("db", 1, [d / m for d in db]))


def flat(grads):
    """Every gradient array of ``grads`` in one vector: ``dW[1], db[1], ..., dW[L], db[L]``."""
    return np.concatenate([g.ravel() for dW, db in zip(grads.dW, grads.db) for g in (dW, db)])


def time_per_example(gradients, net, X, Y, repeats=5):
    """The fastest of ``repeats`` runs of ``gradients(net, X, Y)``, divided by the batch size.

    In seconds per example. A timing depends on the machine and on what else runs on it:
    shown in the book only in cells whose output is not compared.
    """
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        gradients(net, X, Y)
        best = min(best, time.perf_counter() - start)
    return best / X.shape[1]


def vectorised_gradients(net, X, Y):
    """The whole batch at once: ``net.gradients(X, Y)`` (BP3 and BP4 as matrix forms)."""
    return net.gradients(X, Y)


def gradient_noise(net, X, Y, batch_sizes, draws=200, seed=0):
    r"""The mean of $\lVert g_B - g\rVert^2$ over ``draws`` random mini-batches of each size.

    $g$ is the gradient of the mean loss over every example (column) of ``X``; $g_B$ that of a
    mini-batch of $m$ examples drawn from them at random, with replacement, so that the $m$
    examples are independent. Returns an array, one entry per batch size.
    """
    rng = np.random.default_rng(seed)
    g = flat(net.gradients(X, Y))
    N = X.shape[1]
    out = []
    for m in batch_sizes:
        total = 0.0
        for _ in range(draws):
            idx = rng.integers(0, N, size=m)
            total += np.sum((flat(net.gradients(X[:, idx], Y[:, idx])) - g) ** 2)
        out.append(total / draws)
    return np.array(out)


def gradient_spread(net, X, Y):
    r"""$\operatorname{tr}\Sigma = \frac1N\sum_x \lVert\nabla C_x - g\rVert^2$, the spread of the per-example gradients.

    The variance of a mini-batch of $m$ independent draws is this divided by $m$.
    """
    g = flat(net.gradients(X, Y))
    N = X.shape[1]
    return float(np.mean([np.sum((flat(net.gradients(X[:, [x]], Y[:, [x]])) - g) ** 2)
                          for x in range(N)]))


def loglog_slope(x, y):
    r"""The slope of the least-squares line through $(\log x, \log y)$: the exponent $p$ of $y \propto x^p$."""
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])
