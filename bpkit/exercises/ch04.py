"""Chapter 4 exercises: a derivative along two routes, the backward rule of z = W a (whose
input a_k is used by every z_j), and a whole reverse sweep on a scalar graph, where a node
used more than once must add up the gradient of each use."""
import numpy as np

from . import FunctionExercise, Mistake, make_check, register

CHAPTER = "ch04"
check = make_check(CHAPTER)


# -- y = x sin(x^2): x reaches y along two routes ---------------------------------------------
def _dy_dx(x):
    v = x ** 2
    return np.sin(v) + x * np.cos(v) * 2 * x


def _x_inputs(rng):
    return [(np.array([0.5]),), (rng.uniform(-2, 2, 3),), (rng.uniform(-2, 2, 10),)]


register(FunctionExercise(
    CHAPTER, "dy_dx", "The derivative of x sin(x^2), over both routes", "dy_dx",
    _x_inputs, _dy_dx, ("x",), points=1,
    what="dy/dx = sin(x^2) + x cos(x^2) 2x (the direct route plus the route through v and u)",
    mistakes=[
        Mistake("one_route", "Only the route through v = x^2 and u = sin v is counted. x also "
                "feeds y = x u directly, and the chain rule adds the routes: dy/dx = "
                "(dy/du)(du/dv)(dv/dx) + dy/dx|direct = x cos(v) 2x + u.",
                lambda x: x * np.cos(x ** 2) * 2 * x),
        Mistake("direct_only", "Only the direct route is counted (dy/dx = u = sin(x^2), as if "
                "u did not depend on x). The route x -> v -> u -> y adds x cos(v) 2x.",
                lambda x: np.sin(x ** 2)),
        Mistake("no_inner", "The link dv/dx = 2x is missing on the route through v = x^2 and "
                "u = sin v: that route's product is x * cos(v) * 2x.",
                lambda x: np.sin(x ** 2) + x * np.cos(x ** 2)),
        Mistake("cos_of_x", "Each local derivative is taken at its own node's input: "
                "du/dv = cos(v) with v = x^2, so cos(x^2), not cos(x).",
                lambda x: np.sin(x ** 2) + x * np.cos(x) * 2 * x),
    ]))


# -- the backward rule of z = W a ---------------------------------------------------------------
def _matvec_backward(W, a, grad_z):
    return grad_z @ a.T, W.T @ grad_z


def _matvec_inputs(rng):
    cases = []
    # one square W: a product that needs the transpose then runs, and shows its numbers
    for n, n_in in ((2, 3), (3, 3), (3, 2), (4, 5)):
        cases.append((rng.standard_normal((n, n_in)), rng.standard_normal((n_in, 1)),
                      rng.standard_normal((n, 1))))
    return cases


register(FunctionExercise(
    CHAPTER, "matvec_backward", "The backward rule of z = W a", "matvec_backward",
    _matvec_inputs, _matvec_backward, ("W", "a", "grad_z"), points=2,
    what="(dC/dW, dC/da) = (grad_z a^T, W^T grad_z)",
    mistakes=[
        Mistake("wrong_index", "Your dC/da sums over the wrong index. a_k feeds every z_j "
                "(z_j = sum_k W_jk a_k), so the chain rule sums over the units it feeds: "
                "dC/da_k = sum_j W_jk dC/dz_j, which is W^T grad_z, one entry per a_k.",
                lambda W, a, g: (g @ a.T, (W * g).sum(axis=1, keepdims=True))),
        Mistake("no_transpose", "dC/da_k = sum_j W_jk dC/dz_j sums down COLUMN k of W: that "
                "is W^T grad_z, of shape (n_in, 1). W grad_z mixes the wrong entries (and has "
                "the wrong shape unless W is square).",
                lambda W, a, g: (g @ a.T, W @ g)),
        Mistake("outer_swapped", "dC/dW_jk = dC/dz_j * a_k: row j belongs to z_j, column k to "
                "a_k, so dC/dW = grad_z a^T, of W's shape (n, n_in); a grad_z^T is its "
                "transpose.",
                lambda W, a, g: (a @ g.T, W.T @ g)),
        Mistake("swapped", "The two gradients are swapped: return (dC/dW, dC/da) in that "
                "order, dC/dW of W's shape and dC/da of a's.",
                lambda W, a, g: (W.T @ g, g @ a.T)),
    ]))


# -- a node used twice ---------------------------------------------------------------------
def _graph_backward(ops, values, output, assign=False, order=reversed):
    grads = {name: 0.0 for name in values}
    grads[output] = 1.0
    for op, out, (u, v) in order(ops):
        g = grads[out]
        if op == "add":
            local = (g, g)
        else:
            local = (g * values[v], g * values[u])
        if assign:
            grads[u] = local[0]
            grads[v] = local[1]
        else:
            grads[u] += local[0]
            grads[v] += local[1]
    return grads


def _forward(ops, inputs):
    values = dict(inputs)
    for op, out, (u, v) in ops:
        values[out] = values[u] + values[v] if op == "add" else values[u] * values[v]
    return values


def _graph_inputs(rng):
    a = float(np.round(rng.uniform(0.5, 2.0), 3))
    ops1 = [("add", "b", ("a", "a")), ("add", "c", ("b", "b"))]
    ops2 = [("mul", "b", ("a", "a")), ("add", "c", ("b", "a"))]
    x, y = (float(v) for v in np.round(rng.uniform(-2, 2, 2), 3))
    ops3 = [("mul", "p", ("x", "y")), ("add", "q", ("p", "x")), ("mul", "r", ("q", "p")),
            ("add", "s", ("r", "y"))]
    return [(ops1, _forward(ops1, {"a": a}), "c"), (ops2, _forward(ops2, {"a": a}), "c"),
            (ops3, _forward(ops3, {"x": x, "y": y}), "s")]


register(FunctionExercise(
    CHAPTER, "graph_backward", "Backward pass on a scalar graph", "graph_backward",
    _graph_inputs, _graph_backward, ("ops", "values", "output"), points=2,
    what="the reverse sweep that accumulates over every successor",
    mistakes=[
        Mistake("assign", "A node used more than once must add up the gradient from every "
                "use: the chain rule sums over a node's successors. With `grads[u] = ...` the "
                "second use overwrites the first (in b = a + a, c = b + b you get dc/da = 1 "
                "instead of 4); write `grads[u] += ...`.",
                lambda ops, values, output: _graph_backward(ops, values, output, assign=True)),
        Mistake("mul_own_value", "The rule for `mul` uses the wrong factor: for out = u * v, "
                "u receives grad_out * v and v receives grad_out * u (each input gets the "
                "other input).",
                lambda ops, values, output: _mul_own(ops, values, output)),
        Mistake("forward_order", "Your sweep runs in the order the operations were computed. "
                "A node's gradient is complete only once every use of it has passed its share "
                "back, and the uses come later in `ops`: sweep `reversed(ops)`, from the "
                "output back to the inputs.",
                lambda ops, values, output: _graph_backward(ops, values, output, order=list)),
    ]))


def _mul_own(ops, values, output):
    grads = {name: 0.0 for name in values}
    grads[output] = 1.0
    for op, out, (u, v) in reversed(ops):
        g = grads[out]
        grads[u] += g if op == "add" else g * values[u]
        grads[v] += g if op == "add" else g * values[v]
    return grads
