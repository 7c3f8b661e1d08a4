r"""How every explorer is built: states computed in advance, switched in the browser.

An explorer is a few controls and a view: a figure and some numbers. On the static website
there is no Python kernel to recompute the view when a control moves, so
:class:`GridExplorer` computes the view for every combination of the controls' values when
the chapter's notebook is executed, and stores each one as a widget in a
:class:`ipywidgets.Stack` (one level of nested Stacks per control). Each control's ``index``
is tied to its Stacks' ``selected_index`` by :func:`ipywidgets.jslink`, a link that the
widget library itself runs in the browser. The site's widget manager loads those links with
the stored state, so the page responds with no kernel and no JavaScript of ours.

In a live kernel (Binder, or locally) the same widget responds the same way, and the
explorer may also offer ``live`` widgets (a box for any nudge, any learning rate): when one
of them changes, the explorer computes that view in Python and shows it in the place of the
precomputed ones. On the website those boxes are hidden (the class ``bpkit-live-only``,
styled by the site's own stylesheet), and a one-line note offers the launch link instead.

An explorer module builds its controls, writes ``render(**values) -> html`` and returns a
:class:`GridExplorer` from its ``<topic>_explorer()`` function. The grid is kept small: all
states of a page, images included, must weigh at most 2.5 MB. The browser test of the site
(``tests/test_site.py``) moves every control and checks that the state shown is the one the
notebook stored for the controls' values.
"""
import base64
import html
import io
import itertools
import urllib.parse

import ipywidgets as widgets
from PIL import Image  # a dependency of matplotlib

#: Where the launch button sends a reader: Binder, opening the chapter in JupyterLab.
BINDER = "https://mybinder.org/v2/gh/bpkit-book/backprop-book/main?urlpath=lab/tree/"
#: The most states one explorer may store (a page must stay within 2.5 MB).
MAX_STATES = 64


# -- figures ----------------------------------------------------------------------------------

