"""Chapter 5 exercises: estimate a delta, dC/dz^l_j, by a finite difference, and use the
deltas to choose the one nudge that lowers the loss the most (units numbered from 1)."""
import numpy as np

from . import FunctionExercise, Mistake, make_check, register

CHAPTER = "ch05"
check = make_check(CHAPTER)


class LossOfZ:
    """C as a function of z^l alone: the layers above l and the target are held fixed."""

    def __init__(self, W, b, y):
        self.W, self.b, self.y = W, b, y

    def __call__(self, z):
        a = 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))
        out = 1.0 / (1.0 + np.exp(-(self.W @ a + self.b)))
        return float(0.5 * np.sum((out - self.y) ** 2))

    def __repr__(self):
        return "C(z)"


def _central(C, z, j, eps):
    # unit j (numbered from 1) is numpy row j - 1
    plus, minus = z.copy(), z.copy()
    plus[j - 1, 0] += eps
    minus[j - 1, 0] -= eps
    return (C(plus) - C(minus)) / (2 * eps)


def _one_sided(C, z, j, eps):
    plus = z.copy()
    plus[j - 1, 0] += eps
    return (C(plus) - C(z)) / eps


def _half(C, z, j, eps):
    return 2 * _central(C, z, j, eps)


def _row_j(C, z, j, eps):
    return _central(C, z, j + 1, eps)


def _inputs(rng):
    cases = []
    # j = n, the last unit, has no numpy row j: a 0-based nudge fails there
    for n, k, j in ((2, 1, 1), (3, 2, 3), (5, 3, int(rng.integers(1, 5)))):
        C = LossOfZ(3 * rng.standard_normal((k, n)), rng.standard_normal((k, 1)),
                    rng.uniform(0, 1, (k, 1)))
        cases.append((C, 2 * rng.standard_normal((n, 1)), j, 1e-3))
    return cases


register(FunctionExercise(
    CHAPTER, "estimate_delta", "Estimate delta^l_j by a finite difference", "estimate_delta",
    _inputs, _central, ("C", "z", "j", "eps"), points=1, must_not_modify=True,
    what="the central difference (C(z + eps e_j) - C(z - eps e_j)) / (2 eps)",
    mistakes=[
        Mistake("one_sided", "You used a one-sided difference (C(z + eps e_j) - C(z)) / eps. "
                "Its error shrinks only like eps; nudge z_j both ways and divide by 2 eps, "
                "whose error shrinks like eps^2.",
                _one_sided),
        Mistake("divide_by_eps", "Your estimate is twice the delta: the two points "
                "z_j + eps and z_j - eps are 2 eps apart, so divide the change of C by 2 eps.",
                _half),
        Mistake("zero_based", "You nudged numpy row j. Units are numbered from 1, as in the "
                "chapter: unit j is row j - 1 of z (the last unit, j = n_l, has no row j).",
                _row_j),
    ]))


# -- the best single nudge --------------------------------------------------------------------
def _best_nudge(delta, eps):
    row = int(np.argmax(np.abs(delta[:, 0])))
    return row + 1, float(-eps * np.sign(delta[row, 0]))


def _nudge_inputs(rng):
    cases = []
    for n, negative in ((2, True), (3, False), (4, True), (6, True), (5, False)):
        # distinct sizes, no ties; where `negative`, the largest |delta| is a negative delta
        size = rng.permutation(np.linspace(0.2, 1.0, n) + rng.uniform(0, 0.05, n))
        sign = rng.choice([-1.0, 1.0], n)
        top = int(np.argmax(size))
        sign[top] = -1.0 if negative else 1.0
        if negative:
            sign[int(np.argsort(size)[-2])] = 1.0   # the largest delta is a smaller one
        cases.append(((size * sign).reshape(n, 1), float(rng.choice([0.01, 0.05, 0.1]))))
    return cases


register(FunctionExercise(
    CHAPTER, "best_nudge", "The single nudge that lowers C the most", "best_nudge",
    _nudge_inputs, _best_nudge, ("delta", "eps"), points=2,
    what="the unit with the largest |delta_j|, nudged by -eps * sign(delta_j)",
    mistakes=[
        Mistake("uphill", "Your nudge raises the loss. Delta C is about delta_j * dz, so to "
                "lower C the nudge must have the sign opposite to delta_j: dz = -eps * "
                "sign(delta_j).",
                lambda d, eps: (_best_nudge(d, eps)[0], -_best_nudge(d, eps)[1])),
        Mistake("largest_delta", "You chose the unit with the largest delta_j. What counts is "
                "the size |delta_j|: a unit with delta_j = -0.9 changes C more per unit of "
                "nudge than one with delta_j = 0.5 (in the other direction, which the sign of "
                "dz takes care of).",
                lambda d, eps: (int(np.argmax(d[:, 0])) + 1,
                                float(-eps * np.sign(d[int(np.argmax(d[:, 0])), 0])))),
        Mistake("zero_based", "You returned numpy's row index. Units are numbered from 1: the "
                "unit in row r is unit j = r + 1.",
                lambda d, eps: (_best_nudge(d, eps)[0] - 1, _best_nudge(d, eps)[1])),
    ]))
