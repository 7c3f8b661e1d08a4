CATALOGUE = {
    "count_paths": [
        ("includes_layer_q",
         "def count_paths(sizes, l, j, q, i):\n    if q < l:\n        return 0\n    if q == l:\n"
         "        return int(i == j)\n    return math.prod(sizes[l + 1:q + 1])\n"),
        ("includes_layer_l",
         "def count_paths(sizes, l, j, q, i):\n    if q < l:\n        return 0\n    if q == l:\n"
         "        return int(i == j)\n    return math.prod(sizes[l:q])\n"),
        ("same_layer_any_unit",
         "def count_paths(sizes, l, j, q, i):\n    if q < l:\n        return 0\n    if q == l:\n"
         "        return 1\n    return math.prod(sizes[l + 1:q])\n"),
        ("counts_backwards_too",
         "def count_paths(sizes, l, j, q, i):\n    if q == l:\n        return int(i == j)\n"
         "    lo, hi = min(l, q), max(l, q)\n    return math.prod(sizes[lo + 1:hi])\n"),
        ("index_shift",
         "def count_paths(sizes, l, j, q, i):\n    if q < l:\n        return 0\n    if q == l:\n"
         "        return int(i == j)\n    n = 1\n    for k in range(l, q - 1):\n        n *= sizes[k]\n"
         "    return n\n"),
        ("no_special_cases",
         "def count_paths(sizes, l, j, q, i):\n    return math.prod(sizes[l + 1:q])\n"),
    ],
    "depends_on": [
        ("misses_own_layer",
         "def depends_on(L, l):\n    return [f'{p}{k}' for k in range(1, l) for p in 'Wb']\n"),
        ("downstream",
         "def depends_on(L, l):\n    return [f'{p}{k}' for k in range(l, L + 1) for p in 'Wb']\n"),
        ("weights_only",
         "def depends_on(L, l):\n    return ['W' + str(k) for k in range(1, l + 1)]\n"),
        ("every_parameter",
         "def depends_on(L, l):\n    names = []\n    for k in range(1, L + 1):\n"
         "        names += ['W%d' % k, 'b%d' % k]\n    return names\n"),
        ("zero_based_names",
         "def depends_on(L, l):\n    return [f'{p}{k}' for k in range(l) for p in 'Wb']\n"),
        ("own_layer_only", "def depends_on(L, l):\n    return [f'W{l}', f'b{l}']\n"),
    ],
}
