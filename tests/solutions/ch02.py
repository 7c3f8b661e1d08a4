SOLUTIONS = {
    "layer_forward": '''def layer_forward(W, b, a_prev):
    return sigmoid(W @ a_prev + b)
''',
    "layer_shapes": '''def layer_shapes(sizes, m):
    return [((sizes[l], sizes[l - 1]), (sizes[l], m)) for l in range(1, len(sizes))]
''',
}

MISTAKES = {
    "layer_forward": {
        "transpose": "def layer_forward(W, b, a_prev):\n    return sigmoid(W.T @ a_prev + b)\n",
        "no_bias": "def layer_forward(W, b, a_prev):\n    return sigmoid(W @ a_prev)\n",
        "no_sigma": "def layer_forward(W, b, a_prev):\n    return W @ a_prev + b\n",
    },
    "layer_shapes": {
        "W_swapped": "def layer_shapes(sizes, m):\n    return [((sizes[l - 1], sizes[l]), (sizes[l], m)) for l in range(1, len(sizes))]\n",
        "z_transposed": "def layer_shapes(sizes, m):\n    return [((sizes[l], sizes[l - 1]), (m, sizes[l])) for l in range(1, len(sizes))]\n",
        "from_zero": "def layer_shapes(sizes, m):\n    out = [((sizes[0], sizes[0]), (sizes[0], m))]\n    return out + [((sizes[l], sizes[l - 1]), (sizes[l], m)) for l in range(1, len(sizes))]\n",
    },
}

WRONG_VALUES = {}
