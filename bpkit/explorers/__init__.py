"""The interactive explorers of the chapters, one module per chapter topic.

Each module offers a ``<topic>_explorer()`` function that returns an ipywidgets widget built
with :mod:`bpkit.explorers.base`, so that its controls respond on the static website as well
as in a live kernel. Which chapter uses which explorer is written once, in
:mod:`bpkit.chapters`. Nothing is imported here, so adding an explorer never means editing
this file.
"""
