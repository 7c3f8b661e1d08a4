"""Binder's environment, built on this machine from what Binder reads, then every notebook run in it.

Binder builds its image with repo2docker. For this repository, repo2docker (release 2026.04,
``repo2docker/buildpacks/python``) does the following, and the slow test below does the same
with a fresh virtual environment instead of a container image:

1. It reads the configuration files at the top of the repository (there is no ``binder/``
   folder): a ``requirements.txt`` and no ``environment.yml``, ``Pipfile`` or ``Dockerfile``
   selects its Python build pack.
2. It takes the Python version from ``runtime.txt`` (``python-X.Y``). Without that file it
   would use its default, 3.10, or, when ``requires-python`` in ``pyproject.toml`` excludes
   3.10, the newest version it supports; a ``runtime.txt`` that ``requires-python`` excludes
   stops the build.
3. It runs ``pip install --no-cache-dir -r requirements.txt``, then, because
   ``pyproject.toml`` has ``[project]`` and ``[build-system]``, ``pip install --no-cache-dir .``.

The Python interpreter comes from pyenv (``/root/.pyenv/versions/X.Y.*``), or from
``BPKIT_BINDER_PYTHON``; without one of the version Binder would choose, the test is skipped
and says which version it needs. Run it alone with
``.venv/bin/python -m pytest -p no:cacheprovider -s tests/test_binder.py`` (``-s`` shows the
install time and the size of the environment).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[1]
# repo2docker's default Python and the versions it supports
# (repo2docker/buildpacks/conda/__init__.py and supported_python_version.py, 2026.04).
REPO2DOCKER_DEFAULT = "3.10"
REPO2DOCKER_SUPPORTED = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14")
# Files that would make repo2docker choose another build pack than its Python one.
OTHER_BUILDPACKS = ("environment.yml", "Pipfile", "Pipfile.lock", "Dockerfile", "Project.toml",
                    "install.R", "DESCRIPTION", "flake.nix")
PYENV = Path(os.environ.get("PYENV_ROOT", "/root/.pyenv")) / "versions"


def binder_python(root=ROOT):
    """The Python version repo2docker picks for the repository at `root`, as "X.Y"."""
    runtime = root / "runtime.txt"
    requires = tomllib.loads((root / "pyproject.toml").read_text())["project"].get(
        "requires-python")
    if runtime.exists():
        match = re.fullmatch(r"python-(\d+\.\d+)", runtime.read_text().strip())
        assert match, f"runtime.txt must read python-X.Y, not {runtime.read_text()!r}"
        version = match[1]
        assert requires is None or version in SpecifierSet(requires), (
            f"runtime.txt asks for Python {version}, which requires-python = {requires!r} "
            "excludes: repo2docker stops the build")
        return version
    if requires is None or REPO2DOCKER_DEFAULT in SpecifierSet(requires):
        return REPO2DOCKER_DEFAULT
    allowed = list(SpecifierSet(requires).filter(REPO2DOCKER_SUPPORTED))
    assert allowed, f"repo2docker supports no Python that requires-python = {requires!r} allows"
    return allowed[-1]


def interpreter(version):
    """A Python executable of `version` ("X.Y") on this machine, or None."""
    named = os.environ.get("BPKIT_BINDER_PYTHON")
    if named:
        return Path(named)
    found = sorted(PYENV.glob(f"{version}.*/bin/python{version}"),
                   key=lambda p: [int(n) for n in p.parts[-3].split(".") if n.isdigit()])
    if found:
        return found[-1]
    which = shutil.which(f"python{version}")
    return Path(which) if which else None


def test_binder_reads_the_python_buildpack_files():
    """No binder/ folder and no file of another build pack: repo2docker reads the top-level
    requirements.txt, runtime.txt and pyproject.toml, the files the slow test installs."""
    for folder in ("binder", ".binder"):
        assert not (ROOT / folder).exists(), (
            f"{folder}/ exists: repo2docker would read only that folder")
    others = [name for name in OTHER_BUILDPACKS if (ROOT / name).exists()]
    assert not others, f"{others} would make repo2docker use another build pack"
    assert (ROOT / "requirements.txt").exists()


def test_binder_python_satisfies_every_pin():
    """The Python Binder picks is one that requires-python allows, and requirements.txt does
    not install the book's build tools (Binder's image does not need them)."""
    version = binder_python()
    assert version in SpecifierSet(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"])
    pins = (ROOT / "requirements.txt").read_text().lower()
    assert "jupyter-book" not in re.sub(r"#.*", "", pins), (
        "requirements.txt installs jupyter-book: it belongs in requirements-book.txt")


def repository_copy(dest):
    """The files of the repository as git sees them (tracked, and new files not ignored), as
    Binder's clone has them, without .venv, _build or node_modules."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, capture_output=True, check=True)
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def directory_mb(path):
    return sum(p.stat().st_size for p in Path(path).rglob("*")
               if p.is_file() and not p.is_symlink()) / 2**20


