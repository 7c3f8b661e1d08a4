"""The worker: runs inside the sandbox and runs the notebook's cells, then the hidden ones.

Started by the grader as ``python worker.py`` with a JSON task on stdin; prints one JSON line
per event on stdout (``ready``, ``cell``, ``end``). The cells run in this process, in an
IPython shell (no kernel process, no sockets: the sandbox is the boundary, and a kernel's
start-up would double the time per submission). Outputs are dropped; only what a hidden
cell publishes under the result MIME type is kept. The worker shares the sandbox with the
student's code, so nothing it says is trusted: the grader takes from it only the values
that the hidden cells published, and scores them itself. Loaded alone (not as part of
bpkit), so that it starts fast.
"""
import json
import os
import resource
import signal
import sys
import time


class CellTimeout(KeyboardInterrupt):
    """Raised in the running cell when it has run longer than the cell time limit."""


def main():
    started = time.monotonic()
    task = json.loads(sys.stdin.read())
    # The events go out on a private copy of stdout; the cells' own fds 1 and 2 are discarded.
    out = os.fdopen(os.dup(1), "w")
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)

    def emit(**event):
        event["t"] = round(time.monotonic() - started, 3)
        out.write(json.dumps(event) + "\n")
        out.flush()

    limit = task["memory_mb"] * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (512 * 2**20, 512 * 2**20))
    if task.get("nproc"):
        resource.setrlimit(resource.RLIMIT_NPROC, (task["nproc"], task["nproc"]))
    os.chdir(task["cwd"])

    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    hidden = {int(k): v for k, v in task["hidden"].items()}
    result_mime, cap = task["result_mime"], task["max_result"]
    current = {"index": None, "result": None}

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, *args, **kwargs):
            if current["index"] in hidden and isinstance(data, dict):
                value = data.get(result_mime)
                if isinstance(value, (dict, str)):
                    size = len(json.dumps(value))
                    current["result"] = value if size <= cap else {"too_big": size}

        def clear_output(self, wait=False):
            pass

    config = Config()
    config.HistoryManager.enabled = False        # no history database, shared or not
    config.InteractiveShell.colors = "NoColor"
    config.InteractiveShell.xmode = "Plain"
    shell = InteractiveShell.instance(config=config, display_pub_class=Publisher)
    shell.user_ns["__name__"] = "__main__"

    class Sink:
        def write(self, text):
            return len(text)

        def flush(self):
            pass

        def isatty(self):
            return False

    sys.stdout = sys.stderr = Sink()
    shell.showtraceback = lambda *a, **k: None   # errors are reported, not printed

    def on_alarm(signum, frame):
        raise CellTimeout()

    emit(event="ready")
    timeout = float(task["timeout_cell"])
    for index, source in enumerate(task["cells"]):
        current.update(index=index, result=None)
        signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            result = shell.run_cell(source, store_history=True)
            failure = result.error_before_exec or result.error_in_exec
        except BaseException as exc:  # noqa: BLE001 - the timer fired outside the cell
            failure = exc
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        error = None
        if isinstance(failure, CellTimeout):
            error = f"Timeout: the cell ran longer than {timeout:g} s and was interrupted"
        elif failure is not None:
            error = f"{type(failure).__name__}: {failure}"[:300]
        if index in hidden or error:
            emit(event="cell", index=index, error=error, result=current["result"])
        sys.stdout = sys.stderr = Sink()
    emit(event="end", status="ok")
    out.close()
    os._exit(0)   # no atexit handlers of the notebook's


if __name__ == "__main__":
    try:
        main()
    except BaseException as exc:  # noqa: BLE001 - report, whatever it is
        print(json.dumps({"event": "end", "status": "grader error",
                          "message": f"{type(exc).__name__}: {exc}"[:500]}), flush=True)
