_SHAPES = "    shapes = [(dims[i], dims[i - 1]) for i in range(len(dims) - 1, 0, -1)]\n"


def _cost(shapes, body):
    return ("def order_cost(dims, steps):\n" + shapes + "    total = 0\n    for k in steps:\n"
            "        (p, q), (_, r) = shapes[k], shapes[k + 1]\n" + body + "    return int(total)\n")


_BEST = ("def best_cost(dims):\n    n = [int(d) for d in dims]\n    L = len(n) - 1\n"
         "    best = {(i, i + 1): 0 for i in range(L)}\n    for length in range(2, L + 1):\n"
         "        for i in range(L - length + 1):\n            j = i + length\n")

CATALOGUE = {
    "order_cost": [
        ("no_inner_size", _cost(_SHAPES, "        total += p * r\n        shapes[k:k + 2] = [(p, r)]\n")),
        ("shapes_transposed", _cost(
            "    shapes = [(dims[i - 1], dims[i]) for i in range(len(dims) - 1, 0, -1)]\n",
            "        total += p * q * r\n        shapes[k:k + 2] = [(p, r)]\n")),
        ("row_not_updated", _cost(_SHAPES, "        total += p * q * r\n")),
        ("numbered_from_right", _cost(
            "    shapes = [(dims[i + 1], dims[i]) for i in range(len(dims) - 1)]\n",
            "        total += p * q * r\n        shapes[k:k + 2] = [(p, r)]\n")),
        ("adds_sizes", _cost(_SHAPES, "        total += p + q + r\n        shapes[k:k + 2] = [(p, r)]\n")),
        ("product_shape_wrong", _cost(_SHAPES, "        total += p * q * r\n        shapes[k:k + 2] = [(p, q)]\n")),
    ],
    "best_cost": [
        ("modes_only",
         "def best_cost(dims):\n    n = [int(d) for d in dims]\n    L = len(n) - 1\n"
         "    reverse = sum(n[L] * n[k] * n[k - 1] for k in range(1, L))\n"
         "    forward = sum(n[k + 1] * n[k] * n[0] for k in range(1, L))\n    return min(reverse, forward)\n"),
        ("greedy",
         "def best_cost(dims):\n    n = [int(d) for d in dims]\n    total = 0\n    while len(n) > 2:\n"
         "        k = min(range(1, len(n) - 1), key=lambda k: n[k - 1] * n[k] * n[k + 1])\n"
         "        total += n[k - 1] * n[k] * n[k + 1]\n        del n[k]\n    return total\n"),
        ("max_not_min", _BEST + "            best[i, j] = max(best[i, k] + best[k, j] + n[j] * n[k] * n[i]\n"
         "                             for k in range(i + 1, j))\n    return best[0, L]\n"),
        ("no_split_cost", _BEST + "            best[i, j] = min(best[i, k] + best[k, j] for k in range(i + 1, j))\n"
         "    return best[0, L]\n"),
        ("split_range_includes_ends", _BEST + "            best[i, j] = min(best[i, k] + best[k, j] + n[j] * n[k] * n[i]\n"
         "                             for k in range(i, j + 1))\n    return best[0, L]\n"),
        ("reverse_mode_only",
         "def best_cost(dims):\n    n = [int(d) for d in dims]\n    L = len(n) - 1\n"
         "    return sum(n[L] * n[k] * n[k - 1] for k in range(1, L))\n"),
    ],
    "tanh_vjp": [
        ("sigma_not_prime", "def tanh_vjp(z, g):\n    return g * np.tanh(z)\n"),
        ("forgot_g", "def tanh_vjp(z, g):\n    return 1 - np.tanh(z) ** 2\n"),
        ("z_used_as_a", "def tanh_vjp(z, g):\n    return g * (1 - z ** 2)\n"),
        ("sigmoid_slope", "def tanh_vjp(z, g):\n    s = sigmoid(z)\n    return g * s * (1 - s)\n"),
        ("matrix_product", "def tanh_vjp(z, g):\n    return (1 - np.tanh(z) ** 2).T @ g\n"),
        ("negated", "def tanh_vjp(z, g):\n    return g * (np.tanh(z) ** 2 - 1)\n"),
        ("no_square", "def tanh_vjp(z, g):\n    return g * (1 - np.tanh(z))\n"),
    ],
    "jvp_layers": [
        ("sigma_not_prime",
         "def jvp_layers(W1, b1, W2, b2, x, xdot):\n    a, adot = x, xdot\n"
         "    for W, b in ((W1, b1), (W2, b2)):\n        z, zdot = W @ a + b, W @ adot\n"
         "        a = sigmoid(z)\n        adot = a * zdot\n    return a, adot\n"),
        ("bias_in_tangent",
         "def jvp_layers(W1, b1, W2, b2, x, xdot):\n    a, adot = x, xdot\n"
         "    for W, b in ((W1, b1), (W2, b2)):\n        z, zdot = W @ a + b, W @ adot + b\n"
         "        a = sigmoid(z)\n        adot = a * (1 - a) * zdot\n    return a, adot\n"),
        ("no_slope_in_tangent",
         "def jvp_layers(W1, b1, W2, b2, x, xdot):\n    z1 = W1 @ x + b1\n    a1 = sigmoid(z1)\n"
         "    z2 = W2 @ a1 + b2\n    a2 = sigmoid(z2)\n    return a2, W2 @ (W1 @ xdot)\n"),
        ("transposed_weights",
         "def jvp_layers(W1, b1, W2, b2, x, xdot):\n    a, adot = x, xdot\n"
         "    for W, b in ((W1, b1), (W2, b2)):\n        z, zdot = W @ a + b, W.T @ adot\n"
         "        a = sigmoid(z)\n        adot = a * (1 - a) * zdot\n    return a, adot\n"),
        ("slope_of_layer_1_twice",
         "def jvp_layers(W1, b1, W2, b2, x, xdot):\n    a1 = sigmoid(W1 @ x + b1)\n    s1 = a1 * (1 - a1)\n"
         "    a1dot = s1 * (W1 @ xdot)\n    a2 = sigmoid(W2 @ a1 + b2)\n    return a2, s1 * (W2 @ a1dot)\n"),
        ("stops_after_layer_1",
         "def jvp_layers(W1, b1, W2, b2, x, xdot):\n    a1 = sigmoid(W1 @ x + b1)\n"
         "    a1dot = a1 * (1 - a1) * (W1 @ xdot)\n    a2 = sigmoid(W2 @ a1 + b2)\n    return a2, a1dot\n"),
        ("pair_swapped",
         "def jvp_layers(W1, b1, W2, b2, x, xdot):\n    a, adot = x, xdot\n"
         "    for W, b in ((W1, b1), (W2, b2)):\n        z, zdot = W @ a + b, W @ adot\n"
         "        a = sigmoid(z)\n        adot = a * (1 - a) * zdot\n    return adot, a\n"),
    ],
}
