"""Chapter 9 exercises: assemble the backward pass from BP1-BP4, the memory of the cache as a
formula, XOR fitted by hand with sliders, and a network trained to a target accuracy."""
import numpy as np

from bpkit import Network, bp1, bp2, bp3, bp4, output_delta
from bpkit.activations import get_activation
from bpkit.data import two_moons
from bpkit.losses import get_loss
from bpkit.network import Layers

from . import FunctionExercise, Mistake, ValueExercise, format_value, make_check, register

CHAPTER = "ch09"
check = make_check(CHAPTER)


# -- backward --------------------------------------------------------------------------------
def _as_dict(x):
    if isinstance(x, Layers):
        return {int(l): np.asarray(v) for l, v in x.items()}
    if isinstance(x, dict):
        return {k: (np.asarray(v) if isinstance(v, (np.ndarray, list)) else v)
                for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        # a list indexed from 0 holds layer l at position l - 1
        return {l + 1: np.asarray(v) for l, v in enumerate(x)}
    return x


def _encode_grads(result):
    """(dW, db) with each a {layer: array} dict, whatever container the student used."""
    if hasattr(result, "dW") and hasattr(result, "db"):
        result = (result.dW, result.db)
    if isinstance(result, (tuple, list)) and len(result) == 2:
        return (_as_dict(result[0]), _as_dict(result[1]))
    return result


def _backward(net, cache, Y):
    g = net.backward(cache, Y)
    return g.dW, g.db


def _bp4_with_a_l(net, cache, Y):
    """The known mistake: BP4 pairs delta^l with a^l instead of a^(l-1)."""
    delta = net.deltas(cache, Y)
    return ({l: bp4(delta[l], cache.a[l]) for l in delta.layers()},
            {l: bp3(delta[l]) for l in delta.layers()})


def _keys_from_zero(net, cache, Y):
    """The known mistake: the dicts keyed 0..L-1 (Python's numbering) instead of 1..L."""
    dW, db = _backward(net, cache, Y)
    return ({l - 1: dW[l] for l in dW.layers()}, {l - 1: db[l] for l in db.layers()})


def _db_without_mean(net, cache, Y):
    """The known mistake: BP3 as the row sum of delta^l, without the 1/m of the mean loss."""
    dW, db = _backward(net, cache, Y)
    return dW, {l: db[l] * Y.shape[1] for l in db.layers()}


def _wrong_bp2(wrong_W=False, output_act=False):
    """A backward pass whose BP2 is wrong in one way (so it cannot reuse net.deltas)."""
    def backward(net, cache, Y):
        L = net.L
        delta = {L: output_delta(cache.z[L], cache.a[L], Y, net.output, net.loss_fn)}
        for l in range(L - 1, 0, -1):
            delta[l] = bp2(net.W[l] if wrong_W else net.W[l + 1], delta[l + 1], cache.z[l],
                           net.output if output_act else net.activation)
        return ({l: bp4(delta[l], cache.a[l - 1]) for l in delta},
                {l: bp3(delta[l]) for l in delta})
    return backward


def _backward_inputs(rng):
    cases = []
    for sizes, act, loss in (([2, 2, 2], "sigmoid", "quadratic"),
                             ([3, 4, 2], "tanh", "cross_entropy"),
                             ([4, 5, 3, 2], "sigmoid", "binary_cross_entropy")):
        net = Network(sizes, activation=act, loss=loss, seed=int(rng.integers(1 << 30)))
        m = int(rng.integers(3, 7))
        X = rng.standard_normal((sizes[0], m))
        if loss == "cross_entropy":
            Y = np.zeros((sizes[-1], m))
            Y[rng.integers(0, sizes[-1], m), np.arange(m)] = 1.0
        else:
            Y = rng.uniform(0, 1, (sizes[-1], m))
        cases.append((net, net.forward(X), Y))
    return cases


register(FunctionExercise(
    CHAPTER, "backward", "The backward pass from BP1-BP4", "backward",
    _backward_inputs, _backward, ("net", "cache", "Y"), points=3,
    allowed=(bp1, bp2, bp3, bp4, output_delta, get_activation, get_loss),
    watch=((Network, "backward"), (Network, "deltas"), (Network, "gradients")),
    encode=_encode_grads,
    what="the gradients of backpropagation (BP1, then BP2 down to layer 1, with BP3 and BP4 "
         "at every layer)",
    mistakes=[
        Mistake("a_l_in_bp4", "BP4 pairs delta^l with the activation that feeds layer l, "
                "a^(l-1) (cache.a[l-1]); you used a^l, the layer's own output.",
                _bp4_with_a_l),
        Mistake("wrong_W_in_bp2", "BP2 carries delta^(l+1) back across the weights that "
                "consumed a^l, namely W^(l+1); to get delta^(l-1) from delta^l use W^l "
                "(net.W[l]), not W^(l-1).",
                _wrong_bp2(wrong_W=True)),
        Mistake("output_activation_in_bp2", "BP2 multiplies by sigma'(z^l) of the hidden "
                "layer l, whose activation is net.activation; you used the output layer's "
                "activation (net.output).",
                _wrong_bp2(output_act=True)),
        Mistake("keys_from_zero", "Your dicts are keyed 0..L-1. Layers are numbered as in the "
                "book, l = 1..L (net.W[1] is the first layer's weights and a^0 is the input, "
                "which has no weights): key the gradient of W^l by l.",
                _keys_from_zero),
        Mistake("db_no_mean", "Your db[l] is m times too large: the gradients are those of "
                "the mean loss, so BP3 averages delta^l over the m examples (the columns), "
                "db[l] = delta^l.sum(axis=1, keepdims=True) / m, as bp3 does. Your dW, from "
                "bp4, is right.",
                _db_without_mean),
    ]))


# -- train to a target accuracy ------------------------------------------------------------
TARGET = 0.95


def _encode_net(net):
    """The trained network as plain data, so the grader rebuilds and tests it itself."""
    if not isinstance(net, Network):
        return net
    return {"sizes": list(net.sizes), "activation": net.activation.name,
            "output": net.output.name, "loss": net.loss_fn.name,
            "W": [np.asarray(net.W[l], dtype=float) for l in net.W.layers()],
            "b": [np.asarray(net.b[l], dtype=float) for l in net.b.layers()]}


def _moons(seed):
    X, Y = two_moons(m=400, noise=0.1, seed=seed)
    return X[:, :200], Y[:, :200], X[:, 200:], Y[:, 200:]


class TrainExercise(FunctionExercise):
    """Scored by the accuracy, on held-out examples, of the network the function returns."""

    def __init__(self):
        super().__init__(CHAPTER, "train", "Train a network to a target accuracy", "train",
                         self._inputs, None, ("X", "Y"), points=3, allowed="all",
                         encode=_encode_net)

    @staticmethod
    def _data_seed(rng):
        return int(rng.integers(1 << 30))

    def _inputs(self, rng):
        X, Y, _, _ = _moons(self._data_seed(rng))
        return [(X, Y)]

    def evaluate(self, received, seed):
        if not (isinstance(received, list) and len(received) == 1 and isinstance(received[0], dict)):
            return self.result(0, "The grader could not read what your function returned.")
        outcome = received[0]
        if "refused" in outcome:
            return self.result(0, str(outcome["refused"]))
        if "error" in outcome:
            err = outcome["error"]
            if err.startswith("NotImplementedError"):
                return self.result(0, "Not attempted yet: `train` still raises "
                                      "NotImplementedError.")
            return self.result(0, f"Your `train` raised an error:\n    {err}")
        _, _, X_test, Y_test = _moons(self._data_seed(np.random.default_rng(seed)))
        try:
            net = self._rebuild(outcome["ok"])
            accuracy = net.accuracy(X_test, Y_test)
        except Exception:  # noqa: BLE001 - whatever came back, it is not a usable network
            return self.result(0, "`train` must return the trained bpkit Network (a network "
                                  "with 2 inputs and 1 sigmoid output); it returned "
                                  f"{format_value(outcome['ok'])[:200]}.")
        if not np.isfinite(accuracy):
            accuracy = 0.0
        text = (f"Accuracy on {X_test.shape[1]} held-out examples: {accuracy:.1%} "
                f"(target {TARGET:.0%}).")
        if accuracy >= TARGET:
            return self.result(1, f"Correct: {text}")
        fraction = max(0.0, (accuracy - 0.5) / (TARGET - 0.5)) * 0.8
        if net.L == 1:
            return self.result(fraction, f"Not there yet: your network {net.sizes} has no "
                                         "hidden layer: "
                                         "its output is sigma(w^T x + b), whose boundary is "
                                         "a straight line, and no straight line separates "
                                         "the two moons. Add a hidden layer of a few units, "
                                         f"e.g. Network([2, 16, 1], ...). {text}")
        return self.result(fraction, f"{text} Not there yet: a straight line cannot separate "
                                     "the two moons, so the network needs a hidden layer of "
                                     "a few units; then tune the learning rate and the number "
                                     "of epochs (watch the training loss fall).")

    @staticmethod
    def _rebuild(data):
        sizes = [int(n) for n in data["sizes"]]
        if sizes[0] != 2 or sizes[-1] != 1 or len(sizes) > 12 or max(sizes) > 4096:
            raise ValueError("wrong architecture")
        net = Network(sizes, activation=data["activation"], output=data["output"],
                      loss=data["loss"])
        for l, (W, b) in enumerate(zip(data["W"], data["b"]), start=1):
            W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float).reshape(-1, 1)
            if W.shape != net.W[l].shape or b.shape != net.b[l].shape:
                raise ValueError("wrong shapes")
            net.W[l][...] = W
            net.b[l][...] = b
        return net


