"""bpkit.opcount measures what it claims: counts match the chapter-1 formulas, and every
counted method returns the true gradient (so the counter cannot be counting a wrong
computation)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from bpkit import Network
from bpkit import opcount
from bpkit.explorers import cost

sizes_strategy = st.lists(st.integers(1, 6), min_size=2, max_size=5)


def forward_formula(n):
    """F = sum_l (n_l n_{l-1} + 2 n_l) + 3 n_L + 1: products, bias adds, sigma; then the loss
    (n_L subtractions, n_L squares, n_L - 1 additions, the 1/2 and the mean's division)."""
    L = len(n) - 1
    return sum(n[l] * n[l - 1] + 2 * n[l] for l in range(1, L + 1)) + 3 * n[L] + 1


def backprop_formula(n):
    """B = 3 S - n_1 n_0 + 6 N + n_L, with S = sum_l n_l n_{l-1} and N = sum_l n_l: the forward
    pass (S + 2N), a - y (n_L), sigma' and the product with it (2N), (W^{l+1})^T delta
    (S - n_1 n_0), the outer products of BP4 (S), and the division by m of delta in BP4 (N) and
    of the bias sums in BP3 (N)."""
    L = len(n) - 1
    S = sum(n[l] * n[l - 1] for l in range(1, L + 1))
    N = sum(n[1:])
    return 3 * S - n[1] * n[0] + 6 * N + n[L]


def per_parameter_formula(n):
    """The forward pass without the loss (S + 2N), a - y (n_L), sigma' (N), then sum_l P_l T_l:
    P_l parameters in layer l, each with its own sweep T_l = sum_{i>l} (n_{i-1} + n_i n_{i-1})
    + 2 n_L."""
    L = len(n) - 1
    total = sum(n[l] * n[l - 1] + 2 * n[l] for l in range(1, L + 1)) + n[L] + sum(n[1:])
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


def batch(sizes, m, seed=0):
    net = Network(sizes, activation="sigmoid", output="sigmoid", seed=seed)
    rng = np.random.default_rng(seed)
    return net, rng.standard_normal((sizes[0], m)), rng.random((sizes[-1], m))


CHAPTER_1_NETWORKS = ([[2, 3, 1], [4, 4, 4, 1], [10, 10, 10, 1], [784, 30, 10]]
                      + [opcount.stack(d, 20) for d in range(1, 9)]
                      + [opcount.stack(3, w) for w in (2, 4, 8, 16, 32, 64)]
                      + [opcount.stack(d, w) for d in cost.DEPTHS for w in cost.WIDTHS])


@pytest.mark.parametrize("sizes", CHAPTER_1_NETWORKS, ids=str)
def test_a_batch_costs_m_times_one_example_and_backprop_under_three_forward_passes(sizes):
    """Chapter 1: B < 3F for every network it measures, and per example the counts do not
    depend on the batch size (BP4 divides the m columns of delta, not the product)."""
    F1 = opcount.forward_pass(*batch(sizes, 1))[1].total
    B1 = opcount.backprop_gradient(*batch(sizes, 1))[2].total
    assert B1 < 3 * F1, f"{sizes}: backprop costs {B1 / F1:.2f} forward passes"
    net, X, Y = batch(sizes, 32)
    F = opcount.forward_pass(net, X, Y)[1].total
    dW, db, B = opcount.backprop_gradient(net, X, Y)
    assert (F, B.total) == (32 * F1, 32 * B1), sizes
    true = net.gradients(X, Y)
    np.testing.assert_allclose(dW[1], true.dW[1], rtol=1e-12, atol=1e-15)


def test_the_counted_arrays_charge_what_numpy_does():
    tally = opcount.Tally()
    A, B = tally.array(np.ones((2, 3))), np.ones((3, 4))
    C = A @ B                                # 2 x 4 results, 3 multiply-adds each
    assert (tally.count.madd, tally.count.elementwise) == (24, 0)
    C += 1.0                                 # in place: 8 additions
    D = np.sum(C, axis=1) / 2                # 2 rows of 4: 3 additions each; 2 divisions
    assert tally.count.elementwise == 8 + 6 + 2 and isinstance(D, opcount.Counted)
    m = np.mean(tally.array(np.arange(5.0)))  # 4 additions and 1 division, then a float
    assert tally.count.elementwise == 16 + 5 and float(m) == 2.0
    np.isfinite(C).all()
    assert tally.uncharged == {"isfinite.__call__", "logical_and.reduce"}
    assert tally.count.activation == 0


@settings(max_examples=20, deadline=None)
@given(sizes=sizes_strategy, seed=st.integers(0, 1000))
def test_nothing_arithmetic_escapes_the_count(sizes, seed):
    """The network's code does no arithmetic that the counted arrays do not charge: the only
    uncharged operations are the input's finiteness check."""
    net, x, y = example(sizes, seed)
    counted, tally = opcount.counting(net)
    counted.gradients(tally.array(x), y)
    counted.loss(tally.array(x), y)
    assert tally.uncharged <= {"isfinite.__call__", "logical_and.reduce"}, tally.uncharged


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


def test_input_checks_keep_counted_arrays_and_make_other_subclasses_plain():
    from bpkit.errors import as_matrix

    kept = as_matrix(opcount.Tally().array(np.ones(3)), "X", rows=3)
    assert isinstance(kept, opcount.Counted) and kept.shape == (3, 1)
    with pytest.warns(PendingDeprecationWarning):   # numpy discourages np.matrix itself
        matrix = np.matrix(np.ones((3, 2)))
    plain = as_matrix(matrix, "X", rows=3)
    assert type(plain) is np.ndarray   # np.matrix's * would multiply matrices
