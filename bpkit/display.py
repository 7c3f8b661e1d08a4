"""Showing bpkit's own code in the book, so the text and the code cannot drift apart."""
import inspect


def show_source(obj):
    """Display the real source of a bpkit function or class, syntax-highlighted.

    Returns an ``IPython.display.Code`` object: in a notebook it renders as highlighted
    Python, and its plain-text form is the source itself.
    """
    from IPython.display import Code

    return Code(inspect.getsource(obj), language="python")
