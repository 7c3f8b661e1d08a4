"""bpkit.opcount measures what it claims: counts match the chapter-1 formulas, and every
counted method returns the true gradient (so the counter cannot be counting a wrong
computation)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from bpkit import Network
from bpkit import opcount

sizes_strategy = st.lists(st.integers(1, 6), min_size=2, max_size=5)


def forward_formula(n):
    """F = sum_l (n_l n_{l-1} + 2 n_l) + 2 n_L + 1: products, bias adds, sigma; then the loss."""
    L = len(n) - 1
    return sum(n[l] * n[l - 1] + 2 * n[l] for l in range(1, L + 1)) + 2 * n[L] + 1


def backprop_formula(n):
    """F + sum_l n_l (sigma') + n_L (BP1) + sum_{l<L} (n_{l+1} n_l + n_l) (BP2) + sum_l n_l n_{l-1} (BP4)."""
    L = len(n) - 1
    return (forward_formula(n) + sum(n[1:]) + n[L]
            + sum(n[l + 1] * n[l] + n[l] for l in range(1, L))
            + sum(n[l] * n[l - 1] for l in range(1, L + 1)))


def per_parameter_formula(n):
    """F + sum_l n_l (sigma') + sum_l P_l T_l: P_l parameters in layer l, each with its own sweep
    T_l = sum_{i>l} (n_{i-1} + n_i n_{i-1}) + 2 n_L."""
    L = len(n) - 1
    total = forward_formula(n) + sum(n[1:])
    for l in range(1, L + 1):
        P_l = n[l] * n[l - 1] + n[l]
        T_l = sum(n[i - 1] + n[i] * n[i - 1] for i in range(l + 1, L + 1)) + 2 * n[L]
        total += P_l * T_l
    return total


def example(sizes, seed):
    net = Network(sizes, activation="tanh", output="sigmoid", seed=seed)
    rng = np.random.default_rng(seed + 1)
    return net, rng.standard_normal(sizes[0]), rng.random(sizes[-1])


@settings(max_examples=40, deadline=None)
@given(sizes=sizes_strategy, seed=st.integers(0, 1000))
def test_counts_match_the_formulas_of_chapter_1(sizes, seed):
    net, x, y = example(sizes, seed)
    _, fwd = opcount.forward_pass(net, x, y)
    *_, bp = opcount.backprop_gradient(net, x, y)
    *_, pp = opcount.per_parameter_gradient(net, x, y)
    assert fwd.total == forward_formula(sizes), f"forward pass of {sizes}"
    assert bp.total == backprop_formula(sizes), f"backprop of {sizes}"
    assert pp.total == per_parameter_formula(sizes), f"per-parameter of {sizes}"


@settings(max_examples=40, deadline=None)
@given(sizes=sizes_strategy, seed=st.integers(0, 1000))
def test_both_counted_methods_give_the_true_gradient(sizes, seed):
    net, x, y = example(sizes, seed)
    true = net.backward(net.forward(x), y)
    C, _ = opcount.forward_pass(net, x, y)
    assert C == pytest.approx(net.loss(x, y), rel=1e-12)
    for method in (opcount.backprop_gradient, opcount.per_parameter_gradient):
        dW, db, _ = method(net, x, y)
        for l in range(1, net.L + 1):
            np.testing.assert_allclose(dW[l], true.dW[l], rtol=1e-10, atol=1e-13,
                                       err_msg=f"{method.__name__}: dC/dW^{l}")
            np.testing.assert_allclose(db[l], true.db[l], rtol=1e-10, atol=1e-13,
                                       err_msg=f"{method.__name__}: dC/db^{l}")


def test_a_wrong_gradient_would_be_caught():
    # Guard against a vacuous comparison: perturbing one weight changes the true gradient.
    net, x, y = example([3, 4, 2], 0)
    dW, _, _ = opcount.backprop_gradient(net, x, y)
    net.W[2][0, 0] += 0.5
    dW2, _, _ = opcount.backprop_gradient(net, x, y)
    assert not np.allclose(dW[1], dW2[1])


def test_backprop_stays_a_small_multiple_of_the_forward_pass():
    rows = opcount.growth([opcount.stack(d, w) for d in (1, 4, 8) for w in (5, 20, 50)])
    for sizes, c in rows:
        ratio = c["backprop"].total / c["forward"].total
        assert 1.5 < ratio < 3.0, f"{sizes}: backprop costs {ratio:.2f} forward passes"


def test_per_parameter_cost_grows_with_the_network():
    rows = opcount.growth([opcount.stack(4, w) for w in (5, 10, 20, 40)])
    ratios = [c["per_parameter"].total / c["forward"].total for _, c in rows]
    assert ratios == sorted(ratios) and ratios[-1] > 10 * ratios[0], ratios
    # At least one forward pass per parameter of the last layer below the output.
    for sizes, c in rows:
        assert c["per_parameter"].total > c["parameters"] * 2


def test_compare_reports_parameter_count():
    c = opcount.compare([784, 30, 10])
    assert c["parameters"] == 784 * 30 + 30 + 30 * 10 + 10


def test_stack_builds_the_sizes():
    assert opcount.stack(3, 7) == [7, 7, 7, 7, 1]
    assert opcount.stack(1, 5, n_in=2, n_out=3) == [2, 5, 3]


def test_plot_growth_makes_a_titled_figure():
    rows = opcount.growth([opcount.stack(2, w) for w in (2, 4)])
    fig = opcount.plot_growth(rows, title="t", highlight=1)
    assert fig._suptitle.get_text() == "t"
    assert [ax.get_title() for ax in fig.axes] == ["operations for one gradient",
                                                   "cost relative to one forward pass"]
