"""The wording of feedback: comparing values and describing what differs, in the book's terms.

``same`` decides equality up to rounding; ``shape_mismatch``, ``format_value``,
``describe_arg`` and ``explain_error`` turn a failing case into a sentence a learner can act
on. Nothing here runs a student's code.
"""
import math
import re

import numpy as np


def _plain(x):
    """numpy scalars as Python numbers, tuples as lists: what survives a payload."""
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, tuple):
        return [_plain(v) for v in x]
    return x


def same(expected, received, rtol=1e-6, atol=1e-9):
    """Are two values equal up to rounding? Arrays must match in shape too."""
    expected, received = _plain(expected), _plain(received)
    if isinstance(expected, np.ndarray) or isinstance(received, np.ndarray):
        try:
            e = np.asarray(expected, dtype=float)
            r = np.asarray(received, dtype=float)
        except (TypeError, ValueError):
            return False
        return e.shape == r.shape and bool(np.allclose(r, e, rtol=rtol, atol=atol,
                                                       equal_nan=True))
    if isinstance(expected, bool) or isinstance(received, bool):
        return type(expected) is type(received) and expected == received
    if isinstance(expected, (int, float)) and isinstance(received, (int, float)):
        if math.isnan(expected) or math.isnan(received):
            return math.isnan(expected) and math.isnan(received)
        return math.isclose(received, expected, rel_tol=rtol, abs_tol=atol)
    if isinstance(expected, list) and isinstance(received, list):
        return len(expected) == len(received) and all(
            same(e, r, rtol, atol) for e, r in zip(expected, received))
    if isinstance(expected, dict) and isinstance(received, dict):
        if set(map(str, expected)) != set(map(str, received)):
            return False
        rec = {str(k): v for k, v in received.items()}
        return all(same(v, rec[str(k)], rtol, atol) for k, v in expected.items())
    return type(expected) is type(received) and expected == received


def _safe_compare(compare, expected, received):
    try:
        return bool(compare(expected, received))
    except Exception:  # noqa: BLE001 - a malformed answer is simply not equal
        return False


def shape_mismatch(expected, received):
    """A sentence about the first array whose shape differs, or '' if the shapes agree."""
    expected, received = _plain(expected), _plain(received)
    if isinstance(expected, np.ndarray):
        if not isinstance(received, np.ndarray):
            if isinstance(received, (int, float)) and expected.size == 1:
                return ""
            return (f"expected an array of shape {expected.shape}, received "
                    f"{_kind(received)}.")
        if expected.shape != received.shape:
            hint = ""
            if expected.ndim == 2 and received.shape == expected.shape[::-1]:
                hint = " (the transpose of what was expected: rows and columns are swapped)"
            elif expected.ndim == 2 and received.ndim == 1:
                hint = (" (a flat vector: keep the column shape, e.g. with keepdims=True or "
                        ".reshape(-1, 1))")
            return (f"expected an array of shape {expected.shape}, received shape "
                    f"{received.shape}{hint}.")
        return ""
    if isinstance(expected, list):
        if not isinstance(received, list):
            return f"expected a sequence of {len(expected)} items, received {_kind(received)}."
        if len(expected) != len(received):
            return f"expected {len(expected)} items, received {len(received)}."
        for k, (e, r) in enumerate(zip(expected, received)):
            note = shape_mismatch(e, r)
            if note:
                return f"item {k}: {note}"
    if isinstance(expected, dict):
        if not isinstance(received, dict):
            return f"expected a dict, received {_kind(received)}."
        keys_e, keys_r = set(map(str, expected)), set(map(str, received))
        if keys_e != keys_r:
            return (f"expected the keys {sorted(keys_e)}, received the keys {sorted(keys_r)}.")
        rec = {str(k): v for k, v in received.items()}
        for k, v in expected.items():
            note = shape_mismatch(v, rec[str(k)])
            if note:
                return f"entry {k!r}: {note}"
    return ""


def _kind(x):
    if x is None:
        return "None (did the function forget to `return` its result?)"
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape}"
    if isinstance(x, dict) and set(x) == {"__unsupported__"}:
        return f"an object of type {x['__unsupported__']}"
    return f"a {type(x).__name__}"


def format_value(x, precision=4):
    """A short, deterministic text for a value in a feedback message."""
    x = _plain(x)
    if isinstance(x, np.ndarray):
        with np.printoptions(precision=precision, suppress=True, threshold=40, edgeitems=3,
                             linewidth=88):
            text = np.array2string(x, separator=", ")
        return text.replace("\n", "\n           ")
    if isinstance(x, float):
        return f"{x:.{precision + 2}g}"
    if isinstance(x, list):
        return "[" + ", ".join(format_value(v, precision) for v in x) + "]"
    if isinstance(x, dict):
        if set(x) == {"__unsupported__"}:
            return f"<{x['__unsupported__']} object>"
        return "{" + ", ".join(f"{k!r}: {format_value(v, precision)}" for k, v in x.items()) + "}"
    return repr(x)


def describe_arg(a):
    if isinstance(a, np.ndarray):
        if a.size <= 8:
            return re.sub(r"\s+", " ", format_value(a))
        return f"an array of shape {a.shape}"
    if callable(a) and not isinstance(a, type):
        return "a function"
    if hasattr(a, "sizes"):
        return f"a network with sizes {a.sizes}"
    if type(a).__name__ == "Cache":
        return "its forward cache"
    return format_value(a)


# One line of explanation per kind of error, in the chapter's terms where possible.
_ERROR_HINTS = (
    ("matmul", "A matrix product got factors whose inner sizes disagree: (p, q) @ (q, r) "
               "needs the same q. Write down the shape of each factor; is a transpose missing "
               "or in the wrong place?"),
    ("not aligned", "A matrix product got factors whose inner sizes disagree: (p, q) @ (q, r) "
                    "needs the same q. Write down the shape of each factor."),
    ("could not be broadcast", "An elementwise operation (+, -, *, /) got arrays of shapes "
                               "that do not fit together. Check each array's shape against "
                               "the equation."),
    ("NameError", "A name is used before it is defined: did you run the cells above (imports "
                  "and helpers) first?"),
    ("IndexError", "An index is out of range: remember that layers are numbered 1..L and "
                   "a^0 is the input, and that arrays have one column per example."),
    ("KeyError", "A dict was asked for a key it does not hold."),
    ("TypeError", "A value of the wrong type reached an operation: check what each argument "
                  "is (array, number, function) and what your function returns."),
    ("RecursionError", "The function calls itself without end."),
    ("ZeroDivisionError", "A division by zero."),
    ("ShapeError", "A bpkit function received an array of the wrong shape; the message above "
                   "names it."),
)


def explain_error(error):
    for needle, hint in _ERROR_HINTS:
        if needle in error:
            return hint
    return "Read the message above: it names what went wrong."
