"""The exercise notebooks and their checks, tested on the real notebook files.

For every chapter the stored student notebook is filled in (its answer cells' source is
replaced) and executed in a fresh kernel: once with the reference solutions of
``tests/solutions``, where every check must give full marks, and once with every known
mistake, where each check must score less and print the mistake's own message. The solved
notebooks must also pass nbval. The stored notebooks must hold no solution, and the copy
command must never overwrite a student's file.
"""
import copy
import csv
import hashlib
import importlib
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

import bpkit
import bpkit.exercises as E

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = {p.name[:4]: p for p in sorted((ROOT / "exercises").glob("ch*.ipynb"))}
CHAPTERS = sorted(NOTEBOOKS)
SCORE = re.compile(r"^(\w+): score ([0-9.]+)/([0-9.]+)$", re.M)


def solutions(chapter):
    return importlib.import_module(f"tests.solutions.{chapter}")


def answer_name(cell):
    return cell.get("metadata", {}).get("bpkit", {}).get("answer")


def is_check_of(cell, name):
    return cell.cell_type == "code" and cell.source.startswith(f'check("{name}"')


def fill(chapter, cases):
    """The student notebook with answer cells replaced.

    ``cases[name]`` is a list of ``(label, source)``: the first fills the answer cell, each
    further one is inserted after the check as a copy of the answer and check cells. Every
    check cell is labelled in its metadata, so its output can be found after the run.
    """
    nb = nbformat.read(NOTEBOOKS[chapter], as_version=4)
    cells = []
    i = 0
    while i < len(nb.cells):
        cell = nb.cells[i]
        name = answer_name(cell)
        if name is None or name not in cases:
            cells.append(cell)
            i += 1
            continue
        check = nb.cells[i + 1]
        assert is_check_of(check, name), f"{chapter}: no check cell right under {name}'s answer"
        for label, source in cases[name]:
            a, c = copy.deepcopy(cell), copy.deepcopy(check)
            a.source = source
            c.metadata["test_case"] = [name, label]
            cells += [a, c]
        i += 2
    nb.cells = cells
    for k, cell in enumerate(nb.cells):  # copies must not repeat cell ids
        cell["id"] = f"cell-{k}"
    return nb


def execute(nb, tmp_path):
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return nb


def output_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif "data" in out:
            parts.append(out["data"].get("text/plain", ""))
    return "\n".join(parts)


def check_outputs(nb):
    """{(name, label): (score, max_score, text)} for every labelled check cell."""
    found = {}
    for cell in nb.cells:
        label = cell.get("metadata", {}).get("test_case")
        if label:
            text = output_text(cell)
            match = SCORE.search(text)
            assert match, f"check {label} printed no score:\n{text}"
            found[tuple(label)] = (float(match.group(2)), float(match.group(3)), text)
    return found


def assert_no_traceback(nb):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", f"cell raised: {out.get('ename')}"
            assert "Traceback" not in out.get("text", "")


# ------------------------------------------------------------------------------------------
# Solved notebooks: full marks, and nbval-clean

@pytest.fixture(scope="module")
def solved_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("solved")


@pytest.mark.slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solved_notebook_scores_full_marks(chapter, solved_dir):
    sol = solutions(chapter)
    exercises = E.load_all()[chapter]
    assert set(sol.SOLUTIONS) == set(exercises), "every exercise needs a reference solution"
    nb = execute(fill(chapter, {n: [("solution", s)] for n, s in sol.SOLUTIONS.items()}),
                 solved_dir)
    assert_no_traceback(nb)
    results = check_outputs(nb)
    assert {name for name, _ in results} == set(exercises)
    for (name, _), (score, max_score, text) in results.items():
        assert max_score == exercises[name].points
        assert score == max_score, f"{chapter}:{name} solution scored {score}/{max_score}:\n{text}"
    nbformat.write(nb, solved_dir / NOTEBOOKS[chapter].name)


