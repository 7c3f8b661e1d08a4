SOLUTIONS = {
    "count_paths": '''def count_paths(sizes, l):
    count = 1
    for n in sizes[l + 1:]:
        count *= n
    return count
''',
    "depends_on": '''def depends_on(L, l):
    return [f"{p}{k}" for k in range(1, l + 1) for p in "Wb"]
''',
}

MISTAKES = {
    "count_paths": {
        "counts_layer_l": "def count_paths(sizes, l):\n    return math.prod(sizes[l:])\n",
        "sum": "def count_paths(sizes, l):\n    return max(1, sum(sizes[l + 1:]))\n",
        "from_input": "def count_paths(sizes, l):\n    return math.prod(sizes[1:])\n",
    },
    "depends_on": {
        "misses_own_layer": "def depends_on(L, l):\n    return [f'{p}{k}' for k in range(1, l) for p in 'Wb']\n",
        "downstream": "def depends_on(L, l):\n    return [f'{p}{k}' for k in range(l, L + 1) for p in 'Wb']\n",
        "weights_only": "def depends_on(L, l):\n    return [f'W{k}' for k in range(1, l + 1)]\n",
    },
}

WRONG_VALUES = {}
