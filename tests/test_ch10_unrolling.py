"""Chapter 10's claims: the unrolled product is the recursion's delta, sigma' <= 1/4, the
spectral-norm bound holds, and a residual path keeps the error alive in a deep network."""
import re

import autograd.numpy as anp
import numpy as np
from autograd import grad
from hypothesis import given, settings, strategies as st

from bpkit import Network, get_activation
from bpkit.explorers.unrolling import ACTIVATIONS, GAINS, deep_network, unrolling_explorer
from bpkit.unrolling import (MAX_SLOPE, backward_matrix, delta_norms, delta_ratio,
                             residual_deltas, residual_demo, spectral_bounds, unrolled_delta,
                             weight_grad_norms)

HIDDEN = ("sigmoid", "tanh", "relu", "identity")
OUTPUT_LOSS = (("sigmoid", "quadratic"), ("tanh", "quadratic"), ("identity", "quadratic"),
               ("softmax", "cross_entropy"), ("sigmoid", "binary_cross_entropy"))


def problem(sizes, hidden, output, loss, seed, m=4):
    net = Network(sizes, activation=hidden, output=output, loss=loss, seed=seed)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((sizes[0], m))
    if output == "softmax":
        Y = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], m)]
    else:
        Y = rng.uniform(0.1, 0.9, (sizes[-1], m))
    return net, X, Y


networks = st.tuples(
    st.lists(st.integers(1, 5), min_size=2, max_size=6),
    st.sampled_from(HIDDEN), st.sampled_from(OUTPUT_LOSS), st.integers(0, 10_000))


@settings(max_examples=60, deadline=None)
@given(networks)
def test_unrolled_product_equals_the_recursions_delta(case):
    sizes, hidden, (output, loss), seed = case
    if output == "softmax" and sizes[-1] < 2:
        sizes = sizes[:-1] + [2]
    net, X, Y = problem(sizes, hidden, output, loss, seed)
    cache = net.forward(X)
    delta = net.deltas(cache, Y)
    for l in range(1, net.L + 1):
        for x in range(X.shape[1]):
            unrolled = unrolled_delta(net, cache, Y, l, x)
            assert np.allclose(unrolled, delta[l][:, [x]], rtol=1e-9, atol=1e-12), (
                f"layer {l}, example {x}: S^l (W^(l+1))^T ... S^L grad_a C = {unrolled.ravel()}"
                f" but the recursion's delta^l = {delta[l][:, x]}")


def _output_from_z(net, l, z):
    """a^L when z^l of one example is replaced by ``z`` (every layer above recomputed)."""
    a = net.activation_of(l).f(z)
    for k in range(l + 1, net.L + 1):
        a = net.activation_of(k).f(net.W[k] @ a + net.b[k])
    return a


@settings(max_examples=25, deadline=None)
@given(networks)
def test_backward_matrix_is_the_transposed_jacobian_of_the_forward_pass(case):
    sizes, hidden, (output, loss), seed = case
    if hidden == "relu":
        hidden = "tanh"  # finite differences across a kink would measure the wrong slope
    net, X, Y = problem(sizes, hidden, output, loss, seed, m=2)
    cache = net.forward(X)
    eps = 1e-6
    for l in range(1, net.L + 1):
        z = cache.z[l][:, [1]]
        J = np.hstack([(_output_from_z(net, l, z + eps * e) - _output_from_z(net, l, z - eps * e))
                       / (2 * eps) for e in np.eye(len(z))[:, :, None]])   # d a^L / d z^l
        assert np.allclose(backward_matrix(net, cache, l, 1), J.T, rtol=1e-5, atol=1e-7), \
            f"layer {l}: the unrolled matrix is not (d a^L / d z^l)^T"


@given(st.floats(-700, 700))
def test_sigmoid_slope_is_at_most_a_quarter(z):
    s = get_activation("sigmoid")
    slope = float(s.df(np.array([[z]]))[0, 0])
    a = float(s.f(np.array([[z]]))[0, 0])
    assert 0.0 <= slope <= 0.25
    assert np.isclose(slope, 0.25 - (a - 0.5) ** 2, atol=1e-15)   # s(1-s) = 1/4 - (s-1/2)^2
    if abs(z) > 1e-6:   # below that, 1/4 - slope is under a float's resolution
        assert slope < 0.25


def test_the_quarter_is_reached_at_zero_only_and_the_table_agrees():
    for name, s_max in MAX_SLOPE.items():
        act = get_activation(name)
        z = np.linspace(-8, 8, 16001)
        assert act.df(z).max() <= s_max + 1e-15
        assert np.isclose(act.df(np.array([1e-9])).max(), s_max), name
    assert get_activation("sigmoid").df(np.array([0.0]))[0] == 0.25


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 8), st.integers(1, 6), st.sampled_from(("sigmoid", "tanh", "relu")),
       st.floats(0.3, 4.0), st.integers(0, 1000))
