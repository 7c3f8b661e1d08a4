SOLUTIONS = {
    "layer_forward": '''def layer_forward(W, b, a_prev):
    return sigmoid(W @ a_prev + b)
''',
    "layer_shapes": '''def layer_shapes(sizes, m):
    return [((sizes[l], sizes[l - 1]), (sizes[l], m)) for l in range(1, len(sizes))]
''',
    "unit_z": '''def unit_z(W, b, A_prev, j):
    row = j - 1                      # unit j is numpy row j - 1
    return W[row] @ A_prev + b[row, 0]
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
    "unit_z": {
        "zero_based": "def unit_z(W, b, A_prev, j):\n    return W[j] @ A_prev + b[j, 0]\n",
        "column": "def unit_z(W, b, A_prev, j):\n    return W[:, j - 1] @ A_prev + b[j - 1, 0]\n",
        "no_bias": "def unit_z(W, b, A_prev, j):\n    return (W @ A_prev)[j - 1]\n",
        "activation": "def unit_z(W, b, A_prev, j):\n    return sigmoid(W[j - 1] @ A_prev + b[j - 1])\n",
    },
}

WRONG_VALUES = {}
