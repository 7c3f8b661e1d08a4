"""bpkit: the backpropagation textbook's package. Its functions are the book's equations.

Modules mirror the chapters:

=====================  ==========================================================
``bpkit.opcount``      operation counts: backprop against per-parameter work (1)
``bpkit.activations``  sigma and sigma' (chapters 2, 6)
``bpkit.losses``       quadratic and cross-entropy losses (chapters 2, 6)
``bpkit.network``      forward pass (2), the complete algorithm and training (9)
``bpkit.graph``        the computational graph of a network, drawn (3)
``bpkit.scalar``       a scalar reverse-mode engine and path sums (4)
``bpkit.backprop``     BP1-BP4, one function each (6, 7, 8)
``bpkit.gradcheck``    gradient checking (12)
``bpkit.data``         XOR, toy 2-D sets, handwritten digits (9)
``bpkit.explorers``    the chapters' interactive explorers (ipywidgets)
``bpkit.exercises``    the exercises' instant checks; ``bpkit.grade`` grades them
=====================  ==========================================================
"""
from .activations import ACTIVATIONS, get_activation, softmax_jacobian
from .backprop import bp1, bp2, bp3, bp4, output_delta
from .display import show_source
from .errors import BpkitError, NonFiniteError, ShapeError
from .gradcheck import gradcheck, numerical_gradient, relative_error
from .losses import LOSSES, get_loss
from .network import Network

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS", "LOSSES", "BpkitError", "NonFiniteError", "Network", "ShapeError",
    "bp1", "bp2", "bp3", "bp4", "get_activation", "get_loss", "gradcheck",
    "numerical_gradient", "output_delta", "relative_error", "show_source", "softmax_jacobian",
]
