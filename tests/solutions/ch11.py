SOLUTIONS = {
    "vectorised_grads": '''def vectorised_grads(Delta, A_prev):
    m = Delta.shape[1]
    return Delta @ A_prev.T / m, Delta.sum(axis=1, keepdims=True) / m
''',
}

_V = "def vectorised_grads(Delta, A_prev):\n    m = Delta.shape[1]\n    return {}\n"

MISTAKES = {
    "vectorised_grads": {
        "no_mean": _V.format("Delta @ A_prev.T, Delta.sum(axis=1, keepdims=True)"),
        "no_mean_dW": _V.format("Delta @ A_prev.T, Delta.sum(axis=1, keepdims=True) / m"),
        "no_mean_db": _V.format("Delta @ A_prev.T / m, Delta.sum(axis=1, keepdims=True)"),
        "bias_wrong_axis": _V.format("Delta @ A_prev.T / m, Delta.mean(axis=0, keepdims=True)"),
        "bias_wrong_axis_flat": _V.format("Delta @ A_prev.T / m, Delta.sum(axis=0) / m"),
        "dW_transposed": _V.format("A_prev @ Delta.T / m, Delta.sum(axis=1, keepdims=True) / m"),
    },
}

WRONG_VALUES = {}
