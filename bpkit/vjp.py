r"""Vector-Jacobian and Jacobian-vector products of a network's operations (chapter 13).

For a primitive $y = f(x)$ with Jacobian $J = \partial y / \partial x$:

* its VJP takes a cotangent $\bar y$ (the adjoint of the output, shaped like $y$) to
  $\bar x = J^T \bar y$ (shaped like $x$): one step of reverse mode;
* its JVP takes a tangent $\dot x$ (shaped like $x$) to $\dot y = J \dot x$: one step of
  forward mode.

Neither ever forms $J$: the elementwise ones multiply by the diagonal of $J$, the matrix
product multiplies by a matrix of the layer. The rules are two tables, :class:`VJP` and
:class:`JVP`, a row per primitive, written with the same primitives, so that a rule can
itself be differentiated (a JVP from two VJPs, Hessian-vector products in chapter 14).

Reverse mode records the primitives applied to a :class:`Var` and runs the VJPs back;
forward mode carries a :class:`Dual` number (a value and its tangent) through the JVPs.
Both can be nested: every call of :func:`vjp` or :func:`jvp` opens a new level, and a
primitive unwraps the innermost level first.
"""
import itertools

import numpy as np

from .activations import get_activation, softmax_f
from .errors import BpkitError
from .losses import get_loss

_levels = itertools.count(1)


# -- what reverse and forward mode wrap around an array --------------------------------------

class Var:
    """A value on reverse mode's record: ``value``, and how it was computed (``prim``, ``args``)."""

    def __init__(self, value, level, prim=None, args=(), parents=()):
        self.value, self.level = value, level
        self.prim, self.args, self.parents = prim, args, parents  # parents: (argnum, Var)

    shape = property(lambda self: np.shape(self.value))

    def __repr__(self):
        return f"Var(shape={self.shape}, level={self.level})"


class Dual:
    r"""A dual number of arrays: ``value`` $x$ and ``tangent`` $\dot x$, as $x + \dot x\,\varepsilon$
    with $\varepsilon^2 = 0$. Every primitive maps it to $f(x) + J\dot x\,\varepsilon$."""

    def __init__(self, value, tangent, level):
        self.value, self.tangent, self.level = value, tangent, level

    shape = property(lambda self: np.shape(self.value))

    def __repr__(self):
        return f"Dual(value={self.value!r}, tangent={self.tangent!r})"


_BOXES = (Var, Dual)
for _box in _BOXES:
    # a @ b, a + b, a * b ... on boxes are the primitives; and numpy hands `array @ box` to
    # the box's reflected operator instead of treating the box as an object array
    _box.__array_ufunc__ = None
    _box.__matmul__ = lambda a, b: matmul(a, b)
    _box.__rmatmul__ = lambda a, b: matmul(b, a)
    _box.__add__ = _box.__radd__ = lambda a, b: add(a, b)
    _box.__sub__ = lambda a, b: add(a, neg(b))
    _box.__rsub__ = lambda a, b: add(b, neg(a))
    _box.__mul__ = _box.__rmul__ = lambda a, b: mul(a, b)
    _box.__neg__ = lambda a: neg(a)
    _box.T = property(lambda a: transpose(a))


def unbox(x):
    """The plain array inside any number of Var and Dual wrappers."""
    while isinstance(x, _BOXES):
        x = x.value
    return x


class Primitive:
    """An operation bpkit differentiates: ``f`` on plain arrays, its rules in :class:`VJP`, :class:`JVP`.

    Called on boxes, it unwraps the innermost level (the highest number), computes the
    answer one level down, and wraps it again: a Var that records the call, or a Dual whose
    tangent is the sum of the JVP rules of the arguments at that level.
    """

    def __init__(self, name, f):
        self.name, self.f = name, f

    def __call__(self, *args):
        boxed = [a for a in args if isinstance(a, _BOXES)]
        if not boxed:
            return self.f(*args)
        top = max(a.level for a in boxed)
        inner = [a.value if isinstance(a, _BOXES) and a.level == top else a for a in args]
        ans = self(*inner)                     # lower levels are unwrapped by the recursion
        mine = [(i, a) for i, a in enumerate(args) if isinstance(a, _BOXES) and a.level == top]
        if isinstance(mine[0][1], Dual):
            tangent = None
            for i, a in mine:
                t = jvp_rule(self, i)(a.tangent, ans, *inner)
                tangent = t if tangent is None else add(tangent, t)
            return Dual(ans, tangent, top)
        return Var(ans, top, self, tuple(inner), tuple(mine))

    def __repr__(self):
        return f"<primitive {self.name}>"


