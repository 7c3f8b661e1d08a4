"""The instructors' grader: ``python -m bpkit.grade`` (console script ``bpkit-grade``).

    python -m bpkit.grade SUBMISSIONS... --out DIR [--jobs N] [--timeout-cell S]
                          [--timeout-notebook S] [--memory-mb M] [--force]

Each submitted notebook is read once and never written. The grader builds a new notebook from
its code cells, runs it in a fresh kernel in a process of its own (memory limit, timeout per
cell and per notebook, the whole process group killed at the end), and lets hidden cells run
each function exercise on the inputs of a secret seed. The kernel only *reports* what the
student's functions returned; the scores are computed here, in the grader's process, by each
exercise's ``evaluate``. Value exercises (sliders) are scored from the answers the submitted
file recorded. Output: ``DIR/scores.csv`` and, per submission, ``DIR/<name>/results.json``
(Gradescope's format) and ``DIR/<name>/feedback.md``. ``--export-gradescope DIR`` writes an
autograder bundle that runs this grader on Gradescope.

Limits: the kernel runs as the user who runs the grader, so it can read what that user can
read, and a process that a notebook detaches into a session of its own outlives the group
kill. A thread left running into the hidden cells could read their seed and nonce and print
a result line of its own (under load it sometimes won the race against the real line), so
a notebook whose threads are still alive when the hidden cells begin is marked "tampering"
and its function exercises score 0. The check runs inside the kernel (a thread counts
as the notebook's when its stack holds a frame from a notebook cell), so a notebook that
runs its thread from code of its own outside the cells, or patches ``sys`` itself, could
slip past it: that is beyond what an in-kernel check can stop. Run the grader under an account (or in a container) that
holds nothing else.
"""
import argparse
import concurrent.futures
import csv
import ctypes
import hashlib
import importlib
import io
import json
import os
import pkgutil
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MARK = "BPKIT-RESULT"
ANSWER_MIME = "application/x.bpkit-answer+json"
HIDDEN_FILE = Path(__file__).with_name("_hidden.py")
# Which package holds the exercises; tests point it at a small stand-in.
EXERCISES_MODULE = os.environ.get("BPKIT_EXERCISES", "bpkit.exercises")

MAX_FILE_BYTES = 100 * 2**20     # a larger "notebook" is refused unread
MAX_HIDDEN_TEXT = 8 * 2**20      # what one hidden cell may print before it is cut
MAX_ERROR_TEXT = 300             # a student cell's error, as shown in the feedback
CHAPTER_ID = re.compile(r"^ch\d\d$")
KERNEL_NAME = "bpkit-grader"


# --------------------------------------------------------------------------------------------
# The exercises, as the grader's process sees them (trusted)

def exercises_module():
    return importlib.import_module(EXERCISES_MODULE)


def chapter_exercises(chapter):
    """The ``{name: Exercise}`` of a chapter, or None if no such chapter exists."""
    if not isinstance(chapter, str) or not CHAPTER_ID.match(chapter):
        return None
    module = exercises_module()
    if chapter not in module.REGISTRY and hasattr(module, "__path__"):
        try:
            importlib.import_module(f"{EXERCISES_MODULE}.{chapter}")
        except ImportError:
            return None
    return module.REGISTRY.get(chapter) or None


def all_chapters():
    module = exercises_module()
    if hasattr(module, "__path__"):
        for info in pkgutil.iter_modules(module.__path__):
            if CHAPTER_ID.match(info.name):
                importlib.import_module(f"{EXERCISES_MODULE}.{info.name}")
    return module.REGISTRY


# --------------------------------------------------------------------------------------------
# Reading a submission (never writing it)

