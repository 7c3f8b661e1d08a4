"""The instructors' grader (``python -m bpkit.grade``) on real notebook files.

Most tests grade, in one batch, a set of submissions for the stand-in chapter ``ch90`` of
``tests/grader_fixtures/fake_exercises.py`` (the same protocol as ``bpkit.exercises``): a
correct one, a partly wrong one, and one per way a notebook can try to break the grader or
raise its own score. The last tests grade the real chapter-2 exercise notebook, filled with
the reference solutions of ``tests/solutions/ch02.py``, when those files exist.
"""
import csv
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "grader_fixtures"
v4 = nbformat.v4

CORRECT = {"double": "return 2 * x", "affine": "return W @ x + b"}
FULL = 6.0  # 2 + 3 + 1 points in ch90


def grade(paths, out, *extra, env=None, check=True):
    cmd = [sys.executable, "-m", "bpkit.grade", *map(str, paths), "--out", str(out),
           "--jobs", "2", *extra]
    full_env = dict(os.environ, BPKIT_EXERCISES="fake_exercises",
                    PYTHONPATH=os.pathsep.join([str(FIXTURES), str(ROOT)]), **(env or {}))
    run = subprocess.run(cmd, capture_output=True, text=True, env=full_env, timeout=600)
    if check:
        assert run.returncode == 0, run.stderr
    return run


def notebook(double=CORRECT["double"], affine=CORRECT["affine"], before=(), after=(),
             rate=0.5, chapter="ch90"):
    """A ch90 submission as a student would hand it in (outputs of the value check kept)."""
    meta = {"bpkit": {"chapter": chapter}} if chapter else {}
    cells = [v4.new_markdown_cell("# Chapter 90 exercises"),
             v4.new_code_cell("import numpy as np\nfrom fake_exercises import check")]
    cells += [v4.new_code_cell(s) for s in before]
    for name, body, params in (("double", double, "x"), ("affine", affine, "W, x, b")):
        answer = v4.new_code_cell(f"def {name}({params}):\n    {body}")
        answer.metadata["bpkit"] = {"answer": name}
        answer.metadata["tags"] = ["answer"]
        cells += [answer, v4.new_code_cell(f'check("{name}", {name})')]
    cells += [v4.new_code_cell(s) for s in after]
    value = v4.new_code_cell(f'check("rate", {rate})')
    if rate is not None:
        value.outputs = [v4.new_output("display_data", data={
            "application/x.bpkit-answer+json": {"chapter": "ch90", "exercise": "rate",
                                                "value": rate},
            "text/plain": f"Recorded your answer for rate: {rate}"})]
    cells.append(value)
    return v4.new_notebook(cells=cells, metadata=meta)


WRONG = "return 3 * x"   # the "double" of every adversarial submission below is wrong

