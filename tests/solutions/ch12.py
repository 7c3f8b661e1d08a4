SOLUTIONS = {
    "gradient_check": '''def gradient_check(f, x, analytic, eps):
    numeric = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[i] += eps
        minus[i] -= eps
        numeric[i] = (f(plus) - f(minus)) / (2 * eps)
    rel = np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), TINY)
    return numeric, rel
''',
    "find_bug": 'bug = "db[2]"\n',
    "eps": "slider = eps_slider(value=3e-6)\n",
}

_G = '''def gradient_check(f, x, analytic, eps):
    numeric = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[i] += eps
        minus[i] -= eps
        numeric[i] = NUMERIC
    a, n = analytic, numeric
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = REL
    return numeric, rel
'''
_CENTRAL = "(f(plus) - f(minus)) / (2 * eps)"
_REL = "np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), TINY)"


def _g(numeric=_CENTRAL, rel=_REL):
    return _G.replace("NUMERIC", numeric).replace("REL", rel)


MISTAKES = {
    "gradient_check": {
        "one_sided": _g(numeric="(f(plus) - f(x)) / eps"),
        "absolute_error": _g(rel="np.abs(a - n)"),
        "divide_by_analytic": _g(rel="np.abs(a - n) / np.abs(a)"),
        "no_tiny": _g(rel="np.abs(a - n) / (np.abs(a) + np.abs(n))"),
        "max_denominator": _g(rel="np.abs(a - n) / np.maximum(np.maximum(np.abs(a), np.abs(n)), TINY)"),
        "signed": _g(rel="(a - n) / np.maximum(np.abs(a) + np.abs(n), TINY)"),
    },
}

WRONG_VALUES = {
    "find_bug": ('bug = "dW[2]"\n', "passes the gradient check"),
    "eps": ("slider = eps_slider(value=1e-11)\n", "too small"),
}
