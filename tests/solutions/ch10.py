SOLUTIONS = {
    "bound": '''net, X, Y = bound_problem()
cache = net.forward(X)
bound = 1.0
for k in range(1, net.L):
    bound *= sigmoid_prime(cache.z[k][:, 0]).max() * np.linalg.norm(net.W[k + 1], 2)
''',
    "backward_matrix": '''def backward_matrix(Ws, Zs):
    M = np.eye(Ws.shape[1])
    for k in range(len(Ws) - 1):
        M = M @ np.diag(sigmoid_prime(Zs[k])) @ Ws[k + 1].T
    return M
''',
    "weight_scale": "slider = weight_scale_slider(value=1.25)\n",
}

_M = ("def backward_matrix(Ws, Zs):\n    M = np.eye(Ws.shape[1])\n"
      "    for k in range(len(Ws) - 1):\n        M = {}\n    return M{}\n")

MISTAKES = {
    "backward_matrix": {
        "no_transpose": _M.format("M @ np.diag(sigmoid_prime(Zs[k])) @ Ws[k + 1]", ""),
        "reversed": _M.format("Ws[k + 1].T @ np.diag(sigmoid_prime(Zs[k])) @ M", ""),
        "slopes_above": _M.format("M @ np.diag(sigmoid_prime(Zs[k + 1])) @ Ws[k + 1].T", ""),
        "transposed": _M.format("M @ np.diag(sigmoid_prime(Zs[k])) @ Ws[k + 1].T", ".T"),
        "no_slopes": _M.format("M @ Ws[k + 1].T", ""),
    },
}

WRONG_VALUES = {
    "bound": ('''net, X, Y = bound_problem()
cache = net.forward(X)
bound = 1.0
for k in range(1, net.L):
    bound *= sigmoid_prime(cache.z[k][:, 0]).max() * np.linalg.norm(net.W[k + 1])
''', "You used the Frobenius norm of each W"),
    "weight_scale": ("slider = weight_scale_slider(value=0.3)\n", "vanishes"),
}
