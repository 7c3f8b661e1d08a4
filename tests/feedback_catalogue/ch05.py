CATALOGUE = {
    "estimate_delta": [
        ("one_sided",
         "def estimate_delta(C, z, j, eps):\n    plus = z.copy()\n    plus[j - 1] += eps\n"
         "    return (C(plus) - C(z)) / eps\n"),
        ("divides_by_eps_not_2eps",
         "def estimate_delta(C, z, j, eps):\n    plus, minus = z.copy(), z.copy()\n"
         "    plus[j - 1] += eps\n    minus[j - 1] -= eps\n    return (C(plus) - C(minus)) / eps\n"),
        ("zero_based_j",
         "def estimate_delta(C, z, j, eps):\n    plus, minus = z.copy(), z.copy()\n"
         "    plus[j] += eps\n    minus[j] -= eps\n    return (C(plus) - C(minus)) / (2 * eps)\n"),
        ("in_place_nudges",
         "def estimate_delta(C, z, j, eps):\n    z[j - 1] += eps\n    up = C(z)\n"
         "    z[j - 1] -= 2 * eps\n    down = C(z)\n    return (up - down) / (2 * eps)\n"),
        ("alias_no_copy",
         "def estimate_delta(C, z, j, eps):\n    plus = z\n    minus = z\n    plus[j - 1] += eps\n"
         "    minus[j - 1] -= eps\n    return (C(plus) - C(minus)) / (2 * eps)\n"),
        ("nudges_every_unit",
         "def estimate_delta(C, z, j, eps):\n    return (C(z + eps) - C(z - eps)) / (2 * eps)\n"),
    ],
    "best_nudge": [
        ("uphill",
         "def best_nudge(delta, eps):\n    k = int(np.argmax(np.abs(delta)))\n"
         "    return k + 1, eps * float(np.sign(delta[k, 0]))\n"),
        ("largest_signed_delta",
         "def best_nudge(delta, eps):\n    k = int(np.argmax(delta))\n"
         "    return k + 1, -eps * float(np.sign(delta[k, 0]))\n"),
        ("zero_based_j",
         "def best_nudge(delta, eps):\n    k = int(np.argmax(np.abs(delta)))\n"
         "    return k, -eps * float(np.sign(delta[k, 0]))\n"),
        ("dz_times_delta",
         "def best_nudge(delta, eps):\n    k = int(np.argmax(np.abs(delta)))\n"
         "    return k + 1, -eps * float(delta[k, 0])\n"),
        ("smallest_delta",
         "def best_nudge(delta, eps):\n    k = int(np.argmin(np.abs(delta)))\n"
         "    return k + 1, -eps * float(np.sign(delta[k, 0]))\n"),
        ("dz_as_array",
         "def best_nudge(delta, eps):\n    k = int(np.argmax(np.abs(delta)))\n"
         "    return k + 1, -eps * np.sign(delta[k])\n"),
    ],
}
