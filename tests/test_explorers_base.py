"""The explorer convention (bpkit.explorers.base): precomputed views, linked in the browser."""
import re
from pathlib import Path

import ipywidgets as widgets
import pytest

from bpkit.explorers.base import BINDER, MAX_STATES, Control, GridExplorer

ROOT = Path(__file__).resolve().parents[1]


def _explorer(**live):
    controls = [Control("a", "a", [1, 2, 3], kind="slider"),
                Control("b", "b", ["x", "y"], kind="toggle", value="y")]
    return GridExplorer(controls, lambda a, b, c=None: f"<p>{a}{b}{c}</p>",
                        notebook="book/99_x.ipynb", live=live or None)


def test_every_combination_is_stored_under_its_key():
    ex = _explorer()
    assert set(ex.states) == {f"a={a};b={b}" for a in (1, 2, 3) for b in "xy"}
    assert "<p>2xNone</p>" in ex.state(a=2, b="x").value
    assert ex.current() is ex.state(a=1, b="y")


def test_each_control_is_linked_to_every_stack_of_its_level():
    ex = _explorer()
    # one link for the first control's Stack, one per first-control value for the second's
    assert len(ex.links) == 1 + 3
    pairs = {(link.source[0], link.target[0]) for link in ex.links}
    first, second = ex.controls[0].widget, ex.controls[1].widget
    assert (first, ex.view) in pairs
    assert all((second, stack) in pairs for stack in ex.view.children[:3])
    assert all(link.source[1] == "index" and link.target[1] == "selected_index"
               for link in ex.links)


def test_a_live_input_computes_its_view_and_a_control_returns_to_the_grid():
    ex = _explorer(c=widgets.FloatText(value=0.5))
    ex.live_inputs["c"].value = 0.25
    assert ex.view.selected_index == len(ex.view.children) - 1
    assert "<p>1y0.25</p>" in ex.live.value
    ex.controls[1].widget.index = 0
    assert ex.view.selected_index == ex.controls[0].index
    assert "Live kernel" in ex.note.value


def test_the_grid_is_bounded_and_values_must_be_on_it():
    with pytest.raises(ValueError, match="more than an explorer may store"):
        GridExplorer([Control("a", "a", range(MAX_STATES + 1))], lambda a: "", notebook="x")
    with pytest.raises(ValueError, match="not on its grid"):
        Control("a", "a", [1, 2], value=3)


def test_the_launch_link_is_the_repository_of_config_yml():
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    url = re.search(r"^repository:\s*\n\s+url:\s*(\S+)", config, re.M).group(1)
    repo = url.removeprefix("https://github.com/")
    branch = re.search(r"^repository:(?:\n\s+.*)*?\n\s+branch:\s*(\S+)", config, re.M).group(1)
    assert BINDER == f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/"
