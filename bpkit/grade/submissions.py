"""Reading the submissions: finding them, reading each once (never writing it), parsing it.

Every file is read into memory before any kernel runs, through ``O_NOFOLLOW``: a symbolic link
is never followed (it gets a row of its own, "symlink", and no score), so a link to a
classmate's notebook can neither take the classmate's score nor hide the classmate's row.
Nothing in a file name or a file's content may raise out of here: what cannot be read or
parsed becomes a :class:`NotGradable` with a reason a student understands.
"""
import json
import os
import re
import stat
from pathlib import Path

MAX_FILE_BYTES = 100 * 2**20     # a larger "notebook" is refused unread


class NotGradable(Exception):
    """The file cannot be graded; the message says why, in words a student understands."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def printable(text):
    """``text`` with what cannot be written as UTF-8 (lone surrogates, a file name's invalid
    bytes) shown as escapes."""
    if isinstance(text, bytes):
        return text.decode("utf-8", "backslashreplace")
    text = str(text)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:  # a file name's undecodable bytes, as os.fsdecode escaped them
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # other lone surrogates (a JSON "\ud800")
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def collect(paths):
    """The submission files named by ``paths`` (files, or folders searched for .ipynb).

    Folders are walked without following links; a link found there, or named, is kept (it
    gets its own "symlink" row). Two names for the same path (``a/../b``) count once.
    """
    found = []
    for given in paths:
        path = Path(given)
        if not path.exists() and not path.is_symlink():
            raise SystemExit(f"bpkit-grade: {printable(given)}: no such file or folder")
        if path.is_dir() and not path.is_symlink():
            inside = []
            for folder, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if d != ".ipynb_checkpoints")
                inside += [Path(folder) / f for f in files if f.endswith(".ipynb")]
            if not inside:
                raise SystemExit(f"bpkit-grade: {printable(given)}: the folder holds no "
                                 ".ipynb file")
            found += sorted(inside, key=lambda p: os.fsencode(p))
        else:
            found.append(path)
    unique, seen = [], set()
    for path in found:
        key = os.path.normpath(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def read_submission(path):
    """The bytes of the regular file ``path``, read once; NotGradable if it is not one."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if os.path.islink(path):
            raise NotGradable("symlink", "The file is a symbolic link to another file; the "
                              "grader grades only the files themselves.") from None
        raise NotGradable("unreadable", f"The file could not be read: "
                          f"{exc.strerror or exc}.") from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise NotGradable("unreadable", "This is not a regular file.")
        data = f.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise NotGradable("not a notebook", "The file is larger than 100 MB; it was not read.")
    return data


def parse_notebook(data):
    """The notebook in ``data`` as a dict, or NotGradable with a clear reason."""
    import nbformat

    if not data.strip():
        raise NotGradable("not a notebook", "The file is empty: it holds no notebook.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotGradable("not a notebook", "The file is not text (it looks binary), so it is "
                          "not a Jupyter notebook.") from None
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError) as exc:
        where = f" (line {exc.lineno})" if hasattr(exc, "lineno") else ""
        raise NotGradable("not a notebook", "The file is not a Jupyter notebook: it is not "
                          f"valid JSON{where}. Was it renamed from another kind of file, or "
                          "edited by hand?") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells", raw.get("worksheets")),
                                                   list):
        raise NotGradable("not a notebook", "The file is JSON but not a Jupyter notebook "
                          "(it has no list of cells).")
    version = raw.get("nbformat")
    if version != 4 or isinstance(version, bool):
        shown = printable(repr(version))[:40]
        raise NotGradable("not a notebook", f"The notebook is in format version {shown}; "
                          "the grader reads version 4. Open it in a current Jupyter and save "
                          "it again.")
    try:
        return nbformat.from_dict(raw)
    except Exception as exc:  # noqa: BLE001 - any malformed structure is the student's file
        raise NotGradable("not a notebook", printable(f"The notebook's structure is broken: "
                                                      f"{exc}")[:300]) from None


def source_of(cell):
    source = cell.get("source", "")
    if isinstance(source, list):
        return "".join(s for s in source if isinstance(s, str))
    return source if isinstance(source, str) else ""


def code_cells(nb):
    """``(number in the submitted notebook, source)`` of every code cell."""
    return [(number, source_of(cell)) for number, cell in enumerate(nb.get("cells", []), 1)
            if isinstance(cell, dict) and cell.get("cell_type") == "code"]


def answer_name(cell):
    meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
    bp = meta.get("bpkit", {}) if isinstance(meta, dict) else {}
    return bp.get("answer") if isinstance(bp, dict) else None


def recorded_value(nb, chapter, name, answer_mime):
    """The last answer a value exercise recorded in the submitted file's outputs, or None."""
    value = None
    for cell in nb.get("cells", []):
        outputs = cell.get("outputs", []) if isinstance(cell, dict) else []
        for output in outputs if isinstance(outputs, list) else []:
            data = output.get("data", {}) if isinstance(output, dict) else {}
            record = data.get(answer_mime) if isinstance(data, dict) else None
            if isinstance(record, str):
                try:
                    record = json.loads(record)
                except ValueError:
                    continue
            if (isinstance(record, dict) and record.get("chapter") == chapter
                    and record.get("exercise") == name):
                value = record.get("value")
    return value


RESERVED = {"scores.csv", ".bpkit-grade-files.json"}


def unique_stems(paths):
    """A distinct, file-system-safe ASCII name per submission, for its results folder."""
    names, taken = [], set(RESERVED)
    for path in paths:
        stem = printable(os.fsdecode(path.name))
        stem = stem[:-len(".ipynb")] if stem.endswith(".ipynb") else stem
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._")[:80] or "submission"
        name = base
        if name in taken:
            parent = re.sub(r"[^A-Za-z0-9._-]+", "_",
                            printable(os.fsdecode(path.parent.name))).strip("._")[:40]
            name = f"{parent}-{base}" if parent else base
        n = 2
        candidate = name
        while candidate in taken or candidate.lower() in RESERVED:
            candidate = f"{name}-{n}"
            n += 1
        taken.add(candidate)
        names.append(candidate)
    return names
