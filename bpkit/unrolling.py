r"""Unrolling the backward recursion (chapter 10): vanishing and exploding gradients.

Applied from the output down, BP1 and BP2 give, for one example $x$ and with the diagonal
slope matrices $S^l = \operatorname{diag}(\sigma'(z^l_x))$,

$$\delta^l_x = S^l (W^{l+1})^T S^{l+1} (W^{l+2})^T \cdots S^{L-1} (W^L)^T S^L \nabla_a C_x .$$

This module builds that product as explicit matrices (:func:`backward_matrix`,
:func:`unrolled_delta`), measures the size of the error per layer (:func:`delta_norms`,
:func:`weight_grad_norms`, :func:`delta_ratio`), bounds it by the product of spectral norms
(:func:`spectral_bounds`), and runs the backward pass of a residual stack, whose skip path
carries the error back unchanged (:func:`residual_deltas`).

Layers are numbered as in the book, ``1..L``; examples are columns, and ``x`` is a column
index (0-based, numpy's).
"""
import numpy as np

from .activations import softmax_jacobian
from .backprop import output_delta
from .errors import BpkitError

#: The largest slope each hidden activation can have: $\sup_z \sigma'(z)$ (chapter 10).
MAX_SLOPE = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0, "identity": 1.0}


def slope_matrix(net, cache, l, x=0):
    r"""$S^l = \operatorname{diag}(\sigma'(z^l_x))$ of example ``x``, shape ``(n_l, n_l)``.

    At the output layer of a softmax it is the softmax Jacobian transposed, the factor that
    BP1 multiplies $\nabla_a C$ by (chapter 6).
    """
    act = net.activation_of(l)
    z = cache.z[l][:, [x]]
    if not act.elementwise:
        return softmax_jacobian(z.ravel()).T
    return np.diag(act.df(z, cache.a[l][:, [x]]).ravel())


def backward_matrix(net, cache, l, x=0):
    r"""The matrix $S^l (W^{l+1})^T S^{l+1} \cdots (W^L)^T S^L$, shape ``(n_l, n_L)``.

    It carries $\nabla_a C_x$ of the output down to $\delta^l_x$; it is the transpose of the
    Jacobian $\partial a^L / \partial z^l$ of the forward pass at example ``x``.
    """
    if not 1 <= l <= net.L:
        raise BpkitError(f"layer {l}: layers are numbered 1..{net.L}")
    product = slope_matrix(net, cache, net.L, x)                    # S^L
    for k in range(net.L - 1, l - 1, -1):                           # k = L-1, ..., l
        product = slope_matrix(net, cache, k, x) @ net.W[k + 1].T @ product
    return product


def unrolled_delta(net, cache, Y, l=1, x=0):
    r"""$\delta^l_x = S^l (W^{l+1})^T \cdots (W^L)^T S^L \nabla_a C_x$, the unrolled product.

    ``cache`` is the forward pass of a batch and ``Y`` its targets; the result is the column
    ``(n_l, 1)`` of example ``x``, the same column that ``net.deltas(cache, Y)[l]`` holds.
    """
    L = net.L
    grad_a = net.loss_fn.grad_a(cache.a[L][:, [x]], Y[:, [x]])      # nabla_a C_x
    return backward_matrix(net, cache, l, x) @ grad_a


def delta_norms(net, X, Y):
    r"""$\lVert\delta^l\rVert$ for $l = 1..L$: the Frobenius norm of each layer's errors.

    With one column per example, the square of the norm is the sum over the batch of
    $\lVert\delta^l_x\rVert^2$. Returns an array of length ``L``, entry ``l - 1`` for layer ``l``.
    """
    delta = net.deltas(net.forward(X), Y)
    return np.array([np.linalg.norm(delta[l]) for l in delta.layers()])


def weight_grad_norms(net, X, Y):
    r"""$\lVert\partial C/\partial W^l\rVert$ for $l = 1..L$ (Frobenius), entry ``l - 1`` for layer ``l``."""
    grads = net.gradients(X, Y)
    return np.array([np.linalg.norm(grads.dW[l]) for l in grads.dW.layers()])


