"""The computational graphs of chapter 3: structure, dependencies, path counts, drawing."""
import math

import pytest
from hypothesis import given, settings, strategies as st

from bpkit.errors import BpkitError
from bpkit.graph import Graph, draw, draw_paths, layer_graph, layout, scalar_graph

sizes_st = st.lists(st.integers(1, 4), min_size=2, max_size=5)


def test_layer_graph_is_the_chain_of_the_text():
    g = layer_graph([2, 3, 1])
    assert g.nodes == ["x", "W1", "b1", "z1", "a1", "W2", "b2", "z2", "a2", "y", "C"]
    assert g.parents("z2") == ["a1", "W2", "b2"]
    assert g.children("a1") == ["z2"]
    assert g.ancestors("z1") == ["x", "W1", "b1"]
    assert g.descendants("z1") == ["a1", "z2", "a2", "C"]
    assert "(3,2)" in g.label["W1"]


@settings(max_examples=40, deadline=None)
@given(sizes_st)
def test_edges_follow_the_topological_order(sizes):
    for g in (layer_graph(sizes), scalar_graph(sizes), scalar_graph(sizes, params=False)):
        place = {n: i for i, n in enumerate(g.topological_order())}
        assert all(place[u] < place[v] for u, v in g.edges)
        assert set(g.nodes) == set(place)


@settings(max_examples=40, deadline=None)
@given(sizes_st, st.data())
def test_path_counts_are_products_of_the_widths_above(sizes, data):
    g = scalar_graph(sizes)
    L = len(sizes) - 1
    l = data.draw(st.integers(1, L))
    j = data.draw(st.integers(1, sizes[l]))
    k = data.draw(st.integers(1, sizes[l - 1]))
    expected = math.prod(sizes[l + 1:])
    assert g.count_paths(f"W{l}_{j}_{k}", "C") == expected, (
        f"W^{l}_{j}{k} reaches C through z^{l}_{j} and then any unit of each later layer: "
        f"n_(l+1) x ... x n_L = {expected} paths")
    assert g.count_paths(f"b{l}_{j}", "C") == expected
    assert g.count_paths("x1", "C") == math.prod(sizes[1:])
    listed = g.paths(f"W{l}_{j}_{k}", "C")
    assert len(listed) == expected and len({tuple(p) for p in listed}) == expected
    assert all(p[0] == f"W{l}_{j}_{k}" and p[-1] == "C" for p in listed)
    assert all((u, v) in g.edges for p in listed for u, v in zip(p, p[1:]))


@settings(max_examples=30, deadline=None)
@given(sizes_st)
def test_z_depends_on_the_parameters_of_its_own_and_earlier_layers(sizes):
    g = layer_graph(sizes)
    L = len(sizes) - 1
    for l in range(1, L + 1):
        params = [n for n in g.ancestors(f"z{l}") if g.kind[n] == "param"]
        assert sorted(params) == sorted(f"{p}{k}" for k in range(1, l + 1) for p in "Wb")
        assert f"W{l + 1}" not in g.ancestors(f"z{l}")


def test_path_edges_are_exactly_the_edges_of_the_listed_paths():
    g = scalar_graph([2, 3, 3, 2])
    for source in ("W1_2_1", "x2", "a2_3", "b3_1"):
        on_paths = {(u, v) for p in g.paths(source, "C") for u, v in zip(p, p[1:])}
        assert set(g.path_edges(source, "C")) == on_paths


def test_bad_input_is_explained():
    g = layer_graph([2, 2])
    with pytest.raises(BpkitError, match="no node 'z3'"):
        g.ancestors("z3")
    with pytest.raises(BpkitError, match="at least two"):
        layer_graph([3])
    with pytest.raises(BpkitError, match="topological"):
        Graph(["b", "a"], [("a", "b")])
    with pytest.raises(BpkitError, match="count_paths"):
        scalar_graph([1, 4, 4, 4, 4, 4, 4, 4]).paths("x1", "C", limit=100)


def test_layout_and_drawing():
    g = scalar_graph([2, 3, 1], params=False)
    pos = layout(g)
    assert pos["x1"][0] == 0 and pos["C"][0] == max(x for x, _ in pos.values())
    assert pos["z1_1"][0] < pos["a1_1"][0] < pos["z2_1"][0]
    fig = draw(g, title="t")
    assert fig.axes[0].get_title() == "t"
    fig = draw_paths(layer_graph([2, 3, 1]), "W1")
    assert fig.axes[0].get_title().startswith("1 path from")
    from matplotlib.patches import FancyArrowPatch
    red = [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch) and p.get_linewidth() > 2]
    assert len(red) == len(layer_graph([2, 3, 1]).path_edges("W1", "C")) == 5
