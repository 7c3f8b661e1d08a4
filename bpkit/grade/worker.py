"""The worker: runs inside the sandbox, starts the kernel, runs the cells, relays events.

Started by the grader as ``python worker.py`` with a JSON task on stdin; prints one JSON line
per event on stdout (``kernel``, ``ready``, ``cell``, ``end``). It shares the sandbox with the
student's code, so nothing it says is trusted: the grader only takes from it the values that
the hidden cells published, and scores them itself. Loaded alone (not as part of bpkit), so
that it starts fast.
"""
import json
import os
import resource
import subprocess
import sys
import time


def main():
    started = time.monotonic()
    task = json.loads(sys.stdin.read())
    out = sys.stdout

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

    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError
    from traitlets.config import Config

    spec = os.path.join(task["cwd"], ".local", "share", "jupyter", "kernels", "bpkit-grader")
    os.makedirs(spec, exist_ok=True)
    with open(os.path.join(spec, "kernel.json"), "w") as f:
        json.dump({"argv": [sys.executable, "-m", "ipykernel_launcher", "-f",
                            "{connection_file}"],
                   "display_name": "bpkit grader", "language": "python"}, f)

    hidden = {int(k): v for k, v in task["hidden"].items()}
    result_mime, cap = task["result_mime"], task["max_result"]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in task["cells"]]
    results = {}

    class GradingClient(NotebookClient):
        # Outputs are dropped as they arrive (megabytes of prints cost nothing but time);
        # only what a hidden cell publishes under the result MIME type is kept.
        def process_message(self, msg, cell, cell_index):
            kind = msg["msg_type"]
            if kind in ("status", "execute_input"):
                return super().process_message(msg, cell, cell_index)
            if kind == "display_data" and cell_index in hidden:
                data = msg["content"].get("data", {}).get(result_mime)
                if isinstance(data, (dict, str)):
                    text = json.dumps(data)
                    results[cell_index] = data if len(text) <= cap else {"too_big": len(text)}
            return None

    def on_cell_executed(cell, cell_index, execute_reply):
        content = (execute_reply or {}).get("content", {})
        error = None
        if content.get("status") == "error":
            error = f"{content.get('ename', 'Error')}: {content.get('evalue', '')}"[:300]
        if cell_index == 0:
            emit(event="ready")
        if cell_index in hidden or error:
            emit(event="cell", index=cell_index, error=error,
                 result=results.pop(cell_index, None))

    client = GradingClient(
        nb, config=Config({"KernelManager": {"transport": "ipc"}}),
        timeout=task["timeout_cell"], startup_timeout=60, kernel_name="bpkit-grader",
        allow_errors=True, interrupt_on_timeout=True, shutdown_kernel="immediate",
        error_on_timeout={"ename": "Timeout", "evalue": f"the cell ran longer than "
                          f"{task['timeout_cell']:g} s and was interrupted", "traceback": []},
        resources={"metadata": {"path": task["cwd"]}}, on_cell_executed=on_cell_executed,
        record_timing=False)
    try:
        client.execute(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       stdin=subprocess.DEVNULL)
    except DeadKernelError:
        emit(event="end", status="kernel died")
        return
    except BaseException as exc:  # noqa: BLE001 - report, whatever it is
        emit(event="end", status="grader error", message=f"{type(exc).__name__}: {exc}"[:500])
        return
    emit(event="end", status="ok")


if __name__ == "__main__":
    main()
