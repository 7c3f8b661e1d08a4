CATALOGUE = {
    "layer_forward": [
        ("no_bias", "def layer_forward(W, b, a_prev):\n    return sigmoid(W @ a_prev)\n"),
        ("z_not_a", "def layer_forward(W, b, a_prev):\n    z = W @ a_prev + b\n    return z\n"),
        ("W_transposed", "def layer_forward(W, b, a_prev):\n    return sigmoid(W.T @ a_prev + b)\n"),
        ("tanh", "def layer_forward(W, b, a_prev):\n    return np.tanh(W @ a_prev + b)\n"),
        ("m1_only_first_column",
         "def layer_forward(W, b, a_prev):\n    z = W @ a_prev[:, [0]] + b\n    return sigmoid(z)\n"),
        ("bias_subtracted", "def layer_forward(W, b, a_prev):\n    return sigmoid(W @ a_prev - b)\n"),
        ("transposed_rows_per_example",
         "def layer_forward(W, b, a_prev):\n    return sigmoid(a_prev.T @ W.T + b.T)\n"),
        ("slope_not_activation",
         "def layer_forward(W, b, a_prev):\n    s = sigmoid(W @ a_prev + b)\n    return s * (1 - s)\n"),
    ],
    "layer_shapes": [
        ("W_rows_cols_swapped",
         "def layer_shapes(sizes, m):\n    out = []\n    for l in range(1, len(sizes)):\n"
         "        out.append(((sizes[l - 1], sizes[l]), (sizes[l], m)))\n    return out\n"),
        ("misses_last_layer",
         "def layer_shapes(sizes, m):\n"
         "    return [((sizes[l], sizes[l - 1]), (sizes[l], m)) for l in range(1, len(sizes) - 1)]\n"),
        ("z_has_previous_width",
         "def layer_shapes(sizes, m):\n"
         "    return [((sizes[l], sizes[l - 1]), (sizes[l - 1], m)) for l in range(1, len(sizes))]\n"),
        ("includes_layer_0",
         "def layer_shapes(sizes, m):\n"
         "    return [((sizes[l], sizes[l - 1]), (sizes[l], m)) for l in range(len(sizes))]\n"),
        ("z_transposed",
         "def layer_shapes(sizes, m):\n"
         "    return [((sizes[l], sizes[l - 1]), (m, sizes[l])) for l in range(1, len(sizes))]\n"),
        ("hardcoded_statement_example", "def layer_shapes(sizes, m):\n    return [((3, 2), (3, 5))]\n"),
    ],
    "unit_z": [
        ("zero_based_j", "def unit_z(W, b, A_prev, j):\n    return W[j] @ A_prev + b[j, 0]\n"),
        ("column_of_W", "def unit_z(W, b, A_prev, j):\n    return W[:, j - 1] @ A_prev + b[j - 1, 0]\n"),
        ("no_bias", "def unit_z(W, b, A_prev, j):\n    return W[j - 1] @ A_prev\n"),
        ("activation_applied",
         "def unit_z(W, b, A_prev, j):\n    return sigmoid(W[j - 1] @ A_prev + b[j - 1, 0])\n"),
        ("whole_layer_zero_based",
         "def unit_z(W, b, A_prev, j):\n    Z = W @ A_prev + b\n    return Z[j]\n"),
        ("whole_bias_column", "def unit_z(W, b, A_prev, j):\n    return W[j - 1] @ A_prev + b\n"),
        ("m1_only_first_example",
         "def unit_z(W, b, A_prev, j):\n    return W[j - 1] @ A_prev[:, 0] + b[j - 1, 0]\n"),
    ],
}