def figure_png(fig, dpi=None):
    """A matplotlib Figure as PNG bytes, with a 256-colour palette where that loses nothing.

    Line plots use a few colours, so a palette PNG is several times smaller than full
    colour; the precomputed states of an explorer are many figures, and the page carries
    them all.
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    buf.seek(0)
    image = Image.open(buf).convert("RGB")
    small = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
        small, format="PNG", optimize=True)
    return small.getvalue()


def img_html(png, alt):
    """An ``<img>`` with alt text; ``ipywidgets.Image`` has no alt, so a figure is HTML."""
    data = base64.b64encode(png).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}" '
            'style="max-width:100%;height:auto">')


def figure_html(fig, alt, dpi=None):
    """A matplotlib Figure as an ``<img>`` with alt text (a sentence saying what it shows)."""
    return img_html(figure_png(fig, dpi=dpi), alt)


# -- controls -----------------------------------------------------------------------------------

class Control:
    """One control of an explorer: a name, a label, and the grid of values it can take.

    Parameters
    ----------
    name : the keyword under which ``render`` receives the value.
    label : what the reader sees beside the control (plain text or ``$...$`` math).
    values : the grid; every value is computed in advance.
    labels : how each value is shown (default ``str(value)``).
    value : the starting value (default the first).
    kind : ``"slider"`` (ordered values), ``"toggle"`` (a few named choices) or
        ``"dropdown"``.
    """

    def __init__(self, name, label, values, labels=None, value=None, kind="slider"):
        self.name, self.label, self.kind = name, label, kind
        self.values = list(values)
        if not self.values:
            raise ValueError(f"control {name!r} has no values")
        self.labels = [str(v) for v in self.values] if labels is None else list(labels)
        if len(self.labels) != len(self.values):
            raise ValueError(f"control {name!r}: {len(self.values)} values but "
                             f"{len(self.labels)} labels")
        start = self.values[0] if value is None else value
        if start not in self.values:
            raise ValueError(f"control {name!r}: the starting value {start!r} is not on its "
                             f"grid {self.values}")
        self.widget = self._make(self.values.index(start))

    def _make(self, index):
        options = list(zip(self.labels, range(len(self.values))))
        common = dict(options=options, index=index, description=self.label,
                      style={"description_width": "initial"})
        if self.kind == "slider":
            w = widgets.SelectionSlider(continuous_update=True, **common)
        elif self.kind == "toggle":
            w = widgets.ToggleButtons(**common)
        elif self.kind == "dropdown":
            w = widgets.Dropdown(**common)
        else:
            raise ValueError(f"control {self.name!r}: unknown kind {self.kind!r}")
        w.add_class("bpkit-control")
        return w

    @property
    def index(self):
        return self.widget.index

    @property
    def value(self):
        return self.values[self.widget.index]


def state_key(controls, indices):
    """The name of one state, ``"name=label;..."``, as the browser test reads it."""
    return ";".join(f"{c.name}={c.labels[i]}" for c, i in zip(controls, indices))


# -- the explorer ----------------------------------------------------------------------------

class GridExplorer(widgets.VBox):
    """Controls, and one view per combination of their values, switched in the browser.

    ``render(**values)`` returns the HTML of one view (figures through
    :func:`figure_html`, numbers as HTML). ``notebook`` is the chapter's path in the
    repository (``"book/06_bp1_output_error.ipynb"``), for the launch link. ``live`` is an
    optional ``{name: widget}`` of inputs that only a kernel can serve (``FloatText``,
    ``FloatLogSlider``, ...): when one changes, ``render`` is called with the grid values
    and every live value, and its view is shown.
    """

    def __init__(self, controls, render, notebook, live=None, note=None):
        self.controls = list(controls)
        self.render = render
        sizes = [len(c.values) for c in self.controls]
        n = 1
        for s in sizes:
            n *= s
        if n > MAX_STATES:
            raise ValueError(f"{n} states is more than an explorer may store ({MAX_STATES}): "
                             "use fewer grid values")
        self.notebook = notebook
        self.states = {}        # key -> the HTML widget of that state
        self.links = []
        root = self._stack(0, ())
        self.live = widgets.HTML()
        self.live.add_class("bpkit-state")
        self.live.add_class("bpkit-live-state")
        root.children = list(root.children) + [self.live]
        self.view = root
        launch = BINDER + urllib.parse.quote(notebook)
        self.note = widgets.HTML(
            "<p class='bpkit-note'><small>On the website these views were computed in advance "
            "for the values on the controls. To compute any other value, "
            f"<a href='{launch}' target='_blank' rel='noopener'>run this chapter live</a>."
            + (f" {note}" if note else "") + "</small></p>")
        rows = [c.widget for c in self.controls]
        self.live_inputs = dict(live or {})
        if self.live_inputs:
            box = widgets.HBox(list(self.live_inputs.values()))
            box.add_class("bpkit-live-only")
            rows.append(box)
            for w in self.live_inputs.values():
                w.observe(self._live_changed, names="value")
        for c in self.controls:
            c.widget.observe(self._control_moved, names="index")
        super().__init__(rows + [self.view, self.note])
        self.add_class("bpkit-explorer")

    def _stack(self, level, indices):
        """The Stack for the controls from ``level`` on, with earlier ones fixed at ``indices``."""
        if level == len(self.controls):
            key = state_key(self.controls, indices)
            values = {c.name: c.values[i] for c, i in zip(self.controls, indices)}
            leaf = widgets.HTML(f"<div data-bpkit-state='{html.escape(key)}'>"
                                f"{self.render(**values)}</div>")
            leaf.add_class("bpkit-state")
            self.states[key] = leaf
            return leaf
        control = self.controls[level]
        children = [self._stack(level + 1, indices + (i,)) for i in range(len(control.values))]
        stack = widgets.Stack(children, selected_index=control.index)
        self.links.append(widgets.jslink((control.widget, "index"), (stack, "selected_index")))
        return stack

    def __repr__(self):
        # What a notebook shows in place of the widget where no widget manager can draw it.
        names = ", ".join(c.name for c in self.controls)
        return (f"<explorer: {len(self.states)} precomputed views over {names}; run the cell "
                "(or open the chapter on the website) to see it>")

    def state(self, **values):
        """The stored view for one combination of grid values (for tests and the text)."""
        indices = tuple(c.values.index(values.get(c.name, c.value)) for c in self.controls)
        return self.states[state_key(self.controls, indices)]

    def current(self):
        """The stored view that the controls select now."""
        return self.state()

    # -- a live kernel --------------------------------------------------------------------
    # Only a kernel runs what follows: the browser alone never calls Python.
    def _say_live(self):
        self.note.value = ("<p class='bpkit-note'><small>Live kernel: the controls switch "
                           "between the precomputed views"
                           + ("; the boxes beside them compute any value" if self.live_inputs
                              else "") + ".</small></p>")

    def _control_moved(self, change):
        # Back from a live view to the grid: the first control's link alone sets the root.
        self.view.selected_index = self.controls[0].index
        self._say_live()

    def _live_changed(self, change):
        values = {c.name: c.value for c in self.controls}
        values.update({name: w.value for name, w in self.live_inputs.items()})
        self.live.value = f"<div data-bpkit-state='live'>{self.render(**values)}</div>"
        self.view.selected_index = len(self.view.children) - 1
        self._say_live()
