r"""Operation counts: one forward pass, backprop, and per-parameter differentiation (chapter 1).

The counts are *measured*: each method below runs a real computation through a few counted
primitives (a matrix product, an elementwise product, one evaluation of $\sigma$ ...), and
every primitive charges the counter for the scalar operations it performs on the arrays it
was actually given. Nothing is read off a formula; chapter 1 derives the formulas and the
tests check that the measurements agree with them and that every method returns the same,
correct gradient.

The network is the book's: layer $l$ computes $a^l = \sigma(W^l a^{l-1} + b^l)$, and the
quadratic loss $C = \tfrac12\lVert a^L - y\rVert^2$ of one example ``x`` (a column of length ``n_0``).

Three kinds of operation are counted, and ``total`` adds them up:

* ``madd``: a multiply-add inside a matrix product, a dot product or an outer product;
* ``elementwise``: one scalar add, subtract or multiply applied entry by entry;
* ``activation``: one evaluation of $\sigma$ or $\sigma'$ at one entry.
"""
from dataclasses import dataclass

import numpy as np

from .network import Layers, Network


@dataclass
class OpCount:
    """Scalar operations performed, by kind."""

    madd: int = 0
    elementwise: int = 0
    activation: int = 0

    @property
    def total(self):
        return self.madd + self.elementwise + self.activation

    def __add__(self, other):
        return OpCount(self.madd + other.madd, self.elementwise + other.elementwise,
                       self.activation + other.activation)


class Counted:
    """The primitives of the three methods; each one charges ``self.count`` for its work.

    Arrays are columns. An array with several columns holds several independent vectors
    (for instance one tangent per parameter), and every column is charged in full.
    """

    def __init__(self, net):
        self.count = OpCount()
        self.net = net

    def matmul(self, A, B):
        """``A @ B``: a multiply-add for every (row of A, column of B, shared index)."""
        self.count.madd += A.shape[0] * A.shape[1] * B.shape[1]
        return A @ B

    def matmul_T(self, A, B):
        """``A.T @ B`` without forming the transpose; same charge as a product of that size."""
        self.count.madd += A.shape[0] * A.shape[1] * B.shape[1]
        return A.T @ B

    def outer(self, u, v):
        """``u v^T`` for columns ``u``, ``v``: one multiplication per entry of the result."""
        self.count.madd += u.shape[0] * v.shape[0]
        return u @ v.T

    def dot(self, u, v):
        """``u^T v`` column by column: one multiply-add per entry."""
        self.count.madd += np.broadcast(u, v).size
        return np.sum(u * v, axis=0, keepdims=True)

    def add(self, u, v):
        self.count.elementwise += np.broadcast(u, v).size
        return u + v

    def sub(self, u, v):
        self.count.elementwise += np.broadcast(u, v).size
        return u - v

    def mul(self, u, v):
        """Elementwise product (a Hadamard product, or a column scaled by a column)."""
        self.count.elementwise += np.broadcast(u, v).size
        return u * v

    def scale(self, c, u):
        self.count.elementwise += np.size(u)
        return c * u

    def f(self, z, l):
        """$\\sigma(z)$ of layer ``l``, one evaluation per entry."""
        self.count.activation += z.size
        return self.net.activation_of(l).f(z)

    def df(self, z, a, l):
        """$\\sigma'(z)$ of layer ``l`` (given $a = \\sigma(z)$), one evaluation per entry."""
        self.count.activation += z.size
        return self.net.activation_of(l).df(z, a)


def _forward(ops, W, b, x, y):
    """The forward pass and the loss; returns the cached ``z``, ``a`` and the loss ``C``."""
    a, zs, As = x, [], [x]
    for l in range(1, len(W) + 1):
        z = ops.add(ops.matmul(W[l], a), b[l])
        a = ops.f(z, l)
        zs.append(z)
        As.append(a)
    r = ops.sub(a, y)
    C = ops.scale(0.5, ops.dot(r, r))
    return Layers("z", 1, zs), Layers("a", 0, As), r, float(C[0, 0])


def _arrays(net, x, y):
    x = np.asarray(x, float).reshape(-1, 1)
    y = np.asarray(y, float).reshape(-1, 1)
    return net.W, net.b, x, y


def forward_pass(net, x, y):
    """One forward pass and the loss: the unit of cost. Returns ``(C, OpCount)``."""
    W, b, x, y = _arrays(net, x, y)
    ops = Counted(net)
    *_, C = _forward(ops, W, b, x, y)
    return C, ops.count


def backprop_gradient(net, x, y):
    r"""The gradient by backpropagation; returns ``(dW, db, OpCount)``.

    One forward pass that caches every $z^l$ and $a^l$, then one backward pass: BP1 for
    $\delta^L$, BP2 for each $\delta^l$ from $\delta^{l+1}$ (each computed once and used by
    the layer below), BP3 and BP4 for the gradients. ``dW`` and ``db`` are numbered like
    ``net.W`` and ``net.b``.
    """
    W, b, x, y = _arrays(net, x, y)
    ops = Counted(net)
    z, a, r, _ = _forward(ops, W, b, x, y)
    L = len(W)
    delta = {L: ops.mul(r, ops.df(z[L], a[L], L))}                                  # BP1
    for l in range(L - 1, 0, -1):
        delta[l] = ops.mul(ops.matmul_T(W[l + 1], delta[l + 1]), ops.df(z[l], a[l], l))  # BP2
    db = [delta[l] for l in range(1, L + 1)]                                     # BP3
    dW = [ops.outer(delta[l], a[l - 1]) for l in range(1, L + 1)]                # BP4
    return Layers("dW", 1, dW), Layers("db", 1, db), ops.count


