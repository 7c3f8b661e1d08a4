"""Chapter 4 exercises: a derivative by the chain rule, a local backward rule, and the
accumulation of gradients at a node used more than once."""
import numpy as np

from . import FunctionExercise, Mistake, make_check, register

CHAPTER = "ch04"
check = make_check(CHAPTER)


# -- y = exp(sin(x^2)) ---------------------------------------------------------------------
def _dy_dx(x):
    return np.exp(np.sin(x ** 2)) * np.cos(x ** 2) * 2 * x


def _x_inputs(rng):
    return [(np.array([0.5]),), (rng.uniform(-2, 2, 3),), (rng.uniform(-2, 2, 10),)]


register(FunctionExercise(
    CHAPTER, "dy_dx", "The derivative of exp(sin(x^2))", "dy_dx",
    _x_inputs, _dy_dx, ("x",), points=1, what="dy/dx = exp(sin(x^2)) cos(x^2) 2x",
    mistakes=[
        Mistake("no_inner", "The innermost link of the chain is missing: u = x^2 has "
                "du/dx = 2x, which multiplies the other two local derivatives.",
                lambda x: np.exp(np.sin(x ** 2)) * np.cos(x ** 2)),
        Mistake("cos_of_x", "Each local derivative is taken at its own node's input: the "
                "derivative of sin(u) is cos(u) with u = x^2, so cos(x^2), not cos(x).",
                lambda x: np.exp(np.sin(x ** 2)) * np.cos(x) * 2 * x),
        Mistake("no_outer", "The outermost link is missing: d exp(v)/dv = exp(v) with "
                "v = sin(x^2), so the result carries the factor exp(sin(x^2)).",
                lambda x: np.cos(x ** 2) * 2 * x),
    ]))


# -- the backward rule of a product ----------------------------------------------------------
def _mul_backward(x, y, grad_out):
    return grad_out * y, grad_out * x


def _mul_inputs(rng):
    return [(np.array([2.0]), np.array([3.0]), np.array([1.5])),
            tuple(rng.standard_normal(4) for _ in range(3)),
            tuple(rng.standard_normal((3, 5)) for _ in range(3))]


register(FunctionExercise(
    CHAPTER, "mul_backward", "The backward rule of out = x * y", "mul_backward",
    _mul_inputs, _mul_backward, ("x", "y", "grad_out"), points=1,
    what="(grad_out * y, grad_out * x)",
    mistakes=[
        Mistake("swapped", "The local derivatives are swapped: d(xy)/dx = y and d(xy)/dy = x, "
                "so x receives grad_out * y and y receives grad_out * x.",
                lambda x, y, g: (g * x, g * y)),
        Mistake("no_upstream", "The gradient arriving from above is missing: the chain rule "
                "multiplies each local derivative by grad_out = dC/d(out).",
                lambda x, y, g: (y, x)),
    ]))


# -- a node used twice ---------------------------------------------------------------------
def _graph_backward(ops, values, output, assign=False):
    grads = {name: 0.0 for name in values}
    grads[output] = 1.0
    for op, out, (u, v) in reversed(ops):
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
    ]))


def _mul_own(ops, values, output):
    grads = {name: 0.0 for name in values}
    grads[output] = 1.0
    for op, out, (u, v) in reversed(ops):
        g = grads[out]
        grads[u] += g if op == "add" else g * values[u]
        grads[v] += g if op == "add" else g * values[v]
    return grads