class NotGradable(Exception):
    """The file cannot be graded; the message says why, in words a student understands."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def read_submission(path):
    """The bytes of ``path``, read once, and their sha256."""
    with open(path, "rb") as f:
        data = f.read(MAX_FILE_BYTES + 1)
    return data, hashlib.sha256(data).hexdigest()


def parse_notebook(data):
    """The notebook in ``data`` as a dict, or NotGradable with a clear reason."""
    import nbformat

    if not data.strip():
        raise NotGradable("not a notebook", "The file is empty: it holds no notebook.")
    if len(data) > MAX_FILE_BYTES:
        raise NotGradable("not a notebook", "The file is larger than 100 MB; it was not read.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotGradable("not a notebook", "The file is not text (it looks binary), so it is "
                          "not a Jupyter notebook.") from None
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError) as exc:
        where = f" (line {exc.lineno})" if hasattr(exc, "lineno") else ""
        raise NotGradable("not a notebook", "The file is not a Jupyter notebook: it is not "
                          f"valid JSON{where}. Was it renamed from another kind of file, or "
                          "edited by hand?") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells", raw.get("worksheets")),
                                                   list):
        raise NotGradable("not a notebook", "The file is JSON but not a Jupyter notebook "
                          "(it has no list of cells).")
    version = raw.get("nbformat")
    if version != 4:
        raise NotGradable("not a notebook", f"The notebook is in format version {version}; "
                          "the grader reads version 4. Open it in a current Jupyter and save "
                          "it again.")
    try:
        return nbformat.from_dict(raw)
    except Exception as exc:  # noqa: BLE001 - any malformed structure is the student's file
        raise NotGradable("not a notebook", f"The notebook's structure is broken: {exc}"[:300]) \
            from None


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _answer_name(cell):
    meta = cell.get("metadata", {})
    bp = meta.get("bpkit", {}) if isinstance(meta, dict) else {}
    return bp.get("answer") if isinstance(bp, dict) else None


def find_chapter(nb):
    """The chapter id of a notebook: its metadata, else the chapter its answer cells match."""
    meta = nb.get("metadata", {})
    bp = meta.get("bpkit", {}) if isinstance(meta, dict) else {}
    chapter = bp.get("chapter") if isinstance(bp, dict) else None
    if chapter_exercises(chapter):
        return chapter
    answers = {_answer_name(c) for c in nb.get("cells", []) if isinstance(c, dict)} - {None}
    if answers:
        matches = {ch: len(answers & set(exs)) for ch, exs in all_chapters().items()}
        best = max(matches.values(), default=0)
        found = [ch for ch, n in matches.items() if n == best]
        if best and len(found) == 1:
            return found[0]
    raise NotGradable("no chapter", "The notebook does not say which chapter's exercises it "
                      "holds (notebook metadata bpkit.chapter), and its answer cells match no "
                      "chapter. Start from the exercise notebook of the chapter.")


def recorded_value(nb, chapter, name):
    """The last answer a value exercise recorded in the submitted file's outputs, or None."""
    value = None
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data", {}) if isinstance(output, dict) else {}
            record = data.get(ANSWER_MIME) if isinstance(data, dict) else None
            if isinstance(record, str):
                try:
                    record = json.loads(record)
                except ValueError:
                    continue
            if (isinstance(record, dict) and record.get("chapter") == chapter
                    and record.get("exercise") == name):
                value = record.get("value")
    return value


# --------------------------------------------------------------------------------------------
# The notebook the kernel runs

def build_run(nb, chapter, exercises, seed, nonce):
    """Cells to run: arm, the student's code cells, disarm, one report per function exercise.

    Returns ``(cells, hidden, origin)``: ``hidden`` maps a report cell's index to its exercise
    name, ``origin`` maps a student cell's index to its number in the submitted notebook.
    """
    cells = ["import bpkit._hidden\nbpkit._hidden.arm()"]
    origin = {}
    for number, cell in enumerate(nb.get("cells", []), start=1):
        if cell.get("cell_type") == "code":
            origin[len(cells)] = number
            cells.append(_source(cell))
    cells.append(
        "import sys, importlib.util as _bpkit_iu\n"
        f"_bpkit_spec = _bpkit_iu.spec_from_file_location('_bpkit_grader', {str(HIDDEN_FILE)!r})\n"
        "_bpkit_grader = _bpkit_iu.module_from_spec(_bpkit_spec)\n"
        "_bpkit_spec.loader.exec_module(_bpkit_grader)\n"
        "_bpkit_grader.disarm(get_ipython(), "
        "getattr(sys.modules.get('bpkit._hidden'), '_stdout', None), "
        "getattr(sys.modules.get('bpkit._hidden'), '_threads', None))"
    )
    hidden = {}
    for name, exercise in exercises.items():
        if exercise.kind == "function":
            hidden[len(cells)] = name
            cells.append(f"_bpkit_grader.report(globals(), {EXERCISES_MODULE!r}, {chapter!r}, "
                         f"{name!r}, {seed!r}, {nonce!r})")
    return cells, hidden, origin


