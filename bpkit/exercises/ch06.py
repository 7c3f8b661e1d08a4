"""Chapter 6 exercises: BP1; the output error of softmax with cross-entropy; BP1 for a pair
the chapter did not treat (a softplus output with the Poisson loss); and a prediction of how
much a saturated output slows learning under the quadratic loss."""
import numpy as np

import bpkit
from bpkit.activations import sigmoid, softmax_f

from . import FunctionExercise, Mistake, ValueExercise, make_check, register

CHAPTER = "ch06"
check = make_check(CHAPTER)


# -- BP1 -----------------------------------------------------------------------------------
def _bp1(grad_a, z):
    return bpkit.bp1(grad_a, z, "sigmoid")


def _bp1_inputs(rng):
    return [(rng.standard_normal((n, m)), 2 * rng.standard_normal((n, m)))
            for n, m in ((1, 1), (3, 1), (4, 6))]


register(FunctionExercise(
    CHAPTER, "bp1", "BP1 for a sigmoid output layer", "bp1",
    _bp1_inputs, _bp1, ("grad_a", "z"), points=2, forbidden=(bpkit.bp1, bpkit.output_delta),
    what="BP1, delta^L = grad_a C * sigma'(z^L)",
    mistakes=[
        Mistake("sigma_not_prime", "You multiplied by sigma(z^L) where BP1 needs its slope "
                "sigma'(z^L) = sigma(z^L)(1 - sigma(z^L)): delta^L measures how C changes "
                "with z^L, which goes through the slope of the activation.",
                lambda g, z: g * sigmoid.f(z)),
        Mistake("no_sigma_prime", "The factor sigma'(z^L) is missing: you returned grad_a C, "
                "the gradient with respect to a^L. BP1 carries it through the activation, "
                "delta^L = grad_a C * sigma'(z^L) (elementwise).",
                lambda g, z: g.copy()),
        Mistake("prime_of_z_directly", "You applied a(1 - a) to z itself. The slope of the "
                "sigmoid is sigma'(z) = sigma(z)(1 - sigma(z)): the formula a(1 - a) needs "
                "a = sigma(z).",
                lambda g, z: g * z * (1 - z)),
        Mistake("tanh_slope", "You used the slope of tanh, 1 - tanh(z)^2, in a sigmoid output "
                "layer. BP1 needs the slope of the output layer's own activation: sigma'(z^L) "
                "= sigma(z^L)(1 - sigma(z^L)) for the sigmoid.",
                lambda g, z: g * (1 - np.tanh(z) ** 2)),
    ]))


# -- softmax with cross-entropy --------------------------------------------------------------
def _softmax_ce_delta(z, y):
    return bpkit.output_delta(z, softmax_f(z), y, "softmax", "cross_entropy")


def _onehot(rng, k, m):
    y = np.zeros((k, m))
    y[rng.integers(0, k, m), np.arange(m)] = 1.0
    return y


def _ce_inputs(rng):
    return [(rng.standard_normal((k, m)), _onehot(rng, k, m)) for k, m in ((2, 1), (3, 2), (5, 7))]


def _slope_times(z, y):
    a = softmax_f(z)
    return (a - y) * a * (1 - a)


register(FunctionExercise(
    CHAPTER, "softmax_ce_delta", "delta^L for softmax with cross-entropy", "softmax_ce_delta",
    _ce_inputs, _softmax_ce_delta, ("z", "y"), points=2,
    forbidden=(bpkit.output_delta, bpkit.bp1),
    what="delta^L = a^L - y with a^L = softmax(z^L)",
    mistakes=[
        Mistake("extra_slope", "You multiplied a^L - y by a^L(1 - a^L), as if softmax were "
                "elementwise. Softmax has a full Jacobian; multiplied by the cross-entropy "
                "gradient -y / a^L it collapses exactly to delta^L = a^L - y, with nothing "
                "left to multiply.",
                _slope_times),
        Mistake("sign", "The sign is flipped: delta^L = a^L - y (prediction minus target), so "
                "a too-large output gives a positive error.",
                lambda z, y: y - softmax_f(z)),
        Mistake("grad_a_only", "You returned the gradient with respect to a^L, -y / a^L. "
                "delta^L is the gradient with respect to z^L: carried through the softmax "
                "Jacobian it becomes a^L - y.",
                lambda z, y: -y / softmax_f(z)),
        Mistake("z_minus_y", "You subtracted y from z^L. The error is measured on the "
                "probabilities: delta^L = softmax(z^L) - y.",
                lambda z, y: z - y),
        Mistake("softmax_wrong_axis", "Your softmax normalises across the examples (the "
                "columns' entries in each row sum to 1). Each column is one example: the "
                "softmax of an example divides by the sum over its own units, axis 0.",
                lambda z, y: softmax_f(z.T).T - y),
    ]))


