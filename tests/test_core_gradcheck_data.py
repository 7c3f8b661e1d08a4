"""Gradient checking (chapter 12) and the data sets (chapter 9)."""
import numpy as np
import pytest

from _core_helpers import flat_grads
from bpkit import Network, gradcheck, numerical_gradient, relative_error
from bpkit.data import digits, one_hot, spirals, two_moons, xor
from bpkit.errors import BpkitError, ShapeError


def _case(seed=0):
    rng = np.random.default_rng(seed)
    net = Network([4, 5, 3], activation="tanh", loss="cross_entropy", seed=seed)
    X = rng.standard_normal((4, 6))
    Y = np.eye(3)[:, rng.integers(0, 3, 6)]
    return net, X, Y


# -- gradcheck ----------------------------------------------------------------------------
def test_numerical_gradient_of_a_known_function():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    g = numerical_gradient(lambda: float(np.sum(x ** 3)), x)
    np.testing.assert_allclose(g, 3 * x ** 2, rtol=1e-8)
    np.testing.assert_array_equal(x, [[1.0, -2.0], [0.5, 3.0]])   # restored exactly
    part = numerical_gradient(lambda: float(np.sum(x ** 3)), x, indices=[(0, 1)])
    assert part[0, 1] == pytest.approx(12.0) and np.isnan(part[0, 0])


def test_central_difference_error_shrinks_like_eps_squared():
    x = np.array([0.7])
    errors = [abs(numerical_gradient(lambda: float(np.sin(x[0])), x, eps=h)[0] - np.cos(0.7))
              for h in (1e-2, 1e-3)]
    assert errors[1] < errors[0] / 50       # O(eps^2): a factor 100 for a factor 10


def test_relative_error():
    assert relative_error(0.0, 0.0) == 0.0
    assert relative_error(1.0, 1.0) == 0.0
    assert relative_error(1.0, -1.0) == pytest.approx(2.0)
    assert relative_error(1.0, 1.1) == pytest.approx(0.1 / 1.1)   # |a - b| / max(|a|, |b|)


def test_correct_gradients_are_healthy_over_every_parameter():
    net, X, Y = _case()
    report = gradcheck(net, X, Y)
    n_params = sum(p.size for p in net.parameters())
    assert len(report.entries) == n_params
    assert report.max_rel_error < 1e-7 and report.verdict == "healthy" and report.passed


def test_a_planted_bug_is_reported_first_with_layer_and_index():
    net, X, Y = _case(1)
    grads = net.gradients(X, Y)
    grads.dW[2][1, 3] *= 1.5                 # one wrong entry in layer 2
    report = gradcheck(net, X, Y, grads=grads)
    worst = report.worst(1)[0]
    assert (worst.layer, worst.param, worst.index) == (2, "W", (1, 3))
    assert report.verdict == "wrong" and not report.passed
    errors = [e.rel_error for e in report.entries]
    assert errors == sorted(errors, reverse=True)
    text = str(report)
    first = text.splitlines()[3]   # after the verdict, the per-array line and the header
    assert "W[2]" in first and "(1, 3)" in first


def test_a_missing_one_over_m_is_caught():
    net, X, Y = _case(2)
    grads = net.gradients(X, Y)
    for l in (1, 2):
        grads.dW[l] *= X.shape[1]            # the gradient of the sum, not of the mean
    assert gradcheck(net, X, Y, grads=grads, num=5).verdict == "wrong"


def test_random_subset_checks_num_entries_per_array():
    net, X, Y = _case(3)
    report = gradcheck(net, X, Y, num=2, seed=4)
    # W1 (20), b1 (5), W2 (15), b2 (3): two of each
    assert len(report.entries) == 8
    assert {(e.layer, e.param) for e in report.entries} == {(1, "W"), (1, "b"), (2, "W"),
                                                            (2, "b")}
    again = gradcheck(net, X, Y, num=2, seed=4)
    assert [e.index for e in again.entries] == [e.index for e in report.entries]


def test_gradcheck_leaves_the_parameters_alone():
    net, X, Y = _case(4)
    before = [p.copy() for p in net.parameters()]
    gradcheck(net, X, Y)
    for p, q in zip(net.parameters(), before):
        np.testing.assert_array_equal(p, q)


def test_gradcheck_refuses_gradients_of_the_wrong_shape():
    net, X, Y = _case(5)
    grads = net.gradients(X, Y)
    grads.dW._items[0] = grads.dW[1].T
    with pytest.raises(ShapeError, match=r"layer 1: dW\[1\] must have the shape \(5, 4\) of "
                                         r"W\[1\], received \(4, 5\)"):
        gradcheck(net, X, Y, grads=grads)


# -- data ---------------------------------------------------------------------------------
def test_xor():
    X, Y = xor()
    assert X.shape == (2, 4) and Y.shape == (1, 4)
    np.testing.assert_array_equal(Y[0], np.logical_xor(X[0], X[1]))


def test_two_moons():
    X, Y = two_moons(101, noise=0.0, seed=3)
    assert X.shape == (2, 101) and Y.shape == (1, 101)
    assert set(np.unique(Y)) == {0.0, 1.0} and Y.sum() == 51
    np.testing.assert_array_equal(two_moons(101, noise=0.0, seed=3)[0], X)
    # noiseless points lie on the unit circle (label 0) or the shifted one (label 1)
    r0 = np.hypot(X[0, Y[0] == 0], X[1, Y[0] == 0])
    r1 = np.hypot(X[0, Y[0] == 1] - 1, X[1, Y[0] == 1] - 0.5)
    np.testing.assert_allclose(r0, 1.0)
    np.testing.assert_allclose(r1, 1.0)


def test_spirals():
    X, Y = spirals(90, classes=3, seed=1)
    assert X.shape == (2, 90) and Y.shape == (3, 90)
    np.testing.assert_array_equal(Y.sum(axis=0), 1)
    np.testing.assert_array_equal(Y.sum(axis=1), [30, 30, 30])
    np.testing.assert_array_equal(spirals(90, classes=3, seed=1)[0], X)


def test_digits_split_is_fixed_and_disjoint():
    d = digits()
    assert d.X_train.shape == (64, 1348) and d.X_test.shape == (64, 449)
    assert d.Y_train.shape == (10, 1348) and d.Y_test.shape == (10, 449)
    assert 0.0 <= d.X_train.min() and d.X_train.max() <= 1.0
    np.testing.assert_array_equal(d.Y_train.argmax(axis=0), d.labels_train)
    again = digits()
    np.testing.assert_array_equal(again.X_test, d.X_test)
    train = {tuple(c) for c in d.X_train.T}
    overlap = sum(tuple(c) in train for c in d.X_test.T)
    assert overlap <= 5                      # only genuinely duplicated images may recur
    assert not np.array_equal(digits(seed=1).labels_test, d.labels_test)


def test_one_hot():
    Y = one_hot([2, 0, 1, 2])
    np.testing.assert_array_equal(Y, [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1]])
    assert one_hot([0, 1], k=4).shape == (4, 2)
    with pytest.raises(BpkitError, match=r"labels must lie in 0\.\.2 for k = 3"):
        one_hot([0, 3], k=3)
    with pytest.raises(BpkitError, match="1-D array of whole numbers"):
        one_hot([0.5, 1.0])
