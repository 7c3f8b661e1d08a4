CATALOGUE = {
    "hvp_logistic": [
        ("sigma_not_prime",
         "def hvp_logistic(w, X, y, v):\n    p = sigmoid(w.T @ X)\n    return X @ (p.T * (X.T @ v)) / X.shape[1]\n"),
        ("forgot_v",
         "def hvp_logistic(w, X, y, v):\n    p = sigmoid(w.T @ X)\n    return X @ (p * (1 - p)).T / X.shape[1]\n"),
        ("no_mean",
         "def hvp_logistic(w, X, y, v):\n    p = sigmoid(w.T @ X)\n    return X @ ((p * (1 - p)).T * (X.T @ v))\n"),
        ("residual_not_curvature",
         "def hvp_logistic(w, X, y, v):\n    p = sigmoid(w.T @ X)\n    return X @ ((p - y).T * (X.T @ v)) / X.shape[1]\n"),
        ("transposed",
         "def hvp_logistic(w, X, y, v):\n    p = sigmoid(w.T @ X)\n    s = p * (1 - p)\n"
         "    return (s * (v.T @ X)) @ X.T / X.shape[1]\n"),
        ("divided_twice",
         "def hvp_logistic(w, X, y, v):\n    m = X.shape[1]\n    p = sigmoid(w.T @ X)\n"
         "    return X @ ((p * (1 - p)).T * (X.T @ v)) / m / m\n"),
    ],
    "hvp_fd": [
        ("one_sided",
         "def hvp_fd(w, X, y, v, eps):\n    return (logistic_grad(w + eps * v, X, y) - logistic_grad(w, X, y)) / eps\n"),
        ("forgot_v",
         "def hvp_fd(w, X, y, v, eps):\n    return (logistic_grad(w + eps, X, y) - logistic_grad(w - eps, X, y)) / (2 * eps)\n"),
        ("no_half",
         "def hvp_fd(w, X, y, v, eps):\n    return (logistic_grad(w + eps * v, X, y) - logistic_grad(w - eps * v, X, y)) / eps\n"),
        ("negated",
         "def hvp_fd(w, X, y, v, eps):\n    return (logistic_grad(w - eps * v, X, y) - logistic_grad(w + eps * v, X, y)) / (2 * eps)\n"),
        ("divides_by_v",
         "def hvp_fd(w, X, y, v, eps):\n    step = eps * v\n"
         "    return (logistic_grad(w + step, X, y) - logistic_grad(w - step, X, y)) / (2 * step)\n"),
        ("normalised_direction",
         "def hvp_fd(w, X, y, v, eps):\n    u = v / np.linalg.norm(v)\n"
         "    return (logistic_grad(w + eps * u, X, y) - logistic_grad(w - eps * u, X, y)) / (2 * eps)\n"),
    ],
}