def _sum_to(x, shape):
    """Sum ``x`` down to ``shape``: the adjoint of broadcasting (a bias column over a batch)."""
    while x.ndim > len(shape):
        x = x.sum(axis=0)
    for axis, n in enumerate(shape):
        if n == 1 and x.shape[axis] != 1:
            x = x.sum(axis=axis, keepdims=True)
    return x


def _second_derivative(z, name):
    r"""$\sigma''(z)$, needed only to differentiate a rule that contains $\sigma'$."""
    if name == "sigmoid":
        s = get_activation("sigmoid").f(z)
        return s * (1 - s) * (1 - 2 * s)
    if name == "tanh":
        t = np.tanh(z)
        return -2 * t * (1 - t * t)
    if name in ("relu", "identity"):
        return np.zeros_like(z)
    raise BpkitError(f"no second derivative for the activation {name!r}")


def _loss_curvature(a, y, name):
    r"""$\partial^2 C_x / \partial a_j^2$ (these losses' Hessians in $a$ are diagonal)."""
    if name == "quadratic":
        return np.ones_like(a)
    if name == "cross_entropy":
        return y / a ** 2
    if name == "binary_cross_entropy":
        return y / a ** 2 + (1 - y) / (1 - a) ** 2
    raise BpkitError(f"no curvature for the loss {name!r}")


def _mean_loss(a, y, name):
    return np.array(get_loss(name).value(a, y))


matmul = Primitive("matmul", np.matmul)
transpose = Primitive("transpose", np.transpose)
add = Primitive("add", np.add)
neg = Primitive("neg", np.negative)
mul = Primitive("mul", np.multiply)
sum_to = Primitive("sum_to", _sum_to)
broadcast_to = Primitive("broadcast_to", lambda x, shape: np.broadcast_to(x, shape).copy())
sigma = Primitive("sigma", lambda z, name: get_activation(name).f(z))
sigma_prime = Primitive("sigma_prime", lambda z, name: get_activation(name).df(z))
sigma_second = Primitive("sigma_second", _second_derivative)
softmax = Primitive("softmax", softmax_f)
loss = Primitive("loss", _mean_loss)
loss_grad = Primitive("loss_grad", lambda a, y, name: get_loss(name).grad_a(a, y))
loss_curvature = Primitive("loss_curvature", _loss_curvature)


def _shape(x):
    return np.shape(unbox(x))


def _m(a):
    return _shape(a)[1] if len(_shape(a)) == 2 else 1


def unbroadcast(g, x):
    """Sum the adjoint ``g`` down to the shape of ``x`` (a bias column used by every example)."""
    return sum_to(g, _shape(x))


def broadcast(d, like):
    """Spread ``d`` to the shape of ``like`` (a bias tangent, the same for every example)."""
    return broadcast_to(d, _shape(like))


def column_sums(x):
    """The sum of each column of ``x``, spread back over the column."""
    return broadcast(sum_to(x, (1, _shape(x)[1])), x)


# Each rule is a lambda of the incoming vector (g for a VJP, d for a JVP), the primitive's
# answer `ans` and its arguments; a primitive has one rule per argument that carries a
# derivative, in order. On a Var or a Dual the operators @, +, -, * are the primitives, so a
# rule applied to one is itself recorded or carried forward: rules can be differentiated.

class VJP:
    r"""The VJP rules, a row per primitive: the adjoint $\bar x = J^T g$ of each argument.

    ``g`` is the adjoint of the answer ``ans``; then come the primitive's arguments.
    """
    matmul       = (lambda g, ans, A, B: g @ B.T,                  # A B
                    lambda g, ans, A, B: A.T @ g)
    transpose    = (lambda g, ans, x: g.T,)
    add          = (lambda g, ans, x, y: unbroadcast(g, x),        # z + b: summed for b
                    lambda g, ans, x, y: unbroadcast(g, y))
    neg          = (lambda g, ans, x: -g,)
    mul          = (lambda g, ans, x, y: unbroadcast(g * y, x),    # x ⊙ y
                    lambda g, ans, x, y: unbroadcast(g * x, y))
    sum_to       = (lambda g, ans, x, shape: broadcast(g, x),)
    broadcast_to = (lambda g, ans, x, shape: unbroadcast(g, x),)
    sigma        = (lambda g, ans, z, name: g * sigma_prime(z, name),)   # J diagonal: g ⊙ σ'(z)
    sigma_prime  = (lambda g, ans, z, name: g * sigma_second(z, name),)
    softmax      = (lambda g, ans, z: ans * (g - column_sums(ans * g)),)  # J = diag(a) - a a^T
    loss         = (lambda g, ans, a, y, name: g * ((1 / _m(a)) * loss_grad(a, y, name)),)
    loss_grad    = (lambda g, ans, a, y, name: g * loss_curvature(a, y, name),)


