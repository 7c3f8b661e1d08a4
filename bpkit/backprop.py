r"""The four equations of backpropagation, one function each (chapters 6, 7 and 8).

Batches are columns: a mini-batch of ``m`` examples is an ``(n_l, m)`` array, and ``delta``
holds one column $\delta^l_x = \partial C_x / \partial z^l$ per example. BP3 and BP4 return
the gradient of the *mean* loss $C = \frac1m\sum_x C_x$, so with ``m = 1`` they are exactly
the single-example equations of the text. Biases are columns of shape ``(n_l, 1)``.

Every function checks its shapes and raises a :class:`~bpkit.errors.ShapeError` that names
the layer (when given) and the shapes it expected and received.
"""
import numpy as np

from .activations import get_activation
from .errors import ShapeError, as_array, as_matrix, check_same_shape, layer_prefix
from .losses import get_loss


def bp1(grad_a, z, activation, a=None, layer=None):
    r"""(BP1) The error at the output layer: $\delta^L = \nabla_a C \odot \sigma'(z^L)$.

    Derived in chapter 6.

    Parameters
    ----------
    grad_a : (n_L, m) array, the per-example gradients $\nabla_a C_x$.
    z : (n_L, m) array, the output pre-activations $z^L$.
    activation : name or Activation of the output layer.
    a : optional (n_L, m) array $a^L = \sigma(z^L)$, if already known.

    Returns
    -------
    delta : (n_L, m) array $\delta^L$.

    For softmax, whose derivative is a Jacobian rather than a slope, the product
    $\nabla_a C \odot \sigma'(z^L)$ becomes $J_\sigma(z^L)^T \nabla_a C$.
    """
    activation = get_activation(activation)
    grad_a = as_matrix(grad_a, "grad_a", layer=layer)
    z = as_matrix(z, "z", layer=layer)
    check_same_shape(grad_a, z, "grad_a", "z", layer=layer)
    return activation.backward(grad_a, z, a)


def bp2(W_next, delta_next, z, activation, a=None, layer=None):
    r"""(BP2) The error of layer $l$ from the error of layer $l+1$:

    $$\delta^l = \left((W^{l+1})^T \delta^{l+1}\right) \odot \sigma'(z^l).$$

    Derived in chapter 7. First across the weights (the transpose carries the error back
    along every connection), then through the slope of the activation.

    Parameters
    ----------
    W_next : (n_{l+1}, n_l) array $W^{l+1}$.
    delta_next : (n_{l+1}, m) array $\delta^{l+1}$.
    z : (n_l, m) array $z^l$.
    activation : name or Activation of layer $l$.
    a : optional (n_l, m) array $a^l = \sigma(z^l)$, if already known.

    Returns
    -------
    delta : (n_l, m) array $\delta^l$.
    """
    activation = get_activation(activation)
    W_next = as_matrix(W_next, "W_next", layer=layer)
    delta_next = as_matrix(delta_next, "delta_next", layer=layer)
    if delta_next.shape[0] != W_next.shape[0]:
        raise ShapeError(
            f"{layer_prefix(layer)}W_next{W_next.shape} does not fit "
            f"delta_next{delta_next.shape}: (W^(l+1))^T delta^(l+1) needs delta_next to have "
            f"{W_next.shape[0]} rows, one per row of W^(l+1)"
        )
    z = as_matrix(z, "z", layer=layer)
    expected = (W_next.shape[1], delta_next.shape[1])
    if z.shape != expected:
        raise ShapeError(
            f"{layer_prefix(layer)}z must have shape {expected} "
            f"(columns of W^(l+1) x examples of delta^(l+1)), received {z.shape}"
        )
    grad_a = W_next.T @ delta_next                  # back across the weights
    if activation.elementwise:
        return grad_a * activation.df(z, a)         # then through the slope
    return activation.backward(grad_a, z, a)        # (a softmax layer: its Jacobian)


def bp3(delta, layer=None):
    r"""(BP3) The gradient of the mean loss with respect to the biases:

    $$\frac{\partial C}{\partial b^l} = \frac1m \sum_x \delta^l_x .$$

    Derived in chapter 8; with one example it reads $\partial C/\partial b^l = \delta^l$.
    ``delta`` is ``(n_l, m)``; the result is a column of shape ``(n_l, 1)``, the shape of $b^l$.
    """
    delta = as_matrix(delta, "delta", layer=layer)
    return delta.sum(axis=1, keepdims=True) / delta.shape[1]


def bp4(delta, a_prev, layer=None):
    r"""(BP4) The gradient of the mean loss with respect to the weights:

    $$\frac{\partial C}{\partial W^l} = \frac1m \sum_x \delta^l_x (a^{l-1}_x)^T
      = \frac1m\, \Delta^l (A^{l-1})^T .$$

    Derived in chapter 8; with one example it is the outer product $\delta^l (a^{l-1})^T$,
    entry $(j, k)$ being $a^{l-1}_k \delta^l_j$. ``delta`` is ``(n_l, m)``, ``a_prev`` is
    ``(n_{l-1}, m)``; the result has the shape ``(n_l, n_{l-1})`` of $W^l$. The $1/m$ comes
    first, as in the formula: it divides the $n_l m$ entries of $\Delta^l$, not the
    $n_l n_{l-1}$ of the product (fewer, for one example or a batch narrower than the layer
    below; chapter 1 counts them).
    """
    delta = as_matrix(delta, "delta", layer=layer)
    a_prev = as_matrix(a_prev, "a_prev", layer=layer)
    if a_prev.shape[1] != delta.shape[1]:
        raise ShapeError(
            f"{layer_prefix(layer)}delta and a_prev must hold the same "
            f"number of examples (columns); received delta{delta.shape} and a_prev{a_prev.shape}"
        )
    m = delta.shape[1]
    return (delta / m) @ a_prev.T


def output_delta(z, a, y, activation, loss):
    r"""$\delta^L$ for a loss and output activation: BP1, with the canonical shortcut.

    For an output activation paired with its loss (``loss.paired_with``: softmax with
    cross-entropy, sigmoid with binary cross-entropy, the identity with the quadratic loss),
    the factors of BP1 cancel and $\delta^L = a^L - y$ exactly (chapter
    6 derives it from the softmax Jacobian). The shortcut is not only cheaper: it never
    divides by an output that has rounded to 0 or 1, so it stays exact where the two
    factors computed apart would overflow. Every other pairing goes through :func:`bp1`.
    """
    activation = get_activation(activation)
    loss = get_loss(loss)
    a, y = as_array(a), as_array(y)
    if a.shape != y.shape:
        raise ShapeError(
            f"the output a^L and the targets y must have the same shape (n_L, m); "
            f"received a{a.shape} and y{y.shape}"
        )
    if loss.paired_with == activation.name:
        return a - y
    return bp1(loss.grad_a(a, y), z, activation, a=a)
