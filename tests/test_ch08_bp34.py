"""Chapter 8's claims: BP3 and BP4 at index level, the outer product, the gradient of the mean
loss (checked against HIPS autograd), why dead units and blank inputs do not learn, and the
explorer's stored views."""
import re

import autograd
import autograd.numpy as anp
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import bpkit
from bpkit.exercises.ch08 import _gain_grads
from bpkit.explorers.outer import (EXAMPLES, dead_units, demo_network, outer_explorer,
                                   outer_parts, zero_inputs)

ACTS = {"sigmoid": lambda z: 1 / (1 + anp.exp(-z)), "tanh": anp.tanh,
        "relu": lambda z: anp.maximum(z, 0.0)}


def mean_loss(net, params, X, Y):
    """The network's mean quadratic loss written again in autograd's numpy."""
    a = X
    for l in range(1, net.L + 1):
        W, b = params[2 * (l - 1)], params[2 * (l - 1) + 1]
        a = ACTS[net.activation_of(l).name](anp.dot(W, a) + b)
    return anp.sum((a - Y) ** 2) / 2 / X.shape[1]


@st.composite
def batches(draw):
    n = draw(st.integers(1, 5))
    k = draw(st.integers(1, 5))
    m = draw(st.integers(1, 6))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, m)), rng.standard_normal((k, m))


@given(batches())
def test_bp4_entry_jk_is_the_mean_over_examples_of_delta_j_times_a_k(batch):
    delta, a_prev = batch
    n, m = delta.shape
    k = a_prev.shape[0]
    dW = bpkit.bp4(delta, a_prev)
    assert dW.shape == (n, k), "dC/dW^l must have the shape (n_l, n_(l-1)) of W^l"
    index_form = np.array([[sum(delta[j, x] * a_prev[kk, x] for x in range(m)) / m
                            for kk in range(k)] for j in range(n)])
    np.testing.assert_allclose(dW, index_form, rtol=1e-12, atol=1e-15,
                               err_msg="BP4 differs from (1/m) sum_x delta_j a_k")
    outer_mean = sum(np.outer(delta[:, x], a_prev[:, x]) for x in range(m)) / m
    np.testing.assert_allclose(dW, outer_mean, rtol=1e-12, atol=1e-15,
                               err_msg="BP4 differs from the mean of the outer products")
    np.testing.assert_allclose(bpkit.bp3(delta), delta.mean(axis=1, keepdims=True),
                               rtol=1e-12, atol=1e-15,
                               err_msg="BP3 differs from the mean of each unit's error")


@settings(max_examples=25)
@given(st.lists(st.integers(1, 5), min_size=2, max_size=5),
       st.sampled_from(["sigmoid", "tanh"]), st.integers(1, 5), st.integers(0, 10**6))
def test_bp3_bp4_of_the_deltas_are_the_gradient_of_the_mean_loss(sizes, act, m, seed):
    net = bpkit.Network(sizes, activation=act, loss="quadratic", seed=seed)
    rng = np.random.default_rng(seed)
    X, Y = rng.standard_normal((sizes[0], m)), rng.uniform(0, 1, (sizes[-1], m))
    cache = net.forward(X)
    delta = net.deltas(cache, Y)
    params = net.parameters()
    reference = autograd.grad(lambda p: mean_loss(net, p, X, Y))(params)
    for l in range(1, net.L + 1):
        np.testing.assert_allclose(bpkit.bp4(delta[l], cache.a[l - 1]), reference[2 * l - 2],
                                   rtol=1e-9, atol=1e-12, err_msg=f"layer {l}: BP4 != autograd")
        np.testing.assert_allclose(bpkit.bp3(delta[l]), reference[2 * l - 1],
                                   rtol=1e-9, atol=1e-12, err_msg=f"layer {l}: BP3 != autograd")


@given(batches(), st.integers(0, 10**6))
def test_the_gain_exercise_reference_is_the_gradient_of_its_layer(batch, seed):
    delta, a_prev = batch
    rng = np.random.default_rng(seed)
    n, k = delta.shape[0], a_prev.shape[0]
    g, W, b = rng.uniform(0.5, 2, (n, 1)), rng.standard_normal((n, k)), rng.standard_normal((n, 1))

    # A loss whose per-example delta is the given one: C = (1/m) sum_x delta_x . z_x.
    def C(g_, W_):
        return anp.sum(delta * (g_ * anp.dot(W_, a_prev) + b)) / delta.shape[1]
    dg, dW = _gain_grads(delta, g, W, a_prev)
    np.testing.assert_allclose(dg, autograd.grad(C, 0)(g, W), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dW, autograd.grad(C, 1)(g, W), rtol=1e-10, atol=1e-12)


