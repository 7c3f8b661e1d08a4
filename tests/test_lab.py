"""The chapters as a learner reads them in JupyterLab (Binder or ``make lab``), in a real browser.

One JupyterLab server (the one in this environment, with ``jupyterlab-myst``, as Binder
installs them from ``requirements.txt``) runs on 127.0.0.1 on a free port, with a fresh token
and its settings, workspaces and runtime files in a temporary folder, so nothing of the user's
own JupyterLab set-up takes part. One headless Debian chromium (playwright) opens each notebook
of ``book/`` and ``exercises/`` and checks what a reader sees once the markdown is rendered:

* no MyST markup left as text: no role (``{eq}``, ``{numref}``, ``{cite}``, ``{term}``, ...),
  no equation label on a line of its own, no TeX left untypeset, and no reference that
  jupyterlab-myst could not resolve (it marks those "Cross Reference Not Found" or
  "Citation Not Found");
* every figure has its caption on the page: the cell after a figure is a markdown cell that
  starts "Figure N.k." (the book keeps captions in the notebook, not in cell metadata that
  only the website reads);
* no error dialog, no error in the browser console and no uncaught page error.

Run it alone with ``.venv/bin/python -m pytest -p no:cacheprovider tests/test_lab.py``.
"""
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("BPKIT_CHROMIUM", "/usr/bin/chromium")
NOTEBOOKS = sorted(p.relative_to(ROOT).as_posix() for folder in ("book", "exercises")
                   for p in (ROOT / folder).glob("*.ipynb"))
# Settings of the temporary JupyterLab: render every cell (no windowing, which would leave
# cells outside the viewport unrendered) and fetch no news (the page stays offline).
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
}
ROLE = re.compile(r"\{(?:eq|numref|cite(?::\w+)?|term|doc|ref|math|download|abbr)\}")
LABEL_LINE = re.compile(r"^\s*\$*\s*\([a-z0-9]+(?:-[a-z0-9]+)+\)\s*$", re.M)
TEX = re.compile(r"\\(?:frac|partial|sum|delta|sigma|mathbb|begin|left|right|tfrac)\b|\$\$")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A running JupyterLab on the repository: yields its base URL and token."""
    home = tmp_path_factory.mktemp("jupyterlab")
    for name, values in SETTINGS.items():
        path = home / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), JUPYTER_DATA_DIR=str(home / "data"),
               JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"), MPLBACKEND="agg")
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
               f"--port={port}", "--port-retries=0", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={ROOT}", f"--LabApp.user_settings_dir={home / 'settings'}",
               f"--LabApp.workspaces_dir={home / 'workspaces'}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = open(home / "server.log", "w")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            if server.poll() is not None:
                pytest.fail(f"JupyterLab stopped at start:\n{(home / 'server.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"JupyterLab did not answer:\n{(home / 'server.log').read_text()}")
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM} (make chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM,
                              args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        yield b
        b.close()


# Runs in the page: one record per cell of the notebook, in order.
READ_CELLS = """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell')).map(c => ({
    markdown: c.classList.contains('jp-MarkdownCell'),
    rendered: c.querySelector('.myst') !== null,
    text: (c.querySelector('.myst') || {innerText: ''}).innerText,
    unresolved: Array.from(c.querySelectorAll('[title$="Not Found"]')).map(
        e => e.getAttribute('title') + ': ' + e.innerText.trim()),
    images: c.querySelectorAll('.jp-OutputArea-output img').length,
}))"""


def read_notebook(browser, base, token, notebook):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    try:
        page.goto(f"{base}/lab/tree/{notebook}?reset&token={token}")
        expected = len(json.loads((ROOT / notebook).read_text())["cells"])
        cells = []
        for _ in range(120):
            cells = page.evaluate(READ_CELLS)
            if len(cells) == expected and all(c["rendered"] for c in cells if c["markdown"]):
                break
            time.sleep(0.5)
        time.sleep(1)  # late console messages of the renderers
        cells = page.evaluate(READ_CELLS)
        dialogs = [d.inner_text() for d in page.query_selector_all(".jp-Dialog")]
    finally:
        page.close()
    return cells, expected, dialogs, errors


# Every chapter uses markup that both the website and JupyterLab render (issue 11): a caption
# in a markdown cell after its figure, "Figure n.k." (not in cell metadata); author-year links to
# bibliography.md (not {cite}); plain words or a link to glossary.md (not {term}); no {eq} or
# {numref} to another notebook (jupyterlab-myst resolves references within one notebook only).
CASES = NOTEBOOKS


@pytest.mark.parametrize("notebook", CASES)
def test_chapter_reads_well_in_jupyterlab(lab, browser, notebook):
    base, token = lab
    cells, expected, dialogs, errors = read_notebook(browser, base, token, notebook)
    problems = []
    if len(cells) != expected:
        problems.append(f"JupyterLab shows {len(cells)} cells, the notebook has {expected}")
    for i, cell in enumerate(cells):
        where = f"cell {i}"
        if cell["markdown"]:
            text = cell["text"]
            if not cell["rendered"]:
                problems.append(f"{where}: markdown not rendered by jupyterlab-myst")
            for found in ROLE.findall(text):
                problems.append(f"{where}: raw MyST role {found} visible")
            for found in LABEL_LINE.findall(text):
                problems.append(f"{where}: stray equation label {found.strip()!r}")
            for found in TEX.findall(text):
                problems.append(f"{where}: untypeset TeX {found!r}")
            problems += [f"{where}: {u}" for u in cell["unresolved"]]
        elif cell["images"]:
            following = cells[i + 1] if i + 1 < len(cells) else None
            if not (following and following["markdown"]
                    and re.match(r"Figure \d+\.\d+\.", following["text"].strip())):
                problems.append(f"{where}: a figure without a visible caption (the next cell "
                                "should be markdown starting 'Figure N.k.')")
    problems += [f"error dialog: {d[:200]}" for d in dialogs]
    problems += errors
    assert not problems, f"{notebook} in JupyterLab:\n" + "\n".join(problems)
