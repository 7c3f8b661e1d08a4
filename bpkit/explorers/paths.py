"""Chapter 4's explorer: the number of paths explodes with depth, backprop's work does not.

For each depth up to the chosen one it builds the layered scalar graph of
:func:`bpkit.scalar.layered` with the chosen width and counts three things: the paths from
the input to the output (:func:`bpkit.scalar.count_paths`), the chain-rule terms one
backward pass of the engine adds (the number returned by
:meth:`bpkit.scalar.Value.backward`), and the terms a backward pass that walks every path
separately would add (:func:`walk_terms`, the count of
:func:`bpkit.scalar.naive_backward`, found without walking). It plots the two kinds of work
on a log scale with chapter 4's own figure, :func:`bpkit.scalar.plot_work`. While the paths
are few enough to list, it also adds up the path products and shows that the sum equals the
engine's gradient.
"""
import functools

from .. import scalar
from .base import Control, GridExplorer, any_integer, figure_png, line_points, ringed_html

MAX_LISTED_PATHS = 5_000
DEPTHS = tuple(range(1, 11)) + (12, 14, 16)
WIDTHS = (1, 2, 3, 6)
#: The live boxes' bounds; the counts need no path walking, so any of these is quick.
MAX_DEPTH, MAX_WIDTH = 30, 8


def walk_terms(output):
    """The chain-rule terms of :func:`bpkit.scalar.naive_backward` on ``output``'s graph.

    That pass visits a node once per path from it up to the output, and each visit computes
    one term per parent, so the count is the sum over the graph's edges ``u -> v`` of the
    number of paths from ``v`` to the output. Counted with one sweep, without walking.
    """
    order = output.topological_order()
    up = {id(node): 0 for node in order}          # paths from the node up to the output
    up[id(output)] = 1
    terms = 0
    for node in reversed(order):
        terms += up[id(node)] * len(node.parents)
        for parent in node.parents:
            up[id(parent)] += up[id(node)]
    return terms


def growth(depth, width, seed=0):
    """Rows ``(d, paths, work, walked)`` for ``d = 1..depth``: paths from x to the output,
    the chain-rule terms one backward pass of the engine adds, and the terms the
    path-walking pass adds, on the layered graph of that depth."""
    rows = []
    for d in range(1, depth + 1):
        x, out = scalar.layered(d, width, seed=seed)
        rows.append((d, scalar.count_paths(x, out), out.backward(), walk_terms(out)))
    return rows


@functools.lru_cache(maxsize=None)
def width_figure(depth, width):
    """The counts and the plot for depths 1..``depth`` at ``width``, drawn once.

    Returns ``(rows, png, rings)``; ``rings[d - 1]`` lists where the two points of depth
    ``d`` lie in the image, so that every depth's view shares the drawing and rings its own
    points (:func:`~bpkit.explorers.base.ringed_html`).
    """
    rows = growth(depth, width)
    fig = scalar.plot_work([(d, work, walked) for d, _, work, walked in rows], figsize=(6.4, 3.4),
                           title=f"Backward work on layered graphs of width {width}")
    png = figure_png(fig, dpi=70)
    lines = line_points(fig)[0]
    return rows, png, [[line[i] for line in lines] for i in range(depth)]


def paths_view(depth, width):
    """One view: the counts at ``depth`` and ``width``, the path-sum check, and the plot."""
    rows, png, rings = width_figure(max(depth, DEPTHS[-1]), width)
    _, n_paths, work, walked = rows[depth - 1]
    x, out = scalar.layered(depth, width)
    out.backward()
    check = ""
    if n_paths <= MAX_LISTED_PATHS:
        total = scalar.path_sum(x, out)
        over = "the single path" if n_paths == 1 else f"all {n_paths:,} paths"
        check = (f" Adding up the product of local derivatives over {over} "
                 f"gives {total:.10g}; the engine's gradient is {x.grad:.10g}.")
    summary = (
        f"<p>Depth {depth}, width {width}: <b>{n_paths:,}</b> "
        f"path{'' if n_paths == 1 else 's'} from x to the output "
        f"(width<sup>depth</sup> = {width}<sup>{depth}</sup>). One backward pass of the engine "
        f"adds <b>{work:,}</b> chain-rule terms, one per edge; walking every path separately "
        f"would add <b>{walked:,}</b>.{check}</p>")
    step = rows[1][2] - rows[0][2]
    shape = ("the two counts coincide, since one node per layer leaves a single path"
             if width == 1 else "the red count of the path-walking pass rises steeply, the "
             f"blue count of the engine grows by {step:,} terms per layer")
    alt = (f"Log-scale plot of chain-rule terms against depth 1 to {len(rows)} for width "
           f"{width}: {shape}. Depth {depth} is ringed: {walked:,} terms walking every path, "
           f"{work:,} for the engine.")
    return summary + ringed_html(png, alt, rings[depth - 1])


def paths_explorer(depth=7, width=3):
    """Return the chapter-4 explorer: paths versus backprop's work on a layered graph."""
    controls = [Control("depth", "depth", DEPTHS, value=depth),
                Control("width", "width", WIDTHS, value=width)]
    live = {"depth": any_integer("depth", depth, 1, MAX_DEPTH),
            "width": any_integer("width", width, 1, MAX_WIDTH)}
    return GridExplorer(controls, paths_view, notebook="book/04_chain_rule.ipynb", live=live)
