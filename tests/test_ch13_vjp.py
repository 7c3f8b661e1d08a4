"""Every VJP and JVP rule of chapter 13 against HIPS autograd and finite differences."""
import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from bpkit import Network
from bpkit import vjp as ad

ACTS = {"sigmoid": lambda z: 1 / (1 + anp.exp(-z)), "tanh": anp.tanh,
        "relu": lambda z: anp.maximum(z, 0), "identity": lambda z: z}


def _softmax(z):
    e = anp.exp(z - anp.max(z, axis=0, keepdims=True))
    return e / anp.sum(e, axis=0, keepdims=True)


LOSSES = {
    "quadratic": lambda a, y: anp.mean(0.5 * anp.sum((a - y) ** 2, axis=0)),
    "cross_entropy": lambda a, y: anp.mean(-anp.sum(y * anp.log(a), axis=0)),
    "binary_cross_entropy": lambda a, y: anp.mean(
        -anp.sum(y * anp.log(a) + (1 - y) * anp.log(1 - a), axis=0)),
}


def cases(rng, n, k, m):
    """(name, bpkit function, autograd function, arguments): one per primitive the network uses."""
    W, a, b = rng.standard_normal((n, k)), rng.standard_normal((k, m)), rng.standard_normal((n, 1))
    z = rng.standard_normal((n, m))
    z[np.abs(z) < 1e-3] = 0.5                      # keep relu away from its kink
    p = rng.uniform(0.1, 0.9, (n, m))
    y = rng.uniform(0.1, 0.9, (n, m))
    out = [("matmul", ad.matmul, anp.matmul, (W, a)),
           ("bias add", ad.add, anp.add, (z, b)),
           ("softmax", ad.softmax, _softmax, (z,))]
    out += [(f"activation {name}", lambda z, name=name: ad.sigma(z, name), f, (z,))
            for name, f in ACTS.items()]
    out += [(f"loss {name}", lambda a, y=y, name=name: ad.loss(a, y, name),
             lambda a, y=y, f=f: f(a, y), (p,)) for name, f in LOSSES.items()]
    return out


shapes = st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 3), st.integers(0, 2**20))


@settings(max_examples=30, deadline=None)
@given(shapes)
def test_vjp_and_jvp_rules_agree_with_autograd(s):
    n, k, m, seed = s
    rng = np.random.default_rng(seed)
    for name, f, f_ag, args in cases(rng, n, k, m):
        y, pullback = ad.vjp(f, *args)
        np.testing.assert_allclose(y, f_ag(*args), rtol=1e-10, atol=1e-12, err_msg=name)
        ybar = rng.standard_normal(np.shape(y))
        tangents = [rng.standard_normal(np.shape(x)) for x in args]
        _, ydot = ad.jvp(f, args, tangents)
        expected_dot = 0
        for i, (xbar, xdot) in enumerate(zip(pullback(ybar), tangents)):
            ref_vjp = autograd.make_vjp(f_ag, i)(*args)[0](ybar)
            np.testing.assert_allclose(xbar, ref_vjp, rtol=1e-8, atol=1e-10,
                                       err_msg=f"{name}: VJP J^T ybar of argument {i}")
            expected_dot = expected_dot + autograd.make_jvp(f_ag, i)(*args)(xdot)[1]
        np.testing.assert_allclose(ydot, expected_dot, rtol=1e-8, atol=1e-10,
                                   err_msg=f"{name}: JVP J xdot")


@settings(max_examples=20, deadline=None)
@given(shapes)
def test_jvp_matches_central_differences(s):
    n, k, m, seed = s
    rng = np.random.default_rng(seed)
    h = 1e-6
    for name, f, _, args in cases(rng, n, k, m):
        tangents = [rng.standard_normal(np.shape(x)) for x in args]
        _, ydot = ad.jvp(f, args, tangents)
        plus = f(*[x + h * t for x, t in zip(args, tangents)])
        minus = f(*[x - h * t for x, t in zip(args, tangents)])
        np.testing.assert_allclose(ydot, (plus - minus) / (2 * h), rtol=1e-5, atol=1e-6,
                                   err_msg=f"{name}: JVP against central differences")


