"""Shared helpers of the core tests: independent references for bpkit's gradients.

Nothing here imports bpkit's backprop code: the references are an autograd (HIPS) version of
the network's loss, central differences, and index-by-index loops written from the scalar
formulas of BP1-BP4.
"""
import autograd.numpy as anp
import numpy as np
from autograd import grad

HIDDEN = ("sigmoid", "tanh", "relu", "identity")

# (output activation, loss) pairs that make sense: the quadratic loss with every output,
# cross-entropy with outputs that are probabilities.
OUTPUT_LOSS = (
    ("sigmoid", "quadratic"), ("tanh", "quadratic"), ("relu", "quadratic"),
    ("identity", "quadratic"), ("softmax", "quadratic"),
    ("softmax", "cross_entropy"), ("sigmoid", "cross_entropy"),
    ("sigmoid", "binary_cross_entropy"), ("softmax", "binary_cross_entropy"),
)

COMBINATIONS = [(h, o, loss) for h in HIDDEN for o, loss in OUTPUT_LOSS]


# -- autograd reference ----------------------------------------------------------------
def _ag_activation(name, z):
    if name == "sigmoid":
        return 1.0 / (1.0 + anp.exp(-z))
    if name == "tanh":
        return anp.tanh(z)
    if name == "relu":
        return anp.maximum(z, 0.0)
    if name == "identity":
        return z
    if name == "softmax":
        e = anp.exp(z - anp.max(z, axis=0, keepdims=True))
        return e / anp.sum(e, axis=0, keepdims=True)
    raise ValueError(name)


def _ag_loss(name, a, y):
    m = y.shape[1]
    if name == "quadratic":
        return 0.5 * anp.sum((a - y) ** 2) / m
    if name == "cross_entropy":
        return -anp.sum(y * anp.log(a)) / m
    if name == "binary_cross_entropy":
        return -anp.sum(y * anp.log(a) + (1 - y) * anp.log(1 - a)) / m
    raise ValueError(name)


def autograd_loss(params, X, Y, hidden, output, loss):
    """The mean loss of the network whose parameters are ``[W1, b1, W2, b2, ...]``."""
    a = X
    L = len(params) // 2
    for l in range(1, L + 1):
        W, b = params[2 * l - 2], params[2 * l - 1]
        a = _ag_activation(output if l == L else hidden, anp.dot(W, a) + b)
    return _ag_loss(loss, a, Y)


def autograd_gradients(net, X, Y):
    """``[dW1, db1, dW2, db2, ...]`` of ``net``'s mean loss, by HIPS autograd."""
    params = [p.astype(np.float64) for p in net.parameters()]
    return grad(autograd_loss)(params, X, Y, net.activation.name, net.output.name,
                                net.loss_fn.name)


def autograd_input_gradient(net, X, Y):
    """d(sum_x C_x)/dX: the per-example input gradients, one column per example."""
    params = [p.astype(np.float64) for p in net.parameters()]
    m = X.shape[1]

    def total(X_):
        return m * autograd_loss(params, X_, Y, net.activation.name, net.output.name,
                                 net.loss_fn.name)

    return grad(total)(X)


# -- central differences --------------------------------------------------------------
def central_differences(f, x, eps=1e-6):
    """The gradient of ``f()`` with respect to array ``x`` (perturbed in place, restored)."""
    g = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        plus = f()
        x[idx] = old - eps
        minus = f()
        x[idx] = old
        g[idx] = (plus - minus) / (2 * eps)
    return g


