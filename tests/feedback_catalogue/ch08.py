CATALOGUE = {
    "bp3": [
        ("wrong_axis", "def bp3(delta):\n    return delta.mean(axis=0, keepdims=True)\n"),
        ("flat_vector", "def bp3(delta):\n    return np.mean(delta, axis=1)\n"),
        ("no_mean", "def bp3(delta):\n    return np.sum(delta, axis=1, keepdims=True)\n"),
        ("no_reduction", "def bp3(delta):\n    return delta\n"),
        ("divided_twice",
         "def bp3(delta):\n    m = delta.shape[1]\n    return delta.sum(axis=1, keepdims=True) / m / m\n"),
        ("mean_of_everything", "def bp3(delta):\n    return delta.mean()\n"),
        ("divides_by_n",
         "def bp3(delta):\n    return delta.sum(axis=1, keepdims=True) / delta.shape[0]\n"),
    ],
    "bp4": [
        ("transposed", "def bp4(delta, a_prev):\n    return a_prev @ delta.T / delta.shape[1]\n"),
        ("no_mean", "def bp4(delta, a_prev):\n    return delta @ a_prev.T\n"),
        ("elementwise", "def bp4(delta, a_prev):\n    return delta * a_prev / delta.shape[1]\n"),
        ("m1_only_first_example",
         "def bp4(delta, a_prev):\n    return np.outer(delta[:, 0], a_prev[:, 0])\n"),
        ("divides_by_n", "def bp4(delta, a_prev):\n    return delta @ a_prev.T / delta.shape[0]\n"),
        ("mean_before_product",
         "def bp4(delta, a_prev):\n    return delta.mean(axis=1, keepdims=True) @ a_prev.mean(axis=1, keepdims=True).T\n"),
        ("a_prev_not_transposed", "def bp4(delta, a_prev):\n    return delta @ a_prev / delta.shape[1]\n"),
        ("global_m",
         "m = 5\n\ndef bp4(delta, a_prev):\n    return delta @ a_prev.T / m\n"),
    ],
    "gain_grads": [
        ("gain_like_bias",
         "def gain_grads(delta, g, W, a_prev):\n    m = delta.shape[1]\n"
         "    dg = delta.mean(axis=1, keepdims=True)\n    dW = (g * delta) @ a_prev.T / m\n    return dg, dW\n"),
        ("dW_without_gain",
         "def gain_grads(delta, g, W, a_prev):\n    m = delta.shape[1]\n"
         "    dg = np.sum(delta * (W @ a_prev), axis=1, keepdims=True) / m\n"
         "    dW = delta @ a_prev.T / m\n    return dg, dW\n"),
        ("no_mean",
         "def gain_grads(delta, g, W, a_prev):\n    dg = np.sum(delta * (W @ a_prev), axis=1, keepdims=True)\n"
         "    dW = (g * delta) @ a_prev.T\n    return dg, dW\n"),
        ("dg_wrong_axis",
         "def gain_grads(delta, g, W, a_prev):\n    m = delta.shape[1]\n"
         "    dg = np.sum(delta * (W @ a_prev), axis=0, keepdims=True) / m\n"
         "    dW = (g * delta) @ a_prev.T / m\n    return dg, dW\n"),
        ("gain_on_columns",
         "def gain_grads(delta, g, W, a_prev):\n    m = delta.shape[1]\n"
         "    dg = np.sum(delta * (W @ a_prev), axis=1, keepdims=True) / m\n"
         "    dW = g.T * (delta @ a_prev.T) / m\n    return dg, dW\n"),
        ("mean_before_product",
         "def gain_grads(delta, g, W, a_prev):\n    m = delta.shape[1]\n"
         "    dg = delta.mean(axis=1, keepdims=True) * (W @ a_prev).mean(axis=1, keepdims=True)\n"
         "    dW = (g * delta) @ a_prev.T / m\n    return dg, dW\n"),
        ("pair_swapped",
         "def gain_grads(delta, g, W, a_prev):\n    m = delta.shape[1]\n"
         "    dg = np.sum(delta * (W @ a_prev), axis=1, keepdims=True) / m\n"
         "    dW = (g * delta) @ a_prev.T / m\n    return dW, dg\n"),
    ],
}
