"""Chapter 12 exercises: write a gradient checker, use it to find the bug in a faulty
backward pass, and choose the eps that makes the check most accurate."""
import re

import numpy as np

import bpkit
from bpkit import Network, bp2, bp3, bp4, output_delta
from bpkit.network import Gradients, Layers

from . import FunctionExercise, Mistake, ValueExercise, make_check, register

CHAPTER = "ch12"
check = make_check(CHAPTER)
TINY = np.finfo(float).tiny


# -- the gradient checker --------------------------------------------------------------------
class Quadratic:
    """f(x) = sum(c x^2 / 2 + d x^3 / 3): its gradient c x + d x^2 is known exactly."""

    def __init__(self, c, d):
        self.c, self.d = c, d

    def __call__(self, x):
        return float(np.sum(self.c * x ** 2 / 2 + self.d * x ** 3 / 3))

    def gradient(self, x):
        return self.c * x + self.d * x ** 2

    def __repr__(self):
        return "f"


def _numeric(f, x, eps, central=True):
    n = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[idx] += eps
        minus[idx] -= eps
        n[idx] = (f(plus) - f(minus)) / (2 * eps) if central else (f(plus) - f(x)) / eps
    return n


def _rel(a, n):
    return np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), TINY)


def _gradient_check(f, x, analytic, eps):
    n = _numeric(f, x, eps)
    return n, _rel(analytic, n)


def _inputs(rng):
    cases = []
    for shape, buggy in (((3,), False), ((2, 3), True), ((4, 2), True)):
        c = rng.uniform(0.5, 2, shape)
        d = rng.uniform(-1, 1, shape)
        c.flat[0] = d.flat[0] = 0.0  # one entry the function ignores: gradient exactly 0
        f = Quadratic(c, d)
        x = rng.uniform(-2, 2, shape)
        analytic = f.gradient(x)
        if buggy:
            analytic.flat[-1] *= 2.0
        cases.append((f, x, analytic, 1e-3))
    return cases


def _variant(rel=None, central=True):
    def gradient_check(f, x, analytic, eps):
        n = _numeric(f, x, eps, central)
        with np.errstate(divide="ignore", invalid="ignore"):
            return n, (rel or _rel)(analytic, n)
    return gradient_check


register(FunctionExercise(
    CHAPTER, "gradient_check", "A gradient checker", "gradient_check",
    _inputs, _gradient_check, ("f", "x", "analytic", "eps"), points=3,
    forbidden=(bpkit.numerical_gradient, bpkit.relative_error, bpkit.gradcheck),
    what="central differences and the relative error |a - n| / max(|a| + |n|, tiny)",
    mistakes=[
        Mistake("one_sided", "Your numerical gradient uses one-sided differences "
                "(f(x + eps) - f(x)) / eps, whose error shrinks only like eps. Use central "
                "differences, (f(x + eps) - f(x - eps)) / (2 eps): their error shrinks like "
                "eps^2.",
                _variant(central=False)),
        Mistake("absolute_error", "Your error is the absolute difference |a - n|. It depends "
                "on the size of the gradient, so no threshold fits every parameter; divide by "
                "|a| + |n| (at least a tiny number) to get the relative error.",
                _variant(rel=lambda a, n: np.abs(a - n))),
        Mistake("divide_by_analytic", "Your relative error divides by |a| alone, which blows "
                "up (0/0 or x/0) where the analytic gradient is 0. Divide by |a| + |n|, kept "
                "away from zero with max(..., tiny).",
                _variant(rel=lambda a, n: np.abs(a - n) / np.abs(a))),
        Mistake("no_tiny", "Where both gradients are 0 your relative error is 0/0 = nan: "
                "divide by max(|a| + |n|, tiny) so that those entries count as 0.",
                _variant(rel=lambda a, n: np.abs(a - n) / (np.abs(a) + np.abs(n)))),
        Mistake("max_denominator", "This chapter's relative error divides by |a| + |n| "
                "(as bpkit.relative_error does), not by max(|a|, |n|).",
                _variant(rel=lambda a, n: np.abs(a - n) / np.maximum(
                    np.maximum(np.abs(a), np.abs(n)), TINY))),
        Mistake("signed", "Your error is signed: take the absolute value of a - n, or a large "
                "negative error will pass as healthy.",
                _variant(rel=lambda a, n: (a - n) / np.maximum(np.abs(a) + np.abs(n), TINY))),
    ]))


