SOLUTIONS = {
    "dy_dx": '''def dy_dx(x):
    v = x ** 2
    u = np.sin(v)
    # y = x * u: x reaches y directly (dy/dx = u) and through v and u
    return u + x * np.cos(v) * 2 * x
''',
    "matvec_backward": '''def matvec_backward(W, a, grad_z):
    grad_W = grad_z @ a.T            # dC/dW_jk = dC/dz_j * a_k
    grad_a = W.T @ grad_z            # dC/da_k = sum over j of W_jk dC/dz_j
    return grad_W, grad_a
''',
    "graph_backward": '''def graph_backward(ops, values, output):
    grads = {name: 0.0 for name in values}
    grads[output] = 1.0
    for op, out, (u, v) in reversed(ops):
        g = grads[out]
        if op == "add":
            grads[u] += g
            grads[v] += g
        else:
            grads[u] += g * values[v]
            grads[v] += g * values[u]
    return grads
''',
}

MISTAKES = {
    "dy_dx": {
        "one_route": "def dy_dx(x):\n    return x * np.cos(x ** 2) * 2 * x\n",
        "direct_only": "def dy_dx(x):\n    return np.sin(x ** 2)\n",
        "no_inner": "def dy_dx(x):\n    return np.sin(x ** 2) + x * np.cos(x ** 2)\n",
        "cos_of_x": "def dy_dx(x):\n    return np.sin(x ** 2) + x * np.cos(x) * 2 * x\n",
    },
    "matvec_backward": {
        "wrong_index": "def matvec_backward(W, a, grad_z):\n    return grad_z @ a.T, np.sum(W * grad_z, axis=1, keepdims=True)\n",
        "no_transpose": "def matvec_backward(W, a, grad_z):\n    return grad_z @ a.T, W @ grad_z\n",
        "outer_swapped": "def matvec_backward(W, a, grad_z):\n    return a @ grad_z.T, W.T @ grad_z\n",
        "swapped": "def matvec_backward(W, a, grad_z):\n    return W.T @ grad_z, grad_z @ a.T\n",
    },
    "graph_backward": {
        "assign": '''def graph_backward(ops, values, output):
    grads = {name: 0.0 for name in values}
    grads[output] = 1.0
    for op, out, (u, v) in reversed(ops):
        g = grads[out]
        if op == "add":
            grads[u] = g
            grads[v] = g
        else:
            grads[u] = g * values[v]
            grads[v] = g * values[u]
    return grads
''',
        "mul_own_value": '''def graph_backward(ops, values, output):
    grads = {name: 0.0 for name in values}
    grads[output] = 1.0
    for op, out, (u, v) in reversed(ops):
        g = grads[out]
        if op == "add":
            grads[u] += g
            grads[v] += g
        else:
            grads[u] += g * values[u]
            grads[v] += g * values[v]
    return grads
''',
    },
}

WRONG_VALUES = {}

MISTAKES["graph_backward"]["forward_order"] = '''def graph_backward(ops, values, output):
    grads = {name: 0.0 for name in values}
    grads[output] = 1.0
    for k in range(len(ops)):
        op, out, (u, v) = ops[k]
        if op == "add":
            grads[u] += grads[out]
            grads[v] += grads[out]
        else:
            grads[u] += grads[out] * values[v]
            grads[v] += grads[out] * values[u]
    return grads
'''