# --------------------------------------------------------------------------------------------
# The worker: one process per submission, which owns the kernel

def _not_dumpable():
    """Keep other processes of the same user (the student's kernel) out of our memory."""
    try:
        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except Exception:  # noqa: BLE001 - not Linux: nothing to do
        pass


def _worker():
    """Run the task read from stdin; print one JSON line per event on stdout."""
    started = time.monotonic()
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    task = json.loads(sys.stdin.read())
    out = sys.stdout

    def emit(**event):
        event["t"] = round(time.monotonic() - started, 3)
        out.write(json.dumps(event) + "\n")
        out.flush()

    _not_dumpable()
    limit = task["memory_mb"] * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (512 * 2**20, 512 * 2**20))

    hidden = {int(k): v for k, v in task["hidden"].items()}
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in task["cells"]]

    class GradingClient(NotebookClient):
        # Student cells' outputs are dropped as they arrive (megabytes of prints cost nothing
        # but time); only the text the hidden cells print is kept, up to a cap.
        def process_message(self, msg, cell, cell_index):
            kind = msg["msg_type"]
            if kind in ("status", "execute_input"):
                return super().process_message(msg, cell, cell_index)
            if kind == "stream" and cell_index in hidden:
                kept = texts.setdefault(cell_index, [])
                room = MAX_HIDDEN_TEXT - sum(map(len, kept))
                if room > 0:
                    kept.append(str(msg["content"].get("text", ""))[:room])
            return None

        async def async_start_new_kernel(self, **kwargs):
            await super().async_start_new_kernel(**kwargs)
            provisioner = getattr(self.km, "provisioner", None)
            pid = getattr(provisioner, "pid", None)
            emit(event="kernel", pid=pid, start=_start_time(pid))

    texts = {}

    def on_cell_executed(cell, cell_index, execute_reply):
        content = (execute_reply or {}).get("content", {})
        error = None
        if content.get("status") == "error":
            error = f"{content.get('ename', 'Error')}: {content.get('evalue', '')}"
            error = error[:MAX_ERROR_TEXT]
        if cell_index == 0:
            emit(event="ready")  # the kernel has started and run the first (tiny) cell
        if cell_index in hidden or error:
            emit(event="cell", index=cell_index, error=error,
                 stdout="".join(texts.pop(cell_index, [])))

    from traitlets.config import Config

    # IPC sockets in the submission's own folder: no TCP ports to race for between parallel
    # kernels, and nothing for other local users to connect to.
    config = Config({"KernelManager": {"transport": "ipc"}})
    client = GradingClient(
        nb, config=config, timeout=task["timeout_cell"], startup_timeout=60,
        kernel_name=KERNEL_NAME, allow_errors=True, interrupt_on_timeout=True,
        shutdown_kernel="immediate",
        error_on_timeout={"ename": "Timeout", "evalue": f"the cell ran longer than "
                          f"{task['timeout_cell']:g} s and was interrupted", "traceback": []},
        resources={"metadata": {"path": task["cwd"]}}, on_cell_executed=on_cell_executed,
        record_timing=False,
    )
    try:
        client.execute(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       stdin=subprocess.DEVNULL)
    except DeadKernelError:
        emit(event="end", status="kernel died")
        return
    except BaseException as exc:  # noqa: BLE001 - report, whatever it is
        emit(event="end", status="grader error", message=f"{type(exc).__name__}: {exc}"[:500])
        return
    emit(event="end", status="ok")


# --------------------------------------------------------------------------------------------
# Grading one submission (in a thread of the grader's process)

