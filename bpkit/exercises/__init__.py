"""The exercises of the student notebooks and their instant checks (chapters 2 to 14).

Each chapter module ``bpkit.exercises.chNN`` builds its :class:`Exercise` objects, registers
them in :data:`REGISTRY` and offers ``check(name, answer)`` to its notebook. The same objects
serve the instructors' grader (``bpkit.grade``), which follows this protocol:

* ``run_function(exercise, fn, seed)`` runs a student's function on ``exercise.inputs(seed)``
  inside the student's kernel and returns one outcome per input: ``{"ok": value}``,
  ``{"error": "Type: message"}`` or ``{"refused": "why"}``;
* ``to_payload`` / ``from_payload`` carry those outcomes out of the kernel as JSON (never
  pickle: the grader decodes what an untrusted kernel printed);
* ``exercise.evaluate(received, seed)`` scores them in a trusted process and returns a
  :class:`Result` whose message speaks the chapter's language: it names a known mistake,
  or shows the smallest failing input with the expected and received values;
* value exercises (a slider's position, a chosen answer) are recorded in the notebook's
  outputs by ``record_value`` and scored from that record.

The command ``bpkit-exercises`` (:func:`main`) copies the notebooks into a student's folder
and lists the exercises.
"""
import argparse
import copy
import functools
import importlib
import json
import math
import re
import shutil
import sys
import textwrap
import types
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ANSWER_MIME = "application/x.bpkit-answer+json"
CHAPTERS = tuple(f"ch{n:02d}" for n in range(2, 15))

#: ``REGISTRY[chapter][name]`` is an :class:`Exercise`; chapter modules fill it on import.
REGISTRY = {}


@dataclass
class Result:
    """The score of one exercise and the feedback that explains it."""

    name: str
    score: float
    max_score: float
    message: str

    @property
    def full_marks(self):
        return self.score >= self.max_score

    def __str__(self):
        lines = [f"{self.name}: score {self.score:g}/{self.max_score:g}"]
        for line in self.message.split("\n"):
            indent = line[:len(line) - len(line.lstrip())]
            lines.append(textwrap.fill(line, width=92, subsequent_indent=indent,
                                       break_long_words=False, break_on_hyphens=False)
                         if len(line) > 92 else line)
        return "\n".join(lines)


@dataclass
class Mistake:
    """A known wrong answer: ``key`` names it, ``message`` explains it, ``fn`` computes it.

    ``fn`` may be a tuple of functions: the ways of writing the same mistake (a sum over the
    wrong axis divided by m, or a mean over that axis).
    """

    key: str
    message: str
    fn: object


# ------------------------------------------------------------------------------------------
# Exercises

class Exercise:
    """One graded exercise of a chapter notebook (see the module docstring for the protocol)."""

    kind = None

    def __init__(self, chapter, name, title, points=1.0):
        self.chapter = chapter
        self.name = name
        self.title = title
        self.points = float(points)

    def result(self, fraction, message):
        score = round(self.points * max(0.0, min(1.0, fraction)), 2)
        return Result(self.name, score, self.points, message)

    def __repr__(self):
        return f"<{self.kind} exercise {self.chapter}:{self.name} ({self.points:g} points)>"


