"""The interactive explorers of the chapters, one module per chapter topic.

Each module offers a ``<name>_explorer()`` function that returns an ipywidgets widget: the
notebook cell that shows it is one line, and the state it is built in is stored in the
notebook, so the static site shows that state too.

================================  ===========================================================
``bpkit.explorers.cost``          chapter 1: operation counts of backprop and of
                                  per-parameter differentiation, for a chosen depth and width
``bpkit.explorers.shapes``        chapter 2: the shape of every W, b, z and a for chosen layer
                                  sizes and batch size
``bpkit.explorers.graph``         chapter 3: pick a node, see every path from it to the loss
``bpkit.explorers.paths``         chapter 4: paths explode with depth, backprop's work grows
                                  linearly
``bpkit.explorers.delta``         chapter 5: nudge one unit's z, compare the change of C with
                                  delta times the nudge
================================  ===========================================================

Nothing is imported here, so adding an explorer never means editing this file (beyond this
list).
"""