def _start_time(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def _kill_group(pgid, start=None):
    """SIGKILL a process group we started, unless its leader's pid now names another process."""
    if not pgid:
        return
    if start is not None:
        now = _start_time(pgid)
        if now is not None and now != start:
            return
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _worker_env():
    env = dict(os.environ)
    env.update({"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                "MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
                "BPKIT_EXERCISES": EXERCISES_MODULE})
    env.pop("JPY_PARENT_PID", None)
    return env


# The worker loads this file alone: importing the bpkit package (numpy and all) would only
# slow down every submission's start.
WORKER_BOOT = ("import importlib.util, sys\n"
               "spec = importlib.util.spec_from_file_location('bpkit_grade_worker', sys.argv[1])\n"
               "module = importlib.util.module_from_spec(spec)\n"
               "spec.loader.exec_module(module)\n"
               "module._worker()\n")


def run_kernel(cells, hidden, options):
    """Run ``cells`` in a worker process; return its events and whether time ran out."""
    workdir = tempfile.mkdtemp(prefix="bpkit-grade-")
    env = _worker_env()
    env["JUPYTER_RUNTIME_DIR"] = os.path.join(workdir, ".runtime")
    # A kernel spec of our own, so that the kernel is this Python (with bpkit), whatever
    # "python3" kernels the machine has installed.
    spec = Path(workdir, ".jupyter", "kernels", KERNEL_NAME)
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "bpkit grader", "language": "python"}))
    env["JUPYTER_PATH"] = os.pathsep.join(
        [str(spec.parent.parent)] + ([env["JUPYTER_PATH"]] if env.get("JUPYTER_PATH") else []))
    task = {"cells": cells, "hidden": {str(k): v for k, v in hidden.items()},
            "timeout_cell": options.timeout_cell, "memory_mb": options.memory_mb,
            "cwd": workdir}
    proc = subprocess.Popen(
        [sys.executable, "-c", WORKER_BOOT, __file__], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=workdir, env=env,
        start_new_session=True)
    timed_out = False
    try:
        stdout, _ = proc.communicate(json.dumps(task).encode(), timeout=options.timeout_notebook)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_group(proc.pid)
        stdout, _ = proc.communicate()
    events = []
    for line in stdout.decode("utf-8", "replace").splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            continue
    # The kernel leads its own process group: end it and anything the notebook spawned.
    for event in events:
        if event.get("event") == "kernel" and isinstance(event.get("pid"), int):
            _kill_group(event["pid"], event.get("start"))
    shutil.rmtree(workdir, ignore_errors=True)
    return events, timed_out


def _test(exercise, score, message):
    score = float(score) if isinstance(score, (int, float)) else 0.0
    score = min(max(score, 0.0), float(exercise.points))
    return {"name": f"{exercise.chapter}:{exercise.name}", "title": exercise.title,
            "score": score, "max_score": float(exercise.points), "output": message}


def _evaluate(exercise, received, seed):
    try:
        result = exercise.evaluate(received, seed)
        return _test(exercise, result.score, str(result.message))
    except Exception as exc:  # noqa: BLE001 - the received values come from the student
        return _test(exercise, 0, f"The grader could not score what your code returned "
                     f"({type(exc).__name__}: {exc})."[:MAX_ERROR_TEXT * 2])


def _score_report(exercise, event, nonce, seed, options):
    text = event.get("stdout") or ""
    prefix = f"{MARK} {nonce} "
    lines = [line[len(prefix):] for line in text.splitlines() if line.startswith(prefix)]
    slow = (f"`{exercise.function_name}` did not finish within {options.timeout_cell:g} s "
            "(is there a loop that never ends?).")
    if not lines and str(event.get("error") or "").startswith(("Timeout", "KeyboardInterrupt")):
        return _test(exercise, 0, slow)
    if len(lines) != 1:
        why = ("it printed no result" if not lines else
               "more than one result line appeared: something in the notebook imitates the "
               "grader's output")
        return _test(exercise, 0, f"The hidden test of {exercise.name} did not run to the end "
                     f"({why}).")
    try:
        raw = json.loads(lines[0])
    except ValueError:
        return _test(exercise, 0, f"The result of {exercise.name} was cut or garbled (did the "
                     "function return something enormous?).")
    if isinstance(raw, dict) and "missing" in raw:
        return _test(exercise, 0, f"The notebook does not define a function named "
                     f"`{exercise.function_name}`.")
    if isinstance(raw, dict) and str(raw.get("crash")).startswith("KeyboardInterrupt"):
        return _test(exercise, 0, slow)
    if isinstance(raw, dict) and "crash" in raw:
        return _test(exercise, 0, f"The hidden test of {exercise.name} stopped: "
                     f"{str(raw['crash'])[:MAX_ERROR_TEXT]}")
    try:
        outcomes = exercises_module().from_payload(lines[0])
    except Exception as exc:  # noqa: BLE001 - untrusted text
        return _test(exercise, 0, f"The result of {exercise.name} could not be read ({exc}).")
    return _evaluate(exercise, outcomes, seed)


