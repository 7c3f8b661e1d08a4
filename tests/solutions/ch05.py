SOLUTIONS = {
    "estimate_delta": '''def estimate_delta(C, z, j, eps):
    plus, minus = z.copy(), z.copy()
    plus[j - 1] += eps               # unit j is row j - 1
    minus[j - 1] -= eps
    return (C(plus) - C(minus)) / (2 * eps)
''',
    "best_nudge": '''def best_nudge(delta, eps):
    row = int(np.argmax(np.abs(delta)))
    return row + 1, -eps * np.sign(delta[row, 0])
''',
}

MISTAKES = {
    "estimate_delta": {
        "one_sided": "def estimate_delta(C, z, j, eps):\n    plus = z.copy()\n    plus[j - 1] += eps\n    return (C(plus) - C(z)) / eps\n",
        "divide_by_eps": "def estimate_delta(C, z, j, eps):\n    plus, minus = z.copy(), z.copy()\n    plus[j - 1] += eps\n    minus[j - 1] -= eps\n    return (C(plus) - C(minus)) / eps\n",
        "zero_based": "def estimate_delta(C, z, j, eps):\n    plus, minus = z.copy(), z.copy()\n    plus[j] += eps\n    minus[j] -= eps\n    return (C(plus) - C(minus)) / (2 * eps)\n",
    },
    "best_nudge": {
        "uphill": "def best_nudge(delta, eps):\n    row = int(np.argmax(np.abs(delta)))\n    return row + 1, eps * np.sign(delta[row, 0])\n",
        "largest_delta": "def best_nudge(delta, eps):\n    row = int(np.argmax(delta))\n    return row + 1, -eps * np.sign(delta[row, 0])\n",
        "zero_based": "def best_nudge(delta, eps):\n    row = int(np.argmax(np.abs(delta)))\n    return row, -eps * np.sign(delta[row, 0])\n",
    },
}

WRONG_VALUES = {}