class JVP:
    r"""The JVP rules, a row per primitive: each argument's share of the tangent $J \dot x$.

    ``d`` is the tangent of that argument; ``ans`` the primitive's answer.
    """
    matmul       = (lambda d, ans, A, B: d @ B,
                    lambda d, ans, A, B: A @ d)
    transpose    = (lambda d, ans, x: d.T,)
    add          = (lambda d, ans, x, y: broadcast(d, ans),
                    lambda d, ans, x, y: broadcast(d, ans))
    neg          = (lambda d, ans, x: -d,)
    mul          = (lambda d, ans, x, y: d * y,
                    lambda d, ans, x, y: x * d)
    sum_to       = (lambda d, ans, x, shape: sum_to(d, shape),)
    broadcast_to = (lambda d, ans, x, shape: broadcast_to(d, shape),)
    sigma        = (lambda d, ans, z, name: sigma_prime(z, name) * d,)
    sigma_prime  = (lambda d, ans, z, name: sigma_second(z, name) * d,)
    softmax      = (lambda d, ans, z: ans * (d - column_sums(ans * d)),)  # J is symmetric
    loss         = (lambda d, ans, a, y, name: sum_to((1 / _m(a)) * (loss_grad(a, y, name) * d), ()),)
    loss_grad    = (lambda d, ans, a, y, name: loss_curvature(a, y, name) * d,)


def _rule(prim, argnum, table):
    try:
        return getattr(table, prim.name)[argnum]
    except (AttributeError, IndexError):
        raise BpkitError(f"{prim.name} has no derivative rule for its argument {argnum}: "
                         "bpkit differentiates it no further") from None


def vjp_rule(prim, argnum):
    return _rule(prim, argnum, VJP)


def jvp_rule(prim, argnum):
    return _rule(prim, argnum, JVP)


# -- reverse mode ----------------------------------------------------------------------------

def _topological(root):
    order, seen = [], set()

    def visit(v):
        if id(v) in seen:
            return
        seen.add(id(v))
        for _, p in v.parents:
            visit(p)
        order.append(v)
    visit(root)
    return order


def vjp(f, *xs):
    r"""Run ``f(*xs)`` recording it; return ``(y, pullback)`` with ``pullback(ybar)`` the tuple
    $J_i^T \bar y$, one adjoint per argument (shaped like it). The pullback can be called again
    and again, and its own operations can be recorded by an outer level."""
    level = next(_levels)
    boxes = [Var(x, level) for x in xs]
    out = f(*boxes)
    y = out.value if isinstance(out, Var) and out.level == level else out
    order = _topological(out) if isinstance(out, Var) and out.level == level else []

    def pullback(ybar):
        adjoint = {id(out): ybar}
        for v in reversed(order):
            g = adjoint.pop(id(v), None)
            if g is None or v.prim is None:
                adjoint[id(v)] = g
                continue
            for i, p in v.parents:
                gi = vjp_rule(v.prim, i)(g, v.value, *v.args)
                adjoint[id(p)] = gi if adjoint.get(id(p)) is None else add(adjoint[id(p)], gi)
        return tuple(adjoint.get(id(b)) if adjoint.get(id(b)) is not None
                     else np.zeros_like(unbox(b.value), dtype=float) for b in boxes)
    return y, pullback


def grad(f):
    """The gradient of a scalar ``f``: one VJP with the cotangent 1."""
    def gradient(*xs):
        y, pullback = vjp(f, *xs)
        return pullback(np.ones_like(unbox(y), dtype=float))
    return gradient


# -- forward mode ----------------------------------------------------------------------------

