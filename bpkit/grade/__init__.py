"""The instructors' grader: ``python -m bpkit.grade`` (console script ``bpkit-grade``).

Threat model
============

**Against whom.** Students who hand in notebooks, each of whom may write any code at all
into them: to raise their own score, to lower or read a classmate's, to read the reference
solutions, or to stop the batch. The instructor who runs the grader, the machine and the
Python environment are trusted.

**What is promised** (when the sandbox runs, the default):

* *A score rests only on values the submitted functions return for inputs chosen by the
  grader.* The inputs are drawn from a secret seed in the grader's process; expected values,
  the exercises' reference implementations, their known mistakes and the scores exist only in
  the grader's process. Inside the grading kernel the chapter modules are replaced by
  stand-ins (``sandbox.STUB_*``), so no reference can be imported; patching modules, ``json``,
  stdout, builtins or ``sys.modules`` can only change what the notebook's own function appears
  to return. Value exercises are scored from the answers recorded in the submitted file.
* *Isolation* (``sandbox``): each submission runs in a bubblewrap sandbox of its own that
  sees its working copy read-write, the Python environment and bpkit read-only, and nothing
  else (not the project folder and its ``tests/solutions``, not the other submissions, not
  ``--out``); with a fresh private ``$HOME`` and IPython directory (no shared history, no
  startup files); with no network (loopback included) and no other kernel's sockets; in a PID
  namespace of its own (it can neither signal the grader nor outlive its run); in a session of
  its own with no terminal; with a clean environment (no secret of the grader's reaches it,
  nor, through an error's text, its feedback). As root, the kernel runs as an unprivileged
  user (``setpriv`` inside the sandbox). Run by an ordinary user, the kernel runs as that
  very user (seen inside as the student of ``/etc/passwd``), with no capability, in a user
  namespace of its own (bubblewrap's ``--unshare-user``): only the sandbox keeps it from
  that user's files and processes (``tests/test_grader_nonroot.py`` runs this case).
  Memory, file size and process count (512 a sandbox; counted per user namespace, which
  needs Linux 5.14 or later when the grader is not root) are limited.
* *Never lose the batch* (``submissions``, ``reports``, ``cli``): every file is read once,
  before any kernel runs, without following links; every submission gets a row with its
  status and the reason, whatever its name or content; outputs are written only after every
  kernel is dead, atomically, under escaped, unique names; a symbolic link gets a row of its
  own ("symlink", no score) and never merges with the file it points to.
* *Honest work is never penalised*: what a correct function prints does not matter (results
  travel as display data of their own, not in the printed text), and there is no static scan
  of the code, so a comment that names the grader is just a comment.

**What is not promised.**

* Without the sandbox (``--no-sandbox``, or a machine without user namespaces or bubblewrap,
  where the grader refuses to run unless told so), notebooks run as a plain process: they can
  read and change what the grader's user can. Every result and ``scores.csv`` then say
  "not isolated".
* Calling bpkit's own implementation (``bpkit.bp2`` inside a ``bp2`` exercise) is a question
  of learning, not a security boundary: the book shows that source, and bpkit is importable in
  the kernel. ``bpkit.exercises.guard`` refuses the plain cases with a friendly message; a
  student who copies bpkit's source can get round it, and the documentation says so.
* Answers copied between students outside the grader (plagiarism) are not detected.
* Timing: a notebook can use its whole time and memory budget; it cannot take another's.
* The grader trusts the machine: a kernel exploit that escapes bubblewrap is out of scope.

Modules, each readable in one sitting: ``cli`` (the command line), ``submissions`` (finding
and reading the files), ``sandbox`` (the sandbox and the kernel run), ``worker`` (runs
inside the sandbox, owns the kernel), ``kernel_side`` (the hidden cells' code), ``scoring``
(inputs and scores, in the grader's process), ``reports`` (scores.csv, results.json,
feedback.md) and ``gradescope`` (the autograder bundle).
"""
from .cli import main

__all__ = ["main"]