register(TrainExercise())


# -- the memory of the cache, as a formula ----------------------------------------------------
def _cache_nbytes(sizes, m, itemsize):
    """Bytes of z^l and a^l for l = 1..L, each (n_l, m), at ``itemsize`` bytes per entry."""
    return int(2 * m * sum(int(n) for n in sizes[1:]) * itemsize)


def _cache_inputs(rng):
    cases = []
    for L, itemsize in ((1, 8), (3, 4), (5, 8)):
        sizes = rng.integers(2, 300, size=L + 1)
        cases.append((sizes, int(rng.integers(1, 257)), itemsize))
    return cases


register(FunctionExercise(
    CHAPTER, "cache_nbytes", "The memory of the forward cache, as a formula", "cache_nbytes",
    _cache_inputs, _cache_nbytes, ("sizes", "m", "itemsize"), points=2,
    allowed=(), what="the bytes that Cache.nbytes counts",
    mistakes=[
        Mistake("counts_input", "You counted the input a^0 as well. The cache keeps z^l and a^l "
                "for l = 1..L; a^0 = x is the caller's array (Cache.nbytes does not count it), "
                "and there is no z^0.",
                lambda s, m, b: int(m * (2 * sum(int(n) for n in s[1:]) + int(s[0])) * b)),
        Mistake("only_activations", "You counted only the activations a^l. The backward pass "
                "also needs every z^l (BP1 and BP2 take sigma'(z^l)), so the cache holds two "
                "arrays of shape (n_l, m) per layer.",
                lambda s, m, b: int(m * sum(int(n) for n in s[1:]) * b)),
        Mistake("entries_not_bytes", "You counted entries, not bytes: multiply by the size of "
                "one entry, itemsize (8 for float64, 4 for float32).",
                lambda s, m, b: int(2 * m * sum(int(n) for n in s[1:]))),
        Mistake("no_batch", "Your count does not grow with the batch: z^l and a^l have one "
                "column per example, shape (n_l, m), so every term carries the factor m.",
                lambda s, m, b: int(2 * sum(int(n) for n in s[1:]) * b)),
        Mistake("weights", "You counted the weights, n_l x n_(l-1) per layer. The cache holds "
                "the forward values z^l and a^l, (n_l, m) each; the weights are the network's "
                "and do not depend on the batch.",
                lambda s, m, b: int(sum(int(s[l]) * int(s[l - 1]) for l in range(1, len(s)))
                                    * b)),
    ]))


