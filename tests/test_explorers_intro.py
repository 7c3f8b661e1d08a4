"""The explorers of chapters 1 and 2: every stored view shows true values.

Each explorer stores one view per combination of its controls (``bpkit.explorers.base``).
The tests read the numbers and shapes back out of the stored HTML and compare them with an
independent computation: the parameter count of a network from its sizes, the shapes from
the destination-first convention, the operation counts from a fresh measurement.
"""
import re

import pytest

from bpkit import opcount
from bpkit.errors import BpkitError
from bpkit.explorers import cost, shapes
from bpkit.explorers.cost import cost_explorer
from bpkit.explorers.shapes import parse_sizes, plot_layer_products, shapes_explorer


def parameters(sizes):
    """n_l n_(l-1) weights and n_l biases per layer, counted by hand."""
    total = 0
    for l in range(1, len(sizes)):
        total += sizes[l] * sizes[l - 1] + sizes[l]
    return total


def numbers(text):
    return [float(n.replace(",", "")) for n in re.findall(r"[0-9][0-9,]*\.?[0-9]*", text)]


def cost_rows(view):
    """{method: (operations, in forward passes)} and the parameter count of one cost view."""
    P = int(re.search(r"<b>([0-9,]+)</b> parameters", view).group(1).replace(",", ""))
    rows = re.findall(r"<tr><td>([a-z -]+)</td><td[^>]*>([0-9,]+)</td><td[^>]*>([0-9,.]+)</td>",
                      view)
    return P, {name: (int(ops.replace(",", "")), float(ratio.replace(",", "")))
               for name, ops, ratio in rows}


def rings(view):
    return [(float(x), float(y)) for x, y in
            re.findall(r"left:calc\(([0-9.]+)% - 9px\);top:calc\(([0-9.]+)% - 9px\)", view)]


@pytest.fixture(scope="module")
def cost_ex():
    return cost_explorer(depth=2, width=10)


def test_every_cost_view_shows_the_measured_counts_of_its_network(cost_ex):
    assert len(cost_ex.states) == len(cost.DEPTHS) * len(cost.WIDTHS)
    for depth in cost.DEPTHS:
        for width in cost.WIDTHS:
            view = cost_ex.state(depth=depth, width=width).value
            sizes = [width] * (depth + 1) + [1]
            assert f"Network sizes {sizes}" in view
            P, rows = cost_rows(view)
            assert P == parameters(sizes)
            fresh = opcount.compare(sizes)
            fwd = fresh["forward"].total
            for name, key in (("one forward pass", "forward"), ("backprop", "backprop"),
                              ("per-parameter", "per_parameter")):
                ops, ratio = rows[name]
                assert ops == fresh[key].total, (sizes, name)
                assert ratio == pytest.approx(fresh[key].total / fwd, abs=0.05)
            # chapter 1's claim, in every view: backprop costs less than three forward passes
            assert rows["backprop"][1] < 3
            assert 'alt="Two log-scale plots' in view and f"{sizes} is ringed" in view


def test_cost_rings_follow_the_width(cost_ex):
    """Five rings (three counts left, two ratios right), further right for wider networks."""
    for depth in cost.DEPTHS:
        marks = [rings(cost_ex.state(depth=depth, width=w).value) for w in cost.WIDTHS]
        assert all(len(m) == 5 for m in marks)
        left = [m[0][0] for m in marks]
        assert left == sorted(left) and len(set(left)) == len(left)
        assert all(0 < x < 100 and 0 < y < 100 for m in marks for x, y in m)
        # one drawing per depth, shared by the widths' views
        images = {re.search(r'src="([^"]+)"', cost_ex.state(depth=depth, width=w).value)[1]
                  for w in cost.WIDTHS}
        assert len(images) == 1


def test_cost_live_boxes_measure_any_network(cost_ex):
    ex = cost_explorer()
    ex.live_inputs["width"].value = 7
    ex.live_inputs["depth"].value = 5
    assert ex.view.selected_index == len(ex.view.children) - 1
    P, rows = cost_rows(ex.live.value)
    sizes = [7] * 6 + [1]
    assert P == parameters(sizes)
    assert rows["backprop"][0] == opcount.compare(sizes)["backprop"].total
    assert ex.live_inputs["depth"].max == cost.MAX_DEPTH


def shape_table(view):
    """The table's rows as lists of cell texts (shapes as tuples, "–" as None)."""
    out = []
    for row in re.findall(r"<tr><td>(\d+)</td>(.*?)</tr>", view):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row[1])
        shapes_ = [None if "&ndash;" in c else tuple(map(int, re.findall(r"\d+", c)))
                   for c in cells[:-1]]
        out.append([int(row[0])] + shapes_ + [int(cells[-1].replace(",", ""))])
    return out


def test_every_shapes_view_shows_the_destination_first_shapes():
    ex = shapes_explorer("784, 30, 10", m=32)
    assert len(ex.states) == len(shapes.NETWORKS) * len(shapes.BATCHES)
    for text in shapes.NETWORKS:
        n = [int(v) for v in text.split(",")]
        for m in shapes.BATCHES:
            view = ex.state(sizes=text, m=m).value
            rows = shape_table(view)
            assert rows[0] == [0, None, None, None, (n[0], 1), None, (n[0], m), 0]
            for l in range(1, len(n)):
                assert rows[l] == [l, (n[l], n[l - 1]), (n[l], 1), (n[l], 1), (n[l], 1),
                                   (n[l], m), (n[l], m), n[l] * n[l - 1] + n[l]]
            assert len(rows) == len(n)
            assert f"Total: <b>{parameters(n):,}</b> parameters" in view
            assert f"network {n} with a batch of {m}" in view


def test_shapes_live_box_takes_any_sizes_and_explains_its_limits():
    ex = shapes_explorer()
    ex.live_inputs["m"].value = 9
    ex.live_inputs["sizes"].value = "5, 7, 3"
    rows = shape_table(ex.live.value)
    assert [r[1] for r in rows[1:]] == [(7, 5), (3, 7)] and rows[2][5] == (3, 9)
    # the size that killed a Binder kernel: refused, saying why
    ex.live_inputs["sizes"].value = ", ".join(["4096"] * 13)
    text = ex.live.value
    assert "<table>" not in text and "201,375,744 parameters" in text
    assert "2 GB" in text and "Binder" in text
    ex.live_inputs["sizes"].value = "784, thirty"
    assert "whole numbers" in ex.live.value


def test_parse_sizes_refuses_what_a_kernel_cannot_hold():
    assert parse_sizes("784, 30, 10") == [784, 30, 10]
    with pytest.raises(BpkitError, match="at least two"):
        parse_sizes("5")
    with pytest.raises(BpkitError, match="between 1 and"):
        parse_sizes("3, 0, 2")
    with pytest.raises(BpkitError, match="2 GB"):
        parse_sizes("1000, 1000, 1000, 10")        # 2,012,010 parameters
    assert parse_sizes("1000, 1000, 900, 10")        # 1,910,910: under the cap
    with pytest.raises(BpkitError, match="smaller m"):
        shapes.check_batch([4096, 1] * 6 + [4096], 1024)


def test_layer_products_figure_labels_every_array_with_its_shape():
    fig = plot_layer_products([3, 4, 2], m=5)
    texts = [t.get_text() for t in fig.axes[0].texts]
    for shape in ["(4, 3)", "(3, 5)", "(4, 1)", "(4, 5)", "(2, 4)", "(2, 1)", "(2, 5)"]:
        assert shape in texts, shape
    assert "[3, 4, 2]" in fig.axes[0].get_title() and "m = 5" in fig.axes[0].get_title()
