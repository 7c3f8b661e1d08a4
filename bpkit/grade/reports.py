"""Reports: ``scores.csv``, and per submission ``results.json`` (Gradescope's format) and
``feedback.md``.

They are written only after every kernel is dead, each atomically (a temporary file, then a
rename), under names derived safely (``submissions.unique_stems``), with text that is always
valid UTF-8. A manifest records the checksum of every file written, so that ``--force`` only
ever replaces the grader's own files.
"""
import csv
import hashlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

from .submissions import printable

RECORD_FILES = ("results.json", "feedback.md")
MANIFEST = ".bpkit-grade-files.json"
NOT_ISOLATED = ("NOT ISOLATED: this run used --no-sandbox, so the notebooks could read and "
                "change what the grader's user can; treat its scores as unverified.")


def gradescope_results(record):
    """The Gradescope ``results.json`` of one graded submission."""
    summary = f"{record['score']:g} / {record['max_score']:g} points. Status: {record['status']}."
    if record["message"]:
        summary += "\n" + record["message"]
    if not record.get("isolated", True):
        summary += "\n" + NOT_ISOLATED
    return {
        "score": record["score"],
        "execution_time": record["seconds"],
        "output": summary,
        "extra_data": {"status": record["status"], "isolated": record.get("isolated", True),
                       **record["timings"]},
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
    if not record.get("isolated", True):
        lines += [NOT_ISOLATED, ""]
    if record["message"]:
        lines += [record["message"], ""]
    for t in record["tests"]:
        lines += [f"## {t['name']} {t['title']}: {t['score']:g} / {t['max_score']:g}", "",
                  "```text", t["output"].replace("```", "'''"), "```", ""]
    return "\n".join(lines)


def check_output_dir(out, submissions, stems, force):
    """Refuse an output folder that would overwrite results or sit next to the submissions."""
    out = out.resolve()
    for path in submissions:
        if Path(os.path.abspath(path)).parent.resolve() == out:
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
        if folder.exists() and (folder.is_symlink() or not folder.is_dir()):
            raise SystemExit(f"bpkit-grade: {folder} exists and is not a folder")
    ours = written_before(out)
    for path in [out / "scores.csv"] + [out / s / f for s in stems for f in RECORD_FILES]:
        if path.exists() and ours.get(path.relative_to(out).as_posix()) != _sha256(path):
            raise SystemExit(f"bpkit-grade: {path} exists and the grader did not write it "
                             "(or it was edited since); it is not replaced")


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


def _atomic_write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    data = printable(text).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return hashlib.sha256(data).hexdigest()


def write_all(out, records, stems, columns):
    """Every result file, then scores.csv, then the manifest; each atomically."""
    out.mkdir(parents=True, exist_ok=True)
    ours = written_before(out)
    for stem, record in zip(stems, records):
        for name, text in (("results.json", json.dumps(gradescope_results(record), indent=2)),
                           ("feedback.md", feedback_markdown(record))):
            ours[f"{stem}/{name}"] = _atomic_write(out / stem / name, text)
    ours["scores.csv"] = _atomic_write(out / "scores.csv", scores_csv(records, columns))
    _atomic_write(out / MANIFEST, json.dumps(ours, indent=1, sort_keys=True))


def scores_csv(records, columns):
    table = io.StringIO()
    writer = csv.writer(table)
    isolated = all(r.get("isolated", True) for r in records)
    writer.writerow(["submission", "chapter"] + columns + ["total", "max", "status"]
                    + ([] if isolated else ["isolation"]))
    for r in records:
        by_name = {t["name"]: t["score"] for t in r["tests"]}
        writer.writerow([r["path"], r["chapter"]]
                        + [f"{by_name[c]:g}" if c in by_name else "" for c in columns]
                        + [f"{r['score']:g}", f"{r['max_score']:g}", r["status"]]
                        + ([] if isolated else ["not isolated (--no-sandbox)"]))
    return table.getvalue()


def print_summary(records, stems, seconds, stream=sys.stdout):
    width = max([len(s) for s in stems] + [10])
    print(f"{'submission':<{width}}  {'chapter':<7}  {'score':>11}  status", file=stream)
    for stem, r in zip(stems, records):
        score = f"{r['score']:g}/{r['max_score']:g}"
        print(f"{stem:<{width}}  {r['chapter'] or '-':<7}  {score:>11}  {r['status']}",
              file=stream)
    print(f"{len(records)} submission(s) graded in {seconds:.1f} s", file=stream)
