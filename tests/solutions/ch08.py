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

SOLUTIONS["gain_grads"] = '''def gain_grads(delta, g, W, a_prev):
    m = delta.shape[1]
    dg = np.sum(delta * (W @ a_prev), axis=1, keepdims=True) / m
    dW = (g * delta) @ a_prev.T / m
    return dg, dW
'''

_GAIN = '''def gain_grads(delta, g, W, a_prev):
    m = delta.shape[1]
    dg = DG
    dW = DW
    return dg, dW
'''
_DG = "np.sum(delta * (W @ a_prev), axis=1, keepdims=True) / m"
_DW = "(g * delta) @ a_prev.T / m"

MISTAKES["gain_grads"] = {
    "gain_like_bias": _GAIN.replace("DG", "delta.mean(axis=1, keepdims=True)").replace("DW", _DW),
    "dW_without_gain": _GAIN.replace("DG", _DG).replace("DW", "delta @ a_prev.T / m"),
    "no_mean": _GAIN.replace("DG", _DG.replace(" / m", "")).replace("DW", _DW.replace(" / m", "")),
    "mean_before_product": _GAIN.replace(
        "DG", "delta.mean(axis=1, keepdims=True) * (W @ a_prev).mean(axis=1, keepdims=True)"
    ).replace("DW", _DW),
}
