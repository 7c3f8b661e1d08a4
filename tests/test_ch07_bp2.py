"""Chapter 7's claims: BP2 against autograd, the transpose as the adjoint of the forward map,
the two-stage reading, the slope stage's bound for the sigmoid, and the explorer's views."""
import re

import autograd.numpy as anp
import numpy as np
from autograd import elementwise_grad, grad
from hypothesis import given, settings
from hypothesis import strategies as st

import bpkit
from bpkit import Network
from bpkit.explorers.backward import (BATCHES, HIDDEN, backward_explorer, demo_network,
                                      stage_norms, steps)

SETTINGS = settings(max_examples=25, deadline=None)
SIGMA = {"sigmoid": lambda z: 1 / (1 + anp.exp(-z)), "tanh": anp.tanh,
         "relu": lambda z: anp.maximum(z, 0.0)}


def random_network(sizes, act, rng):
    """A network with random biases too: a ReLU unit whose z is exactly 0 (a zero input
    with a zero bias) would sit on the kink, where bpkit and autograd choose different slopes."""
    net = Network(sizes, activation=act, output="sigmoid", loss="quadratic",
                  seed=int(rng.integers(1 << 30)))
    for l in range(1, net.L + 1):
        net.b[l] = 0.5 * rng.standard_normal((sizes[l], 1))
    return net


def loss_from_layer(net, Y, l):
    """C as a function of z^l (the rest of the forward pass in autograd), summed over the
    batch, so that each column of its gradient is that example's delta (no 1/m)."""
    def C(z):
        for k in range(l, net.L + 1):
            if k > l:
                z = anp.dot(net.W[k], a) + net.b[k]
            a = SIGMA[net.activation.name](z) if k < net.L else SIGMA["sigmoid"](z)
        return 0.5 * anp.sum((a - Y) ** 2)
    return C