def test_a_weight_gradient_is_the_product_of_error_and_activation():
    net, X, Y = demo_network()
    cache = net.forward(X)
    delta = net.deltas(cache, Y)
    for l in range(1, net.L + 1):
        for x in range(X.shape[1]):
            dW = bpkit.bp4(delta[l][:, [x]], cache.a[l - 1][:, [x]])
            np.testing.assert_array_equal(
                np.abs(dW), np.abs(delta[l][:, [x]]) * np.abs(cache.a[l - 1][:, [x]]).T)


def test_dead_units_and_blank_inputs_get_no_gradient_and_never_move():
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1, (5, 40))
    X[2] = 0.0                                        # input 3 is blank in every example
    Y = np.eye(3)[:, rng.integers(0, 3, 40)]
    net = bpkit.Network([5, 6, 3], activation="relu", loss="cross_entropy", init="he", seed=0)
    net.b[1] = np.where(np.arange(6)[:, None] == 3, -50.0, 0.0)   # unit 4 is off everywhere
    dead = [j - 1 for j in dead_units(net, X, 1)]     # numpy rows of the dead units
    assert 3 in dead and zero_inputs(X) == [3]
    grads = net.gradients(X, Y)
    assert np.all(grads.dW[1][dead] == 0) and np.all(grads.db[1][dead] == 0), \
        "a dead unit's row of dC/dW^1 or its bias gradient is not 0"
    assert np.all(grads.dW[2][:, dead] == 0), "the outgoing weights of a dead unit have a gradient"
    assert np.all(grads.dW[1][:, 2] == 0), "the weights from a blank input have a gradient"
    W1, W2, b1 = net.W[1].copy(), net.W[2].copy(), net.b[1].copy()
    net.fit(X, Y, epochs=5, batch_size=8, lr=0.5, progress=False)
    assert np.array_equal(net.W[1][dead], W1[dead]) and np.array_equal(net.b[1][dead], b1[dead])
    assert np.array_equal(net.W[2][:, dead], W2[:, dead])
    assert np.array_equal(net.W[1][:, 2], W1[:, 2])
    assert not np.array_equal(net.W[1], W1), "the live weights should have learnt"


def test_a_saturated_sigmoid_unit_has_a_smaller_error_and_gradient():
    net = bpkit.Network([2, 3, 1], activation="sigmoid", loss="quadratic", seed=0)
    x, y = np.array([[1.0], [0.5]]), np.array([[1.0]])
    base = np.abs(net.gradients(x, y).dW[1][0]).max()
    net.b[1] = np.array([[12.0], [0.0], [0.0]])      # unit 1: sigma'(z) about 6e-6
    slow = np.abs(net.gradients(x, y).dW[1][0]).max()
    assert slow < 1e-3 * base


def _view_numbers(view):
    rows = re.search(r"entirely 0 \(units j[^:]*: <b>([^<]*)</b>", view).group(1)
    cols = re.search(r"entirely 0 \(units k[^:]*: <b>([^<]*)</b>", view).group(1)
    largest = float(re.search(r"Largest \|entry\|: ([0-9.]*[0-9])", view).group(1))
    parse = lambda s: [] if s == "none" else [int(v) for v in s.split(", ")]  # noqa: E731
    return parse(rows), parse(cols), largest


def test_outer_explorer_stores_the_true_gradient_of_every_layer_and_example():
    ex = outer_explorer()
    net, X, Y = demo_network()
    assert len(ex.states) == net.L * len(EXAMPLES)
    params = net.parameters()
    for l in range(1, net.L + 1):
        for example in EXAMPLES:
            cols = slice(None) if example == "all" else slice(example - 1, example)
            Xe, Ye = X[:, cols], Y[:, cols]

            def loss(p):
                a = Xe
                for k in range(1, net.L + 1):
                    z = anp.dot(p[2 * k - 2], a) + p[2 * k - 1]
                    if k < net.L:
                        a = anp.maximum(z, 0.0)
                return anp.mean(-anp.sum(Ye * (z - anp.log(anp.sum(anp.exp(z), axis=0))),
                                         axis=0))
            truth = autograd.grad(loss)(params)[2 * l - 2]
            rows, cols_, largest = _view_numbers(ex.state(l=l, example=example).value)
            assert rows == [j + 1 for j in range(truth.shape[0]) if np.all(truth[j] == 0)]
            assert cols_ == [k + 1 for k in range(truth.shape[1]) if np.all(truth[:, k] == 0)]
            assert abs(largest - np.abs(truth).max()) < 5e-5
            np.testing.assert_allclose(outer_parts(net, X, Y, l, example)[2], truth,
                                       rtol=1e-9, atol=1e-12)
