"""The grader against a hostile class (issue 12): every test here grades real notebook files
that attack the grader, sabotage classmates or trip it up, and each was seen failing against
the grader before the sandbox (see the grader's report). Stand-in chapter ``ch90`` of
``tests/grader_fixtures/fake_exercises.py`` and the real chapter 2.
"""
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from test_grader import CORRECT, FIXTURES, FULL, ROOT, notebook, real_notebook, v4

pytestmark = pytest.mark.slow

EMPTY = "raise NotImplementedError('your code here')"
SECRET = "grader-secret-4c8e1f"


def run_grader(paths, out, *extra, env=None, exercises="fake_exercises", timeout=600,
               python=sys.executable, user=(), base_env=None, root=ROOT, cwd=None):
    """Run the grader of the project at ``root`` with ``python``, as ``user`` (a command
    prefix such as setpriv's) and in ``base_env`` when given (else this process's)."""
    cmd = [*user, python, "-m", "bpkit.grade", *map(str, paths), "--out", str(out),
           "--jobs", "2", "--timeout-cell", "20", "--timeout-notebook", "60", *extra]
    fixtures = root / FIXTURES.relative_to(ROOT)
    full_env = dict(os.environ if base_env is None else base_env,
                    PYTHONPATH=os.pathsep.join([str(fixtures), str(root)]),
                    BPKIT_TEST_SECRET=SECRET, **(env or {}))
    if exercises:
        full_env["BPKIT_EXERCISES"] = exercises
    else:
        full_env.pop("BPKIT_EXERCISES", None)
    return subprocess.run(cmd, capture_output=True, env=full_env, timeout=timeout, cwd=cwd)


def rows_of(out):
    with open(out / "scores.csv", newline="", encoding="utf-8", errors="replace") as f:
        return {Path(r["submission"]).name: r for r in csv.DictReader(f)}


def feedback_of(out, row):
    folder = out / row["folder"] if "folder" in row else None
    texts = []
    for path in out.rglob("feedback.md"):
        texts.append(path.read_text(errors="replace"))
    return texts


def real_ch02(answer_source, before=()):
    """The real chapter-2 notebook with ``layer_forward``'s cell replaced; cells ``before``
    are inserted after the first code cell (the imports)."""
    nb = nbformat.read(real_notebook("ch02"), as_version=4)
    for cell in nb.cells:
        if cell.get("metadata", {}).get("bpkit", {}).get("answer") == "layer_forward":
            cell.source = answer_source
    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    for k, source in enumerate(before):
        nb.cells.insert(first + 1 + k, v4.new_code_cell(source))
    return nb


# A cell that looks for the grader's process and kills it.
KILL_THE_GRADER = (
    "import os, signal\n"
    "for pid in os.listdir('/proc'):\n"
    "    try:\n"
    "        argv = open(f'/proc/{pid}/cmdline', 'rb').read().split(b'\\0')\n"
    "    except OSError:\n"
    "        continue\n"
    "    if b'bpkit' + b'.grade' in argv:\n"
    "        os.kill(int(pid), signal.SIGKILL)")

def loopback_notebook(path):
    """Write to ``path`` a notebook whose double is right only if it cannot reach a server
    on the host's loopback; return that server (listening: close it after the run)."""
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    port = server.getsockname()[1]
    nbformat.write(notebook(double="return (3 if REACHED else 2) * x", before=[
        "import socket\n"
        "try:\n"
        f"    socket.create_connection(('127.0.0.1', {port}), timeout=2).close()\n"
        "    REACHED = True\n"
        "except OSError:\n"
        "    REACHED = False"]), path)
    return server