# Runs inside the Binder environment: executes each notebook in its own folder (as JupyterLab
# does) with that environment's kernel, and prints one JSON line per notebook.
RUNNER = r"""
import json, sys, time
from pathlib import Path
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

for name in sys.argv[1:]:
    path = Path(name)
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    error = None
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    except CellExecutionError as exc:
        error = str(exc).strip().splitlines()[-1]
    printed = [o.get("text", "") for c in nb.cells if c.cell_type == "code"
               for o in c.get("outputs", []) if o.get("output_type") == "stream"]
    print(json.dumps({"notebook": name, "error": error, "printed": printed,
                      "seconds": round(time.perf_counter() - start, 1)}), flush=True)
"""


@pytest.mark.slow
def test_binder_environment_runs_every_notebook(tmp_path):
    version = binder_python()
    python = interpreter(version)
    if python is None or not python.exists():
        pytest.skip(f"Binder would use Python {version}; no python{version} on this machine "
                    "(set BPKIT_BINDER_PYTHON)")
    repo = repository_copy(tmp_path / "repo")
    venv = tmp_path / "binder-env"
    subprocess.run([str(python), "-m", "venv", str(venv)], check=True)
    bin_dir = venv / "bin"
    # The kernel spec that ipykernel installs starts "python": the environment's bin comes first,
    # and Jupyter looks for kernels and settings only in this environment and the test's folders.
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
               VIRTUAL_ENV=str(venv), JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"), MPLBACKEND="agg",
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PYTHONPATH", None)
    pip = [str(bin_dir / "python"), "-m", "pip", "install", "--no-cache-dir", "-q"]
    start = time.perf_counter()
    for step in (pip + ["-r", "requirements.txt"], pip + ["."]):
        done = subprocess.run(step, cwd=repo, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{' '.join(step[3:])} failed:\n{done.stderr[-3000:]}"
    installed = time.perf_counter() - start
    print(f"\nBinder environment (Python {version}, {python}): installed in {installed:.0f} s, "
          f"{directory_mb(venv):.0f} MB")

    def run(*args):
        return subprocess.run([str(bin_dir / args[0]), *args[1:]], cwd=repo, env=env,
                              capture_output=True, text=True)

    check = run("python", "-m", "pip", "check")
    assert check.returncode == 0, f"pip check: {check.stdout}{check.stderr}"
    assert run("python", "-m", "pip", "show", "-q", "jupyter-book").returncode != 0, (
        "jupyter-book was installed into Binder's environment")
    extensions = run("jupyter", "labextension", "list")
    listing = re.sub(r"\x1b\[[0-9;]*m", "", extensions.stdout + extensions.stderr)  # colours
    assert re.search(r"jupyterlab-myst v\S+ enabled", listing), (
        f"jupyterlab-myst is not an enabled JupyterLab extension:\n{listing}")

    # First a notebook that reports which Python its kernel runs: the environment's own.
    probe = tmp_path / "probe.ipynb"
    probe_nb = {"cells": [{"cell_type": "code", "execution_count": None, "id": "probe",
                           "metadata": {}, "outputs": [],
                           "source": "import sys, bpkit; print(sys.prefix); print(bpkit.__file__)"}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    probe.write_text(json.dumps(probe_nb))
    notebooks = sorted(str(p.relative_to(repo)) for folder in ("book", "exercises")
                       for p in (repo / folder).glob("*.ipynb"))
    assert notebooks, "no notebooks in book/ or exercises/"
    ran = subprocess.run([str(bin_dir / "python"), "-c", RUNNER, str(probe), *notebooks],
                         cwd=repo, env=env, capture_output=True, text=True, timeout=3600)
    results = [json.loads(line) for line in ran.stdout.splitlines() if line.startswith("{")]
    assert ran.returncode == 0 and len(results) == len(notebooks) + 1, (
        f"the notebook runner stopped:\n{ran.stderr[-3000:]}")
    prefix, module = results[0]["printed"][0].split()
    assert Path(prefix) == venv, f"the kernel ran {prefix}, not the Binder environment"
    assert Path(module).is_relative_to(venv) or Path(module).is_relative_to(repo), module
    failed = [f"{r['notebook']}: {r['error']}" for r in results[1:] if r["error"]]
    for r in results[1:]:
        print(f"  {r['notebook']}: {r['seconds']} s")
    assert not failed, "notebooks that fail in Binder's environment:\n" + "\n".join(failed)
