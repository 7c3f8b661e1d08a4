SOLUTIONS = {
    "vectorised_grads": '''def vectorised_grads(Delta, A_prev):
    m = Delta.shape[1]
    return Delta @ A_prev.T / m, Delta.sum(axis=1, keepdims=True) / m
''',
    "per_example_norms": '''def per_example_norms(Delta, A_prev):
    # ||u v^T||^2 = sum_jk u_j^2 v_k^2 = ||u||^2 ||v||^2
    return np.sqrt(np.sum(Delta ** 2, axis=0) * (np.sum(A_prev ** 2, axis=0) + 1))
''',
}

_V = "def vectorised_grads(Delta, A_prev):\n    m = Delta.shape[1]\n    return {}\n"
_N = ("def per_example_norms(Delta, A_prev):\n    d = np.linalg.norm(Delta, axis={0})\n"
      "    a = np.linalg.norm(A_prev, axis={0})\n    return {1}\n")

MISTAKES = {
    "vectorised_grads": {
        "no_mean": _V.format("Delta @ A_prev.T, Delta.sum(axis=1, keepdims=True)"),
        "no_mean_dW": _V.format("Delta @ A_prev.T, Delta.sum(axis=1, keepdims=True) / m"),
        "no_mean_db": _V.format("Delta @ A_prev.T / m, Delta.sum(axis=1, keepdims=True)"),
        "bias_wrong_axis": _V.format("Delta @ A_prev.T / m, Delta.mean(axis=0, keepdims=True)"),
        "bias_wrong_axis_flat": _V.format("Delta @ A_prev.T / m, Delta.sum(axis=0) / m"),
        "dW_transposed": _V.format("A_prev @ Delta.T / m, Delta.sum(axis=1, keepdims=True) / m"),
    },
    "per_example_norms": {
        "no_bias": _N.format(0, "d * a"),
        "divided_by_m": _N.format(0, "d * np.sqrt(a ** 2 + 1) / Delta.shape[1]"),
        "norms_added": _N.format(0, "d * a + d"),
        "wrong_axis": _N.format(1, "d * np.sqrt(a ** 2 + 1)"),
        "squared": _N.format(0, "d ** 2 * (a ** 2 + 1)"),
    },
}

WRONG_VALUES = {}
