r"""Activation functions $\sigma$ and their derivatives $\sigma'$ (chapters 2 and 6).

Every activation maps a pre-activation array ``z`` of shape ``(n_l, m)`` to ``a = sigma(z)``
of the same shape. The elementwise ones also give ``sigma'(z)``; softmax mixes the units of
a column, so its derivative is a Jacobian and it offers the Jacobian-transpose product
instead (``backward``). All of them are stable for ``|z|`` up to ``1e4``: no overflow, no
NaN and no RuntimeWarning.
"""
import numpy as np

from .errors import BpkitError


class Activation:
    """An activation function: ``f`` computes $\\sigma(z)$, ``df`` computes $\\sigma'(z)$.

    ``df(z, a=None)`` may be given ``a = f(z)`` when it is already known (the forward pass
    caches it), which saves evaluating ``f`` a second time in the backward pass.
    """

    elementwise = True

    def __init__(self, name, f, df):
        self.name = name
        self.f = f
        self._df = df

    def df(self, z, a=None):
        return self._df(z, self.f(z) if a is None else a)

    def backward(self, grad_a, z, a=None):
        r"""Return $J_\sigma(z)^T g$ for $g$ = ``grad_a``; elementwise it is $g \odot \sigma'(z)$.

        The arguments come in the order of BP1, ``bp1(grad_a, z, activation, a)``.
        """
        return grad_a * self.df(z, a)

    def __repr__(self):
        return f"<activation {self.name}>"


def _sigmoid(z):
    # 1/(1 + e^{-z}) for z >= 0 and e^{z}/(1 + e^{z}) for z < 0: with e = e^{-|z|} <= 1 the
    # numerator is 1 or e, and exp is never taken of a positive number, so it cannot overflow.
    e = np.exp(-np.abs(z))
    return np.maximum(e, z >= 0) / (1.0 + e)


def _sigmoid_df(z, a):
    # a (1 - a), with one temporary instead of two
    slope = 1.0 - a
    slope *= a
    return slope


def _tanh_df(z, a):
    return 1.0 - a * a


def _relu(z):
    return np.maximum(z, 0)


def _relu_df(z, a):
    # The kink at 0 gets slope 0, the usual convention.
    return (z > 0).astype(z.dtype)


def _identity_df(z, a):
    return np.ones_like(z)


sigmoid = Activation("sigmoid", _sigmoid, _sigmoid_df)
tanh = Activation("tanh", np.tanh, _tanh_df)
relu = Activation("relu", _relu, _relu_df)
identity = Activation("identity", lambda z: z, _identity_df)


def softmax_f(z):
    """Softmax of each column; the column maximum is subtracted first so exp never overflows."""
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def log_softmax(z):
    """log(softmax(z)) per column, computed without ever forming a zero inside a log."""
    shifted = z - z.max(axis=0, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))


def softmax_jacobian(z):
    r"""The Jacobian $\partial a_j / \partial z_k = a_j(\delta_{jk} - a_k)$ of one column ``z`` (shape ``(n,)``)."""
    a = softmax_f(np.asarray(z, dtype=float).reshape(-1, 1)).ravel()
    return np.diag(a) - np.outer(a, a)


class Softmax(Activation):
    """Softmax couples the units of a column, so it has a Jacobian, not an elementwise slope."""

    elementwise = False

    def __init__(self):
        super().__init__("softmax", softmax_f, None)

    def df(self, z, a=None):
        raise BpkitError(
            "softmax has no elementwise derivative sigma'(z): each output depends on every "
            "input of its column. Use softmax_jacobian(z) for one column, or "
            "softmax.backward(grad_a, z) for the product J^T grad_a."
        )

    def backward(self, grad_a, z, a=None):
        # J^T g with J = diag(a) - a a^T, column by column, without building J:
        # (J^T g)_k = a_k (g_k - sum_j a_j g_j).
        if a is None:
            a = self.f(z)
        return a * (grad_a - np.sum(a * grad_a, axis=0, keepdims=True))


softmax = Softmax()

ACTIVATIONS = {act.name: act for act in (sigmoid, tanh, relu, identity, softmax)}


def get_activation(activation):
    """Return the activation named ``activation`` (or ``activation`` itself if it is one)."""
    if isinstance(activation, Activation):
        return activation
    try:
        return ACTIVATIONS[activation]
    except (KeyError, TypeError):
        raise BpkitError(
            f"unknown activation {activation!r}; choose one of {sorted(ACTIVATIONS)}"
        ) from None
