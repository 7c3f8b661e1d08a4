"""What the notebook calls: ``check(name, answer)`` and the record of a value answer.

The instant check runs the student's function on the inputs of seed 0 in the student's own
kernel and prints the feedback; the instructors' grader uses other seeds and never runs this
module's checks.
"""
import json
import math

import numpy as np

from .feedback import _plain
from .guard import run_calls
from .model import apply_requirements, get
from .payload import from_payload, to_payload
from .protocol import ANSWER_MIME, PACKAGE


def _json_value(value):
    value = _plain(value)
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    json.dumps(value, allow_nan=False)  # only JSON values are recorded
    return value


def record_value(chapter, name, value):
    """Store a value exercise's answer in the notebook's outputs (the grader reads it there)."""
    value = _json_value(value)
    record = {"chapter": chapter, "exercise": name, "value": value}
    line = f"Recorded your answer for {name}: {value}"
    try:
        from IPython.display import display
        display({ANSWER_MIME: record, "text/plain": line}, raw=True)
    except ImportError:
        print(line)
    return record


def check_answer(chapter, name, answer):
    """Check one answer right now (what each chapter's ``check`` does): print the feedback."""
    exercise = get(chapter, name)
    if exercise.kind == "value":
        value = answer.value if hasattr(answer, "value") else answer
        if value is not None:
            record_value(chapter, name, value)
            value = _json_value(value)
        result = exercise.evaluate(value, 0)
    else:
        outcomes, changed = run_calls(exercise, answer, exercise.inputs(0))
        received = from_payload(to_payload(outcomes))
        result = apply_requirements(exercise, exercise.evaluate(received, 0), received, changed)
    print(result)
    return None


def make_check(chapter):
    """The ``check(name, answer)`` function of a chapter's notebook."""
    def check(name, answer):
        """Check your answer to exercise ``name`` and print the feedback and the score."""
        return check_answer(chapter, name, answer)
    check.__module__ = f"{PACKAGE}.{chapter}"
    return check
