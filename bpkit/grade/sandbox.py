"""The sandbox and the kernel run: one bubblewrap sandbox per submission.

Inside it, the student's notebook (run by ``worker.py`` in an IPython shell) sees:

* its working copy, read-write, as ``/home/student`` (also its fresh ``$HOME`` and IPython
  directory: no shared history, no startup files of anyone else);
* the Python environment read-only, and bpkit at ``/opt/bpkit`` read-only, with the
  exercises' package replaced by a stand-in (``check`` is a no-op; chapter modules hold no
  reference, no input generator and no mistake: those stay in the grader);
* the task (the inputs drawn by the grader) read-only at ``/grade``;
* nothing else: not the project folder, not the other submissions, not ``--out``.

It runs with no network (a network namespace of its own, loopback included), in PID, IPC
and UTS namespaces of its own (it can neither see nor signal the grader, and it dies with its
run), in a session of its own with no terminal, with a clean environment. When the grader
runs as root, the sandbox drops to an unprivileged user (``setpriv``) before any student
code runs. ``--no-sandbox`` runs without it (said in every result).
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]          # the bpkit package
WORKER = Path(__file__).with_name("worker.py")
KERNEL_SIDE = Path(__file__).with_name("kernel_side.py")
INSIDE_ROOT = "/opt/bpkit"                                 # where bpkit is, inside
INSIDE_HOME = "/home/student"
INSIDE_TASK = "/grade"
STUDENT_UID = 61000                                        # + the job's slot, when root
MAX_EVENTS = 64 * 2**20                                    # what the grader reads of a run
# The exercise package's modules that hold no reference and run in the kernel.
KERNEL_SAFE = ("protocol.py", "payload.py", "guard.py", "feedback.py")

STUB_INIT = '''"""A stand-in for the exercises while the grader runs: no reference is here."""
import sys as _sys
from types import ModuleType as _ModuleType

PACKAGE = "bpkit.exercises"


class ExerciseHelperUnavailable(RuntimeError):
    pass


class _Unavailable:
    """What the notebook imports from the exercises, while grading: an inert stand-in.

    Calling it, or asking it for an attribute or an item, gives another stand-in (so that a
    cell that builds a slider still runs); unpacking it says that it is not available.
    """

    __module__ = PACKAGE

    def __init__(self, name):
        self.__name__ = self.__qualname__ = name

    def __call__(self, *args, **kwargs):
        return _Unavailable(f"{self.__name__}()")

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Unavailable(f"{self.__name__}.{name}")

    def __getitem__(self, key):
        return _Unavailable(f"{self.__name__}[...]")

    def __iter__(self):
        raise ExerciseHelperUnavailable(
            f"`{self.__name__}` comes from the exercises' module, which is not loaded while "
            "the grader runs")

    def __repr__(self):
        return f"<{self.__name__}: not available while grading>"


def make_check(chapter):
    def check(name, answer=None):
        """The instant check does nothing while the grader runs."""
        return None
    return check


check = make_check(None)


def record_value(chapter, name, value):
    return None


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return _Unavailable(name)
'''

STUB_CHAPTER = '''"""A stand-in for chapter {chapter}'s exercises while the grader runs."""
from bpkit.exercises import _Unavailable, make_check

