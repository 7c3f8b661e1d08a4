SOLUTIONS = {
    "estimate_delta": '''def estimate_delta(C, z, j, eps):
    plus, minus = z.copy(), z.copy()
    plus[j] += eps
    minus[j] -= eps
    return (C(plus) - C(minus)) / (2 * eps)
''',
}

MISTAKES = {
    "estimate_delta": {
        "one_sided": "def estimate_delta(C, z, j, eps):\n    plus = z.copy()\n    plus[j] += eps\n    return (C(plus) - C(z)) / eps\n",
        "divide_by_eps": "def estimate_delta(C, z, j, eps):\n    plus, minus = z.copy(), z.copy()\n    plus[j] += eps\n    minus[j] -= eps\n    return (C(plus) - C(minus)) / eps\n",
    },
}

WRONG_VALUES = {}
