SOLUTIONS = {
    "count_paths": '''def count_paths(sizes, l, j, q, i):
    if q < l:
        return 0                     # the arrows point forward
    if q == l:
        return 1 if i == j else 0    # W^l_jk feeds z^l_j only
    count = 1
    for n in sizes[l + 1:q]:         # each layer strictly between branches
        count *= n
    return count
''',
    "depends_on": '''def depends_on(L, l):
    return [f"{p}{k}" for k in range(1, l + 1) for p in "Wb"]
''',
}

MISTAKES = {
    "count_paths": {
        "counts_target_layer": "def count_paths(sizes, l, j, q, i):\n    if q < l or (q == l and i != j):\n        return 0\n    return math.prod(sizes[l + 1:q + 1])\n",
        "counts_layer_l": "def count_paths(sizes, l, j, q, i):\n    if q < l or (q == l and i != j):\n        return 0\n    return math.prod(sizes[l:q])\n",
        "same_layer": "def count_paths(sizes, l, j, q, i):\n    if q < l:\n        return 0\n    return math.prod(sizes[l + 1:q])\n",
        "upstream": "def count_paths(sizes, l, j, q, i):\n    if q == l and i != j:\n        return 0\n    return math.prod(sizes[l + 1:q])\n",
    },
    "depends_on": {
        "misses_own_layer": "def depends_on(L, l):\n    return [f'{p}{k}' for k in range(1, l) for p in 'Wb']\n",
        "downstream": "def depends_on(L, l):\n    return [f'{p}{k}' for k in range(l, L + 1) for p in 'Wb']\n",
        "weights_only": "def depends_on(L, l):\n    return [f'W{k}' for k in range(1, l + 1)]\n",
    },
}

WRONG_VALUES = {}

MISTAKES["depends_on"]["zero_based"] = (
    "def depends_on(L, l):\n    out = []\n    for k in range(0, l):\n"
    "        out.append('W' + str(k))\n        out.append('b' + str(k))\n    return out\n")
