CATALOGUE = {
    "bp2": [
        ("missing_transpose",
         "def bp2(W_next, delta_next, z):\n    return W_next @ delta_next * sigmoid_prime(z)\n"),
        ("sigma_not_prime",
         "def bp2(W_next, delta_next, z):\n    return np.dot(W_next.T, delta_next) * sigmoid(z)\n"),
        ("no_slope", "def bp2(W_next, delta_next, z):\n    return W_next.T @ delta_next\n"),
        ("slope_before_weights",
         "def bp2(W_next, delta_next, z):\n    return W_next.T @ (delta_next * sigmoid_prime(z))\n"),
        ("transposed_rows_per_example",
         "def bp2(W_next, delta_next, z):\n    return (delta_next.T @ W_next) * sigmoid_prime(z).T\n"),
        ("z_used_as_a",
         "def bp2(W_next, delta_next, z):\n    return (W_next.T @ delta_next) * z * (1 - z)\n"),
        ("tanh_slope",
         "def bp2(W_next, delta_next, z):\n    return (W_next.T @ delta_next) * (1 - np.tanh(z) ** 2)\n"),
    ],
    "bp2_leaky": [
        ("relu_slope",
         "def bp2_leaky(W_next, delta_next, z, alpha):\n    return (W_next.T @ delta_next) * (z > 0)\n"),
        ("activation_not_slope",
         "def bp2_leaky(W_next, delta_next, z, alpha):\n"
         "    return (W_next.T @ delta_next) * np.where(z > 0, z, alpha * z)\n"),
        ("alpha_on_positive_side",
         "def bp2_leaky(W_next, delta_next, z, alpha):\n"
         "    return (W_next.T @ delta_next) * np.where(z > 0, alpha, 1.0)\n"),
        ("missing_transpose",
         "def bp2_leaky(W_next, delta_next, z, alpha):\n"
         "    slope = np.where(z > 0, 1.0, alpha)\n    return (W_next @ delta_next) * slope\n"),
        ("alpha_times_z_as_slope",
         "def bp2_leaky(W_next, delta_next, z, alpha):\n"
         "    return (W_next.T @ delta_next) * np.where(z > 0, 1.0, alpha * z)\n"),
        ("sigmoid_slope",
         "def bp2_leaky(W_next, delta_next, z, alpha):\n"
         "    return (W_next.T @ delta_next) * sigmoid_prime(z)\n"),
    ],
    "residual_backward": [
        ("no_skip_route",
         "def residual_backward(W, z, grad_out):\n    return W.T @ (grad_out * sigmoid_prime(z))\n"),
        ("skip_route_only", "def residual_backward(W, z, grad_out):\n    return grad_out.copy()\n"),
        ("missing_transpose",
         "def residual_backward(W, z, grad_out):\n    delta = grad_out * sigmoid_prime(z)\n"
         "    return grad_out + W @ delta\n"),
        ("slope_on_both_routes",
         "def residual_backward(W, z, grad_out):\n    return (grad_out + W.T @ grad_out) * sigmoid_prime(z)\n"),
        ("slope_after_weights",
         "def residual_backward(W, z, grad_out):\n    return grad_out + (W.T @ grad_out) * sigmoid_prime(z)\n"),
        ("sigma_not_prime",
         "def residual_backward(W, z, grad_out):\n    return grad_out + W.T @ (grad_out * sigmoid(z))\n"),
        ("no_weights",
         "def residual_backward(W, z, grad_out):\n    return grad_out * (1 + sigmoid_prime(z))\n"),
    ],
}
