"""Realistic wrong answers to the function exercises, one module per chapter.

Each module holds ``CATALOGUE = {exercise name: [(label, source), ...]}``: the source of the
answer cell as a learner might write it, wrong in the way the label says. They were written
from the notebooks' statements, not from the chapters' known mistakes, so that they measure
how often the feedback names a mistake it was not built around. ``tests/test_feedback_coverage.py``
runs them; ``split`` gives its two halves.

A label that starts with one of the generic kinds of ``KINDS`` promises that kind of mistake
(the test checks that the feedback agrees); other labels only describe the slip.
"""
import importlib

CHAPTERS = tuple(f"ch{n:02d}" for n in range(2, 15))


def catalogue(chapter):
    return importlib.import_module(f"{__name__}.{chapter}").CATALOGUE


def split(entries):
    """The DEV half (entries 0, 2, 4, ...) and the HELD-OUT half (1, 3, 5, ...)."""
    return entries[0::2], entries[1::2]
