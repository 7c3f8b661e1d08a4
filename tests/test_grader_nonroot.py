"""The grader run by an ordinary user, not root: the sandbox is then made with bubblewrap's
``--unshare-user`` instead of dropping to a student's uid with setpriv (``Runner._command``).

CI runs as root, so this module builds what such a user needs and runs the real grader as
one (uid ``GRADER_UID``, with setpriv): a venv of the system's Python, in a fresh
world-readable folder, with a copy of this project installed in it (editable), and
submissions, a ``$HOME`` and ``--out`` that this user owns, as an instructor's would be. The
student's code then runs as the very user who runs the grader, so only the sandbox keeps it
from the classmates' files, ``--out``, the project, the network and the grader's processes.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from test_grader import FULL, ROOT, WRONG, notebook
from test_grader_hostile import (EMPTY, KILL_THE_GRADER, SECRET, loopback_notebook, rows_of,
                                 run_grader)

pytestmark = pytest.mark.slow

GRADER_UID = 62000
SYSTEM_PYTHON = "/usr/bin/python3"
AS_GRADER = ["setpriv", f"--reuid={GRADER_UID}", f"--regid={GRADER_UID}", "--clear-groups",
             "--"]
# What of the project the copy holds: the package, what installs it, the grader's fixtures
# and the instructor's solutions (a target: they must stay out of reach).
PROJECT_FILES = ("bpkit", "pyproject.toml", "README.md", "tests/grader_fixtures",
                 "tests/solutions")
LEFTOVER = "987653"   # in the command line of a process a notebook leaves behind
FORKS = 600           # more processes than a sandbox may have


def why_it_cannot_run():
    """Why this machine cannot run the grader as an ordinary user, or None."""
    if sys.platform != "linux":
        return f"the sandbox needs Linux; this is {sys.platform}"
    if os.geteuid() != 0:
        return "not root: running the grader as another user (setpriv) needs root"
    if not shutil.which("setpriv"):
        return "setpriv (util-linux) is not installed"
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        return f"no {SYSTEM_PYTHON} for an ordinary user's venv"
    bwrap = shutil.which("bwrap")
    if not bwrap:
        return "bubblewrap (bwrap) is not installed"
    probe = subprocess.run(
        AS_GRADER + [bwrap, "--unshare-all", "--die-with-parent", "--ro-bind", "/usr", "/usr",
                     "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
                     "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev",
                     SYSTEM_PYTHON, "-c", "pass"], capture_output=True, text=True, cwd="/")
    if probe.returncode != 0:
        return ("an ordinary user cannot make a sandbox here (unprivileged user namespaces?): "
                + probe.stderr.strip()[:200])
    return None


def constraints(folder):
    """requirements.txt's pins (without its editable line), as a pip constraints file."""
    pins = [line for line in (ROOT / "requirements.txt").read_text().splitlines()
            if line.strip() and not line.lstrip().startswith(("#", "-"))]
    path = folder / "constraints.txt"
    path.write_text("\n".join(pins) + "\n")
    return path


def own(path):
    """Give ``path`` and all below it to the grader's user (never what a link points to:
    the venv's python is a link to the system's)."""
    for folder, dirs, files in os.walk(path):
        for name in [folder] + [os.path.join(folder, f) for f in files]:
            os.chown(name, GRADER_UID, GRADER_UID, follow_symlinks=False)


@pytest.fixture(scope="module")
def user_env():
    """A venv, a project copy and a home for the ordinary user; removed at the end."""
    reason = why_it_cannot_run()
    if reason:
        pytest.skip(reason)
    top = Path(tempfile.mkdtemp(prefix="bpkit-nonroot-", dir="/var/tmp"))
    try:
        os.chmod(top, 0o755)
        started = time.monotonic()
        project = top / "project"
        for name in PROJECT_FILES:
            if (ROOT / name).is_dir():
                shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns(
                    "__pycache__", "*.egg-info"))
            elif (ROOT / name).exists():
                (project / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, project / name)
        venv = top / "venv"
        made = subprocess.run([SYSTEM_PYTHON, "-m", "venv", str(venv)], capture_output=True,
                              text=True)
        if made.returncode != 0:
            pytest.skip(f"{SYSTEM_PYTHON} cannot make a venv: {made.stderr.strip()[:200]}")
        python = venv / "bin" / "python"
        install = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
             "--no-compile", "-c", str(constraints(top)), "-e", str(project)],
            capture_output=True, text=True, cwd="/")
        assert install.returncode == 0, install.stderr[-3000:]
        home = top / "home"
        home.mkdir()
        (top / "tmp").mkdir()   # the grader's temporary folders, to see that none is left
        # Everything the instructor has is the instructor's: only the sandbox keeps a
        # notebook (run by the same user) out of it.
        own(top)
        env = {"HOME": str(home), "PATH": f"{venv / 'bin'}:/usr/bin:/bin", "LANG": "C.UTF-8",
               "USER": "instructor", "TMPDIR": str(top / "tmp")}
        # pip compiled nothing (half its time): this compiles what the grader and the worker
        # import, as the grader's user, who owns the venv.
        where = subprocess.run(AS_GRADER + [
            str(python), "-c", "import IPython, bpkit.grade, fake_exercises; "
            "print(bpkit.grade.__file__)"], capture_output=True, text=True, cwd=home,
            env=dict(env, PYTHONPATH=str(project / "tests" / "grader_fixtures")))
        assert where.returncode == 0, where.stderr
        assert Path(where.stdout.strip()) == project / "bpkit" / "grade" / "__init__.py"
        print(f"\nvenv and project copy for uid {GRADER_UID}: "
              f"{time.monotonic() - started:.1f} s")
        yield {"top": top, "python": python, "project": project, "home": home, "env": env,
               "tmp": top / "tmp"}
    finally:
        shutil.rmtree(top, ignore_errors=True)


