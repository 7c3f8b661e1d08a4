r"""Operation counts: one forward pass, backprop, and per-parameter differentiation (chapter 1).

The counts are *measured*: the network's own code (``Network.forward``, ``Network.gradients``,
the loss) runs on :class:`Counted` arrays, which do their arithmetic as numpy does and charge
a tally for every scalar operation performed on the arrays they were actually given. There
is no second copy of the algorithm here and nothing is read off a formula; chapter 1
derives the formulas, and the tests check that the measurements agree with them and that
every method returns the same, correct gradient.

The network is the book's: layer $l$ computes $a^l = \sigma(W^l a^{l-1} + b^l)$, with the
quadratic loss $C = \tfrac12\lVert a^L - y\rVert^2$ of one example ``x`` (a column of
length ``n_0``).

Three kinds of operation are counted, and ``total`` adds them up:

* ``madd``: a multiply-add inside a matrix product (``@``);
* ``elementwise``: one scalar add, subtract, multiply or divide, entry by entry, and each
  addition inside a sum (a sum of $k$ numbers is $k - 1$ additions);
* ``activation``: one evaluation of $\sigma$ or $\sigma'$ at one entry, however the
  activation computes it inside.

Comparisons and checks (``np.isfinite`` on the input, for example) are not arithmetic and
are not charged; :attr:`Tally.uncharged` names every such operation that ran, so a test can
see that nothing arithmetic slipped past.
"""
import copy
from dataclasses import dataclass, field

import numpy as np

from .activations import Activation
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


# One scalar operation per entry of the result.
ELEMENTWISE = {np.add, np.subtract, np.multiply, np.divide, np.negative, np.square,
               np.power, np.reciprocal}


@dataclass
class Tally:
    """What the :class:`Counted` arrays of one measurement have charged."""

    count: OpCount = field(default_factory=OpCount)
    uncharged: set = field(default_factory=set)

    def array(self, x):
        """``x`` as a :class:`Counted` array charging this tally."""
        counted = np.array(x, dtype=float).view(Counted)
        counted.tally = self
        return counted

    def charge(self, ufunc, method, inputs, result):
        if method == "__call__" and ufunc is np.matmul:
            self.count.madd += np.size(result) * np.shape(inputs[0])[-1]
        elif method == "__call__" and ufunc in ELEMENTWISE:
            self.count.elementwise += np.size(result)
        elif method == "reduce" and ufunc is np.add:
            self.count.elementwise += np.size(inputs[0]) - np.size(result)
        else:
            self.uncharged.add(f"{ufunc.__name__}.{method}")


class Counted(np.ndarray):
    """An array whose arithmetic charges :attr:`tally` (every array computed from it does too).

    Make one with :meth:`Tally.array`. It behaves as a plain numpy array in every other way.
    """

    tally = None
    counts_operations = True   # bpkit.errors.as_array keeps arrays of this type

    def __array_finalize__(self, obj):
        self.tally = getattr(obj, "tally", None)

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        tally = next(x.tally for x in inputs + (out or ()) if isinstance(x, Counted))
        plain = [x.view(np.ndarray) if isinstance(x, Counted) else x for x in inputs]
        if out is not None:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, Counted) else o
                                  for o in out)
        result = getattr(ufunc, method)(*plain, **kwargs)
        tally.charge(ufunc, method, plain, result)
        if out is not None:
            return out[0] if len(out) == 1 else out
        if isinstance(result, (np.ndarray, np.generic)):   # a full sum gives a scalar
            result = np.asarray(result).view(Counted)
            result.tally = tally
        return result


def _counted_activation(activation, tally):
    """``activation`` with $\\sigma$ and $\\sigma'$ charged one operation per entry each."""
    if not activation.elementwise:   # softmax: its arithmetic is charged, its exp is "uncharged"
        return activation

    def f(z):
        tally.count.activation += np.size(z)
        return tally.array(activation.f(np.asarray(z)))

    def df(z, a):
        tally.count.activation += np.size(z)
        return tally.array(activation.df(np.asarray(z), np.asarray(a)))

    return Activation(activation.name, f, df)


def counting(net):
    """A copy of ``net`` (same weights) whose activations charge a new tally: ``(net, tally)``.

    Give the copy :class:`Counted` inputs (``tally.array(x)``) and run any of its methods.
    """
    tally = Tally()
    counted = copy.copy(net)
    counted.activation = _counted_activation(net.activation, tally)
    counted.output = _counted_activation(net.output, tally)
    return counted, tally


def _plain(layers):
    return Layers(layers.name, 1, [np.asarray(layers[l]) for l in layers.layers()])


def forward_pass(net, x, y):
    """One forward pass and the loss: the unit of cost. Returns ``(C, OpCount)``."""
    counted, tally = counting(net)
    C = counted.loss_from_cache(counted.forward(tally.array(x)), y)
    return C, tally.count


def backprop_gradient(net, x, y):
    r"""The gradient by backpropagation, counted; returns ``(dW, db, OpCount)``.

    It is the network's own ``gradients`` (its forward pass, then BP1 to BP4, chapters 6 to
    9), run on counted arrays.
    """
    counted, tally = counting(net)
    grads = counted.gradients(tally.array(x), y)
    return _plain(grads.dW), _plain(grads.db), tally.count


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
    counted, tally = counting(net)
    cache = counted.forward(tally.array(x))
    z, a, L, W = cache.z, cache.a, net.L, net.W
    r = net.loss_fn.grad_a(a[L], np.asarray(y, float).reshape(a[L].shape))   # a^L - y
    slope = {l: counted.activation_of(l).df(z[l], a[l]) for l in range(1, L + 1)}

    def sweep(l, zdot):
        # zdot holds one tangent dz^l/dtheta per column; carry all of them to dC/dtheta.
        for i in range(l + 1, L + 1):
            zdot = W[i] @ (slope[i - 1] * zdot)
        return (r.T @ (slope[L] * zdot)).ravel()

    dW, db = [], []
    for l in range(1, L + 1):
        n_out, n_in = W[l].shape
        # theta = W^l_jk: dz^l/dtheta = a^{l-1}_k e_j (a copy, no arithmetic).
        j, k = np.divmod(np.arange(n_out * n_in), n_in)
        seeds = np.zeros((n_out, n_out * n_in))
        seeds[j, np.arange(n_out * n_in)] = np.asarray(a[l - 1])[k, 0]
        dW.append(np.asarray(sweep(l, seeds)).reshape(n_out, n_in))
        # theta = b^l_j: dz^l/dtheta = e_j.
        db.append(np.asarray(sweep(l, np.eye(n_out))).reshape(n_out, 1))
    return Layers("dW", 1, dW), Layers("db", 1, db), tally.count


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
