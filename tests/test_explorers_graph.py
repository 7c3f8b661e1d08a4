"""The explorers of chapters 3, 4 and 5: every stored view shows true values.

Each count or number is read back out of the stored HTML of every view and compared with an
independent computation (a product of widths, the edges of the graph, a walk of every path,
a finite difference).
"""
import html
import math
import re

import numpy as np

from bpkit import scalar
from bpkit.explorers.delta import delta_explorer, demo_network, nudged_loss, units
from bpkit.explorers.graph import NETWORKS as G_NETWORKS, ROLES, graph_explorer, plain
from bpkit.explorers.paths import (DEPTHS as P_DEPTHS, WIDTHS as P_WIDTHS, growth,
                                   paths_explorer, walk_terms)
from bpkit.graph import layer_graph, scalar_graph


def expected_paths(sizes, level, role):
    """Paths from a role's node to C, by hand: at the layer level the graph is one chain; at
    the scalar level every unit of each layer after the node's own fans out to all units of
    the next, so the count is the product of those layers' widths."""
    if level == "layer":
        return 1
    L = len(sizes) - 1
    after = {"x": 1, "W1": 2, "b1": 2, "W2": 3, "WL": L + 1, "aL": L + 1}[role]
    return math.prod(sizes[after:])


def test_every_graph_view_counts_the_paths_of_its_node():
    ex = graph_explorer()
    assert len(ex.states) == len(G_NETWORKS) * 2 * len(ROLES)
    for text in G_NETWORKS:
        sizes = [int(n) for n in text.split(",")]
        for level in ("layer", "scalar"):
            g = layer_graph(sizes) if level == "layer" else scalar_graph(sizes)
            for role in ROLES:
                view = ex.state(network=text, level=level, role=role).value
                count = int(re.search(r"<b>([0-9,]+)</b> path", view).group(1).replace(",", ""))
                assert count == expected_paths(sizes, level, role), (text, level, role)
                listed = re.findall(r"<li>([^<]*→[^<]*)</li>", view)
                assert len(listed) == min(count, 6)
                assert len(set(listed)) == len(listed)
                for path in listed:       # each listed path runs along edges of the graph
                    names = [n.strip() for n in html.unescape(path).split("→")]
                    labels = {plain(g.label[n]): n for n in g.nodes}
                    nodes = [labels[n] for n in names]
                    assert nodes[-1] == "C" and all(e in g.edges for e in zip(nodes, nodes[1:]))
                if count > 6:
                    assert f"and {count - 6:,} more" in view
                assert f'alt="The {level}-level graph of the network {sizes}' in view


def test_graph_live_box_draws_any_small_network():
    ex = graph_explorer(role="W1")
    ex.live_inputs["network"].value = "4, 5, 3, 2"
    assert ex.view.selected_index == len(ex.view.children) - 1
    assert "<b>6</b> paths" in ex.live.value              # W^1_11 -> z^1_1 -> 3 x 2 paths
    ex.live_inputs["network"].value = "2, 9, 1"
    assert "readable" in ex.live.value and "<img" not in ex.live.value


def test_every_paths_view_shows_paths_and_both_kinds_of_work():
    ex = paths_explorer()
    assert len(ex.states) == len(P_DEPTHS) * len(P_WIDTHS)
    for width in P_WIDTHS:
        for depth in P_DEPTHS:
            view = ex.state(depth=depth, width=width).value
            paths, work, walked = [int(n.replace(",", "")) for n in
                                   re.findall(r"<b>([0-9,]+)</b>", view)]
            x, out = scalar.layered(depth, width)
            assert paths == width ** depth
            assert work == scalar.count_edges(out)
            if walked <= 100_000:         # walk them for real where that is quick
                assert walked == scalar.naive_backward(out, accumulate=True)
            else:
                assert walked == walk_terms(out)
            if paths <= 5000:
                total, grad = map(float, re.search(
                    r"gives ([-0-9.e]+); the engine's gradient is ([-0-9.e]+?)\.<", view).groups())
                assert math.isclose(total, grad, rel_tol=1e-9, abs_tol=1e-12)
            assert f"Depth {depth} is ringed: {walked:,} terms" in view


def test_walk_terms_counts_what_the_path_walking_pass_does():
    for width in (1, 2, 3):
        for depth in range(1, 7):
            x, out = scalar.layered(depth, width)
            assert walk_terms(out) == scalar.naive_backward(out, accumulate=True)
    rows = growth(5, 3)
    assert [r[1] for r in rows] == [3 ** d for d in range(1, 6)]
    assert len(set(np.diff([r[2] for r in rows]))) == 1   # the same number of terms per layer


def test_paths_live_boxes_go_beyond_the_grid():
    ex = paths_explorer()
    ex.live_inputs["width"].value = 5
    ex.live_inputs["depth"].value = 20
    assert f"<b>{5 ** 20:,}</b> paths" in ex.live.value
    x, out = scalar.layered(20, 5)
    assert f"<b>{scalar.count_edges(out):,}</b> chain-rule terms" in ex.live.value


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
