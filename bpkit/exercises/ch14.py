"""Chapter 14 exercises: the Hessian-vector product of logistic regression by hand, and the
same product by central differences of gradients."""
import numpy as np

from ..activations import sigmoid
from . import FunctionExercise, Mistake, make_check, register

CHAPTER = "ch14"
check = make_check(CHAPTER)


def _gradient(w, X, y):
    r"""$\nabla C = X (p - y)^T / m$ with $p = \sigma(w^T X)$: the gradient of the mean
    binary cross-entropy of logistic regression (columns are examples)."""
    p = sigmoid.f(w.T @ X)
    return X @ (p - y).T / X.shape[1]


def _inputs(rng, with_eps=False):
    cases = []
    for n, m in ((2, 3), (3, 8), (5, 20), (8, 50)):
        X = rng.standard_normal((n, m))
        y = (rng.random((1, m)) < 0.5).astype(float)
        w, v = rng.standard_normal((n, 1)), rng.standard_normal((n, 1))
        cases.append((w, X, y, v) + ((float(rng.choice([0.02, 0.05, 0.1])),) if with_eps else ()))
    return cases


# -- by hand ---------------------------------------------------------------------------------
def _hvp_variant(slope=lambda p: p * (1 - p), use_v=True, mean=True):
    def hvp_logistic(w, X, y, v):
        s = slope(sigmoid.f(w.T @ X))                      # (1, m): the curvature per example
        m = X.shape[1] if mean else 1
        if not use_v:
            return (X * s) @ X.T / m                      # the whole Hessian
        return X @ (s * (X.T @ v).T).T / m
    return hvp_logistic


register(FunctionExercise(
    CHAPTER, "hvp_logistic", "The Hessian-vector product of logistic regression",
    "hvp_logistic", _inputs, _hvp_variant(), ("w", "X", "y", "v"), points=3,
    what="H v = X diag(p (1 - p)) X^T v / m",
    mistakes=[
        Mistake("sigma_not_prime", "You weight the examples by p = sigma(w^T x). Differentiating "
                "the gradient X (p - y)^T / m brings in the derivative of p: sigma'(w^T x) = "
                "p (1 - p).", _hvp_variant(slope=lambda p: p)),
        Mistake("forgot_v", "You return the whole Hessian X diag(p (1 - p)) X^T / m, an (n, n) "
                "matrix, instead of its product with v: H v, a column like w. Multiply "
                "X^T v first and the Hessian is never formed.", _hvp_variant(use_v=False)),
        Mistake("no_mean", "The loss is the mean over the m examples, so its Hessian carries "
                "the factor 1/m (as the gradient X (p - y)^T / m does).",
                _hvp_variant(mean=False)),
    ]))


# -- by differences of gradients -------------------------------------------------------------
def _fd_variant(central=True, use_v=True, half=True):
    def hvp_fd(w, X, y, v, eps):
        d = v if use_v else np.ones_like(w)
        plus = _gradient(w + eps * d, X, y)
        minus = _gradient(w - eps * d, X, y) if central else _gradient(w, X, y)
        return (plus - minus) / ((2 if central and half else 1) * eps)
    return hvp_fd


register(FunctionExercise(
    CHAPTER, "hvp_fd", "A Hessian-vector product from two gradients", "hvp_fd",
    lambda rng: _inputs(rng, with_eps=True), _fd_variant(), ("w", "X", "y", "v", "eps"),
    points=2, what="(grad(w + eps v) - grad(w - eps v)) / (2 eps)",
    mistakes=[
        Mistake("one_sided", "You use a one-sided difference (grad(w + eps v) - grad(w)) / eps. "
                "Its error shrinks only like eps; the central difference "
                "(grad(w + eps v) - grad(w - eps v)) / (2 eps) cancels the eps^2 term of the "
                "Taylor expansion, and its error shrinks like eps^2.",
                _fd_variant(central=False)),
        Mistake("forgot_v", "You move w by eps in every coordinate at once (w + eps), which "
                "estimates H times a vector of ones. Move along the direction v: w + eps v.",
                _fd_variant(use_v=False)),
        Mistake("no_half", "The two points w + eps v and w - eps v are 2 eps apart: divide the "
                "difference of the gradients by 2 eps, not eps.", _fd_variant(half=False)),
    ]))
