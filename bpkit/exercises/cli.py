"""The command ``bpkit-exercises``: copy the exercise notebooks, list the exercises."""
import argparse
import shutil
import sys
from pathlib import Path

from .model import load_all


def notebooks_folder():
    """The repository's ``exercises/`` folder (next to the ``bpkit`` package)."""
    return Path(__file__).resolve().parents[2] / "exercises"


def copy_notebooks(dest, source=None, out=None):
    """Copy every exercise notebook into ``dest``; never overwrite a file already there.

    Returns ``(copied, skipped)`` lists of file names.
    """
    out = out or sys.stdout
    source = Path(source) if source else notebooks_folder()
    notebooks = sorted(source.glob("ch*.ipynb")) if source.is_dir() else []
    if not notebooks:
        raise SystemExit(f"bpkit-exercises: no exercise notebooks found in {source}")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    copied, skipped = [], []
    for nb in notebooks:
        target = dest / nb.name
        try:
            with open(target, "xb") as f:  # "x": fails if the file exists, never truncates it
                with open(nb, "rb") as src:
                    shutil.copyfileobj(src, f)
        except FileExistsError:
            skipped.append(nb.name)
            print(f"skipped {target} (it already exists; your copy is kept)", file=out)
            continue
        copied.append(nb.name)
        print(f"copied  {target}", file=out)
    print(f"{len(copied)} copied, {len(skipped)} kept as they were, in {dest}", file=out)
    return copied, skipped


def main(argv=None):
    """``bpkit-exercises copy DEST [--from DIR]`` and ``bpkit-exercises list``."""
    parser = argparse.ArgumentParser(
        prog="bpkit-exercises", description="The exercise notebooks of the backpropagation book.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_copy = sub.add_parser("copy", help="copy the exercise notebooks into a folder of yours "
                                         "(files already there are never overwritten)")
    p_copy.add_argument("dest", help="the folder to copy into (created if needed)")
    p_copy.add_argument("--from", dest="source", default=None,
                        help="where the notebooks are (default: the repository's exercises/)")
    sub.add_parser("list", help="list the chapters, their exercises and points")
    args = parser.parse_args(argv)
    if args.command == "copy":
        copy_notebooks(args.dest, args.source)
    else:
        for chapter, exercises in sorted(load_all().items()):
            total = sum(e.points for e in exercises.values())
            print(f"{chapter}  ({total:g} points)")
            for e in exercises.values():
                print(f"  {e.name:<20} {e.kind:<9} {e.points:>4g}  {e.title}")
    return 0