CALLS_REF = "def layer_forward(W, b, a_prev):\n    return REF['f'](W, b, a_prev)\n"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    subs = tmp_path_factory.mktemp("hostile")
    out = tmp_path_factory.mktemp("hostile_graded") / "out"
    victim = subs / "z_victim.ipynb"
    # The kernel's own reference, reached through sys.modules: an empty notebook.
    nbformat.write(notebook(double=EMPTY, before=[
        "import sys, types, fake_exercises as real\n"
        "fake = types.ModuleType('fake_exercises')\n"
        "fake.__dict__.update(real.__dict__)\n"
        "ref = real.REGISTRY['ch90']['double']._reference\n"
        "fake.run_function = lambda ex, fn, seed: real.run_function(\n"
        "    ex, ref if ex.name == 'double' else fn, seed)\n"
        "sys.modules['fake_exercises'] = fake"]), subs / "a_sys_modules.ipynb")
    # json.dumps patched to rewrite the result with the kernel's reference (an empty notebook).
    nbformat.write(notebook(double=EMPTY, before=[
        "import json, sys\n"
        "_dumps = json.dumps\n"
        "def dumps(obj, *a, **k):\n"
        "    f = sys._getframe(1)\n"
        "    while f is not None and not {'seed', 'exercise'} <= set(f.f_locals):\n"
        "        f = f.f_back\n"
        "    if f is not None and f.f_locals['exercise'].name == 'double':\n"
        "        ex, seed = f.f_locals['exercise'], f.f_locals['seed']\n"
        "        obj = [{'ok': {'__ndarray__': ex._reference(*args).tolist(), 'dtype': "
        "'float64', 'shape': list(args[0].shape)}} for args in ex.inputs(seed)]\n"
        "    return _dumps(obj, *a, **k)\n"
        "json.dumps = dumps"]), subs / "a_patch_json.ipynb")
    # Sabotage: overwrite a classmate's file, forge results in --out now and after the end.
    later = (f"sleep 6; echo forged > {out}/scores.csv; mkdir -p {out}/ghost; "
             f"echo '{{\"score\": 100}}' > {out}/ghost/results.json")
    nbformat.write(notebook(double=EMPTY, before=[
        "import os, subprocess, pathlib\n"
        f"pathlib.Path({str(victim)!r}).write_text('{{}}')\n"
        f"os.makedirs({str(out / 'ghost2')!r}, exist_ok=True)\n"
        f"open({str(out / 'ghost2' / 'results.json')!r}, 'w').write('{{\"score\": 100}}')\n"
        f"subprocess.Popen(['sh', '-c', {later!r}], start_new_session=True)"]),
        subs / "a_saboteur.ipynb")
    # Files written into the project folder.
    nbformat.write(notebook(double=EMPTY, before=[
        f"open({str(ROOT / 'bpkit' / '_student_was_here.py')!r}, 'w').write('x = 1')"]),
        subs / "a_project_write.ipynb")
    # Secrets: the grader's environment echoed through an error's text.
    nbformat.write(notebook(double="raise ValueError(str(dict(__import__('os').environ)))",
                            before=["import os\nraise RuntimeError(os.environ.get("
                                    "'BPKIT_TEST_SECRET', 'no secret here'))"]),
                   subs / "a_secrets.ipynb")
    # Honest work: progress dots, a comment naming the grader's command.
    nbformat.write(notebook(double="print('.', end='')\n    return 2 * x"),
                   subs / "b_dots.ipynb")
    nbformat.write(notebook(double="# checked it with python -m bpkit.grade first\n"
                                   "    return 2 * x"), subs / "b_comment.ipynb")
    # Stated requirements: double must not change its input and must return an array.
    nbformat.write(notebook(double="x *= 2\n    return x"), subs / "c_modifies.ipynb")
    nbformat.write(notebook(double="return [2 * v for v in x]"), subs / "c_list.ipynb")
    for k in range(2):
        nbformat.write(notebook(), subs / f"b_filler{k}.ipynb")
    nbformat.write(notebook(), victim)
    # A symlink to a classmate's notebook.
    nbformat.write(notebook(), subs / "z_linked.ipynb")
    (subs / "a_link.ipynb").symlink_to(subs / "z_linked.ipynb")
    server = loopback_notebook(subs / "a_network.ipynb")
    started = time.monotonic()
    run = run_grader([subs], out)
    server.close()
    seconds = time.monotonic() - started
    rows = rows_of(out) if (out / "scores.csv").exists() else {}
    scores_csv = (out / "scores.csv").read_bytes() if (out / "scores.csv").exists() else b""
    time.sleep(8)  # let a detached process of a notebook try to forge the results
    yield {"subs": subs, "out": out, "run": run, "rows": rows, "csv": scores_csv,
           "seconds": seconds}
    (ROOT / "bpkit" / "_student_was_here.py").unlink(missing_ok=True)


