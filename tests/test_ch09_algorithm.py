"""Chapter 9's claims: the cache's memory formula, checkpointed gradients equal to
Network.backward with the memory the chapter counts, the backward pass's dependence on the
whole forward pass, the training explorer's stored views, and the hand-fitting exercise."""
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bpkit import BpkitError, Network
from bpkit.checkpoint import checkpointed_backward
from bpkit.exercises.ch09 import _cache_nbytes, _judge_hand
from bpkit.explorers import training as T


@settings(max_examples=40)
@given(st.lists(st.integers(1, 40), min_size=2, max_size=7), st.integers(1, 50),
       st.sampled_from([np.float32, np.float64]))
def test_cache_nbytes_is_two_arrays_of_n_l_by_m_per_layer(sizes, m, dtype):
    net = Network(sizes, dtype=dtype, seed=0)
    cache = net.forward(np.ones((sizes[0], m)))
    itemsize = np.dtype(dtype).itemsize
    assert cache.nbytes == 2 * m * sum(sizes[1:]) * itemsize, \
        "Cache.nbytes should be 2 m (n_1 + ... + n_L) x itemsize: z^l and a^l for l = 1..L"
    assert _cache_nbytes(np.array(sizes), m, itemsize) == cache.nbytes


@settings(max_examples=30)
@given(st.lists(st.integers(1, 6), min_size=2, max_size=8),
       st.sampled_from(["sigmoid", "tanh", "relu"]),
       st.sampled_from(["quadratic", "cross_entropy", "binary_cross_entropy"]),
       st.integers(1, 5), st.data())
def test_checkpointed_gradients_equal_network_backward(sizes, act, loss, m, data):
    if loss == "binary_cross_entropy":
        sizes[-1] = 1
    net = Network(sizes, activation=act, loss=loss, seed=len(sizes))
    rng = np.random.default_rng(m)
    X = rng.standard_normal((sizes[0], m))
    Y = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], m)] if loss != "quadratic" \
        else rng.standard_normal((sizes[-1], m))
    k = data.draw(st.integers(1, net.L))
    plain = net.backward(net.forward(X), Y)
    run = checkpointed_backward(net, X, Y, k)
    for l in range(1, net.L + 1):
        assert np.array_equal(run.grads.dW[l], plain.dW[l]), f"layer {l}: dW differs, k = {k}"
        assert np.array_equal(run.grads.db[l], plain.db[l]), f"layer {l}: db differs, k = {k}"
    top = (net.L - 1) // k * k
    assert run.recomputed_layers == top, "every layer below the top segment runs twice"


@pytest.mark.parametrize("L", [1, 2, 4, 6, 12, 16])
def test_checkpoint_peak_memory_follows_the_chapter_count(L):
    n, m = 5, 3
    net = Network([n] * (L + 1), activation="tanh", seed=0)
    X, Y = np.ones((n, m)), np.zeros((n, m))
    unit = n * m * 8
    for k in range(1, L + 1):
        run = checkpointed_backward(net, X, Y, k)
        segments = math.ceil(L / k)
        top = L - (segments - 1) * k
        lower = 2 * k - 1 if segments > 1 else 0
        # checkpoints above a^0, plus the larger of the top segment and a recomputed one
        expected = max((segments - 1) + 2 * top, (segments - 1) + lower)
        assert run.peak_bytes == expected * unit, f"L = {L}, k = {k}"
        if L % k == 0:
            assert run.peak_bytes == (L // k - 1 + 2 * k) * unit
    assert checkpointed_backward(net, X, Y, L).peak_bytes == net.forward(X).nbytes
    if L == 16:
        assert [checkpointed_backward(net, X, Y, k).peak_bytes // unit for k in (3, 4)] == [10, 11]


def test_checkpoint_refuses_a_bad_segment_length():
    net = Network([2, 3, 1], seed=0)
    for k in (0, 3, 1.5):
        with pytest.raises(BpkitError, match="segment length"):
            checkpointed_backward(net, np.ones((2, 1)), np.ones((1, 1)), k)


def test_the_first_layers_error_depends_on_the_last_layers_weights():
    net = Network([2, 3, 3, 1], activation="sigmoid", seed=5)
    x, y = np.array([[0.8], [-0.4]]), np.array([[1.0]])
    before = net.deltas(net.forward(x), y)[1]
    net.W[3] = net.W[3] * 2.0
    assert not np.allclose(before, net.deltas(net.forward(x), y)[1])


def test_training_explorer_stores_the_true_loss_and_accuracy_of_every_state():
    ex = T.training_explorer()
    assert len(ex.states) == len(T.FRAMES) * len(T.ACTIVATIONS) * len(T.WIDTHS) * len(T.RATES)
    X, Y = T.moons()
    for act in T.ACTIVATIONS:
        for width in T.WIDTHS:
            for lr in T.RATES:
                net, done = T.make_network(act, width), 0   # trained again, independently
                for epoch in T.FRAMES:
                    net.fit(X, Y, epochs=epoch - done, batch_size=T.BATCH, lr=lr,
                            progress=False) if epoch > done else None
                    done = epoch
                    view = ex.state(epoch=epoch, activation=act, width=width, lr=lr).value
                    loss, acc = re.search(r"the loss is <b>([0-9.]+)</b> and the training "
                                          r"accuracy <b>([0-9.]+)%</b>", view).groups()
                    assert abs(float(loss) - net.loss(X, Y)) < 6e-5
                    assert abs(float(acc) / 100 - net.accuracy(X, Y)) < 6e-4


def test_the_narrow_relu_network_at_rate_3_has_a_dead_second_layer():
    net = T.network_at("relu", 3, 3.0, T.FRAMES[-1])
    z2 = net.forward(T.moons()[0]).z[2]
    assert np.all(z2 <= 0), "the chapter says all three units of layer 2 end up dead"


def test_hand_weights_judge():
    good = {"W1": [[10, 10], [10, 10]], "b1": [-5, -15], "W2": [[10, -10]], "b2": [-5]}
    assert _judge_hand(good)[0] == 1
    soft = {"W1": [[2, 2], [2, 2]], "b1": [-1, -3], "W2": [[4, -4]], "b2": [-1]}
    assert _judge_hand(soft)[0] < 1
    flat = {"W1": [[0, 0], [0, 0]], "b1": [0, 0], "W2": [[0, 0]], "b2": [0]}
    assert _judge_hand(flat)[0] == 0
    assert _judge_hand(dict(good, b2=[-50]))[0] == 0   # outside the sliders' range
