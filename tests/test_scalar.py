"""The scalar engine of chapter 4 against HIPS autograd, finite differences and path sums."""
import math

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from bpkit import Network
from bpkit.errors import BpkitError
from bpkit.scalar import (Value, count_edges, count_paths, layered, naive_backward, path_sum,
                          paths, to_graph)

N_INPUTS = 3
UNARY = ("neg", "exp", "log", "sin", "cos", "tanh", "sigmoid", "relu", "square", "sqrt")
BINARY = ("+", "-", "*", "/")


def trees(max_leaves=8):
    """Random expression trees over the inputs x0, x1, x2 and small constants."""
    leaf = st.one_of(st.integers(0, N_INPUTS - 1).map(lambda i: ("x", i)),
                     st.floats(-2, 2, allow_nan=False).map(lambda c: ("const", round(c, 3))))
    return st.recursive(
        leaf,
        lambda sub: st.one_of(st.tuples(st.sampled_from(UNARY), sub),
                              st.tuples(st.sampled_from(BINARY), sub, sub)),
        max_leaves=max_leaves)


def evaluate(tree, xs, lib):
    """The value of ``tree``; ``lib`` is "value" (bpkit.scalar) or "autograd".

    log, division and the square root are applied to positive quantities (u^2 + 1), exp to
    tanh(u), so that every tree is defined and smooth enough to compare everywhere.
    """
    op = tree[0]
    if op == "x":
        return xs[tree[1]]
    if op == "const":
        return Value(tree[1]) if lib == "value" else tree[1]
    args = [evaluate(t, xs, lib) for t in tree[1:]]
    if lib == "value":
        u = args[0]
        unary = {"neg": lambda: -u, "exp": lambda: u.tanh().exp(),
                 "log": lambda: (u * u + 1).log(), "sin": u.sin, "cos": u.cos,
                 "tanh": u.tanh, "sigmoid": u.sigmoid, "relu": u.relu,
                 "square": lambda: u ** 2, "sqrt": lambda: (u * u + 1) ** 0.5}
    else:
        u = args[0]
        unary = {"neg": lambda: -u, "exp": lambda: anp.exp(anp.tanh(u)),
                 "log": lambda: anp.log(u * u + 1), "sin": lambda: anp.sin(u),
                 "cos": lambda: anp.cos(u), "tanh": lambda: anp.tanh(u),
                 "sigmoid": lambda: 1 / (1 + anp.exp(-u)),
                 "relu": lambda: anp.where(u > 0, u, 0.0),
                 "square": lambda: u ** 2, "sqrt": lambda: (u * u + 1) ** 0.5}
    if op in unary:
        return unary[op]()
    u, v = args
    return {"+": lambda: u + v, "-": lambda: u - v, "*": lambda: u * v,
            "/": lambda: u / (v * v + 1)}[op]()


def engine_gradient(tree, x):
    xs = [Value(xi, label=f"x{i}") for i, xi in enumerate(x)]
    out = evaluate(tree, xs, "value")
    out.backward()
    return out, xs, [v.grad for v in xs]


def has_relu(tree):
    return tree[0] == "relu" or any(isinstance(t, tuple) and has_relu(t) for t in tree[1:])


points = st.lists(st.floats(-2, 2, allow_nan=False), min_size=N_INPUTS, max_size=N_INPUTS)


@settings(max_examples=150, deadline=None)
@given(trees(), points)
def test_engine_matches_autograd_on_random_expressions(tree, x):
    out, xs, grads = engine_gradient(tree, x)
    f = lambda v: evaluate(tree, [v[i] for i in range(N_INPUTS)], "autograd") + 0.0 * v[0]
    expected = autograd.grad(f)(np.array(x, dtype=float))
    assert math.isclose(out.data, float(f(np.array(x))), rel_tol=1e-12, abs_tol=1e-12)
    np.testing.assert_allclose(
        grads, expected, rtol=1e-9, atol=1e-12,
        err_msg=f"dC/dx from the engine differs from autograd for the tree {tree} at x={x}")


@settings(max_examples=100, deadline=None)
@given(trees(), points)
def test_engine_matches_central_differences(tree, x):
    if has_relu(tree):
        return  # a kink: finite differences straddling it are not a derivative
    _, _, grads = engine_gradient(tree, x)
    eps = 1e-6
    for i in range(N_INPUTS):
        plus, minus = list(x), list(x)
        plus[i] += eps
        minus[i] -= eps
        value = lambda p: evaluate(tree, [Value(t) for t in p], "value").data
        estimate = (value(plus) - value(minus)) / (2 * eps)
        assert abs(grads[i] - estimate) <= 1e-5 * (1 + abs(estimate)), (
            f"dC/dx{i}: engine {grads[i]}, central difference {estimate}, tree {tree}, x={x}")