class FunctionExercise(Exercise):
    """The student writes a function; it is run on inputs and compared with a reference.

    Parameters
    ----------
    function_name : the name the student's answer cell defines.
    make_inputs : ``make_inputs(rng)`` returns the argument tuples, smallest first.
    reference : the correct function (bpkit's own where it exists).
    arg_names : names of the arguments, used to describe a failing input.
    mistakes : list of :class:`Mistake`, the known wrong answers.
    allowed : bpkit objects the student's function may use (every other bpkit function,
        class or module named by the student's code is refused), or ``"all"``.
    forbidden : bpkit objects refused even when ``allowed`` is ``"all"``; they are also
        watched at run time, with ``watch`` (a list of ``(owner, attribute)`` pairs).
    encode : turns the student's return value into data (run in the student's kernel);
    compare : ``compare(expected, received) -> bool``; by default :func:`same`.
    what : a phrase for the success message ("BP2", "the forward pass of a layer").
    refuse_names : ``{name: why}``, names the student's code may not use (e.g. the loop an
        exercise asks to vectorise).
    """

    kind = "function"

    def __init__(self, chapter, name, title, function_name, make_inputs, reference,
                 arg_names, points=1.0, mistakes=(), allowed=(), forbidden=(), watch=(),
                 encode=None, compare=None, what=None, expected_text=None, refuse_names=None):
        super().__init__(chapter, name, title, points)
        self.function_name = function_name
        self.make_inputs = make_inputs
        self.reference = reference
        self.arg_names = tuple(arg_names)
        self.mistakes = list(mistakes)
        self.allowed = allowed
        self.forbidden = tuple(forbidden)
        self.watch = tuple(watch)
        self.encode = encode
        self.compare = compare or same
        self.what = what or title
        self.expected_text = expected_text or format_value
        self.refuse_names = dict(refuse_names or {})

    def mistake(self, key):
        """The known mistake called ``key``."""
        for m in self.mistakes:
            if m.key == key:
                return m
        raise KeyError(key)

    def inputs(self, seed):
        """The argument tuples for ``seed``, smallest first (``check`` uses seed 0)."""
        return self.make_inputs(np.random.default_rng(seed))

    def expected(self, seed):
        return [_call(self.reference, args, self.encode) for args in self.inputs(seed)]

    def evaluate(self, received, seed):
        """Score the outcomes of the student's function on ``inputs(seed)``."""
        inputs = self.inputs(seed)
        if not isinstance(received, list) or len(received) != len(inputs) or not all(
                isinstance(o, dict) and len(o) == 1 for o in received):
            return self.result(0, "The grader could not read what your function returned "
                                  "(the record of its results is malformed).")
        refused = [o["refused"] for o in received if "refused" in o]
        if refused:
            return self.result(0, str(refused[0]))
        errors = [o.get("error") for o in received]
        if all(isinstance(e, str) and e.startswith("NotImplementedError") for e in errors):
            return self.result(0, f"Not attempted yet: `{self.function_name}` still raises "
                                  "NotImplementedError. Replace that line with your code, run "
                                  "the cell, then run the check again.")
        expected = [_call(self.reference, args, self.encode) for args in inputs]
        passed = [("ok" in r and "ok" in e and _safe_compare(self.compare, e["ok"], r["ok"]))
                  for e, r in zip(expected, received)]
        n = len(inputs)
        if all(passed):
            return self.result(1, f"Correct: your `{self.function_name}` agrees with "
                                  f"{self.what} on all {n} test inputs.")
        fraction = sum(passed) / n
        for m in self.mistakes:
            for fn in (m.fn if isinstance(m.fn, tuple) else (m.fn,)):
                wrong = [_call(fn, args, self.encode) for args in inputs]
                if self._matches(wrong, received, expected):
                    return self.result(min(fraction, 0.5), m.message)
        i = passed.index(False)
        where = f"On the smallest input where it fails ({self.describe(inputs[i])})"
        got, want = received[i], expected[i]
        if "error" in got:
            return self.result(fraction, f"{where}, your function raised an error:\n"
                                         f"    {got['error']}\n{explain_error(got['error'])}")
        if "ok" not in want:  # the reference itself failed: a bug of ours, not the student's
            return self.result(fraction, f"{where}, the reference raised {want.get('error')}; "
                                         "please report this to your instructor.")
        want, got = want["ok"], got["ok"]
        shape_note = shape_mismatch(want, got)
        if shape_note:
            return self.result(fraction, f"{where}: {shape_note}")
        return self.result(fraction, f"{where}:\n  expected {self.expected_text(want)}\n"
                                     f"  received {self.expected_text(got)}")

    def _matches(self, wrong, received, expected):
        """Does the student's function behave like this known mistake on every input?"""
        differs = False
        for w, r, e in zip(wrong, received, expected):
            if "ok" in w and "ok" in r:
                if not _safe_compare(self.compare, w["ok"], r["ok"]):
                    return False
                if "ok" not in e or not _safe_compare(self.compare, e["ok"], w["ok"]):
                    differs = True
            elif "error" in w and "error" in r:
                differs = differs or "ok" in e
            else:
                return False
        return differs

    def describe(self, args):
        return ", ".join(f"{name} = {describe_arg(a)}" for name, a in zip(self.arg_names, args))