def delta_ratio(net, X, Y):
    r"""$\lVert\delta^1\rVert / \lVert\delta^L\rVert$: how much of the output error reaches layer 1."""
    norms = delta_norms(net, X, Y)
    return float(norms[0] / norms[-1])


def spectral_norm(A):
    r"""$\lVert A\rVert_2$, the largest singular value: the most $A$ can stretch a vector."""
    return float(np.linalg.norm(A, 2))


def spectral_bounds(net):
    r"""For each layer $l$, the bound $\prod_{k=l}^{L-1} s_{\max} \lVert W^{k+1}\rVert_2$.

    With $\lVert S^k\rVert_2 = \max_j |\sigma'(z^k_j)| \le s_{\max}$ (:data:`MAX_SLOPE`) and
    $\lVert AB\rVert_2 \le \lVert A\rVert_2 \lVert B\rVert_2$, every example satisfies
    $\lVert\delta^l_x\rVert \le$ ``bounds[l - 1]`` $\cdot \lVert\delta^L_x\rVert$, whatever its
    input. The last entry (layer $L$) is 1.
    """
    s_max = MAX_SLOPE[net.activation.name]
    bounds = np.ones(net.L)
    for l in range(net.L - 1, 0, -1):
        bounds[l - 1] = bounds[l] * s_max * spectral_norm(net.W[l + 1])
    return bounds


def residual_deltas(net, X, Y, residual=True):
    r"""Every $\delta^l$ of the network run as a residual stack: $a^l = a^{l-1} + \sigma(z^l)$.

    Each hidden layer $l = 1..L-1$ adds its output to its input (so all of them need the
    width $n_0$); the output layer is the network's own, $a^L = \sigma_L(z^L)$. Backwards,
    with $g^l = \partial C/\partial a^l$, the skip path adds the identity to each factor:

    $$\delta^l = \sigma'(z^l) \odot g^l, \qquad
      g^{l-1} = g^l + (W^l)^T \delta^l = \left(I + (W^l)^T S^l\right) g^l .$$

    With ``residual=False`` it is the plain network, and the deltas are those of
    ``net.deltas``. Returns ``{l: delta^l}`` for ``l = 1..L``, one column per example.
    """
    L = net.L
    if residual and any(n != net.sizes[0] for n in net.sizes[:L]):
        raise BpkitError(f"a residual stack needs every layer below the output to have the "
                         f"width of the input, n_0 = {net.sizes[0]}; received sizes {net.sizes}")
    a, zs, acts = np.asarray(X, dtype=float), {}, {}
    for l in range(1, L + 1):
        zs[l] = net.W[l] @ a + net.b[l]
        out = net.activation_of(l).f(zs[l])
        acts[l] = out
        a = a + out if residual and l < L else out
    delta = {L: output_delta(zs[L], a, Y, net.output, net.loss_fn)}          # BP1
    g = net.W[L].T @ delta[L]                                                # g^{L-1}
    for l in range(L - 1, 0, -1):
        delta[l] = g * net.activation.df(zs[l], acts[l])                     # through the slope
        back = net.W[l].T @ delta[l]                                         # across W^l
        g = g + back if residual else back                                   # the skip adds g^l
    return delta


def residual_demo(depth=50, width=16, activation="tanh", gain=0.5, m=32, seed=0):
    r"""$\lVert\delta^l\rVert$ per layer of one deep network, plain and residual.

    A network of ``depth`` layers of ``width`` units (Xavier's weights times ``gain``,
    identity output, quadratic loss) and ``m`` random examples. Returns ``(plain, residual)``, two arrays of
    length ``depth``, entry ``l - 1`` for layer ``l``.
    """
    from .network import Network

    net = Network([width] * (depth + 1), activation=activation, output="identity",
                  loss="quadratic", init="xavier", scale=gain, seed=seed)
    rng = np.random.default_rng(seed + 1)
    X = rng.standard_normal((width, m))
    Y = rng.standard_normal((width, m))
    out = []
    for residual in (False, True):
        delta = residual_deltas(net, X, Y, residual=residual)
        out.append(np.array([np.linalg.norm(delta[l]) for l in range(1, depth + 1)]))
    return out[0], out[1]