@settings(max_examples=100, deadline=None)
@given(trees(max_leaves=6), points)
def test_sum_over_paths_equals_the_engine_gradient(tree, x):
    out, xs, grads = engine_gradient(tree, x)
    for v, g in zip(xs, grads):
        listed = paths(v, out, limit=10**6)
        assert len(listed) == count_paths(v, out)
        drawn = to_graph(out, names={v: "v"})
        sources = [n for n in drawn.nodes if drawn.label[n] == "v"]
        assert len(listed) == (drawn.count_paths(sources[0], drawn.nodes[-1]) if sources else 0)
        assert math.isclose(path_sum(v, out), g, rel_tol=1e-9, abs_tol=1e-12), (
            f"sum over {len(listed)} paths {path_sum(v, out)} != engine gradient {g}")


def test_node_used_twice_accumulates():
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4.0 and b.grad == 2.0
    assert count_paths(a, c) == 4 and len(paths(a, c)) == 4


def test_backward_twice_gives_the_same_answer():
    x, y = Value(0.7), Value(-1.3)
    out = (x * y + x.sin()) * x
    out.backward()
    first = (x.grad, y.grad)
    out.backward()
    assert (x.grad, y.grad) == first


def test_naive_backward_assigning_is_wrong_and_walking_paths_is_slow():
    a = Value(3.0)
    c = (a + a) + (a + a)
    naive_backward(c, accumulate=False)
    assert a.grad != 4.0
    naive_backward(c, accumulate=True)
    assert a.grad == 4.0
    x, out = layered(6, 3)
    walked = naive_backward(out, accumulate=True)
    g = x.grad
    assert out.backward() < walked
    assert math.isclose(x.grad, g, rel_tol=1e-12)


def test_deep_chain_needs_no_recursion():
    x = Value(0.1)
    y = x
    for _ in range(20_000):
        y = y * 1.0 + 0.0
    y.backward()
    assert x.grad == 1.0


@pytest.mark.parametrize("depth,width", [(1, 1), (3, 2), (4, 3), (10, 4)])
def test_layered_counts(depth, width):
    x, out = layered(depth, width)
    assert count_paths(x, out) == width ** depth
    assert out.backward() == count_edges(out)


def test_engine_agrees_with_bpkit_network():
    net = Network([2, 3, 2], activation="sigmoid", loss="quadratic", seed=1)
    x, y = np.array([[0.3], [-0.8]]), np.array([[1.0], [0.0]])
    W = {l: [[Value(net.W[l][j, k]) for k in range(net.sizes[l - 1])]
             for j in range(net.sizes[l])] for l in (1, 2)}
    b = {l: [Value(net.b[l][j, 0]) for j in range(net.sizes[l])] for l in (1, 2)}
    a = [Value(x[k, 0]) for k in range(2)]
    for l in (1, 2):
        a = [(sum((W[l][j][k] * a[k] for k in range(len(a))), Value(0.0)) + b[l][j]).sigmoid()
             for j in range(net.sizes[l])]
    C = sum(((aj - float(y[j, 0])) ** 2 for j, aj in enumerate(a)), Value(0.0)) * 0.5
    C.backward()
    grads = net.gradients(x, y)
    assert math.isclose(C.data, net.loss(x, y), rel_tol=1e-12)
    for l in (1, 2):
        np.testing.assert_allclose([[w.grad for w in row] for row in W[l]], grads.dW[l],
                                   rtol=1e-10, err_msg=f"dC/dW^{l}")
        np.testing.assert_allclose([[v.grad] for v in b[l]], grads.db[l], rtol=1e-10)


def test_errors_and_drawing():
    with pytest.raises(BpkitError, match="positive"):
        Value(-1.0).log()
    with pytest.raises(BpkitError, match="constant exponent"):
        Value(2.0) ** Value(3.0)
    a = Value(2.0)
    out = (a + a) * a
    g = to_graph(out, names={a: "a"})
    assert g.label[g.nodes[0]] == "a" and len(g.nodes) == 3 and len(g.edges) == 4
    assert g.count_paths(g.nodes[0], g.nodes[-1]) == count_paths(a, out) == 3
