r"""Hessian-vector products of a network's loss, and a Newton-CG method that uses them (chapter 14).

The parameters $\theta = (W^1, b^1, \dots, W^L, b^L)$ are a list of arrays, and so is a
direction $v$ in parameter space (one array per parameter, of the same shapes). The
Hessian $H = \nabla^2 C(\theta)$ is never formed; $H v$ comes three ways:

* forward over reverse: $Hv = \frac{d}{dt}\nabla C(\theta + t v)\big|_{t=0}$, the JVP of the
  gradient, i.e. backprop run on dual numbers;
* reverse over reverse: $Hv = \nabla_\theta\,\big(v \cdot \nabla C(\theta)\big)$, the gradient
  of a scalar built from the gradient ($H$ is symmetric);
* finite differences of gradients: $Hv \approx \big(\nabla C(\theta + \epsilon v) -
  \nabla C(\theta - \epsilon v)\big) / (2\epsilon)$, two backprops and an error of order
  $\epsilon^2$ (plus round-off of order $\text{eps}_\text{machine}/\epsilon$).
"""
import copy
import time

import numpy as np

from . import vjp as ad


def loss_function(net, X, Y):
    r"""$C(W^1, b^1, \dots, W^L, b^L)$: the mean loss of ``net``'s architecture on ``X, Y`` as a
    function of the parameters, written with :mod:`bpkit.vjp`'s primitives."""
    def C(*params):
        a = X
        for l in range(1, net.L + 1):
            W, b = params[2 * l - 2], params[2 * l - 1]
            z = ad.add(ad.matmul(W, a), b)
            act = net.activation_of(l)
            a = ad.softmax(z) if act.name == "softmax" else ad.sigma(z, act.name)
        return ad.loss(a, Y, net.loss_fn.name)
    return C


def gradient(net, X, Y, params=None):
    """$\\nabla C$ by reverse mode, as a list like ``net.parameters()``."""
    params = net.parameters() if params is None else params
    return list(ad.grad(loss_function(net, X, Y))(*params))


def hvp_forward_over_reverse(net, X, Y, v, params=None):
    r"""$Hv$ as the JVP of the gradient: one backward pass on dual numbers $\theta + v\varepsilon$."""
    params = net.parameters() if params is None else params
    gradient_fn = ad.grad(loss_function(net, X, Y))
    _, Hv = ad.jvp(gradient_fn, params, v)
    return list(Hv)


def hvp_reverse_over_reverse(net, X, Y, v, params=None):
    r"""$Hv = \nabla_\theta (v \cdot \nabla C(\theta))$: reverse mode through the backward pass."""
    params = net.parameters() if params is None else params
    gradient_fn = ad.grad(loss_function(net, X, Y))

    def v_dot_gradient(*p):
        total = 0.0
        for g_i, v_i in zip(gradient_fn(*p), v):
            total = ad.add(total, ad.sum_to(ad.mul(g_i, v_i), ()))
        return total
    return list(ad.grad(v_dot_gradient)(*params))


def _with_parameters(net, params):
    twin = copy.deepcopy(net)
    for l in range(1, net.L + 1):
        twin.W[l], twin.b[l] = params[2 * l - 2], params[2 * l - 1]
    return twin


def backprop_gradient(net, X, Y, params):
    """The gradient by bpkit's backprop (BP1-BP4) at other parameters, as a list."""
    g = _with_parameters(net, params).gradients(X, Y)
    return [d for l in range(1, net.L + 1) for d in (g.dW[l], g.db[l])]


def hvp_finite_differences(net, X, Y, v, eps=1e-5, params=None):
    r"""$Hv \approx (\nabla C(\theta + \epsilon v) - \nabla C(\theta - \epsilon v)) / (2\epsilon)$:
    two backprops, central differences."""
    params = net.parameters() if params is None else params
    plus = backprop_gradient(net, X, Y, [p + eps * d for p, d in zip(params, v)])
    minus = backprop_gradient(net, X, Y, [p - eps * d for p, d in zip(params, v)])
    return [(gp - gm) / (2 * eps) for gp, gm in zip(plus, minus)]


METHODS = {"forward-over-reverse": hvp_forward_over_reverse,
           "reverse-over-reverse": hvp_reverse_over_reverse,
           "finite differences": hvp_finite_differences}


# -- flat vectors ----------------------------------------------------------------------------

def flatten(arrays):
    """One vector of every entry, in the order of ``net.parameters()``."""
    return np.concatenate([np.ravel(a) for a in arrays])


def unflatten(vector, like):
    """The inverse of :func:`flatten`: arrays shaped like ``like``."""
    out, start = [], 0
    for a in like:
        out.append(np.reshape(vector[start:start + a.size], a.shape))
        start += a.size
    return out


def hessian(net, X, Y):
    """The whole Hessian, one row per reverse-over-reverse pass ($P$ passes for $P$ parameters):
    affordable only for a small network; the reference the tests and the chapter use."""
    params = net.parameters()
    P = sum(p.size for p in params)
    rows = [flatten(hvp_reverse_over_reverse(net, X, Y, unflatten(e, params))) for e in np.eye(P)]
    return np.array(rows)


# -- a second-order method -------------------------------------------------------------------