def test_spectral_bound_holds_for_every_example(depth, width, act, scale, seed):
    net = Network([width] * (depth + 1), activation=act, output="identity", scale=scale,
                  seed=seed)
    rng = np.random.default_rng(seed)
    X, Y = 3 * rng.standard_normal((width, 6)), rng.standard_normal((width, 6))
    delta = net.deltas(net.forward(X), Y)
    bounds = spectral_bounds(net)
    assert bounds[-1] == 1.0
    for l in range(1, net.L + 1):
        for x in range(6):
            lhs = np.linalg.norm(delta[l][:, x])
            assert lhs <= bounds[l - 1] * np.linalg.norm(delta[net.L][:, x]) * (1 + 1e-9) + 1e-300


def test_norms_per_layer_match_an_independent_computation():
    net, X, Y = problem([3, 4, 4, 2], "tanh", "identity", "quadratic", seed=7, m=5)
    cache = net.forward(X)
    by_hand = [np.sqrt(sum(np.sum(unrolled_delta(net, cache, Y, l, x) ** 2) for x in range(5)))
               for l in range(1, net.L + 1)]
    assert np.allclose(delta_norms(net, X, Y), by_hand, rtol=1e-12)
    assert np.isclose(delta_ratio(net, X, Y), by_hand[0] / by_hand[-1], rtol=1e-12)
    grads = net.gradients(X, Y)
    assert np.allclose(weight_grad_norms(net, X, Y),
                       [np.linalg.norm(grads.dW[l]) for l in (1, 2, 3)])


# -- residual connections ---------------------------------------------------------------------
def _autograd_residual_loss(params, X, Y, hidden):
    """Mean quadratic loss of a residual stack with identity output: a^l = a^(l-1) + sigma(z^l)."""
    f = {"tanh": anp.tanh, "sigmoid": lambda z: 1 / (1 + anp.exp(-z))}[hidden]
    zs, a = params["z_shift"], X
    L = len(params["W"])
    for l in range(L):
        z = anp.dot(params["W"][l], a) + params["b"][l] + zs[l]
        a = a + f(z) if l < L - 1 else z
    return 0.5 * anp.sum((a - Y) ** 2) / X.shape[1]


def test_residual_deltas_are_the_derivatives_of_the_residual_stack():
    for hidden in ("tanh", "sigmoid"):
        net = Network([5] * 6, activation=hidden, output="identity", seed=2)
        rng = np.random.default_rng(3)
        X, Y = rng.standard_normal((5, 4)), rng.standard_normal((5, 4))
        params = {"W": list(net.W), "b": list(net.b),
                  "z_shift": [np.zeros((5, 4)) for _ in range(net.L)]}
        # dC/dz^l of the mean loss is delta^l / m: differentiate w.r.t. a shift added to z^l
        dz = grad(_autograd_residual_loss)(params, X, Y, hidden)["z_shift"]
        delta = residual_deltas(net, X, Y, residual=True)
        for l in range(1, net.L + 1):
            assert np.allclose(delta[l], X.shape[1] * dz[l - 1], rtol=1e-9, atol=1e-12), \
                f"{hidden}, layer {l}: residual delta differs from autograd's dC_x/dz^l"


def test_without_the_skip_it_is_the_plain_network():
    net, X, Y = problem([4, 4, 4, 4, 3], "sigmoid", "sigmoid", "quadratic", seed=5)
    plain = residual_deltas(net, X, Y, residual=False)
    delta = net.deltas(net.forward(X), Y)
    for l in range(1, net.L + 1):
        assert np.allclose(plain[l], delta[l], rtol=1e-12, atol=0)


def test_a_residual_path_keeps_delta_alive_in_a_deep_network():
    plain, residual = residual_demo(depth=50, width=16, activation="tanh", gain=0.5)
    assert plain[0] / plain[-1] < 1e-10, "the plain 50-layer stack should lose its error"
    assert 0.1 < residual[0] / residual[-1] < 100, "the residual stack should keep it"
    assert np.all(residual / residual[-1] > 0.1)


# -- the explorer ----------------------------------------------------------------------------
def test_explorer_stores_the_true_ratio_and_bound_for_every_state():
    ex = unrolling_explorer()
    assert len(ex.states) == len(ACTIVATIONS) * len(GAINS) <= 64
    for act in ACTIVATIONS:
        for gain in GAINS:
            view = ex.state(activation=act, gain=gain).value
            ratio = float(re.search(r"= <b>([-+0-9.e]+)</b>", view).group(1))
            bound = float(re.search(r"norms: ([-+0-9.e]+)\.</p>", view).group(1))
            net, X, Y = deep_network(act, gain)
            cache = net.forward(X)
            # independent of net.deltas: the unrolled product for every example
            d1 = np.hstack([unrolled_delta(net, cache, Y, 1, x) for x in range(X.shape[1])])
            dL = cache.a[net.L] - Y
            assert np.isclose(ratio, np.linalg.norm(d1) / np.linalg.norm(dL), rtol=5e-3), (act, gain)
            Ws = [np.linalg.svd(net.W[l], compute_uv=False)[0] for l in range(2, net.L + 1)]
            assert np.isclose(bound, np.prod(Ws) * MAX_SLOPE[act] ** (net.L - 1), rtol=5e-3)
            assert 'alt="Log-scale plot' in view
