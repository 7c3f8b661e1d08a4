SOLUTIONS = {
    "gradient_check": '''def gradient_check(f, x, analytic, eps):
    numeric = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[i] += eps
        minus[i] -= eps
        numeric[i] = (f(plus) - f(minus)) / (2 * eps)
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), TINY)
    return numeric, np.abs(analytic - numeric) / scale
''',
    "find_bug": 'bug = ("db[2]", 6.0)\n',
    # truncation eps^2 |f'''| / 6 plus rounding u |f| / eps is smallest at cbrt(3 u |f| / |f'''|);
    # for f = e^{x/3}, |f| / |f'''| = 27, and float16 has u = 2^-11
    "eps16": "eps16 = (3 * 2.0 ** -11 * 27) ** (1 / 3)\n",
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
_REL = "np.abs(a - n) / np.maximum(np.maximum(np.abs(a), np.abs(n)), TINY)"


def _g(numeric=_CENTRAL, rel=_REL):
    return _G.replace("NUMERIC", numeric).replace("REL", rel)


MISTAKES = {
    "gradient_check": {
        "one_sided": _g(numeric="(f(plus) - f(x)) / eps"),
        "backward_one_sided": _g(numeric="(f(x) - f(minus)) / eps"),
        "absolute_error": _g(rel="np.abs(a - n)"),
        "divide_by_analytic": _g(rel="np.abs(a - n) / np.abs(a)"),
        "no_tiny": _g(rel="np.abs(a - n) / np.maximum(np.abs(a), np.abs(n))"),
        "sum_denominator": _g(rel="np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), TINY)"),
        "signed": _g(rel="(a - n) / np.maximum(np.maximum(np.abs(a), np.abs(n)), TINY)"),
    },
}

WRONG_VALUES = {
    "find_bug": ('bug = ("dW[2]", 6.0)\n', "Not both right"),
    "eps16": ("eps16 = 2 * (2.0 ** -11 * 9) ** 0.5\n", "leaves part of the derivation out"),
}
