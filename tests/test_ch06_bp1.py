"""Chapter 6's claims: BP1 and the cancellations of the paired outputs (against autograd),
the softmax Jacobian, the stability of the shortcut, the learning slowdown of a saturated
output, and the explorer's stored views."""
import re

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import elementwise_grad, jacobian
from hypothesis import given, settings
from hypothesis import strategies as st

import bpkit
from bpkit.activations import sigmoid, softmax, softmax_jacobian
from bpkit.explorers.output_error import (LOSS_NAMES, OUTPUTS, Z_TABLE, output_error_explorer,
                                          train_saturated_unit, undefined_reason)
from bpkit.losses import binary_cross_entropy, cross_entropy, quadratic

SETTINGS = settings(max_examples=25, deadline=None)
columns = st.tuples(st.integers(1, 6), st.integers(1, 5), st.integers(0, 2**16))


def a_softmax(z):
    e = anp.exp(z - anp.max(z, axis=0, keepdims=True))
    return e / anp.sum(e, axis=0, keepdims=True)


def a_sigmoid(z):
    return 1.0 / (1.0 + anp.exp(-z))


def onehot(rng, n, m):
    y = np.zeros((n, m))
    y[rng.integers(0, n, m), np.arange(m)] = 1.0
    return y


@SETTINGS
@given(shape=columns)
def test_softmax_with_cross_entropy_gives_a_minus_y(shape):
    """(ch6-softmax-ce): dC/dz^L by autograd equals a^L - y, column by column."""
    n, m, seed = shape
    rng = np.random.default_rng(seed)
    z, y = 3 * rng.standard_normal((n, m)), onehot(rng, n, m)
    # the sum over the batch: each column's gradient is its own example's delta (no 1/m)
    loss = lambda z: -anp.sum(y * anp.log(a_softmax(z)))
    a = softmax.f(z)
    expected = elementwise_grad(loss)(z)
    np.testing.assert_allclose(a - y, expected, rtol=1e-9, atol=1e-12,
                               err_msg="softmax + cross-entropy: delta^L is not a^L - y")
    np.testing.assert_allclose(bpkit.output_delta(z, a, y, "softmax", "cross_entropy"),
                               expected, rtol=1e-9, atol=1e-12)
    # BP1 through the softmax Jacobian, without the shortcut, gives the same
    np.testing.assert_allclose(bpkit.bp1(cross_entropy.grad_a(a, y), z, "softmax"),
                               expected, rtol=1e-8, atol=1e-12)


@SETTINGS
@given(shape=columns)
def test_sigmoid_with_binary_cross_entropy_gives_a_minus_y(shape):
    """(ch6-sigmoid-bce) against autograd."""
    n, m, seed = shape
    rng = np.random.default_rng(seed)
    z, y = 3 * rng.standard_normal((n, m)), rng.integers(0, 2, (n, m)).astype(float)
    loss = lambda z: -anp.sum(y * anp.log(a_sigmoid(z)) + (1 - y) * anp.log(1 - a_sigmoid(z)))
    expected = elementwise_grad(loss)(z)
    a = sigmoid.f(z)
    np.testing.assert_allclose(a - y, expected, rtol=1e-9, atol=1e-12,
                               err_msg="sigmoid + binary cross-entropy: delta^L is not a^L - y")
    np.testing.assert_allclose(bpkit.bp1(binary_cross_entropy.grad_a(a, y), z, "sigmoid"),
                               expected, rtol=1e-8, atol=1e-12)


