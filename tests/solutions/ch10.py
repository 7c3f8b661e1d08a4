SOLUTIONS = {
    "predict": 'prediction = "vanish"\n',
    "grad_norms": '''def grad_norms(net, X, Y):
    grads = net.gradients(X, Y)
    return np.array([np.linalg.norm(grads.dW[l]) for l in range(1, net.L + 1)])
''',
    "weight_scale": "slider = weight_scale_slider(value=1.3)\n",
}

MISTAKES = {
    "grad_norms": {
        "reversed": "def grad_norms(net, X, Y):\n    g = net.gradients(X, Y)\n    return np.array([np.linalg.norm(g.dW[l]) for l in range(net.L, 0, -1)])\n",
        "weights_not_gradients": "def grad_norms(net, X, Y):\n    return np.array([np.linalg.norm(net.W[l]) for l in range(1, net.L + 1)])\n",
        "bias_gradients": "def grad_norms(net, X, Y):\n    g = net.gradients(X, Y)\n    return np.array([np.linalg.norm(g.db[l]) for l in range(1, net.L + 1)])\n",
    },
}

WRONG_VALUES = {
    "predict": ('prediction = "explode"\n', "Not this time"),
    "weight_scale": ("slider = weight_scale_slider(value=0.3)\n", "vanishes"),
}
