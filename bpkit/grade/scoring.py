"""Scoring, in the grader's process: inputs drawn here, outcomes scored here.

For each function exercise the grader draws the inputs of a secret seed with the chapter
module's ``make_inputs``, sends them to the sandboxed kernel as data (``payload``), and
scores what came back with the exercise's ``evaluate`` against its reference, both of which
run only here. The kernel's word is taken for one thing alone, what the student's function
returned; a notebook that forges it gains nothing it could not get by returning it. Value
exercises (sliders) are scored from the answers recorded in the submitted file.
"""
import importlib
import pkgutil
import re
import secrets
import time
import types

from ..exercises.model import apply_requirements
from ..exercises.payload import from_payload, inputs_to_payload
from ..exercises.protocol import ANSWER_MIME, RESULT_MIME
from .submissions import (NotGradable, answer_name, code_cells, parse_notebook, printable,
                          recorded_value)

CHAPTER_ID = re.compile(r"^ch\d\d$")
MAX_ERROR_TEXT = 300             # a student cell's error, as shown in the feedback
# A cell that used a notebook helper of the exercises (absent while grading): not the
# student's error, so not reported.
HELPER_UNAVAILABLE = "ExerciseHelperUnavailable"


class Exercises:
    """The exercises, as the grader's process sees them (trusted)."""

    def __init__(self, module_name):
        self.module_name = module_name
        self.module = importlib.import_module(module_name)

    def chapter(self, chapter):
        """The ``{name: Exercise}`` of a chapter, or None if no such chapter exists."""
        if not isinstance(chapter, str) or not CHAPTER_ID.match(chapter):
            return None
        registry = self.module.REGISTRY
        if chapter not in registry and hasattr(self.module, "__path__"):
            try:
                importlib.import_module(f"{self.module_name}.{chapter}")
            except ImportError:
                return None
        return registry.get(chapter) or None

    def chapters(self):
        if hasattr(self.module, "__path__"):
            for info in pkgutil.iter_modules(self.module.__path__):
                if CHAPTER_ID.match(info.name):
                    importlib.import_module(f"{self.module_name}.{info.name}")
        return self.module.REGISTRY

    def find_chapter(self, nb):
        """The chapter of a notebook: its metadata, else the chapter its answer cells match."""
        meta = nb.get("metadata", {})
        bp = meta.get("bpkit", {}) if isinstance(meta, dict) else {}
        chapter = bp.get("chapter") if isinstance(bp, dict) else None
        if self.chapter(chapter):
            return chapter
        answers = {a for a in map(answer_name, nb.get("cells", [])) if isinstance(a, str)}
        if answers:
            matches = {ch: len(answers & set(exs)) for ch, exs in self.chapters().items()}
            best = max(matches.values(), default=0)
            found = [ch for ch, n in matches.items() if n == best]
            if best and len(found) == 1:
                return found[0]
        raise NotGradable("no chapter", "The notebook does not say which chapter's exercises "
                          "it holds (notebook metadata bpkit.chapter), and its answer cells "
                          "match no chapter. Start from the exercise notebook of the chapter.")


def _name(obj):
    """``"module:qualname"`` of a bpkit object, for the kernel to find it again."""
    if isinstance(obj, types.ModuleType):
        return f"{obj.__name__}:"
    return f"{getattr(obj, '__module__', '')}:{getattr(obj, '__qualname__', '')}"


def exercise_task(exercise, seed):
    """What the kernel needs to run a function exercise: the inputs and the guard's data."""
    allowed = exercise.allowed if getattr(exercise, "allowed", ()) == "all" else \
        [_name(a) for a in getattr(exercise, "allowed", ())]
    return {"function_name": exercise.function_name,
            "inputs": inputs_to_payload(exercise.inputs(seed)),
            "forbidden": [_name(f) for f in getattr(exercise, "forbidden", ())],
            "allowed": allowed,
            "watch": [[_name(owner), attr] for owner, attr in getattr(exercise, "watch", ())],
            "refuse_names": dict(getattr(exercise, "refuse_names", {}) or {})}


