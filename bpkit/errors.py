"""Errors that speak to a learner: which layer, which shapes were expected and received."""
import numpy as np


class BpkitError(ValueError):
    """Base class of every error bpkit raises on bad input."""


class ShapeError(BpkitError):
    """An array does not have the shape the equation needs."""


class NonFiniteError(BpkitError):
    """An array holds NaN or infinity where a real number is needed."""


class LayerIndexError(BpkitError, IndexError):
    """A layer number outside ``1..L`` (or ``0..L`` for the activations ``a``)."""


def layer_prefix(layer):
    return f"layer {layer}: " if layer is not None else ""


def as_array(x, dtype=None):
    """``x`` as a numpy array. Subclasses become plain arrays (``np.matrix``, whose ``*``
    multiplies matrices), except the counted arrays of ``bpkit.opcount``, which must stay
    counted through the network's code."""
    x = np.asanyarray(x, dtype=dtype)
    if type(x) is not np.ndarray and not getattr(x, "counts_operations", False):
        x = np.asarray(x)
    return x


def as_matrix(x, name, rows=None, layer=None, dtype=None):
    """Return `x` as a 2-D array, columns being examples; raise a ShapeError otherwise.

    A 1-D array of length `rows` is read as one example (a single column), so the
    single-example formulas of the text work unchanged. Nothing else is reshaped or
    broadcast: a 1-D row of labels or a matrix with examples as rows is refused, with a
    message that says how to fix it.
    """
    x = as_array(x, dtype=dtype)
    if x.dtype.kind in "biu":          # whole numbers typed by hand: compute in float64
        x = x.astype(np.float64)
    if x.ndim == 1 and rows is not None and x.shape[0] == rows:
        x = x.reshape(rows, 1)
    if x.ndim != 2:
        hint = ""
        if x.ndim == 1:
            want = f"({rows}, {x.shape[0]})" if rows is not None else f"(units, {x.shape[0]})"
            hint = (f"; a 1-D array of {x.shape[0]} values is ambiguous: if it holds one value "
                    f"per example, reshape it to {want}")
        raise ShapeError(
            f"{layer_prefix(layer)}{name} must be a 2-D array (units, examples)"
            f"{'' if rows is None else f' with {rows} rows'}; "
            f"received an array of shape {x.shape}{hint}"
        )
    if rows is not None and x.shape[0] != rows:
        hint = ""
        if x.shape[1] == rows:
            hint = (f"; it looks transposed (examples as rows): pass its transpose, of shape "
                    f"{(rows, x.shape[0])}")
        raise ShapeError(
            f"{layer_prefix(layer)}{name} must have {rows} rows (one per unit), "
            f"received shape {x.shape}{hint}"
        )
    return x


def check_same_shape(a, b, name_a, name_b, layer=None):
    if a.shape != b.shape:
        raise ShapeError(
            f"{layer_prefix(layer)}{name_a} and {name_b} must have the same shape; "
            f"received {name_a}{a.shape} and {name_b}{b.shape}"
        )


def check_finite(x, name, layer=None):
    if not np.all(np.isfinite(x)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(x))[0])
        raise NonFiniteError(
            f"{layer_prefix(layer)}{name} contains NaN or infinity (first at index {bad}: {x[bad]})"
        )
