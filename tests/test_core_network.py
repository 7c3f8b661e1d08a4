"""The Network: layer numbering, forward cache, backward, inits, fit, and bad input."""
import io
import time
import warnings

import numpy as np
import pytest

from _core_helpers import (assert_gradients_close, autograd_gradients, autograd_input_gradient,
                           flat_grads, rel_err)
from bpkit import Network
from bpkit.data import digits, two_moons, xor
from bpkit.errors import BpkitError, LayerIndexError, NonFiniteError, ShapeError


def small(**kw):
    kw.setdefault("seed", 1)
    return Network([3, 4, 2], **kw)


# -- numbering, shapes, cache ----------------------------------------------------------------
def test_layers_are_numbered_like_the_book():
    net = Network([5, 4, 3, 2], seed=0)
    assert net.L == 3
    assert [net.W[l].shape for l in (1, 2, 3)] == [(4, 5), (3, 4), (2, 3)]
    assert [net.b[l].shape for l in (1, 2, 3)] == [(4, 1), (3, 1), (2, 1)]
    assert list(net.W.layers()) == [1, 2, 3]


@pytest.mark.parametrize("l", [0, 3, -1])
def test_layer_numbers_out_of_range_name_the_valid_ones(l):
    net = small()
    with pytest.raises(LayerIndexError, match=rf"W\[{l}\] does not exist: layers are "
                                              r"numbered 1\.\.2"):
        net.W[l]
    with pytest.raises(IndexError):  # still an IndexError for code that expects one
        net.b[l]


def test_w0_explains_that_the_input_has_no_weights():
    with pytest.raises(LayerIndexError, match="a\\^0 = x is the input"):
        small().W[0]
    cache = small().forward(np.ones((3, 2)))
    with pytest.raises(LayerIndexError, match=r"z\[0\] does not exist"):
        cache.z[0]
    with pytest.raises(LayerIndexError, match=r"a\[3\] does not exist.*0\.\.2"):
        cache.a[3]


def test_forward_cache_holds_every_z_and_a():
    net = Network([3, 4, 2], activation="tanh", loss="cross_entropy", seed=2)
    X = np.random.default_rng(0).standard_normal((3, 5))
    cache = net.forward(X)
    np.testing.assert_array_equal(cache.a[0], X)
    a = X
    for l in (1, 2):
        z = net.W[l] @ a + net.b[l]
        np.testing.assert_allclose(cache.z[l], z, rtol=1e-14)
        a = np.tanh(z) if l == 1 else np.exp(z) / np.exp(z).sum(axis=0)
        np.testing.assert_allclose(cache.a[l], a, rtol=1e-14)
    assert cache.nbytes == sum(cache.z[l].nbytes + cache.a[l].nbytes for l in (1, 2))
    np.testing.assert_array_equal(net.predict(X), cache.a[2])


def test_single_example_may_be_1d():
    net = small()
    x = np.array([0.1, -0.2, 0.3])
    np.testing.assert_allclose(net.predict(x), net.predict(x.reshape(3, 1)))


def test_backward_skips_the_input_gradient_unless_asked():
    net = Network([3, 4, 2], activation="tanh", output="sigmoid", loss="binary_cross_entropy",
                  seed=3)
    rng = np.random.default_rng(1)
    X, Y = rng.standard_normal((3, 5)), rng.integers(0, 2, (2, 5)).astype(float)
    cache = net.forward(X)
    assert net.backward(cache, Y).da0 is None
    grads = net.backward(cache, Y, input_grad=True)
    assert grads.da0.shape == (3, 5)
    assert rel_err(grads.da0, autograd_input_gradient(net, X, Y)) < 1e-9
    assert_gradients_close(net, flat_grads(grads, net.L), autograd_gradients(net, X, Y),
                           "HIPS autograd", threshold=1e-9, floor=0.0)


def test_default_output_follows_the_loss():
    assert Network([2, 3, 4], loss="cross_entropy").output.name == "softmax"
    assert Network([2, 3, 1], loss="binary_cross_entropy").output.name == "sigmoid"
    assert Network([2, 3, 1], activation="tanh").output.name == "tanh"


# -- initialisation, seeds, dtype ---------------------------------------------------------
@pytest.mark.parametrize("init,std", [("normal", lambda i, o: 1.0),
                                      ("xavier", lambda i, o: np.sqrt(2 / (i + o))),
                                      ("he", lambda i, o: np.sqrt(2 / i))])
def test_inits_have_the_documented_spread(init, std):
    net = Network([400, 300, 10], init=init, seed=0)
    for l, (n_in, n_out) in ((1, (400, 300)), (2, (300, 10))):
        W = net.W[l]
        assert abs(W.mean()) < 4 * std(n_in, n_out) / np.sqrt(W.size)
        assert W.std() == pytest.approx(std(n_in, n_out), rel=0.1 if W.size < 10_000 else 0.02)
        np.testing.assert_array_equal(net.b[l], 0)