@pytest.mark.slow
def test_solved_and_stored_notebooks_pass_nbval(solved_dir, tmp_path):
    """nbval re-runs each solved notebook (and each stored student notebook) and compares."""
    solved = sorted(solved_dir.glob("ch*.ipynb"))
    if len(solved) < len(CHAPTERS):  # run alone: make one solved notebook here
        chapter = CHAPTERS[0]
        nb = execute(fill(chapter, {n: [("solution", s)]
                                    for n, s in solutions(chapter).SOLUTIONS.items()}), tmp_path)
        solved = [tmp_path / NOTEBOOKS[chapter].name]
        nbformat.write(nb, solved[0])
    paths = [str(p) for p in solved] + [str(p) for p in NOTEBOOKS.values()]
    run = subprocess.run([sys.executable, "-m", "pytest", "--nbval", "-q", "-p",
                          "no:cacheprovider", "-p", "no:xdist", "--rootdir", str(tmp_path), *paths],
                         capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "failed" not in run.stdout


# ------------------------------------------------------------------------------------------
# Known mistakes: a lower score and the mistake's own message

@pytest.mark.slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_known_mistakes_are_named(chapter, tmp_path):
    sol = solutions(chapter)
    exercises = E.load_all()[chapter]
    cases = {}
    for name, ex in exercises.items():
        if ex.kind == "function":
            keys = {m.key for m in ex.mistakes}
            assert keys == set(sol.MISTAKES.get(name, {})), \
                f"{chapter}:{name}: every known mistake needs a test source"
            cases[name] = list(sol.MISTAKES.get(name, {}).items())
        if name in sol.WRONG_VALUES:
            cases.setdefault(name, []).append(("wrong", sol.WRONG_VALUES[name][0]))
    cases = {n: c for n, c in cases.items() if c}
    if not cases:
        pytest.skip("no mistakes in this chapter")
    nb = execute(fill(chapter, cases), tmp_path)
    assert_no_traceback(nb)
    results = check_outputs(nb)
    for name, items in cases.items():
        for label, _ in items:
            score, max_score, text = results[(name, label)]
            assert score < max_score, f"{chapter}:{name} mistake {label} got full marks"
            if label == "wrong":
                expected = sol.WRONG_VALUES[name][1]
            else:
                expected = exercises[name].mistake(label).message
            assert " ".join(expected.split()) in " ".join(text.split()), \
                f"{chapter}:{name} {label}: message missing in\n{text}"


# ------------------------------------------------------------------------------------------
# The stored notebooks: well formed, unsolved, and without solutions

@pytest.mark.parametrize("chapter", CHAPTERS)
def test_stored_notebook_is_unsolved(chapter):
    nb = nbformat.read(NOTEBOOKS[chapter], as_version=4)
    assert nb.metadata["bpkit"]["chapter"] == chapter
    assert nb.metadata["kernelspec"]["name"] == "python3"
    exercises = E.load_all()[chapter]
    first = nb.cells[0]
    assert first.cell_type == "markdown" and "Binder" in first.source
    assert "bpkit-exercises copy" in first.source and "make exercises" in first.source
    answers = {answer_name(c): (k, c) for k, c in enumerate(nb.cells) if answer_name(c)}
    assert set(answers) == set(exercises)
    text = "\n".join(c.source for c in nb.cells)
    for name, (k, cell) in answers.items():
        assert "answer" in cell.metadata.get("tags", [])
        assert is_check_of(nb.cells[k + 1], name), f"{name}: the check must follow the answer"
        if exercises[name].kind == "function":
            assert "raise NotImplementedError" in cell.source
            assert f"def {exercises[name].function_name}(" in cell.source
        # what the stored notebook shows is the unsolved state
        match = SCORE.search(output_text(nb.cells[k + 1]))
        assert match and float(match.group(2)) < float(match.group(3))
    for source in solutions(chapter).SOLUTIONS.values():
        assert source.strip() not in text, "a reference solution leaked into the notebook"


def test_solutions_stay_off_the_site():
    toc = (ROOT / "_toc.yml").read_text()
    assert "tests/" not in toc
    for chapter in CHAPTERS:
        assert f"exercises/{NOTEBOOKS[chapter].stem}" in toc
    config = (ROOT / "_config.yml").read_text()
    assert re.search(r"exclude_patterns:.*\"tests\"", config)
    for folder in ("book", "exercises"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in (".ipynb", ".md"):
                assert "tests/solutions" not in path.read_text(errors="replace"), path
    site = ROOT / "_build" / "html"
    if site.is_dir():
        assert not (site / "tests").exists()
        for page in site.rglob("*.html"):
            assert "tests/solutions" not in page.read_text(errors="replace"), page


# ------------------------------------------------------------------------------------------
# The copy command

def test_copy_never_overwrites(tmp_path):
    dest = tmp_path / "my-exercises"
    dest.mkdir()
    mine = dest / NOTEBOOKS["ch07"].name
    mine.write_text("my own work, not a notebook")
    digest = hashlib.sha256(mine.read_bytes()).hexdigest()
    script = Path(sys.executable).with_name("bpkit-exercises")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bpkit.exercises"]
    run = subprocess.run(command + ["copy", str(dest)], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    assert hashlib.sha256(mine.read_bytes()).hexdigest() == digest
    assert f"skipped {mine}" in run.stdout
    for path in NOTEBOOKS.values():
        if path.name != mine.name:
            assert (dest / path.name).read_bytes() == path.read_bytes()
    # a second run copies nothing and changes nothing
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in dest.iterdir()}
    run = subprocess.run(command + ["copy", str(dest)], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0 and "0 copied" in run.stdout
    assert before == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in dest.iterdir()}


def test_copy_from_another_folder_and_list(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    (src / "ch99_demo.ipynb").write_text("{}")
    E.main(["copy", str(tmp_path / "dest"), "--from", str(src)])
    assert (tmp_path / "dest" / "ch99_demo.ipynb").read_text() == "{}"
    E.main(["list"])
    out = capsys.readouterr().out
    for chapter in CHAPTERS:
        assert chapter in out
    assert "bp2" in out and "weight_scale" in out


# ------------------------------------------------------------------------------------------
# The protocol, in process (fast)

def checked(chapter, name, source, setup=""):
    """Run ``source`` (which defines the answer) and return the Result of its check."""
    ns = {}
    exec("import numpy as np\n" + setup + "\n" + source, ns)
    ex = E.get(chapter, name)
    outcomes = E.run_function(ex, ns[ex.function_name], 0)
    return ex.evaluate(E.from_payload(E.to_payload(outcomes)), 0), outcomes


SIGMOID = ("import numpy as np\n"
           "def sigmoid_prime(z):\n    s = 1 / (1 + np.exp(-z))\n    return s * (1 - s)\n")


@pytest.mark.parametrize("source", [
    "from bpkit import bp2 as ref\ndef bp2(W, d, z):\n    return ref(W, d, z, 'sigmoid')\n",
    "import bpkit\ndef bp2(W, d, z):\n    return bpkit.bp2(W, d, z, 'sigmoid')\n",
    "import bpkit.backprop as B\ndef bp2(W, d, z):\n    return B.bp2(W, d, z, 'sigmoid')\n",
    "import functools, bpkit\nbp2 = functools.partial(bpkit.bp2, activation='sigmoid')\n",
    "import importlib\ndef bp2(W, d, z):\n"
    "    return getattr(importlib.import_module('bpkit'), 'bp' + '2')(W, d, z, 'sigmoid')\n",
])
def test_calling_bpkits_own_answer_is_refused(source):
    result, outcomes = checked("ch07", "bp2", source)
    assert all("refused" in o for o in outcomes)
    assert result.score == 0 and "Refused" in result.message and "yourself" in result.message


def test_refusal_covers_methods_and_private_references():
    result, _ = checked("ch09", "backward", "def backward(net, cache, Y):\n"
                        "    g = net.gradients(cache.a[0], Y)\n    return g.dW, g.db\n")
    assert result.score == 0 and "Refused" in result.message
    result, _ = checked("ch03", "count_paths",
                        "from bpkit.exercises.ch03 import _count_paths\n"
                        "def count_paths(sizes, l):\n    return _count_paths(sizes, l)\n")
    assert result.score == 0 and "Refused" in result.message
    result, _ = checked("ch11", "vectorised_grads",
                        "def grads_loop(D, A):\n    return D @ A.T / D.shape[1], "
                        "D.mean(axis=1, keepdims=True)\n"
                        "def vectorised_grads(D, A):\n    return grads_loop(D, A)\n")
    assert result.score == 0 and "grads_loop" in result.message
    # bpkit's helpers that are part of the exercise stay allowed
    result, _ = checked("ch09", "backward",
                        "from bpkit import bp2, bp3, bp4, output_delta\n"
                        + solutions("ch09").SOLUTIONS["backward"])
    assert result.full_marks


def test_errors_are_explained_not_dumped():
    result, _ = checked("ch07", "bp2", "def bp2(W, d, z):\n    return W @ d.T\n")
    assert result.score == 0
    assert "raised an error" in result.message and "Traceback" not in result.message
    assert "inner sizes" in result.message or "could not be broadcast" in result.message
    result, _ = checked("ch07", "bp2", "def bp2(W, d, z):\n    return undefined_name\n")
    assert "NameError" in result.message and "cells above" in result.message


def test_unknown_mistake_shows_smallest_failing_input():
    result, _ = checked("ch07", "bp2", SIGMOID + "def bp2(W, d, z):\n"
                        "    return (W.T @ d) * sigmoid_prime(z) * 1.5\n")
    assert 0 <= result.score < result.max_score
    assert "smallest input" in result.message
    assert "expected" in result.message and "received" in result.message
    assert "W_next =" in result.message


def test_wrong_shape_names_both_shapes():
    result, _ = checked("ch08", "bp3", "def bp3(delta):\n    return delta.mean(axis=1)\n")
    assert "expected an array of shape (2, 1), received shape (2,)" in result.message


def test_hard_coded_answers_fail_another_seed():
    ns = {}
    exec(SIGMOID + solutions("ch07").SOLUTIONS["bp2"], ns)
    ex = E.get("ch07", "bp2")
    at_zero = E.run_function(ex, ns["bp2"], 0)
    assert ex.evaluate(at_zero, 0).full_marks
    assert not ex.evaluate(at_zero, 12345).full_marks
    assert ex.evaluate(E.run_function(ex, ns["bp2"], 12345), 12345).full_marks


def test_inputs_cannot_be_changed_for_later_cases():
    ex = E.get("ch08", "bp3")

    def sneaky(delta):
        out = delta.mean(axis=1, keepdims=True)
        delta[...] = 0.0
        return out
    assert ex.evaluate(E.run_function(ex, sneaky, 0), 0).full_marks
    assert np.any(ex.inputs(0)[0][0] != 0)


def test_payload_round_trip_and_refuses_anything_else():
    outcomes = [{"ok": (np.array([[1.0, np.nan], [np.inf, -np.inf]]), {1: 2.5, "x": [1, None]})},
                {"ok": np.float32(3.5)}, {"error": "ValueError: bad"}, {"refused": "no"},
                {"ok": np.arange(6, dtype=np.int64).reshape(2, 3)}, {"ok": object()}]
    text = E.to_payload(outcomes)
    assert "NaN" not in text and "Infinity" not in text
    back = E.from_payload(text)
    arr, d = back[0]["ok"]
    assert np.array_equal(arr, outcomes[0]["ok"][0], equal_nan=True) and d == {1: 2.5, "x": [1, None]}
    assert back[1] == {"ok": 3.5} and back[2:4] == outcomes[2:4]
    assert back[4]["ok"].dtype == np.int64 and back[4]["ok"].shape == (2, 3)
    assert back[5]["ok"] == {"__unsupported__": "object"}
    for bad in ('{"ok": 1}', '[{"ok": 1, "error": "x"}]', '[{"ok": {"__pickle__": "x"}}]',
                '[{"ok": {"__ndarray__": [1], "dtype": "object", "shape": [1]}}]',
                '[{"ok": {"__ndarray__": [1, 2], "dtype": "float64", "shape": [3]}}]',
                '[{"error": 5}]'):
        with pytest.raises(ValueError):
            E.from_payload(bad)


def test_value_exercises_record_and_score(capsys):
    from bpkit.exercises.ch10 import check
    check("weight_scale", 1.3)
    out = capsys.readouterr().out
    assert "Recorded your answer for weight_scale: 1.3" in out and "score 2/2" in out
    ex = E.get("ch10", "weight_scale")
    assert ex.evaluate(None, 0).score == 0
    assert ex.evaluate(0.3, 0).score == 0 and "vanishes" in ex.evaluate(0.3, 0).message
    assert ex.evaluate(5.0, 0).score == 0 and "explodes" in ex.evaluate(5.0, 0).message
    assert ex.evaluate("nonsense", 0).score == 0
    eps = E.get("ch12", "eps16")
    assert eps.evaluate(0.34, 0).full_marks and not eps.evaluate(1e-2, 0).full_marks
    # the check never says which way to move: no bisection against it
    for wrong in (1e-3, 0.05, 0.9):
        message = eps.evaluate(wrong, 0).message
        assert "larger" not in message and "smaller" not in message and "0.3" not in message
    bug = E.get("ch12", "find_bug")
    assert bug.evaluate(["db[2]", 6], 0).full_marks and bug.evaluate(["d b 2", 6.0], 0).full_marks
    assert bug.evaluate(["dW[2]", 6], 0).score == 0 and bug.evaluate(["db[2]", 2], 0).score == 0
    # a right name alone is not told apart from a wrong one
    assert bug.evaluate(["db[2]", 2], 0).message == bug.evaluate(["dW[1]", 2], 0).message
    assert bug.evaluate("db[2]", 0).score == 0


def test_the_faulty_backward_has_exactly_one_wrong_array():
    from bpkit.exercises.ch12 import bug_hunt_problem, faulty_gradients
    net, X, Y = bug_hunt_problem()
    wrong = []
    for l in range(1, net.L + 1):
        good = net.gradients(X, Y)
        bad = faulty_gradients(net, X, Y)
        for name in ("dW", "db"):
            if not np.allclose(getattr(good, name)[l], getattr(bad, name)[l]):
                wrong.append(f"{name}[{l}]")
    assert wrong == ["db[2]"]
    report = bpkit.gradcheck(net, X, Y, grads=faulty_gradients(net, X, Y))
    worst = report.worst(1)[0]
    assert (worst.param, worst.layer) == ("b", 2)
    assert worst.analytic / worst.numeric == pytest.approx(X.shape[1], rel=1e-6)


# ------------------------------------------------------------------------------------------
# End to end: the grader scores a solved notebook, functions and sliders alike

@pytest.mark.slow
def test_grader_gives_a_solved_notebook_full_marks(tmp_path):
    pytest.importorskip("bpkit.grade")
    chapter = "ch10"  # a function exercise, a chosen value and a slider
    nb = execute(fill(chapter, {n: [("solution", s)]
                                for n, s in solutions(chapter).SOLUTIONS.items()}), tmp_path)
    submitted = tmp_path / "submissions" / "student.ipynb"
    submitted.parent.mkdir()
    nbformat.write(nb, submitted)
    run = subprocess.run([sys.executable, "-m", "bpkit.grade", str(submitted), "--out",
                          str(tmp_path / "out")], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    with open(tmp_path / "out" / "scores.csv", newline="") as f:
        row, = list(csv.DictReader(f))
    total = sum(e.points for e in E.load_all()[chapter].values())
    assert float(row["total"]) == float(row["max"]) == total, row


# ------------------------------------------------------------------------------------------
# Chapters 10 and 11: numeric answers with a tolerance, and the named slips of batching

def test_ch10_bound_accepts_one_percent_and_never_prints_its_answer():
    from bpkit.exercises.ch10 import _bound_values
    truth, mistakes = _bound_values()
    ex = E.get("ch10", "bound")
    assert ex.evaluate(truth * 1.009).full_marks and ex.evaluate(truth * 0.991).full_marks
    shown = {f"{truth:.{p}g}" for p in range(2, 7)} | {f"{truth:.{p}f}" for p in range(1, 5)}
    tries = [truth * f for f in (0.5, 0.9, 0.97, 1.03, 1.2, 2.0, 10.0)]
    tries += [v for v, _ in mistakes.values()] + ["abc", -1.0, float("nan")]
    for value in tries:
        result = ex.evaluate(value)
        assert not result.full_marks, value
        assert not any(s in result.message for s in shown), \
            f"the check of {value!r} printed the answer: {result.message}"
    for key, (value, message) in mistakes.items():
        assert ex.evaluate(value).message == message, key


def test_ch11_names_a_missing_mean_and_a_bias_summed_over_the_wrong_axis():
    ex = E.get("ch11", "vectorised_grads")
    result, _ = checked("ch11", "vectorised_grads", "def vectorised_grads(D, A):\n"
                        "    return D @ A.T, D.sum(axis=1, keepdims=True)\n")
    assert result.message == ex.mistake("no_mean").message
    result, _ = checked("ch11", "vectorised_grads", "def vectorised_grads(D, A):\n"
                        "    m = D.shape[1]\n    return D @ A.T / m, D.sum(axis=0, keepdims=True) / m\n")
    assert result.message == ex.mistake("bias_wrong_axis").message and not result.full_marks
    result, _ = checked("ch11", "per_example_norms",
                        "def per_example_norms(D, A):\n    import numpy as np\n"
                        "    return np.stack([np.linalg.norm(np.outer(D[:, x], A[:, x]))\n"
                        "                     for x in range(D.shape[1])])\n")
    assert result.message == E.get("ch11", "per_example_norms").mistake("no_bias").message
def test_building_a_diagonal_jacobian_is_refused_with_the_reason():
    for body in ("    return np.diag(1 - np.tanh(z[:, 0]) ** 2) @ g\n",
                 "    return (np.eye(z.shape[0]) * (1 - np.tanh(z) ** 2)) @ g\n"):
        result, outcomes = checked("ch13", "tanh_vjp", "def tanh_vjp(z, g):\n" + body)
        assert all("refused" in o for o in outcomes) and result.score == 0
        assert "n^2 entries" in result.message and "elementwise" in result.message


def test_chain_and_hvp_checks_fail_answers_that_only_look_right():
    # the exact H v is not the central difference at the checked (large) steps
    result, _ = checked("ch14", "hvp_fd", solutions("ch14").SOLUTIONS["hvp_logistic"].replace(
        "hvp_logistic(w, X, y, v)", "hvp_fd(w, X, y, v, eps)"),
        setup="def sigmoid(z):\n    return 0.5 * (1 + np.tanh(0.5 * z))\n")
    assert not result.full_marks
    # a cost right for the two orders of the chapter's example only
    result, _ = checked("ch13", "order_cost", "def order_cost(dims, steps):\n"
                        "    return 101000 if list(steps) == [0, 0] else 1010000\n")
    assert result.score < 0.5 * result.max_score
def test_ch06_saturation_ratio_names_mistakes_and_hides_its_answer():
    ex = E.get("ch06", "saturation_ratio")
    slope = float(bpkit.activations.sigmoid.df(np.array(4.5)))
    truth = 1 / slope
    assert ex.evaluate(truth * 1.005, 0).full_marks
    assert not ex.evaluate(truth * 1.02, 0).full_marks          # the tolerance is 1%
    assert "other way round" in ex.evaluate(slope, 0).message
    assert "largest slope" in ex.evaluate(4.0, 0).message
    assert "sigma'(z)" in ex.evaluate(1 / float(bpkit.activations.sigmoid.f(np.array(4.5))),
                                      0).message
    for wrong in (slope, 4.0, 10.0, 150.0, -truth):
        message = ex.evaluate(wrong, 0).message
        assert f"{truth:.1f}" not in message and f"{truth:.2f}" not in message
    assert ex.evaluate("nonsense", 0).score == 0


@pytest.mark.parametrize("chapter, name", [("ch06", "softplus_poisson_delta"),
                                           ("ch07", "bp2_leaky"),
                                           ("ch07", "residual_backward")])
def test_new_exercises_pass_their_solution_and_not_a_hard_coded_copy(chapter, name):
    ns = {}
    exec("import numpy as np\n" + SIGMOID + "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n"
         "def softplus(z):\n    return np.logaddexp(0.0, z)\n"
         + solutions(chapter).SOLUTIONS[name], ns)
    ex = E.get(chapter, name)
    at_zero = E.run_function(ex, ns[ex.function_name], 0)
    assert ex.evaluate(at_zero, 0).full_marks
    assert not ex.evaluate(at_zero, 777).full_marks
    assert ex.evaluate(E.run_function(ex, ns[ex.function_name], 777), 777).full_marks
def test_retyping_the_chapters_formulas_does_not_pass_chapters_3_to_5():
    """Exercises 3-5 ask for what the chapters did not print: their formulas alone fail."""
    result, _ = checked("ch03", "count_paths", "import math\n"
                        "def count_paths(sizes, l, j, q, i):\n    return math.prod(sizes[l + 1:])\n")
    assert not result.full_marks
    result, _ = checked("ch04", "dy_dx", "def dy_dx(x):\n"
                        "    return np.exp(np.sin(x ** 2)) * np.cos(x ** 2) * 2 * x\n")
    assert result.score == 0
    result, _ = checked("ch05", "best_nudge", "def best_nudge(delta, eps):\n"
                        "    return 1, -eps\n")
    assert result.score < result.max_score / 2


def test_ch05_estimate_delta_that_changes_z_in_place_loses_half_and_is_told_why():
    """The statement says "do not change z itself": the check holds it to that."""
    ns = {}
    exec("import numpy as np\n"
         "def estimate_delta(C, z, j, eps):\n"
         "    z[j - 1] += eps\n    up = C(z)\n    z[j - 1] -= 2 * eps\n    down = C(z)\n"
         "    return (up - down) / (2 * eps)\n", ns)
    ex = E.get("ch05", "estimate_delta")
    outcomes, changed = E.run_calls(ex, ns["estimate_delta"], ex.inputs(0))
    assert any(changed)
    result = E.apply_requirements(ex, ex.evaluate(outcomes, 0), outcomes, changed)
    assert result.score == ex.points / 2 and "changed its input in place" in result.message
