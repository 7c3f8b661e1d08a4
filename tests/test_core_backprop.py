"""BP1-BP4 against index-by-index loops, and whole networks against autograd and
central differences, for every hidden activation x (output, loss) combination."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _core_helpers import (COMBINATIONS, SLOPES, autograd_gradients, bp1_loop,
                           bp1_softmax_loop, bp2_loop, bp3_loop, bp4_loop,
                           assert_gradients_close, central_differences, flat_grads,
                           targets)
from bpkit import Network, bp1, bp2, bp3, bp4, output_delta
from bpkit.errors import ShapeError

SETTINGS = settings(max_examples=12, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

shapes = st.tuples(st.integers(1, 5), st.integers(1, 5), st.integers(1, 6))


# -- each equation against its loop ------------------------------------------------------
@SETTINGS
@given(shape=shapes, seed=st.integers(0, 2**16),
       name=st.sampled_from(["sigmoid", "tanh", "relu", "identity"]))
def test_bp1_matches_loop(shape, seed, name):
    n, _, m = shape
    rng = np.random.default_rng(seed)
    grad_a, z = rng.standard_normal((2, n, m))
    np.testing.assert_allclose(bp1(grad_a, z, name), bp1_loop(grad_a, z, SLOPES[name]),
                               rtol=1e-12, atol=1e-15)


@SETTINGS
@given(shape=shapes, seed=st.integers(0, 2**16))
def test_bp1_softmax_matches_loop(shape, seed):
    n, _, m = shape
    rng = np.random.default_rng(seed)
    grad_a, z = rng.standard_normal((2, n, m))
    np.testing.assert_allclose(bp1(grad_a, z, "softmax"), bp1_softmax_loop(grad_a, z),
                               rtol=1e-12, atol=1e-15)


@SETTINGS
@given(shape=shapes, seed=st.integers(0, 2**16),
       name=st.sampled_from(["sigmoid", "tanh", "relu", "identity"]))
def test_bp2_matches_loop(shape, seed, name):
    n_next, n, m = shape
    rng = np.random.default_rng(seed)
    W_next = rng.standard_normal((n_next, n))
    delta_next = rng.standard_normal((n_next, m))
    z = rng.standard_normal((n, m))
    expected = bp2_loop(W_next, delta_next, z, SLOPES[name])
    np.testing.assert_allclose(bp2(W_next, delta_next, z, name), expected,
                               rtol=1e-12, atol=1e-15)
    # with the cached a = sigma(z), the same result, and the inputs are left alone
    from bpkit.activations import get_activation
    a = get_activation(name).f(z)
    before = (W_next.copy(), delta_next.copy(), z.copy(), a.copy())
    np.testing.assert_allclose(bp2(W_next, delta_next, z, name, a=a), expected,
                               rtol=1e-12, atol=1e-15)
    for x, y in zip(before, (W_next, delta_next, z, a)):
        np.testing.assert_array_equal(x, y)


@SETTINGS
@given(shape=shapes, seed=st.integers(0, 2**16))
def test_bp3_bp4_match_loops(shape, seed):
    n, n_prev, m = shape
    rng = np.random.default_rng(seed)
    delta = rng.standard_normal((n, m))
    a_prev = rng.standard_normal((n_prev, m))
    np.testing.assert_allclose(bp3(delta), bp3_loop(delta), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(bp4(delta, a_prev), bp4_loop(delta, a_prev),
                               rtol=1e-12, atol=1e-15)
    assert bp3(delta).shape == (n, 1)
    assert bp4(delta, a_prev).shape == (n, n_prev)


def test_single_example_equations_of_the_text():
    delta = np.array([[0.5], [-2.0]])
    a_prev = np.array([[1.0], [3.0], [-1.0]])
    np.testing.assert_array_equal(bp3(delta), delta)
    np.testing.assert_array_equal(bp4(delta, a_prev), np.outer(delta, a_prev))
    # 1-D arrays are not columns: refused rather than guessed
    with pytest.raises(ShapeError):
        bp4(delta.ravel(), a_prev.ravel())


# -- whole networks against autograd and central differences ---------------------------
def _random_case(combo, widths, m, seed, dtype=np.float64):
    hidden, output, loss = combo
    if output == "softmax" and widths[-1] == 1:
        widths = widths[:-1] + [2]      # one softmax unit is the constant 1
    rng = np.random.default_rng(seed)
    net = Network(widths, activation=hidden, output=output, loss=loss, seed=seed, dtype=dtype)
    for l in range(1, net.L + 1):           # nonzero biases, so that db is tested too
        net.b[l] = 0.3 * rng.standard_normal(net.b[l].shape)
    X = rng.standard_normal((widths[0], m))
    Y = targets(loss, output, widths[-1], m, rng)
    return net, X, Y


network = st.tuples(st.lists(st.integers(1, 5), min_size=2, max_size=4),
                    st.integers(1, 6), st.integers(0, 2**16))


@pytest.mark.parametrize("combo", COMBINATIONS, ids=["-".join(c) for c in COMBINATIONS])
@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(case=network)
def test_gradients_match_autograd_and_central_differences(combo, case):
    widths, m, seed = case
    net, X, Y = _random_case(combo, widths, m, seed)
    widths = net.sizes
    grads = flat_grads(net.gradients(X, Y), net.L)
    reference = autograd_gradients(net, X, Y)
    assert_gradients_close(net, grads, reference, "HIPS autograd", threshold=1e-9, floor=1e-15)
    numeric = [central_differences(lambda: net.loss(X, Y), p) for p in net.parameters()]
    assert_gradients_close(net, grads, numeric, "central differences", threshold=1e-6,
                           floor=1e-9)


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(combo=st.sampled_from(COMBINATIONS), case=network)
def test_batch_gradient_is_mean_of_per_example_gradients(combo, case):
    widths, m, seed = case
    net, X, Y = _random_case(combo, widths, m, seed)
    batch = flat_grads(net.gradients(X, Y), net.L)
    singles = [flat_grads(net.gradients(X[:, i:i + 1], Y[:, i:i + 1]), net.L)
               for i in range(m)]
    for k, g in enumerate(batch):
        mean = sum(s[k] for s in singles) / m
        scale = max(np.abs(mean).max(), 1.0)
        assert np.abs(g - mean).max() <= 1e-12 * scale


def test_output_delta_shortcut_equals_bp1_for_canonical_pairs():
    rng = np.random.default_rng(5)
    z = rng.standard_normal((4, 6))
    from bpkit.activations import get_activation
    from bpkit.losses import get_loss
    y_onehot = np.eye(4)[:, rng.integers(0, 4, 6)]
    y_binary = rng.integers(0, 2, (4, 6)).astype(float)
    for output, loss, y in (("softmax", "cross_entropy", y_onehot),
                            ("sigmoid", "binary_cross_entropy", y_binary),
                            ("identity", "quadratic", rng.standard_normal((4, 6)))):
        a = get_activation(output).f(z)
        via_bp1 = bp1(get_loss(loss).grad_a(a, y), z, output, a=a)
        np.testing.assert_allclose(output_delta(z, a, y, output, loss), via_bp1,
                                   rtol=1e-12, atol=1e-15)


# -- shapes that do not fit ----------------------------------------------------------------
def test_bp2_names_the_layer_and_shapes_when_W_does_not_fit_delta():
    W_next = np.ones((3, 4))
    with pytest.raises(ShapeError, match=r"layer 2: W_next\(3, 4\) does not fit "
                                         r"delta_next\(5, 7\).*3 rows"):
        bp2(W_next, np.ones((5, 7)), np.ones((4, 7)), "sigmoid", layer=2)
    with pytest.raises(ShapeError, match=r"layer 1: z must have shape \(4, 7\).*received \(4, 6\)"):
        bp2(W_next, np.ones((3, 7)), np.ones((4, 6)), "tanh", layer=1)


def test_bp1_bp4_refuse_mismatched_shapes():
    with pytest.raises(ShapeError, match=r"grad_a\(3, 2\) and z\(2, 3\)"):
        bp1(np.ones((3, 2)), np.ones((2, 3)), "sigmoid")
    with pytest.raises(ShapeError, match=r"layer 3: delta and a_prev must hold the same number "
                                         r"of examples.*delta\(2, 5\) and a_prev\(4, 6\)"):
        bp4(np.ones((2, 5)), np.ones((4, 6)), layer=3)
    with pytest.raises(ShapeError, match=r"delta must be a 2-D array.*\(5,\)"):
        bp3(np.ones(5))


def test_integer_arrays_typed_by_hand_work():
    W_next = np.array([[1, 2], [3, -1]])
    delta_next = np.array([[1], [2]])
    z = np.array([[0], [1]])
    expected = bp2_loop(W_next.astype(float), delta_next.astype(float), z.astype(float),
                        SLOPES["sigmoid"])
    np.testing.assert_allclose(bp2(W_next, delta_next, z, "sigmoid"), expected, rtol=1e-14)
    np.testing.assert_allclose(bp4(np.array([[1, 2]]), np.array([[3, 4]])), [[5.5]])
