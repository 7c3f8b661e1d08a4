SOLUTIONS = {
    "bp3": '''def bp3(delta):
    return delta.mean(axis=1, keepdims=True)
''',
    "bp4": '''def bp4(delta, a_prev):
    return delta @ a_prev.T / delta.shape[1]
''',
}

MISTAKES = {
    "bp3": {
        "wrong_axis": "def bp3(delta):\n    return delta.mean(axis=0, keepdims=True)\n",
        "wrong_axis_flat": "def bp3(delta):\n    return delta.sum(axis=0) / delta.shape[1]\n",
        "no_mean": "def bp3(delta):\n    return delta.sum(axis=1, keepdims=True)\n",
    },
    "bp4": {
        "transposed": "def bp4(delta, a_prev):\n    return a_prev @ delta.T / delta.shape[1]\n",
        "no_mean": "def bp4(delta, a_prev):\n    return delta @ a_prev.T\n",
        "elementwise": "def bp4(delta, a_prev):\n    return delta * a_prev / delta.shape[1]\n",
    },
}

WRONG_VALUES = {}
