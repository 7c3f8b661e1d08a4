"""The book's chapters and the bpkit code behind each one: the one map of the book to the code.

The preface renders this map (:func:`chapter_table`), and ``tests/test_chapters.py`` holds it
against the repository: every module named here exists, every bpkit module is named here,
every explorer module has its ``<topic>_explorer`` function, and every notebook named here is
a file.
"""
from dataclasses import dataclass
from pathlib import Path

from IPython.display import Markdown

#: The repository (the notebooks are files of it, not of the installed package).
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Chapter:
    """One chapter: its notebook, the modules that compute its equations, its explorer and
    its exercise notebook (paths from the repository root; ``None`` where it has none).

    A chapter whose notebook is not written yet is *planned*; the preface says so.
    """

    number: int
    topic: str
    notebook: str
    modules: tuple = ()
    explorer: str = None
    exercises: str = None

    @property
    def written(self):
        return (ROOT / self.notebook).is_file()


CHAPTERS = (
    Chapter(0, "this preface", "book/00_preface.ipynb"),
    Chapter(1, "why it is called *back*-propagation; the cost of a gradient",
            "book/01_why_backprop.ipynb", ("bpkit.opcount",), "bpkit.explorers.cost"),
    Chapter(2, "setup and notation: layers, shapes, losses", "book/02_setup_notation.ipynb",
            ("bpkit.network", "bpkit.activations", "bpkit.losses"), "bpkit.explorers.shapes",
            "exercises/ch02_setup_notation.ipynb"),
    Chapter(3, "the computational graph", "book/03_computational_graph.ipynb",
            ("bpkit.graph",), "bpkit.explorers.graph", "exercises/ch03_computational_graph.ipynb"),
    Chapter(4, "the chain rule on the graph", "book/04_chain_rule.ipynb", ("bpkit.scalar",),
            "bpkit.explorers.paths", "exercises/ch04_chain_rule.ipynb"),
    Chapter(5, "the delta terms", "book/05_delta_terms.ipynb", ("bpkit.network",),
            "bpkit.explorers.delta", "exercises/ch05_delta_terms.ipynb"),
    Chapter(6, "BP1: the error at the output layer", "book/06_bp1_output_error.ipynb",
            ("bpkit.backprop", "bpkit.losses"), None, "exercises/ch06_bp1_output_error.ipynb"),
    Chapter(7, "BP2: propagating the error backward", "book/07_bp2_backward.ipynb",
            ("bpkit.backprop", "bpkit.network"), None, "exercises/ch07_bp2_backward.ipynb"),
    Chapter(8, "BP3 and BP4: the gradients of the parameters",
            "book/08_bp3_bp4_parameters.ipynb", ("bpkit.backprop",), "bpkit.explorers.outer",
            "exercises/ch08_bp3_bp4_parameters.ipynb"),
    Chapter(9, "the complete algorithm, and training", "book/09_complete_algorithm.ipynb",
            ("bpkit.network", "bpkit.data", "bpkit.checkpoint"), "bpkit.explorers.training",
            "exercises/ch09_complete_algorithm.ipynb"),
    Chapter(10, "unrolling the recursion: vanishing and exploding gradients",
            "book/10_vanishing_exploding.ipynb", ("bpkit.network",), None,
            "exercises/ch10_vanishing_exploding.ipynb"),
    Chapter(11, "batching", "book/11_batching.ipynb", ("bpkit.backprop",), None,
            "exercises/ch11_batching.ipynb"),
    Chapter(12, "gradient checking", "book/12_gradient_checking.ipynb", ("bpkit.gradcheck",),
            "bpkit.explorers.eps", "exercises/ch12_gradient_checking.ipynb"),
    Chapter(13, "forward mode, reverse mode and the order of a Jacobian chain",
            "book/13_forward_reverse_modes.ipynb"),
    Chapter(14, "second order: Hessian-vector products", "book/14_hessian_vector_products.ipynb"),
    Chapter(15, "summary and cheat sheet", "book/15_summary.ipynb"),
)

#: Modules that serve every chapter rather than one equation.
SHARED_MODULES = {
    "bpkit.chapters": "this map",
    "bpkit.display": "shows bpkit's real source in a chapter",
    "bpkit.errors": "errors that name the layer and the shapes",
    "bpkit.explorers.base": "how every explorer is built (precomputed views, linked in the browser)",
    "bpkit.exercises": "the exercises' instant checks, one module chNN per chapter",
    "bpkit.grade": "the instructors' grader",
}


def chapter(number):
    """The :class:`Chapter` numbered ``number``."""
    for c in CHAPTERS:
        if c.number == number:
            return c
    raise KeyError(f"no chapter {number}; the book has chapters "
                   f"{CHAPTERS[0].number}..{CHAPTERS[-1].number}")


def modules():
    """Every bpkit module this map names, chapter modules and explorers, in book order."""
    names = []
    for c in CHAPTERS:
        for m in c.modules + ((c.explorer,) if c.explorer else ()):
            if m not in names:
                names.append(m)
    return names


def chapter_table():
    """The map as a Markdown table, one row per chapter (the preface shows it)."""
    rows = ["| chapter | topic | `bpkit` modules | explorer | exercises |",
            "|---|---|---|---|---|"]
    for c in CHAPTERS:
        mods = ", ".join(f"`{m}`" for m in c.modules)
        explorer = f"`{c.explorer}`" if c.explorer else ""
        exercises = f"`{c.exercises.split('/')[-1]}`" if c.exercises else ""
        topic = c.topic if c.written else f"{c.topic} (planned)"
        rows.append(f"| {c.number} | {topic} | {mods} | {explorer} | {exercises} |")
    return Markdown("\n".join(rows))
