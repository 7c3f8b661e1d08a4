"""Chapter 8 exercises: BP3 and BP4, the gradients of the biases and of the weights."""
import bpkit

from . import FunctionExercise, Mistake, make_check, register

CHAPTER = "ch08"
check = make_check(CHAPTER)


def _delta_inputs(rng):
    return [(rng.standard_normal((n, m)),) for n, m in ((2, 1), (3, 3), (4, 6))]


register(FunctionExercise(
    CHAPTER, "bp3", "BP3: the gradient of the biases", "bp3",
    _delta_inputs, bpkit.bp3, ("delta",), points=1, forbidden=(bpkit.bp3,),
    what="BP3, dC/db^l = (1/m) sum over examples of delta^l",
    mistakes=[
        Mistake("wrong_axis", "You summed over the wrong axis. delta^l is (n_l, m): one row "
                "per unit, one column per example. BP3 averages each unit's error over the "
                "examples, i.e. along each row (axis=1), giving a column (n_l, 1) like b^l; "
                "you summed over the units (axis=0).",
                (lambda d: d.sum(axis=0, keepdims=True) / d.shape[1],
                 lambda d: d.mean(axis=0, keepdims=True),
                 lambda d: d.sum(axis=0, keepdims=True))),
        Mistake("wrong_axis_flat", "You summed over the wrong axis. BP3 averages each unit's "
                "error over the examples, along each row (axis=1), and keeps the column "
                "shape (n_l, 1) of b^l; you summed over the units (axis=0).",
                (lambda d: d.sum(axis=0) / d.shape[1], lambda d: d.mean(axis=0),
                 lambda d: d.sum(axis=0))),
        Mistake("no_mean", "The 1/m is missing: the loss is the mean over the m examples, so "
                "its gradient is the mean of the per-example errors, not their sum.",
                lambda d: d.sum(axis=1, keepdims=True)),
    ]))


def _bp4_inputs(rng):
    return [(rng.standard_normal((n, m)), rng.standard_normal((k, m)))
            for n, k, m in ((2, 2, 1), (2, 3, 1), (4, 3, 5))]


register(FunctionExercise(
    CHAPTER, "bp4", "BP4: the gradient of the weights", "bp4",
    _bp4_inputs, bpkit.bp4, ("delta", "a_prev"), points=2, forbidden=(bpkit.bp4,),
    what="BP4, dC/dW^l = (1/m) delta^l (a^(l-1))^T",
    mistakes=[
        Mistake("transposed", "Your dW has the shape of (W^l)^T: the shapes are swapped. "
                "dC/dW^l must have the shape (n_l, n_(l-1)) of W^l, which is delta^l "
                "(a^(l-1))^T: the error's column times the input's row (entry (j, k) is "
                "a^(l-1)_k delta^l_j), not a^(l-1) (delta^l)^T.",
                lambda d, a: a @ d.T / d.shape[1]),
        Mistake("no_mean", "The 1/m is missing: BP4 gives the gradient of the mean loss, "
                "(1/m) delta^l (a^(l-1))^T, the average of the per-example outer products.",
                lambda d, a: d @ a.T),
        Mistake("elementwise", "BP4 is an outer product, not an elementwise product: "
                "delta^l (a^(l-1))^T pairs every unit j of layer l with every unit k of "
                "layer l-1.",
                lambda d, a: d * a / d.shape[1]),
    ]))


# -- a layer form the chapter did not treat: a gain on every unit ------------------------------
def _gain_grads(delta, g, W, a_prev):
    r"""The layer $z = g \odot (W a) + b$: $\partial C/\partial g = \frac1m \sum_x \delta_x \odot
    (W a_x)$ and $\partial C/\partial W = \frac1m\,(g \odot \Delta) A^T$."""
    m = delta.shape[1]
    dg = (delta * (W @ a_prev)).sum(axis=1, keepdims=True) / m
    dW = (g * delta) @ a_prev.T / m
    return dg, dW


def _gain_inputs(rng):
    cases = []
    for n, k, m in ((2, 3, 1), (3, 2, 4), (4, 5, 6)):
        cases.append((rng.standard_normal((n, m)), rng.uniform(0.5, 2.0, (n, 1)),
                      rng.standard_normal((n, k)), rng.standard_normal((k, m))))
    return cases


register(FunctionExercise(
    CHAPTER, "gain_grads", "The gradients of a layer with a gain", "gain_grads",
    _gain_inputs, _gain_grads, ("delta", "g", "W", "a_prev"), points=3,
    forbidden=(bpkit.bp3, bpkit.bp4),
    what="dC/dg = (1/m) sum_x delta_x * (W a_x) and dC/dW = (1/m) (g * delta) (a^(l-1))^T",
    mistakes=[
        Mistake("gain_like_bias", "Your dC/dg is the bias gradient, the mean of delta. The gain "
                "multiplies W a, so the local derivative dz_j/dg_j is (W a)_j, not 1: each "
                "example's delta_j must be multiplied by its own (W a_x)_j before the mean.",
                lambda d, g, W, a: ((d.sum(axis=1, keepdims=True) / d.shape[1]),
                                    (g * d) @ a.T / d.shape[1])),
        Mistake("dW_without_gain", "Your dC/dW is plain BP4, delta (a^(l-1))^T / m. In this "
                "layer W^l_jk reaches z_j multiplied by the gain g_j: dz_j/dW_jk = g_j a_k, "
                "so row j of the gradient carries the factor g_j.",
                lambda d, g, W, a: ((d * (W @ a)).sum(axis=1, keepdims=True) / d.shape[1],
                                    d @ a.T / d.shape[1])),
        Mistake("no_mean", "The 1/m is missing: these are gradients of the mean loss over the "
                "m examples, so both sums over the examples are divided by m.",
                lambda d, g, W, a: ((d * (W @ a)).sum(axis=1, keepdims=True), (g * d) @ a.T)),
        Mistake("mean_before_product", "You averaged delta and W a separately and then "
                "multiplied the means. The product belongs inside the mean: dC/dg_j = (1/m) "
                "sum_x delta_(j,x) (W a_x)_j, one product per example.",
                lambda d, g, W, a: (d.mean(axis=1, keepdims=True)
                                    * (W @ a).mean(axis=1, keepdims=True),
                                    (g * d) @ a.T / d.shape[1])),
    ]))
