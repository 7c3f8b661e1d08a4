"""The code the grader adds to a student's kernel: one hidden cell per function exercise.

``report(user_ns, name, task_file)`` reads the inputs that the grader drew (``task_file``,
read-only in the sandbox), runs the student's function on fresh copies of them, and publishes
what it returned under the result MIME type. Nothing here knows an expected value or a score:
the exercises' references never enter the kernel. A notebook may patch anything it likes in
its kernel (this module included); it can only change what its own function appears to
return, which is no better than returning it.
"""
import contextlib
import importlib
import io
import json


class _Spec:
    """What the guard needs to know of an exercise, rebuilt from plain data."""

    def __init__(self, data):
        self.function_name = data["function_name"]
        self.forbidden = tuple(_resolve(n) for n in data["forbidden"])
        self.forbidden = tuple(f for f in self.forbidden if f is not None)
        allowed = data["allowed"]
        self.allowed = "all" if allowed == "all" else tuple(
            a for a in (_resolve(n) for n in allowed) if a is not None)
        self.watch = tuple((owner, attr) for owner, attr in
                           ((_resolve(o), a) for o, a in data["watch"]) if owner is not None)
        self.refuse_names = dict(data["refuse_names"])
        self.encode = None


def _resolve(name):
    """``"module:qualname"`` -> the object (None if it cannot be found in this kernel)."""
    module, _, qualname = name.partition(":")
    try:
        obj = importlib.import_module(module)
        for part in filter(None, qualname.split(".")):
            obj = getattr(obj, part)
        return obj
    except Exception:  # noqa: BLE001 - not importable here: nothing to guard
        return None


def report(user_ns, name, task_file):
    from IPython.display import display

    with open(task_file) as f:
        task = json.load(f)
    mime = task["result_mime"]
    try:
        from bpkit.exercises.guard import run_calls
        from bpkit.exercises.payload import inputs_from_payload, to_payload

        data = task["exercises"][name]
        spec = _Spec(data)
        fn = user_ns.get(spec.function_name)
        if fn is None:
            result = {"missing": spec.function_name}
        else:
            inputs = inputs_from_payload(data["inputs"])
            sink = io.StringIO()
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                outcomes, changed = run_calls(spec, fn, inputs)
            outcomes = [_refused_if_unavailable(o) for o in outcomes]
            result = {"outcomes": to_payload(outcomes), "changed": [bool(c) for c in changed]}
    except BaseException as exc:  # noqa: BLE001 - a student's SystemExit must not stop it
        result = {"crash": f"{type(exc).__name__}: {exc}"[:500]}
    display({mime: result, "text/plain": f"graded {name}"}, raw=True)


def _refused_if_unavailable(outcome):
    """A use of an exercises' helper (absent while grading) is reported as a refusal."""
    error = outcome.get("error", "")
    if isinstance(error, str) and error.startswith("ExerciseHelperUnavailable"):
        return {"refused": "Refused, with no score: " + error.split(": ", 1)[-1]
                + "; write the answer without it."}
    return outcome
