"""How often a realistic wrong answer is told what is wrong, measured on a catalogue.

Every entry of ``tests/feedback_catalogue`` (wrong answers written from the notebooks'
statements) is run as the notebook's answer cell would run it: its source is executed after
the notebook's first code cell, then the function goes through the instant check
(``check_answer``, seed 0, the printed text) and through the grader's scoring (the task the
grader sends, the kernel side's ``run_calls`` on those inputs, the payload back, and
``score_result`` at a grader seed). Each feedback message is classified:

* *named*: it starts with something other than the smallest failing input, i.e. a chapter
  ``Mistake``'s message, a generic diagnosis, a stated requirement, or a refusal;
* *located*: no mistake is named, but the message says which parts of the result are right
  and which are not (``model.LOCATED``), before the smallest failure;
* *unnamed*: only the smallest failure (expected / received, or the error and its hint);
* *passed*: full marks, which no entry may get.

The catalogue is split in two halves (``feedback_catalogue.split``): DEV, used to improve the
feedback, and HELD-OUT, only measured. ``pytest -s`` prints the table.
"""
import contextlib
import functools
import io
import json
import os
import re
import types
from pathlib import Path

import nbformat
import numpy as np
import pytest

import bpkit.exercises as E
from bpkit.grade.kernel_side import _refused_if_unavailable, _Spec
from bpkit.exercises.model import LOCATED
from bpkit.grade.scoring import exercise_task, score_result
from tests import feedback_catalogue as FC

ROOT = Path(__file__).resolve().parents[1]
GRADER_SEED = 4242
SCORE = re.compile(r"^(\w+): score ([0-9.]+)/([0-9.]+)$", re.M)

#: The lowest named fractions (grader path) the feedback reaches; a regression fails.
FLOOR = {"dev": 0.75, "held-out": 0.52}
#: The same, counting also the messages that locate the error (named or located).
TOLD_FLOOR = {"dev": 0.79, "held-out": 0.60}

#: Sentences of the generic diagnoses and stated requirements, by kind.
GENERIC = {
    "hardcoded": "answer of the notebook's own check",
    "m1_only": "right for a single example (m = 1)",
    "first_example": "the result of the first example only",
    "float32": "Your result is in float32",
    "transposed": "the transpose of the right one",
    "negated": "the opposite sign everywhere",
    "scaled": "Your result is the right one multiplied by",
    "scaled_by_size": "up to a factor that changes from input to input",
    "in_place": "changed its input in place",
    "changed_argument": "changes one of its arguments in place",
    "returns_list": "where the statement asks for a numpy array",
}
#: A label starting with one of these kinds, when its feedback is named, must be told (in
#: some words) that kind, and no generic diagnosis of another kind.
KIND_WORDS = {
    "hardcoded": ("hard-coded",),
    "transposed": ("transpose", "^T"),
    "negated": ("sign",),
    "m1_only": ("m = 1", "first example", "single example"),
    "in_place": ("in place",),
}
#: Diagnoses that infer what the code does (rather than how its values differ): given only
#: to entries labelled with their kind.
INFERRED = ("hardcoded", "m1_only", "in_place")


def setup_source(chapter):
    """The notebook's first code cell: the imports and helpers an answer cell can use."""
    path, = (ROOT / "exercises").glob(f"{chapter}_*.ipynb")
    nb = nbformat.read(path, as_version=4)
    return next(c.source for c in nb.cells if c.cell_type == "code")


def define(chapter, exercise, source):
    ns = {"__name__": "__main__"}
    exec(setup_source(chapter) + "\n" + source, ns)
    return ns[exercise.function_name]


def through_check(chapter, exercise, fn):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        E.check_answer(chapter, exercise.name, fn)
    text = out.getvalue()
    match = SCORE.search(text)
    assert match, text
    message = text[match.end():].lstrip("\n")
    return float(match.group(2)) >= float(match.group(3)), message


def through_grader(exercise, fn, seed=GRADER_SEED):
    task = json.loads(json.dumps(exercise_task(exercise, seed)))
    spec = _Spec(task)
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        outcomes, changed = E.run_calls(spec, fn, E.inputs_from_payload(task["inputs"]))
    outcomes = [_refused_if_unavailable(o) for o in outcomes]
    raw = {"outcomes": E.to_payload(outcomes), "changed": [bool(c) for c in changed]}
    entry = score_result(exercise, {"result": raw}, seed, types.SimpleNamespace(timeout_cell=30))
    return entry["score"] >= entry["max_score"], entry["output"]


UNNAMED_STARTS = ("On the smallest input", "Accuracy on ", "Your `train` raised an error")


def classify(full_marks, message):
    if full_marks:
        return "passed"
    if message.lstrip().startswith(LOCATED):
        return "located"
    return "unnamed" if message.lstrip().startswith(UNNAMED_STARTS) else "named"


