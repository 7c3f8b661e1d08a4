"""Collection rules for the whole run (`make test`: unit tests, nbval, the site test).

nbval is switched on in pyproject.toml for every notebook under `book/` and `exercises/`.
Notebooks below `tests/` are fixtures and reference material, run by the tests that use them
(the grader tests, for example), never validated cell by cell.
"""
import os
from pathlib import Path

from hypothesis import settings

# CI replays the same examples every run (derandomize), so a submission's result does not
# depend on which random inputs a run happened to draw; locally, hypothesis keeps exploring.
# No deadlines: the machine is shared, and speed is measured in benchmarks/, not in tests.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

collect_ignore_glob = ["*.ipynb"]  # fnmatch's * crosses folders: every notebook below tests/


def pytest_sessionfinish(session, exitstatus):
    """A folder given on the command line that holds no test yet (an empty `exercises/`)
    is not an error: pytest's exit status 5, "no tests collected", becomes 0, with a note.
    Any other reason for collecting nothing keeps status 5."""
    if exitstatus != 5:
        return
    args = [Path(a.split("::")[0]) for a in session.config.args]
    if args and all(a.is_dir() for a in args) and not session.config.option.keyword \
            and not session.config.option.markexpr:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("no tests in " + ", ".join(map(str, args)) + ": nothing to run")
        session.exitstatus = 0
