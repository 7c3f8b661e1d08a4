r"""Checkpointing (chapter 9): keep every k-th activation, recompute the rest when needed.

The backward pass needs, for every layer, $z^l$ (BP2 takes $\sigma'(z^l)$) and $a^{l-1}$
(BP4 takes it), so :meth:`bpkit.Network.forward` keeps all of them: $2\sum_l n_l m$ numbers
for a batch of $m$ (``Cache.nbytes``). Checkpointing trades that memory for time. The layers
are cut into segments of ``k`` layers; the forward pass keeps only the activation that
enters each segment (its *checkpoint*) and the values of the top segment. When the backward
pass reaches a lower segment it recomputes that segment's $z$ and $a$ from its checkpoint,
uses them and lets them go.

For a network of ``L`` layers of one width ``n`` the forward values held at the peak are
``(ceil(L/k) - 1) + 2k`` arrays of shape ``(n, m)`` (the checkpoints above $a^0$, and the top
segment's $z$ and $a$), against ``2L`` without checkpointing, at the price of recomputing
the ``L - k`` layers below the top segment: one extra forward pass, nearly, whatever ``k``.
``k`` near $\sqrt{L}$ makes the memory grow like $\sqrt{L}$ instead of $L$.
"""
from dataclasses import dataclass

from .backprop import bp2, bp3, bp4, output_delta
from .errors import BpkitError
from .network import Gradients, Layers


@dataclass
class CheckpointedRun:
    """What :func:`checkpointed_backward` returns.

    ``grads`` are the gradients of the mean loss (the same as ``net.backward``);
    ``peak_bytes`` is the most memory that forward values ($z$, $a$ above the input) held at
    any moment; ``recomputed_layers`` counts the layers whose forward step ran twice.
    """

    grads: Gradients
    peak_bytes: int
    recomputed_layers: int


def checkpointed_backward(net, X, Y, k):
    r"""The gradients of ``net`` on the batch ``X, Y``, keeping only every ``k``-th activation.

    Segment ``s`` holds layers ``s*k + 1 .. min((s+1)*k, L)``; its checkpoint is the
    activation $a^{sk}$ that enters it. The forward pass keeps the checkpoints and the whole
    top segment; the backward pass walks the segments from the top, recomputes each lower
    segment from its checkpoint, and inside a segment applies BP1 (top segment only), BP2,
    BP3 and BP4 exactly as :meth:`bpkit.Network.backward` does. ``X`` is ``(n_0, m)``,
    ``Y`` is ``(n_L, m)``; ``1 <= k <= L``. Returns a :class:`CheckpointedRun`.
    """
    L = net.L
    if not (isinstance(k, int) and 1 <= k <= L):
        raise BpkitError(f"the segment length k must be a whole number from 1 to L = {L}; "
                         f"received {k!r}")
    X = net._inputs(X)
    Y = net._targets(Y, X.shape[1])
    starts = list(range(0, L, k))          # a^start enters the segment start+1 .. start+k
    held = {}                              # every forward value kept, by name: ("a", l), ("z", l)
    peak = 0

    def keep(name, value):
        nonlocal peak
        held[name] = value
        if name != ("a", 0):               # the input is the caller's, as in Cache.nbytes
            peak = max(peak, sum(v.nbytes for key, v in held.items() if key != ("a", 0)))

    # Forward: keep each segment's checkpoint, and every z and a of the top segment.
    top = starts[-1]
    a = X
    keep(("a", 0), a)
    for l in range(1, L + 1):
        z = net.W[l] @ a + net.b[l]
        a = net.activation_of(l).f(z)
        if l > top:
            keep(("z", l), z)
        if l in starts or l > top:
            keep(("a", l), a)

    dW, db, recomputed = {}, {}, 0
    delta = None                           # delta^(stop+1), carried down from the segment above
    for start in reversed(starts):
        stop = min(start + k, L)
        if start != top:
            # Recompute the segment from its checkpoint: z^l for l = start+1..stop, and a^l
            # below stop (a^stop is the checkpoint of the segment above, still held).
            a = held[("a", start)]
            for l in range(start + 1, stop + 1):
                z = net.W[l] @ a + net.b[l]
                keep(("z", l), z)
                if l < stop:
                    a = net.activation_of(l).f(z)
                    keep(("a", l), a)
                recomputed += 1
        for l in range(stop, start, -1):
            if l == L:
                delta = output_delta(held[("z", L)], held[("a", L)], Y, net.output,
                                     net.loss_fn)                                    # BP1
            else:
                delta = bp2(net.W[l + 1], delta, held[("z", l)], net.activation,
                            a=held.get(("a", l)), layer=l)                          # BP2
            db[l] = bp3(delta, layer=l)                                             # BP3
            dW[l] = bp4(delta, held[("a", l - 1)], layer=l)                         # BP4
            # Done with layer l: its z, and a^l (BP4 of layer l+1 has used it already).
            held.pop(("z", l))
            held.pop(("a", l), None)
    grads = Gradients(Layers("dW", 1, [dW[l] for l in range(1, L + 1)]),
                      Layers("db", 1, [db[l] for l in range(1, L + 1)]))
    return CheckpointedRun(grads, peak, recomputed)