@pytest.fixture(scope="module")
def real_hostile(tmp_path_factory):
    """Real chapter-2 notebooks that reach for the exercise's reference or the solutions."""
    subs = tmp_path_factory.mktemp("real_hostile")
    out = tmp_path_factory.mktemp("real_hostile_graded") / "out"
    # The exercise's own reference, hidden in a dict (real chapter 2).
    nbformat.write(real_ch02(CALLS_REF, before=[
        "import bpkit.exercises as E\nREF = {'f': E.get('ch02', 'layer_forward').reference}"]),
        subs / "a_ref_in_dict.ipynb")
    # The exercise module's source read from disk, next to the package's own files.
    nbformat.write(real_ch02(CALLS_REF, before=[
        "import bpkit, pathlib\n"
        "src = (pathlib.Path(bpkit.__file__).parent / 'exercises' / 'ch02.py').read_text()\n"
        "src = src.replace('from . import', 'from bpkit.exercises import')\n"
        "ns = {'__name__': 'copied'}\n"
        "exec(src, ns)\n"
        "REF = {'f': ns['_layer_forward']}"]), subs / "a_ref_from_disk.ipynb")
    # tests/solutions copied from the instructor's clone.
    nbformat.write(real_ch02(
        "ns = {}\n"
        f"exec(open({str(ROOT / 'tests' / 'solutions' / 'ch02.py')!r}).read(), ns)\n"
        "exec(ns['SOLUTIONS']['layer_forward'])\n"), subs / "a_solutions.ipynb")
    run = run_grader([subs], out, exercises=None)
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    return rows_of(out)


def test_hostile_batch_is_graded(hostile):
    assert hostile["run"].returncode == 0, hostile["run"].stderr.decode(errors="replace")
    assert hostile["rows"], "no scores.csv"


def test_kernels_own_reference_through_sys_modules_gains_nothing(hostile):
    assert float(hostile["rows"]["a_sys_modules.ipynb"]["ch90:double"]) == 0


def test_patched_json_dumps_gains_nothing(hostile):
    assert float(hostile["rows"]["a_patch_json.ipynb"]["ch90:double"]) == 0


def test_exercise_reference_hidden_in_a_dict_gains_nothing(real_hostile):
    assert float(real_hostile["a_ref_in_dict.ipynb"]["ch02:layer_forward"]) == 0


def test_the_exercise_modules_source_is_not_in_the_sandbox(real_hostile):
    assert float(real_hostile["a_ref_from_disk.ipynb"]["ch02:layer_forward"]) == 0


def test_no_network_not_even_the_hosts_loopback(hostile):
    assert float(hostile["rows"]["a_network.ipynb"]["ch90:double"]) == 2


def test_solutions_on_the_instructors_disk_are_out_of_reach(real_hostile):
    assert float(real_hostile["a_solutions.ipynb"]["ch02:layer_forward"]) == 0


def test_classmates_files_cannot_be_overwritten(hostile):
    row = hostile["rows"]["z_victim.ipynb"]
    assert float(row["total"]) == FULL, row


def test_out_cannot_be_written_by_a_notebook(hostile):
    out = hostile["out"]
    assert not (out / "ghost").exists() and not (out / "ghost2").exists()
    assert (out / "scores.csv").read_bytes() == hostile["csv"], "scores.csv rewritten later"


def test_project_folder_is_out_of_reach(hostile):
    assert not (ROOT / "bpkit" / "_student_was_here.py").exists()


def test_secrets_never_reach_the_feedback(hostile):
    for path in hostile["out"].rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(errors="replace"), path


def test_printing_progress_dots_keeps_full_marks(hostile):
    row = hostile["rows"]["b_dots.ipynb"]
    assert float(row["total"]) == FULL, row


def test_a_comment_naming_the_grader_is_not_tampering(hostile):
    row = hostile["rows"]["b_comment.ipynb"]
    assert row["status"] == "graded" and float(row["total"]) == FULL, row


def _output(hostile, name, exercise):
    tests = json.loads((hostile["out"] / Path(name).stem / "results.json").read_text())["tests"]
    return next(t for t in tests if t["name"].startswith(f"ch90:{exercise} "))


def test_changing_the_input_loses_marks_and_says_so(hostile):
    test = _output(hostile, "c_modifies.ipynb", "double")
    assert test["score"] < test["max_score"] and "changed its input" in test["output"], test


def test_a_list_where_an_array_is_asked_loses_marks_and_says_so(hostile):
    test = _output(hostile, "c_list.ipynb", "double")
    assert test["score"] < test["max_score"] and "array" in test["output"], test


