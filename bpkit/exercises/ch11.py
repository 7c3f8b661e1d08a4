"""Chapter 11 exercise: vectorise the per-example loop of BP3 and BP4."""
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
