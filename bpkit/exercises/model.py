"""The exercise model: what an exercise is, how it is scored, and the registry of chapters.

A chapter module ``bpkit.exercises.chNN`` builds :class:`FunctionExercise` and
:class:`ValueExercise` objects and registers them (:func:`register`). The instructors'
grader scores them in its own process: ``exercise.inputs(seed)`` draws the inputs there,
the grading kernel only returns what the student's function gave back, and
``exercise.evaluate(received, seed)`` compares that with the reference here.
:func:`requirement_notes` checks what a statement asks beyond the values (leave the input
alone, return an array).
"""
import copy
import importlib
import pkgutil
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .feedback import (_plain, _safe_compare, describe_arg, explain_error, format_value, same,
                       shape_mismatch)
from .guard import _error_text
from .protocol import PACKAGE

CHAPTER_ID = re.compile(r"^ch\d\d$")

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
    make_inputs : ``make_inputs(rng)`` returns the argument tuples, smallest first. It runs
        only in the grader's process, which sends the tuples to the grading kernel as data
        (``payload``): numpy arrays, numbers, strings, lists, tuples, dicts, bpkit networks
        (with their ``Cache``, ``Layers``, ``Gradients``), and classes or named functions
        defined in the chapter module (sent as their source: nothing secret may be in them).
        A lambda cannot be sent.
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
    must_not_modify : the statement says the function must leave its arguments as they were;
        a function that changes one in place loses marks (see :func:`requirement_notes`).
    returns_array : the statement asks for a numpy array; any other return value (a list, a
        number) loses marks.
    """

    kind = "function"

    def __init__(self, chapter, name, title, function_name, make_inputs, reference,
                 arg_names, points=1.0, mistakes=(), allowed=(), forbidden=(), watch=(),
                 encode=None, compare=None, what=None, expected_text=None, refuse_names=None,
                 must_not_modify=False, returns_array=False):
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
        self.must_not_modify = bool(must_not_modify)
        self.returns_array = bool(returns_array)

    def mistake(self, key):
        """The known mistake called ``key``."""
        for m in self.mistakes:
            if m.key == key:
                return m
        raise KeyError(key)

    def inputs(self, seed):
        """The argument tuples for ``seed``, smallest first (``check`` uses seed 0)."""
        return self.make_inputs(np.random.default_rng(seed))

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
        hint = diagnose(self, inputs, expected, received, passed)
        if hint:
            return self.result(fraction, hint + "\n" + self._smallest_failure(
                inputs, expected, received, passed))
        return self.result(fraction, self._smallest_failure(inputs, expected, received, passed))

    def _smallest_failure(self, inputs, expected, received, passed):
        """The smallest failing input, with the expected and received values."""
        i = passed.index(False)
        where = f"On the smallest input where it fails ({self.describe(inputs[i])})"
        got, want = received[i], expected[i]
        if "error" in got:
            return (f"{where}, your function raised an error:\n"
                    f"    {got['error']}\n{explain_error(got['error'])}")
        if "ok" not in want:  # the reference itself failed: a bug of ours, not the student's
            return (f"{where}, the reference raised {want.get('error')}; "
                    "please report this to your instructor.")
        want, got = want["ok"], got["ok"]
        shape_note = shape_mismatch(want, got)
        if shape_note:
            return f"{where}: {shape_note}"
        return (f"{where}:\n  expected {self.expected_text(want)}\n"
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
    if chapter not in REGISTRY and chapter in chapters():
        importlib.import_module(f"{PACKAGE}.{chapter}")
    try:
        return REGISTRY[chapter][name]
    except KeyError:
        known = sorted(REGISTRY.get(chapter, {}))
        raise KeyError(f"no exercise {name!r} in {chapter}; known: {known}") from None


def chapters():
    """The chapter ids ``chNN`` whose modules exist in the package, in order."""
    folder = Path(__file__).resolve().parent
    return tuple(sorted(info.name for info in pkgutil.iter_modules([str(folder)])
                        if CHAPTER_ID.match(info.name)))


def load_all():
    """Import every chapter module; return :data:`REGISTRY`."""
    for chapter in chapters():
        importlib.import_module(f"{PACKAGE}.{chapter}")
    return REGISTRY


def _call(fn, args, encode=None):
    """One outcome: ``{"ok": value}`` or ``{"error": "Type: message"}`` (trusted side)."""
    try:
        value = fn(*copy.deepcopy(args))
        return {"ok": encode(value) if encode else value}
    except Exception as exc:  # noqa: BLE001
        return {"error": _error_text(exc)}


def requirement_notes(exercise, received, changed=()):
    """The stated requirements a function broke, as sentences (empty if none, or no function).

    ``received`` are the outcomes of its calls, ``changed[i]`` whether call ``i`` changed one
    of its arguments in place.
    """
    if getattr(exercise, "kind", None) != "function" or not isinstance(received, list):
        return []
    notes = []
    name = exercise.function_name
    if getattr(exercise, "must_not_modify", False) and any(changed):
        notes.append(f"Your `{name}` changed its input in place, which the statement says it "
                     "must not do (the caller's array would change behind its back): work on "
                     "a copy, e.g. `z = z.copy()`, or build a new array.")
    if getattr(exercise, "returns_array", False):
        kinds = [type(o["ok"]).__name__ for o in received
                 if isinstance(o, dict) and "ok" in o and not isinstance(o["ok"], np.ndarray)]
        if kinds:
            notes.append(f"Your `{name}` returned a {kinds[0]} where the statement asks for a "
                         "numpy array: build the result with numpy operations (or "
                         "`np.asarray(...)`), so that shapes and arithmetic behave as in "
                         "the book.")
    return notes


def apply_requirements(exercise, result, received, changed=()):
    """``result`` with its score capped at half and the notes first, if a requirement broke."""
    notes = requirement_notes(exercise, received, changed)
    if not notes:
        if (any(changed) and not result.full_marks
                and getattr(exercise, "kind", None) == "function"):
            return Result(result.name, result.score, result.max_score,
                          _changed_note(exercise) + "\n" + result.message)
        return result
    score = min(result.score, round(exercise.points * 0.5, 2))
    return Result(result.name, score, result.max_score, "\n".join(notes + [result.message]))


def _changed_note(exercise):
    return (f"Your `{exercise.function_name}` changes one of its arguments in place: an "
            "augmented assignment (`v **= 2`, `v += ...`) or `v[i] = ...` on a name bound to "
            "an argument changes the caller's array too (`v = x` makes no copy), so the lines "
            "after it read the changed values. Build new arrays (`v = x ** 2`) or work on a "
            "copy (`v = x.copy()`).")


def diagnose(exercise, inputs, expected, received, passed):
    """A sentence naming a mistake that no chapter listed, when the outcomes show one.

    Tried in order: answers that are those of the notebook's own check (seed 0), hard-coded;
    a function that works only for one example (m = 1); results in float32; an output that
    is a known transformation of the right one (transposed, negated, off by a constant
    factor); and, last, where the smallest failing result is right and where it is not.
    None if nothing fits.
    """
    failing = [i for i, ok in enumerate(passed) if not ok]
    pairs = [(expected[i].get("ok"), received[i].get("ok")) for i in failing
             if "ok" in expected[i] and "ok" in received[i]]
    if len(pairs) != len(failing):
        return None
    visible = [_call(exercise.reference, args, exercise.encode).get("ok")
               for args in exercise.inputs(0)]
    got = [received[i].get("ok") for i in failing]
    # hard-coded: one answer of the check returned whatever the input, or the check's
    # answers replayed in order (not a value a wrong formula may hit by chance: 0, 1, [])
    constant = any(not _trivial(v) and all(_safe_compare(exercise.compare, v, r) for r in got)
                   for v in visible)
    replayed = len(visible) == len(received) and all(
        i < len(visible) and not _trivial(visible[i])
        and _safe_compare(exercise.compare, visible[i], r) for i, r in zip(failing, got))
    if failing and (constant or replayed):
        return ("Your function returns the answer of the notebook's own check for an input "
                "it was not given: the grader uses other inputs than the check does, so an "
                "answer hard-coded for the visible example cannot pass. Compute the result "
                "from the arguments.")
    if all(_first_example(e, r) for e, r in pairs):
        return ("Your function gives the result of the first example only (column 0 of "
                "the batch) where one result per example is expected: a batch holds one "
                "example per column, so work on all the columns at once (no `[:, 0]`), and "
                "check each shape with m > 1.")
    swapped = _swapped_parts(exercise, pairs)
    if swapped:
        return swapped
    if all(isinstance(e, np.ndarray) and isinstance(r, np.ndarray) for e, r in pairs):
        m_of = [_columns(e.get("ok")) for e in expected]
        if (any(passed) and all(m_of[i] == 1 for i, ok in enumerate(passed) if ok)
                and all(m_of[i] not in (None, 1) for i in failing)
                and not all(_ratio(e, r) for e, r in pairs)):
            return ("Your function is right for a single example (m = 1) and wrong for a "
                    "batch: a batch holds one example per column, so every operation must "
                    "work on all the columns at once (check each shape with m > 1).")
        if all(r.dtype == np.float32 and e.dtype == np.float64 for e, r in pairs):
            return ("Your result is in float32 where the exercise works in float64: its "
                    "rounding error (about 1e-7 relative) is too large here. Keep the "
                    "arrays in float64 (no .astype(np.float32), no float32 inputs).")
        for test, words in _TRANSFORMS:
            if all(test(e, r) for e, r in pairs):
                return words(pairs)
    return _localise(*pairs[0]) if pairs else None


LOCATED = "Part of your result is right"


def _leaves(value, path=""):
    """``{path: leaf}`` of a result made of lists, tuples and dicts (``path`` as Python
    indexing: ``[0][2]``)."""
    value = _plain(value)
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value)
                for k, v in _leaves(item, f"{path}[{i}]").items()}
    if isinstance(value, dict):
        return {k: v for key, item in value.items()
                for k, v in _leaves(item, f"{path}[{key!r}]").items()}
    return {path: value}


def _listed(items, limit=4):
    """``a``, ``a and b``, ``a, b and c``, ``a, b, c, d and 3 more``."""
    items = list(items)
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _agree(items):
    return "agrees" if len(items) == 1 else "agree"


def _localise(expected, received):
    """Where the smallest failing result is right and where it is not, or None.

    Said only when some part is right and some is not: the parts of a list or dict (each
    layer's array, say), else the rows or the columns of a matrix.
    """
    e, r = _leaves(expected), _leaves(received)
    if len(e) > 1 and e.keys() == r.keys():
        wrong = [p for p in e if not same(e[p], r[p])]
        right = [p for p in e if p not in wrong]
        if right and wrong:
            code = lambda paths: _listed([f"`result{p}`" for p in paths], 3)  # noqa: E731
            return (f"{LOCATED}: {code(right)} {_agree(right)} with the expected value, "
                    f"{code(wrong)} not (`result` is what your function returned). Look "
                    "first at the lines that compute the parts that differ.")
        return None
    expected, received = _plain(expected), _plain(received)
    if not (isinstance(expected, np.ndarray) and isinstance(received, np.ndarray)
            and expected.shape == received.shape and expected.ndim == 2):
        return None
    for axis, what in ((0, "row"), (1, "column")):
        ok = [same(np.take(expected, k, axis=axis), np.take(received, k, axis=axis))
              for k in range(expected.shape[axis])]
        if any(ok) and not all(ok):
            right = [str(k + 1) for k, good in enumerate(ok) if good]
            wrong = [str(k + 1) for k, good in enumerate(ok) if not good]
            name = lambda ks: f"{what}{'s' if len(ks) > 1 else ''} {_listed(ks)}"  # noqa: E731
            return (f"{LOCATED}: {name(right)} {_agree(right)} with the expected value, "
                    f"{name(wrong)} not (numbered from 1). Look for what your code does "
                    f"differently in the {what}s that differ.")
    return None


def _trivial(value):
    """A value a wrong function may well return without having copied it: 0, 1, empty."""
    value = _plain(value)
    if isinstance(value, np.ndarray):
        return value.size == 0 or not np.any(value)
    if isinstance(value, (list, dict)):
        return len(value) == 0
    return isinstance(value, (int, float)) and value in (0, 1)


def _first_example(e, r):
    """Is ``r`` the expected batch result ``e`` of its first example alone (m > 1)?"""
    if not isinstance(e, np.ndarray) or e.ndim not in (1, 2) or e.shape[-1] < 2:
        return False
    first = e[..., 0]
    try:
        r = np.asarray(r, dtype=float)
    except (TypeError, ValueError):
        return False
    return r.size == first.size and r.shape != e.shape and bool(
        np.allclose(r.reshape(first.shape), first, rtol=1e-6, atol=1e-9))


def _swapped_parts(exercise, pairs):
    """A sentence if every result holds the right parts in another order, else None."""
    pairs = [(_plain(e), _plain(r)) for e, r in pairs]
    if not all(isinstance(e, list) and isinstance(r, list) and len(e) == len(r) > 1
               for e, r in pairs):
        return None
    if not all(any(_safe_compare(exercise.compare, x, y) for y in r) for e, r in pairs
               for x in e):
        return None
    return ("Your function returns the right values in the wrong order: return the parts "
            "in the order the statement lists them (the first part first).")


def _columns(value):
    """The number of columns m (examples) of a 2-D result, or None."""
    return value.shape[1] if isinstance(value, np.ndarray) and value.ndim == 2 else None


def _ratio(e, r):
    if e.shape != r.shape or not np.all(np.isfinite(e)) or not np.any(e):
        return None
    c = float(np.vdot(e, r) / np.vdot(e, e))
    return c if np.allclose(r, c * e, rtol=1e-6, atol=1e-9) else None


def _common_ratio(pairs):
    ratios = [_ratio(e, r) for e, r in pairs]
    if any(c is None for c in ratios) or not np.allclose(ratios, ratios[0], rtol=1e-6):
        return None
    return ratios[0]


_TRANSFORMS = (
    (lambda e, r: e.ndim == 2 and e.shape != r.shape and r.shape == e.T.shape
     and np.allclose(r, e.T, rtol=1e-6, atol=1e-9),
     lambda pairs: "Your result is the transpose of the right one: rows and columns are "
                   "swapped. Write down the shape of each factor (destination index first, "
                   "one column per example)."),
    (lambda e, r: e.shape == r.shape and np.any(e) and np.allclose(r, -e, rtol=1e-6,
                                                                   atol=1e-9),
     lambda pairs: "Your result has the right size but the opposite sign everywhere: check "
                   "the order of a subtraction (prediction minus target) and every minus "
                   "sign of the derivation."),
    (lambda e, r: _ratio(e, r) not in (None, 1.0, -1.0, 0.0),
     lambda pairs: (f"Your result is the right one multiplied by {_common_ratio(pairs):.4g} "
                    "on every input: a constant factor is missing or extra (a 1/m, a 2 from "
                    "a square, an eps).") if _common_ratio(pairs) is not None else
                   ("Your result is the right one up to a factor that changes from input to "
                    "input: a factor that depends on the sizes (m, n) is missing or extra.")),
)