# -- find the bug ----------------------------------------------------------------------------
def bug_hunt_problem():
    """The network, inputs and targets on which to test :func:`faulty_gradients`."""
    net = Network([3, 4, 3, 2], activation="sigmoid", loss="quadratic", seed=7)
    rng = np.random.default_rng(7)
    return net, rng.standard_normal((3, 6)), rng.uniform(0, 1, (2, 6))


def faulty_gradients(net, X, Y):
    """A backward pass with one bug in it. It returns Gradients, like ``net.gradients``."""
    cache = net.forward(X)
    L = net.L
    delta = output_delta(cache.z[L], cache.a[L], Y, net.output, net.loss_fn)
    dW, db = [None] * L, [None] * L
    for l in range(L, 0, -1):
        dW[l - 1] = bp4(delta, cache.a[l - 1])
        db[l - 1] = bp3(delta) * (delta.shape[1] if l == 2 else 1)
        if l > 1:
            delta = bp2(net.W[l], delta, cache.z[l - 1], net.activation)
    return Gradients(Layers("dW", 1, dW), Layers("db", 1, db))


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


BUG = "b2"


def _judge_bug(value):
    key = re.sub(r"[^a-z0-9]", "", str(value).lower())
    key = key[1:] if key.startswith("d") else key
    if not re.fullmatch(r"[wb][0-9]+", key):
        return 0, (f"{value!r} does not name a gradient array; answer like \"dW[1]\" or "
                   "\"db[3]\".")
    if key == BUG:
        return 1, ("Correct: db[2] fails the check. Its relative error is far above 1e-5 while "
                   "every other array is healthy: that gradient is m times too large (the 1/m "
                   "of BP3 is missing in layer 2).")
    name = f"d{key[0].upper()}[{key[1:]}]"
    return 0, (f"{name} passes the gradient check: its relative error is tiny. Check every "
               "array, W and b of each layer, and look for the one whose error is far above "
               "1e-5.")


register(ValueExercise(
    CHAPTER, "find_bug", "Find the bug with your gradient checker", _judge_bug, points=2,
    prompt='Set bug to the name of the wrong gradient array, like "dW[1]", and run the check.'))


# -- choose eps -----------------------------------------------------------------------------
_X0 = np.random.default_rng(0).uniform(-1, 1, 5)


def _f(x):
    return float(np.sum(np.sin(3 * x) * np.exp(0.5 * x)))


def _g(x):
    return (3 * np.cos(3 * x) + 0.5 * np.sin(3 * x)) * np.exp(0.5 * x)


def check_error(eps):
    """The largest relative error of a central-difference check at ``eps`` (float64)."""
    return float(np.max(_rel(_g(_X0), _numeric(_f, _X0, float(eps)))))


_GRID = 10.0 ** np.linspace(-12, -1, 111)


def _judge_eps(value):
    eps = float(value)
    if not (np.isfinite(eps) and 0 < eps <= 1):
        return 0, f"eps must be a positive number below 1; received {value!r}."
    best = min(check_error(e) for e in _GRID)
    err = check_error(eps)
    text = f"At eps = {eps:.2g} the check's relative error is {err:.1e} (the best is about {best:.0e})."
    if err <= 10 * best:
        return 1, (f"Correct. {text} There truncation error (which grows like eps^2) and "
                   "round-off error (which grows like 1/eps) balance.")
    side = ("too small: round-off in f(x + eps) - f(x - eps) dominates" if eps < 1e-6
            else "too large: the truncation error of the difference dominates")
    return (0.5 if err <= 100 * best else 0), f"{text} This eps is {side}."


register(ValueExercise(
    CHAPTER, "eps", "Choose the eps of the gradient check", _judge_eps, points=2,
    prompt="Move the slider, then run the check."))


def eps_slider(value=1e-1):
    """A slider for eps (log scale), with the check's relative error at that eps beside it."""
    import ipywidgets as widgets
    from IPython.display import display

    slider = widgets.FloatLogSlider(value=value, base=10, min=-12, max=-1, step=0.1,
                                    description="eps", readout_format=".1e",
                                    continuous_update=False)
    label = widgets.Label()

    def update(change=None):
        label.value = f"max relative error = {check_error(slider.value):.2e}"

    update()
    slider.observe(update, names="value")
    display(widgets.HBox([slider, label]))
    return slider
