"""The drawing helpers behind figures 3.2 and 4.2: what the figure must show, checked on the
positions and lines they draw."""
from hypothesis import given, strategies as st

from bpkit import graph, scalar


@given(st.lists(st.integers(1, 4), min_size=2, max_size=4))
def test_no_parameter_sits_on_an_arrow_from_the_layer_before(sizes):
    """Figure 3.2: the arrows a^{l-1}_k -> z^l_j cross the column of layer l's weights and
    biases; every parameter is drawn above or below the band of those arrows."""
    g = graph.scalar_graph(sizes)
    pos = graph.layout(g)
    for u, v in g.edges:
        if g.kind[u] == "param":
            continue
        (x0, y0), (x1, y1) = pos[u], pos[v]
        for p in g.nodes:
            if g.kind[p] == "param" and x0 < pos[p][0] < x1:
                low, high = sorted((y0, y1))
                assert not low - 0.5 < pos[p][1] < high + 0.5, (
                    f"{sizes}: parameter {p} at {pos[p]} lies on the arrow {u} -> {v}")


def test_plot_work_draws_both_passes_against_depth():
    rows = [(1, 19, 19), (2, 52, 70), (3, 85, 223)]
    fig = scalar.plot_work(rows, title="work")
    ax = fig.axes[0]
    assert ax.get_title() == "work" and ax.get_yscale() == "log"
    drawn = sorted(tuple(line.get_ydata()) for line in ax.get_lines())
    assert drawn == [(19, 52, 85), (19, 70, 223)]