def grade_as_user(user_env, paths, out, *extra, **kwargs):
    """The real grader, run by the ordinary user with the venv and the project copy."""
    return run_grader(paths, out, *extra, python=str(user_env["python"]), user=AS_GRADER,
                      base_env=user_env["env"], root=user_env["project"],
                      cwd=user_env["home"], **kwargs)


@pytest.fixture(scope="module")
def batch(user_env):
    home, project = user_env["home"], user_env["project"]
    subs = home / "submissions"
    subs.mkdir()
    out = home / "out"
    victim, classmate = subs / "z_victim.ipynb", subs / "z_classmate.ipynb"
    nbformat.write(notebook(), subs / "correct.ipynb")
    nbformat.write(notebook(double=WRONG, rate=0.2), subs / "wrong.ipynb")
    nbformat.write(notebook(), victim)
    nbformat.write(notebook(), classmate)
    # A classmate's answer, read from the submissions folder.
    nbformat.write(notebook(double=EMPTY, after=[
        "import json\n"
        f"for cell in json.load(open({str(classmate)!r}))['cells']:\n"
        "    if ''.join(cell['source']).startswith('def double'):\n"
        "        exec(''.join(cell['source']))"]), subs / "a_thief.ipynb")
    # A classmate's file overwritten; results forged in --out; files written into the
    # project copy and into the venv (all of them the grader's user's own).
    site = next((user_env["top"] / "venv" / "lib").glob("python*/site-packages"))
    nbformat.write(notebook(double=EMPTY, before=[
        "import os, pathlib\n"
        f"pathlib.Path({str(victim)!r}).write_text('{{}}')\n"
        f"os.makedirs({str(out / 'ghost')!r}, exist_ok=True)\n"
        f"open({str(out / 'ghost' / 'results.json')!r}, 'w').write('{{\"score\": 100}}')\n"
        f"open({str(project / 'bpkit' / '_student_was_here.py')!r}, 'w').write('x = 1')\n"
        f"open({str(site / '_student_was_here.pth')!r}, 'w').write('')"]),
        subs / "a_saboteur.ipynb")
    # Processes that try to outlive the run: a new session, and a double fork.
    nbformat.write(notebook(before=[
        "import os, subprocess\n"
        f"subprocess.Popen(['sleep', '{LEFTOVER}'], start_new_session=True)\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        f"        os.execvp('sleep', ['sleep', '{LEFTOVER}1'])\n"
        "    os._exit(0)"]), subs / "a_outlive.ipynb")
    # Every process this user may signal, killed; and the grader's, by its command line.
    nbformat.write(notebook(double=EMPTY, before=[
        "import os, signal\nos.kill(-1, signal.SIGKILL)", KILL_THE_GRADER]),
        subs / "a_killer.ipynb")
    # A fork bomb's start: this double is right only if the sandbox's process count is
    # limited (to 512, as when root runs the grader).
    nbformat.write(notebook(double=f"return (3 if FORKED >= {FORKS} else 2) * x", before=[
        "import os, time\n"
        "FORKED = 0\n"
        f"for _ in range({FORKS}):\n"
        "    try:\n"
        "        pid = os.fork()\n"
        "    except OSError:\n"
        "        break\n"
        "    if pid == 0:\n"
        "        time.sleep(60)\n"
        "        os._exit(0)\n"
        "    FORKED += 1"], after=["raise RuntimeError(f'forked {FORKED}')"]),
        subs / "a_forks.ipynb")
    # Honest code that looks itself up in the user database (as getpass, pathlib's
    # expanduser("~user") or a library's cache folder may).
    nbformat.write(notebook(before=["import os, pwd\nME = pwd.getpwuid(os.getuid())"],
                            double="return 2 * x if ME.pw_dir == os.environ['HOME'] else x"),
                   subs / "b_whoami.ipynb")
    server = loopback_notebook(subs / "a_network.ipynb")   # the host's loopback
    own(subs)
    victim_bytes = victim.read_bytes()
    started = time.monotonic()
    try:
        run = grade_as_user(user_env, [subs], out)
    finally:
        server.close()
    seconds = time.monotonic() - started
    leftovers = subprocess.run(["pgrep", "-f", f"sleep {LEFTOVER}"], capture_output=True,
                               text=True).stdout.strip()
    print(f"\n{len(list(subs.glob('*.ipynb')))} submissions graded as uid {GRADER_UID} "
          f"in {seconds:.1f} s")
    yield {"run": run, "out": out, "subs": subs, "victim": victim_bytes,
           "leftovers": leftovers, "site": site, "tmp": sorted(user_env["tmp"].iterdir()),
           "rows": rows_of(out) if (out / "scores.csv").exists() else {}}
    for pid in leftovers.split():   # what a failed sandbox left behind: ours, by its id
        try:
            os.kill(int(pid), signal.SIGKILL)
        except ProcessLookupError:
            pass


