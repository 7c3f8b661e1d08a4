"""Chapter 7 exercise: BP2, the error of a hidden layer from the error of the next."""
import bpkit
from bpkit.activations import sigmoid

from . import FunctionExercise, Mistake, make_check, register

CHAPTER = "ch07"
check = make_check(CHAPTER)
_sigmoid, _sigmoid_prime = sigmoid.f, sigmoid.df


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
                lambda W, d, z: (W @ d) * _sigmoid_prime(z)),
        Mistake("sigma_not_prime", "You multiplied by sigma(z^l) where BP2 needs the slope "
                "sigma'(z^l): the second stage of BP2 passes the error through the "
                "derivative of the activation, not the activation itself.",
                lambda W, d, z: (W.T @ d) * _sigmoid(z)),
        Mistake("missing_sigma_prime", "The factor sigma'(z^l) is missing: (W^(l+1))^T "
                "delta^(l+1) is the gradient with respect to a^l. BP2 then multiplies it "
                "elementwise by sigma'(z^l) to reach z^l.",
                lambda W, d, z: W.T @ d),
        Mistake("missing_transpose_no_prime", "Two things are missing: the transpose of "
                "W^(l+1) (the error travels back across the weights with (W^(l+1))^T) and "
                "the factor sigma'(z^l).",
                lambda W, d, z: W @ d),
    ]))
