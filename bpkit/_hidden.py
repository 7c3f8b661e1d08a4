"""The kernel-side half of the grader (``bpkit.grade``); students never call it.

The grader runs a student's notebook with three extra kinds of cells: ``arm`` before the
student's cells, ``disarm`` after them, and one ``report`` per function exercise. The last two
come from a fresh copy of this file, loaded after the student's cells, so a notebook that
patches the imported module does not change them. ``report``
runs the student's function on the inputs of the grader's secret seed and prints one line
``BPKIT-RESULT <nonce> <payload>``. Nothing here decides a score: the grader decodes the
payload in its own process and scores it there, so whatever a student patches in the kernel
can only change what their own function returns.
"""
import importlib
import json
import sys

MARK = "BPKIT-RESULT"

# The kernel's own stdout, saved before any student code runs.
_stdout = None


def arm():
    """Run before the student's cells: keep the kernel's stdout (figures go off screen through
    the MPLBACKEND=Agg the grader sets, without importing matplotlib here)."""
    global _stdout
    _stdout = sys.stdout


def disarm(shell, stdout):
    """Run after the student's cells: undo the hooks a notebook may have left behind."""
    global _stdout
    sys.settrace(None)
    sys.setprofile(None)
    try:
        from ipykernel.iostream import OutStream
    except ImportError:
        OutStream = None
    if stdout is not None and type(stdout) is OutStream:  # the kernel's own, not a look-alike
        sys.stdout = stdout
    _stdout = sys.stdout
    try:
        for callbacks in shell.events.callbacks.values():
            callbacks.clear()
    except Exception:
        pass


def report(user_ns, module, chapter, name, seed, nonce):
    """Run the student's function for exercise ``chapter:name`` and print the payload line."""
    try:
        exercises = importlib.import_module(module)
        if hasattr(exercises, "__path__"):
            importlib.import_module(f"{module}.{chapter}")
        exercise = exercises.get(chapter, name)
        fn = user_ns.get(exercise.function_name)
        if not callable(fn):
            text = json.dumps({"missing": exercise.function_name})
        else:
            text = exercises.to_payload(exercises.run_function(exercise, fn, seed))
    except BaseException as exc:  # noqa: BLE001 - a student's SystemExit must not stop the line
        text = json.dumps({"crash": f"{type(exc).__name__}: {exc}"[:500]})
    out = _stdout if _stdout is not None else sys.stdout
    out.write(f"{MARK} {nonce} {text}\n")
    out.flush()
