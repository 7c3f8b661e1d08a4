SOLUTIONS = {
    "backward": '''def backward(net, cache, Y):
    L = net.L
    delta = output_delta(cache.z[L], cache.a[L], Y, net.output, net.loss_fn)  # BP1
    dW, db = {}, {}
    for l in range(L, 0, -1):
        db[l] = bp3(delta)                                                     # BP3
        dW[l] = bp4(delta, cache.a[l - 1])                                     # BP4
        if l > 1:
            delta = bp2(net.W[l], delta, cache.z[l - 1], net.activation)       # BP2
    return dW, db
''',
    "cache_nbytes": '''def cache_nbytes(sizes, m, itemsize):
    return 2 * m * sum(sizes[1:]) * itemsize
''',
    "hand_weights": "hand = hand_weights_widget(W1=[[10, 10], [10, 10]], b1=[-5, -15], "
                    "W2=[[10, -10]], b2=[-5])\n",
    "train": '''def train(X, Y):
    net = Network([2, 16, 1], activation="tanh", loss="binary_cross_entropy", seed=0)
    net.fit(X, Y, epochs=100, batch_size=16, lr=0.5, progress=False)
    return net
''',
}

_BACKWARD = '''def backward(net, cache, Y):
    L = net.L
    delta = output_delta(cache.z[L], cache.a[L], Y, net.output, net.loss_fn)
    dW, db = {}, {}
    for l in range(L, 0, -1):
        db[l] = bp3(delta)
        dW[l] = bp4(delta, A_PREV)
        if l > 1:
            delta = bp2(W_BP2, delta, cache.z[l - 1], net.activation)
    return dW, db
'''

MISTAKES = {
    "backward": {
        "a_l_in_bp4": _BACKWARD.replace("A_PREV", "cache.a[l]").replace("W_BP2", "net.W[l]"),
        "wrong_W_in_bp2": _BACKWARD.replace("A_PREV", "cache.a[l - 1]").replace("W_BP2",
                                                                               "net.W[l - 1]"),
        "output_activation_in_bp2": _BACKWARD.replace("A_PREV", "cache.a[l - 1]").replace(
            "W_BP2, delta, cache.z[l - 1], net.activation",
            "net.W[l], delta, cache.z[l - 1], net.output"),
    },
    "train": {},
}
MISTAKES["backward"]["keys_from_zero"] = '''def backward(net, cache, Y):
    L = net.L
    delta = output_delta(cache.z[L], cache.a[L], Y, net.output, net.loss_fn)
    dW, db = {}, {}
    for l in range(L, 0, -1):
        db[l - 1] = bp3(delta)
        dW[l - 1] = bp4(delta, cache.a[l - 1])
        if l > 1:
            delta = bp2(net.W[l], delta, cache.z[l - 1], net.activation)
    return dW, db
'''

_CACHE = "def cache_nbytes(sizes, m, itemsize):\n    return {}\n"
MISTAKES["cache_nbytes"] = {
    "counts_input": _CACHE.format("m * (2 * sum(sizes[1:]) + sizes[0]) * itemsize"),
    "only_activations": _CACHE.format("m * sum(sizes[1:]) * itemsize"),
    "entries_not_bytes": _CACHE.format("2 * m * sum(sizes[1:])"),
    "no_batch": _CACHE.format("2 * sum(sizes[1:]) * itemsize"),
    "weights": _CACHE.format(
        "sum(sizes[l] * sizes[l - 1] for l in range(1, len(sizes))) * itemsize"),
}

WRONG_VALUES = {
    "hand_weights": ("hand = hand_weights_widget(W1=[[10, 10], [10, 10]], b1=[-5, -5], "
                     "W2=[[10, -10]], b2=[-5])\n", "of 4 points are on the right side"),
    # A network without a hidden layer cannot separate the moons.
    "train": ('''def train(X, Y):
    net = Network([2, 1], loss="binary_cross_entropy", seed=0)
    net.fit(X, Y, epochs=20, batch_size=16, lr=0.5, progress=False)
    return net
''', "Not there yet"),
}

MISTAKES["backward"]["db_no_mean"] = SOLUTIONS["backward"].replace(
    "db[l] = bp3(delta)", "db[l] = np.sum(delta, axis=1, keepdims=True)")