def conjugate_gradient(Hv, b, iterations, tol=1e-10):
    r"""Approximately solve $H p = b$ by conjugate gradients, using only products $H v$.

    Stops after ``iterations`` products, when the residual falls below ``tol``, or when a
    direction of negative curvature ($d^T H d \le 0$) appears, which a Newton step must not
    follow. Returns ``(p, products)``.
    """
    p = np.zeros_like(b)
    r, d = b.copy(), b.copy()
    for k in range(iterations):
        Hd = Hv(d)
        curvature = d @ Hd
        if curvature <= 0:
            return (p if k else b), k + 1        # the gradient step when nothing better is known
        alpha = (r @ r) / curvature
        p = p + alpha * d
        r_new = r - alpha * Hd
        if np.sqrt(r_new @ r_new) < tol:
            return p, k + 1
        d = r_new + ((r_new @ r_new) / (r @ r)) * d
        r = r_new
    return p, iterations


def newton_cg(net, X, Y, iterations=20, cg_iterations=10, damping=1e-4):
    r"""Minimise the loss with Newton steps $p \approx -(H + \lambda I)^{-1} \nabla C$ found by
    :func:`conjugate_gradient` from forward-over-reverse HVPs, then a backtracking line search.

    Works on a copy of ``net``; returns ``(net, history)`` with history a list of dicts
    ``loss``, ``seconds`` (since the start) and ``hvps`` (products used so far).
    """
    net = copy.deepcopy(net)
    like = net.parameters()
    theta = flatten(like)
    C = loss_function(net, X, Y)

    def loss_at(t):
        return float(C(*unflatten(t, like)))
    start, hvps = time.perf_counter(), 0
    history = [{"loss": loss_at(theta), "seconds": 0.0, "hvps": 0}]
    for _ in range(iterations):
        params = unflatten(theta, like)
        g = flatten(gradient(net, X, Y, params))

        def Hv(d):
            return flatten(hvp_forward_over_reverse(net, X, Y, unflatten(d, like), params)) \
                + damping * d
        p, used = conjugate_gradient(Hv, -g, cg_iterations)
        hvps += used
        step, current = 1.0, history[-1]["loss"]
        while loss_at(theta + step * p) > current + 1e-4 * step * (g @ p) and step > 1e-6:
            step /= 2                                          # Armijo backtracking
        theta = theta + step * p
        history.append({"loss": loss_at(theta), "seconds": time.perf_counter() - start,
                        "hvps": hvps})
    for p, a in zip(like, unflatten(theta, like)):
        p[...] = a                                   # net.parameters() are net's own arrays
    return net, history


def gradient_descent(net, X, Y, iterations=200, lr=1.0):
    """Plain full-batch gradient descent (backprop); returns ``(net, history)`` like :func:`newton_cg`."""
    net = copy.deepcopy(net)
    start = time.perf_counter()
    history = [{"loss": net.loss(X, Y), "seconds": 0.0}]
    for _ in range(iterations):
        g = net.gradients(X, Y)
        for l in range(1, net.L + 1):
            net.W[l] -= lr * g.dW[l]
            net.b[l] -= lr * g.db[l]
        history.append({"loss": net.loss(X, Y), "seconds": time.perf_counter() - start})
    return net, history


# -- figures ---------------------------------------------------------------------------------

def difference_errors(net, X, Y, v, eps_grid):
    """Largest error of one-sided and central differences of gradients against the exact
    $Hv$ (forward over reverse), relative to its largest entry, for each eps: two lists."""
    params = net.parameters()
    exact = flatten(hvp_forward_over_reverse(net, X, Y, v))
    g0 = flatten(backprop_gradient(net, X, Y, params))
    scale = np.abs(exact).max()
    one_sided, central = [], []
    for eps in eps_grid:
        plus = flatten(backprop_gradient(net, X, Y, [p + eps * d for p, d in zip(params, v)]))
        minus = flatten(backprop_gradient(net, X, Y, [p - eps * d for p, d in zip(params, v)]))
        one_sided.append(np.abs((plus - g0) / eps - exact).max() / scale)
        central.append(np.abs((plus - minus) / (2 * eps) - exact).max() / scale)
    return one_sided, central


def plot_difference_errors(eps_grid, one_sided, central, figsize=(6.4, 3.6), dpi=80):
    """The two error curves of :func:`difference_errors` against eps, log-log."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    ax = fig.subplots()
    ax.loglog(eps_grid, one_sided, "s-", color="C1", label=r"one-sided $(g(\theta+\epsilon v) - g(\theta))/\epsilon$")
    ax.loglog(eps_grid, central, "o-", color="C0", label=r"central $(g(\theta+\epsilon v) - g(\theta-\epsilon v))/2\epsilon$")
    ax.set_xlabel(r"step $\epsilon$")
    ax.set_ylabel("largest error / largest entry of $Hv$")
    ax.set_title("Finite differences of gradients against the exact $Hv$", fontsize=10)
    ax.legend(frameon=False, fontsize=8)
    return fig


def plot_training(runs, figsize=(9.0, 3.4), dpi=80):
    """Loss against iteration and against time for ``{name: history}`` of the two methods."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    for (name, history), colour in zip(runs.items(), ("C3", "C0")):
        loss = [h["loss"] for h in history]
        ax1.semilogy(range(len(loss)), loss, color=colour, label=name)
        ax2.semilogy([h["seconds"] for h in history], loss, color=colour, label=name)
    ax1.set_xscale("symlog", linthresh=10)
    ax1.set_xlabel("iteration")
    ax2.set_xlabel("seconds")
    for ax in (ax1, ax2):
        ax.set_ylabel("training loss")
        ax.legend(frameon=False, fontsize=9)
    ax1.set_title("loss per iteration", fontsize=10)
    ax2.set_title("loss against time (this machine)", fontsize=10)
    return fig