# -- comparing --------------------------------------------------------------------------
def rel_err(a, b):
    """The book's relative error applied to whole arrays: ||a - b|| / max(||a||, ||b||).

    0 when both are 0.
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    denom = max(np.linalg.norm(a), np.linalg.norm(b))
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def flat_grads(grads, L):
    return [g for l in range(1, L + 1) for g in (grads.dW[l], grads.db[l])]


def assert_gradients_close(net, grads, reference, against, threshold, floor):
    """Fail, in the book's terms, for every parameter whose gradient is off.

    ``grads`` and ``reference`` are flat lists ``dW[1], db[1], ..., dW[L], db[L]``. A gradient
    passes when its relative error (:func:`rel_err`) is below ``threshold``, or when no entry
    differs by more than ``floor`` (gradients at rounding level have no meaningful relative
    error). The message names the layer, the parameter, the error and the threshold, and the
    entry that differs most.
    """
    problems = []
    names = [(l, p) for l in range(1, net.L + 1) for p in ("W", "b")]
    for (l, p), g, r in zip(names, grads, reference):
        if g.shape != r.shape:
            problems.append(f"layer {l}: dC/d{p}^{l} has shape {g.shape}, {against} {r.shape}")
            continue
        diff = np.abs(g - r)
        err = rel_err(g, r)
        if err < threshold or diff.max() <= floor:
            continue
        idx = np.unravel_index(np.argmax(diff), diff.shape)
        problems.append(
            f"layer {l}: dC/d{p}^{l} {g.shape} differs from {against}: relative error "
            f"{err:.2e} > threshold {threshold:g}; largest difference {diff[idx]:.2e} at entry "
            f"{tuple(int(i) + 1 for i in idx)} (1-based): bpkit {g[idx]:.10g}, "
            f"{against} {r[idx]:.10g}")
    if problems:
        raise AssertionError(f"{net} gradients of the mean loss:\n  " + "\n  ".join(problems))


# -- data for a combination -------------------------------------------------------------
def targets(loss, output, n, m, rng):
    """Targets that suit the loss: one-hot for cross-entropy, 0/1 for binary CE."""
    if loss == "cross_entropy":
        Y = np.zeros((n, m))
        Y[rng.integers(0, n, m), np.arange(m)] = 1.0
        return Y
    if loss == "binary_cross_entropy":
        return rng.integers(0, 2, (n, m)).astype(float)
    return rng.standard_normal((n, m))


# -- BP1-BP4 as loops over indices, straight from the scalar formulas -------------------
def bp1_loop(grad_a, z, slope):
    """delta_j = dC/da_j * sigma'(z_j), example by example, unit by unit."""
    n, m = z.shape
    delta = np.zeros((n, m))
    for x in range(m):
        for j in range(n):
            delta[j, x] = grad_a[j, x] * slope(z[j, x])
    return delta


def bp1_softmax_loop(grad_a, z):
    """delta_j = sum_k dC/da_k * da_k/dz_j with da_k/dz_j = a_k (1[k = j] - a_j)."""
    n, m = z.shape
    delta = np.zeros((n, m))
    for x in range(m):
        e = [np.exp(z[k, x] - max(z[:, x])) for k in range(n)]
        a = [e_k / sum(e) for e_k in e]
        for j in range(n):
            delta[j, x] = sum(grad_a[k, x] * a[k] * ((k == j) - a[j]) for k in range(n))
    return delta


def bp2_loop(W_next, delta_next, z, slope):
    """delta_j = sum_k W^{l+1}_{kj} delta^{l+1}_k * sigma'(z_j)."""
    n_next, n = W_next.shape
    m = z.shape[1]
    delta = np.zeros((n, m))
    for x in range(m):
        for j in range(n):
            s = 0.0
            for k in range(n_next):
                s += W_next[k, j] * delta_next[k, x]
            delta[j, x] = s * slope(z[j, x])
    return delta


def bp3_loop(delta):
    """dC/db_j = (1/m) sum_x delta_{j,x}."""
    n, m = delta.shape
    db = np.zeros((n, 1))
    for j in range(n):
        for x in range(m):
            db[j, 0] += delta[j, x] / m
    return db


def bp4_loop(delta, a_prev):
    """dC/dW_{jk} = (1/m) sum_x a^{l-1}_{k,x} delta_{j,x}."""
    n, m = delta.shape
    n_prev = a_prev.shape[0]
    dW = np.zeros((n, n_prev))
    for j in range(n):
        for k in range(n_prev):
            for x in range(m):
                dW[j, k] += a_prev[k, x] * delta[j, x] / m
    return dW


# Scalar slopes, written from the definitions (not from bpkit).
SLOPES = {
    "sigmoid": lambda t: (1 / (1 + np.exp(-t))) * (1 - 1 / (1 + np.exp(-t))),
    "tanh": lambda t: 1 - np.tanh(t) ** 2,
    "relu": lambda t: 1.0 if t > 0 else 0.0,
    "identity": lambda t: 1.0,
}
