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
import threading
import time

MARK = "BPKIT-RESULT"

# The kernel's own stdout, and the threads it runs, saved before any student code runs.
_stdout = None
_threads = None


def _thread_census():
    """The idents of every Python thread alive now (``threading``'s and bare ``_thread``'s)."""
    return set(sys._current_frames())


def arm():
    """Run before the student's cells: keep the kernel's stdout (figures go off screen through
    the MPLBACKEND=Agg the grader sets, without importing matplotlib here)."""
    global _stdout, _threads
    _stdout = sys.stdout
    _threads = _thread_census()


def disarm(shell, stdout, threads=None):
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
    _refuse_running_threads(shell, threads)


def _refuse_running_threads(shell, before, grace=0.5):
    """Raise if a thread running the notebook's own code is alive when the hidden tests begin.

    Such a thread runs beside the hidden cells and shares their output stream: it could read
    the secret seed and nonce from the cell being run and print a result line of its own. A
    thread counts as the notebook's when a frame on its stack comes from a notebook cell (the
    kernel starts threads of its own, for output for example). A thread that is merely
    finishing gets ``grace`` seconds.
    """
    if before is None:
        return
    cell_files = set(getattr(getattr(shell, "compile", None), "_filename_map", {}) or {})

    def from_a_cell(frame):
        while frame is not None:
            name = frame.f_code.co_filename
            if name in cell_files or name.startswith("<ipython-input-"):
                return True
            frame = frame.f_back
        return False

    deadline = time.monotonic() + grace
    while True:
        students = [ident for ident, frame in sys._current_frames().items()
                    if ident not in before and from_a_cell(frame)]
        if not students:
            return
        if time.monotonic() > deadline:
            names = {t.ident: t.name for t in threading.enumerate()}
            raise RuntimeError("threads started by the notebook were still running when "
                               "grading began "
                               f"({', '.join(sorted(names.get(i, str(i)) for i in students))})")
        time.sleep(0.05)


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
