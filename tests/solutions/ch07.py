SOLUTIONS = {
    "bp2": '''def bp2(W_next, delta_next, z):
    return (W_next.T @ delta_next) * sigmoid_prime(z)
''',
}

MISTAKES = {
    "bp2": {
        "missing_transpose": "def bp2(W_next, delta_next, z):\n    return (W_next @ delta_next) * sigmoid_prime(z)\n",
        "sigma_not_prime": "def bp2(W_next, delta_next, z):\n    return (W_next.T @ delta_next) * sigmoid(z)\n",
        "missing_sigma_prime": "def bp2(W_next, delta_next, z):\n    return W_next.T @ delta_next\n",
        "missing_transpose_no_prime": "def bp2(W_next, delta_next, z):\n    return W_next @ delta_next\n",
    },
}

WRONG_VALUES = {}