@functools.lru_cache(maxsize=None)
def results():
    """[(chapter, name, half, label, {path: (class, message)})] for the whole catalogue."""
    rows = []
    for chapter in FC.CHAPTERS:
        for name, entries in FC.catalogue(chapter).items():
            exercise = E.get(chapter, name)
            dev, held = FC.split(entries)
            for half, part in (("dev", dev), ("held-out", held)):
                for label, source in part:
                    seen = {}
                    for path, run in (("check", lambda fn: through_check(chapter, exercise, fn)),
                                      ("grader", lambda fn: through_grader(exercise, fn))):
                        full, message = run(define(chapter, exercise, source))
                        seen[path] = (classify(full, message), " ".join(message.split()))
                    rows.append((chapter, name, half, label, seen))
    return rows


def tally(rows, path):
    counts = {"named": 0, "located": 0, "unnamed": 0, "passed": 0}
    for *_, seen in rows:
        counts[seen[path][0]] += 1
    return counts


def table(path):
    rows = results()
    lines = [f"feedback coverage, {path} path: named / located / unnamed / passed (of n)",
             f"{'chapter':8} {'dev':>27} {'held-out':>27}"]
    for chapter in FC.CHAPTERS + ("all",):
        cells = []
        for half in ("dev", "held-out"):
            part = [r for r in rows if r[2] == half and chapter in (r[0], "all")]
            c = tally(part, path)
            cells.append(f"{c['named']:3d} /{c['located']:3d} /{c['unnamed']:3d} /"
                         f"{c['passed']:2d} (of {len(part):3d})")
        lines.append(f"{chapter:8} {cells[0]:>27} {cells[1]:>27}")
    return "\n".join(lines)


def named_fraction(half, path="grader"):
    part = [r for r in results() if r[2] == half]
    return tally(part, path)["named"] / len(part)


def test_every_function_exercise_has_at_least_four_wrong_answers():
    for chapter in FC.CHAPTERS:
        exercises = {n for n, ex in E.load_all()[chapter].items() if ex.kind == "function"}
        catalogue = FC.catalogue(chapter)
        assert set(catalogue) == exercises, chapter
        for name, entries in catalogue.items():
            assert len(entries) >= 4, f"{chapter}:{name}"
            labels = [label for label, _ in entries]
            assert len(set(labels)) == len(labels), f"{chapter}:{name}: repeated label"


def test_no_wrong_answer_gets_full_marks():
    passed = [(r[0], r[1], r[3], path) for r in results() for path, (c, _) in r[4].items()
              if c == "passed"]
    assert not passed, passed


def test_named_messages_agree_with_the_label():
    same_kind = {"first_example": "m1_only", "changed_argument": "in_place"}
    wrong = []
    for chapter, name, _, label, seen in results():
        kind = next((k for k in KIND_WORDS if label.startswith(k)), None)
        for path, (cls, message) in seen.items():
            told = {same_kind.get(k, k) for k, sentence in GENERIC.items() if sentence in message}
            if kind and told - {kind}:
                wrong.append((chapter, name, label, path, sorted(told)))
            if kind and cls == "named" and not any(w in message for w in KIND_WORDS[kind]):
                wrong.append((chapter, name, label, path, "not told " + kind))
            if told & set(INFERRED) - {kind}:
                wrong.append((chapter, name, label, path, sorted(told)))
    assert not wrong, "\n".join(map(str, wrong))


def test_named_fraction_does_not_fall():
    print()
    print(table("grader"))
    print(table("check"))
    if os.environ.get("FEEDBACK_COVERAGE_VERBOSE"):
        for chapter, name, half, label, seen in results():
            cls, message = seen["grader"]
            print(f"{half:8} {chapter}:{name}:{label:28} {cls:8} {message[:150]}")
    for half, floor in FLOOR.items():
        assert named_fraction(half) >= floor, (half, named_fraction(half))
    for half, floor in TOLD_FLOOR.items():
        part = [r for r in results() if r[2] == half]
        counts = tally(part, "grader")
        told = (counts["named"] + counts["located"]) / len(part)
        assert told >= floor, (half, told)


def test_located_names_the_parts_rows_and_columns_that_differ():
    from bpkit.exercises.model import _localise

    e = np.arange(6.0).reshape(2, 3)
    row = e.copy()
    row[1] += 1
    assert "row 1 agrees with the expected value, row 2 not" in _localise(e, row)
    column = e.copy()
    column[:, 2] += 1
    assert "columns 1 and 2 agree with the expected value, column 3 not" in _localise(e, column)
    assert _localise(e, e + 1) is None                      # nothing right: nothing to locate
    layers = [{1: e, 2: e}, {1: e[:, :1], 2: e[:, :1]}]
    wrong = [{1: e + 1, 2: e}, {1: e[:, :1] + 1, 2: e[:, :1]}]
    message = _localise(layers, wrong)
    assert "`result[0][2]` and `result[1][2]` agree" in message
    assert "`result[0][1]` and `result[1][1]` not" in message
