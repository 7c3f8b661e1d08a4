"""Chapter 10 exercises: predict a bound from spectral norms, build the unrolled matrix, and
set the weight scale of a deep network so that its error neither vanishes nor explodes."""
import numpy as np

from bpkit import Network
from bpkit.unrolling import delta_ratio, spectral_bounds

from . import FunctionExercise, Mistake, ValueExercise, make_check, register

CHAPTER = "ch10"
check = make_check(CHAPTER)


def _sigmoid_slope(z):
    s = 1.0 / (1.0 + np.exp(-z))
    return s * (1.0 - s)


# -- 1. predict: the bound of one example, from its own slopes ---------------------------------
def bound_problem():
    """The network of exercise 1: 6 sigmoid layers of 8 units, a batch of 3 examples."""
    net = Network([8] * 7, activation="sigmoid", output="identity", loss="quadratic",
                  init="xavier", scale=4.0, seed=11)
    rng = np.random.default_rng(5)
    return net, rng.standard_normal((8, 3)), rng.standard_normal((8, 3))


def _bound(slope_of, weight_norm, layers):
    """prod over k in ``layers`` of slope_of(k) * weight_norm(k + 1)."""
    return float(np.prod([slope_of(k) * weight_norm(k + 1) for k in layers]))


def _bound_values():
    """The true bound for example 0, and the values of the known mistakes."""
    net, X, _ = bound_problem()
    cache = net.forward(X)
    L = net.L
    own = lambda k: float(_sigmoid_slope(cache.z[k][:, 0]).max())       # ||S^k||_2, example 0
    batch = lambda k: float(_sigmoid_slope(cache.z[k]).max())           # max over the batch
    spec = lambda l: float(np.linalg.norm(net.W[l], 2))
    frob = lambda l: float(np.linalg.norm(net.W[l]))
    hidden = range(1, L)
    truth = _bound(own, spec, hidden)
    mistakes = {
        "quarter": (spectral_bounds(net)[0],
                    "This is the bound with the largest possible slope, 1/4, in every layer: it "
                    "holds for every input. The exercise asks for the tighter bound of this one "
                    "example, with ||S^k||_2 = the largest slope sigma'(z^k_j) of its own units."),
        "frobenius": (_bound(own, frob, hidden),
                      "You used the Frobenius norm of each W (np.linalg.norm(W)); the bound "
                      "needs the spectral norm, the largest singular value: np.linalg.norm(W, 2)."),
        "no_slopes": (_bound(lambda k: 1.0, spec, hidden),
                      "The slopes are missing: each factor of the product is S^k (W^(k+1))^T, "
                      "so each spectral norm ||W^(k+1)||_2 is multiplied by ||S^k||_2."),
        "shifted": (float(np.prod([own(k) * spec(k) for k in hidden])),
                    "The weights are one layer off: the factor of layer k is S^k (W^(k+1))^T, "
                    "the weights of the layer above it, so the product uses W^2, ..., W^L "
                    "(net.W[2] to net.W[L]), never W^1."),
        "batch_slopes": (_bound(batch, spec, hidden),
                         "You took the largest slope over the whole batch. That is a valid bound "
                         "too, but a looser one: for the example in column 0, ||S^k||_2 is the "
                         "largest slope among its own units, cache.z[k][:, 0]."),
    }
    return truth, mistakes


def _judge_bound(value):
    try:
        value = float(value)
    except (TypeError, ValueError):
        return 0, f"Set bound to a number (a float); received {value!r}."
    if not np.isfinite(value) or value <= 0:
        return 0, f"A bound on a ratio of norms is a positive number; received {value!r}."
    truth, mistakes = _bound_values()
    if abs(value / truth - 1) <= 0.01:
        return 1, ("Correct: every factor's spectral norm, multiplied over the five hidden "
                   "layers. Now run the next cell to measure the true ratio and see how "
                   "much room the bound leaves.")
    for wrong, message in mistakes.values():
        if abs(value / wrong - 1) <= 0.01:
            return 0, message
    return 0, ("Not this value (within 1%). The bound is the product over k = 1..L-1 of "
               "||S^k||_2 ||W^(k+1)||_2, with ||S^k||_2 the largest slope of layer k at the "
               "example in column 0 and ||W||_2 = np.linalg.norm(W, 2).")


register(ValueExercise(
    CHAPTER, "bound", "Predict the bound of one example from spectral norms", _judge_bound,
    points=2, prompt="Set bound to your number and run the check."))


# -- 2. build the unrolled matrix -----------------------------------------------------------------
def _slopes(Zs):
    return [np.diag(_sigmoid_slope(z)) for z in Zs]


def _backward_matrix(Ws, Zs):
    """S^1 (W^2)^T S^2 ... S^(L-1) (W^L)^T, with Ws[k] = W^(k+1) and Zs[k] = z^(k+1)."""
    S = _slopes(Zs)
    M = np.eye(Ws.shape[1])
    for k in range(len(Ws) - 1):                 # layers 1..L-1, from the left
        M = M @ S[k] @ Ws[k + 1].T
    return M


def _no_transpose(Ws, Zs):
    S = _slopes(Zs)
    M = np.eye(Ws.shape[1])
    for k in range(len(Ws) - 1):
        M = M @ S[k] @ Ws[k + 1]
    return M


def _reversed(Ws, Zs):
    S = _slopes(Zs)
    M = np.eye(Ws.shape[1])
    for k in range(len(Ws) - 1):
        M = Ws[k + 1].T @ S[k] @ M
    return M