class ValueExercise(Exercise):
    """The student chooses a value (often with a widget); ``judge(value)`` scores it.

    ``judge`` returns ``(fraction, message)``; it runs in the trusted process.
    """

    kind = "value"

    def __init__(self, chapter, name, title, judge, points=1.0, prompt=""):
        super().__init__(chapter, name, title, points)
        self.judge = judge
        self.prompt = prompt

    def evaluate(self, received, seed=None):
        if received is None:
            return self.result(0, f"Not answered yet. {self.prompt}".strip())
        try:
            fraction, message = self.judge(received)
        except Exception:  # noqa: BLE001 - whatever the notebook recorded, it is the student's
            return self.result(0, f"Your recorded answer {received!r} is not one this exercise "
                                  f"understands. {self.prompt}".strip())
        return self.result(fraction, message)


def register(exercise):
    REGISTRY.setdefault(exercise.chapter, {})[exercise.name] = exercise
    return exercise


def get(chapter, name):
    """The exercise ``name`` of ``chapter`` (its module is imported on first use)."""
    if chapter not in REGISTRY and chapter in CHAPTERS:
        importlib.import_module(f"{__name__}.{chapter}")
    try:
        return REGISTRY[chapter][name]
    except KeyError:
        known = sorted(REGISTRY.get(chapter, {}))
        raise KeyError(f"no exercise {name!r} in {chapter}; known: {known}") from None


def load_all():
    """Import every chapter module; return :data:`REGISTRY`."""
    for chapter in CHAPTERS:
        importlib.import_module(f"{__name__}.{chapter}")
    return REGISTRY


# ------------------------------------------------------------------------------------------
# Comparing values

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


# ------------------------------------------------------------------------------------------
# Running the student's function (inside the student's kernel)

def _is_bpkit(obj):
    if isinstance(obj, types.ModuleType):
        return obj.__name__ == "bpkit" or obj.__name__.startswith("bpkit.")
    module = getattr(obj, "__module__", None)
    if not isinstance(module, str):
        module = getattr(type(obj), "__module__", "")
    return isinstance(module, str) and (module == "bpkit" or module.startswith("bpkit."))


