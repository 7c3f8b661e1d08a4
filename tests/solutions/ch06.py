SOLUTIONS = {
    "bp1": '''def bp1(grad_a, z):
    return grad_a * sigmoid_prime(z)
''',
    "softmax_ce_delta": '''def softmax_ce_delta(z, y):
    return softmax(z) - y
''',
    "softplus_poisson_delta": '''def softplus_poisson_delta(z, y):
    a = softplus(z)
    return (1 - y / a) * sigmoid(z)
''',
    "saturation_ratio": "ratio = 1 / sigmoid_prime(4.5)\n",
}

MISTAKES = {
    "bp1": {
        "sigma_not_prime": "def bp1(grad_a, z):\n    return grad_a * sigmoid(z)\n",
        "no_sigma_prime": "def bp1(grad_a, z):\n    return grad_a\n",
        "prime_of_z_directly": "def bp1(grad_a, z):\n    return grad_a * z * (1 - z)\n",
    },
    "softmax_ce_delta": {
        "extra_slope": "def softmax_ce_delta(z, y):\n    a = softmax(z)\n    return (a - y) * a * (1 - a)\n",
        "sign": "def softmax_ce_delta(z, y):\n    return y - softmax(z)\n",
        "grad_a_only": "def softmax_ce_delta(z, y):\n    return -y / softmax(z)\n",
        "z_minus_y": "def softmax_ce_delta(z, y):\n    return z - y\n",
        "softmax_wrong_axis": "def softmax_ce_delta(z, y):\n    e = np.exp(z - z.max(axis=1, keepdims=True))\n    return e / e.sum(axis=1, keepdims=True) - y\n",
    },
    "softplus_poisson_delta": {
        "shortcut": "def softplus_poisson_delta(z, y):\n    return softplus(z) - y\n",
        "no_slope": "def softplus_poisson_delta(z, y):\n    return 1 - y / softplus(z)\n",
        "exp_slope": "def softplus_poisson_delta(z, y):\n    return (1 - y / softplus(z)) * np.exp(z)\n",
        "sign": "def softplus_poisson_delta(z, y):\n    return (y / softplus(z) - 1) * sigmoid(z)\n",
    },
}

WRONG_VALUES = {
    "saturation_ratio": ("ratio = sigmoid_prime(4.5)\n", "the other way round"),
}

MISTAKES["bp1"]["tanh_slope"] = "def bp1(grad_a, z):\n    t = np.tanh(z)\n    return grad_a * (1 - t * t)\n"
MISTAKES["softplus_poisson_delta"]["sigma_prime_slope"] = (
    "def softplus_poisson_delta(z, y):\n    return (1 - y / softplus(z)) * sigmoid_prime(z)\n")
