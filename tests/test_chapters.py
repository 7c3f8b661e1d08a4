"""The map of chapters to code (bpkit.chapters) against what the repository holds."""
import importlib
import pkgutil
from pathlib import Path

import bpkit
from bpkit import chapters

ROOT = Path(__file__).resolve().parents[1]


def _bpkit_modules():
    """Every public module of bpkit, packages' submodules included, except the chapter
    modules of ``bpkit.exercises`` and the grader's own modules (one entry each in the map)."""
    names = set()
    for info in pkgutil.walk_packages(bpkit.__path__, "bpkit."):
        parts = info.name.split(".")
        if any(p.startswith("_") for p in parts):
            continue
        if parts[1] in ("exercises", "grade") and len(parts) > 2:
            continue
        if info.name == "bpkit.explorers":
            continue
        names.add(info.name)
    return names


def test_every_module_of_bpkit_is_in_the_map_and_every_named_module_exists():
    named = set(chapters.modules()) | set(chapters.SHARED_MODULES)
    missing = sorted(_bpkit_modules() - named)
    assert not missing, f"modules of bpkit that no chapter of bpkit.chapters names: {missing}"
    for name in sorted(named):
        importlib.import_module(name)


def test_every_explorer_module_offers_its_explorer_function():
    for c in chapters.CHAPTERS:
        if c.explorer:
            module = importlib.import_module(c.explorer)
            topic = c.explorer.rsplit(".", 1)[1]
            assert callable(getattr(module, f"{topic}_explorer", None)), (
                f"chapter {c.number}: {c.explorer} has no {topic}_explorer()")


def test_every_notebook_of_the_map_is_in_the_toc_and_every_notebook_in_the_map():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    listed = {p for c in chapters.CHAPTERS for p in (c.notebook, c.exercises) if p}
    for c in chapters.CHAPTERS:
        for path in filter(None, (c.notebook, c.exercises)):
            in_toc = f"file: {path.removesuffix('.ipynb')}\n" in toc
            if (ROOT / path).is_file():
                assert in_toc, f"chapter {c.number}: {path} exists but is not in _toc.yml"
            else:
                assert not in_toc, f"chapter {c.number}: {path} is in _toc.yml but missing"
        if c.exercises:
            assert Path(c.exercises).name.startswith(f"ch{c.number:02d}_")
            assert not c.written or (ROOT / c.exercises).is_file(), (
                f"chapter {c.number} is written but its exercises {c.exercises} are not")
    on_disk = {p.relative_to(ROOT).as_posix() for folder in ("book", "exercises")
               for p in (ROOT / folder).glob("*.ipynb")}
    assert not on_disk - listed, f"notebooks that no chapter names: {sorted(on_disk - listed)}"


def test_chapters_are_numbered_in_order_and_the_table_has_a_row_each():
    assert [c.number for c in chapters.CHAPTERS] == list(range(len(chapters.CHAPTERS)))
    table = chapters.chapter_table().data.splitlines()
    assert len(table) == 2 + len(chapters.CHAPTERS)
    assert chapters.chapter(5).explorer == "bpkit.explorers.delta"