HIDDEN_CELL = ("import importlib.util as _bpkit_u\n"
               "_bpkit_s = _bpkit_u.spec_from_file_location('_bpkit_kernel_side', "
               "{kernel_side!r})\n"
               "_bpkit_m = _bpkit_u.module_from_spec(_bpkit_s)\n"
               "_bpkit_s.loader.exec_module(_bpkit_m)\n"
               "_bpkit_m.report(globals(), {name!r}, {task_file!r})")


def test_entry(exercise, score, message):
    score = float(score) if isinstance(score, (int, float)) else 0.0
    score = min(max(score, 0.0), float(exercise.points))
    return {"name": f"{exercise.chapter}:{exercise.name}", "title": exercise.title,
            "score": score, "max_score": float(exercise.points), "output": printable(message)}


def _evaluate(exercise, received, seed, changed=()):
    try:
        result = exercise.evaluate(received, seed)
        result = apply_requirements(exercise, result, received, changed)
        return test_entry(exercise, result.score, str(result.message))
    except Exception as exc:  # noqa: BLE001 - the received values come from the student
        return test_entry(exercise, 0, f"The grader could not score what your code returned "
                          f"({type(exc).__name__}: {exc})."[:MAX_ERROR_TEXT * 2])


def _encoded(exercise, outcomes):
    """Apply the exercise's ``encode`` here, in the trusted process, as the reference's is."""
    encode = getattr(exercise, "encode", None)
    if not encode:
        return outcomes
    out = []
    for o in outcomes:
        if "ok" in o:
            try:
                o = {"ok": encode(o["ok"])}
            except Exception as exc:  # noqa: BLE001
                o = {"error": f"{type(exc).__name__}: {exc}"[:400]}
        out.append(o)
    return out


def score_result(exercise, event, seed, options):
    """The test entry of one function exercise from its hidden cell's event."""
    slow = (f"`{exercise.function_name}` did not finish within {options.timeout_cell:g} s "
            "(is there a loop that never ends?).")
    raw = event.get("result")
    error = str(event.get("error") or "")
    if raw is None and error.startswith(("Timeout", "KeyboardInterrupt")):
        return test_entry(exercise, 0, slow)
    if not isinstance(raw, dict):
        return test_entry(exercise, 0, f"The hidden test of {exercise.name} did not run to "
                          "the end (it published no result).")
    if "missing" in raw:
        return test_entry(exercise, 0, f"The notebook does not define a function named "
                          f"`{exercise.function_name}`.")
    if "too_big" in raw:
        return test_entry(exercise, 0, f"The result of {exercise.name} was too large to read "
                          "(did the function return something enormous?).")
    if str(raw.get("crash")).startswith(("KeyboardInterrupt", "CellTimeout")):  # worker.py
        return test_entry(exercise, 0, slow)
    if "crash" in raw:
        return test_entry(exercise, 0, f"The hidden test of {exercise.name} stopped: "
                          f"{str(raw['crash'])[:MAX_ERROR_TEXT]}")
    try:
        outcomes = from_payload(raw["outcomes"])
        changed = [bool(c) for c in raw.get("changed", [])][:len(outcomes)]
    except Exception as exc:  # noqa: BLE001 - untrusted text
        return test_entry(exercise, 0, f"The result of {exercise.name} could not be read "
                          f"({exc}).")
    return _evaluate(exercise, _encoded(exercise, outcomes), seed, changed)