def jvp(f, xs, tangents):
    r"""Run ``f`` on dual numbers $x_i + \dot x_i\varepsilon$; return ``(y, ydot)``, $\dot y = \sum_i J_i \dot x_i$.

    ``f`` may return a tuple of arrays; then ``y`` and ``ydot`` are tuples.
    """
    level = next(_levels)
    out = f(*[Dual(x, t, level) for x, t in zip(xs, tangents)])

    def split(o):
        if isinstance(o, Dual) and o.level == level:
            return o.value, o.tangent
        return o, np.zeros_like(unbox(o), dtype=float)   # o does not depend on xs
    if isinstance(out, (tuple, list)):
        pairs = [split(o) for o in out]
        return tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)
    return split(out)


def jvp_from_two_vjps(f, x, xdot):
    r"""$J\dot x$ without forward mode. The pullback $u \mapsto J^T u$ is linear in $u$, so its
    own VJP with cotangent $\dot x$ is $(J^T)^T \dot x = J \dot x$, whatever $u$ it starts at."""
    y, pullback = vjp(f, x)
    u0 = np.zeros_like(unbox(y), dtype=float)
    _, pullback_of_pullback = vjp(lambda u: pullback(u)[0], u0)
    return pullback_of_pullback(xdot)[0]


def jacobian(f, x, mode="reverse"):
    """The Jacobian of ``f`` at the column ``x`` (shape ``(n, 1)``), built one column at a time
    by JVPs (``mode="forward"``: n passes) or one row at a time by VJPs (``"reverse"``: one
    pass per output)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(unbox(f(x)), dtype=float)
    if mode == "forward":
        cols = [jvp(f, (x,), (e.reshape(x.shape),))[1].ravel() for e in np.eye(x.size)]
        return np.array(cols).T
    if mode == "reverse":
        _, pullback = vjp(f, x)
        return np.array([pullback(e.reshape(y.shape))[0].ravel() for e in np.eye(y.size)])
    raise BpkitError(f"mode must be 'forward' or 'reverse'; received {mode!r}")


# -- a network, both ways --------------------------------------------------------------------

def network_output(net, x):
    """$a^L$ of ``net`` for the input ``x``, with the primitives (so that it can be differentiated)."""
    a = x
    for l in range(1, net.L + 1):
        z = add(matmul(net.W[l], a), net.b[l])
        act = net.activation_of(l)
        a = softmax(z) if act.name == "softmax" else sigma(z, act.name)
    return a


def forward_steps(net, x, xdot):
    r"""Forward mode through ``net``, layer by layer: a list of ``(name, value, tangent)``.

    The tangent carried is $\dot a^l = \partial a^l/\partial x\;\dot x$, the change of every
    layer when the input moves along $\dot x$.
    """
    level = next(_levels)
    a = Dual(np.asarray(x, float), np.asarray(xdot, float), level)
    steps = [("a0", a.value, a.tangent)]
    for l in range(1, net.L + 1):
        z = add(matmul(net.W[l], a), net.b[l])
        act = net.activation_of(l)
        a = softmax(z) if act.name == "softmax" else sigma(z, act.name)
        steps += [(f"z{l}", z.value, z.tangent), (f"a{l}", a.value, a.tangent)]
    return steps


def reverse_steps(net, x, abar):
    r"""Reverse mode through ``net``, from the output down: a list of ``(name, value, adjoint)``.

    The adjoint carried is $\bar a^l = (\partial a^L/\partial a^l)^T \bar a^L$, how much the
    chosen combination $\bar a^L \cdot a^L$ of the outputs moves per unit change of each entry.
    Each step is one row of :class:`VJP` applied to the forward pass's cached values.
    """
    cache = net.forward(x)
    steps = [(f"a{net.L}", cache.a[net.L], np.asarray(abar, float))]
    g = steps[0][2]
    for l in range(net.L, 0, -1):
        act = net.activation_of(l)
        z = cache.z[l]
        if act.name == "softmax":
            g = VJP.softmax[0](g, cache.a[l], z)
        else:
            g = VJP.sigma[0](g, cache.a[l], z, act.name)
        steps.append((f"z{l}", z, g))
        g = VJP.matmul[1](g, None, net.W[l], cache.a[l - 1])
        steps.append((f"a{l - 1}", cache.a[l - 1], g))
    return steps
