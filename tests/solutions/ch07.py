SOLUTIONS = {
    "bp2": '''def bp2(W_next, delta_next, z):
    return (W_next.T @ delta_next) * sigmoid_prime(z)
''',
    "bp2_leaky": '''def bp2_leaky(W_next, delta_next, z, alpha):
    slope = np.where(z > 0, 1.0, alpha)
    return (W_next.T @ delta_next) * slope
''',
    "residual_backward": '''def residual_backward(W, z, grad_out):
    delta = grad_out * sigmoid_prime(z)
    return grad_out + W.T @ delta
''',
}

MISTAKES = {
    "bp2": {
        "missing_transpose": "def bp2(W_next, delta_next, z):\n    return (W_next @ delta_next) * sigmoid_prime(z)\n",
        "sigma_not_prime": "def bp2(W_next, delta_next, z):\n    return (W_next.T @ delta_next) * sigmoid(z)\n",
        "tanh_slope": "def bp2(W_next, delta_next, z):\n    return (W_next.T @ delta_next) * (1 - np.tanh(z) ** 2)\n",
        "missing_sigma_prime": "def bp2(W_next, delta_next, z):\n    return W_next.T @ delta_next\n",
        "missing_transpose_no_prime": "def bp2(W_next, delta_next, z):\n    return W_next @ delta_next\n",
    },
    "bp2_leaky": {
        "relu_slope": "def bp2_leaky(W_next, delta_next, z, alpha):\n    return (W_next.T @ delta_next) * (z > 0)\n",
        "activation_not_slope": "def bp2_leaky(W_next, delta_next, z, alpha):\n    return (W_next.T @ delta_next) * np.maximum(z, alpha * z)\n",
        "alpha_swapped": "def bp2_leaky(W_next, delta_next, z, alpha):\n    return (W_next.T @ delta_next) * np.where(z > 0, alpha, 1.0)\n",
        "missing_transpose": "def bp2_leaky(W_next, delta_next, z, alpha):\n    return (W_next @ delta_next) * np.where(z > 0, 1.0, alpha)\n",
    },
    "residual_backward": {
        "no_skip": "def residual_backward(W, z, grad_out):\n    return W.T @ (grad_out * sigmoid_prime(z))\n",
        "skip_only": "def residual_backward(W, z, grad_out):\n    return grad_out\n",
        "missing_transpose": "def residual_backward(W, z, grad_out):\n    return grad_out + W @ (grad_out * sigmoid_prime(z))\n",
        "slope_on_skip": "def residual_backward(W, z, grad_out):\n    return (grad_out + W.T @ grad_out) * sigmoid_prime(z)\n",
        "slope_after_weights": "def residual_backward(W, z, grad_out):\n    return grad_out + (W.T @ grad_out) * sigmoid_prime(z)\n",
        "sigma_not_prime": "def residual_backward(W, z, grad_out):\n    return grad_out + W.T @ (grad_out * sigmoid(z))\n",
    },
}

WRONG_VALUES = {}

MISTAKES["bp2_leaky"]["alpha_z_slope"] = (
    "def bp2_leaky(W_next, delta_next, z, alpha):\n    slope = np.where(z > 0, 1.0, alpha * z)\n"
    "    return (W_next.T @ delta_next) * slope\n")