def test_a_symlink_never_takes_a_classmates_row(hostile):
    rows = hostile["rows"]
    assert "z_linked.ipynb" in rows and float(rows["z_linked.ipynb"]["total"]) == FULL
    link = rows["a_link.ipynb"]
    assert float(link["total"]) == 0 and "link" in link["status"], link


def test_names_and_contents_never_lose_the_batch(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    nbformat.write(notebook(), subs / "scores.csv.ipynb")
    nbformat.write(notebook(), subs / "ok.ipynb")
    bad_name = os.fsencode(subs) + b"/caf\xe9.ipynb"
    with open(bad_name, "wb") as f:
        f.write(nbformat.writes(notebook()).encode())
    (subs / "surrogate.ipynb").write_text(
        '{"nbformat": "\\ud800", "nbformat_minor": 0, "metadata": {}, "cells": []}')
    out = tmp_path / "out"
    run = run_grader([subs], out)
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    with open(out / "scores.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 4, rows
    by_status = sorted(r["status"] for r in rows)
    assert by_status.count("graded") == 3 and "not a notebook" in by_status, rows


def test_killing_the_grader_from_a_notebook_fails(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    nbformat.write(notebook(double=EMPTY, before=[KILL_THE_GRADER]), subs / "killer.ipynb")
    nbformat.write(notebook(), subs / "zz_classmate.ipynb")
    out = tmp_path / "out"
    run_grader([subs], out)
    rows = rows_of(out)
    assert float(rows["zz_classmate.ipynb"]["total"]) == FULL


@pytest.mark.parametrize("attack", ["history", "startup"])
def test_one_submission_cannot_reach_the_next_through_home(tmp_path, attack):
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "IPYTHONDIR": str(home / ".ipython")}
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    if attack == "history":
        nbformat.write(notebook(), first / "classmate.ipynb")
        nbformat.write(notebook(double=EMPTY, after=[
            "import sqlite3, os\n"
            "path = os.path.join(get_ipython().ipython_dir, 'profile_default', "
            "'history.sqlite')\n"
            "for (source,) in sqlite3.connect(path).execute('select source from history'):\n"
            "    if source.startswith('def double') and '2 * x' in source:\n"
            "        exec(source)"]), second / "thief.ipynb")
    else:
        nbformat.write(notebook(double=EMPTY, before=[
            "import os\n"
            "d = os.path.join(get_ipython().ipython_dir, 'profile_default', 'startup')\n"
            "os.makedirs(d, exist_ok=True)\n"
            "open(os.path.join(d, '00-zero.py'), 'w').write('import os\\nos._exit(0)\\n')"]),
            first / "saboteur.ipynb")
        nbformat.write(notebook(), second / "classmate.ipynb")
    run_grader([first], tmp_path / "out1", env=env)
    run_grader([second], tmp_path / "out2", env=env)
    rows = rows_of(tmp_path / "out2")
    if attack == "history":
        assert float(rows["thief.ipynb"]["ch90:double"]) == 0
    else:
        assert float(rows["classmate.ipynb"]["total"]) == FULL


def test_without_a_sandbox_the_grader_refuses_unless_told_and_then_says_so(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    nbformat.write(notebook(), subs / "a.ipynb")
    env = {"BPKIT_BWRAP": str(tmp_path / "no-bwrap-here")}
    refused = run_grader([subs], tmp_path / "out", env=env)
    assert refused.returncode == 3 and b"no sandbox" in refused.stderr
    assert not (tmp_path / "out").exists()
    run = run_grader([subs], tmp_path / "out", "--no-sandbox", env=env)
    if os.geteuid() == 0 and subprocess.run(
            ["setpriv", "--reuid=61000", "--regid=61000", "--clear-groups", sys.executable,
             "-c", "pass"], capture_output=True, cwd="/").returncode != 0:
        # As root, notebooks run as an unprivileged user even without the sandbox; where that
        # user cannot run this Python, the grader refuses rather than run them as root.
        assert run.returncode == 3 and b"unprivileged user" in run.stderr, run.stderr
        return
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    with open(tmp_path / "out" / "scores.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["isolation"] == "not isolated (--no-sandbox)"
    assert "NOT ISOLATED" in json.loads((tmp_path / "out" / "a" / "results.json")
                                        .read_text())["output"]


def test_the_private_tmp_comes_before_the_environment_so_a_venv_under_tmp_is_seen(tmp_path):
    """CI may clone the project under /tmp: the sandbox's own /tmp must not hide its Python.

    Seen failing before the fix: every sandboxed run of a clone in /tmp/... ended with
    "setpriv: failed to execute /tmp/.../.venv/bin/python: No such file or directory".
    """
    from bpkit.grade.sandbox import Runner

    runner = Runner("bpkit.exercises", ["ch02"], isolated=True)
    try:
        cmd = runner._command(tmp_path / "work", tmp_path / "task", 61000)
    finally:
        runner.close()
    tmpfs = cmd.index("--tmpfs")
    assert cmd[tmpfs + 1] == "/tmp"
    binds = [i for i, a in enumerate(cmd) if a == "--ro-bind" and cmd[i + 1] == sys.prefix]
    assert binds and all(i > tmpfs for i in binds), "the environment is bound before /tmp"
    dirs = [i for i, a in enumerate(cmd) if a == "--dir"]
    assert all(i > tmpfs for i in dirs), "folders made before /tmp would be hidden by it"


# The kernel's own channels: its stdout, the import machinery through which the hidden code is
# loaded, and other kernels' connection files. Each notebook below scored full marks, or zeroed
# its classmates, against the grader before the sandbox; the result marker is built at run
# time, so that no static scan of the source could catch it.
PATCH_STDOUT = (
    "import io, json, sys\n"
    "MARK = 'BPKIT' + '-RESULT'\n"
    "def _forge(text):\n"
    "    f = sys._getframe(1)\n"
    "    while f is not None and not {'exercise', 'seed', 'nonce'} <= set(f.f_locals):\n"
    "        f = f.f_back\n"
    "    if MARK not in text or f is None or f.f_locals['exercise'].name != 'double':\n"
    "        return text\n"
    "    ex, seed, nonce = (f.f_locals[k] for k in ('exercise', 'seed', 'nonce'))\n"
    "    obj = [{'ok': {'__ndarray__': ex._reference(*args).tolist(), 'dtype': 'float64',\n"
    "                   'shape': list(args[0].shape)}} for args in ex.inputs(seed)]\n"
    "    return f'{MARK} {nonce} {json.dumps(obj)}\\n'\n"
    "class _Forging(io.StringIO):\n"
    "    def write(self, text):\n"
    "        return super().write(_forge(text))\n"
    "# IPython resets the stream's own write method after every cell: go below it, to the\n"
    "# buffers the kernel's stdout object writes into.\n"
    "try:\n"
    "    import ipykernel.iostream as _iostream\n"
    "    _iostream.StringIO = _Forging\n"
    "    sys.stdout._buffers.default_factory = _Forging\n"
    "except Exception:\n"
    "    pass\n"
    "_cls = type(sys.stdout)\n"
    "_write = _cls.write\n"
    "_cls.write = lambda self, text: _write(self, _forge(text))")

# builtins.__import__: the hidden cell's "import importlib.util as ..." gets a look-alike whose
# loader runs the real hidden code, then puts the exercise's reference in place of the
# notebook's function before the real report runs.
PATCH_IMPORT = (
    "import builtins, importlib, importlib.util as _real_util, types\n"
    "_real_import = builtins.__import__\n"
    "def _with_reference(real_report):\n"
    "    def report(user_ns, *args):\n"
    "        name = args[2] if len(args) == 5 else args[0]\n"
    "        try:\n"
    "            module = args[0] if len(args) == 5 else 'fake_exercises'\n"
    "            ref = importlib.import_module(module).get('ch90', name)._reference\n"
    "            user_ns = dict(user_ns, **{name: ref})\n"
    "        except Exception:\n"
    "            pass\n"
    "        return real_report(user_ns, *args)\n"
    "    return report\n"
    "class _Loader:\n"
    "    def __init__(self, real):\n"
    "        self.real = real\n"
    "    def create_module(self, spec):\n"
    "        return None\n"
    "    def exec_module(self, module):\n"
    "        self.real.exec_module(module)\n"
    "        module.report = _with_reference(module.report)\n"
    "def _spec(*args, **kwargs):\n"
    "    spec = _real_util.spec_from_file_location(*args, **kwargs)\n"
    "    spec.loader = _Loader(spec.loader)\n"
    "    return spec\n"
    "_fake = types.SimpleNamespace(util=types.SimpleNamespace(\n"
    "    spec_from_file_location=_spec, module_from_spec=_real_util.module_from_spec))\n"
    "_user_ns = get_ipython().user_ns\n"
    "def _import(name, globals=None, locals=None, fromlist=(), level=0):\n"
    "    if name == 'importlib.util' and not fromlist and globals is _user_ns:\n"
    "        return _fake\n"
    "    return _real_import(name, globals, locals, fromlist, level)\n"
    "builtins.__import__ = _import")

# A detached daemon that finds the other kernels (their command line names the connection
# file, their working folder the IPC sockets) and has each of them zero ``double`` wherever the
# exercises' own code runs it, for 45 s.
DAEMON = r'''
import json, os, sys, time
from jupyter_client import BlockingKernelClient
own = sys.argv[1]
ZERO = """
import sys
m = sys.modules.get("fake_exercises") or __import__("fake_exercises")
if not getattr(m, "zeroed", False):
    run, m.zeroed = m.run_function, True
    m.run_function = lambda ex, fn, seed: run(
        ex, (lambda *a: 0 * a[0]) if ex.name == "double" else fn, seed)
"""
def kernels():
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or pid == own:
            continue
        try:
            argv = open(f"/proc/{pid}/cmdline", "rb").read().decode().split("\0")
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except (OSError, UnicodeDecodeError):
            continue
        if any("ipykernel" in a for a in argv) and "-f" in argv[:-1]:
            yield pid, argv[argv.index("-f") + 1], cwd
clients, end = {}, time.monotonic() + 45
while time.monotonic() < end:
    for pid, path, cwd in kernels():
        if pid in clients:
            continue
        try:
            info = json.load(open(path if os.path.isabs(path) else os.path.join(cwd, path)))
            if info.get("transport") == "ipc" and not os.path.isabs(info["ip"]):
                info["ip"] = os.path.join(cwd, info["ip"])
            client = BlockingKernelClient()
            client.load_connection_info(info)
            client.start_channels()
            client.execute(ZERO, silent=True, store_history=False)
            clients[pid] = client
        except Exception:
            pass
    time.sleep(0.05)
'''
CONNECTION_DAEMON = (
    "import os, subprocess, sys, time\n"
    f"subprocess.Popen([sys.executable, '-c', {DAEMON!r}, str(os.getpid())],\n"
    "                 start_new_session=True, stdin=subprocess.DEVNULL,\n"
    "                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True)\n"
    "time.sleep(3)")


@pytest.fixture(scope="module")
def kernel_channels(tmp_path_factory):
    subs = tmp_path_factory.mktemp("channels")
    out = tmp_path_factory.mktemp("channels_graded") / "out"
    nbformat.write(notebook(double=EMPTY, before=[PATCH_STDOUT]), subs / "a_patch_stdout.ipynb")
    nbformat.write(notebook(double=EMPTY, before=[PATCH_IMPORT]), subs / "a_patch_import.ipynb")
    nbformat.write(notebook(before=[CONNECTION_DAEMON]), subs / "a_daemon.ipynb")
    for k in range(4):
        nbformat.write(notebook(), subs / f"z_classmate{k}.ipynb")
    run = run_grader([subs], out)
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    return rows_of(out)


def test_a_patched_stdout_gains_nothing(kernel_channels):
    assert float(kernel_channels["a_patch_stdout.ipynb"]["ch90:double"]) == 0


def test_a_patched_import_gains_nothing(kernel_channels):
    assert float(kernel_channels["a_patch_import.ipynb"]["ch90:double"]) == 0


def test_other_kernels_cannot_be_reached_through_their_connection_files(kernel_channels):
    for k in range(4):
        row = kernel_channels[f"z_classmate{k}.ipynb"]
        assert row["status"] == "graded" and float(row["total"]) == FULL, row


def test_every_job_slot_is_a_user_of_its_own_in_the_user_database(tmp_path):
    """As root, the job in slot k runs as uid 61000 + k: each of them must be in the sandbox's
    /etc/passwd, or honest code that looks itself up (getpass, a library's cache folder)
    fails for every slot but the first."""
    subs = tmp_path / "subs"
    subs.mkdir()
    for k in range(4):
        nbformat.write(notebook(before=["import os, pwd\nME = pwd.getpwuid(os.getuid())"],
                                double="return 2 * x if ME.pw_dir == os.environ['HOME'] "
                                       "else x"), subs / f"whoami{k}.ipynb")
    run = run_grader([subs], tmp_path / "out")
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    for name, row in rows_of(tmp_path / "out").items():
        assert float(row["total"]) == FULL, (name, row)
