"""The command line: ``python -m bpkit.grade`` (console script ``bpkit-grade``).

    python -m bpkit.grade SUBMISSIONS... --out DIR [--jobs N] [--timeout-cell S]
                          [--timeout-notebook S] [--memory-mb M] [--force] [--no-sandbox]

Reads every submission first, grades each in a sandbox of its own, then (every kernel dead)
writes ``DIR/scores.csv`` and, per submission, ``DIR/<name>/results.json`` and
``DIR/<name>/feedback.md``. Exit status: 0 graded, 2 usage error, 3 no sandbox possible here
(rerun with ``--no-sandbox`` to grade without isolation), 130 interrupted (what was graded is
written, the rest has rows that say so).
"""
import argparse
import concurrent.futures
import os
import signal
import sys
import time
from pathlib import Path

from ..exercises import chapters
from .gradescope import collect_gradescope, export_gradescope
from .reports import check_output_dir, print_summary, write_all
from .sandbox import Runner, SandboxUnavailable
from .scoring import Exercises, grade_file
from .submissions import NotGradable, collect, printable, read_submission, unique_stems

# Which package holds the exercises; tests point it at a small stand-in.
EXERCISES_MODULE = os.environ.get("BPKIT_EXERCISES", "bpkit.exercises")


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
    parser.add_argument("--no-sandbox", action="store_true",
                        help="grade without the bubblewrap sandbox (every result then says "
                        "the run was not isolated)")
    parser.epilog = ("python -m bpkit.grade --export-gradescope DIR writes an autograder "
                     "bundle for Gradescope (DIR/autograder.zip).")
    args = parser.parse_args(argv)
    if args.jobs < 1 or args.timeout_cell <= 0 or args.timeout_notebook <= 0 \
            or args.memory_mb < 256:
        parser.error("--jobs must be >= 1, timeouts > 0 and --memory-mb >= 256")
    return args


def _read(path):
    try:
        return read_submission(path)
    except NotGradable as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - never lose the batch over one file
        return NotGradable("unreadable", printable(f"The file could not be read: {exc}"))


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
    # Every file is read before any kernel runs: nothing a notebook does can change another.
    contents = [_read(path) for path in submissions]
    exercises = Exercises(EXERCISES_MODULE)
    try:
        runner = Runner(EXERCISES_MODULE, chapters(), isolated=not args.no_sandbox)
    except SandboxUnavailable as exc:
        print(f"bpkit-grade: no sandbox: {exc}. Refusing to run students' code without one; "
              "--no-sandbox grades anyway and marks every result as not isolated.",
              file=sys.stderr)
        return 3
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    started = time.monotonic()
    records = [None] * len(submissions)
    interrupted = False
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs)
    try:
        futures = {pool.submit(grade_file, path, data, exercises, runner, args): i
                   for i, (path, data) in enumerate(zip(submissions, contents))}
        for future in concurrent.futures.as_completed(futures):
            i = futures[future]
            try:
                records[i] = future.result()
            except BaseException as exc:  # noqa: BLE001 - one submission never stops the batch
                records[i] = _failed(submissions[i], f"{type(exc).__name__}: {exc}", runner)
    except KeyboardInterrupt:
        interrupted = True
        runner.stop_all()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    for i, record in enumerate(records):
        if record is None:
            records[i] = _failed(submissions[i], "the grader was interrupted before this "
                                 "submission was graded", runner, status="not graded")
    columns = []
    for chapter in sorted({r["chapter"] for r in records if r["chapter"]}):
        columns += [f"{chapter}:{name}" for name in exercises.chapter(chapter)]
    write_all(args.out, records, stems, columns)
    runner.close()
    print_summary(records, stems, time.monotonic() - started)
    return 130 if interrupted else 0


def _failed(path, why, runner, status="grader error"):
    return {"path": printable(str(path)), "chapter": "", "status": status,
            "message": printable(why)[:500], "tests": [], "timings": {},
            "isolated": runner.isolated, "seconds": 0.0, "score": 0.0, "max_score": 0.0}
