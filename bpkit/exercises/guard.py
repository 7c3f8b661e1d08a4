"""The guard against calling the reference: a friendly refusal, not a security boundary.

An exercise asks the learner to write something bpkit already contains (the book shows that
source). ``run_function`` refuses a function that plainly hands the work to bpkit's own
implementation or to the exercise's reference (by name, through a module, a closure or a
default, or by a call seen at run time), so that the learner gets a useful message instead of
free points. It is easy to get round on purpose (a private copy of bpkit's source, say), and
it is not what keeps the grader honest: the instructors' grader never lets the exercises'
references into the student's kernel at all (see ``bpkit.grade``).

This module runs in the student's kernel, both in the notebook's instant check and in the
grading kernel; it holds no reference.
"""
import copy
import functools
import sys
import types

import numpy as np

from .feedback import _kind
from .protocol import PACKAGE


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
    if getattr(value, "__module__", "").startswith(PACKAGE):
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


def _error_text(exc):
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 400 else text[:397] + "..."


def run_function(exercise, fn, seed):
    """Run ``fn`` on every input of ``exercise`` for ``seed``; return the outcomes.

    Each call gets fresh copies of the inputs, so a function that changes its arguments in
    place cannot change the next case. A function that hands the work to bpkit's own
    reference is refused (every outcome is ``{"refused": why}``).
    """
    return run_calls(exercise, fn, exercise.inputs(seed))[0]


def run_calls(exercise, fn, inputs):
    """Run ``fn`` on each argument tuple of ``inputs``: ``(outcomes, changed)``.

    ``outcomes`` as :func:`run_function`; ``changed[i]`` says whether call ``i`` changed one
    of its arguments in place (its own copy: the next call never sees the change).
    """
    if not callable(fn):
        why = (f"`{exercise.function_name}` is not a function (it is {_kind(fn)}); run the "
               "answer cell that defines it.")
        return [{"error": f"TypeError: {why}"} for _ in inputs], [False] * len(inputs)
    reason = _refusal(exercise, fn)
    if reason:
        return [{"refused": reason} for _ in inputs], [False] * len(inputs)
    outcomes, changed = [], []
    for args in inputs:
        pristine = copy.deepcopy(args)
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
            return [{"refused": why} for _ in inputs], [False] * len(inputs)
        if outcome is None:
            try:
                outcome = {"ok": exercise.encode(value) if exercise.encode else value}
            except Exception as exc:  # noqa: BLE001
                outcome = {"error": _error_text(exc)}
        outcomes.append(outcome)
        changed.append(not _unchanged(pristine, args))
    return outcomes, changed


def _unchanged(before, after):
    """Are two argument structures equal, arrays entry by entry (NaN equal to NaN)?"""
    if isinstance(before, np.ndarray):
        return (isinstance(after, np.ndarray) and before.shape == after.shape
                and before.dtype == after.dtype
                and bool(np.array_equal(before, after, equal_nan=before.dtype.kind in "fc")))
    if isinstance(before, (list, tuple)):
        return (type(before) is type(after) and len(before) == len(after)
                and all(_unchanged(b, a) for b, a in zip(before, after)))
    if isinstance(before, dict):
        return (isinstance(after, dict) and before.keys() == after.keys()
                and all(_unchanged(before[k], after[k]) for k in before))
    if hasattr(before, "__dict__") and not callable(before):
        return _unchanged(vars(before), vars(after))
    return True
