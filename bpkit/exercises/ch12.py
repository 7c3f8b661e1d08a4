"""Chapter 12 exercises: write a gradient checker, use it to find the bug in a faulty
backward pass, and predict the best eps of a check in half precision (float16)."""
import re

import numpy as np

import bpkit
from bpkit import Network, bp3, bp4
from bpkit.gradcheck import best_eps, difference_errors, relative_error, unit_roundoff
from bpkit.network import Gradients, Layers

from . import FunctionExercise, Mistake, ValueExercise, make_check, register

CHAPTER = "ch12"
check = make_check(CHAPTER)
TINY = np.finfo(float).tiny


# -- the gradient checker --------------------------------------------------------------------
class Cubic:
    """f(x) = sum(c x^2 / 2 + d x^3 / 3): its gradient c x + d x^2 is known exactly."""

    def __init__(self, c, d):
        self.c, self.d = c, d

    def __call__(self, x):
        return float(np.sum(self.c * x ** 2 / 2 + self.d * x ** 3 / 3))

    def gradient(self, x):
        return self.c * x + self.d * x ** 2

    def __repr__(self):
        return "f"


def _numeric(f, x, eps, step="central"):
    n = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[idx] += eps
        minus[idx] -= eps
        n[idx] = {"central": lambda: (f(plus) - f(minus)) / (2 * eps),
                  "forward": lambda: (f(plus) - f(x)) / eps,
                  "backward": lambda: (f(x) - f(minus)) / eps}[step]()
    return n


def _gradient_check(f, x, analytic, eps):
    n = _numeric(f, x, eps)
    return n, relative_error(analytic, n)


def _inputs(rng):
    cases = []
    # a correct gradient, one with entries too large, one with entries too small or zeroed
    for shape, bug in (((3,), None), ((2, 3), 2.0), ((4, 2), 0.5)):
        c = rng.uniform(0.5, 2, shape)
        d = rng.uniform(-1, 1, shape)
        c.flat[0] = d.flat[0] = 0.0  # one entry the function ignores: gradient exactly 0
        f = Cubic(c, d)
        x = rng.uniform(-2, 2, shape)
        analytic = f.gradient(x)
        if bug is not None:
            analytic.flat[-1] *= bug
            analytic.flat[1] = 0.0   # a gradient wrongly zeroed
        cases.append((f, x, analytic, 1e-3))
    return cases


def _variant(rel=None, step="central"):
    def gradient_check(f, x, analytic, eps):
        n = _numeric(f, x, eps, step)
        with np.errstate(divide="ignore", invalid="ignore"):
            return n, (rel or relative_error)(analytic, n)
    return gradient_check


register(FunctionExercise(
    CHAPTER, "gradient_check", "A gradient checker", "gradient_check",
    _inputs, _gradient_check, ("f", "x", "analytic", "eps"), points=3,
    forbidden=(bpkit.numerical_gradient, bpkit.relative_error, bpkit.gradcheck),
    what="central differences and the relative error |a - n| / max(|a|, |n|, tiny)",
    mistakes=[
        Mistake("one_sided", "Your numerical gradient uses the one-sided difference "
                "(f(x + eps) - f(x)) / eps, whose error shrinks only like eps. Use the central "
                "difference (f(x + eps) - f(x - eps)) / (2 eps): its error shrinks like eps^2.",
                _variant(step="forward")),
        Mistake("backward_one_sided", "Your numerical gradient uses the backward one-sided "
                "difference (f(x) - f(x - eps)) / eps: its error shrinks only like eps, like "
                "the forward one. Use both sides, (f(x + eps) - f(x - eps)) / (2 eps).",
                _variant(step="backward")),
        Mistake("absolute_error", "Your error is the absolute difference |a - n|. It depends "
                "on the size of the gradient, so no threshold fits every parameter; divide by "
                "max(|a|, |n|) (at least a tiny number) to get the relative error.",
                _variant(rel=lambda a, n: np.abs(a - n))),
        Mistake("divide_by_analytic", "Your relative error divides by |a| alone: it blows up "
                "(x/0 or 0/0) where the analytic gradient is 0, and it is not symmetric. "
                "Divide by max(|a|, |n|), kept at least tiny.",
                _variant(rel=lambda a, n: np.abs(a - n) / np.abs(a))),
        Mistake("no_tiny", "Where both gradients are 0 your relative error is 0/0 = nan: "
                "divide by max(|a|, |n|, tiny) so that those entries count as 0.",
                _variant(rel=lambda a, n: np.abs(a - n) / np.maximum(np.abs(a), np.abs(n)))),
        Mistake("sum_denominator", "Your relative error divides by |a| + |n|. The book has one "
                "relative error, |a - n| / max(|a|, |n|) (kept at least tiny), the one "
                "bpkit.relative_error computes and whose thresholds the chapter gives; with "
                "|a| + |n| every error comes out about half as large.",
                _variant(rel=lambda a, n: np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n),
                                                                     TINY))),
        Mistake("signed", "Your error is signed: take the absolute value of a - n, or a large "
                "negative error will pass as healthy.",
                _variant(rel=lambda a, n: (a - n) / np.maximum(np.maximum(np.abs(a), np.abs(n)),
                                                               TINY))),
    ]))