# Code that names the grader's kernel-side helper or its result marker (a variable such as
# ``n_hidden`` is fine).
TAMPER = re.compile(r"\bbpkit\s*\.\s*(_hidden|grade)\b|\bfrom\s+bpkit\s+import\s[^\n]*"
                    r"\b(_hidden|grade)\b|_bpkit_grader|" + MARK)


def grade_notebook(nb, options):
    """Grade a parsed notebook: ``(chapter, status, message, tests, timings)``."""
    chapter = find_chapter(nb)
    exercises = chapter_exercises(chapter)
    seed = secrets.randbelow(2**31 - 2) + 1   # never 0: the notebook's own checks use 0
    nonce = secrets.token_hex(16)
    tests, timings = {}, {}
    status, message = "graded", ""

    for name, exercise in exercises.items():
        if exercise.kind != "function":
            tests[name] = _evaluate(exercise, recorded_value(nb, chapter, name), seed)

    functions = [name for name, ex in exercises.items() if ex.kind == "function"]
    student_code = "\n".join(_source(c) for c in nb.get("cells", [])
                             if c.get("cell_type") == "code")
    if functions and TAMPER.search(student_code):
        status = "tampering"
        message = ("The notebook's code reaches into the grader (it names the grader's hidden "
                   "helper or its result marker), so it was not run.")
        for name in functions:
            tests[name] = _test(exercises[name], 0, message)
    elif functions:
        cells, hidden, origin = build_run(nb, chapter, exercises, seed, nonce)
        for attempt in range(2):
            events, timed_out = run_kernel(cells, hidden, options)
            reports, notes, end, threads_left = {}, [], None, None
            disarm_index = len(origin) + 1  # the cell right after the student's cells
            for event in events:
                if event.get("event") == "cell" and event.get("index") == disarm_index:
                    error = event.get("error") or ""
                    threads_left = error if "threads started by the notebook" in error else None
                elif event.get("event") == "cell" and event.get("index") in hidden:
                    reports[hidden[event["index"]]] = event
                elif event.get("event") == "cell" and event.get("index") in origin:
                    notes.append(f"cell {origin[event['index']]}: {event.get('error')}")
                elif event.get("event") == "end":
                    end = event
                elif event.get("event") == "ready":
                    timings["kernel_ready_seconds"] = event.get("t")
                if event.get("event") == "end":
                    timings["worker_seconds"] = event.get("t")
            # A kernel that failed to start is the machine's fault: try once more.
            if reports or timed_out or end is None or end.get("status") != "grader error":
                break
        for name in functions:
            exercise = exercises[name]
            if name in reports:
                tests[name] = _score_report(exercise, reports[name], nonce, seed, options)
            elif timed_out:
                tests[name] = _test(exercise, 0, "Not graded: the notebook ran longer than "
                                    f"{options.timeout_notebook:g} s and was stopped.")
            else:
                tests[name] = _test(exercise, 0, "Not graded: the notebook's kernel stopped "
                                    "before this test ran (a cell may exit Python or use "
                                    "too much memory).")
        if threads_left and not timed_out:
            status = "tampering"
            message = ("A thread the notebook started was still running when the hidden tests "
                       "began, so their results cannot be trusted; end every thread you start "
                       f"before the notebook finishes. ({threads_left})")
            for name in functions:
                tests[name] = _test(exercises[name], 0, message)
        elif timed_out:
            status = "timeout"
            message = (f"The notebook ran longer than {options.timeout_notebook:g} s and was "
                       "stopped; exercises without a result score 0.")
        elif end is None or end.get("status") == "kernel died":
            status = "kernel died"
            message = ("The notebook's kernel stopped while it ran (a cell may exit Python or "
                       "use too much memory); exercises without a result score 0.")
        elif end.get("status") != "ok":
            status = "grader error"
            message = f"The grader could not run the notebook: {end.get('message', '')}"
        if notes:
            message = (message + "\n" if message else "") + "Cells that raised an error:\n" + \
                "\n".join(f"- {note}" for note in notes[:20])
    ordered = [tests[name] for name in exercises]
    return chapter, status, message, ordered, timings


