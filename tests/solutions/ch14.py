SOLUTIONS = {
    "hvp_logistic": '''def hvp_logistic(w, X, y, v):
    p = sigmoid(w.T @ X)
    curvature = p * (1 - p)
    return X @ (curvature.T * (X.T @ v)) / X.shape[1]
''',
    "hvp_fd": '''def hvp_fd(w, X, y, v, eps):
    return (logistic_grad(w + eps * v, X, y) - logistic_grad(w - eps * v, X, y)) / (2 * eps)
''',
}

MISTAKES = {
    "hvp_logistic": {
        "sigma_not_prime": '''def hvp_logistic(w, X, y, v):
    p = sigmoid(w.T @ X)
    return X @ (p.T * (X.T @ v)) / X.shape[1]
''',
        "forgot_v": '''def hvp_logistic(w, X, y, v):
    p = sigmoid(w.T @ X)
    return (X * (p * (1 - p))) @ X.T / X.shape[1]
''',
        "no_mean": '''def hvp_logistic(w, X, y, v):
    p = sigmoid(w.T @ X)
    return X @ ((p * (1 - p)).T * (X.T @ v))
''',
    },
    "hvp_fd": {
        "one_sided": '''def hvp_fd(w, X, y, v, eps):
    return (logistic_grad(w + eps * v, X, y) - logistic_grad(w, X, y)) / eps
''',
        "forgot_v": '''def hvp_fd(w, X, y, v, eps):
    return (logistic_grad(w + eps, X, y) - logistic_grad(w - eps, X, y)) / (2 * eps)
''',
        "no_half": '''def hvp_fd(w, X, y, v, eps):
    return (logistic_grad(w + eps * v, X, y) - logistic_grad(w - eps * v, X, y)) / eps
''',
    },
}

WRONG_VALUES = {}
