_HEAD = ("def backward(net, cache, Y):\n    L = net.L\n"
         "    delta = output_delta(cache.z[L], cache.a[L], Y, net.output, net.loss_fn)\n"
         "    dW, db = {}, {}\n")


def _backward(loop):
    return _HEAD + loop + "    return dW, db\n"


CATALOGUE = {
    "backward": [
        ("a_of_layer_l_in_bp4", _backward(
            "    for l in range(L, 0, -1):\n        db[l] = bp3(delta)\n"
            "        dW[l] = bp4(delta, cache.a[l])\n        if l > 1:\n"
            "            delta = bp2(net.W[l], delta, cache.z[l - 1], net.activation)\n")),
        ("W_of_layer_below_in_bp2", _backward(
            "    for l in range(L, 0, -1):\n        db[l] = bp3(delta)\n"
            "        dW[l] = bp4(delta, cache.a[l - 1])\n        if l > 1:\n"
            "            delta = bp2(net.W[l - 1], delta, cache.z[l - 1], net.activation)\n")),
        ("output_activation_in_bp2", _backward(
            "    for l in range(L, 0, -1):\n        db[l] = bp3(delta)\n"
            "        dW[l] = bp4(delta, cache.a[l - 1])\n        if l > 1:\n"
            "            delta = bp2(net.W[l], delta, cache.z[l - 1], net.output)\n")),
        ("keys_from_zero", _backward(
            "    for l in range(L, 0, -1):\n        db[l - 1] = bp3(delta)\n"
            "        dW[l - 1] = bp4(delta, cache.a[l - 1])\n        if l > 1:\n"
            "            delta = bp2(net.W[l], delta, cache.z[l - 1], net.activation)\n")),
        ("z_of_layer_l_in_bp2", _backward(
            "    for l in range(L, 0, -1):\n        db[l] = bp3(delta)\n"
            "        dW[l] = bp4(delta, cache.a[l - 1])\n        if l > 1:\n"
            "            delta = bp2(net.W[l], delta, cache.z[l], net.activation)\n")),
        ("no_bp2", _backward(
            "    for l in range(L, 0, -1):\n        db[l] = bp3(delta)\n"
            "        dW[l] = bp4(delta, cache.a[l - 1])\n")),
        ("bias_without_mean", _backward(
            "    for l in range(L, 0, -1):\n        db[l] = delta.sum(axis=1, keepdims=True)\n"
            "        dW[l] = bp4(delta, cache.a[l - 1])\n        if l > 1:\n"
            "            delta = bp2(net.W[l], delta, cache.z[l - 1], net.activation)\n")),
    ],
    "train": [
        ("no_hidden_layer",
         "def train(X, Y):\n    net = Network([2, 1], loss='binary_cross_entropy', seed=0)\n"
         "    net.fit(X, Y, epochs=100, batch_size=16, lr=0.5, progress=False)\n    return net\n"),
        ("too_few_epochs",
         "def train(X, Y):\n    net = Network([2, 8, 1], loss='binary_cross_entropy', seed=0)\n"
         "    net.fit(X, Y, epochs=1, batch_size=200, lr=0.1, progress=False)\n    return net\n"),
        ("returns_history",
         "def train(X, Y):\n    net = Network([2, 16, 1], activation='tanh', loss='binary_cross_entropy', seed=0)\n"
         "    return net.fit(X, Y, epochs=100, batch_size=16, lr=0.5, progress=False)\n"),
        ("forgot_return",
         "def train(X, Y):\n    net = Network([2, 16, 1], activation='tanh', loss='binary_cross_entropy', seed=0)\n"
         "    net.fit(X, Y, epochs=100, batch_size=16, lr=0.5, progress=False)\n"),
        ("two_outputs",
         "def train(X, Y):\n    net = Network([2, 16, 2], activation='tanh', seed=0)\n"
         "    net.fit(X, Y, epochs=100, batch_size=16, lr=0.5, progress=False)\n    return net\n"),
    ],
    "cache_nbytes": [
        ("counts_input",
         "def cache_nbytes(sizes, m, itemsize):\n    return int((sizes[0] + 2 * sum(sizes[1:])) * m * itemsize)\n"),
        ("activations_only",
         "def cache_nbytes(sizes, m, itemsize):\n    return int(sum(sizes[1:]) * m * itemsize)\n"),
        ("entries_not_bytes",
         "def cache_nbytes(sizes, m, itemsize):\n    return int(2 * m * sum(sizes[1:]))\n"),
        ("one_example",
         "def cache_nbytes(sizes, m, itemsize):\n    return int(2 * sum(sizes[1:]) * itemsize)\n"),
        ("weights_counted",
         "def cache_nbytes(sizes, m, itemsize):\n    total = 0\n    for l in range(1, len(sizes)):\n"
         "        total += sizes[l] * sizes[l - 1] + sizes[l]\n    return int(total * itemsize)\n"),
        ("bits_not_bytes",
         "def cache_nbytes(sizes, m, itemsize):\n    return int(2 * m * sum(sizes[1:]) * itemsize * 8)\n"),
        ("index_shift",
         "def cache_nbytes(sizes, m, itemsize):\n    return int(2 * m * sum(sizes[:-1]) * itemsize)\n"),
    ],
}
