"""Activations and losses: values, derivatives, stability at |z| up to 1e4, bad names."""
import warnings

import numpy as np
import pytest

from bpkit import activations as act
from bpkit import losses
from bpkit.backprop import output_delta
from bpkit.errors import BpkitError, ShapeError

EXTREME = np.array([[-1e4, -1e3, -745.0, -100.0, -30.0, -1.0, 0.0, 1.0, 30.0, 100.0, 745.0,
                     1e3, 1e4]])
DTYPES = (np.float32, np.float64)


@pytest.fixture
def strict():
    """Every warning is an error inside the test; so are overflow, 0/0 and x/0.

    Underflow to 0 (exp(-1e4)) is the right answer and NumPy does not warn about it.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            yield


def _columns(z):
    """The extreme values spread over a (3, k) array so softmax sees them mixed."""
    rng = np.random.default_rng(0)
    return np.vstack([z, z[:, ::-1], rng.permutation(z.ravel())[None, :]])


# -- values ----------------------------------------------------------------------------
def test_values_match_definitions():
    z = np.linspace(-6, 6, 25).reshape(5, 5)
    np.testing.assert_allclose(act.sigmoid.f(z), 1 / (1 + np.exp(-z)), rtol=1e-15)
    np.testing.assert_allclose(act.tanh.f(z), np.tanh(z), rtol=1e-15)
    np.testing.assert_array_equal(act.relu.f(z), np.where(z > 0, z, 0))
    np.testing.assert_array_equal(act.identity.f(z), z)
    e = np.exp(z)
    np.testing.assert_allclose(act.softmax.f(z), e / e.sum(axis=0), rtol=1e-14)


def test_sigmoid_keeps_relative_precision_in_both_tails():
    z = np.array([-700.0, -40.0, -20.0, 20.0, 40.0])
    exact = np.array([np.exp(-700.0), np.exp(-40.0) / (1 + np.exp(-40.0)),
                      np.exp(-20.0) / (1 + np.exp(-20.0)), 1 / (1 + np.exp(-20.0)), 1.0])
    np.testing.assert_allclose(act.sigmoid.f(z), exact, rtol=1e-15)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_derivative_matches_central_difference(name):
    a = act.get_activation(name)
    z = np.array([[-3.0, -1.2, -0.3, 0.4, 1.1, 2.5]])
    h = 1e-6
    numeric = (a.f(z + h) - a.f(z - h)) / (2 * h)
    np.testing.assert_allclose(a.df(z), numeric, rtol=1e-8, atol=1e-10)
    # given the cached a = f(z), the same slope
    np.testing.assert_array_equal(a.df(z, a.f(z)), a.df(z))


def test_relu_slope_at_zero_is_zero():
    assert act.relu.df(np.array([[0.0]]))[0, 0] == 0.0


def test_softmax_jacobian_and_backward():
    z = np.array([0.3, -1.0, 2.0, 0.5])
    J = act.softmax_jacobian(z)
    h = 1e-6
    numeric = np.column_stack([
        (act.softmax.f((z + h * np.eye(4)[k])[:, None]) -
         act.softmax.f((z - h * np.eye(4)[k])[:, None])).ravel() / (2 * h) for k in range(4)])
    np.testing.assert_allclose(J, numeric, atol=1e-9)
    g = np.array([[1.0], [-2.0], [0.5], [3.0]])
    np.testing.assert_allclose(act.softmax.backward(g, z[:, None]), J.T @ g, rtol=1e-13)
    with pytest.raises(BpkitError, match="softmax_jacobian"):
        act.softmax.df(z[:, None])


def test_softmax_columns_sum_to_one_and_are_independent():
    z = np.random.default_rng(1).standard_normal((5, 7)) * 10
    a = act.softmax.f(z)
    np.testing.assert_allclose(a.sum(axis=0), 1.0, rtol=1e-14)
    np.testing.assert_allclose(act.softmax.f(z[:, 3:4]), a[:, 3:4], rtol=1e-14)


# -- stability ---------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(act.ACTIVATIONS))
def test_activation_stable_at_extremes(strict, name, dtype):
    a_fn = act.get_activation(name)
    z = _columns(EXTREME).astype(dtype)
    a = a_fn.f(z)
    assert a.dtype == dtype and a.shape == z.shape
    assert np.all(np.isfinite(a))
    g = np.ones_like(z)
    back = a_fn.backward(g, z)
    assert np.all(np.isfinite(back)) and back.dtype == dtype
    if a_fn.elementwise:
        assert np.all(np.isfinite(a_fn.df(z)))


@pytest.mark.parametrize("dtype", DTYPES)
def test_extreme_limits_are_right(strict, dtype):
    z = np.array([[-1e4], [1e4]], dtype=dtype)
    np.testing.assert_array_equal(act.sigmoid.f(z), [[0], [1]])
    np.testing.assert_array_equal(act.tanh.f(z), [[-1], [1]])
    np.testing.assert_array_equal(act.sigmoid.df(z), [[0], [0]])
    np.testing.assert_array_equal(act.tanh.df(z), [[0], [0]])
    np.testing.assert_array_equal(act.softmax.f(z), [[0], [1]])
    np.testing.assert_allclose(act.log_softmax(z), [[-2e4], [0]])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("output,loss", [("softmax", "cross_entropy"),
                                         ("sigmoid", "binary_cross_entropy"),
                                         ("sigmoid", "cross_entropy"),
                                         ("softmax", "quadratic"), ("sigmoid", "quadratic"),
                                         ("identity", "quadratic"),
                                         ("softmax", "binary_cross_entropy")])
def test_losses_stable_at_extremes(strict, output, loss, dtype):
    z = _columns(EXTREME).astype(dtype)
    a = act.get_activation(output).f(z)
    rng = np.random.default_rng(2)
    if loss == "cross_entropy":
        y = np.zeros_like(z)
        y[rng.integers(0, 3, z.shape[1]), np.arange(z.shape[1])] = 1
    else:
        y = rng.integers(0, 2, z.shape).astype(dtype)
    fn = losses.get_loss(loss)
    assert np.isfinite(fn.value(a, y))
    assert np.all(np.isfinite(fn.grad_a(a, y)))
    delta = output_delta(z, a, y, output, loss)
    assert np.all(np.isfinite(delta))
    if fn.paired_with == output:
        assert np.isfinite(fn.value_from_z(z, y))


def test_value_from_z_is_exact_where_a_rounds():
    # z = (1e4, -1e4) with the label on the second unit: the loss is 2e4, not log(tiny).
    z = np.array([[1e4], [-1e4]])
    y = np.array([[0.0], [1.0]])
    assert losses.cross_entropy.value_from_z(z, y) == pytest.approx(2e4)
    assert losses.binary_cross_entropy.value_from_z(np.array([[-1e4]]), np.array([[1.0]])) \
        == pytest.approx(1e4)


def test_canonical_delta_is_a_minus_y_even_when_a_rounds():
    z = np.array([[1e4, 0.0], [-1e4, 0.0]])
    a = act.softmax.f(z)
    y = np.array([[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_array_equal(output_delta(z, a, y, "softmax", "cross_entropy"), a - y)


# -- loss values and gradients -----------------------------------------------------------
def test_loss_values_are_means_of_per_example_losses():
    rng = np.random.default_rng(3)
    a = act.softmax.f(rng.standard_normal((4, 6)))
    y = np.eye(4)[:, rng.integers(0, 4, 6)]
    per = -np.log((a * y).sum(axis=0))
    np.testing.assert_allclose(losses.cross_entropy.per_example(a, y), per, rtol=1e-14)
    assert losses.cross_entropy.value(a, y) == pytest.approx(per.mean(), rel=1e-14)
    q = 0.5 * ((a - y) ** 2).sum(axis=0)
    assert losses.quadratic.value(a, y) == pytest.approx(q.mean(), rel=1e-14)
    p = rng.random((3, 5))
    t = rng.integers(0, 2, (3, 5)).astype(float)
    bce = -(t * np.log(p) + (1 - t) * np.log(1 - p)).sum(axis=0)
    assert losses.binary_cross_entropy.value(p, t) == pytest.approx(bce.mean(), rel=1e-14)


@pytest.mark.parametrize("name", sorted(losses.LOSSES))
def test_grad_a_is_per_example_gradient(name):
    fn = losses.get_loss(name)
    rng = np.random.default_rng(4)
    a = rng.uniform(0.1, 0.9, (3, 4))
    y = rng.integers(0, 2, (3, 4)).astype(float)
    h = 1e-6
    numeric = np.zeros_like(a)
    for idx in np.ndindex(a.shape):
        col = idx[1]
        ap, am = a.copy(), a.copy()
        ap[idx] += h
        am[idx] -= h
        numeric[idx] = (fn.per_example(ap, y)[col] - fn.per_example(am, y)[col]) / (2 * h)
    np.testing.assert_allclose(fn.grad_a(a, y), numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", sorted(losses.LOSSES))
def test_loss_refuses_to_broadcast(name):
    fn = losses.get_loss(name)
    a = np.full((1, 5), 0.5)
    y = np.ones(5)                      # a 1-D row of labels: (1, 5) - (5,) would broadcast
    for method in (fn.value, fn.grad_a, fn.per_example):
        with pytest.raises(ShapeError, match=r"a\(1, 5\) and y\(5,\)"):
            method(a, y)
    with pytest.raises(ShapeError, match=r"a\(1, 5\) and y\(5, 1\)"):
        output_delta(a, a, y.reshape(5, 1), "sigmoid", name)


# -- names ------------------------------------------------------------------------------
def test_unknown_names_list_the_choices():
    with pytest.raises(BpkitError, match=r"unknown activation 'sigmod'.*'sigmoid'"):
        act.get_activation("sigmod")
    with pytest.raises(BpkitError, match=r"unknown loss 'mse'.*'quadratic'"):
        losses.get_loss("mse")
    assert act.get_activation(act.tanh) is act.tanh
    assert losses.get_loss(losses.quadratic) is losses.quadratic
