"""Chapter 3 exercises: what depends on what in a network's graph, and how many paths lead
from a weight to a weighted input (units numbered from 1)."""
import math
import re

from . import FunctionExercise, Mistake, make_check, register

CHAPTER = "ch03"
check = make_check(CHAPTER)


def _count_paths(sizes, l, j, q, i):
    # W^l_jk feeds z^l_j only; from there every layer strictly between l and q branches.
    if q < l or (q == l and i != j):
        return 0
    return math.prod(sizes[l + 1:q])


def _path_inputs(rng):
    cases = []
    for L in (2, 3, 4, 5):
        # widths of at least 2, so that a product over the wrong layers shows
        sizes = [int(n) for n in rng.integers(2, 6, size=L + 1)]
        unit = lambda layer: int(rng.integers(1, sizes[layer] + 1))  # noqa: E731
        l = int(rng.integers(1 if L < 4 else 2, L))   # deep networks: room upstream
        j = unit(l)
        cases.append((sizes, l, j, l, j))                                    # its own z^l_j
        cases.append((sizes, l, j, l, j % sizes[l] + 1))                     # a neighbour
        cases.append((sizes, l, j, L, unit(L)))                              # an output unit
        q = int(rng.integers(l + 1, L + 1))
        cases.append((sizes, l, j, q, unit(q)))
        if l > 1:
            cases.append((sizes, l, j, l - 1, unit(l - 1)))                  # upstream
    return sorted(cases, key=lambda c: (len(c[0]), c[3] - c[1]))


def _without_zero(fn):
    return lambda sizes, l, j, q, i: (0 if q < l or (q == l and i != j) else fn(sizes, l, q))


register(FunctionExercise(
    CHAPTER, "count_paths", "Count the paths from a weight to a weighted input",
    "count_paths", _path_inputs, _count_paths, ("sizes", "l", "j", "q", "i"), points=2,
    what="the path count: n_(l+1) x ... x n_(q-1) for q > l, 1 or 0 for q = l, 0 for q < l",
    mistakes=[
        Mistake("counts_target_layer", "You multiplied in n_q, the width of the target's "
                "layer. The paths end at ONE unit, z^q_i: the last step from layer q-1 to it "
                "offers a single choice. Only the layers strictly between l and q branch.",
                _without_zero(lambda sizes, l, q: math.prod(sizes[l + 1:q + 1]))),
        Mistake("counts_layer_l", "You multiplied in n_l as well. The weight W^l_jk feeds a "
                "single unit of its own layer, z^l_j, so layer l contributes one choice, not "
                "n_l; the branching starts at layer l+1.",
                _without_zero(lambda sizes, l, q: math.prod(sizes[l:q]))),
        Mistake("same_layer", "Within its own layer the weight reaches only the unit it feeds: "
                "W^l_jk -> z^l_j is one path, but there is no path to z^l_i for i != j (the "
                "units of one layer do not feed each other).",
                lambda sizes, l, j, q, i: 0 if q < l else math.prod(sizes[l + 1:q])),
        Mistake("upstream", "The arrows of the graph point forward: a weight of layer l cannot "
                "reach z^q of an earlier layer q < l, so there are 0 paths.",
                lambda sizes, l, j, q, i: (0 if q == l and i != j
                                           else math.prod(sizes[l + 1:q]) if q >= l else 1)),
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
        Mistake("zero_based", "Your names start at layer 0. Layers are numbered l = 1..L, as "
                "in the book: a^0 = x is the input and has no parameters, so z^l depends on "
                "W1, b1, ..., Wl, bl (range(1, l + 1) in Python).",
                lambda L, l: [f"{p}{k}" for k in range(l) for p in "Wb"]),
    ]))
