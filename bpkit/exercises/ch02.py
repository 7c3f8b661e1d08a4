"""Chapter 2 exercises: the forward pass of one layer, the shapes of W^l and z^l, and the
weighted input of one unit (numbered from 1) for a whole batch."""
import numpy as np

from bpkit.activations import sigmoid

from . import FunctionExercise, Mistake, make_check, register

CHAPTER = "ch02"
check = make_check(CHAPTER)
_sigmoid = sigmoid.f


def _distinct_sizes(rng, k, high=7):
    return [int(n) for n in rng.choice(np.arange(1, high + 1), size=k, replace=False)]


# -- a layer's forward pass ----------------------------------------------------------------
def _layer_forward(W, b, a_prev):
    return _sigmoid(W @ a_prev + b)


def _layer_inputs(rng):
    cases = []
    for n_prev, n, m in ((2, 2, 1), (2, 3, 1), (4, 3, 5)):
        cases.append((rng.standard_normal((n, n_prev)), rng.standard_normal((n, 1)),
                      rng.standard_normal((n_prev, m))))
    return cases


register(FunctionExercise(
    CHAPTER, "layer_forward", "Forward pass of one layer", "layer_forward",
    _layer_inputs, _layer_forward, ("W", "b", "a_prev"), points=1,
    what="a^l = sigma(W^l a^(l-1) + b^l)",
    mistakes=[
        Mistake("transpose", "Your layer multiplies by the transpose of W^l. With the "
                "destination-first convention W^l has shape (n_l, n_(l-1)): row j holds the "
                "weights into unit j, so z^l = W^l a^(l-1) needs no transpose.",
                lambda W, b, a: _sigmoid(W.T @ a + b)),
        Mistake("no_bias", "The bias is missing: z^l = W^l a^(l-1) + b^l, where the column "
                "b^l (shape (n_l, 1)) is added to every example's column.",
                lambda W, b, a: _sigmoid(W @ a)),
        Mistake("no_sigma", "You returned z^l, the weighted input. The layer's output is its "
                "activation a^l = sigma(z^l).",
                lambda W, b, a: W @ a + b),
    ]))


# -- shapes --------------------------------------------------------------------------------
def _layer_shapes(sizes, m):
    return [((sizes[l], sizes[l - 1]), (sizes[l], m)) for l in range(1, len(sizes))]


def _shape_inputs(rng):
    return [(_distinct_sizes(rng, 2), int(rng.integers(2, 9))),
            (_distinct_sizes(rng, 3), int(rng.integers(2, 9))),
            (_distinct_sizes(rng, 5, high=9), int(rng.integers(10, 30)))]


def _same_shapes(expected, received):
    def norm(x):
        return [[list(map(int, s)) for s in pair] for pair in x]
    return norm(expected) == norm(received)


register(FunctionExercise(
    CHAPTER, "layer_shapes", "Shapes of W^l and z^l", "layer_shapes",
    _shape_inputs, _layer_shapes, ("sizes", "m"), points=1, compare=_same_shapes,
    what="the shapes (n_l, n_(l-1)) of W^l and (n_l, m) of z^l",
    mistakes=[
        Mistake("W_swapped", "Your W^l shapes are swapped. W^l_jk connects unit k of layer "
                "l-1 to unit j of layer l (destination first), so W^l is (n_l, n_(l-1)): one "
                "row per unit of layer l.",
                lambda sizes, m: [((sizes[l - 1], sizes[l]), (sizes[l], m))
                                  for l in range(1, len(sizes))]),
        Mistake("z_transposed", "Your z^l shapes are transposed. A batch stacks the m "
                "examples as columns, so z^l is (n_l, m): one row per unit, one column per "
                "example.",
                lambda sizes, m: [((sizes[l], sizes[l - 1]), (m, sizes[l]))
                                  for l in range(1, len(sizes))]),
        Mistake("from_zero", "Your list starts at the input layer. Layers are numbered "
                "l = 1..L; a^0 = x is the input and has no weights, so there are L entries.",
                lambda sizes, m: [((sizes[l], sizes[l - 1] if l else sizes[l]), (sizes[l], m))
                                  for l in range(0, len(sizes))]),
    ]))


# -- one unit's weighted input, for a whole batch ------------------------------------------
def _unit_z(W, b, A_prev, j):
    return W[j - 1] @ A_prev + b[j - 1, 0]


def _unit_inputs(rng):
    cases = []
    # (n_(l-1), n_l, m, j): j = n_l (the last unit) separates 1-based from 0-based rows, and
    # a square W would hide a column taken for a row, so most layers are not square.
    for n_prev, n, m, j in ((3, 2, 1, 2), (2, 4, 3, 1), (3, 3, 4, 3), (5, 4, 6, 4)):
        cases.append((rng.standard_normal((n, n_prev)), rng.standard_normal((n, 1)),
                      rng.standard_normal((n_prev, m)), j))
    cases.append((rng.standard_normal((6, 4)), rng.standard_normal((6, 1)),
                  rng.standard_normal((4, 7)), int(rng.integers(2, 6))))
    return cases


def _same_row(expected, received):
    # one number per example: a row (1, m) or a flat (m,) array are both that row
    try:
        received = np.asarray(received, dtype=float)
    except (TypeError, ValueError):
        return False
    expected = np.asarray(expected, dtype=float)
    return received.size == expected.size and received.ndim <= 2 and (
        received.ndim < 2 or received.shape[0] == 1) and bool(
        np.allclose(received.ravel(), expected, rtol=1e-6, atol=1e-9))


register(FunctionExercise(
    CHAPTER, "unit_z", "The weighted input of unit j for a batch", "unit_z",
    _unit_inputs, _unit_z, ("W", "b", "A_prev", "j"), points=1, compare=_same_row,
    what="row j of Z^l = W^l A^(l-1) + b^l, for every example of the batch",
    mistakes=[
        Mistake("zero_based", "You took numpy row j. Units are numbered from 1 in the text, "
                "numpy rows from 0: unit j of layer l is row j - 1 of W^l and of b^l (and the "
                "last unit, j = n_l, has no row j at all).",
                lambda W, b, A, j: W[j] @ A + b[j, 0]),
        Mistake("column", "You took a column of W^l. Destination first: row j of W^l holds "
                "the weights INTO unit j (one per unit k of layer l-1); column k holds the "
                "weights out of unit k of layer l-1.",
                lambda W, b, A, j: W[:, j - 1] @ A + b[j - 1, 0]),
        Mistake("no_bias", "The bias is missing: z^l_j = sum_k W^l_jk a^(l-1)_k + b^l_j, the "
                "same b^l_j added for every example.",
                lambda W, b, A, j: W[j - 1] @ A),
        Mistake("activation", "You returned the activation a^l_j = sigma(z^l_j); the exercise "
                "asks for the weighted input z^l_j itself.",
                lambda W, b, A, j: _sigmoid(W[j - 1] @ A + b[j - 1, 0])),
    ]))
