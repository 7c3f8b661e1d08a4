r"""The network: forward pass (chapter 2), the complete algorithm and training (chapter 9).

Layers are numbered as in the book: ``l = 1..L``, with ``a^0 = x``. ``net.W[1]`` is the first
layer's weight matrix of shape ``(n_1, n_0)``; ``net.b[1]`` its bias column ``(n_1, 1)``.
Examples are columns: ``X`` is ``(n_0, m)`` and ``Y`` is ``(n_L, m)``.
"""
import ctypes
import sys
from dataclasses import dataclass, field

import numpy as np

from .activations import get_activation
from .backprop import bp2, bp3, bp4, output_delta
from .errors import BpkitError, LayerIndexError, ShapeError, as_matrix, check_finite
from .losses import get_loss


def keep_freed_memory():
    """Opt in: ask glibc to keep freed memory for reuse instead of returning it at once.

    A training step allocates and frees the same few megabytes (the cache, the deltas, the
    gradients). By default glibc hands large freed blocks back to the operating system and
    the next step faults them in again page by page; at batch 128 that can cost almost as
    much as the matrix products. This sets two process-wide thresholds (``mallopt``), so it
    changes the whole Python process: bpkit never calls it by itself. ``make bench`` reports
    the step with and without it. Where there is no glibc (macOS, Windows) it does nothing
    and returns False.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
        libc.mallopt(M_MMAP_THRESHOLD, 32 * 2**20)   # blocks below 32 MiB come from the heap
        libc.mallopt(M_TRIM_THRESHOLD, 256 * 2**20)  # and up to 256 MiB free stays there
    except (OSError, AttributeError):
        return False
    return True


class Layers:
    """A sequence numbered from ``first`` (1 for W, b, z; 0 for a), as in the book.

    ``W[l]`` reads layer ``l``; asking for a number outside the range names the valid ones.
    """

    def __init__(self, name, first, items, shapes=None):
        self.name = name
        self.first = first
        self._items = list(items)
        self._shapes = shapes

    def _index(self, l):
        if type(l) is int and self.first <= l < self.first + len(self._items):
            return l - self.first                     # the common case, checked quickly
        if not isinstance(l, (int, np.integer)) or isinstance(l, bool):
            raise TypeError(f"{self.name}[...] takes a layer number, received {l!r}")
        last = self.first + len(self._items) - 1
        if not self.first <= l <= last:
            hint = " (a^0 = x is the input; it has no weights)" if l == 0 else ""
            raise LayerIndexError(
                f"{self.name}[{l}] does not exist: layers are numbered {self.first}..{last}{hint}"
            )
        return l - self.first

    def __getitem__(self, l):
        return self._items[self._index(l)]

    def __setitem__(self, l, value):
        i = self._index(l)
        if self._shapes is None:
            self._items[i] = np.asarray(value)
            return
        # A parameter: copied into the network's dtype, never broadcast (a bias of shape
        # (n,) would silently turn every z into an (n, n) array).
        value = np.array(value, dtype=self._items[i].dtype)
        if value.shape != self._shapes[i]:
            raise ShapeError(
                f"layer {l}: {self.name}[{l}] must have shape {self._shapes[i]}, "
                f"received {value.shape}"
            )
        check_finite(value, f"{self.name}[{l}]", layer=l)
        self._items[i] = value

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        return iter(self._items)

    def layers(self):
        """The layer numbers, in order."""
        return range(self.first, self.first + len(self._items))

    def items(self):
        return zip(self.layers(), self._items)

    def __repr__(self):
        shapes = ", ".join(f"{l}: {np.shape(v)}" for l, v in self.items())
        return f"{self.name}{{{shapes}}}"


@dataclass
class Cache:
    """What the forward pass keeps for the backward pass: every ``z[l]`` and ``a[l]``."""

    z: Layers
    a: Layers

    @property
    def nbytes(self):
        """Memory held by the cache, in bytes (the input ``a[0]`` is the caller's, not counted)."""
        return sum(v.nbytes for v in self.z) + sum(v.nbytes for l, v in self.a.items() if l > 0)


@dataclass
class Gradients:
    """The gradients of the mean loss: ``dW[l]``, ``db[l]``, and ``da0`` when asked for."""

    dW: Layers
    db: Layers
    da0: np.ndarray = None


@dataclass
class History:
    """Per-epoch metrics of a training run."""

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)


