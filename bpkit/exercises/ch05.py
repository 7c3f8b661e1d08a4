"""Chapter 5 exercise: estimate a delta, dC/dz^l_j, by a finite difference."""
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
    plus, minus = z.copy(), z.copy()
    plus[j, 0] += eps
    minus[j, 0] -= eps
    return (C(plus) - C(minus)) / (2 * eps)


def _one_sided(C, z, j, eps):
    plus = z.copy()
    plus[j, 0] += eps
    return (C(plus) - C(z)) / eps


def _half(C, z, j, eps):
    return 2 * _central(C, z, j, eps)


def _inputs(rng):
    cases = []
    for n, k in ((2, 1), (3, 2), (5, 3)):
        C = LossOfZ(3 * rng.standard_normal((k, n)), rng.standard_normal((k, 1)),
                    rng.uniform(0, 1, (k, 1)))
        cases.append((C, 2 * rng.standard_normal((n, 1)), int(rng.integers(0, n)), 1e-3))
    return cases


register(FunctionExercise(
    CHAPTER, "estimate_delta", "Estimate delta^l_j by a finite difference", "estimate_delta",
    _inputs, _central, ("C", "z", "j", "eps"), points=1,
    what="the central difference (C(z + eps e_j) - C(z - eps e_j)) / (2 eps)",
    mistakes=[
        Mistake("one_sided", "You used a one-sided difference (C(z + eps e_j) - C(z)) / eps. "
                "Its error shrinks only like eps; nudge z_j both ways and divide by 2 eps, "
                "whose error shrinks like eps^2.",
                _one_sided),
        Mistake("divide_by_eps", "Your estimate is twice the delta: the two points "
                "z_j + eps and z_j - eps are 2 eps apart, so divide the change of C by 2 eps.",
                _half),
    ]))
