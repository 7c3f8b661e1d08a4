"""Chapter 11's claims: the matrix forms equal the per-example loop (and autograd), and the
noise of a random mini-batch's gradient falls as 1/m."""
import re

import numpy as np
from autograd import grad
from hypothesis import given, settings, strategies as st

import bpkit
from bpkit.batching import (flat, gradient_noise, gradient_spread, loglog_slope,
                            loop_gradients)
from bpkit.explorers.batching import BATCH_SIZES, batching_explorer, noise_problem
from tests._core_helpers import autograd_loss
from tests.test_ch10_unrolling import problem

CASES = (("sigmoid", "sigmoid", "quadratic"), ("tanh", "softmax", "cross_entropy"),
         ("relu", "sigmoid", "binary_cross_entropy"), ("identity", "identity", "quadratic"))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(2, 5), min_size=2, max_size=5), st.sampled_from(CASES),
       st.integers(1, 12), st.integers(0, 10_000))
def test_matrix_forms_equal_the_per_example_loop(sizes, case, m, seed):
    net, X, Y = problem(sizes, *case, seed, m=m)
    loop = loop_gradients(net, X, Y)
    matrix = net.gradients(X, Y)
    for l in range(1, net.L + 1):
        assert np.allclose(matrix.dW[l], loop.dW[l], rtol=1e-10, atol=1e-13), \
            f"layer {l}: Delta (A^(l-1))^T / m differs from the mean of the per-example outer products"
        assert np.allclose(matrix.db[l], loop.db[l], rtol=1e-10, atol=1e-13), \
            f"layer {l}: the row sum of Delta / m differs from the mean of the per-example deltas"


def test_matrix_forms_are_the_gradient_of_the_mean_loss():
    for case in CASES:
        net, X, Y = problem([3, 4, 3], *case, seed=11, m=6)
        params = [p for l in range(1, net.L + 1) for p in (net.W[l], net.b[l])]
        reference = grad(autograd_loss)(params, X, Y, *case)
        cache = net.forward(X)
        delta = net.deltas(cache, Y)
        for l in range(1, net.L + 1):
            m = X.shape[1]
            assert np.allclose(delta[l] @ cache.a[l - 1].T / m, reference[2 * l - 2], atol=1e-10)
            assert np.allclose(delta[l].sum(axis=1, keepdims=True) / m, reference[2 * l - 1],
                               atol=1e-10)
            assert np.allclose(bpkit.bp4(delta[l], cache.a[l - 1]), reference[2 * l - 2],
                               atol=1e-10)


def test_gradient_noise_variance_falls_as_one_over_m():
    net, X, Y = noise_problem(N=400)
    sizes = (1, 4, 16, 64)
    noise = gradient_noise(net, X, Y, sizes, draws=300, seed=1)
    slope = loglog_slope(sizes, noise)
    assert -1.1 < slope < -0.9, f"log-log slope of the noise is {slope:.3f}, not about -1"
    spread = gradient_spread(net, X, Y)
    assert np.allclose(noise * np.array(sizes) / spread, 1.0, atol=0.2), \
        "the noise should be tr(Sigma) / m"


def test_gradient_spread_is_the_mean_squared_distance_of_per_example_gradients():
    net, X, Y = noise_problem(N=30)
    g = flat(net.gradients(X, Y))
    per = np.array([flat(net.gradients(X[:, [x]], Y[:, [x]])) for x in range(30)])
    assert np.allclose(per.mean(axis=0), g)                 # the mean of the gradients
    assert np.isclose(gradient_spread(net, X, Y), np.mean(np.sum((per - g) ** 2, axis=1)))


def test_explorer_stores_the_measured_noise_for_every_batch_size():
    ex = batching_explorer(draws=100)
    assert len(ex.states) == len(BATCH_SIZES)
    net, X, Y = noise_problem()
    spread = gradient_spread(net, X, Y)
    reference = gradient_noise(net, X, Y, BATCH_SIZES, draws=100, seed=0)
    for m, ref in zip(BATCH_SIZES, reference):
        view = ex.state(m=m).value
        shown = float(re.search(r"E‖g<sub>B</sub> − g‖² = <b>([0-9.e+-]+)</b>", view).group(1))
        assert np.isclose(shown, ref, rtol=1e-3), m
        predicted = float(re.search(r"tr Σ / m = ([0-9.e+-]+)\)", view).group(1))
        assert np.isclose(predicted, spread / m, rtol=1e-3), m
        assert view.count('alt="Log-log plot') == 2
