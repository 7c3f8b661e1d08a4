"""The explorers of chapters 3, 4 and 5 build, follow their controls and show true values."""
import math

import numpy as np

from bpkit import scalar
from bpkit.explorers.delta import deltas, delta_explorer, demo_network, nudged_loss
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


def test_delta_explorer_compares_the_true_change_with_delta_dz():
    ex = delta_explorer(l=2, j=3, dz=0.01)
    net, x, y = demo_network()
    cache = net.forward(x)
    eps = 1e-6
    estimate = (nudged_loss(net, cache, y, 2, 2, eps) - nudged_loss(net, cache, y, 2, 2, -eps)) / (2 * eps)
    assert math.isclose(ex.d, estimate, rel_tol=1e-6)
    gap = abs(ex.true_change - ex.predicted)
    assert gap < 1e-2 * abs(ex.predicted)
    ex.dz.value = 0.001                               # ten times smaller: gap ~100 times
    assert 50 < gap / abs(ex.true_change - ex.predicted) < 200
    ex.l.value = 3
    assert ex.j.value == 1 and ex.j.max == 1
    ex.dz.value = 1.5
    assert ex.predicted == ex.d * 1.5
    assert "dashed blue line" in ex.figure.value


def test_deltas_agree_with_the_gradient_of_the_biases():
    net, x, y = demo_network()
    _, d = deltas(net, x, y)
    g = net.gradients(x, y)
    for l in range(1, net.L + 1):
        np.testing.assert_allclose(d[l], g.db[l], rtol=1e-12)