def _code_names(code):
    """Every global or attribute name used by a code object and the code nested in it."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _code_names(const)
    return names


def _display_name(obj):
    if isinstance(obj, types.ModuleType):
        return obj.__name__
    module = getattr(obj, "__module__", "") or ""
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) \
        or type(obj).__name__
    return f"{module}.{name}"


def _refusal(exercise, fn):
    """Why ``fn`` is refused (it uses bpkit's own answer), or None."""
    msg = ("Refused, with no score: your `{name}` uses bpkit's own `{what}`, which already "
           "is the answer. The point of the exercise is to write it yourself with numpy "
           "(the helpers defined in the notebook are fine to use).")
    target = fn.func if isinstance(fn, functools.partial) else fn
    if _is_bpkit(target) or any(target is f for f in exercise.forbidden):
        return msg.format(name=exercise.function_name, what=_display_name(target))
    code = getattr(target, "__code__", None)
    if code is None:
        return None
    names = _code_names(code)
    for name in sorted(names & set(exercise.refuse_names)):
        return "Refused, with no score: " + exercise.refuse_names[name]
    scope = dict(getattr(target, "__globals__", {}))
    closure = getattr(target, "__closure__", None) or ()
    for var, cell in zip(code.co_freevars, closure):
        try:
            scope[var] = cell.cell_contents
        except ValueError:
            pass
    extra = list((getattr(target, "__defaults__", None) or ())) + list(
        (getattr(target, "__kwdefaults__", None) or {}).values())
    candidates = [(n, scope[n]) for n in names | set(code.co_freevars) if n in scope]
    candidates += [("default", v) for v in extra]
    forbidden_names = {getattr(f, "__name__", None) for f in exercise.forbidden} - {None}
    for _, value in candidates:
        if not _is_bpkit(value):
            continue
        if isinstance(value, types.ModuleType):
            used = sorted(n for n in names if n in forbidden_names
                          or _is_refused_object(exercise, getattr(value, n, None)))
            if used:
                return msg.format(name=exercise.function_name, what=f"{value.__name__}.{used[0]}")
            continue
        if _is_refused_object(exercise, value):
            return msg.format(name=exercise.function_name, what=_display_name(value))
    return None


def _is_refused_object(exercise, value):
    if value is None or isinstance(value, types.ModuleType) or not _is_bpkit(value):
        return False
    if any(value is f for f in exercise.forbidden):
        return True
    if getattr(value, "__module__", "").startswith(__name__):
        return True  # the exercises' own references
    if exercise.allowed == "all":
        return False
    return not any(value is a for a in exercise.allowed)


class _Watch:
    """Wrap bpkit's reference functions while the student's code runs, to see them called."""

    def __init__(self, exercise):
        self.targets = list(exercise.watch)
        for f in exercise.forbidden:
            if isinstance(f, types.FunctionType):
                for name, module in list(sys.modules.items()):
                    if (name == "bpkit" or name.startswith("bpkit.")) and module is not None:
                        for attr, value in list(vars(module).items()):
                            if value is f:
                                self.targets.append((module, attr))
        self.called = []
        self.saved = []

    def __enter__(self):
        for owner, attr in self.targets:
            original = getattr(owner, attr)
            self.saved.append((owner, attr, original))
            setattr(owner, attr, self._wrap(original, owner, attr))
        return self

    def _wrap(self, original, owner, attr):
        called = self.called
        label = f"{getattr(owner, '__name__', owner)}.{attr}"

        @functools.wraps(original)
        def watched(*args, **kwargs):
            called.append(label)
            return original(*args, **kwargs)
        return watched

    def __exit__(self, *exc):
        for owner, attr, original in reversed(self.saved):
            setattr(owner, attr, original)
        self.saved.clear()
        return False


def _call(fn, args, encode=None):
    """One outcome: ``{"ok": value}`` or ``{"error": "Type: message"}`` (trusted side)."""
    try:
        value = fn(*copy.deepcopy(args))
        return {"ok": encode(value) if encode else value}
    except Exception as exc:  # noqa: BLE001
        return {"error": _error_text(exc)}


def _error_text(exc):
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 400 else text[:397] + "..."


def run_function(exercise, fn, seed):
    """Run ``fn`` on every input of ``exercise`` for ``seed``; return the outcomes.

    Each call gets fresh copies of the inputs, so a function that changes its arguments in
    place cannot change the next case. A function that hands the work to bpkit's own
    reference is refused (every outcome is ``{"refused": why}``).
    """
    inputs = exercise.inputs(seed)
    if not callable(fn):
        why = (f"`{exercise.function_name}` is not a function (it is {_kind(fn)}); run the "
               "answer cell that defines it.")
        return [{"error": f"TypeError: {why}"} for _ in inputs]
    reason = _refusal(exercise, fn)
    if reason:
        return [{"refused": reason} for _ in inputs]
    outcomes = []
    for args in inputs:
        args = copy.deepcopy(args)
        with _Watch(exercise) as watch:
            try:
                value = fn(*args)
                outcome = None
            except (Exception, SystemExit) as exc:  # noqa: BLE001 - explained, not raised
                outcome = {"error": _error_text(exc)}
        if watch.called:
            why = _refusal(exercise, fn) or (
                f"Refused, with no score: your `{exercise.function_name}` calls bpkit's own "
                f"`{watch.called[0]}`, which already is the answer. Write it yourself with "
                "numpy (the helpers defined in the notebook are fine to use).")
            return [{"refused": why} for _ in inputs]
        if outcome is None:
            try:
                outcome = {"ok": exercise.encode(value) if exercise.encode else value}
            except Exception as exc:  # noqa: BLE001
                outcome = {"error": _error_text(exc)}
        outcomes.append(outcome)
    return outcomes


# ------------------------------------------------------------------------------------------
# The payload: JSON only

_DTYPES = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
           "float16", "float32", "float64"}