def _slopes_above(Ws, Zs):
    S = _slopes(Zs)
    M = np.eye(Ws.shape[1])
    for k in range(len(Ws) - 1):
        M = M @ S[k + 1] @ Ws[k + 1].T
    return M


def _no_slopes(Ws, Zs):
    M = np.eye(Ws.shape[1])
    for k in range(len(Ws) - 1):
        M = M @ Ws[k + 1].T
    return M


def _matrix_inputs(rng):
    # All layers square, so that a transpose or a reversed order still runs.
    cases = []
    for L, n in ((2, 2), (3, 3), (5, 4)):
        Ws = rng.standard_normal((L, n, n)) * 1.5
        Zs = rng.standard_normal((L, n)) * 2
        cases.append((Ws, Zs))
    return cases


register(FunctionExercise(
    CHAPTER, "backward_matrix", "Build the unrolled matrix of the backward pass",
    "backward_matrix", _matrix_inputs, _backward_matrix, ("Ws", "Zs"), points=3,
    what="the matrix S^1 (W^2)^T S^2 ... S^(L-1) (W^L)^T",
    mistakes=[
        Mistake("no_transpose", "The weights are not transposed: the error goes back across "
                "W^(k+1) as (W^(k+1))^T, so the product is S^1 (W^2)^T S^2 (W^3)^T ..., "
                "Ws[k + 1].T.", _no_transpose),
        Mistake("reversed", "The factors are in the reverse order. delta^1 = M delta^L with "
                "M = S^1 (W^2)^T S^2 ... S^(L-1) (W^L)^T: S^1, the slopes of layer 1, stand "
                "leftmost, and (W^L)^T, the factor nearest the output, rightmost.", _reversed),
        Mistake("slopes_above", "Each slope matrix is one layer too high: the factor of layer "
                "k is S^k (W^(k+1))^T, with S^k built from z^k (Zs[k - 1]), the layer whose "
                "error is being computed, not from z^(k+1).", _slopes_above),
        Mistake("transposed", "You returned the transpose of M, the Jacobian of the forward "
                "pass from z^1 to z^L (W^L S^(L-1) ... W^2 S^1). The backward pass applies its "
                "transpose: M = S^1 (W^2)^T ... S^(L-1) (W^L)^T.",
                lambda Ws, Zs: _backward_matrix(Ws, Zs).T),
        Mistake("no_slopes", "The slopes are missing: between two transposes stands the "
                "diagonal matrix S^k = diag(sigma'(z^k)), with sigma'(z) = s (1 - s) for the "
                "sigmoid s = sigma(z).", _no_slopes),
    ]))


# -- 3. the weight-scale slider -----------------------------------------------------------------
DEPTH, WIDTH = 20, 32
LOW, HIGH = 0.5, 2.0


def scale_problem(scale):
    """The network of exercise 3: 20 tanh layers of 32 units, Xavier's weights times ``scale``."""
    net = Network([WIDTH] * (DEPTH + 1), activation="tanh", output="identity",
                  loss="quadratic", init="xavier", scale=float(scale), seed=0)
    rng = np.random.default_rng(1)
    return net, rng.standard_normal((WIDTH, 64)), rng.standard_normal((WIDTH, 64))


def _judge_scale(value):
    scale = float(value)
    if not (np.isfinite(scale) and 0.01 <= scale <= 100):
        return 0, f"The scale must lie between 0.01 and 100; received {scale!r}."
    ratio = delta_ratio(*scale_problem(scale))
    text = f"At scale {scale:.3g}, ||delta^1|| / ||delta^{DEPTH}|| = {ratio:.2g}."
    if LOW <= ratio <= HIGH:
        return 1, (f"Correct. {text} The error reaches layer 1 at about the size it left the "
                   "output: each layer's factor S^l (W^(l+1))^T stretches a typical error "
                   "vector by about 1.")
    direction = "vanishes" if ratio < 1 else "explodes"
    near = 0.1 <= ratio <= 10
    return (0.5 if near else 0), (f"{text} The error {direction} on its way back to layer 1"
                                  + (" (a little)" if near else "") + f": the curve must end "
                                  f"between {LOW} and {HIGH} at layer 1.")


register(ValueExercise(
    CHAPTER, "weight_scale", "Choose a weight scale: neither vanish nor explode",
    _judge_scale, points=2,
    prompt="Move the slider, then run the check."))


def weight_scale_slider(value=3.0):
    """A slider for the weight scale, with the plot of the error per layer beneath it."""
    import ipywidgets as widgets
    from IPython.display import display

    from bpkit.explorers.base import figure_html
    from bpkit.explorers.unrolling import plot_delta_norms
    from bpkit.unrolling import delta_norms

    slider = widgets.FloatLogSlider(value=value, base=10, min=-1, max=1, step=0.01,
                                    description="scale", readout_format=".3g",
                                    continuous_update=False)
    view = widgets.HTML()

    def update(change=None):
        norms = delta_norms(*scale_problem(slider.value))
        fig = plot_delta_norms({f"scale {slider.value:.3g}": norms},
                               title=f"{DEPTH} tanh layers: the error per layer")
        view.value = figure_html(fig, f"Log-scale plot of the error norm of each of the "
                                      f"{DEPTH} layers divided by that of the output layer, "
                                      f"for weights at {slider.value:.3g} times Xavier's scale.")

    update()
    slider.observe(update, names="value")
    display(widgets.VBox([slider, view]))
    return slider
