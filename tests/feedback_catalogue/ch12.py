def _check(numeric_loop, rel):
    return ("def gradient_check(f, x, analytic, eps):\n    numeric = np.zeros(x.shape)\n"
            + numeric_loop + "    rel = " + rel + "\n    return numeric, rel\n")


_CENTRAL = ("    for i in np.ndindex(x.shape):\n        plus, minus = x.copy(), x.copy()\n"
            "        plus[i] += eps\n        minus[i] -= eps\n"
            "        numeric[i] = (f(plus) - f(minus)) / (2 * eps)\n")
_REL = "np.abs(analytic - numeric) / np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), TINY)"

CATALOGUE = {
    "gradient_check": [
        ("one_sided", _check(
            "    for i in np.ndindex(x.shape):\n        plus = x.copy()\n        plus[i] += eps\n"
            "        numeric[i] = (f(plus) - f(x)) / eps\n", _REL)),
        ("absolute_error", _check(_CENTRAL, "np.abs(analytic - numeric)")),
        ("divides_by_analytic", _check(_CENTRAL, "np.abs(analytic - numeric) / np.maximum(np.abs(analytic), TINY)")),
        ("no_tiny", _check(_CENTRAL, "np.abs(analytic - numeric) / np.maximum(np.abs(analytic), np.abs(numeric))")),
        ("sum_in_denominator", _check(_CENTRAL, "np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), TINY)")),
        ("row_not_entry", _check(
            "    for i in range(x.size):\n        plus, minus = x.copy(), x.copy()\n"
            "        plus[i] += eps\n        minus[i] -= eps\n"
            "        numeric.flat[i] = (f(plus) - f(minus)) / (2 * eps)\n", _REL)),
        ("alias_no_copy", _check(
            "    for i in np.ndindex(x.shape):\n        plus, minus = x, x\n"
            "        plus[i] += eps\n        minus[i] -= eps\n"
            "        numeric[i] = (f(plus) - f(minus)) / (2 * eps)\n", _REL)),
        ("divides_by_eps_not_2eps", _check(
            "    for i in np.ndindex(x.shape):\n        plus, minus = x.copy(), x.copy()\n"
            "        plus[i] += eps\n        minus[i] -= eps\n"
            "        numeric[i] = (f(plus) - f(minus)) / eps\n", _REL)),
    ],
}