# -- find the bug ----------------------------------------------------------------------------
def bug_hunt_problem():
    """The network, inputs and targets on which to test :func:`faulty_gradients`."""
    net = Network([3, 4, 3, 2], activation="sigmoid", loss="quadratic", seed=0)
    rng = np.random.default_rng(0)
    return net, rng.standard_normal((3, 6)), rng.uniform(0, 1, (2, 6))


def faulty_gradients(net, X, Y):
    """The gradients of ``net`` on ``X, Y`` with one bug in them; returns Gradients.

    The deltas are the network's own (BP1, BP2); the bug is in turning them into gradients.
    Find it with your checker, not by reading this code.
    """
    cache = net.forward(X)
    delta = net.deltas(cache, Y)
    dW = [bp4(delta[l], cache.a[l - 1]) for l in delta.layers()]
    db = [bp3(delta[l]) * _SCALE.get(l, 1) for l in delta.layers()]
    return Gradients(Layers("dW", 1, dW), Layers("db", 1, db))


_SCALE = {2: 6}  # the sum over the batch instead of the mean, in one layer (m = 6)


def param_loss(net, X, Y, name, l):
    """f(x): the mean loss of ``net`` on ``X, Y`` with ``net.W[l]`` (or ``net.b[l]``) set to x."""
    param = (net.W if name == "W" else net.b)[l]

    def f(x):
        saved = param.copy()
        param[...] = x
        try:
            return net.loss(X, Y)
        finally:
            param[...] = saved
    return f


BUG, FACTOR = "b2", 6.0


def _judge_bug(value):
    name, factor = value
    key = re.sub(r"[^a-z0-9]", "", str(name).lower())
    key = key[1:] if key.startswith("d") else key
    if not re.fullmatch(r"[wb][0-9]+", key):
        return 0, (f"{name!r} does not name a gradient array; answer like (\"dW[1]\", 0.5).")
    factor = float(factor)
    if key == BUG and abs(factor - FACTOR) <= 0.01 * FACTOR:
        return 1, ("Correct: db[2] fails the check, every other array is healthy, and it is "
                   "m = 6 times too large: the sum of the deltas over the batch instead of "
                   "their mean (the 1/m of BP3 is missing in layer 2).")
    if key == BUG and abs(factor - 1 / FACTOR) <= 0.01 / FACTOR:
        return 0, ("Your factor is upside down: give the faulty value divided by the true "
                   "one (the numerical gradient).")
    return 0, ("Not both right. Run your gradient_check on every array, W and b of each "
               "layer; in the one whose relative error is far above 1e-5, divide the faulty "
               "entries by the numerical ones.")


register(ValueExercise(
    CHAPTER, "find_bug", "Find the bug with your gradient checker", _judge_bug, points=2,
    prompt='Set bug to the wrong array and its factor, like ("dW[1]", 0.5), and run the check.'))


# -- the best eps in half precision ------------------------------------------------------------
def f16(x):
    """The function of exercise 3, $f(x) = e^{x/3}$; its k-th derivative is $3^{-k} e^{x/3}$."""
    return np.exp(x / 3)


X16 = np.linspace(0.9, 1.1, 201)   # the points of the check, around x = 1
#: f, f'' and f''' at x = 1
F, F2, F3 = np.exp(1 / 3), np.exp(1 / 3) / 9, np.exp(1 / 3) / 27
TOLERANCE = 1.7  # a factor either way; the measured minimum of the float16 curve lies inside


def error16(eps):
    """The median relative error of a central-difference check of ``f16`` in float16."""
    return float(difference_errors(f16, lambda x: f16(x) / 3, X16, [eps], "central",
                                   np.float16)[0])


def _near(eps, target, factor=2.0):
    return target / factor <= eps <= target * factor


def _judge_eps(value):
    eps = float(value)
    if not (np.isfinite(eps) and 0 < eps < 1):
        return 0, f"eps must be a number between 0 and 1; received {value!r}."
    u = unit_roundoff(np.float16)
    if _near(eps, best_eps(u, F, F2, F3), TOLERANCE):
        return 1, ("Correct: there the float16 check is at the bottom of its error curve, "
                   "where truncation (like eps^2) and rounding (like u/eps) balance.")
    for dtype in (np.float64, np.float32):
        if _near(eps, best_eps(unit_roundoff(dtype), F, F2, F3)):
            return 0, (f"That is the best eps of {np.dtype(dtype).name}, not of float16: use "
                       "the unit roundoff of float16, u = 2^-11.")
    near_one_sided = (_near(eps, best_eps(u, F, F2, F3, kind="one-sided"), 1.5)
                      or _near(eps, np.sqrt(u), 1.5))
    if near_one_sided or _near(eps, np.cbrt(3 * u), 1.5):
        return 0, ("That is the scale of a formula that leaves part of the derivation out: "
                   "the central difference's best eps is cbrt(3 u |f| / |f'''|), not the "
                   "one-sided 2 sqrt(u |f| / |f''|) nor sqrt(u), and not cbrt(3 u) without "
                   "the function's ratio |f| / |f'''|, which here is far from 1.")
    return 0, ("Not within the tolerance. Write the two errors of the central difference "
               "in float16 for this f, and minimise their sum over eps.")


register(ValueExercise(
    CHAPTER, "eps16", "The best eps in half precision", _judge_eps, points=2,
    prompt="Set eps16 to your number and run the check."))
