"""Chapter 13 exercises: the cost of an order of a Jacobian chain, the best order, a VJP that
never builds a diagonal Jacobian, and a JVP carried on dual numbers."""
import numpy as np

from ..activations import sigmoid
from ..jacobian_chain import forward_cost, optimal_order, reverse_cost
from . import FunctionExercise, Mistake, make_check, register

CHAPTER = "ch13"
check = make_check(CHAPTER)


# -- the cost of a given order --------------------------------------------------------------
def _order_inputs(rng):
    cases = [(np.array([1000, 100, 10, 1]), np.array([0, 0])),      # reverse mode
             (np.array([1000, 100, 10, 1]), np.array([1, 0]))]      # forward mode
    for L in (4, 5, 6, 7):
        dims = rng.integers(1, 80, L + 1)
        # step s multiplies factors k and k + 1 of the L - s still there
        steps = np.array([rng.integers(0, L - 1 - s) for s in range(L - 1)])
        cases.append((dims, steps))
    return cases


def _shapes(dims):
    # factors left to right: J_L (n_L, n_{L-1}), ..., J_1 (n_1, n_0)
    n = [int(d) for d in dims]
    return [(n[i], n[i - 1]) for i in range(len(n) - 1, 0, -1)]


def _order_variant(cost=lambda p, q, r: p * q * r, shapes=_shapes, keep=False):
    def order_cost(dims, steps):
        factors = shapes(dims)
        total = 0
        for k in steps:
            (p, q), (_, r) = factors[k], factors[k + 1]
            total += cost(p, q, r)
            factors[k:k + 2] = [(p, q) if keep else (p, r)]
        return int(total)
    return order_cost


register(FunctionExercise(
    CHAPTER, "order_cost", "The cost of a given order", "order_cost",
    _order_inputs, _order_variant(), ("dims", "steps"), points=2,
    what="the count p q r per product, over the order's products",
    mistakes=[
        Mistake("no_inner", "You charge p r for a (p, q) by (q, r) product: one per entry of "
                "the result. Each entry is a sum of q products, so the product costs p q r.",
                _order_variant(cost=lambda p, q, r: p * r)),
        Mistake("transposed", "Your factors have the shapes (n_{i-1}, n_i) of the transposed "
                "Jacobians. J_i = dx_i/dx_{i-1} has one row per output: shape (n_i, n_{i-1}), "
                "and the chain is written J_L ... J_1, J_L on the left.",
                _order_variant(shapes=lambda dims: [(int(dims[i - 1]), int(dims[i]))
                                                    for i in range(len(dims) - 1, 0, -1)])),
        Mistake("stale_shape", "After a multiplication you keep the left factor's shape. The "
                "product of (p, q) and (q, r) has shape (p, r): its columns come from the "
                "right factor.", _order_variant(keep=True)),
    ]))


# -- the best order ---------------------------------------------------------------------------
def _best_inputs(rng):
    cases = [(np.array([5, 3]),), (np.array([1000, 1, 1000, 1, 1000]),)]
    for L in (3, 4, 5, 6, 7, 8):
        cases.append((rng.integers(1, 100, L + 1),))
    return cases


def _best_cost(dims):
    return int(optimal_order(dims).cost)


def _modes_only(dims):
    return int(min(forward_cost(dims), reverse_cost(dims)))


def _greedy(dims):
    factors = _shapes(dims)
    total = 0
    while len(factors) > 1:
        k = min(range(len(factors) - 1),
                key=lambda k: factors[k][0] * factors[k][1] * factors[k + 1][1])
        (p, q), (_, r) = factors[k], factors[k + 1]
        total += p * q * r
        factors[k:k + 2] = [(p, r)]
    return int(total)


register(FunctionExercise(
    CHAPTER, "best_cost", "The cost of the best order", "best_cost",
    _best_inputs, _best_cost, ("dims",), points=3,
    what="the least cost over every bracketing",
    mistakes=[
        Mistake("modes_only", "You return the cheaper of forward and reverse mode. Other "
                "orders can be cheaper than both: on 1000, 1, 1000, 1, 1000 the two middle "
                "factors first costs 1,002,000 against 3,000,000. Minimise over every split "
                "of every sub-chain.", _modes_only),
        Mistake("greedy", "You always multiply the cheapest adjacent pair first. That greedy "
                "choice is not always optimal: a cheap product now can leave expensive ones "
                "later. Use the recurrence best[i, j] = min over k of best[i, k] + best[k, j] "
                "+ n_j n_k n_i.", _greedy),
    ]))


# -- a VJP that never builds the diagonal -------------------------------------------------------
def _vjp_inputs(rng):
    cases = [(np.array([[0.0], [1.0], [-2.0]]), np.array([[1.0], [1.0], [1.0]]))]
    for n, m in ((4, 1), (3, 5), (50, 7)):
        z = rng.normal(0, 2, (n, m))
        cases.append((z, rng.standard_normal((n, m))))
    return cases


