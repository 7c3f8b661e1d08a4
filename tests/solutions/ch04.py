SOLUTIONS = {
    "dy_dx": '''def dy_dx(x):
    u = x ** 2
    v = np.sin(u)
    return np.exp(v) * np.cos(u) * 2 * x
''',
    "mul_backward": '''def mul_backward(x, y, grad_out):
    return grad_out * y, grad_out * x
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
        "no_inner": "def dy_dx(x):\n    return np.exp(np.sin(x ** 2)) * np.cos(x ** 2)\n",
        "cos_of_x": "def dy_dx(x):\n    return np.exp(np.sin(x ** 2)) * np.cos(x) * 2 * x\n",
        "no_outer": "def dy_dx(x):\n    return np.cos(x ** 2) * 2 * x\n",
    },
    "mul_backward": {
        "swapped": "def mul_backward(x, y, grad_out):\n    return grad_out * x, grad_out * y\n",
        "no_upstream": "def mul_backward(x, y, grad_out):\n    return y, x\n",
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
