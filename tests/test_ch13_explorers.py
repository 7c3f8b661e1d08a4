"""Chapter 13's explorers store true values: chain costs recounted, modes against differences."""
import re

import numpy as np

from bpkit.explorers.chain import CHAINS, chain_explorer, chain_view, parse_dims
from bpkit.explorers.modes import demo_network, modes_explorer


def _recount(n, i, j):
    """Least cost of J_j ... J_{i+1} by plain recursion over every split."""
    if j == i + 1:
        return 0
    return min(_recount(n, i, k) + _recount(n, k, j) + n[j] * n[k] * n[i] for k in range(i + 1, j))


def _costs(view):
    return [int(c.replace(",", "")) for c in
            re.findall(r"<td class='bpkit-cost' style='text-align:right'>([0-9,]+)</td>", view)]


def test_chain_explorer_stores_the_true_cost_of_every_strategy():
    ex = chain_explorer()
    assert len(ex.states) == len(CHAINS)
    for dims in CHAINS:
        view = ex.state(chain=dims).value
        fwd, rev, best = _costs(view)
        n, L = list(dims), len(dims) - 1
        assert fwd == sum(n[i] * n[i - 1] * n[0] for i in range(2, L + 1))
        assert rev == sum(n[L] * n[i + 1] * n[i] for i in range(L - 1))
        assert best == _recount(n, 0, L), f"chain {dims}: stored best cost is not the least"
        assert 'alt="Log-scale plot' in view
    assert "(J3 J2)" in ex.state(chain=(1000, 1, 1000, 1, 1000)).value


def test_chain_explorer_live_box_reads_any_chain_and_explains_bad_input():
    assert parse_dims("4, 5;6 7") == ((4, 5, 6, 7), "")
    assert parse_dims("4, x")[0] is None and "whole numbers" in parse_dims("4, x")[1]
    view = chain_view((1000, 100, 10, 1), dims="2, 30, 4, 50, 6")
    assert _costs(view)[2] == _recount([2, 30, 4, 50, 6], 0, 4)
    assert "need" in chain_view((1000, 100, 10, 1), dims="5")


def _output(net, x):
    return net.forward(x).a[net.L]


def test_modes_explorer_ends_with_a_column_and_a_row_of_the_jacobian():
    ex = modes_explorer()
    assert len(ex.states) == 2 * 2 * 5
    net, x = demo_network()
    h = 1e-6
    J = np.hstack([(_output(net, x + h * e) - _output(net, x - h * e)) / (2 * h)
                   for e in np.eye(3)[:, :, None]])
    for unit in (1, 2):
        fwd = ex.state(mode="forward", seed_unit=unit, step=5).value
        rev = ex.state(mode="reverse", seed_unit=unit, step=5).value
        col = [float(v) for v in re.search(r"<b>\[([^\]]+)\]</b>", fwd).group(1).split(",")]
        row = [float(v) for v in re.search(r"<b>\[([^\]]+)\]</b>", rev).group(1).split(",")]
        np.testing.assert_allclose(col, J[:, unit - 1], atol=1e-4)
        np.testing.assert_allclose(row, J[unit - 1, :], atol=1e-4)
        assert f"column {unit}" in fwd and f"row {unit}" in rev
