"""Chapter 9 exercises: assemble the backward pass from BP1-BP4, and train a network."""
import numpy as np

from bpkit import Network, bp1, bp2, bp3, bp4, output_delta
from bpkit.activations import get_activation
from bpkit.data import two_moons
from bpkit.losses import get_loss
from bpkit.network import Layers

from . import FunctionExercise, Mistake, format_value, make_check, register

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


def _wrong(use_a_l=False, wrong_W=False, output_act=False):
    def backward(net, cache, Y):
        L = net.L
        delta = output_delta(cache.z[L], cache.a[L], Y, net.output, net.loss_fn)
        dW, db = {}, {}
        for l in range(L, 0, -1):
            db[l] = bp3(delta)
            dW[l] = bp4(delta, cache.a[l] if use_a_l else cache.a[l - 1])
            if l > 1:
                delta = bp2(net.W[l - 1] if wrong_W else net.W[l], delta, cache.z[l - 1],
                            net.output if output_act else net.activation)
        return dW, db
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
                _wrong(use_a_l=True)),
        Mistake("wrong_W_in_bp2", "BP2 carries delta^(l+1) back across the weights that "
                "consumed a^l, namely W^(l+1); to get delta^(l-1) from delta^l use W^l "
                "(net.W[l]), not W^(l-1).",
                _wrong(wrong_W=True)),
        Mistake("output_activation_in_bp2", "BP2 multiplies by sigma'(z^l) of the hidden "
                "layer l, whose activation is net.activation; you used the output layer's "
                "activation (net.output).",
                _wrong(output_act=True)),
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