# -- set the weights by hand: fit XOR before the automatic fit -----------------------------------
HAND_SIZES = [2, 2, 1]
SLIDER_RANGE = (-20.0, 20.0)


def hand_network(value):
    """The network ``[2, 2, 1]`` (sigmoid units, binary cross-entropy) with the weights of
    ``value``, a dict with ``W1`` (2, 2), ``b1`` (2,), ``W2`` (1, 2) and ``b2`` (1,)."""
    net = Network(HAND_SIZES, activation="sigmoid", loss="binary_cross_entropy")
    net.W[1] = np.array(value["W1"], dtype=float).reshape(2, 2)
    net.b[1] = np.array(value["b1"], dtype=float).reshape(2, 1)
    net.W[2] = np.array(value["W2"], dtype=float).reshape(1, 2)
    net.b[2] = np.array(value["b2"], dtype=float).reshape(1, 1)
    return net


def _xor():
    return np.array([[0, 0, 1, 1], [0, 1, 0, 1]], float), np.array([[0, 1, 1, 0]], float)


def _judge_hand(value):
    X, Y = _xor()
    numbers = np.concatenate([np.ravel(value[k]) for k in ("W1", "b1", "W2", "b2")]).astype(float)
    lo, hi = SLIDER_RANGE
    if numbers.size != 9 or not np.all(np.isfinite(numbers)) or numbers.min() < lo \
            or numbers.max() > hi:
        return 0, f"Nine weights and biases between {lo:g} and {hi:g} are needed."
    out = hand_network(value).predict(X)[0]
    right = (out > 0.5) == (Y[0] > 0.5)
    close = np.abs(out - Y[0]) < 0.2
    outputs = ", ".join(f"{o:.2f}" for o in out)
    text = f"Your outputs on (0,0), (0,1), (1,0), (1,1): {outputs}; targets 0, 1, 1, 0."
    if np.all(close):
        return 1, (f"Correct. {text} Every output is within 0.2 of its target: one hidden "
                   "unit fires for 'at least one input on', the other for 'both on', and the "
                   "output takes the first minus the second.")
    if np.all(right):
        return 0.5, (f"{text} All four are on the right side of 0.5, but not yet within 0.2 "
                     "of their targets: make the weights larger (steeper sigmoids) without "
                     "moving the boundaries.")
    return 0, (f"{text} {int(right.sum())} of 4 points are on the right side of 0.5. One "
               "straight line cannot separate XOR: let each hidden unit draw one line, then "
               "combine the two at the output.")