def grade_file(path, options):
    """Grade the file at ``path``: a dict with everything the reports need."""
    record = {"path": str(path), "chapter": "", "status": "", "message": "", "tests": [],
              "timings": {}}
    started = time.monotonic()
    try:
        data, _ = read_submission(path)
        nb = parse_notebook(data)
        chapter, status, message, tests, timings = grade_notebook(nb, options)
        record.update(chapter=chapter, status=status, message=message, tests=tests,
                      timings=timings)
    except NotGradable as exc:
        record.update(status=exc.status, message=exc.message)
    except OSError as exc:
        record.update(status="unreadable", message=f"The file could not be read: "
                      f"{exc.strerror or exc}.")
    except Exception as exc:  # noqa: BLE001 - one submission never stops the batch
        record.update(status="grader error", message=f"{type(exc).__name__}: {exc}"[:500])
    record["seconds"] = round(time.monotonic() - started, 3)
    record["score"] = round(sum(t["score"] for t in record["tests"]), 6)
    record["max_score"] = round(sum(t["max_score"] for t in record["tests"]), 6)
    return record


# --------------------------------------------------------------------------------------------
# Reports

def gradescope_results(record):
    """The Gradescope ``results.json`` of one graded submission."""
    summary = f"{record['score']:g} / {record['max_score']:g} points. Status: {record['status']}."
    if record["message"]:
        summary += "\n" + record["message"]
    return {
        "score": record["score"],
        "execution_time": record["seconds"],
        "output": summary,
        "extra_data": {"status": record["status"], **record["timings"]},
        "visibility": "visible",
        "tests": [{"name": f"{t['name']} {t['title']}", "number": str(i), "score": t["score"],
                   "max_score": t["max_score"], "output": t["output"], "visibility": "visible"}
                  for i, t in enumerate(record["tests"], start=1)],
    }


def feedback_markdown(record):
    lines = [f"# Feedback on {Path(record['path']).name}", ""]
    if record["chapter"]:
        lines.append(f"Chapter: {record['chapter']}  ")
    lines += [f"Score: **{record['score']:g} / {record['max_score']:g}**  ",
              f"Status: {record['status']}", ""]
    if record["message"]:
        lines += [record["message"], ""]
    for t in record["tests"]:
        lines += [f"## {t['name']} {t['title']}: {t['score']:g} / {t['max_score']:g}", "",
                  "```text", t["output"].replace("```", "'''"), "```", ""]
    return "\n".join(lines)


def unique_stems(paths):
    """A distinct, file-system-safe name per submission, for its results folder."""
    names, taken = [], set()
    for path in paths:
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", path.stem).strip("._") or "submission"
        name = base
        if name in taken:
            parent = re.sub(r"[^A-Za-z0-9._-]+", "_", path.parent.name).strip("._")
            name = f"{parent}-{base}" if parent else base
        n = 2
        candidate = name
        while candidate in taken:
            candidate = f"{name}-{n}"
            n += 1
        taken.add(candidate)
        names.append(candidate)
    return names


def collect(paths):
    """The submission files named by ``paths`` (files, or folders searched for .ipynb)."""
    found = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise SystemExit(f"bpkit-grade: {given}: no such file or folder")
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*.ipynb")
                            if p.is_file() and ".ipynb_checkpoints" not in p.parts)
            if not inside:
                raise SystemExit(f"bpkit-grade: {given}: the folder holds no .ipynb file")
            found += inside
        else:
            found.append(path)
    unique, seen = [], set()
    for path in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def check_output_dir(out, submissions, stems, force):
    """Refuse an output folder that would overwrite results or sit next to the submissions."""
    out = out.resolve()
    for path in submissions:
        if path.resolve().parent == out:
            raise SystemExit(f"bpkit-grade: --out {out} holds submissions; choose another "
                             "folder (the grader never writes next to the submissions)")
    if out.exists() and not out.is_dir():
        raise SystemExit(f"bpkit-grade: --out {out} exists and is not a folder")
    existing = [out / "scores.csv"] + [out / stem for stem in stems]
    clashes = [p for p in existing if p.exists()]
    if clashes and not force:
        raise SystemExit(f"bpkit-grade: {clashes[0]} already exists; use --force to replace "
                         "earlier results (files the grader did not write are kept)")
    for stem in stems:
        folder = out / stem
        if folder.exists() and not folder.is_dir():
            raise SystemExit(f"bpkit-grade: {folder} exists and is not a folder")
    ours = written_before(out)
    for path in [out / "scores.csv"] + [out / s / f for s in stems for f in RECORD_FILES]:
        if path.exists() and ours.get(path.relative_to(out).as_posix()) != _sha256(path):
            raise SystemExit(f"bpkit-grade: {path} exists and the grader did not write it "
                             "(or it was edited since); it is not replaced")