def per_parameter_gradient(net, x, y):
    r"""The gradient one parameter at a time, with nothing reused; returns ``(dW, db, OpCount)``.

    Each parameter $\theta$ gets its own chain-rule pass, run forward from the layer where
    $\theta$ sits to the loss: its tangent $\dot z^l = \partial z^l/\partial\theta$ (one
    nonzero entry) is pushed through $\dot a^{i-1} = \sigma'(z^{i-1}) \odot \dot z^{i-1}$ and
    $\dot z^{i} = W^{i} \dot a^{i-1}$ up to $\partial C/\partial\theta = (a^L - y)^T \dot a^L$.
    This is the learner's method of writing $C$ as a function of one weight and
    differentiating it. It is given every forward value ($z^l$, $a^l$, $\sigma'(z^l)$) from a
    single forward pass, which flatters it; what it may not share is any derivative.

    The passes of the parameters of one layer run side by side as the columns of one array,
    which only makes numpy faster: the columns never mix, and each is charged in full.
    """
    W, b, x, y = _arrays(net, x, y)
    ops = Counted(net)
    z, a, r, _ = _forward(ops, W, b, x, y)
    L = len(W)
    slope = {l: ops.df(z[l], a[l], l) for l in range(1, L + 1)}

    def sweep(l, zdot):
        # zdot holds one tangent dz^l/dtheta per column; carry all of them to dC/dtheta.
        for i in range(l + 1, L + 1):
            zdot = ops.matmul(W[i], ops.mul(slope[i - 1], zdot))
        return ops.dot(r, ops.mul(slope[L], zdot)).ravel()

    dW, db = [], []
    for l in range(1, L + 1):
        n_out, n_in = W[l].shape
        # theta = W^l_jk: dz^l/dtheta = a^{l-1}_k e_j (a copy, no arithmetic).
        j, k = np.divmod(np.arange(n_out * n_in), n_in)
        seeds = np.zeros((n_out, n_out * n_in))
        seeds[j, np.arange(n_out * n_in)] = a[l - 1][k, 0]
        dW.append(sweep(l, seeds).reshape(n_out, n_in))
        # theta = b^l_j: dz^l/dtheta = e_j.
        db.append(sweep(l, np.eye(n_out)).reshape(n_out, 1))
    return Layers("dW", 1, dW), Layers("db", 1, db), ops.count


def compare(sizes, activation="sigmoid", seed=0):
    """Measure the three methods on a network of the given ``sizes``; return a dict of counts.

    The network and its example ``(x, y)`` are drawn from ``seed``. The dict has the keys
    ``"parameters"``, ``"forward"``, ``"backprop"`` and ``"per_parameter"`` (each an
    :class:`OpCount`).
    """
    net = Network(sizes, activation=activation, output=activation, seed=seed)
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal(sizes[0]), rng.random(sizes[-1])
    return {
        "parameters": sum(p.size for p in net.parameters()),
        "forward": forward_pass(net, x, y)[1],
        "backprop": backprop_gradient(net, x, y)[2],
        "per_parameter": per_parameter_gradient(net, x, y)[2],
    }


def stack(depth, width, n_in=None, n_out=1):
    """The sizes ``[n_in, width, ..., width, n_out]`` of a network with ``depth`` hidden layers.

    ``n_in`` defaults to ``width``.
    """
    return [width if n_in is None else n_in] + [width] * depth + [n_out]


def growth(sizes_list, activation="sigmoid"):
    """:func:`compare` for each network in ``sizes_list``; a list of ``(sizes, counts)``."""
    return [(list(sizes), compare(sizes, activation=activation)) for sizes in sizes_list]


def plot_growth(rows, title="Cost of the gradient, measured", highlight=None,
                figsize=(9.0, 3.6)):
    """Two panels from :func:`growth` (a list of ``(sizes, counts)``): counts, and ratios.

    Left: scalar operations against the number of parameters, log-log, for one forward
    pass, backprop, and per-parameter differentiation. Right: each method's count divided
    by the forward pass's. ``highlight`` is the index of a row to ring on both panels.
    Returns a matplotlib Figure (not attached to pyplot).
    """
    from matplotlib.figure import Figure

    P = [c["parameters"] for _, c in rows]
    fwd = np.array([c["forward"].total for _, c in rows], float)
    bp = np.array([c["backprop"].total for _, c in rows], float)
    pp = np.array([c["per_parameter"].total for _, c in rows], float)
    fig = Figure(figsize=figsize, dpi=100, layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    ax1.loglog(P, pp, "o-", color="C3", label="per-parameter")
    ax1.loglog(P, bp, "s-", color="C0", label="backprop")
    ax1.loglog(P, fwd, "^-", color="C7", label="one forward pass")
    ax1.set_xlabel("number of parameters $P$")
    ax1.set_ylabel("scalar operations")
    ax1.set_title("operations for one gradient")
    ax1.legend(frameon=False)
    ax2.semilogy(P, pp / fwd, "o-", color="C3", label="per-parameter / forward")
    ax2.semilogy(P, bp / fwd, "s-", color="C0", label="backprop / forward")
    ax2.set_xscale("log")
    ax2.set_xlabel("number of parameters $P$")
    ax2.set_ylabel("cost in forward passes")
    ax2.set_title("cost relative to one forward pass")
    ax2.legend(frameon=False)
    if highlight is not None:
        i = highlight
        for ax, ys in ((ax1, (pp[i], bp[i], fwd[i])), (ax2, (pp[i] / fwd[i], bp[i] / fwd[i]))):
            ax.plot([P[i]] * len(ys), ys, "o", ms=13, mfc="none", mec="k", mew=1.5)
    fig.suptitle(title)
    return fig
