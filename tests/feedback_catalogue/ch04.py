CATALOGUE = {
    "dy_dx": [
        ("one_route", "def dy_dx(x):\n    return x * np.cos(x ** 2) * 2 * x\n"),
        ("direct_route_only", "def dy_dx(x):\n    return np.sin(x ** 2)\n"),
        ("no_inner_derivative", "def dy_dx(x):\n    return np.sin(x ** 2) + x * np.cos(x ** 2)\n"),
        ("cos_of_x", "def dy_dx(x):\n    return np.sin(x ** 2) + 2 * x ** 2 * np.cos(x)\n"),
        ("routes_subtracted", "def dy_dx(x):\n    return np.sin(x ** 2) - 2 * x ** 2 * np.cos(x ** 2)\n"),
        ("missing_factor_2", "def dy_dx(x):\n    return np.sin(x ** 2) + x ** 2 * np.cos(x ** 2)\n"),
        ("in_place_square",
         "def dy_dx(x):\n    v = x\n    v **= 2\n    u = np.sin(v)\n    return u + x * np.cos(v) * 2 * x\n"),
    ],
    "matvec_backward": [
        ("grad_a_no_transpose",
         "def matvec_backward(W, a, grad_z):\n    return grad_z @ a.T, W @ grad_z\n"),
        ("transposed_grad_W",
         "def matvec_backward(W, a, grad_z):\n    return a @ grad_z.T, W.T @ grad_z\n"),
        ("pair_swapped",
         "def matvec_backward(W, a, grad_z):\n    grad_W = grad_z @ a.T\n    grad_a = W.T @ grad_z\n"
         "    return grad_a, grad_W\n"),
        ("forgot_upstream_gradient",
         "def matvec_backward(W, a, grad_z):\n    grad_W = np.ones_like(W) * a.T\n"
         "    return grad_W, W.T @ grad_z\n"),
        ("grad_a_wrong_axis",
         "def matvec_backward(W, a, grad_z):\n    grad_W = grad_z @ a.T\n"
         "    grad_a = (W * grad_z).sum(axis=1, keepdims=True)\n    return grad_W, grad_a\n"),
        ("grad_a_mean_not_sum",
         "def matvec_backward(W, a, grad_z):\n    return grad_z @ a.T, W.T @ grad_z / W.shape[0]\n"),
    ],
    "graph_backward": [
        ("assigns_not_accumulates",
         "def graph_backward(ops, values, output):\n    grads = {name: 0.0 for name in values}\n"
         "    grads[output] = 1.0\n    for op, out, (u, v) in reversed(ops):\n        g = grads[out]\n"
         "        if op == 'add':\n            grads[u] = g\n            grads[v] = g\n        else:\n"
         "            grads[u] = g * values[v]\n            grads[v] = g * values[u]\n    return grads\n"),
        ("mul_by_own_value",
         "def graph_backward(ops, values, output):\n    grads = {name: 0.0 for name in values}\n"
         "    grads[output] = 1.0\n    for op, out, (u, v) in reversed(ops):\n        g = grads[out]\n"
         "        if op == 'add':\n            grads[u] += g\n            grads[v] += g\n        else:\n"
         "            grads[u] += g * values[u]\n            grads[v] += g * values[v]\n    return grads\n"),
        ("forward_order",
         "def graph_backward(ops, values, output):\n    grads = {name: 0.0 for name in values}\n"
         "    grads[output] = 1.0\n    for op, out, (u, v) in ops:\n        g = grads[out]\n"
         "        if op == 'add':\n            grads[u] += g\n            grads[v] += g\n        else:\n"
         "            grads[u] += g * values[v]\n            grads[v] += g * values[u]\n    return grads\n"),
        ("mul_forgets_upstream",
         "def graph_backward(ops, values, output):\n    grads = {name: 0.0 for name in values}\n"
         "    grads[output] = 1.0\n    for op, out, (u, v) in reversed(ops):\n        g = grads[out]\n"
         "        if op == 'add':\n            grads[u] += g\n            grads[v] += g\n        else:\n"
         "            grads[u] += values[v]\n            grads[v] += values[u]\n    return grads\n"),
        ("repeated_input_once",
         "def graph_backward(ops, values, output):\n    grads = {name: 0.0 for name in values}\n"
         "    grads[output] = 1.0\n    for op, out, (u, v) in reversed(ops):\n        g = grads[out]\n"
         "        partners = {u: v, v: u}\n        for node, other in partners.items():\n"
         "            grads[node] += g if op == 'add' else g * values[other]\n    return grads\n"),
        ("hardcoded_statement_example",
         "def graph_backward(ops, values, output):\n    return {'a': 4.0, 'b': 2.0, 'c': 1.0}\n"),
    ],
}
