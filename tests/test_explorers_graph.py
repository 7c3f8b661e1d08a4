"""The explorers of chapters 3, 4 and 5 build, follow their controls and show true values."""
import math

import numpy as np

from bpkit import scalar
import re

from bpkit.explorers.delta import delta_explorer, demo_network, nudged_loss, units
from bpkit.explorers.graph import graph_explorer
from bpkit.explorers.paths import growth, paths_explorer
from bpkit.graph import layer_graph, scalar_graph


def test_graph_explorer_highlights_the_paths_of_the_chosen_node():
    ex = graph_explorer("2, 3, 2", "scalar", node="W1_2_1")
    assert ex.png[:8] == b"\x89PNG\r\n\x1a\n"
    assert ex.count == 2 and "<b>2</b> paths" in ex.summary.value
    assert 'alt="The scalar-level graph' in ex.figure.value
    ex.node.value = "x1"
    assert ex.count == scalar_graph([2, 3, 2]).count_paths("x1", "C") == 6
    ex.level.value = "layer"
    assert ex.graph.nodes == layer_graph([2, 3, 2]).nodes
    ex.node.value = "W1"
    assert ex.count == 1
    ex.sizes_box.value = "3, 4, 4, 2"
    assert ex.node.value == "W1" and ex.count == 1
    ex.level.value = "scalar"
    ex.node.value = "x3"
    assert ex.count == 4 * 4 * 2 and "and 26 more" in ex.summary.value


def test_paths_explorer_counts_paths_and_work():
    ex = paths_explorer(depth=5, width=3)
    assert [r[1] for r in ex.rows] == [3 ** d for d in range(1, 6)]
    work = [r[2] for r in ex.rows]
    assert len(set(np.diff(work[1:]))) == 1          # the same number of terms per layer
    assert "<b>243</b> paths" in ex.summary.value
    x, out = scalar.layered(5, 3)
    out.backward()
    assert f"{x.grad:.10g}" in ex.summary.value
    ex.width.value = 2
    assert ex.rows == growth(5, 2) and ex.rows[-1][1] == 32
    assert "Log-scale plot" in ex.figure.value


def _numbers(view):
    """delta and the table's (nudge, true change, delta * nudge) rows of one stored view."""
    d = float(re.search(r"= <b>([-+0-9.e]+)</b>", view).group(1))
    rows = re.findall(r"<tr><td>([-+0-9.e]+)</td><td>([-+0-9.e]+)</td><td>([-+0-9.e]+)</td>", view)
    return d, [tuple(map(float, r)) for r in rows]


def test_delta_explorer_stores_the_true_change_beside_delta_dz_for_every_choice():
    ex = delta_explorer()
    net0, _, _ = demo_network()
    assert len(ex.states) == 3 * 2 * len(units(net0))
    for activation in ("sigmoid", "tanh", "relu"):
        for loss in ("quadratic", "cross-entropy"):
            net, x, y = demo_network(activation, loss)
            cache = net.forward(x)
            for l, j in units(net):
                d, rows = _numbers(ex.state(activation=activation, loss=loss, unit=(l, j)).value)
                eps = 1e-6
                estimate = (nudged_loss(net, cache, y, l, j - 1, eps)
                            - nudged_loss(net, cache, y, l, j - 1, -eps)) / (2 * eps)
                assert math.isclose(d, estimate, rel_tol=1e-4, abs_tol=1e-6), (activation, loss, l, j)
                small = [r for r in rows if abs(r[0]) == 0.01]
                # first order: the gap is O(dz^2); the table rounds to 6 decimals
                assert small and all(abs(true - pred) <= 0.05 * abs(pred) + 2e-6
                                     for _, true, pred in small)


def test_delta_explorer_live_nudge_computes_any_value():
    ex = delta_explorer(unit=(3, 1))
    ex.live_inputs["dz"].value = 0.37
    assert ex.view.selected_index == len(ex.view.children) - 1
    d, rows = _numbers(ex.live.value)
    assert rows[0][0] == 0.37 and math.isclose(rows[0][2], round(d * 0.37, 6), abs_tol=2e-6)
    ex.controls[2].widget.index = 0                   # back to a precomputed view
    assert ex.view.selected_index == ex.controls[0].index


def test_deltas_agree_with_the_gradient_of_the_biases():
    net, x, y = demo_network()
    d = net.deltas(net.forward(x), y)
    g = net.gradients(x, y)
    for l in range(1, net.L + 1):
        np.testing.assert_allclose(d[l], g.db[l], rtol=1e-12)
