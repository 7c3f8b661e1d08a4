"""Chapter 10 exercises: predict, then measure, vanishing and exploding gradients; and set
the weight scale of a deep network with a slider so the error neither vanishes nor explodes."""
import numpy as np

from bpkit import Network, bp2, output_delta

from . import FunctionExercise, Mistake, ValueExercise, make_check, register

CHAPTER = "ch10"
check = make_check(CHAPTER)


# -- measure: the gradient norm of every layer ----------------------------------------------
def _grad_norms(net, X, Y):
    g = net.gradients(X, Y)
    return np.array([np.linalg.norm(g.dW[l]) for l in range(1, net.L + 1)])


def _weight_norms(net, X, Y):
    return np.array([np.linalg.norm(net.W[l]) for l in range(1, net.L + 1)])


def _bias_norms(net, X, Y):
    g = net.gradients(X, Y)
    return np.array([np.linalg.norm(g.db[l]) for l in range(1, net.L + 1)])


def _norm_inputs(rng):
    cases = []
    for depth, width, act in ((2, 3, "sigmoid"), (4, 5, "tanh"), (8, 6, "sigmoid")):
        net = Network([width] * (depth + 1), activation=act, loss="quadratic",
                      seed=int(rng.integers(1 << 30)))
        m = int(rng.integers(2, 6))
        cases.append((net, rng.standard_normal((width, m)), rng.uniform(0, 1, (width, m))))
    return cases


register(FunctionExercise(
    CHAPTER, "grad_norms", "Measure the gradient norm of every layer", "grad_norms",
    _norm_inputs, _grad_norms, ("net", "X", "Y"), points=2, allowed="all",
    what="the norms ||dC/dW^l|| for l = 1..L",
    mistakes=[
        Mistake("reversed", "Your norms are in reverse order. Layers are numbered from the "
                "input, l = 1..L, so the first entry is layer 1 (the layer farthest from the "
                "loss, where vanishing shows first).",
                lambda net, X, Y: _grad_norms(net, X, Y)[::-1]),
        Mistake("weights_not_gradients", "You measured the weights W^l, not their gradients. "
                "Vanishing and exploding are about dC/dW^l (grads.dW[l]), which BP2 builds by "
                "multiplying one factor per layer.",
                _weight_norms),
        Mistake("bias_gradients", "You measured the bias gradients dC/db^l; the exercise asks "
                "for the weight gradients dC/dW^l (grads.dW[l]).",
                _bias_norms),
    ]))


# -- predict ------------------------------------------------------------------------------
PREDICT_SIZES = [20] * 13


def _predict_ratio():
    net = Network(PREDICT_SIZES, activation="sigmoid", loss="quadratic", init="xavier", seed=0)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 16))
    Y = rng.uniform(0, 1, (20, 16))
    n = _grad_norms(net, X, Y)
    return n[0] / n[-1]


def _verdict(ratio):
    return "vanish" if ratio < 1e-2 else ("explode" if ratio > 1e2 else "neither")


def _judge_predict(value):
    word = str(value).strip().lower()
    choice = next((c for c in ("vanish", "explode", "neither") if word.startswith(c[:4])), None)
    if choice is None:
        return 0, (f"{value!r} is not one of the choices: answer \"vanish\", \"explode\" or "
                   "\"neither\".")
    ratio = _predict_ratio()
    truth = _verdict(ratio)
    measured = (f"Measured: ||dC/dW^1|| / ||dC/dW^12|| = {ratio:.1e}. Every layer multiplies "
                "the error by (W^(l+1))^T and by sigma'(z^l) <= 1/4; with Xavier weights the "
                "product shrinks by a roughly constant factor per layer, so over 12 layers the "
                "first layer's gradient all but disappears.")
    if choice == truth:
        return 1, f"Correct. {measured}"
    return 0, f"Not this time. {measured}"


register(ValueExercise(
    CHAPTER, "predict", "Predict: vanish or explode?", _judge_predict, points=1,
    prompt='Set prediction to "vanish", "explode" or "neither" and run the check.'))


# -- the weight-scale slider -----------------------------------------------------------------
DEPTH, WIDTH = 20, 32


def delta_ratio(scale):
    """||delta^1|| / ||delta^L|| for a deep tanh network whose Xavier weights are scaled."""
    net = Network([WIDTH] * (DEPTH + 1), activation="tanh", output="identity",
                  loss="quadratic", init="xavier", scale=float(scale), seed=0)
    rng = np.random.default_rng(1)
    X = rng.standard_normal((WIDTH, 64))
    Y = rng.standard_normal((WIDTH, 64))
    cache = net.forward(X)
    L = net.L
    delta = output_delta(cache.z[L], cache.a[L], Y, net.output, net.loss_fn)
    last = np.linalg.norm(delta)
    for l in range(L - 1, 0, -1):
        delta = bp2(net.W[l + 1], delta, cache.z[l], net.activation)
    return float(np.linalg.norm(delta) / last)


def _judge_scale(value):
    scale = float(value)
    if not (np.isfinite(scale) and 0.01 <= scale <= 100):
        return 0, f"The scale must lie between 0.01 and 100; received {scale!r}."
    ratio = delta_ratio(scale)
    text = f"At scale {scale:.3g}, ||delta^1|| / ||delta^{DEPTH}|| = {ratio:.2g}."
    if 0.1 <= ratio <= 10:
        return 1, (f"Correct. {text} The error reaches layer 1 neither vanished nor exploded: "
                   "each layer's factor (W^(l+1))^T S^l is close to 1 in size.")
    far = ratio < 1e-2 or ratio > 1e2
    direction = "vanishes" if ratio < 1 else "explodes"
    hint = ("make the weights larger" if ratio < 1 else "make the weights smaller")
    return (0 if far else 0.5), (f"{text} The error {direction} on its way back to layer 1: "
                                 f"{hint}, until the ratio lies between 0.1 and 10.")


register(ValueExercise(
    CHAPTER, "weight_scale", "Choose a weight scale: neither vanish nor explode",
    _judge_scale, points=2,
    prompt="Move the slider, then run the check."))


def weight_scale_slider(value=3.0):
    """A slider for the weight scale, with the ratio ||delta^1|| / ||delta^L|| beside it."""
    import ipywidgets as widgets
    from IPython.display import display

    slider = widgets.FloatLogSlider(value=value, base=10, min=-1, max=1, step=0.01,
                                    description="scale", readout_format=".3g",
                                    continuous_update=False)
    label = widgets.Label()

    def update(change=None):
        label.value = f"||delta^1|| / ||delta^{DEPTH}|| = {delta_ratio(slider.value):.3g}"

    update()
    slider.observe(update, names="value")
    display(widgets.HBox([slider, label]))
    return slider