ADVERSARIAL = {
    "redefined_check": notebook(double=WRONG, after=[
        "def check(name, answer):\n    print('all cases pass, full marks')",
        "import fake_exercises\nfake_exercises.check = check"]),
    "patched_numpy": notebook(double=WRONG, before=[
        "import numpy, numpy.testing\n"
        "numpy.allclose = lambda *a, **k: True\n"
        "numpy.array_equal = lambda *a, **k: True\n"
        "numpy.testing.assert_allclose = lambda *a, **k: None"]),
    "patched_package": notebook(double=WRONG, before=[
        "import bpkit, fake_exercises\n"
        "bpkit.bp2 = lambda *a, **k: 0\n"
        "fake_exercises.reference_double = lambda x: 3 * x\n"
        "fake_exercises.Exercise.evaluate = lambda self, r, s: fake_exercises.Result("
        "self.name, 100.0, self.points, 'full marks')\n"
        "fake_exercises.Exercise.inputs = lambda self, seed: []"]),
    "fake_payload": notebook(double=WRONG, after=[
        "from IPython.display import display\n"
        "display({'application/x.bpkit-result+json': {'outcomes': '[]'}}, raw=True)\n"
        "print('BPKIT-RESULT', 'x' * 32, '[]')"]),
    # A thread that watches the cell being run, reads the secret seed and nonce from the
    # grader's hidden cell, and prints a correct result line for them.
    "forger": notebook(double=WRONG, after=[
        "import re, threading, time, fake_exercises\n"
        "def forge():\n"
        "    ns = get_ipython().user_ns\n"
        "    while True:\n"
        "        cell = ns['In'][-1] if ns['In'] else ''\n"
        "        m = re.search(r\"'double', (\\d+), '(\\w+)'\", cell)\n"
        "        if m:\n"
        "            ex = fake_exercises.get('ch90', 'double')\n"
        "            ok = fake_exercises.run_function(ex, lambda x: 2 * x, int(m[1]))\n"
        "            print('BPKIT' + '-RESULT', m[2], fake_exercises.to_payload(ok), flush=True)\n"
        "        time.sleep(0.001)\n"
        "threading.Thread(target=forge, daemon=True).start()"]),
    "megabytes": notebook(double=WRONG, after=[
        "for _ in range(40):\n    print('x' * 1_000_000)"]),
    "sys_exit": notebook(double=WRONG, after=["import sys\nsys.exit(0)"]),
    "os_exit": notebook(double=WRONG, after=["import os\nos._exit(0)"]),
    "huge_memory": notebook(double=WRONG, after=[
        "big = np.ones((200_000, 100_000))"]),
    "infinite_loop": notebook(double=WRONG, after=[
        "import signal\nfor s in (signal.SIGINT, signal.SIGALRM):\n"
        "    signal.signal(s, signal.SIG_IGN)\nwhile True:\n    pass"]),
    "tampering": notebook(double=WRONG, before=[
        "import bpkit.grade.kernel_side as k\nk.report = lambda *a: None"]),
    # Children that ignore SIGINT (the kernel's interrupt would end the others), then a loop
    # that never ends: the grader, not the kernel's shutdown, must end them all.
    "spawns": notebook(double=WRONG, after=[
        "import os, signal, subprocess\n"
        "for s in (signal.SIGINT, signal.SIGALRM):\n"
        "    signal.signal(s, signal.SIG_IGN)\n"
        "children = [subprocess.Popen(['sleep', '987654']) for _ in range(20)]\n"
        "for _ in range(5):\n"
        "    if os.fork() == 0:\n"
        "        os.execvp('sleep', ['sleep', '987654'])\n"
        "while True:\n"
        "    pass"]),
    "endless_function": notebook(double="while True:\n        pass"),
    # Answers looked up from the inputs the notebook's own check uses (seed 0).
    "hard_coded": notebook(double="return TABLE[tuple(np.ravel(x))]", before=[
        "import fake_exercises\n"
        "TABLE = {tuple(np.ravel(x)): 2 * x\n"
        "         for (x,) in fake_exercises.get('ch90', 'double').inputs(0)}"]),
    "refused": notebook(double="return reference_double(x)", before=[
        "from fake_exercises import reference_double"]),
}

BROKEN = {
    "broken_json.ipynb": b'{"cells": [ {"cell_type": "code", ',
    "script.ipynb": b"import numpy as np\nprint('a .py file renamed')\n",
    "empty.ipynb": b"",
    "binary.ipynb": bytes(range(256)) * 8,
    "version3.ipynb": json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {},
                                  "worksheets": [{"cells": []}]}).encode(),
}


