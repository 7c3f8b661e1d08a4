"""The explorers of chapters 1 and 2 build, follow their controls, and show true values."""
import ipywidgets as widgets
import pytest

from bpkit import opcount
from bpkit.errors import BpkitError
from bpkit.explorers.cost import cost_explorer
from bpkit.explorers.shapes import parse_sizes, plot_layer_products, shapes_explorer


def test_cost_explorer_builds_with_an_image_and_the_counts():
    ex = cost_explorer(depth=2, width=10)
    assert isinstance(ex, widgets.VBox)
    assert ex.png[:8] == b"\x89PNG\r\n\x1a\n"
    assert ex.figure.value.startswith('<img src="data:image/png;base64,')
    assert 'alt="Two log-scale plots' in ex.figure.value
    assert ex.sizes == [10, 10, 10, 1]
    assert "231" in ex.summary.value  # 10*10+10 + 10*10+10 + 10+1 parameters


def test_cost_explorer_shows_the_measured_counts():
    ex = cost_explorer(depth=3, width=7)
    c = opcount.compare([7, 7, 7, 7, 1])
    for key in ("forward", "backprop", "per_parameter"):
        assert f"{c[key].total:,}" in ex.summary.value, key


def test_cost_explorer_follows_its_sliders():
    ex = cost_explorer(depth=2, width=10)
    png, html = ex.png, ex.summary.value
    ex.width.value = 23
    assert ex.sizes == [23, 23, 23, 1]
    assert ex.png != png and ex.summary.value != html
    assert "[23, 23, 23, 1] is ringed" in ex.figure.value
    assert "[23, 23, 23, 1]" in ex.caption.value
    ex.depth.value = 5
    assert ex.sizes == [23] * 6 + [1]
    assert ex.counts == opcount.compare(ex.sizes)


def test_shapes_explorer_reads_shapes_off_a_real_forward_pass():
    ex = shapes_explorer("784, 30, 10", m=32)
    assert [r["W"] for r in ex.rows] == [None, (30, 784), (10, 30)]
    assert [r["b"] for r in ex.rows] == [None, (30, 1), (10, 1)]
    assert [r["a"] for r in ex.rows] == [(784, 1), (30, 1), (10, 1)]
    assert [r["A"] for r in ex.rows] == [(784, 32), (30, 32), (10, 32)]
    assert "23,860" in ex.table.value  # 784*30 + 30 + 30*10 + 10
    assert ex.png[:8] == b"\x89PNG\r\n\x1a\n" and 'alt="Rectangles' in ex.figure.value


def test_shapes_explorer_follows_its_controls():
    ex = shapes_explorer("784, 30, 10", m=32)
    png = ex.png
    ex.sizes_box.value = "2, 3, 3, 1"
    assert [r["W"] for r in ex.rows][1:] == [(3, 2), (3, 3), (1, 3)]
    assert ex.png != png and "[2, 3, 3, 1]" in ex.figure.value
    ex.m.value = 5
    assert [r["Z"] for r in ex.rows][1:] == [(3, 5), (3, 5), (1, 5)]
    assert "(1, 5)" in ex.table.value


def test_shapes_explorer_explains_bad_input():
    ex = shapes_explorer()
    ex.sizes_box.value = "784, thirty"
    assert ex.rows is None and "whole numbers" in ex.table.value and ex.figure.value == ""
    with pytest.raises(BpkitError, match="at least two"):
        parse_sizes("5")
    with pytest.raises(BpkitError, match="between 1 and"):
        parse_sizes("3, 0, 2")


def test_layer_products_figure_labels_every_array_with_its_shape():
    fig = plot_layer_products([3, 4, 2], m=5)
    texts = [t.get_text() for t in fig.axes[0].texts]
    for shape in ["(4, 3)", "(3, 5)", "(4, 1)", "(4, 5)", "(2, 4)", "(2, 1)", "(2, 5)"]:
        assert shape in texts, shape
    assert "[3, 4, 2]" in fig.axes[0].get_title() and "m = 5" in fig.axes[0].get_title()
