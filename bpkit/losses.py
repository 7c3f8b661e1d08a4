r"""Loss functions $C$ (chapters 2 and 6).

Each loss works on a batch stored as columns: ``a`` and ``y`` have shape ``(n_L, m)``.

* ``value(a, y)`` is the mean over the batch of the per-example loss $C_x$.
* ``grad_a(a, y)`` is the per-example gradient $\nabla_a C_x$, one column per example.
  It is *not* divided by ``m``: the $1/m$ of the mean is applied once, in BP3 and BP4.
* ``paired_with`` names the output activation that belongs with the loss: for that pair
  the two factors of BP1 cancel and $\delta^L = a^L - y$ exactly (chapter 6). This is the
  one table of those pairs.
* ``value_from_z(z, y)`` gives the same value computed from the output pre-activation of
  the paired output activation, which stays finite when ``a`` rounds to 0 or 1.
"""
import numpy as np

from .activations import log_softmax
from .errors import BpkitError, ShapeError, as_array


def _floor(a):
    # A probability that has rounded to exactly 0 would make log(a) and y/a infinite.
    return np.maximum(a, np.finfo(np.result_type(a, np.float32)).tiny)


def _log_sigmoid(z):
    # log sigma(z) = -log(1 + e^{-z}); logaddexp never forms e^{-z} when it would overflow.
    return -np.logaddexp(0.0, -z)


def _pair(a, y, name):
    """``a`` (or ``z``) and ``y`` as arrays of one shape; a mismatch is an error, not a broadcast."""
    a, y = as_array(a), as_array(y)
    if a.shape != y.shape:
        raise ShapeError(
            f"{name} and y must have the same shape (n_L, m), one column per example; "
            f"received {name}{a.shape} and y{y.shape}"
        )
    return a, y


class Loss:
    """A loss with its value and its gradient with respect to the output activation."""

    def __init__(self, name, per_example, grad_a, paired_with=None, per_example_from_z=None):
        self.name = name
        self._per_example = per_example
        self._grad_a = grad_a
        self.paired_with = paired_with
        self._per_example_from_z = per_example_from_z

    def per_example(self, a, y):
        """The loss $C_x$ of every example: an array of shape ``(m,)``."""
        return self._per_example(*_pair(a, y, "a"))

    def value(self, a, y):
        """The mean loss $C = \\frac1m \\sum_x C_x$ over the batch."""
        return float(np.mean(self._per_example(*_pair(a, y, "a"))))

    def grad_a(self, a, y):
        """$\\nabla_a C_x$ for every example, shape ``(n_L, m)``."""
        return self._grad_a(*_pair(a, y, "a"))

    def value_from_z(self, z, y):
        """The mean loss computed from $z^L$ through the paired output activation."""
        return float(np.mean(self._per_example_from_z(*_pair(z, y, "z"))))

    def __repr__(self):
        return f"<loss {self.name}>"


def _half_squared_error(a, y):
    return 0.5 * np.sum((a - y) ** 2, axis=0)


quadratic = Loss(
    "quadratic",
    per_example=_half_squared_error,
    grad_a=lambda a, y: a - y,
    paired_with="identity",
    per_example_from_z=_half_squared_error,   # the identity output: a = z
)

cross_entropy = Loss(
    "cross_entropy",
    per_example=lambda a, y: -np.sum(y * np.log(_floor(a)), axis=0),
    grad_a=lambda a, y: -y / _floor(a),
    paired_with="softmax",
    per_example_from_z=lambda z, y: -np.sum(y * log_softmax(z), axis=0),
)

binary_cross_entropy = Loss(
    "binary_cross_entropy",
    per_example=lambda a, y: -np.sum(
        y * np.log(_floor(a)) + (1 - y) * np.log(_floor(1 - a)), axis=0
    ),
    grad_a=lambda a, y: (a - y) / _floor(a * (1 - a)),
    paired_with="sigmoid",
    # log sigma(z) and log(1 - sigma(z)) = log sigma(-z), both without forming sigma(z).
    per_example_from_z=lambda z, y: -np.sum(y * _log_sigmoid(z) + (1 - y) * _log_sigmoid(-z),
                                            axis=0),
)

LOSSES = {loss.name: loss for loss in (quadratic, cross_entropy, binary_cross_entropy)}


def get_loss(loss):
    """Return the loss named ``loss`` (or ``loss`` itself if it is one)."""
    if isinstance(loss, Loss):
        return loss
    try:
        return LOSSES[loss]
    except (KeyError, TypeError):
        raise BpkitError(f"unknown loss {loss!r}; choose one of {sorted(LOSSES)}") from None