RECORD_FILES = ("results.json", "feedback.md")
MANIFEST = ".bpkit-grade-files.json"


def _sha256(path):
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def written_before(out):
    """``{path relative to out: sha256}`` of the files earlier runs of the grader wrote."""
    try:
        ours = json.loads((out / MANIFEST).read_text())
        return ours if isinstance(ours, dict) else {}
    except (OSError, ValueError):
        return {}


def write_owned(out, relative, text):
    """Write a result file and remember its checksum, so a later --force may replace it."""
    path = out / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    ours = written_before(out)
    ours[Path(relative).as_posix()] = _sha256(path)
    (out / MANIFEST).write_text(json.dumps(ours, indent=1, sort_keys=True))


def write_scores(out, records):
    columns = []
    for chapter in sorted({r["chapter"] for r in records if r["chapter"]}):
        columns += [f"{chapter}:{name}" for name in chapter_exercises(chapter)]
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["submission", "chapter"] + columns + ["total", "max", "status"])
    for r in records:
        by_name = {t["name"]: t["score"] for t in r["tests"]}
        writer.writerow([r["path"], r["chapter"]]
                        + [f"{by_name[c]:g}" if c in by_name else "" for c in columns]
                        + [f"{r['score']:g}", f"{r['max_score']:g}", r["status"]])
    write_owned(out, "scores.csv", table.getvalue())


def write_record(out, stem, record):
    write_owned(out, f"{stem}/results.json", json.dumps(gradescope_results(record), indent=2))
    write_owned(out, f"{stem}/feedback.md", feedback_markdown(record))


def print_summary(records, stems, seconds, stream=sys.stdout):
    width = max([len(s) for s in stems] + [10])
    print(f"{'submission':<{width}}  {'chapter':<7}  {'score':>11}  status", file=stream)
    for stem, r in zip(stems, records):
        score = f"{r['score']:g}/{r['max_score']:g}"
        print(f"{stem:<{width}}  {r['chapter'] or '-':<7}  {score:>11}  {r['status']}",
              file=stream)
    print(f"{len(records)} submission(s) graded in {seconds:.1f} s", file=stream)


# --------------------------------------------------------------------------------------------
# Command line

# --------------------------------------------------------------------------------------------
# Gradescope: an autograder bundle that runs this grader on one submission

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder image.
set -euo pipefail
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv python3-pip
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install -q -r /autograder/source/requirements.txt
/autograder/venv/bin/pip install -q /autograder/source/bpkit-src
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission; it writes /autograder/results/results.json.
set -u
PY=/autograder/venv/bin/python
rm -rf /tmp/bpkit-graded
"$PY" -m bpkit.grade /autograder/submission --out /tmp/bpkit-graded --jobs 1 \\
    --timeout-cell 60 --timeout-notebook 600 --memory-mb 3072