@SETTINGS
@given(act=st.sampled_from(sorted(SIGMA)), m=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_every_delta_of_the_recursion_is_dC_dz(act, m, seed):
    """BP2 (through Network.deltas) equals autograd's dC/dz^l in every layer."""
    rng = np.random.default_rng(seed)
    net = random_network([3, 5, 4, 2], act, rng)
    X, Y = rng.standard_normal((3, m)), rng.uniform(0, 1, (2, m))
    cache = net.forward(X)
    delta = net.deltas(cache, Y)
    for l in range(1, net.L + 1):
        expected = elementwise_grad(loss_from_layer(net, Y, l))(cache.z[l])
        np.testing.assert_allclose(delta[l], expected, rtol=1e-8, atol=1e-12,
                                   err_msg=f"delta^{l} is not dC/dz^{l} ({act})")


@SETTINGS
@given(n_out=st.integers(1, 6), n_in=st.integers(1, 6), seed=st.integers(0, 2**16))
def test_transpose_is_the_adjoint(n_out, n_in, seed):
    """(ch7-adjoint): <W u, v> = <u, W^T v> for every W, u, v."""
    rng = np.random.default_rng(seed)
    W, u, v = (rng.standard_normal((n_out, n_in)), rng.standard_normal(n_in),
               rng.standard_normal(n_out))
    left, right = np.dot(W @ u, v), np.dot(u, W.T @ v)
    assert abs(left - right) <= 1e-12 * (1 + np.abs(W).sum() * np.abs(u).max() * np.abs(v).max())
    # and W^T is the only such map: the gradient of u -> <W u, v> is W^T v
    np.testing.assert_allclose(grad(lambda u: anp.dot(anp.dot(W, u), v))(u), W.T @ v,
                               rtol=1e-12, atol=1e-14)


@SETTINGS
@given(act=st.sampled_from(sorted(SIGMA)), seed=st.integers(0, 2**16))
def test_first_stage_is_dC_da_and_second_is_bp1_again(act, seed):
    """(ch7-grad-a): (W^(l+1))^T delta^(l+1) = dC/da^l; then * sigma'(z^l) = delta^l."""
    rng = np.random.default_rng(seed)
    net = random_network([2, 4, 3, 2], act, rng)
    X, Y = rng.standard_normal((2, 2)), rng.uniform(0, 1, (2, 2))
    cache = net.forward(X)
    delta = net.deltas(cache, Y)
    for l in range(1, net.L):
        C_of_z_next = loss_from_layer(net, Y, l + 1)
        C_of_a = lambda a: C_of_z_next(anp.dot(net.W[l + 1], a) + net.b[l + 1])
        g = net.W[l + 1].T @ delta[l + 1]
        np.testing.assert_allclose(g, elementwise_grad(C_of_a)(cache.a[l]), rtol=1e-8,
                                   atol=1e-12, err_msg=f"stage 1 at layer {l} is not dC/da^{l}")
        np.testing.assert_allclose(bpkit.bp1(g, cache.z[l], act), delta[l], rtol=1e-12,
                                   atol=1e-15)


def test_sigmoid_slope_stage_shrinks_by_at_least_four():
    """The chapter's figure: every slope stage of the sigmoid network multiplies the norm by
    at most 1/4 (between 0.23 and 0.25 there), while tanh keeps it near 1."""
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((4, 1)), rng.uniform(0, 1, (3, 1))
    ratios = {}
    for act in ("sigmoid", "tanh"):
        net = Network([4, 8, 8, 8, 8, 8, 3], activation=act, output="sigmoid",
                      loss="quadratic", init="xavier", seed=1)
        norms = [v for _, v in stage_norms(net, X, Y)]
        ratios[act] = [norms[k + 1] / norms[k] for k in range(1, len(norms) - 1, 2)]
    assert all(0.23 <= r <= 0.25 for r in ratios["sigmoid"]), ratios["sigmoid"]
    assert all(0.95 <= r <= 1.0 for r in ratios["tanh"]), ratios["tanh"]


# -- the explorer -----------------------------------------------------------------------------
def _matrices(view):
    """{name: array} of every matrix table in one stored view."""
    out = {}
    for name, body in re.findall(r"data-matrix='([^']+)'[^>]*>(.*?)</table>", view):
        rows = [r for r in body.split("<tr>") if r.startswith("<th scope='row'")]
        out[name] = np.array([[float(v) for v in re.findall(r"<td[^>]*>([^<]*)</td>", r)]
                              for r in rows])
    return out


def test_explorer_steps_show_true_arrays_with_their_shapes():
    ex = backward_explorer()
    net0, _, _ = demo_network()
    order = steps(net0)
    assert len(ex.states) == len(order) * len(HIDDEN) * len(BATCHES)
    for act in HIDDEN:
        for m in BATCHES:
            net, X, Y = demo_network(act, m)
            cache = net.forward(X)
            for step in order:
                kind, l = step
                view = ex.state(step=step, activation=act, m=m).value
                M = _matrices(view)
                # an independent delta for every matrix named delta<l>
                for name, A in M.items():
                    if name.startswith("delta"):
                        k = int(name[5:])
                        expected = elementwise_grad(loss_from_layer(net, Y, k))(cache.z[k])
                        assert A.shape == (net.sizes[k], m)
                        np.testing.assert_allclose(A, expected, rtol=2e-3, atol=1e-12,
                                                   err_msg=f"{act} m={m} step {step}")
                if kind == "across":
                    assert M[f"W{l + 1}T"].shape == (net.sizes[l], net.sizes[l + 1])
                    np.testing.assert_allclose(M[f"W{l + 1}T"], net.W[l + 1].T, rtol=2e-3)
                    assert M[f"g{l}"].shape == (net.sizes[l], m)
                    assert f"shape ({net.sizes[l]}, {net.sizes[l + 1]})" in view
                if kind == "slope":
                    slope = net.activation.df(cache.z[l])
                    np.testing.assert_allclose(M[f"slope{l}"], slope, rtol=2e-3, atol=1e-12)
                    assert f"delta{l}" in M
                if kind == "bp1":
                    assert f"delta{net.L}" in M
                # the deltas known so far: those of the layers already passed, no others
                done = [s[1] for s in order[:order.index(step) + 1] if s[0] != "across"]
                for j in range(1, net.L + 1):
                    assert (f"δ<sup>{j}</sup> not yet" in view) == (j not in done)