def _enc_float(x):
    if math.isfinite(x):
        return x
    return {"__float__": "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")}


def _encode(x, depth=0):
    if depth > 50:
        return {"__unsupported__": "deeply nested value"}
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, np.generic):
        x = x.item()
        if isinstance(x, complex):
            return {"__unsupported__": "complex"}
        return _encode(x, depth)
    if isinstance(x, int):
        return x
    if isinstance(x, float):
        return _enc_float(x)
    if isinstance(x, np.ndarray):
        if x.dtype.name not in _DTYPES:
            return {"__unsupported__": f"array of dtype {x.dtype}"}
        data = x.tolist()
        if x.dtype.kind == "f":
            data = _floats_to_json(data)
        return {"__ndarray__": data, "dtype": x.dtype.name, "shape": list(x.shape)}
    if isinstance(x, tuple):
        return {"__tuple__": [_encode(v, depth + 1) for v in x]}
    if isinstance(x, list):
        return [_encode(v, depth + 1) for v in x]
    if isinstance(x, dict):
        return {"__dict__": [[_encode(k, depth + 1), _encode(v, depth + 1)]
                             for k, v in x.items()]}
    return {"__unsupported__": type(x).__name__}


def _floats_to_json(data):
    if isinstance(data, list):
        return [_floats_to_json(v) for v in data]
    return data if math.isfinite(data) else ("nan" if math.isnan(data)
                                              else ("inf" if data > 0 else "-inf"))


def _floats_from_json(data):
    if isinstance(data, list):
        return [_floats_from_json(v) for v in data]
    if isinstance(data, str):
        if data not in ("nan", "inf", "-inf"):
            raise ValueError("bad float")
        return float(data)
    if isinstance(data, bool) or not isinstance(data, (int, float)):
        raise ValueError("bad float")
    return float(data)


def _decode(x, depth=0):
    if depth > 60:
        raise ValueError("payload nested too deeply")
    if x is None or isinstance(x, (bool, str, int, float)):
        return x
    if isinstance(x, list):
        return [_decode(v, depth + 1) for v in x]
    if not isinstance(x, dict) or len(x) == 0:
        raise ValueError("unexpected payload element")
    if "__ndarray__" in x:
        if set(x) != {"__ndarray__", "dtype", "shape"} or x["dtype"] not in _DTYPES:
            raise ValueError("bad array")
        shape = x["shape"]
        if not (isinstance(shape, list) and all(isinstance(n, int) and n >= 0 for n in shape)):
            raise ValueError("bad shape")
        data = x["__ndarray__"]
        if np.dtype(x["dtype"]).kind == "f":
            data = _floats_from_json(data)
        arr = np.array(data, dtype=x["dtype"])
        if list(arr.shape) != shape:
            if arr.size == 0 and math.prod(shape) == 0:
                return arr.reshape(shape)
            raise ValueError("array shape does not match its data")
        return arr
    if len(x) != 1:
        raise ValueError("unexpected payload element")
    (key, value), = x.items()
    if key == "__float__":
        if value not in ("nan", "inf", "-inf"):
            raise ValueError("bad float")
        return float(value)
    if key == "__tuple__" and isinstance(value, list):
        return tuple(_decode(v, depth + 1) for v in value)
    if key == "__dict__" and isinstance(value, list):
        out = {}
        for pair in value:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise ValueError("bad dict entry")
            k = _decode(pair[0], depth + 1)
            if not isinstance(k, (str, int, float, bool, type(None), tuple)):
                raise ValueError("bad dict key")
            out[k] = _decode(pair[1], depth + 1)
        return out
    if key == "__unsupported__" and isinstance(value, str):
        return {"__unsupported__": value[:100]}
    raise ValueError("unexpected payload element")


_OUTCOME_KEYS = {"ok", "error", "refused"}