def grade_notebook(nb, exercises, runner, options):
    """Grade a parsed notebook: ``(chapter, status, message, tests, timings)``."""
    chapter = exercises.find_chapter(nb)
    chapter_exercises = exercises.chapter(chapter)
    seed = secrets.randbelow(2**31 - 2) + 1   # never 0: the notebook's own checks use 0
    tests, timings = {}, {}
    status, message = "graded", ""
    for name, exercise in chapter_exercises.items():
        if exercise.kind != "function":
            tests[name] = _evaluate(exercise, recorded_value(nb, chapter, name, ANSWER_MIME),
                                    seed)
    functions = [name for name, ex in chapter_exercises.items() if ex.kind == "function"]
    if functions:
        task = {"result_mime": RESULT_MIME, "exercises": {}}
        unsendable = {}
        for name in functions:
            try:
                task["exercises"][name] = exercise_task(chapter_exercises[name], seed)
            except Exception as exc:  # noqa: BLE001 - the chapter module's inputs, not the student
                unsendable[name] = f"{type(exc).__name__}: {exc}"[:300]
        student = code_cells(nb)
        cells = [source for _, source in student]
        origin = {i: number for i, (number, _) in enumerate(student)}
        hidden = {}
        for name in functions:
            if name in task["exercises"]:
                hidden[len(cells)] = name
                cells.append(HIDDEN_CELL.replace("{name!r}", repr(name)))
        for attempt in range(2):
            events, timed_out, seconds = runner.run(cells, hidden, task, options)
            reports, notes, end = {}, [], None
            for event in events:
                index = event.get("index")
                if event.get("event") == "cell" and index in hidden:
                    reports[hidden[index]] = event
                elif (event.get("event") == "cell" and index in origin and event.get("error")
                      and not str(event["error"]).startswith(HELPER_UNAVAILABLE)):
                    notes.append(f"cell {origin[index]}: {printable(event['error'])}")
                elif event.get("event") == "end" and end is None:
                    end = event
                elif event.get("event") == "ready" and isinstance(event.get("t"), (int, float)):
                    timings["kernel_ready_seconds"] = event["t"]
            timings["sandbox_seconds"] = round(seconds, 3)
            # A kernel that failed to start is the machine's fault: try once more.
            if reports or timed_out or end is None or end.get("status") != "grader error":
                break
        for name in functions:
            exercise = chapter_exercises[name]
            if name in unsendable:
                status = "grader error"
                tests[name] = test_entry(exercise, 0, "Not graded: the grader could not send "
                                         f"this exercise's inputs to the kernel "
                                         f"({unsendable[name]}); tell your instructor.")
            elif name in reports:
                tests[name] = score_result(exercise, reports[name], seed, options)
            elif timed_out:
                tests[name] = test_entry(exercise, 0, "Not graded: the notebook ran longer than "
                                         f"{options.timeout_notebook:g} s and was stopped.")
            else:
                tests[name] = test_entry(exercise, 0, "Not graded: the notebook's kernel "
                                         "stopped before this test ran (a cell may exit Python "
                                         "or use too much memory).")
        if timed_out:
            status = "timeout"
            message = (f"The notebook ran longer than {options.timeout_notebook:g} s and was "
                       "stopped; exercises without a result score 0.")
        elif end is None or end.get("status") == "kernel died":
            status = "kernel died"
            message = ("The notebook's kernel stopped while it ran (a cell may exit Python or "
                       "use too much memory); exercises without a result score 0.")
        elif end.get("status") != "ok" and status == "graded":
            status = "grader error"
            message = "The grader could not run the notebook: " + \
                printable(end.get("message", ""))[:300]
        if notes:
            message = (message + "\n" if message else "") + "Cells that raised an error:\n" + \
                "\n".join(f"- {note}" for note in notes[:20])
    ordered = [tests[name] for name in chapter_exercises]
    return chapter, status, message, ordered, timings


def grade_file(path, data, exercises, runner, options):
    """Grade one submission (its bytes ``data`` read before any kernel ran): a record."""
    record = {"path": printable(str(path)), "chapter": "", "status": "", "message": "",
              "tests": [], "timings": {}, "isolated": runner.isolated}
    started = time.monotonic()
    try:
        if isinstance(data, NotGradable):
            raise data
        nb = parse_notebook(data)
        chapter, status, message, tests, timings = grade_notebook(nb, exercises, runner,
                                                                  options)
        record.update(chapter=chapter, status=status, message=message, tests=tests,
                      timings=timings)
    except NotGradable as exc:
        record.update(status=exc.status, message=printable(exc.message))
    except Exception as exc:  # noqa: BLE001 - one submission never stops the batch
        record.update(status="grader error",
                      message=printable(f"{type(exc).__name__}: {exc}")[:500])
    record["seconds"] = round(time.monotonic() - started, 3)
    record["score"] = round(sum(t["score"] for t in record["tests"]), 6)
    record["max_score"] = round(sum(t["max_score"] for t in record["tests"]), 6)
    return record
