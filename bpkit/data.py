"""Data sets for the book (chapter 9): XOR, two 2-D toy sets, and handwritten digits.

Everything is made here or ships with a package: nothing is downloaded at run time.
Examples are columns: ``X`` is ``(n_0, m)``, ``Y`` is ``(n_L, m)``.
"""
from dataclasses import dataclass

import numpy as np

from .errors import BpkitError


@dataclass
class Dataset:
    """A train/test split; ``labels_*`` are the integer classes behind the one-hot ``Y``."""

    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    labels_train: np.ndarray
    labels_test: np.ndarray


def one_hot(labels, k=None):
    """Columns of the identity: ``(k, m)`` with a 1 in row ``labels[j]`` of column ``j``."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer) and not np.all(
            labels == np.round(labels)):
        raise BpkitError(f"labels must be a 1-D array of whole numbers; received {labels!r}")
    labels = labels.astype(int)
    k = int(labels.max()) + 1 if k is None else k
    if labels.size and (labels.min() < 0 or labels.max() >= k):
        raise BpkitError(
            f"labels must lie in 0..{k - 1} for k = {k} classes; received values from "
            f"{labels.min()} to {labels.max()}"
        )
    Y = np.zeros((k, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def xor():
    """The four XOR examples: ``X`` is ``(2, 4)``, ``Y`` is ``(1, 4)``."""
    X = np.array([[0, 0, 1, 1], [0, 1, 0, 1]], dtype=float)
    Y = np.array([[0, 1, 1, 0]], dtype=float)
    return X, Y


def two_moons(m=200, noise=0.1, seed=0):
    """Two interleaved half circles: ``X`` is ``(2, m)``, ``Y`` is ``(1, m)`` of 0/1 labels."""
    rng = np.random.default_rng(seed)
    n0 = m // 2
    t0 = np.linspace(0, np.pi, n0)
    t1 = np.linspace(0, np.pi, m - n0)
    X = np.hstack([np.vstack([np.cos(t0), np.sin(t0)]),
                   np.vstack([1 - np.cos(t1), 0.5 - np.sin(t1)])])
    X += noise * rng.standard_normal(X.shape)
    labels = np.r_[np.zeros(n0), np.ones(m - n0)]
    perm = rng.permutation(m)
    return X[:, perm], labels[perm].reshape(1, m)


def spirals(m=300, classes=3, noise=0.2, seed=0):
    """``classes`` interleaved spiral arms: ``X`` is ``(2, m)``, ``Y`` one-hot ``(classes, m)``."""
    rng = np.random.default_rng(seed)
    labels = np.arange(m) % classes
    r = np.linspace(0.05, 1, m)
    theta = labels * 2 * np.pi / classes + 4 * r + noise * rng.standard_normal(m)
    X = np.vstack([r * np.sin(theta), r * np.cos(theta)])
    perm = rng.permutation(m)
    return X[:, perm], one_hot(labels[perm], classes)


def digits(test_fraction=0.25, seed=0):
    """scikit-learn's 8x8 handwritten digits (1797 images, shipped with the package).

    Pixels are scaled to [0, 1]; ``X`` is ``(64, m)``, ``Y`` one-hot ``(10, m)``. The split is
    fixed by ``seed``.
    """
    from sklearn.datasets import load_digits  # about a second to import; only the digits need it

    data = load_digits()
    X = data.data.T / 16.0
    labels = data.target
    rng = np.random.default_rng(seed)
    perm = rng.permutation(labels.size)
    n_test = int(round(test_fraction * labels.size))
    test, train = perm[:n_test], perm[n_test:]
    return Dataset(X[:, train], one_hot(labels[train], 10), X[:, test], one_hot(labels[test], 10),
                   labels[train], labels[test])