@SETTINGS
@given(shape=columns, name=st.sampled_from(["sigmoid", "tanh", "identity"]))
def test_quadratic_delta_is_error_times_slope(shape, name):
    """(ch6-quadratic): delta^L = (a - y) * sigma'(z), against autograd."""
    n, m, seed = shape
    rng = np.random.default_rng(seed)
    z, y = 2 * rng.standard_normal((n, m)), rng.uniform(-1, 1, (n, m))
    f = {"sigmoid": a_sigmoid, "tanh": anp.tanh, "identity": lambda z: z}[name]
    expected = elementwise_grad(lambda z: 0.5 * anp.sum((f(z) - y) ** 2))(z)
    act = bpkit.get_activation(name)
    a = act.f(z)
    np.testing.assert_allclose(bpkit.bp1(quadratic.grad_a(a, y), z, name), expected,
                               rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose((a - y) * act.df(z), expected, rtol=1e-9, atol=1e-12)


@SETTINGS
@given(n=st.integers(1, 6), seed=st.integers(0, 2**16))
def test_softmax_jacobian_entries_and_column_sums(n, seed):
    """(ch6-softmax-jacobian): a_k (1[k=j] - a_j), symmetric, columns summing to 0."""
    z = 3 * np.random.default_rng(seed).standard_normal(n)
    J = softmax_jacobian(z)
    np.testing.assert_allclose(J, jacobian(lambda z: a_softmax(z.reshape(-1, 1)).ravel())(z),
                               rtol=1e-9, atol=1e-12)
    a = softmax.f(z.reshape(-1, 1)).ravel()
    for k in range(n):
        for j in range(n):
            assert J[k, j] == pytest.approx(a[k] * ((k == j) - a[j]), rel=1e-12, abs=1e-15)
    np.testing.assert_allclose(J, J.T, rtol=0, atol=1e-15)
    np.testing.assert_allclose(J.sum(axis=0), 0, atol=1e-14)


def test_two_class_softmax_is_the_sigmoid():
    z = np.linspace(-20, 20, 81)
    np.testing.assert_allclose(softmax.f(np.vstack([z, 0 * z]))[0], sigmoid.f(z), rtol=1e-13)


def test_shortcut_is_exact_where_the_two_factors_are_lost():
    """At z = 40 the sigmoid output rounds to 1: BP1 as two factors loses delta, the
    shortcut keeps it (the chapter's claim)."""
    z, y = np.array([[40.0]]), np.array([[0.0]])
    a = sigmoid.f(z)
    assert a[0, 0] == 1.0
    assert bpkit.bp1(binary_cross_entropy.grad_a(a, y), z, "sigmoid")[0, 0] == 0.0
    assert bpkit.output_delta(z, a, y, "sigmoid", "binary_cross_entropy")[0, 0] == 1.0


def test_paired_with_lists_exactly_the_pairs_whose_delta_is_a_minus_y():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((3, 4))
    y = onehot(rng, 3, 4)
    for loss in bpkit.LOSSES.values():
        act = bpkit.get_activation(loss.paired_with)
        a = act.f(z)
        np.testing.assert_allclose(bpkit.bp1(loss.grad_a(a, y), z, act), a - y, rtol=1e-9,
                                   atol=1e-12, err_msg=f"{loss.name} with {act.name}")
    # an unpaired pair keeps its slope: the quadratic loss with a sigmoid output
    a = sigmoid.f(z)
    assert not np.allclose(bpkit.output_delta(z, a, y, "sigmoid", "quadratic"), a - y)


# -- the learning slowdown --------------------------------------------------------------------
def test_saturated_output_learns_slowly_under_the_quadratic_loss():
    """From z = 6 and target 0: the first deltas differ by 1/sigma'(6), and binary
    cross-entropy brings the output below 0.5 dozens of times sooner."""
    quad = train_saturated_unit("quadratic", epochs=600)
    bce = train_saturated_unit("binary_cross_entropy", epochs=600)
    slope = float(sigmoid.df(np.array(6.0)))
    assert quad["delta"][0] == pytest.approx((quad["a"][0] - 0.0) * slope, rel=1e-12)
    assert bce["delta"][0] == pytest.approx(bce["a"][0], rel=1e-12)
    assert bce["delta"][0] / quad["delta"][0] == pytest.approx(1 / slope, rel=1e-9)
    first_below = {k: int(np.argmax(r["a"] < 0.5)) for k, r in (("quad", quad), ("bce", bce))}
    assert (quad["a"] < 0.5).any() and (bce["a"] < 0.5).any()
    assert first_below["bce"] <= 10 and first_below["quad"] >= 300, first_below
    # the plateau: after 100 epochs the quadratic run has barely moved, the other has learnt
    assert quad["a"][100] > 0.99 and bce["a"][100] < 0.05
    # each loss falls at every step (gradient descent on a single example)
    assert np.all(np.diff(quad["C"]) < 0) and np.all(np.diff(bce["C"]) < 0)


def test_the_slowdown_is_the_chapters_numbers():
    """The figures the prose quotes: epochs 426 and 7, ratio 405.4."""
    quad = train_saturated_unit("quadratic", epochs=600)
    bce = train_saturated_unit("binary_cross_entropy", epochs=600)
    assert int(np.argmax(quad["a"] < 0.5)) == 426
    assert int(np.argmax(bce["a"] < 0.5)) == 7
    assert round(bce["delta"][0] / quad["delta"][0], 1) == 405.4


# -- the explorer -----------------------------------------------------------------------------
def _table(view):
    """The numbers of each row of the view's table: a^L, dC/da^L, the slope, delta^L."""
    rows = [r for r in view.split("<tr>") if r.startswith("<th scope='row'")]
    return [[float(v) for v in re.findall(r"<td[^>]*>([^<]*)</td>", r)] for r in rows]


def test_explorer_stores_true_deltas_for_every_pair():
    ex = output_error_explorer()
    assert len(ex.states) == len(OUTPUTS) * len(LOSS_NAMES) * 2
    zs = np.array(Z_TABLE)
    for act in OUTPUTS:
        for loss in LOSS_NAMES:
            for y in (0.0, 1.0):
                view = ex.state(activation=act, loss=loss, y=y).value
                if undefined_reason(act, loss):
                    assert "Not defined" in view and "<img" not in view
                    continue
                a, _, _, delta = _table(view)
                # an independent delta: autograd on the loss as a function of z
                if act == "softmax":
                    Y = np.vstack([np.full_like(zs, y), np.full_like(zs, 1 - y)])
                    out = lambda z: a_softmax(anp.vstack([z, anp.zeros_like(z)]))
                else:
                    Y = np.full((1, zs.size), y)
                    f = {"sigmoid": a_sigmoid, "tanh": anp.tanh, "identity": lambda z: z}[act]
                    out = lambda z: f(z.reshape(1, -1))
                C = {"quadratic": lambda A: 0.5 * anp.sum((A - Y) ** 2),
                     "cross_entropy": lambda A: -anp.sum(Y * anp.log(A)),
                     "binary_cross_entropy":
                         lambda A: -anp.sum(Y * anp.log(A) + (1 - Y) * anp.log(1 - A))}[loss]
                expected = elementwise_grad(lambda z: C(out(z)))(zs)
                np.testing.assert_allclose(delta, expected, rtol=1e-3, atol=1e-9,
                                           err_msg=f"{act}, {loss}, y={y}")
                np.testing.assert_allclose(a, np.asarray(out(zs))[0], rtol=1e-3, atol=1e-9)
                assert 'alt="Delta of the output layer' in view
