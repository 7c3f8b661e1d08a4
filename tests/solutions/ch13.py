SOLUTIONS = {
    "order_cost": '''def order_cost(dims, steps):
    shapes = [(dims[i], dims[i - 1]) for i in range(len(dims) - 1, 0, -1)]
    total = 0
    for k in steps:
        (p, q), (_, r) = shapes[k], shapes[k + 1]
        total += p * q * r
        shapes[k:k + 2] = [(p, r)]
    return int(total)
''',
    "best_cost": '''def best_cost(dims):
    n = [int(d) for d in dims]
    L = len(n) - 1
    best = {(i, i + 1): 0 for i in range(L)}
    for length in range(2, L + 1):
        for i in range(L - length + 1):
            j = i + length
            best[i, j] = min(best[i, k] + best[k, j] + n[j] * n[k] * n[i]
                             for k in range(i + 1, j))
    return best[0, L]
''',
    "tanh_vjp": '''def tanh_vjp(z, g):
    a = np.tanh(z)
    return g * (1 - a * a)
''',
    "jvp_layers": '''def jvp_layers(W1, b1, W2, b2, x, xdot):
    a, adot = x, xdot
    for W, b in ((W1, b1), (W2, b2)):
        z, zdot = W @ a + b, W @ adot
        a = sigmoid(z)
        adot = a * (1 - a) * zdot
    return a, adot
''',
}

_ORDER = '''def order_cost(dims, steps):
    shapes = SHAPES
    total = 0
    for k in steps:
        (p, q), (_, r) = shapes[k], shapes[k + 1]
        total += COST
        shapes[k:k + 2] = [NEW]
    return int(total)
'''
_SHAPES = "[(dims[i], dims[i - 1]) for i in range(len(dims) - 1, 0, -1)]"


def _order(shapes=_SHAPES, cost="p * q * r", new="(p, r)"):
    return _ORDER.replace("SHAPES", shapes).replace("COST", cost).replace("NEW", new)


_JVP = '''def jvp_layers(W1, b1, W2, b2, x, xdot):
    a, adot = x, xdot
    for W, b in ((W1, b1), (W2, b2)):
        z, zdot = W @ a + b, ZDOT
        a = sigmoid(z)
        adot = ADOT
    return a, adot
'''


def _jvp(zdot="W @ adot", adot="a * (1 - a) * zdot"):
    return _JVP.replace("ZDOT", zdot).replace("ADOT", adot)


MISTAKES = {
    "order_cost": {
        "no_inner": _order(cost="p * r"),
        "transposed": _order(shapes="[(dims[i - 1], dims[i]) for i in range(len(dims) - 1, 0, -1)]"),
        "stale_shape": _order(new="(p, q)"),
    },
    "best_cost": {
        "modes_only": '''def best_cost(dims):
    n = [int(d) for d in dims]
    L = len(n) - 1
    forward = sum(n[i] * n[i - 1] * n[0] for i in range(2, L + 1))
    reverse = sum(n[L] * n[i + 1] * n[i] for i in range(L - 1))
    return min(forward, reverse)
''',
        "greedy": '''def best_cost(dims):
    shapes = [(int(dims[i]), int(dims[i - 1])) for i in range(len(dims) - 1, 0, -1)]
    total = 0
    while len(shapes) > 1:
        costs = [shapes[k][0] * shapes[k][1] * shapes[k + 1][1] for k in range(len(shapes) - 1)]
        k = costs.index(min(costs))
        total += costs[k]
        shapes[k:k + 2] = [(shapes[k][0], shapes[k + 1][1])]
    return total
''',
    },
    "tanh_vjp": {
        "sigma_not_prime": "def tanh_vjp(z, g):\n    return g * np.tanh(z)\n",
        "forgot_g": "def tanh_vjp(z, g):\n    return 1 - np.tanh(z) ** 2\n",
        "z_not_tanh": "def tanh_vjp(z, g):\n    return g * (1 - z ** 2)\n",
        "sigmoid_slope": "def tanh_vjp(z, g):\n    s = sigmoid(z)\n    return g * s * (1 - s)\n",
    },
    "jvp_layers": {
        "sigma_not_prime": _jvp(adot="a * zdot"),
        "transposed": _jvp(zdot="W.T @ adot").replace("W @ a + b", "W.T @ a + b"),
        "bias_in_tangent": _jvp(zdot="W @ adot + b"),
        "forgot_tangent": _jvp(adot="a * (1 - a)"),
    },
}

WRONG_VALUES = {}

MISTAKES["tanh_vjp"]["no_square"] = "def tanh_vjp(z, g):\n    a = np.tanh(z)\n    return g * (1 - a)\n"
