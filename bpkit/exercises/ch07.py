"""Chapter 7 exercises: BP2 for a sigmoid layer; BP2 through a leaky-ReLU layer; and the
backward pass of a residual block, a layer of a form the chapter did not treat."""
import numpy as np

import bpkit
from bpkit.activations import sigmoid

from . import FunctionExercise, Mistake, make_check, register

CHAPTER = "ch07"
check = make_check(CHAPTER)


# -- BP2 -----------------------------------------------------------------------------------
def _bp2(W_next, delta_next, z):
    return bpkit.bp2(W_next, delta_next, z, "sigmoid")


def _inputs(rng):
    # The first case is square, so that a missing transpose still runs and can be named.
    cases = []
    for n_next, n, m in ((2, 2, 1), (2, 3, 1), (4, 3, 5)):
        cases.append((rng.standard_normal((n_next, n)), rng.standard_normal((n_next, m)),
                      2 * rng.standard_normal((n, m))))
    return cases


register(FunctionExercise(
    CHAPTER, "bp2", "BP2 for a sigmoid hidden layer", "bp2",
    _inputs, _bp2, ("W_next", "delta_next", "z"), points=3, forbidden=(bpkit.bp2,),
    what="BP2, delta^l = ((W^(l+1))^T delta^(l+1)) * sigma'(z^l)",
    mistakes=[
        Mistake("missing_transpose", "BP2 carries delta^(l+1) back across the weights with "
                "(W^(l+1))^T; your result matches W^(l+1) delta^(l+1), without the transpose. "
                "W^(l+1) is (n_(l+1), n_l): it maps layer l forward to layer l+1, and its "
                "transpose maps the error of layer l+1 back to layer l (with non-square "
                "weights the product without the transpose does not even fit).",
                lambda W, d, z: (W @ d) * sigmoid.df(z)),
        Mistake("sigma_not_prime", "You multiplied by sigma(z^l) where BP2 needs the slope "
                "sigma'(z^l): the second stage of BP2 passes the error through the "
                "derivative of the activation, not the activation itself.",
                lambda W, d, z: (W.T @ d) * sigmoid.f(z)),
        Mistake("missing_sigma_prime", "The factor sigma'(z^l) is missing: (W^(l+1))^T "
                "delta^(l+1) is the gradient with respect to a^l. BP2 then multiplies it "
                "elementwise by sigma'(z^l) to reach z^l.",
                lambda W, d, z: W.T @ d),
        Mistake("missing_transpose_no_prime", "Two things are missing: the transpose of "
                "W^(l+1) (the error travels back across the weights with (W^(l+1))^T) and "
                "the factor sigma'(z^l).",
                lambda W, d, z: W @ d),
        Mistake("tanh_slope", "You used the slope of tanh, 1 - tanh(z)^2, in a sigmoid layer. "
                "BP2 needs the slope of the layer's own activation: sigma'(z) = "
                "sigma(z)(1 - sigma(z)) for the sigmoid.",
                lambda W, d, z: (W.T @ d) * (1 - np.tanh(z) ** 2)),
    ]))


# -- BP2 through a leaky-ReLU layer ------------------------------------------------------------
def _leaky_slope(z, alpha):
    return np.where(z > 0, 1.0, alpha)


def _bp2_leaky(W_next, delta_next, z, alpha):
    return (W_next.T @ delta_next) * _leaky_slope(z, alpha)


def _leaky_inputs(rng):
    cases = []
    for n_next, n, m in ((3, 3, 1), (2, 4, 1), (5, 3, 4)):
        cases.append((rng.standard_normal((n_next, n)), rng.standard_normal((n_next, m)),
                      rng.standard_normal((n, m)), float(rng.uniform(0.02, 0.3))))
    return cases


