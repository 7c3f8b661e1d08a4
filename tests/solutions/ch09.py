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

# A network without a hidden layer cannot separate the moons.
WRONG_VALUES = {
    "train": ('''def train(X, Y):
    net = Network([2, 1], loss="binary_cross_entropy", seed=0)
    net.fit(X, Y, epochs=20, batch_size=16, lr=0.5, progress=False)
    return net
''', "Not there yet"),
}
