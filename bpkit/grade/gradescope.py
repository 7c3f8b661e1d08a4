"""Gradescope: an autograder bundle that runs this grader on one submission.

Gradescope's layout (its "autograder specifications"): the bundle is unzipped into
``/autograder/source``, the student's files are in ``/autograder/submission``, and
``run_autograder`` must write ``/autograder/results/results.json``. Gradescope runs
``run_autograder`` as root, and its guidance is to run students' code as an unprivileged user:
the grader's sandbox does that (and, where Gradescope's container cannot make a sandbox,
``--no-sandbox`` still drops to an unprivileged user and the results say "not isolated").
"""
import json
import re
import zipfile
from pathlib import Path

from .reports import MANIFEST

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder image.
set -euo pipefail
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv python3-pip \\
    bubblewrap util-linux
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install -q -r /autograder/source/requirements.txt
/autograder/venv/bin/pip install -q /autograder/source/bpkit-src
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission; it writes results/results.json.
set -u
ROOT="${AUTOGRADER_ROOT:-/autograder}"
PY="${BPKIT_GRADER_PYTHON:-$ROOT/venv/bin/python}"
GRADED="$(mktemp -d)/graded"
ARGS=("$ROOT/submission" --out "$GRADED" --jobs 1 --timeout-cell 60 --timeout-notebook 600 \\
      --memory-mb 3072)
"$PY" -m bpkit.grade "${ARGS[@]}"
if [ $? -eq 3 ]; then   # no sandbox in this container: run without it, and say so
  "$PY" -m bpkit.grade "${ARGS[@]}" --no-sandbox
fi
mkdir -p "$ROOT/results"
"$PY" -m bpkit.grade --collect-gradescope "$GRADED" "$ROOT/results/results.json"
"""

BUNDLE_REQUIREMENTS = ["numpy", "scipy", "matplotlib", "ipywidgets", "scikit-learn",
                       "nbclient", "nbformat", "ipykernel", "threadpoolctl"]


def export_gradescope(dest):
    """Write a Gradescope autograder bundle into the new folder ``dest`` and zip it."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise SystemExit(f"bpkit-grade: {dest} is not empty; choose a new folder")
    package = Path(__file__).resolve().parents[1]
    root = package.parent
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
    """Merge the results of the notebooks of one Gradescope submission into ``target``.

    Only the results the grader itself wrote count (its manifest), never whatever else a
    folder holds.
    """
    graded, target = Path(graded), Path(target)
    try:
        ours = json.loads((graded / MANIFEST).read_text())
    except (OSError, ValueError):
        ours = {}
    parts = sorted(graded / name for name in ours if isinstance(name, str)
                   and name.endswith("/results.json") and name.count("/") == 1)
    results = []
    for part in parts:
        try:
            results.append((part, json.loads(part.read_text())))
        except (OSError, ValueError):
            continue
    if not results:
        merged = {"score": 0, "output": "No Jupyter notebook (.ipynb) was found in the "
                  "submission: upload your exercise notebook.", "tests": []}
    else:
        merged = {"score": sum(r["score"] for _, r in results),
                  "output": "\n\n".join(f"{p.parent.name}: {r['output']}" for p, r in results),
                  "visibility": "visible",
                  "tests": [t for _, r in results for t in r["tests"]]}
        for number, test in enumerate(merged["tests"], start=1):
            test["number"] = str(number)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(merged, indent=2))
    return merged