def _net_function(seed):
    rng = np.random.default_rng(seed)
    sizes = [int(n) for n in rng.integers(1, 5, 3)]
    act = ["sigmoid", "tanh", "identity"][seed % 3]
    net = Network(sizes, activation=act, output="softmax" if seed % 2 else act, seed=seed)
    return net, lambda x: ad.network_output(net, x), rng.standard_normal((sizes[0], 1)), rng


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**20))
def test_jvp_from_two_vjps_is_the_jvp(seed):
    net, f, x, rng = _net_function(seed)
    xdot = rng.standard_normal(x.shape)
    ybar = rng.standard_normal((net.sizes[-1], 1))
    _, Jxdot = ad.jvp(f, (x,), (xdot,))
    np.testing.assert_allclose(ad.jvp_from_two_vjps(f, x, xdot), Jxdot, rtol=1e-10, atol=1e-12)
    # the identity behind it: ybar . (J xdot) = (J^T ybar) . xdot
    _, pullback = ad.vjp(f, x)
    assert np.isclose(np.sum(ybar * Jxdot), np.sum(pullback(ybar)[0] * xdot), rtol=1e-10,
                      atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**20))
def test_jacobian_forward_and_reverse_agree_with_autograd(seed):
    net, f, x, _ = _net_function(seed)
    Jf, Jr = ad.jacobian(f, x, "forward"), ad.jacobian(f, x, "reverse")
    assert Jf.shape == Jr.shape == (net.sizes[-1], net.sizes[0])
    np.testing.assert_allclose(Jf, Jr, rtol=1e-10, atol=1e-12)

    def f_ag(v):
        a = anp.reshape(v, (-1, 1))
        for l in range(1, net.L + 1):
            z = anp.dot(net.W[l], a) + net.b[l]
            act = net.activation_of(l).name
            a = _softmax(z) if act == "softmax" else ACTS[act](z)
        return anp.ravel(a)
    np.testing.assert_allclose(Jr, autograd.jacobian(f_ag)(x.ravel()), rtol=1e-8, atol=1e-10)


def test_the_network_steps_carry_a_tangent_forward_and_an_adjoint_backward():
    net, f, x, rng = _net_function(4)
    J = ad.jacobian(f, x)
    xdot, abar = rng.standard_normal(x.shape), rng.standard_normal((net.sizes[-1], 1))
    fwd = ad.forward_steps(net, x, xdot)
    rev = ad.reverse_steps(net, x, abar)
    assert [s[0] for s in fwd] == ["a0", "z1", "a1", "z2", "a2"]
    assert [s[0] for s in rev] == ["a2", "z2", "a1", "z1", "a0"]
    np.testing.assert_allclose(fwd[-1][2], J @ xdot)
    np.testing.assert_allclose(rev[-1][2], J.T @ abar)


def test_no_rule_forms_a_diagonal_jacobian(monkeypatch):
    """The elementwise rules multiply by sigma'(z); building diag(sigma'(z)) would be n^2 work."""
    def refuse(*args, **kwargs):
        raise AssertionError("a diagonal Jacobian was formed")
    monkeypatch.setattr(np, "diag", refuse)
    monkeypatch.setattr(np, "diagflat", refuse)
    z = np.linspace(-2, 2, 2000).reshape(-1, 1)
    _, pullback = ad.vjp(lambda z: ad.sigma(z, "sigmoid"), z)
    g = pullback(np.ones_like(z))[0]
    s = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(g, s * (1 - s))


def test_a_rule_missing_is_named():
    with pytest.raises(Exception, match="no derivative rule"):
        ad.grad(lambda z: ad.sum_to(ad.sigma_second(z, "tanh"), ()))(np.ones((2, 1)))
