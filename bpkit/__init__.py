"""bpkit: the backpropagation textbook's package. Its functions are the book's equations.

Its modules mirror the chapters; :mod:`bpkit.chapters` is the map from each chapter to the
modules, the explorer and the exercises behind it (the preface prints it).
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