# -- a pair the chapter did not treat: softplus output, Poisson loss -------------------------
def _softplus(z):
    return np.logaddexp(0.0, z)


def _softplus_poisson_delta(z, y):
    # dC/da = 1 - y/a, and the slope of log(1 + e^z) is sigmoid(z)
    return (1.0 - y / _softplus(z)) * sigmoid.f(z)


def _poisson_inputs(rng):
    return [(rng.uniform(-3, 3, (n, m)), rng.integers(0, 6, (n, m)).astype(float))
            for n, m in ((1, 1), (2, 3), (4, 5))]


register(FunctionExercise(
    CHAPTER, "softplus_poisson_delta", "BP1 for a softplus output with the Poisson loss",
    "softplus_poisson_delta", _poisson_inputs, _softplus_poisson_delta, ("z", "y"), points=3,
    forbidden=(bpkit.output_delta, bpkit.bp1),
    what="BP1 for a = softplus(z) and C = sum(a - y log a)",
    mistakes=[
        Mistake("shortcut", "You returned a^L - y, the shortcut of the paired outputs. This "
                "pair is not one of them: here dC/da = 1 - y/a, and the slope of the softplus "
                "is sigmoid(z), which does not cancel it. (The output that is paired with the "
                "Poisson loss is the exponential a = e^z: work out why its delta is a - y.)",
                lambda z, y: _softplus(z) - y),
        Mistake("no_slope", "You returned dC/da^L = 1 - y/a, the gradient with respect to "
                "the output. BP1 multiplies it by the slope of the output activation: the "
                "derivative of log(1 + e^z) is e^z / (1 + e^z) = sigmoid(z).",
                lambda z, y: 1.0 - y / _softplus(z)),
        Mistake("exp_slope", "You multiplied by e^z. The slope of the softplus "
                "log(1 + e^z) is e^z / (1 + e^z) = sigmoid(z): the chain rule through the log "
                "divides by 1 + e^z.",
                lambda z, y: (1.0 - y / _softplus(z)) * np.exp(z)),
        Mistake("sign", "The sign is flipped: the derivative of a - y log a with respect to a "
                "is 1 - y/a, positive when the output a is larger than the count y.",
                lambda z, y: (y / _softplus(z) - 1.0) * sigmoid.f(z)),
        Mistake("sigma_prime_slope", "You multiplied by sigma'(z), the slope of the sigmoid. "
                "The output here is the softplus a = log(1 + e^z), whose slope is sigma(z) "
                "itself: da/dz = e^z / (1 + e^z). BP1 is delta^L = (1 - y/a) * sigma(z^L).",
                lambda z, y: (1.0 - y / _softplus(z)) * sigmoid.df(z)),
    ]))


# -- predict: how much slower is the quadratic loss at a saturated output? -------------------
Z_SATURATED = 4.5


def _judge_ratio(value):
    ratio = float(value)
    slope = float(sigmoid.df(np.array(Z_SATURATED)))
    truth = 1.0 / slope
    if np.isfinite(ratio) and abs(ratio - truth) <= 0.01 * truth:
        return 1, (f"Correct: the ratio is 1 / sigma'({Z_SATURATED}) = {truth:.2f}. Under the "
                   "quadratic loss delta^L = (a - y) sigma'(z), under binary cross-entropy "
                   "delta^L = a - y: everything but the slope cancels in the ratio, and y "
                   "does not matter.")
    if np.isfinite(ratio) and ratio > 0 and abs(1.0 / ratio - truth) <= 0.01 * truth:
        return 0, ("Your number is the ratio the other way round: the exercise asks how many "
                   "times larger the cross-entropy delta is than the quadratic one.")
    if np.isfinite(ratio) and abs(ratio - 4.0) <= 0.04:
        return 0, ("4 = 1 / (1/4) uses the largest slope of the sigmoid, at z = 0. The output "
                   f"here sits at z = {Z_SATURATED}, where the slope is much smaller.")
    a = float(sigmoid.f(np.array(Z_SATURATED)))
    if np.isfinite(ratio) and (abs(ratio - 1 / a) <= 0.01 / a or abs(ratio - a) <= 0.01 * a):
        return 0, ("You used the output sigma(z) where the ratio involves the slope "
                   "sigma'(z) = sigma(z)(1 - sigma(z)).")
    return 0, ("Not this number. Write delta^L for each loss with BP1 and divide one by the "
               "other: most factors cancel.")


register(ValueExercise(
    CHAPTER, "saturation_ratio", "Predict: how much smaller is the quadratic delta?",
    _judge_ratio, points=2,
    prompt="Set ratio to a number and run the check."))