def test_seed_fixes_the_weights():
    a, b, c = Network([4, 3, 2], seed=7), Network([4, 3, 2], seed=7), Network([4, 3, 2], seed=8)
    np.testing.assert_array_equal(a.W[1], b.W[1])
    assert not np.array_equal(a.W[1], c.W[1])


def test_float32_stays_float32():
    net = Network([3, 4, 2], loss="cross_entropy", dtype=np.float32, seed=0)
    X = np.random.default_rng(0).standard_normal((3, 6))      # float64 input is converted
    Y = np.eye(2)[:, [0, 1, 0, 1, 1, 0]]
    cache = net.forward(X)
    assert all(v.dtype == np.float32 for v in list(cache.z) + list(cache.a))
    grads = net.gradients(X, Y)
    assert all(g.dtype == np.float32 for g in flat_grads(grads, net.L))
    net.fit(X, Y, epochs=2, batch_size=3, progress=False)
    assert all(p.dtype == np.float32 for p in net.parameters())


def test_assigning_parameters_copies_into_the_network_dtype():
    net = Network([3, 2], dtype=np.float32)
    W = np.ones((2, 3))
    net.W[1] = W
    W[0, 0] = 5.0
    assert net.W[1].dtype == np.float32 and net.W[1][0, 0] == 1.0


# -- training ---------------------------------------------------------------------------
def test_sgd_step_is_p_minus_lr_grad():
    net = small(loss="cross_entropy")
    rng = np.random.default_rng(4)
    X, Y = rng.standard_normal((3, 5)), np.eye(2)[:, rng.integers(0, 2, 5)]
    before = [p.copy() for p in net.parameters()]
    grads = flat_grads(net.gradients(X, Y), net.L)
    loss = net.sgd_step(X, Y, lr=0.3)
    assert loss == pytest.approx(Network([3, 4, 2], loss="cross_entropy", seed=1).loss(X, Y))
    for p, p0, g in zip(net.parameters(), before, grads):
        np.testing.assert_allclose(p, p0 - 0.3 * g, rtol=1e-14, atol=1e-16)


def test_momentum_keeps_a_running_step():
    net = small()
    rng = np.random.default_rng(5)
    X, Y = rng.standard_normal((3, 4)), rng.random((2, 4))
    p = [q.copy() for q in net.parameters()]
    v = [np.zeros_like(q) for q in p]
    for _ in range(3):
        ref = Network([3, 4, 2], seed=1)
        for l in (1, 2):
            ref.W[l], ref.b[l] = p[2 * l - 2], p[2 * l - 1]
        g = flat_grads(ref.gradients(X, Y), 2)
        v = [0.9 * vi - 0.1 * gi for vi, gi in zip(v, g)]
        p = [pi + vi for pi, vi in zip(p, v)]
        net.sgd_step(X, Y, lr=0.1, momentum=0.9)
    for a, b in zip(net.parameters(), p):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_fit_returns_history_and_prints_progress():
    X, Y = two_moons(60, seed=1)
    net = Network([2, 8, 1], activation="tanh", loss="binary_cross_entropy", seed=0)
    out = io.StringIO()
    hist = net.fit(X, Y, epochs=40, batch_size=16, lr=0.5, momentum=0.5,
                   validation=(X[:, :20], Y[:, :20]), file=out)
    assert len(hist.loss) == len(hist.accuracy) == len(hist.val_loss) == 40
    assert hist.loss[-1] < hist.loss[0]
    lines = out.getvalue().splitlines()
    assert 1 <= len(lines) <= 21
    assert lines[-1].startswith("epoch 40/40  loss ") and "val_accuracy" in lines[-1]
    quiet = io.StringIO()
    Network([2, 8, 1], loss="binary_cross_entropy").fit(X, Y, epochs=2, progress=False,
                                                        file=quiet)
    assert quiet.getvalue() == ""


def test_fit_is_reproducible_with_a_seed():
    X, Y = two_moons(40, seed=2)
    runs = [Network([2, 5, 1], loss="binary_cross_entropy", seed=3).fit(
        X, Y, epochs=5, batch_size=8, progress=False).loss for _ in range(2)]
    assert runs[0] == runs[1]


def test_xor_is_solved():
    X, Y = xor()
    net = Network([2, 4, 1], activation="tanh", loss="binary_cross_entropy", seed=0)
    net.fit(X, Y, epochs=500, batch_size=4, lr=0.5, momentum=0.9, progress=False)
    np.testing.assert_array_equal(net.predict(X) > 0.5, Y > 0.5)
    assert net.accuracy(X, Y) == 1.0