INITS = ("normal", "xavier", "he")


class Network:
    r"""A fully connected feedforward network in the book's notation.

    Parameters
    ----------
    sizes : list of int, ``[n_0, n_1, ..., n_L]``.
    activation : activation of the hidden layers (``"sigmoid"``, ``"tanh"``, ``"relu"``,
        ``"identity"``).
    output : activation of the output layer; by default ``"softmax"`` for cross-entropy,
        ``"sigmoid"`` for binary cross-entropy, and the hidden activation otherwise.
    loss : ``"quadratic"``, ``"cross_entropy"`` or ``"binary_cross_entropy"``.
    init : ``"normal"`` (std ``scale``), ``"xavier"`` (std ``scale*sqrt(2/(n_in+n_out))``) or
        ``"he"`` (std ``scale*sqrt(2/n_in)``). Biases start at zero.
    seed : seeds the initial weights and the shuffling of training.
    dtype : ``np.float64`` (default) or ``np.float32``.
    """

    def __init__(self, sizes, activation="sigmoid", output=None, loss="quadratic",
                 init="xavier", scale=1.0, seed=0, dtype=np.float64):
        sizes = list(sizes)
        if len(sizes) < 2 or any(not isinstance(n, (int, np.integer)) or n < 1 for n in sizes):
            raise BpkitError(
                f"sizes must list at least two positive layer widths [n_0, ..., n_L]; "
                f"received {sizes}"
            )
        self.sizes = [int(n) for n in sizes]
        self.L = len(sizes) - 1
        self.activation = get_activation(activation)
        if not self.activation.elementwise:
            raise BpkitError("softmax can only be the output activation (output='softmax')")
        self.loss_fn = get_loss(loss)
        if output is None:
            # The cross-entropies come with the output they are paired with; the quadratic
            # loss keeps the hidden activation at the output (chapter 6 compares the two).
            quadratic = self.loss_fn.name == "quadratic"
            output = self.activation.name if quadratic else self.loss_fn.paired_with
        self.output = get_activation(output)
        if init not in INITS:
            raise BpkitError(f"unknown init {init!r}; choose one of {list(INITS)}")
        self.init, self.scale = init, float(scale)
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise BpkitError(f"dtype must be float32 or float64, received {self.dtype}")
        self.rng = np.random.default_rng(seed)
        shapes_W = [(self.sizes[l], self.sizes[l - 1]) for l in range(1, self.L + 1)]
        shapes_b = [(self.sizes[l], 1) for l in range(1, self.L + 1)]
        self.W = Layers("W", 1, [self._init_weights(*s) for s in shapes_W], shapes_W)
        self.b = Layers("b", 1, [np.zeros(s, self.dtype) for s in shapes_b], shapes_b)
        self._velocity = None  # momentum's running step, made on first use

    def _init_weights(self, n_out, n_in):
        std = {"normal": 1.0, "xavier": np.sqrt(2.0 / (n_in + n_out)),
               "he": np.sqrt(2.0 / n_in)}[self.init] * self.scale
        return (self.rng.standard_normal((n_out, n_in)) * std).astype(self.dtype)

    def activation_of(self, l):
        """The activation of layer ``l``: the output one for ``l = L``, the hidden one below."""
        return self.output if l == self.L else self.activation

    def __repr__(self):
        return (f"Network({self.sizes}, activation={self.activation.name!r}, "
                f"output={self.output.name!r}, loss={self.loss_fn.name!r})")

    # -- checking what comes in -------------------------------------------------------
    def _inputs(self, X):
        X = as_matrix(X, "X (the input a^0)", rows=self.sizes[0], dtype=self.dtype)
        check_finite(X, "X (the input a^0)")
        return X

    def _targets(self, Y, m):
        Y = as_matrix(Y, "Y (the targets)", rows=self.sizes[-1], dtype=self.dtype)
        if Y.shape[1] != m:
            raise ShapeError(
                f"Y (the targets) must have one column per example: expected "
                f"({self.sizes[-1]}, {m}), received {Y.shape}"
            )
        check_finite(Y, "Y (the targets)")
        return Y

    # -- the algorithm ----------------------------------------------------------------
    def forward(self, X):
        r"""The forward pass, layer by layer: $z^l = W^l a^{l-1} + b^l$ and $a^l = \sigma(z^l)$.

        Returns the Cache of every $z^l$ and $a^l$.

        ``X`` is ``(n_0, m)`` (or a single example of length ``n_0``).
        """
        return self._forward(self._inputs(X))

    def _forward(self, X):
        a, zs, As = X, [], [X]
        for l in range(1, self.L + 1):
            z = self.W[l] @ a
            z += self.b[l]
            a = self.activation_of(l).f(z)
            zs.append(z)
            As.append(a)
        return Cache(z=Layers("z", 1, zs), a=Layers("a", 0, As))

    def deltas(self, cache, Y):
        r"""Every $\delta^l$ of a batch: BP1 at the output layer, then BP2 down to layer 1.

        ``cache`` is the forward pass of the batch, ``Y`` its targets ``(n_L, m)``. Returns
        ``delta[1..L]``, each ``(n_l, m)`` with one column $\delta^l_x = \partial C_x /
        \partial z^l$ per example (no $1/m$: BP3 and BP4 apply it).
        """
        L = self.L
        Y = self._targets(Y, cache.a[0].shape[1])
        delta = {L: output_delta(cache.z[L], cache.a[L], Y, self.output, self.loss_fn)}  # BP1
        for l in range(L - 1, 0, -1):
            delta[l] = bp2(self.W[l + 1], delta[l + 1], cache.z[l], self.activation,
                           a=cache.a[l], layer=l)                                       # BP2
        return Layers("delta", 1, [delta[l] for l in range(1, L + 1)])

    def backward(self, cache, Y, input_grad=False):
        r"""The gradients of the mean loss: the deltas (BP1, BP2), then BP3 and BP4 per layer.

        With ``input_grad=True`` it also returns ``da0``, the per-example gradient
        $\partial C_x / \partial x = (W^1)^T \delta^1$ (one column per example); training
        never needs it, so by default it is not computed.
        """
        delta = self.deltas(cache, Y)
        dW = [bp4(delta[l], cache.a[l - 1], layer=l) for l in delta.layers()]           # BP4
        db = [bp3(delta[l], layer=l) for l in delta.layers()]                           # BP3
        da0 = self.W[1].T @ delta[1] if input_grad else None
        return Gradients(Layers("dW", 1, dW), Layers("db", 1, db), da0)

    def gradients(self, X, Y, input_grad=False):
        """Forward then backward on one batch: the gradients of the mean loss."""
        return self.backward(self.forward(X), Y, input_grad)

    def predict(self, X):
        """The output activations $a^L$ for inputs ``X``."""
        return self.forward(X).a[self.L]

    def loss(self, X, Y):
        """The mean loss over the examples (columns) of ``X`` and ``Y``."""
        return self.loss_from_cache(self.forward(X), Y)

    def loss_from_cache(self, cache, Y):
        """The mean loss of the batch whose forward pass is ``cache``.

        For an output paired with its loss (softmax with cross-entropy, sigmoid with binary
        cross-entropy) the loss is computed from $z^L$, which stays finite where $a^L$ has
        rounded to 0 or 1.
        """
        Y = self._targets(Y, cache.a[0].shape[1])
        if self.loss_fn.paired_with == self.output.name:
            return self.loss_fn.value_from_z(cache.z[self.L], Y)
        return self.loss_fn.value(cache.a[self.L], Y)

    def accuracy(self, X, Y):
        """The fraction of examples classified correctly (argmax, or 0.5 for one output)."""
        X = self._inputs(X)
        Y = self._targets(Y, X.shape[1])
        return _accuracy(self._forward(X).a[self.L], Y)

    # -- training ---------------------------------------------------------------------
    def parameters(self):
        """Every parameter array, ``W[1], b[1], ..., W[L], b[L]``."""
        return [p for W_l, b_l in zip(self.W, self.b) for p in (W_l, b_l)]

    def sgd_step(self, X, Y, lr, momentum=0.0):
        """One step of (momentum) SGD on the batch ``X, Y``; returns the batch's loss."""
        X = self._inputs(X)
        Y = self._targets(Y, X.shape[1])
        return self._step(X, Y, lr, momentum)

    def _step(self, X, Y, lr, momentum, want_loss=True):
        cache = self._forward(X)
        grads = self.backward(cache, Y)
        steps = [g for dW_l, db_l in zip(grads.dW, grads.db) for g in (dW_l, db_l)]
        if momentum and self._velocity is None:
            self._velocity = [np.zeros_like(p) for p in self.parameters()]
        for i, (p, step) in enumerate(zip(self.parameters(), steps)):
            step *= lr                  # lr * gradient, in place: the gradients are ours
            if momentum:
                v = self._velocity[i]   # v <- momentum * v - lr * gradient;  p <- p + v
                v *= momentum
                v -= step
                p += v
            else:
                p -= step               # p <- p - lr * gradient
        # fit does not use the loss of each mini-batch: it measures the whole set per epoch
        return self.loss_from_cache(cache, Y) if want_loss else None

    def fit(self, X, Y, epochs=10, batch_size=32, lr=0.1, momentum=0.0, validation=None,
            progress=True, file=None):
        """Train with mini-batch SGD; return the :class:`History` of every epoch.

        ``validation`` is an optional ``(X_val, Y_val)`` pair. With ``progress=True`` a line
        per epoch (at most about 20 lines) is printed, to the notebook or the terminal.
        """
        X = self._inputs(X)
        Y = self._targets(Y, X.shape[1])
        if validation is not None:
            Xv = self._inputs(validation[0])
            Yv = self._targets(validation[1], Xv.shape[1])
        if batch_size < 1 or epochs < 0 or lr <= 0:
            raise BpkitError(
                f"need batch_size >= 1, epochs >= 0 and lr > 0; received "
                f"batch_size={batch_size}, epochs={epochs}, lr={lr}"
            )
        out = file or sys.stdout
        history = History()
        m = X.shape[1]
        every = max(1, epochs // 20)
        for epoch in range(1, epochs + 1):
            order = self.rng.permutation(m)
            for start in range(0, m, batch_size):
                idx = order[start:start + batch_size]
                self._step(X[:, idx], Y[:, idx], lr, momentum, want_loss=False)
            cache = self._forward(X)
            history.loss.append(self.loss_from_cache(cache, Y))
            history.accuracy.append(_accuracy(cache.a[self.L], Y))
            line = (f"epoch {epoch:>{len(str(epochs))}}/{epochs}  loss {history.loss[-1]:.4f}"
                    f"  accuracy {history.accuracy[-1]:.1%}")
            if validation is not None:
                vcache = self._forward(Xv)
                history.val_loss.append(self.loss_from_cache(vcache, Yv))
                history.val_accuracy.append(_accuracy(vcache.a[self.L], Yv))
                line += (f"  val_loss {history.val_loss[-1]:.4f}"
                         f"  val_accuracy {history.val_accuracy[-1]:.1%}")
            if progress and (epoch % every == 0 or epoch == epochs):
                print(line, file=out, flush=True)
        return history


def _accuracy(A, Y):
    if A.shape[0] == 1:
        return float(np.mean((A > 0.5) == (Y > 0.5)))
    return float(np.mean(A.argmax(axis=0) == Y.argmax(axis=0)))