"$PY" -m bpkit.grade --collect-gradescope /tmp/bpkit-graded /autograder/results/results.json
"""

BUNDLE_REQUIREMENTS = ["numpy", "scipy", "matplotlib", "ipywidgets", "scikit-learn",
                       "nbclient", "nbformat", "ipykernel", "threadpoolctl"]


def export_gradescope(dest):
    """Write a Gradescope autograder bundle into the new folder ``dest`` and zip it."""
    import zipfile

    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise SystemExit(f"bpkit-grade: {dest} is not empty; choose a new folder")
    root = Path(__file__).resolve().parents[1]
    pinned = {}
    requirements = root / "requirements.txt"
    if requirements.exists():
        for line in requirements.read_text().splitlines():
            name = re.split(r"[=<>!~ ]", line.strip(), maxsplit=1)[0]
            if name in BUNDLE_REQUIREMENTS:
                pinned[name] = line.strip()
    files = {
        "setup.sh": SETUP_SH,
        "run_autograder": RUN_AUTOGRADER,
        "requirements.txt": "\n".join(pinned.get(n, n) for n in BUNDLE_REQUIREMENTS) + "\n",
    }
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        files[f"bpkit-src/bpkit/{path.relative_to(package).as_posix()}"] = path.read_text()
    for name in ("pyproject.toml", "README.md"):
        if (root / name).exists():
            files[f"bpkit-src/{name}"] = (root / name).read_text()
    dest.mkdir(parents=True, exist_ok=True)
    archive = dest / "autograder.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            path = dest / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            if name in ("setup.sh", "run_autograder"):
                path.chmod(0o755)
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if path.stat().st_mode & 0o100 else 0o644) << 16
            zf.writestr(info, text, zipfile.ZIP_DEFLATED)
    print(f"wrote {len(files)} files and {archive} (upload the zip as the autograder)")
    return archive


def collect_gradescope(graded, target):
    """Merge the results of the notebooks of one Gradescope submission into ``target``."""
    graded, target = Path(graded), Path(target)
    parts = sorted(graded.glob("*/results.json")) if graded.is_dir() else []
    if not parts:
        merged = {"score": 0, "output": "No Jupyter notebook (.ipynb) was found in the "
                  "submission: upload your exercise notebook.", "tests": []}
    else:
        results = [json.loads(p.read_text()) for p in parts]
        merged = {"score": sum(r["score"] for r in results),
                  "output": "\n\n".join(f"{p.parent.name}: {r['output']}"
                                        for p, r in zip(parts, results)),
                  "visibility": "visible",
                  "tests": [t for r in results for t in r["tests"]]}
        for number, test in enumerate(merged["tests"], start=1):
            test["number"] = str(number)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(merged, indent=2))
    return merged


# --------------------------------------------------------------------------------------------
# Command line

def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="bpkit-grade", description="Grade bpkit exercise notebooks.")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="submitted notebooks, or folders searched for .ipynb files")
    parser.add_argument("--out", required=True, type=Path,
                        help="folder for scores.csv and one results folder per submission")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="submissions graded at the same time (default: number of cores)")
    parser.add_argument("--timeout-cell", type=float, default=60.0, metavar="S",
                        help="seconds a cell may run before it is interrupted (default 60)")
    parser.add_argument("--timeout-notebook", type=float, default=300.0, metavar="S",
                        help="seconds a whole notebook may take, kernel start included "
                        "(default 300)")
    parser.add_argument("--memory-mb", type=int, default=2048, metavar="M",
                        help="address-space limit of each notebook's processes (default 2048)")
    parser.add_argument("--force", action="store_true",
                        help="replace results an earlier run wrote into --out")
    parser.epilog = ("python -m bpkit.grade --export-gradescope DIR writes an autograder "
                     "bundle for Gradescope (DIR/autograder.zip).")
    args = parser.parse_args(argv)
    if args.jobs < 1 or args.timeout_cell <= 0 or args.timeout_notebook <= 0 \
            or args.memory_mb < 256:
        parser.error("--jobs must be >= 1, timeouts > 0 and --memory-mb >= 256")
    return args


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if len(argv) == 3 and argv[0] == "--collect-gradescope":
        collect_gradescope(argv[1], argv[2])
        return 0
    if len(argv) == 2 and argv[0] == "--export-gradescope":
        try:
            export_gradescope(argv[1])
        except SystemExit as exc:
            print(exc, file=sys.stderr)
            return 2
        return 0
    args = parse_args(argv)
    try:
        submissions = collect(args.paths)
        stems = unique_stems(submissions)
        check_output_dir(args.out, submissions, stems, args.force)
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 2
    _not_dumpable()
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    records = [None] * len(submissions)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(grade_file, path, args): i for i, path in enumerate(submissions)}
        for future in concurrent.futures.as_completed(futures):
            i = futures[future]
            records[i] = future.result()
            write_record(args.out, stems[i], records[i])
    write_scores(args.out, records)
    print_summary(records, stems, time.monotonic() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