def _tanh_vjp(z, g):
    return g * (1.0 - np.tanh(z) ** 2)


_DIAGONAL = ("your code builds a diagonal matrix ({name}). The Jacobian of an elementwise "
             "function is diag(f'(z)): for a layer of n units it has n^2 entries of which only "
             "n are not zero, so forming it and multiplying by it costs n^2 numbers and n^2 "
             "multiplications where g * f'(z) needs n. (For one example of a million units "
             "that is 8 terabytes.) Write the VJP elementwise, without the matrix.")

register(FunctionExercise(
    CHAPTER, "tanh_vjp", "A VJP for an elementwise function", "tanh_vjp",
    _vjp_inputs, _tanh_vjp, ("z", "g"), points=2,
    what="J^T g = g * tanh'(z)",
    refuse_names={name: _DIAGONAL.format(name=f"np.{name}")
                  for name in ("diag", "diagflat", "eye", "identity", "einsum")},
    mistakes=[
        Mistake("sigma_not_prime", "You multiply g by tanh(z), the function itself. The VJP "
                "needs its derivative: tanh'(z) = 1 - tanh(z)^2.",
                lambda z, g: g * np.tanh(z)),
        Mistake("forgot_g", "You return tanh'(z) alone, the diagonal of the Jacobian, without "
                "the vector g it must multiply: J^T g = g * tanh'(z).",
                lambda z, g: 1.0 - np.tanh(z) ** 2),
        Mistake("z_not_tanh", "You wrote 1 - z^2. The derivative is 1 - tanh(z)^2: the square "
                "of the activation a = tanh(z), not of z.",
                lambda z, g: g * (1.0 - z ** 2)),
        Mistake("sigmoid_slope", "You used the sigmoid's slope s(1 - s). The function here is "
                "tanh, whose derivative is 1 - tanh(z)^2.",
                lambda z, g: g * sigmoid.df(z)),
        Mistake("no_square", "You multiply g by 1 - tanh(z): the square is missing. The "
                "derivative of tanh is 1 - tanh(z)^2 = 1 - a^2 with a = tanh(z), so J^T g = "
                "g * (1 - tanh(z)^2).",
                lambda z, g: g * (1 - np.tanh(z))),
    ]))


# -- a JVP on dual numbers ----------------------------------------------------------------------
def _jvp_inputs(rng):
    cases = []
    for n0, n1, n2, m in ((2, 2, 2, 1), (3, 3, 3, 2), (3, 4, 2, 3), (5, 5, 5, 4)):
        cases.append((rng.standard_normal((n1, n0)), rng.standard_normal((n1, 1)),
                      rng.standard_normal((n2, n1)), rng.standard_normal((n2, 1)),
                      rng.standard_normal((n0, m)), rng.standard_normal((n0, m))))
    return cases


def _jvp_variant(slope=lambda z, a: a * (1 - a), transpose=False, bias_tangent=False,
                 chain=True):
    def jvp_layers(W1, b1, W2, b2, x, xdot):
        a, adot = x, xdot
        for W, b in ((W1, b1), (W2, b2)):
            M = W.T if transpose else W
            z, zdot = M @ a + b, M @ adot + (b if bias_tangent else 0.0)
            a = sigmoid.f(z)
            adot = slope(z, a) * zdot if chain else slope(z, a)
        return a, adot
    return jvp_layers


register(FunctionExercise(
    CHAPTER, "jvp_layers", "A JVP by dual numbers", "jvp_layers",
    _jvp_inputs, _jvp_variant(), ("W1", "b1", "W2", "b2", "x", "xdot"), points=3,
    what="forward mode on (value, tangent) pairs",
    mistakes=[
        Mistake("sigma_not_prime", "Your tangent is sigma(z) * zdot. The rule for an "
                "elementwise function multiplies the tangent by its derivative: "
                "adot = sigma'(z) * zdot = a (1 - a) * zdot.",
                _jvp_variant(slope=lambda z, a: a)),
        Mistake("transposed", "You multiply by W^T. The layer computes z = W a + b with W of "
                "shape (n_l, n_{l-1}), so the tangent is W adot: the Jacobian of z with "
                "respect to a is W itself, not its transpose (that belongs to the VJP).",
                _jvp_variant(transpose=True)),
        Mistake("bias_in_tangent", "You add b to the tangent. The bias is a constant: its "
                "tangent is 0, so zdot = W adot (the dual number of b is b + 0 epsilon).",
                _jvp_variant(bias_tangent=True)),
        Mistake("forgot_tangent", "Your tangent is sigma'(z) alone: the incoming tangent zdot "
                "is missing. The rule is adot = sigma'(z) * zdot.",
                _jvp_variant(chain=False)),
    ]))
