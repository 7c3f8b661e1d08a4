CATALOGUE = {
    "vectorised_grads": [
        ("no_mean", "def vectorised_grads(Delta, A_prev):\n    return Delta @ A_prev.T, Delta.sum(axis=1, keepdims=True)\n"),
        ("bias_wrong_axis",
         "def vectorised_grads(Delta, A_prev):\n    m = Delta.shape[1]\n"
         "    return Delta @ A_prev.T / m, Delta.sum(axis=0, keepdims=True) / m\n"),
        ("transposed_dW",
         "def vectorised_grads(Delta, A_prev):\n    m = Delta.shape[1]\n"
         "    return A_prev @ Delta.T / m, Delta.sum(axis=1, keepdims=True) / m\n"),
        ("divides_by_n",
         "def vectorised_grads(Delta, A_prev):\n    n = Delta.shape[0]\n"
         "    return Delta @ A_prev.T / n, Delta.sum(axis=1, keepdims=True) / n\n"),
        ("bias_flat",
         "def vectorised_grads(Delta, A_prev):\n    m = Delta.shape[1]\n"
         "    return Delta @ A_prev.T / m, Delta.mean(axis=1)\n"),
        ("dW_without_mean",
         "def vectorised_grads(Delta, A_prev):\n    return Delta @ A_prev.T, Delta.mean(axis=1, keepdims=True)\n"),
        ("elementwise_product",
         "def vectorised_grads(Delta, A_prev):\n    m = Delta.shape[1]\n"
         "    return (Delta * A_prev) / m, Delta.mean(axis=1, keepdims=True)\n"),
    ],
    "per_example_norms": [
        ("no_bias_term",
         "def per_example_norms(Delta, A_prev):\n"
         "    return np.sqrt(np.sum(Delta ** 2, axis=0) * np.sum(A_prev ** 2, axis=0))\n"),
        ("norms_added",
         "def per_example_norms(Delta, A_prev):\n"
         "    return np.linalg.norm(Delta, axis=0) + np.linalg.norm(A_prev, axis=0)\n"),
        ("squared_norms",
         "def per_example_norms(Delta, A_prev):\n"
         "    return np.sum(Delta ** 2, axis=0) * (np.sum(A_prev ** 2, axis=0) + 1)\n"),
        ("wrong_axis",
         "def per_example_norms(Delta, A_prev):\n"
         "    return np.sqrt(np.sum(Delta ** 2, axis=1) * (np.sum(A_prev ** 2, axis=1) + 1))\n"),
        ("bias_norm_added_outside",
         "def per_example_norms(Delta, A_prev):\n    d = np.linalg.norm(Delta, axis=0)\n"
         "    return d * np.linalg.norm(A_prev, axis=0) + d\n"),
        ("whole_batch",
         "def per_example_norms(Delta, A_prev):\n"
         "    return np.sqrt(np.sum(Delta ** 2) * (np.sum(A_prev ** 2) + 1))\n"),
        ("divided_by_m",
         "def per_example_norms(Delta, A_prev):\n    m = Delta.shape[1]\n"
         "    return np.sqrt(np.sum(Delta ** 2, axis=0) * (np.sum(A_prev ** 2, axis=0) + 1)) / m\n"),
    ],
}
