"""How long the grader takes: 100 submissions, graded with ``--jobs 2``.

    .venv/bin/python benchmarks/bench_grade.py [--n 100] [--jobs 2] [--chapter ch02]

The submissions are copies of the chapter's exercise notebook whose answer cells are drawn at
random from ``tests/solutions/<chapter>.py``: the reference solution, one of its known
mistakes, the answer as handed out, or ``return None``. (Without those files it falls back to
the grader tests' stand-in chapter ``ch90``.) It also times what every submission pays before
any grading: starting a kernel, and what the sandbox adds (bubblewrap around a bare Python
start). Goals (issue 12): median per submission <= 1.5 s, 100 submissions in <= 120 s with
``--jobs 2``.
"""
import argparse
import csv
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def kernel_startup_seconds(repeat=5):
    """Wall time of executing a one-cell notebook in a fresh kernel (start, run, shut down)."""
    from nbclient import NotebookClient

    times = []
    for _ in range(repeat):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import bpkit")])
        start = time.perf_counter()
        NotebookClient(nb, kernel_name="python3", shutdown_kernel="immediate").execute()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def sandbox_overhead_seconds(repeat=5):
    """Median wall time of ``python -c pass`` in the grader's sandbox, and without it."""
    from bpkit.exercises import chapters
    from bpkit.grade.sandbox import STUDENT_UID, Runner

    runner = Runner("bpkit.exercises", chapters())
    inside, bare = [], []
    try:
        with tempfile.TemporaryDirectory() as work, tempfile.TemporaryDirectory() as task:
            runner._own(work, STUDENT_UID)
            os.chmod(task, 0o755)
            cmd = runner._command(work, task, STUDENT_UID)
            cmd[-1:] = ["-c", "pass"]
            for _ in range(repeat):
                start = time.perf_counter()
                subprocess.run(cmd, check=True)
                inside.append(time.perf_counter() - start)
                start = time.perf_counter()
                subprocess.run([sys.executable, "-c", "pass"], check=True)
                bare.append(time.perf_counter() - start)
    finally:
        runner.close()
    return statistics.median(inside), statistics.median(bare)


def _load(path):
    spec = importlib.util.spec_from_file_location(path.stem + "_solutions", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def real_submissions(chapter):
    """(notebook, env) for the chapter's notebook solved, or None if its files are missing."""
    notebooks = sorted((ROOT / "exercises").glob(f"{chapter}_*.ipynb"))
    solutions = ROOT / "tests" / "solutions" / f"{chapter}.py"
    if not notebooks or not solutions.exists():
        return None
    return nbformat.read(notebooks[0], as_version=4), _load(solutions), {}


def answer_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"
            and c.get("metadata", {}).get("bpkit", {}).get("answer")]


def make_variants(nb, solutions, n, rng):
    """``n`` copies of ``nb``: solved, with a varied mistake in some answers."""
    out = []
    for _ in range(n):
        copy = nbformat.from_dict(json.loads(json.dumps(nb)))
        for cell in answer_cells(copy):
            name = cell.metadata["bpkit"]["answer"]
            solved = solutions.SOLUTIONS.get(name)
            if solved is None or not solved.lstrip().startswith("def "):
                continue
            mistakes = list(getattr(solutions, "MISTAKES", {}).get(name, {}).values())
            fate = rng.choices(["solved", "known mistake", "as handed out", "return None"],
                               [5, 2 if mistakes else 0, 1, 1])[0]
            if fate == "solved":
                cell.source = solved
            elif fate == "known mistake":
                cell.source = rng.choice(mistakes)
            elif fate == "return None":
                cell.source = solved.lstrip().split("\n", 1)[0] + "\n    return None\n"
        out.append(copy)
    return out


def fake_variants(n, rng):
    sys.path.insert(0, str(ROOT / "tests"))
    from test_grader import CORRECT, FIXTURES, notebook

    env = {"BPKIT_EXERCISES": "fake_exercises",
           "PYTHONPATH": os.pathsep.join([str(FIXTURES), str(ROOT)])}
    out = []
    for _ in range(n):
        answers = {k: rng.choice([v, v, v, "return None", "raise NotImplementedError"])
                   for k, v in CORRECT.items()}
        out.append(notebook(**answers))
    return out, env


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--chapter", default="ch02")
    args = parser.parse_args(argv)
    rng = random.Random(0)

    real = real_submissions(args.chapter)
    if real:
        nb, solutions, env = real
        notebooks = make_variants(nb, solutions, args.n, rng)
        label = f"{args.chapter} notebook, reference solutions with varied mistakes"
    else:
        notebooks, env = fake_variants(args.n, rng)
        label = "stand-in chapter ch90 (exercises/ or tests/solutions/ missing)"

    startup = kernel_startup_seconds()
    boxed, bare = sandbox_overhead_seconds()
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        subs = Path(tmp) / "submissions"
        subs.mkdir()
        for i, nb in enumerate(notebooks):
            nbformat.write(nb, subs / f"student{i:03d}.ipynb")
        out = Path(tmp) / "graded"
        cmd = [sys.executable, "-m", "bpkit.grade", str(subs), "--out", str(out),
               "--jobs", str(args.jobs)]
        start = time.perf_counter()
        run = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **env})
        wall = time.perf_counter() - start
        if run.returncode != 0:
            sys.exit(f"grader failed:\n{run.stderr}")
        with open(out / "scores.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        results = [json.loads((out / f"student{i:03d}" / "results.json").read_text())
                   for i in range(args.n)]
    each = [r["execution_time"] for r in results]
    ready = [r["extra_data"]["kernel_ready_seconds"] for r in results
             if "kernel_ready_seconds" in r.get("extra_data", {})]
    for row, result in zip(rows, results):
        if row["status"] != "graded":
            print(f"{Path(row['submission']).name}: {result['output']}")

    statuses = {}
    for row in rows:
        statuses[row["status"]] = statuses.get(row["status"], 0) + 1
    totals = [float(r["total"]) for r in rows]
    print(f"submissions: {args.n} ({label}), --jobs {args.jobs}, {os.cpu_count()} cores")
    print(f"statuses: {statuses}; scores min/median/max: {min(totals):g}/"
          f"{statistics.median(totals):g}/{max(totals):g} of {rows[0]['max']}")
    print(f"kernel start-up (start, one cell, shut down), median of 5: {startup:.2f} s")
    print(f"wall time for the batch: {wall:.1f} s = {wall / args.n:.2f} s per submission")
    print(f"time per submission, from reading it to its scores: median "
          f"{statistics.median(each):.2f} s, max {max(each):.2f} s")
    print(f"of which kernel ready (worker start + kernel start-up, in the batch): median "
          f"{statistics.median(ready):.2f} s")
    sandbox = [r["extra_data"]["sandbox_seconds"] for r in results
               if "sandbox_seconds" in r.get("extra_data", {})]
    print(f"sandbox overhead: python -c pass takes {boxed * 1000:.0f} ms in the sandbox, "
          f"{bare * 1000:.0f} ms without it (+{(boxed - bare) * 1000:.0f} ms)")
    print(f"time inside the sandbox per submission (worker, kernel, cells): median "
          f"{statistics.median(sandbox):.2f} s")
    median = statistics.median(each)
    print(f"goal median <= 1.5 s: {'met' if median <= 1.5 else 'NOT met'} ({median:.2f} s); "
          f"goal {args.n} in <= {args.n * 1.2:.0f} s: "
          f"{'met' if wall <= args.n * 1.2 else 'NOT met'} ({wall:.1f} s)")
    print(f"machine load average (1, 5, 15 min) at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
