"""Showing bpkit's own code in the book, so the text and the code cannot drift apart."""
import inspect


class SourceCode:
    """The source of a bpkit object, rendered as a highlighted Python block."""

    def __init__(self, obj):
        self.source = inspect.getsource(obj)

    def _repr_markdown_(self):
        # The notebook and the site both highlight a fenced block with their own theme.
        return f"```python\n{self.source.rstrip()}\n```"

    def __repr__(self):
        return self.source


def show_source(obj):
    """Return the real source of a bpkit function or class, for display in a notebook."""
    return SourceCode(obj)