@pytest.mark.slow
def test_digits_reach_95_percent(capsys):
    data = digits()
    net = Network([64, 64, 10], activation="sigmoid", loss="cross_entropy", init="xavier",
                  seed=0)
    start = time.perf_counter()
    net.fit(data.X_train, data.Y_train, epochs=30, batch_size=32, lr=0.5, momentum=0.9,
            progress=False)
    seconds = time.perf_counter() - start          # reported, never asserted
    accuracy = net.accuracy(data.X_test, data.Y_test)
    with capsys.disabled():
        print(f"\n[digits: test accuracy {accuracy:.1%} after {seconds:.1f} s of training]")
    assert accuracy >= 0.95


# -- bad input ------------------------------------------------------------------------------
def test_input_rows_must_match_the_first_layer():
    net = small()
    with pytest.raises(ShapeError, match=r"X \(the input a\^0\) must have 3 rows.*\(4, 5\)"):
        net.forward(np.ones((4, 5)))


def test_transposed_input_is_refused_with_a_hint():
    net = small()
    with pytest.raises(ShapeError, match=r"received shape \(5, 3\); it looks transposed.*"
                                         r"\(3, 5\)"):
        net.forward(np.ones((5, 3)))


def test_labels_must_match_the_output():
    net = small()
    X = np.ones((3, 5))
    with pytest.raises(ShapeError, match=r"Y \(the targets\) must have 2 rows.*\(3, 5\)"):
        net.loss(X, np.ones((3, 5)))
    with pytest.raises(ShapeError, match=r"one column per example: expected \(2, 5\), "
                                         r"received \(2, 4\)"):
        net.gradients(X, np.ones((2, 4)))


def test_a_1d_row_of_labels_does_not_broadcast():
    net = Network([3, 4, 1], loss="binary_cross_entropy", seed=0)
    X = np.ones((3, 6))
    y = np.array([0, 1, 0, 1, 1, 0], float)
    for call in (net.loss, net.gradients, net.accuracy, lambda X, Y: net.fit(X, Y, 1)):
        with pytest.raises(ShapeError, match=r"shape \(6,\).*reshape it to \(1, 6\)"):
            call(X, y)
    assert np.isfinite(net.loss(X, y.reshape(1, 6)))


def test_a_1d_bias_does_not_broadcast():
    net = small()
    with pytest.raises(ShapeError, match=r"layer 1: b\[1\] must have shape \(4, 1\), "
                                         r"received \(4,\)"):
        net.b[1] = np.zeros(4)
    with pytest.raises(ShapeError, match=r"layer 2: W\[2\] must have shape \(2, 4\), "
                                         r"received \(4, 2\)"):
        net.W[2] = np.zeros((4, 2))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_inputs_are_refused(bad):
    net = small()
    X = np.ones((3, 4))
    X[1, 2] = bad
    with pytest.raises(NonFiniteError, match=r"X \(the input a\^0\) contains NaN or infinity "
                                             r"\(first at index \(1, 2\)"):
        net.forward(X)
    Y = np.ones((2, 4))
    Y[0, 3] = bad
    with pytest.raises(NonFiniteError, match=r"Y \(the targets\).*\(0, 3\)"):
        net.loss(np.ones((3, 4)), Y)
    W = np.ones((4, 3))
    W[2, 0] = bad
    with pytest.raises(NonFiniteError, match=r"layer 1: W\[1\] contains NaN"):
        net.W[1] = W


def test_unknown_names_are_refused():
    with pytest.raises(BpkitError, match=r"unknown activation 'sigmoidd'"):
        Network([2, 2], activation="sigmoidd")
    with pytest.raises(BpkitError, match=r"unknown activation 'softmaxx'"):
        Network([2, 2], output="softmaxx")
    with pytest.raises(BpkitError, match=r"unknown loss 'mse'.*cross_entropy"):
        Network([2, 2], loss="mse")
    with pytest.raises(BpkitError, match=r"unknown init 'glorot'.*xavier"):
        Network([2, 2], init="glorot")
    with pytest.raises(BpkitError, match="softmax can only be the output"):
        Network([2, 3, 2], activation="softmax")
    with pytest.raises(BpkitError, match=r"at least two positive layer widths.*\[3, 0, 2\]"):
        Network([3, 0, 2])
    with pytest.raises(BpkitError, match="float32 or float64"):
        Network([2, 2], dtype=np.int64)


def test_fit_refuses_bad_settings():
    X, Y = xor()
    with pytest.raises(BpkitError, match="batch_size=0"):
        Network([2, 2, 1]).fit(X, Y, batch_size=0)
    with pytest.raises(BpkitError, match="lr=-0.1"):
        Network([2, 2, 1]).fit(X, Y, lr=-0.1)


def test_huge_weights_give_no_warning():
    net = Network([3, 5, 5, 4], activation="sigmoid", loss="cross_entropy", init="normal",
                  scale=1e3, seed=0)
    X = np.random.default_rng(0).standard_normal((3, 8)) * 10
    Y = np.eye(4)[:, np.arange(8) % 4]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            grads = net.gradients(X, Y)
            loss = net.loss(X, Y)
    assert np.isfinite(loss) and all(np.all(np.isfinite(g)) for g in flat_grads(grads, 3))
