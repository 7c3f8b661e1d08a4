"""Chapter 3 exercises: what depends on what in a network's graph, and how many paths."""
import math
import re

from . import FunctionExercise, Mistake, make_check, register

CHAPTER = "ch03"
check = make_check(CHAPTER)


def _count_paths(sizes, l):
    return math.prod(sizes[l + 1:])


def _path_inputs(rng):
    cases = []
    for L in (2, 3, 4):
        sizes = [int(n) for n in rng.integers(2, 6, size=L + 1)]
        cases.append((sizes, int(rng.integers(1, L))))
    # Widths of at least 3 and two layers on either side of l: a sum of the widths cannot
    # pass for their product, nor a count from the input for a count from layer l.
    sizes = [int(n) for n in rng.integers(3, 7, size=5)]
    cases.append((sizes, 2))
    return cases


register(FunctionExercise(
    CHAPTER, "count_paths", "Count the paths from a weight to the loss", "count_paths",
    _path_inputs, _count_paths, ("sizes", "l"), points=1,
    what="the path count n_(l+1) x ... x n_L",
    mistakes=[
        Mistake("counts_layer_l", "You multiplied in n_l as well. The weight W^l_jk feeds "
                "a single unit of its own layer, z^l_j, so layer l contributes one choice, "
                "not n_l; the branching starts at layer l+1.",
                lambda sizes, l: math.prod(sizes[l:])),
        Mistake("sum", "You added the widths. Paths multiply: every path that reaches a unit "
                "of layer l+1 continues to each of the n_(l+2) units of the next layer, so "
                "the count is the product n_(l+1) x ... x n_L.",
                lambda sizes, l: sum(sizes[l + 1:]) or 1),
        Mistake("from_input", "You counted the paths from an input unit x_k (the product of "
                "every width from layer 1 on). A weight of layer l enters the graph at z^l_j, "
                "so only the layers after l branch.",
                lambda sizes, l: math.prod(sizes[1:])),
    ]))


def _names(L, l):
    return [f"{p}{k}" for k in range(1, l + 1) for p in ("W", "b")]


def _depends_inputs(rng):
    L = [int(rng.integers(2, 4)), int(rng.integers(3, 6)), int(rng.integers(4, 7))]
    return [(L[0], 1), (L[1], int(rng.integers(2, L[1]))), (L[2], L[2])]


def _normalise(names):
    return sorted({re.sub(r"[\s\^\[\]\(\){}_]", "", str(n)) for n in names})


def _same_names(expected, received):
    return isinstance(received, (list, tuple, set)) and _normalise(expected) == _normalise(received)


register(FunctionExercise(
    CHAPTER, "depends_on", "The parameters z^l depends on", "depends_on",
    _depends_inputs, _names, ("L", "l"), points=1, compare=_same_names,
    what="the parameters W^1, b^1, ..., W^l, b^l",
    mistakes=[
        Mistake("misses_own_layer", "Layer l's own parameters are missing: z^l = W^l a^(l-1) "
                "+ b^l uses W^l and b^l directly, besides every earlier layer through a^(l-1).",
                lambda L, l: _names(L, l - 1)),
        Mistake("downstream", "You listed the layers after l. The graph points forward: W^(l+1) "
                "acts on a^l, which is computed from z^l, so z^l cannot depend on it. z^l "
                "depends on the parameters of layers 1..l.",
                lambda L, l: [f"{p}{k}" for k in range(l, L + 1) for p in ("W", "b")]),
        Mistake("weights_only", "The biases are missing: every layer k <= l adds its b^k into "
                "z^k, and from there into z^l.",
                lambda L, l: [f"W{k}" for k in range(1, l + 1)]),
    ]))
