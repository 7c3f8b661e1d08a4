CATALOGUE = {
    "backward_matrix": [
        ("no_transpose",
         "def backward_matrix(Ws, Zs):\n    M = np.eye(Ws.shape[1])\n    for k in range(len(Ws) - 1):\n"
         "        M = M @ np.diag(sigmoid_prime(Zs[k])) @ Ws[k + 1]\n    return M\n"),
        ("reversed_order",
         "def backward_matrix(Ws, Zs):\n    M = np.eye(Ws.shape[1])\n    for k in range(len(Ws) - 1):\n"
         "        M = np.diag(sigmoid_prime(Zs[k])) @ Ws[k + 1].T @ M\n    return M\n"),
        ("slopes_of_layer_above",
         "def backward_matrix(Ws, Zs):\n    M = np.eye(Ws.shape[1])\n    for k in range(len(Ws) - 1):\n"
         "        M = M @ np.diag(sigmoid_prime(Zs[k + 1])) @ Ws[k + 1].T\n    return M\n"),
        ("transposed",
         "def backward_matrix(Ws, Zs):\n    M = np.eye(Ws.shape[1])\n    for k in range(len(Ws) - 1):\n"
         "        M = M @ np.diag(sigmoid_prime(Zs[k])) @ Ws[k + 1].T\n    return M.T\n"),
        ("no_slopes",
         "def backward_matrix(Ws, Zs):\n    M = np.eye(Ws.shape[1])\n    for k in range(1, len(Ws)):\n"
         "        M = M @ Ws[k].T\n    return M\n"),
        ("W_of_same_layer",
         "def backward_matrix(Ws, Zs):\n    M = np.eye(Ws.shape[1])\n    for k in range(len(Ws) - 1):\n"
         "        M = M @ np.diag(sigmoid_prime(Zs[k])) @ Ws[k].T\n    return M\n"),
        ("loop_one_too_far",
         "def backward_matrix(Ws, Zs):\n    M = np.eye(Ws.shape[1])\n    for k in range(len(Ws)):\n"
         "        M = M @ np.diag(sigmoid_prime(Zs[k])) @ Ws[k + 1].T\n    return M\n"),
    ],
}