def to_payload(outcomes):
    """The outcomes of :func:`run_function` as one line of JSON (arrays, NaN and inf safe)."""
    items = []
    for o in outcomes:
        (key, value), = o.items()
        items.append({key: _encode(value) if key == "ok" else str(value)})
    return json.dumps(items, allow_nan=False, separators=(",", ":"))


def from_payload(text):
    """Decode :func:`to_payload`'s text; raise ValueError on anything else. Never unpickles."""
    raw = json.loads(text)
    if not isinstance(raw, list):
        raise ValueError("a payload is a list of outcomes")
    out = []
    for o in raw:
        if not (isinstance(o, dict) and len(o) == 1 and set(o) <= _OUTCOME_KEYS):
            raise ValueError("bad outcome")
        (key, value), = o.items()
        if key == "ok":
            out.append({"ok": _decode(value)})
        elif isinstance(value, str):
            out.append({key: value})
        else:
            raise ValueError("bad outcome")
    return out


# ------------------------------------------------------------------------------------------
# In the notebook

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
    """Check one answer right now (what each chapter's ``check`` does); return the Result."""
    exercise = get(chapter, name)
    if exercise.kind == "value":
        value = answer.value if hasattr(answer, "value") else answer
        if value is not None:
            record_value(chapter, name, value)
            value = _json_value(value)
        result = exercise.evaluate(value, 0)
    else:
        outcomes = run_function(exercise, answer, 0)
        result = exercise.evaluate(from_payload(to_payload(outcomes)), 0)
    print(result)
    return None


def make_check(chapter):
    """The ``check(name, answer)`` function of a chapter's notebook."""
    def check(name, answer):
        """Check your answer to exercise ``name`` and print the feedback and the score."""
        return check_answer(chapter, name, answer)
    check.__module__ = f"{__name__}.{chapter}"
    return check


# ------------------------------------------------------------------------------------------
# The command line: bpkit-exercises

def notebooks_folder():
    """The repository's ``exercises/`` folder (next to the ``bpkit`` package)."""
    return Path(__file__).resolve().parents[2] / "exercises"


def copy_notebooks(dest, source=None, out=None):
    """Copy every exercise notebook into ``dest``; never overwrite a file already there.

    Returns ``(copied, skipped)`` lists of file names.
    """
    out = out or sys.stdout
    source = Path(source) if source else notebooks_folder()
    notebooks = sorted(source.glob("ch*.ipynb")) if source.is_dir() else []
    if not notebooks:
        raise SystemExit(f"bpkit-exercises: no exercise notebooks found in {source}")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    copied, skipped = [], []
    for nb in notebooks:
        target = dest / nb.name
        try:
            with open(target, "xb") as f:  # "x": fails if the file exists, never truncates it
                with open(nb, "rb") as src:
                    shutil.copyfileobj(src, f)
        except FileExistsError:
            skipped.append(nb.name)
            print(f"skipped {target} (it already exists; your copy is kept)", file=out)
            continue
        copied.append(nb.name)
        print(f"copied  {target}", file=out)
    print(f"{len(copied)} copied, {len(skipped)} kept as they were, in {dest}", file=out)
    return copied, skipped


def main(argv=None):
    """``bpkit-exercises copy DEST [--from DIR]`` and ``bpkit-exercises list``."""
    parser = argparse.ArgumentParser(
        prog="bpkit-exercises", description="The exercise notebooks of the backpropagation book.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_copy = sub.add_parser("copy", help="copy the exercise notebooks into a folder of yours "
                                         "(files already there are never overwritten)")
    p_copy.add_argument("dest", help="the folder to copy into (created if needed)")
    p_copy.add_argument("--from", dest="source", default=None,
                        help="where the notebooks are (default: the repository's exercises/)")
    sub.add_parser("list", help="list the chapters, their exercises and points")
    args = parser.parse_args(argv)
    if args.command == "copy":
        copy_notebooks(args.dest, args.source)
    else:
        for chapter, exercises in sorted(load_all().items()):
            total = sum(e.points for e in exercises.values())
            print(f"{chapter}  ({total:g} points)")
            for e in exercises.values():
                print(f"  {e.name:<20} {e.kind:<9} {e.points:>4g}  {e.title}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