register(FunctionExercise(
    CHAPTER, "bp2_leaky", "BP2 through a leaky-ReLU layer", "bp2_leaky",
    _leaky_inputs, _bp2_leaky, ("W_next", "delta_next", "z", "alpha"), points=2,
    forbidden=(bpkit.bp2,),
    what="BP2 with the leaky-ReLU slope (1 where z > 0, alpha elsewhere)",
    mistakes=[
        Mistake("relu_slope", "You used the slope of the plain ReLU, 0 for z <= 0. The leaky "
                "ReLU has slope alpha there, so a unit that is 'off' still passes alpha times "
                "its error down: that is the point of the leak.",
                lambda W, d, z, al: (W.T @ d) * (z > 0)),
        Mistake("activation_not_slope", "You multiplied by the leaky ReLU itself, max(z, "
                "alpha z), where BP2 needs its slope: 1 where z > 0 and alpha elsewhere.",
                lambda W, d, z, al: (W.T @ d) * np.where(z > 0, z, al * z)),
        Mistake("alpha_swapped", "The two slopes are swapped: the leaky ReLU is the identity "
                "(slope 1) where z > 0 and has the small slope alpha where z <= 0.",
                lambda W, d, z, al: (W.T @ d) * np.where(z > 0, al, 1.0)),
        Mistake("missing_transpose", "The error goes back across the weights with "
                "(W^(l+1))^T, not W^(l+1): your result matches W^(l+1) delta^(l+1) times the "
                "slope (it only runs when W^(l+1) is square).",
                lambda W, d, z, al: (W @ d) * _leaky_slope(z, al)),
        Mistake("alpha_z_slope", "For z <= 0 you multiplied by alpha z, the activation's "
                "value there. Its slope is the constant alpha: sigma'(z) = 1 for z > 0 and "
                "alpha otherwise, so delta^l = ((W^(l+1))^T delta^(l+1)) * np.where(z > 0, 1, "
                "alpha).",
                lambda W, d, z, al: (W.T @ d) * np.where(z > 0, 1.0, al * z)),
    ]))


# -- the backward pass of a residual block -----------------------------------------------------
def _residual_backward(W, z, grad_out):
    # a_out = a_in + sigma(z), z = W a_in + b: two routes from a_in to a_out
    return grad_out + W.T @ (grad_out * sigmoid.df(z))


def _residual_inputs(rng):
    return [(rng.standard_normal((n, n)), 2 * rng.standard_normal((n, m)),
             rng.standard_normal((n, m))) for n, m in ((2, 1), (3, 2), (5, 4))]


register(FunctionExercise(
    CHAPTER, "residual_backward", "The backward pass of a residual block", "residual_backward",
    _residual_inputs, _residual_backward, ("W", "z", "grad_out"), points=3,
    forbidden=(bpkit.bp2,),
    what="dC/da_in = g + W^T (g * sigma'(z)) for a_out = a_in + sigma(W a_in + b)",
    mistakes=[
        Mistake("no_skip", "You followed only the route through the weights and the sigmoid. "
                "a_in also reaches a_out directly (the '+ a_in' of the block), and that route "
                "carries grad_out back unchanged: add it.",
                lambda W, z, g: W.T @ (g * sigmoid.df(z))),
        Mistake("skip_only", "You followed only the skip route. The block's other route, "
                "through z = W a_in + b and the sigmoid, adds W^T (g * sigma'(z)).",
                lambda W, z, g: g.copy()),
        Mistake("missing_transpose", "The route through the weights goes back with W^T, not "
                "W: W maps a_in forward to z, its transpose maps the error at z back to a_in. "
                "(W is square here, so the product without the transpose runs, but is wrong.)",
                lambda W, z, g: g + W @ (g * sigmoid.df(z))),
        Mistake("slope_on_skip", "You multiplied the whole sum by sigma'(z). The skip route "
                "does not pass through the sigmoid, so its term, grad_out, gets no slope: "
                "only the route through z does.",
                lambda W, z, g: (g + W.T @ g) * sigmoid.df(z)),
        Mistake("slope_after_weights", "You applied the slope after crossing the weights, "
                "W^T g * sigma'(z). Going backward the order of the forward pass is reversed: "
                "the error at sigma(z) first passes through the slope sigma'(z) (giving the "
                "delta at z), then back across W^T.",
                lambda W, z, g: g + (W.T @ g) * sigmoid.df(z)),
        Mistake("sigma_not_prime", "You multiplied by sigma(z) where the backward pass needs "
                "the slope sigma'(z) = sigma(z)(1 - sigma(z)).",
                lambda W, z, g: g + W.T @ (g * sigmoid.f(z))),
    ]))
