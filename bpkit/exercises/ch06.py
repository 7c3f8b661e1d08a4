"""Chapter 6 exercises: BP1, and the output error of softmax with cross-entropy."""
import numpy as np

import bpkit
from bpkit.activations import sigmoid, softmax_f

from . import FunctionExercise, Mistake, make_check, register

CHAPTER = "ch06"
check = make_check(CHAPTER)
_sigmoid, _sigmoid_prime = sigmoid.f, sigmoid.df


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
                lambda g, z: g * _sigmoid(z)),
        Mistake("no_sigma_prime", "The factor sigma'(z^L) is missing: you returned grad_a C, "
                "the gradient with respect to a^L. BP1 carries it through the activation, "
                "delta^L = grad_a C * sigma'(z^L) (elementwise).",
                lambda g, z: g.copy()),
        Mistake("prime_of_z_directly", "You applied a(1 - a) to z itself. The slope of the "
                "sigmoid is sigma'(z) = sigma(z)(1 - sigma(z)): the formula a(1 - a) needs "
                "a = sigma(z).",
                lambda g, z: g * z * (1 - z)),
    ]))


# -- softmax with cross-entropy --------------------------------------------------------------
def _softmax_ce_delta(z, y):
    return softmax_f(z) - y


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
    ]))