def sha256_tree(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    subs = tmp_path_factory.mktemp("submissions")
    # Names that resemble the grader's own are fine.
    nbformat.write(notebook(before=["n_hidden = 3\ngrade = 'A'"]), subs / "correct.ipynb")
    nbformat.write(notebook(double=WRONG, rate=0.2), subs / "partly_wrong.ipynb")
    nbformat.write(notebook(rate=None), subs / "no_value.ipynb")
    nbformat.write(notebook(chapter=None), subs / "no_metadata.ipynb")
    other = notebook()
    for cell in other.cells:
        cell.metadata.pop("bpkit", None)
    other.metadata = {}
    nbformat.write(other, subs / "no_chapter.ipynb")
    for name, nb in ADVERSARIAL.items():
        nbformat.write(nb, subs / f"{name}.ipynb")
    for name, data in BROKEN.items():
        (subs / name).write_bytes(data)
    # Two files with one name, in two folders: two distinct results folders.
    (subs / "group_a").mkdir()
    (subs / "group_b").mkdir()
    nbformat.write(notebook(), subs / "group_a" / "hw.ipynb")
    nbformat.write(notebook(double=WRONG), subs / "group_b" / "hw.ipynb")
    before = sha256_tree(subs)
    out = tmp_path_factory.mktemp("graded") / "out"
    run = grade([subs], out, "--timeout-cell", "4", "--timeout-notebook", "25",
                "--memory-mb", "1536")
    with open(out / "scores.csv", newline="") as f:
        rows = {Path(r["submission"]).relative_to(subs).with_suffix("").as_posix(): r
                for r in csv.DictReader(f)}
    return {"subs": subs, "out": out, "run": run, "rows": rows, "before": before}


def results(batch, stem):
    return json.loads((batch["out"] / stem / "results.json").read_text())


def test_correct_submission_scores_full_marks(batch):
    row = batch["rows"]["correct"]
    assert float(row["total"]) == float(row["max"]) == FULL
    assert row["status"] == "graded"
    assert results(batch, "correct")["score"] == FULL


def test_partly_wrong_submission_is_named_in_the_feedback(batch):
    row = batch["rows"]["partly_wrong"]
    assert float(row["ch90:double"]) == 0 and float(row["ch90:affine"]) == 3
    assert float(row["ch90:rate"]) == 0 and float(row["total"]) == 3
    tests = {t["name"].split()[0]: t for t in results(batch, "partly_wrong")["tests"]}
    assert tests["ch90:double"]["score"] == 0 and "expected" in tests["ch90:double"]["output"]
    assert tests["ch90:affine"]["score"] == 3
    feedback = (batch["out"] / "partly_wrong" / "feedback.md").read_text()
    assert "ch90:double" in feedback and "expected 0.5, received 0.2" in feedback
    assert "3 / 6" in feedback


def test_value_exercise_without_a_recorded_answer_scores_zero(batch):
    row = batch["rows"]["no_value"]
    assert float(row["ch90:rate"]) == 0 and float(row["total"]) == 5


def test_chapter_found_from_answer_cells_when_metadata_is_missing(batch):
    assert batch["rows"]["no_metadata"]["chapter"] == "ch90"
    assert float(batch["rows"]["no_metadata"]["total"]) == FULL
    row = batch["rows"]["no_chapter"]
    assert row["status"] == "no chapter" and float(row["total"]) == 0
    assert "chapter" in results(batch, "no_chapter")["output"]


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_submission_gains_nothing(batch, name):
    row = batch["rows"][name]
    # Its "double" is wrong: no trick may turn it into points.
    assert float(row["ch90:double"]) == 0, row
    assert float(row["total"]) <= FULL - 2, row
    assert float(row["ch90:rate"]) == 1, row   # the value answer is still read


def test_adversarial_outcomes_are_explained(batch):
    rows = batch["rows"]
    # Tricks that leave the kernel alive keep the correct "affine" (the inputs and the
    # scoring are not in the kernel, so "patched_package" changed nothing that counts).
    for name in ("redefined_check", "patched_numpy", "fake_payload", "patched_package",
                 "megabytes", "sys_exit", "huge_memory"):
        assert float(rows[name]["ch90:affine"]) == 3, (name, rows[name])
    assert rows["os_exit"]["status"] == "kernel died"
    assert "kernel" in results(batch, "os_exit")["tests"][0]["output"]
    assert rows["infinite_loop"]["status"] == "timeout"
    assert "25 s" in results(batch, "infinite_loop")["output"]
    # Patching the kernel's side, or a thread that prints result lines, changes nothing:
    # results travel as display data, and their values are scored in the grader.
    assert rows["tampering"]["status"] == "graded"
    assert float(rows["tampering"]["ch90:affine"]) == 3
    assert rows["forger"]["status"] == "graded", rows["forger"]
    endless = results(batch, "endless_function")["tests"][0]["output"]
    assert "did not finish within 4 s" in endless, endless
    assert "efused" in results(batch, "refused")["tests"][0]["output"]
    assert "MemoryError" in (batch["out"] / "huge_memory" / "feedback.md").read_text()


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_get_a_row_and_a_clear_message(batch, name):
    stem = Path(name).stem
    row = batch["rows"][stem]
    assert row["status"] == "not a notebook" and float(row["total"]) == 0
    message = results(batch, stem)["output"]
    assert any(word in message for word in ("empty", "JSON", "binary", "version 3")), message


def test_same_file_names_in_two_folders_get_two_results(batch):
    out = batch["out"]
    assert float(batch["rows"]["group_a/hw"]["total"]) == FULL
    assert float(batch["rows"]["group_b/hw"]["total"]) == FULL - 2
    scores = sorted(json.loads(p.read_text())["score"] for p in out.glob("*hw*/results.json"))
    assert scores == [FULL - 2, FULL]


def test_processes_a_notebook_starts_are_ended(batch):
    left = subprocess.run(["pgrep", "-f", "sleep 987654"], capture_output=True, text=True)
    assert left.stdout.strip() == "", left.stdout
    assert batch["rows"]["spawns"]["status"] == "timeout"


def test_submissions_are_never_modified(batch):
    assert sha256_tree(batch["subs"]) == batch["before"]


def test_scores_csv_has_a_row_per_submission_and_a_column_per_exercise(batch):
    with open(batch["out"] / "scores.csv", newline="") as f:
        table = list(csv.reader(f))
    header, rows = table[0], table[1:]
    assert header == ["submission", "chapter", "ch90:double", "ch90:affine", "ch90:rate",
                      "total", "max", "status"]
    assert len(rows) == len(batch["before"]) and all(len(r) == len(header) for r in rows)


def test_results_json_has_the_gradescope_fields(batch):
    folders = [p for p in batch["out"].iterdir() if p.is_dir()]
    assert len(folders) == len(batch["before"])
    for folder in folders:
        data = json.loads((folder / "results.json").read_text())
        assert isinstance(data["score"], (int, float)) and isinstance(data["output"], str)
        assert sum(t["score"] for t in data["tests"]) == pytest.approx(data["score"])
        for t in data["tests"]:
            assert set(t) >= {"name", "score", "max_score", "output", "visibility"}
            assert 0 <= t["score"] <= t["max_score"]
            assert t["visibility"] in ("visible", "hidden", "after_due_date", "after_published")
        assert (folder / "feedback.md").read_text().startswith("# Feedback on ")


def test_summary_is_printed(batch):
    assert f"{len(batch['before'])} submission(s) graded" in batch["run"].stdout


def test_usage_errors(tmp_path):
    missing = grade([tmp_path / "nope.ipynb"], tmp_path / "out", check=False)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = grade([tmp_path / "empty"], tmp_path / "out", check=False)
    assert empty.returncode == 2 and "no .ipynb" in empty.stderr
    nbformat.write(notebook(rate=None, double="raise NotImplementedError('your code here')"),
                   tmp_path / "empty" / "a.ipynb")
    beside = grade([tmp_path / "empty" / "a.ipynb"], tmp_path / "empty", check=False)
    assert beside.returncode == 2 and "never writes next to" in beside.stderr


def test_existing_results_are_not_overwritten_without_force(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    nbformat.write(notebook(double="raise NotImplementedError('your code here')"),
                   subs / "a.ipynb")
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    mine = out / "a" / "notes.txt"
    mine.write_text("the instructor's notes")
    refused = grade([subs], out, check=False)
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert not (out / "scores.csv").exists()
    grade([subs], out, "--force")
    assert mine.read_text() == "the instructor's notes"
    data = json.loads((out / "a" / "results.json").read_text())
    assert data["score"] == 4 and "not attempted" in data["tests"][0]["output"].lower()
    # A file of the same name that the grader did not write is never replaced.
    (out / "scores.csv").unlink()
    (out / "scores.csv").write_text("the instructor's own table")
    again = grade([subs], out, "--force", check=False)
    assert again.returncode == 2 and "did not write" in again.stderr
    assert (out / "scores.csv").read_text() == "the instructor's own table"


def test_gradescope_bundle_and_collected_results(batch, tmp_path):
    import zipfile

    dest = tmp_path / "bundle"
    run = subprocess.run([sys.executable, "-m", "bpkit.grade", "--export-gradescope", str(dest)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    with zipfile.ZipFile(dest / "autograder.zip") as zf:
        names = set(zf.namelist())
        mode = zf.getinfo("run_autograder").external_attr >> 16
    assert {"setup.sh", "run_autograder", "requirements.txt", "bpkit-src/pyproject.toml",
            "bpkit-src/bpkit/grade/cli.py", "bpkit-src/bpkit/grade/kernel_side.py"} <= names
    assert mode & 0o111
    again = subprocess.run([sys.executable, "-m", "bpkit.grade", "--export-gradescope",
                            str(dest)], capture_output=True, text=True)
    assert again.returncode == 2 and "not empty" in again.stderr
    # run_autograder's last step: one results.json for the submission's notebooks.
    graded = tmp_path / "graded"
    (graded / "correct").mkdir(parents=True)
    (graded / "correct" / "results.json").write_text(
        (batch["out"] / "correct" / "results.json").read_text())
    # Only what the grader wrote counts: a folder it did not write (a "ghost") is ignored.
    (graded / "ghost").mkdir()
    (graded / "ghost" / "results.json").write_text('{"score": 100, "tests": []}')
    (graded / ".bpkit-grade-files.json").write_text('{"correct/results.json": "x"}')
    target = tmp_path / "results" / "results.json"
    subprocess.run([sys.executable, "-m", "bpkit.grade", "--collect-gradescope", str(graded),
                    str(target)], check=True)
    merged = json.loads(target.read_text())
    assert merged["score"] == FULL and len(merged["tests"]) == 3
    subprocess.run([sys.executable, "-m", "bpkit.grade", "--collect-gradescope",
                    str(tmp_path / "nothing"), str(target)], check=True)
    assert "No Jupyter notebook" in json.loads(target.read_text())["output"]


# --------------------------------------------------------------------------------------------
# The real exercise notebooks, with bpkit.exercises

EXERCISES = ROOT / "exercises"
SOLUTIONS = ROOT / "tests" / "solutions"
END_TO_END = ("ch02", "ch07", "ch10")   # functions only; a bpkit reference; value exercises


def real_notebook(chapter):
    found = sorted(EXERCISES.glob(f"{chapter}_*.ipynb"))
    return found[0] if found else None


needs_real = pytest.mark.skipif(
    not all(real_notebook(ch) and (SOLUTIONS / f"{ch}.py").exists() for ch in END_TO_END),
    reason="the exercise notebooks or tests/solutions are not there yet")


def solutions(chapter):
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"solutions_{chapter}",
                                                  SOLUTIONS / f"{chapter}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fill(nb, sources):
    """A copy of ``nb`` whose answer cells hold ``sources[name]`` where given."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in nb.cells:
        name = cell.get("metadata", {}).get("bpkit", {}).get("answer")
        if cell.cell_type == "code" and name in sources:
            cell.source = sources[name]
    return nb


def run_as_student(nb, folder):
    """Execute the notebook as a student would before saving it (value answers get recorded)."""
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    return nb


def real_grade(paths, out, *extra):
    env = {k: v for k, v in os.environ.items() if k != "BPKIT_EXERCISES"}
    env["PYTHONPATH"] = str(ROOT)
    run = subprocess.run([sys.executable, "-m", "bpkit.grade", *map(str, paths), "--out",
                          str(out), "--jobs", "2", "--timeout-cell", "60",
                          "--timeout-notebook", "240", *extra],
                         capture_output=True, text=True, env=env, timeout=900)
    assert run.returncode == 0, run.stderr
    with open(out / "scores.csv", newline="") as f:
        return {Path(r["submission"]).stem: r for r in csv.DictReader(f)}


@pytest.fixture(scope="module")
def real_batch(tmp_path_factory):
    subs = tmp_path_factory.mktemp("real_submissions")
    scratch = tmp_path_factory.mktemp("scratch")
    mistakes = {}
    for chapter in END_TO_END:
        nb = nbformat.read(real_notebook(chapter), as_version=4)
        sol = solutions(chapter)
        right = dict(sol.SOLUTIONS)
        nbformat.write(run_as_student(fill(nb, right), scratch), subs / f"{chapter}_solved.ipynb")
        for name, known in getattr(sol, "MISTAKES", {}).items():
            for key, source in known.items():
                stem = f"{chapter}_{name}_{key}"
                mistakes[stem] = (chapter, name, key)
                nbformat.write(fill(nb, {**right, name: source}), subs / f"{stem}.ipynb")
    ch07 = nbformat.read(real_notebook("ch07"), as_version=4)
    nbformat.write(fill(ch07, {"bp2": "import bpkit\n\ndef bp2(W_next, delta_next, z):\n"
                               "    return bpkit.bp2(W_next, delta_next, z, 'sigmoid')\n"}),
                   subs / "ch07_calls_bpkit.ipynb")
    patched = fill(ch07, {"bp2": "def bp2(W_next, delta_next, z):\n"
                                 "    return W_next @ delta_next\n"})
    patched.cells.insert(1, v4.new_code_cell(
        "import bpkit, bpkit.backprop, bpkit.exercises, numpy\n"
        "bpkit.bp2 = bpkit.backprop.bp2 = lambda W, d, z, *a, **k: W @ d\n"
        "numpy.allclose = lambda *a, **k: True\n"
        "bpkit.exercises.same = lambda *a, **k: True"))
    nbformat.write(patched, subs / "ch07_patches_bpkit.ipynb")
    handed_out = subs / "handed_out"
    handed_out.mkdir()
    for path in sorted(EXERCISES.glob("ch*.ipynb")):
        (handed_out / path.name).write_bytes(path.read_bytes())
    before = sha256_tree(subs)
    out = tmp_path_factory.mktemp("real_graded") / "out"
    rows = real_grade([subs], out)
    assert sha256_tree(subs) == before
    return {"rows": rows, "out": out, "mistakes": mistakes}


@needs_real
@pytest.mark.parametrize("chapter", END_TO_END)
def test_real_solved_notebook_scores_full_marks(real_batch, chapter):
    import importlib

    from bpkit.exercises import REGISTRY

    importlib.import_module(f"bpkit.exercises.{chapter}")
    row = real_batch["rows"][f"{chapter}_solved"]
    points = sum(e.points for e in REGISTRY[chapter].values())
    assert row["status"] == "graded"
    assert float(row["total"]) == float(row["max"]) == points, row


@needs_real
def test_real_known_mistakes_are_named(real_batch):
    from bpkit.exercises import get

    assert real_batch["mistakes"]
    for stem, (chapter, name, key) in real_batch["mistakes"].items():
        exercise = get(chapter, name)
        row = real_batch["rows"][stem]
        assert float(row[f"{chapter}:{name}"]) < exercise.points, stem
        test = next(t for t in json.loads((real_batch["out"] / stem / "results.json")
                                          .read_text())["tests"]
                    if t["name"].startswith(f"{chapter}:{name} "))
        assert exercise.mistake(key).message in test["output"], (stem, test["output"])
        assert exercise.mistake(key).message in (real_batch["out"] / stem / "feedback.md") \
            .read_text()


@needs_real
def test_real_reference_call_is_refused(real_batch):
    row = real_batch["rows"]["ch07_calls_bpkit"]
    assert float(row["ch07:bp2"]) == 0
    output = json.loads((real_batch["out"] / "ch07_calls_bpkit" / "results.json")
                        .read_text())["tests"][0]["output"]
    assert "efused" in output, output


@needs_real
def test_real_patched_bpkit_and_numpy_gain_nothing(real_batch):
    from bpkit.exercises import get

    row = real_batch["rows"]["ch07_patches_bpkit"]
    assert float(row["ch07:bp2"]) < get("ch07", "bp2").points, row


@needs_real
def test_real_handed_out_notebooks_score_zero_and_say_not_attempted(real_batch):
    for path in sorted(EXERCISES.glob("ch*.ipynb")):
        row = real_batch["rows"][path.stem]
        assert row["status"] == "graded" and float(row["max"]) > 0, row
        function_totals = json.loads((real_batch["out"] / path.stem / "results.json")
                                     .read_text())["tests"]
        for test in function_totals:
            if "Not attempted" in test["output"]:
                assert test["score"] == 0
        assert any("Not attempted" in t["output"] or "Not answered" in t["output"]
                   for t in function_totals), path.name


@needs_real
def test_gradescope_end_to_end_in_gradescopes_layout(tmp_path):
    """The exported bundle, unzipped into ``source/``, grades ``submission/`` into
    ``results/results.json`` (Gradescope's layout under one root), the student's code running
    as a user other than root."""
    import zipfile

    bundle = tmp_path / "bundle"
    subprocess.run([sys.executable, "-m", "bpkit.grade", "--export-gradescope", str(bundle)],
                   check=True, capture_output=True)
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle / "autograder.zip") as zf:
        zf.extractall(root / "source")
    (root / "source" / "run_autograder").chmod(0o755)
    (root / "submission").mkdir()
    nb = fill(nbformat.read(real_notebook("ch02"), as_version=4), solutions("ch02").SOLUTIONS)
    nb.cells.insert(1, v4.new_code_cell("import os\nraise RuntimeError(f'uid={os.getuid()}')"))
    nbformat.write(nb, root / "submission" / "my_ch02.ipynb")
    env = {k: v for k, v in os.environ.items() if k != "BPKIT_EXERCISES"}
    env.update(AUTOGRADER_ROOT=str(root), BPKIT_GRADER_PYTHON=sys.executable)
    run = subprocess.run(["bash", str(root / "source" / "run_autograder")], cwd=root, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    from bpkit.exercises import REGISTRY, load_all

    load_all()
    points = sum(e.points for e in REGISTRY["ch02"].values())
    assert results["score"] == points, results["output"]
    assert {t["name"].split()[0] for t in results["tests"]} == {
        f"ch02:{name}" for name in REGISTRY["ch02"]}
    uid = int(results["output"].split("uid=")[1].split()[0])
    assert uid != 0, results["output"]


# --------------------------------------------------------------------------------------------
# Feedback that names mistakes no chapter listed (bpkit.exercises.model.diagnose)

from hypothesis import given, settings, strategies as st  # noqa: E402


def _feedback(transform, seed=5):
    import numpy as np

    from bpkit.exercises import from_payload, get, load_all, run_function, to_payload

    load_all()
    exercise = get("ch02", "layer_forward")

    def answer(W, b, a_prev):
        return transform(1 / (1 + np.exp(-(W @ a_prev + b))), a_prev)

    outcomes = run_function(exercise, answer, seed)
    return exercise.evaluate(from_payload(to_payload(outcomes)), seed)


@settings(max_examples=20, deadline=None)
@given(st.floats(0.05, 20).filter(lambda c: abs(c - 1) > 1e-3))
def test_an_output_off_by_a_constant_factor_is_named(c):
    result = _feedback(lambda a, x: c * a)
    assert result.score < 1 and "multiplied by" in result.message, result.message
    assert "expected" in result.message and "received" in result.message


@pytest.mark.parametrize("transform, words", [
    (lambda a, x: -a, "opposite sign"),
    (lambda a, x: a.T, "transpose"),
    (lambda a, x: a.astype("float32") + 1e-4, "float32"),
    (lambda a, x: a if x.shape[1] == 1 else a[:, :1].repeat(x.shape[1], 1), "m = 1"),
])
def test_known_transformations_of_the_right_output_are_named(transform, words):
    result = _feedback(transform)
    assert result.score < 1 and words in result.message, result.message


def test_an_answer_hard_coded_for_the_visible_example_is_named():
    import numpy as np

    from bpkit.exercises import get

    exercise = get("ch02", "layer_forward")
    visible = [exercise.reference(*args) for args in exercise.inputs(0)]
    result = _feedback(lambda a, x: next(v for v in visible if v.shape == a.shape)
                       if any(v.shape == a.shape for v in visible) else np.zeros(a.shape))
    assert result.score < 1 and "hard-coded" in result.message, result.message