def results(batch, stem):
    return json.loads((batch["out"] / stem / "results.json").read_text())


def test_the_batch_is_graded_as_an_ordinary_user(batch):
    assert batch["run"].returncode == 0, batch["run"].stderr.decode(errors="replace")
    assert set(batch["rows"]) == {p.name for p in batch["subs"].glob("*.ipynb")}
    assert all(row["status"] == "graded" for row in batch["rows"].values()), batch["rows"]


def test_a_correct_submission_scores_full_marks(batch):
    row = batch["rows"]["correct.ipynb"]
    assert float(row["total"]) == float(row["max"]) == FULL, row
    assert results(batch, "correct")["score"] == FULL


def test_a_wrong_submission_loses_its_marks(batch):
    row = batch["rows"]["wrong.ipynb"]
    assert float(row["ch90:double"]) == 0 and float(row["ch90:affine"]) == 3, row
    assert float(row["ch90:rate"]) == 0 and float(row["total"]) == 3, row
    tests = {t["name"].split()[0]: t for t in results(batch, "wrong")["tests"]}
    assert "expected" in tests["ch90:double"]["output"]


def test_the_outputs_say_the_run_was_isolated(batch):
    header = (batch["out"] / "scores.csv").read_text().splitlines()[0].split(",")
    assert "isolation" not in header, header
    for path in batch["out"].glob("*/results.json"):
        data = json.loads(path.read_text())
        assert data["extra_data"]["isolated"] is True, path
        assert "NOT ISOLATED" not in data["output"], path
        assert data["extra_data"]["sandbox_seconds"] > 0, path


def test_no_temporary_folder_is_left_behind(batch):
    assert batch["tmp"] == []


def test_the_student_is_in_the_sandboxs_user_database(batch):
    row = batch["rows"]["b_whoami.ipynb"]
    assert float(row["total"]) == FULL, (batch["out"] / "b_whoami" / "feedback.md").read_text()


def test_a_classmates_submission_cannot_be_read(batch):
    assert float(batch["rows"]["a_thief.ipynb"]["ch90:double"]) == 0


def test_a_classmates_submission_cannot_be_overwritten(batch):
    assert (batch["subs"] / "z_victim.ipynb").read_bytes() == batch["victim"]
    assert float(batch["rows"]["z_victim.ipynb"]["total"]) == FULL


def test_out_the_project_and_the_venv_cannot_be_written(batch, user_env):
    assert not (batch["out"] / "ghost").exists()
    assert not (user_env["project"] / "bpkit" / "_student_was_here.py").exists()
    assert not (batch["site"] / "_student_was_here.pth").exists()


def test_no_network_not_even_the_hosts_loopback(batch):
    assert float(batch["rows"]["a_network.ipynb"]["ch90:double"]) == 2


def test_no_process_outlives_its_run(batch):
    assert batch["leftovers"] == "", batch["leftovers"]
    assert float(batch["rows"]["a_outlive.ipynb"]["total"]) == FULL


def test_the_grader_and_the_classmates_survive_a_killer(batch):
    assert batch["rows"]["a_killer.ipynb"]["status"] == "graded"
    assert float(batch["rows"]["z_classmate.ipynb"]["total"]) == FULL


def test_the_graders_environment_never_reaches_the_feedback(batch):
    for path in batch["out"].rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(errors="replace"), path


def test_without_bubblewrap_it_refuses_unless_told_and_then_says_so(user_env):
    home = user_env["home"]
    subs = home / "alone"
    subs.mkdir()
    nbformat.write(notebook(), subs / "a.ipynb")
    own(subs)
    missing = {"BPKIT_BWRAP": str(home / "no-bwrap-here")}
    refused = grade_as_user(user_env, [subs], home / "out_refused", env=missing)
    assert refused.returncode == 3 and b"no sandbox" in refused.stderr, refused.stderr
    assert not (home / "out_refused").exists()
    assert not list(user_env["tmp"].iterdir()), "a refused run left temporary folders"
    run = grade_as_user(user_env, [subs], home / "out_plain", "--no-sandbox", env=missing)
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    row = rows_of(home / "out_plain")["a.ipynb"]
    assert float(row["total"]) == FULL and row["isolation"] == "not isolated (--no-sandbox)"
    data = json.loads((home / "out_plain" / "a" / "results.json").read_text())
    assert data["extra_data"]["isolated"] is False and "NOT ISOLATED" in data["output"]



def test_the_number_of_processes_is_limited(batch):
    assert float(batch["rows"]["a_forks.ipynb"]["ch90:double"]) == 2, \
        (batch["out"] / "a_forks" / "feedback.md").read_text()