CHAPTER = "{chapter}"
check = make_check(CHAPTER)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return _Unavailable(name)
'''


class SandboxUnavailable(Exception):
    """No sandbox can be made on this machine; the message says why."""


def bwrap_path():
    """The bubblewrap program (``BPKIT_BWRAP`` names another one, for tests)."""
    return os.environ.get("BPKIT_BWRAP") or shutil.which("bwrap")


class Runner:
    """Runs one task (cells + inputs) per call, in a sandbox unless ``isolated`` is False."""

    def __init__(self, exercises_module, chapters, isolated=True):
        self.isolated = isolated
        self.root = os.geteuid() == 0
        self.stage = Path(tempfile.mkdtemp(prefix="bpkit-grade-stage-"))
        os.chmod(self.stage, 0o755)
        self._make_stubs(exercises_module, chapters)
        # Every job slot's user (as root, slot k runs as STUDENT_UID + k) is "student".
        self._slots = list(range(256))
        uids = [STUDENT_UID + slot for slot in self._slots]
        (self.stage / "passwd").write_text("root:x:0:0::/root:/bin/sh\n" + "".join(
            f"student:x:{uid}:{uid}::{INSIDE_HOME}:/bin/sh\n" for uid in uids))
        (self.stage / "group").write_text("".join(f"student:x:{uid}:\n" for uid in uids))
        self._lock = threading.Lock()
        self._live = set()
        if isolated or self.root:
            try:
                self._probe()
            except BaseException:
                self.close()   # a refused run leaves nothing behind
                raise

    def close(self):
        shutil.rmtree(self.stage, ignore_errors=True)

    # -- what the sandbox contains ------------------------------------------------------------

    def _make_stubs(self, exercises_module, chapters):
        """The exercises as the kernel sees them: kernel-safe modules and stand-ins."""
        top = self.stage / "site"
        top.mkdir()
        pkg = self.stage / "exercises"
        pkg.mkdir()
        for name in KERNEL_SAFE:
            shutil.copyfile(PACKAGE_DIR / "exercises" / name, pkg / name)
        (pkg / "__init__.py").write_text(STUB_INIT)
        for chapter in chapters:
            (pkg / f"{chapter}.py").write_text(STUB_CHAPTER.format(chapter=chapter))
        self.exercises_overlay = pkg
        if exercises_module != "bpkit.exercises":  # the tests' stand-in: a top-level module
            (top / f"{exercises_module.split('.')[0]}.py").write_text(STUB_INIT)
        for path in self.stage.rglob("*"):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)

    def _mounts(self):
        args = []
        for name in ("bin", "lib", "lib64", "sbin"):
            path = Path("/") / name
            if path.is_symlink():
                args += ["--symlink", os.readlink(path), str(path)]
            elif path.is_dir():
                args += ["--ro-bind", str(path), str(path)]
        args += ["--ro-bind", "/usr", "/usr"]
        for etc in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d",
                    "/etc/localtime", "/etc/fonts", "/etc/alternatives"):
            args += ["--ro-bind-try", etc, etc]
        args += ["--ro-bind", str(self.stage / "passwd"), "/etc/passwd",
                 "--ro-bind", str(self.stage / "group"), "/etc/group"]
        for prefix in {sys.base_prefix, sys.prefix, sys.exec_prefix}:
            if not prefix.startswith("/usr"):
                args += ["--ro-bind", prefix, prefix]
        args += ["--ro-bind", str(PACKAGE_DIR), f"{INSIDE_ROOT}/bpkit",
                 "--ro-bind", str(self.exercises_overlay), f"{INSIDE_ROOT}/bpkit/exercises"]
        if any(Path(p) in PACKAGE_DIR.parents for p in (sys.prefix, sys.base_prefix)):
            # bpkit installed into the environment: its exercises are visible there too.
            args += ["--ro-bind", str(self.exercises_overlay), str(PACKAGE_DIR / "exercises")]
        args += ["--ro-bind", str(self.stage / "site"), f"{INSIDE_ROOT}/site"]
        return args

    def _env(self, home):
        env = {"HOME": home, "USER": "student", "LOGNAME": "student", "LANG": "C.UTF-8",
               "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
               "PYTHONPATH": f"{INSIDE_ROOT}:{INSIDE_ROOT}/site" if self.isolated
               else f"{self.stage / 'inside'}:{self.stage / 'site'}",
               "IPYTHONDIR": f"{home}/.ipython", "MPLBACKEND": "Agg",
               "MPLCONFIGDIR": f"{home}/.matplotlib", "TMPDIR": "/tmp",
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
               "PYDEVD_DISABLE_FILE_VALIDATION": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        return env

    def _command(self, workdir, taskdir, uid):
        if not self.isolated:
            drop = self._drop(uid) if self.root else []
            return drop + [sys.executable, str(WORKER)]
        args = [bwrap_path(), "--die-with-parent", "--new-session", "--unshare-pid",
                "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                "--hostname", "grading", "--clearenv"]
        if not self.root:
            # Inside, the grader's user is /etc/passwd's student (outside, it is still itself).
            args += ["--unshare-user", "--uid", str(STUDENT_UID), "--gid", str(STUDENT_UID)]
        for key, value in self._env(INSIDE_HOME).items():
            args += ["--setenv", key, value]
        # A private /tmp first: what is bound after it (the environment, when it lives under
        # /tmp) shows through, and nothing else of the grader's /tmp does.
        args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
        args += self._mounts()
        args += ["--ro-bind", str(taskdir), INSIDE_TASK,
                 "--bind", str(workdir), INSIDE_HOME, "--chdir", INSIDE_HOME]
        args = _with_parents(args)
        if self.root:
            args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        return args + ["--"] + (self._drop(uid) if self.root else []) + [
            sys.executable, f"{INSIDE_ROOT}/bpkit/grade/worker.py"]

    @staticmethod
    def _drop(uid):
        return [shutil.which("setpriv") or "/usr/bin/setpriv", f"--reuid={uid}",
                f"--regid={uid}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all",
                "--no-new-privs", "--"]

    def _probe(self):
        """Make one sandbox (or, without it, drop to the student's user) and check it."""
        if not self.isolated:
            run = subprocess.run(self._drop(STUDENT_UID) + [sys.executable, "-c", "pass"],
                                 capture_output=True, text=True, timeout=60, cwd="/")
            if run.returncode != 0:
                raise SandboxUnavailable("without the sandbox, the grader (run as root) runs "
                                         "notebooks as an unprivileged user, who cannot run "
                                         f"{sys.executable} here ({run.stderr.strip()[:200]})")
            return
        if sys.platform != "linux":
            raise SandboxUnavailable("the sandbox needs Linux (bubblewrap); this is "
                                     f"{sys.platform}")
        if not bwrap_path() or not os.access(bwrap_path(), os.X_OK):
            raise SandboxUnavailable("bubblewrap (bwrap) is not installed: apt-get install "
                                     "bubblewrap")
        with tempfile.TemporaryDirectory() as work, tempfile.TemporaryDirectory() as task:
            self._own(work, STUDENT_UID)
            os.chmod(task, 0o755)
            cmd = self._command(work, task, STUDENT_UID)
            cmd[-1:] = ["-c", "import os; print(os.getuid())"]
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if run.returncode != 0:
            raise SandboxUnavailable("bubblewrap could not make a sandbox here "
                                     f"({run.stderr.strip()[:300] or run.returncode})")
        if self.root and run.stdout.strip() == "0":
            raise SandboxUnavailable("the sandbox still ran as root")

    # -- running ------------------------------------------------------------------------------

    def _own(self, path, uid):
        if self.root:
            for folder, dirs, files in os.walk(path):
                os.chown(folder, uid, uid)
                for name in files:
                    os.chown(os.path.join(folder, name), uid, uid, follow_symlinks=False)

    def run(self, cells, hidden, task_data, options):
        """Run the cells; return ``(events, timed_out, seconds_in_sandbox)``."""
        with self._lock:
            slot = self._slots.pop(0)
        uid = STUDENT_UID + slot
        workdir = Path(tempfile.mkdtemp(prefix="bpkit-grade-work-"))
        taskdir = Path(tempfile.mkdtemp(prefix="bpkit-grade-task-"))
        try:
            return self._run(cells, hidden, task_data, options, uid, workdir, taskdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
            shutil.rmtree(taskdir, ignore_errors=True)
            with self._lock:
                self._slots.append(slot)

    def task_paths(self, workdir, taskdir):
        if self.isolated:
            return INSIDE_HOME, f"{INSIDE_TASK}/task.json", \
                f"{INSIDE_ROOT}/bpkit/grade/kernel_side.py"
        return str(workdir), str(taskdir / "task.json"), str(KERNEL_SIDE)

    def _run(self, cells, hidden, task_data, options, uid, workdir, taskdir):
        home, task_file, kernel_side = self.task_paths(workdir, taskdir)
        cells = [c.format(task_file=task_file, kernel_side=kernel_side)
                 if i in hidden else c for i, c in enumerate(cells)]
        (taskdir / "task.json").write_text(json.dumps(task_data))
        os.chmod(taskdir, 0o755)
        os.chmod(taskdir / "task.json", 0o644)
        self._own(workdir, uid)
        os.chmod(workdir, 0o700)
        if not self.isolated:
            self._no_sandbox_tree()
        # RLIMIT_NPROC counts the processes of a user: as root, the student's own uid; run by
        # an ordinary user, the sandbox's user namespace alone (Linux 5.14 and later count
        # per user namespace). Without the sandbox, it would count all the grader's user runs.
        task = {"cells": cells, "hidden": {str(k): v for k, v in hidden.items()},
                "timeout_cell": options.timeout_cell, "memory_mb": options.memory_mb,
                "cwd": home, "result_mime": task_data["result_mime"],
                "max_result": 16 * 2**20, "nproc": 512 if self.root or self.isolated else None}
        env = self._env(str(workdir)) if not self.isolated else {"PATH": "/usr/bin:/bin"}
        started = time.monotonic()
        proc = subprocess.Popen(self._command(workdir, taskdir, uid), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                cwd=str(workdir), env=env, start_new_session=True)
        with self._lock:
            self._live.add(proc)
        chunks, size = [], [0]

        def read():
            while True:
                block = proc.stdout.read(65536)
                if not block:
                    return
                if size[0] < MAX_EVENTS:
                    chunks.append(block[:MAX_EVENTS - size[0]])
                    size[0] += len(block)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        try:
            proc.stdin.write(json.dumps(task).encode())
            proc.stdin.close()
        except OSError:
            pass
        timed_out = False
        try:
            proc.wait(timeout=options.timeout_notebook)
        except subprocess.TimeoutExpired:
            timed_out = True
        self._end(proc, uid)
        with self._lock:
            self._live.discard(proc)
        reader.join(timeout=10)
        seconds = time.monotonic() - started
        events = []
        for line in b"".join(chunks).decode("utf-8", "replace").splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict):
                events.append(event)
        return events, timed_out, seconds

    def stop_all(self):
        """End every run still going (the grader was interrupted)."""
        with self._lock:
            live = list(self._live)
        for proc in live:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def _end(self, proc, uid):
        """Kill everything the run started (in the sandbox: its PID namespace dies with it)."""
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()
        if not self.isolated and self.root:
            _kill_uid(uid)  # without a PID namespace, a process that left the group

    def _no_sandbox_tree(self):
        """Without the sandbox, the stand-in exercises shadow the real ones on sys.path."""
        inside = self.stage / "inside"
        if inside.exists():
            return
        (inside / "bpkit").mkdir(parents=True)
        for item in PACKAGE_DIR.iterdir():
            if item.name not in ("exercises", "__pycache__"):
                (inside / "bpkit" / item.name).symlink_to(item)
        (inside / "bpkit" / "exercises").symlink_to(self.exercises_overlay)
        for path in [inside, inside / "bpkit"]:
            os.chmod(path, 0o755)


def _kill_uid(uid):
    """SIGKILL every process of the (dedicated, unprivileged) student ``uid``."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/status") as f:
                uids = next(line for line in f if line.startswith("Uid:")).split()[1:]
        except (OSError, StopIteration):
            continue
        if str(uid) in uids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


_MOUNTS = {"--ro-bind": 2, "--ro-bind-try": 2, "--bind": 2, "--symlink": 2, "--tmpfs": 1,
           "--proc": 1, "--dev": 1}


def _with_parents(args):
    """``args`` with every mount point's parent folders made first, mode 0755 (bubblewrap
    makes them 0700, which an unprivileged user cannot enter)."""
    parents, i = set(), 0
    while i < len(args):
        n = _MOUNTS.get(args[i])
        if n:
            dest = Path(args[i + n])
            parents |= {str(p) for p in dest.parents if str(p) != "/"}
            i += n + 1
        else:
            i += 1
    made = []
    for parent in sorted(parents, key=lambda p: (p.count("/"), p)):
        made += ["--perms", "0755", "--dir", parent]
    # The folders go after the base mounts (/proc, /dev, the private /tmp), or /tmp would hide
    # those made below it.
    first = next(k for k, a in enumerate(args) if a in _MOUNTS)
    while args[first] in ("--proc", "--dev", "--tmpfs"):
        first += _MOUNTS[args[first]] + 1
    return args[:first] + made + args[first:]
