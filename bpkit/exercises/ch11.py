"""Chapter 11 exercises: vectorise the per-example loop of BP3 and BP4, and the per-example
gradient norms, which the chapter did not compute."""
import numpy as np

import bpkit

from . import FunctionExercise, Mistake, make_check, register

CHAPTER = "ch11"
check = make_check(CHAPTER)


def _vectorised(Delta, A_prev):
    return bpkit.bp4(Delta, A_prev), bpkit.bp3(Delta)


def _inputs(rng):
    # The first case has as many units as examples, so that a wrong axis still runs.
    return [(rng.standard_normal((n, m)), rng.standard_normal((k, m)))
            for n, k, m in ((3, 2, 3), (2, 3, 4), (5, 4, 16))]


def _m(D):
    return D.shape[1]


register(FunctionExercise(
    CHAPTER, "vectorised_grads", "Vectorise the per-example loop", "vectorised_grads",
    _inputs, _vectorised, ("Delta", "A_prev"), points=3, forbidden=(bpkit.bp3, bpkit.bp4),
    what="(Delta^l (A^(l-1))^T / m, the row sums of Delta^l / m)",
    mistakes=[
        Mistake("no_mean", "The 1/m is missing (in dW and db): the loop averages the "
                "per-example gradients, so the matrix product Delta^l (A^(l-1))^T and the "
                "row sum of Delta^l must both be divided by m.",
                lambda D, A: (D @ A.T, D.sum(axis=1, keepdims=True))),
        Mistake("no_mean_dW", "The 1/m is missing in dW: Delta^l (A^(l-1))^T adds up the m "
                "outer products, and their mean is that sum divided by m.",
                lambda D, A: (D @ A.T, D.sum(axis=1, keepdims=True) / _m(D))),
        Mistake("no_mean_db", "The 1/m is missing in db: the row sum of Delta^l adds up the m "
                "per-example errors; the gradient of the mean loss divides it by m.",
                lambda D, A: (D @ A.T / _m(D), D.sum(axis=1, keepdims=True))),
        Mistake("bias_wrong_axis", "Your bias gradient is summed over the wrong axis. "
                "Delta^l is (n_l, m), examples as columns: the loop adds up the columns, "
                "so sum along each row (axis=1, keepdims=True) to get the (n_l, 1) column of "
                "b^l. You summed over the units (axis=0).",
                (lambda D, A: (D @ A.T / _m(D), D.sum(axis=0, keepdims=True) / _m(D)),
                 lambda D, A: (D @ A.T / _m(D), D.mean(axis=0, keepdims=True)))),
        Mistake("bias_wrong_axis_flat", "Your bias gradient is summed over the wrong axis: "
                "sum along each row (axis=1, keepdims=True) to add up the examples and keep "
                "the (n_l, 1) column of b^l. You summed over the units (axis=0).",
                (lambda D, A: (D @ A.T / _m(D), D.sum(axis=0) / _m(D)),
                 lambda D, A: (D @ A.T / _m(D), D.mean(axis=0)))),
        Mistake("dW_transposed", "Your dW has the shape of (W^l)^T: the product must be "
                "Delta^l (A^(l-1))^T, shape (n_l, n_(l-1)), not A^(l-1) (Delta^l)^T.",
                lambda D, A: (A @ D.T / _m(D), D.sum(axis=1, keepdims=True) / _m(D))),
    ],
    # Calling the loop it is meant to replace is not vectorising it.
    refuse_names={"grads_loop": "Your `vectorised_grads` calls `grads_loop`, the loop it is "
                                "meant to replace. Write it with one matrix product and one "
                                "row sum, without a Python loop over the examples."},
))


# -- per-example gradient norms, without the outer products -------------------------------------
def _per_example_norms(Delta, A_prev):
    # ||delta a^T||_F = ||delta|| ||a||, so ||(delta a^T, delta)|| = ||delta|| sqrt(||a||^2 + 1)
    return np.linalg.norm(Delta, axis=0) * np.sqrt(np.sum(A_prev ** 2, axis=0) + 1.0)


def _norm_inputs(rng):
    # The first case has as many units as examples, so that a wrong axis still runs.
    return [(rng.standard_normal((n, m)), rng.standard_normal((k, m)))
            for n, k, m in ((3, 3, 3), (2, 4, 5), (6, 3, 16))]


register(FunctionExercise(
    CHAPTER, "per_example_norms", "Per-example gradient norms without the outer products",
    "per_example_norms", _norm_inputs, _per_example_norms, ("Delta", "A_prev"), points=3,
    what="the norms ||(dC_x/dW^l, dC_x/db^l)|| of every example",
    mistakes=[
        Mistake("no_bias", "The bias part is missing: each example's gradient is the pair "
                "(delta_x a_x^T, delta_x), so its squared norm adds ||delta_x||^2 (the bias "
                "gradient) to ||delta_x a_x^T||^2.",
                lambda D, A: np.linalg.norm(D, axis=0) * np.linalg.norm(A, axis=0)),
        Mistake("divided_by_m", "You divided by m. Each example's own gradient, "
                "dC_x/dW^l = delta_x a_x^T, has no 1/m: the 1/m belongs to the mean over the "
                "batch, which this exercise does not take.",
                lambda D, A: _per_example_norms(D, A) / D.shape[1]),
        Mistake("norms_added", "You added the norm of dW_x and the norm of db_x. The norm of "
                "the pair is the square root of the sum of their squares: "
                "sqrt(||delta_x a_x^T||^2 + ||delta_x||^2).",
                lambda D, A: (np.linalg.norm(D, axis=0) * np.linalg.norm(A, axis=0)
                              + np.linalg.norm(D, axis=0))),
        Mistake("wrong_axis", "Your norms are taken over the wrong axis: the examples are the "
                "columns, so the norm of each example's delta_x runs down its column "
                "(axis=0), one number per example.",
                (lambda D, A: np.linalg.norm(D, axis=1) * np.sqrt(np.sum(A ** 2, axis=1) + 1.0),)),
        Mistake("squared", "You returned the squared norms: take the square root of "
                "||delta_x||^2 (||a_x||^2 + 1).",
                lambda D, A: _per_example_norms(D, A) ** 2),
    ],
    refuse_names={"per_example_norms_loop": "Your `per_example_norms` calls "
                  "`per_example_norms_loop`, the loop it is meant to replace. Write it with "
                  "numpy on whole arrays, without a Python loop over the examples."},
))