register(ValueExercise(
    CHAPTER, "hand_weights", "Fit XOR by hand", _judge_hand, points=2,
    prompt="Move the sliders until the four points are fitted, then run the check."))


class HandWeights:
    """Nine sliders for the weights of a [2, 2, 1] network, and the picture they make.

    ``value`` is what the check records: ``{"W1": ..., "b1": ..., "W2": ..., "b2": ...}``.
    """

    NAMES = [("W1", (0, 0)), ("W1", (0, 1)), ("b1", (0,)), ("W1", (1, 0)), ("W1", (1, 1)),
             ("b1", (1,)), ("W2", (0, 0)), ("W2", (0, 1)), ("b2", (0,))]
    LABELS = ["W¹₁₁", "W¹₁₂", "b¹₁", "W¹₂₁", "W¹₂₂", "b¹₂", "W²₁₁", "W²₁₂", "b²₁"]

    def __init__(self, start):
        import ipywidgets as widgets

        lo, hi = SLIDER_RANGE
        self.sliders = []
        for (name, idx), label in zip(self.NAMES, self.LABELS):
            v = float(np.asarray(start[name], dtype=float)[idx])
            self.sliders.append(widgets.FloatSlider(
                value=v, min=lo, max=hi, step=0.5, description=label,
                continuous_update=False, readout_format=".1f"))
        self.picture = widgets.HTML()
        rows = [widgets.HBox(self.sliders[i:i + 3]) for i in range(0, 9, 3)]
        titles = [widgets.HTML("<b>hidden unit 1</b>"), widgets.HTML("<b>hidden unit 2</b>"),
                  widgets.HTML("<b>output unit</b>")]
        parts = []
        for title, row in zip(titles, rows):
            parts += [title, row]
        self.widget = widgets.VBox(parts + [self.picture])
        for s in self.sliders:
            s.observe(self._draw, names="value")
        self._draw()

    @property
    def value(self):
        v = {"W1": [[0.0, 0.0], [0.0, 0.0]], "b1": [0.0, 0.0], "W2": [[0.0, 0.0]], "b2": [0.0]}
        for (name, idx), s in zip(self.NAMES, self.sliders):
            target = v[name]
            for i in idx[:-1]:
                target = target[i]
            target[idx[-1]] = float(s.value)
        return v

    def _draw(self, change=None):
        from matplotlib.figure import Figure

        from bpkit.explorers.base import figure_html

        X, Y = _xor()
        net = hand_network(self.value)
        g = np.linspace(-0.5, 1.5, 50)
        gx, gy = np.meshgrid(g, g)
        P = net.predict(np.vstack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
        fig = Figure(figsize=(4.0, 3.2), dpi=80, layout="constrained")
        ax = fig.subplots()
        ax.imshow(P, origin="lower", extent=(-0.5, 1.5, -0.5, 1.5), cmap="RdBu_r", vmin=0,
                  vmax=1, alpha=0.6, interpolation="nearest")
        out = net.predict(X)[0]
        for x1, x2, t, o in zip(X[0], X[1], Y[0], out):
            ax.scatter([x1], [x2], s=80, c="C3" if t else "C0", edgecolors="k", zorder=3)
            ax.annotate(f"{o:.2f}", (x1, x2), xytext=(8, 8), textcoords="offset points")
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.set_title("network output (red = 1, blue = 0)", fontsize=9)
        alt = ("The unit square with the four XOR points, red where the target is 1 and blue "
               "where it is 0, over a shaded map of the network's output; the outputs at the "
               f"points are {', '.join(f'{o:.2f}' for o in out)}.")
        self.picture.value = figure_html(fig, alt)


def hand_weights_widget(W1=((1.0, 1.0), (1.0, 1.0)), b1=(0.0, 0.0), W2=((1.0, 1.0),),
                        b2=(0.0,)):
    """Show the sliders of the hand-fitting exercise, starting from the given weights, and
    return them (their ``value`` is the answer the check records)."""
    from IPython.display import display

    hand = HandWeights({"W1": W1, "b1": b1, "W2": W2, "b2": b2})
    display(hand.widget)
    return hand
