"""Chapter 14: the three Hessian-vector products against autograd, each other and differences."""
import autograd
import autograd.numpy as anp
import numpy as np
from hypothesis import given, settings, strategies as st

from bpkit import Network
from bpkit import hvp as H
from bpkit.data import two_moons

ACTS = {"sigmoid": lambda z: 1 / (1 + anp.exp(-z)), "tanh": anp.tanh, "identity": lambda z: z}


def problem(seed):
    rng = np.random.default_rng(seed)
    loss = ["quadratic", "cross_entropy", "binary_cross_entropy"][seed % 3]
    n0, n1 = (int(n) for n in rng.integers(1, 4, 2))
    k = 2 if loss == "cross_entropy" else 1
    act = ["sigmoid", "tanh", "identity"][(seed // 3) % 3]
    net = Network([n0, n1, k], activation=act, loss=loss, seed=seed)
    m = int(rng.integers(1, 5))
    X = rng.standard_normal((n0, m))
    Y = rng.uniform(0.1, 0.9, (k, m))
    if loss == "cross_entropy":
        Y /= Y.sum(axis=0)
    v = [rng.standard_normal(p.shape) for p in net.parameters()]
    return net, X, Y, v


def autograd_loss(net, X, Y):
    """The same mean loss, written for autograd, as a function of the flat parameters."""
    like = net.parameters()

    def C(theta):
        params, start = [], 0
        for p in like:
            params.append(anp.reshape(theta[start:start + p.size], p.shape))
            start += p.size
        a = X
        for l in range(1, net.L + 1):
            z = anp.dot(params[2 * l - 2], a) + params[2 * l - 1]
            act = net.activation_of(l).name
            if act == "softmax":
                e = anp.exp(z - anp.max(z, axis=0, keepdims=True))
                a = e / anp.sum(e, axis=0, keepdims=True)
            else:
                a = ACTS[act](z)
        name = net.loss_fn.name
        if name == "quadratic":
            per = 0.5 * anp.sum((a - Y) ** 2, axis=0)
        elif name == "cross_entropy":
            per = -anp.sum(Y * anp.log(a), axis=0)
        else:
            per = -anp.sum(Y * anp.log(a) + (1 - Y) * anp.log(1 - a), axis=0)
        return anp.mean(per)
    return C


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**20))
def test_hvps_agree_with_autograd_and_with_differences_of_gradients(seed):
    net, X, Y, v = problem(seed)
    theta, vflat = H.flatten(net.parameters()), H.flatten(v)
    expected = autograd.hessian_vector_product(autograd_loss(net, X, Y))(theta, vflat)
    scale = max(1.0, np.abs(expected).max())
    for name in ("forward-over-reverse", "reverse-over-reverse"):
        got = H.flatten(H.METHODS[name](net, X, Y, v))
        np.testing.assert_allclose(got, expected, rtol=1e-8, atol=1e-10 * scale,
                                   err_msg=f"{name} H v differs from autograd's")
    fd = H.flatten(H.hvp_finite_differences(net, X, Y, v, eps=1e-5))
    np.testing.assert_allclose(fd, expected, rtol=1e-5, atol=1e-6 * scale,
                               err_msg="central differences of gradients differ from H v")


def test_gradient_by_the_primitives_is_backprops():
    for seed in range(6):
        net, X, Y, _ = problem(seed)
        g = H.flatten(H.gradient(net, X, Y))
        np.testing.assert_allclose(g, H.flatten(H.backprop_gradient(net, X, Y, net.parameters())),
                                   rtol=1e-10, atol=1e-12)


def test_hessian_rows_are_symmetric_and_match_autograd():
    net, X, Y, _ = problem(4)
    Hm = H.hessian(net, X, Y)
    np.testing.assert_allclose(Hm, Hm.T, atol=1e-12)
    np.testing.assert_allclose(Hm, autograd.hessian(autograd_loss(net, X, Y))(
        H.flatten(net.parameters())), rtol=1e-8, atol=1e-10)


def test_one_sided_differences_are_first_order_central_second_order():
    net, X, Y, v = problem(7)
    exact = H.flatten(H.hvp_forward_over_reverse(net, X, Y, v))
    errors = {}
    for eps in (1e-2, 1e-3):
        central = H.flatten(H.hvp_finite_differences(net, X, Y, v, eps))
        g0 = H.flatten(H.backprop_gradient(net, X, Y, net.parameters()))
        plus = H.flatten(H.backprop_gradient(
            net, X, Y, [p + eps * d for p, d in zip(net.parameters(), v)]))
        errors[eps] = (np.abs(central - exact).max(), np.abs((plus - g0) / eps - exact).max())
    # ten times smaller eps: central error about 100 times smaller, one-sided about 10 times
    assert errors[1e-3][0] < errors[1e-2][0] / 30
    assert errors[1e-2][1] / 30 < errors[1e-3][1] < errors[1e-2][1] / 3


def test_conjugate_gradient_solves_a_positive_definite_system():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((6, 6))
    A = A @ A.T + 6 * np.eye(6)
    b = rng.standard_normal(6)
    p, used = H.conjugate_gradient(lambda d: A @ d, b, 20)
    np.testing.assert_allclose(A @ p, b, atol=1e-8)
    assert used <= 7


def test_newton_cg_reaches_a_lower_loss_than_gradient_descent_in_fewer_iterations():
    X, Y = two_moons(m=100, seed=0)
    net = Network([2, 8, 1], activation="tanh", loss="binary_cross_entropy", seed=0)
    before = net.loss(X, Y)
    _, newton = H.newton_cg(net, X, Y, iterations=30)
    _, gd = H.gradient_descent(net, X, Y, iterations=300, lr=1.0)
    assert net.loss(X, Y) == before, "the methods must train copies"
    losses = [h["loss"] for h in newton]
    assert all(b <= a + 1e-12 for a, b in zip(losses, losses[1:])), "line search: never worse"
    assert newton[-1]["loss"] < gd[-1]["loss"] / 10
